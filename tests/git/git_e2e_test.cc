// `leaksweep git` on real repositories made with the git command line at test time.
#include <doctest/doctest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "test_util.h"

using leaksweep::testing::CommandResult;
using leaksweep::testing::Run;
using leaksweep::testing::RunLeaksweep;
using leaksweep::testing::TempDir;
namespace fs = std::filesystem;

namespace {

// Synthetic AWS key ids, one per scenario.
const std::string kKeyA = "AKIAQWB5PDKHX6PYGPAN";
const std::string kKeyB = "AKIA2RLYKEI4IIAANNKK";
const std::string kKeyC = "AKIASUMNLMYTBX2KJQEV";
const std::string kKeyD = "AKIATAVETWT6UL66LDQB";

// A repository in a temporary directory, driven with the real git command line.
class Repo {
 public:
  Repo() { Git({"init", "-q", "-b", "main"}); }
  const fs::path& path() const { return dir_.path(); }
  std::string Git(const std::vector<std::string>& args) const {
    return leaksweep::testing::RunGit(dir_.path(), args);
  }
  void Write(const std::string& relative, const std::string& content) const {
    dir_.Write(relative, content);
  }
  std::string Commit(const std::string& message) const {
    Git({"add", "-A"});
    Git({"commit", "-q", "--allow-empty", "-m", message});
    return Head();
  }
  std::string Head() const {
    std::string head = Git({"rev-parse", "HEAD"});
    return head.substr(0, head.find('\n'));
  }

 private:
  TempDir dir_;
};

nlohmann::json ScanJson(const std::string& repo, std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"git", repo, "-f", "json"};
  args.insert(args.end(), extra.begin(), extra.end());
  CommandResult result = RunLeaksweep(args);
  INFO(result.err);
  REQUIRE((result.exit_code == 0 || result.exit_code == 1 || result.exit_code == 3));
  auto report = nlohmann::json::parse(result.out, nullptr, false);
  REQUIRE_FALSE(report.is_discarded());
  return report;
}

// The finding whose raw value is `key` (scans run with --show-secrets).
nlohmann::json FindingOf(const nlohmann::json& report, const std::string& key) {
  for (const auto& finding : report["findings"]) {
    if (finding["value"] == key) return finding;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("a secret added then deleted is found, not in HEAD, with its introducing commit") {
  Repo repo;
  repo.Write("config.py", "aws_key = '" + kKeyA + "'\n");
  std::string added = repo.Commit("add config");
  repo.Write("config.py", "aws_key = os.environ['AWS_KEY']\n");
  repo.Commit("read the key from the environment");
  auto report = ScanJson(repo.path().string(), {"--show-secrets"});
  auto finding = FindingOf(report, kKeyA);
  REQUIRE_FALSE(finding.is_null());
  CHECK(finding["in_head"] == false);
  CHECK(finding["commit"] == added);
  CHECK(finding["path"] == "config.py");
  CHECK(finding["author"] == "Ann Dev");
  CHECK(finding["author_email"] == "ann@corp-mail.net");
  CHECK(finding["date"] == "2024-03-01T10:00:00+00:00");
  CHECK(finding["commit_summary"] == "add config");
}

TEST_CASE("the same blob under two paths and in many commits is scanned once") {
  Repo repo;
  std::string content = "key: " + kKeyB + "\n";
  repo.Write("a/creds.yaml", content);
  std::string first = repo.Commit("one");
  repo.Write("b/creds-copy.yaml", content);
  repo.Commit("two");
  for (int i = 0; i < 5; ++i) {
    repo.Write("other.txt", "change " + std::to_string(i) + "\n");
    repo.Commit("change " + std::to_string(i));
  }
  auto report = ScanJson(repo.path().string(), {"--show-secrets"});
  int count = 0;
  for (const auto& finding : report["findings"]) count += finding["value"] == kKeyB;
  CHECK(count == 1);
  auto finding = FindingOf(report, kKeyB);
  CHECK(finding["commit"] == first);
  CHECK(finding["path"] == "a/creds.yaml");
  CHECK(finding["blob_paths"] == 2);
  CHECK(finding["in_head"] == true);
  // Distinct blobs: creds (1) + other.txt versions (5).
  CHECK(report["stats"]["files_scanned"] == 6);
}

TEST_CASE("a renamed file keeps the commit and path that introduced it") {
  Repo repo;
  repo.Write("old.env", "AWS=" + kKeyC + "\n");
  std::string added = repo.Commit("add");
  repo.Git({"mv", "old.env", "new.env"});
  repo.Commit("rename");
  auto finding = FindingOf(ScanJson(repo.path().string(), {"--show-secrets"}), kKeyC);
  REQUIRE_FALSE(finding.is_null());
  CHECK(finding["commit"] == added);
  CHECK(finding["path"] == "old.env");
  CHECK(finding["blob_paths"] == 2);
  CHECK(finding["in_head"] == true);
}

TEST_CASE("secrets arriving through a merge are attributed to the side that added them") {
  Repo repo;
  repo.Write("README", "base\n");
  repo.Commit("base");
  repo.Git({"checkout", "-q", "-b", "feature"});
  repo.Write("feature.cfg", "key=" + kKeyA + "\n");
  std::string feature = repo.Commit("feature adds a key");
  repo.Git({"checkout", "-q", "main"});
  repo.Write("main.cfg", "key=" + kKeyB + "\n");
  std::string main_commit = repo.Commit("main adds a key");
  repo.Git({"merge", "-q", "--no-edit", "feature"});
  auto report = ScanJson(repo.path().string(), {"--show-secrets"});
  CHECK(FindingOf(report, kKeyA)["commit"] == feature);
  CHECK(FindingOf(report, kKeyB)["commit"] == main_commit);
}

TEST_CASE("a commit reachable only from a tag is scanned") {
  Repo repo;
  repo.Write("a.txt", "nothing\n");
  repo.Commit("base");
  repo.Git({"checkout", "-q", "--detach"});
  repo.Write("release.env", "KEY=" + kKeyD + "\n");
  std::string tagged = repo.Commit("release build");
  repo.Git({"tag", "-a", "v1.0", "-m", "release"});
  repo.Git({"checkout", "-q", "main"});
  auto finding = FindingOf(ScanJson(repo.path().string(), {"--show-secrets"}), kKeyD);
  REQUIRE_FALSE(finding.is_null());
  CHECK(finding["commit"] == tagged);
  CHECK(finding["in_head"] == false);
}

TEST_CASE("loose and packed objects, bare clones and alternates give the same findings") {
  Repo repo;
  repo.Write("a.env", "A=" + kKeyA + "\n");
  repo.Commit("a");
  repo.Write("b.env", "B=" + kKeyB + "\n");
  repo.Commit("b");
  auto fingerprints = [](const nlohmann::json& report) {
    std::set<std::string> all;
    for (const auto& finding : report["findings"]) all.insert(finding["fingerprint"]);
    return all;
  };
  auto loose = fingerprints(ScanJson(repo.path().string()));
  CHECK(loose.size() == 2);
  repo.Git({"gc", "-q"});
  CHECK(fingerprints(ScanJson(repo.path().string())) == loose);

  TempDir clones;
  fs::path bare = clones.path() / "bare.git";
  fs::path shared = clones.path() / "shared";
  REQUIRE(Run({"git", "clone", "-q", "--bare", repo.path().string(), bare.string()}).exit_code ==
          0);
  REQUIRE(Run({"git", "clone", "-q", "--shared", bare.string(), shared.string()}).exit_code == 0);
  CHECK(fs::exists(shared / ".git" / "objects" / "info" / "alternates"));
  CHECK(fingerprints(ScanJson(bare.string())) == loose);
  CHECK(fingerprints(ScanJson(shared.string())) == loose);
}

TEST_CASE("--all-objects finds a dangling blob left by commit --amend") {
  Repo repo;
  repo.Write("a.env", "A=" + kKeyA + "\n");
  repo.Commit("oops");
  repo.Write("a.env", "A=from-vault\n");
  repo.Git({"add", "-A"});
  repo.Git({"commit", "-q", "--amend", "-m", "fixed"});
  repo.Git({"reflog", "expire", "--expire=now", "--all"});
  CHECK(FindingOf(ScanJson(repo.path().string(), {"--show-secrets"}), kKeyA).is_null());
  auto finding =
      FindingOf(ScanJson(repo.path().string(), {"--show-secrets", "--all-objects"}), kKeyA);
  REQUIRE_FALSE(finding.is_null());
  CHECK(finding["commit"] == "");
  CHECK(finding["path"].get<std::string>().rfind("blob:", 0) == 0);
}

TEST_CASE("a corrupt loose object is reported by id and the rest is still scanned") {
  Repo repo;
  repo.Write("good.env", "A=" + kKeyA + "\n");
  repo.Write("bad.env", "B=" + kKeyB + "\n");
  repo.Commit("two files");
  std::string bad_blob = repo.Git({"rev-parse", "HEAD:bad.env"});
  bad_blob = bad_blob.substr(0, 40);
  fs::path object = repo.path() / ".git" / "objects" / bad_blob.substr(0, 2) / bad_blob.substr(2);
  fs::permissions(object, fs::perms::owner_write, fs::perm_options::add);
  { std::ofstream(object, std::ios::binary | std::ios::trunc) << "garbage, not zlib"; }
  CommandResult result = RunLeaksweep(
      {"git", repo.path().string(), "-f", "json", "--show-secrets", "--fail-on-error"});
  CHECK(result.exit_code == 3);
  auto report = nlohmann::json::parse(result.out);
  CHECK_FALSE(FindingOf(report, kKeyA).is_null());
  bool reported = false;
  for (const auto& error : report["errors"]) reported = reported || error["path"] == bad_blob;
  CHECK(reported);
  CHECK(result.err.find(kKeyB) == std::string::npos);
}

TEST_CASE("a missing object is reported by id and the rest is still scanned") {
  Repo repo;
  repo.Write("good.env", "A=" + kKeyA + "\n");
  repo.Write("lost.env", "B=" + kKeyB + "\n");
  repo.Write("dir/lost-tree.env", "C=" + kKeyB + "\n");
  repo.Commit("three files");
  std::string blob = repo.Git({"rev-parse", "HEAD:lost.env"}).substr(0, 40);
  std::string tree = repo.Git({"rev-parse", "HEAD:dir"}).substr(0, 40);
  for (const std::string& id : {blob, tree}) {
    fs::remove(repo.path() / ".git" / "objects" / id.substr(0, 2) / id.substr(2));
  }
  CommandResult result = RunLeaksweep(
      {"git", repo.path().string(), "-f", "json", "--show-secrets", "--fail-on-error"});
  CHECK(result.exit_code == 3);
  auto report = nlohmann::json::parse(result.out);
  CHECK_FALSE(FindingOf(report, kKeyA).is_null());
  std::set<std::string> reported;
  for (const auto& error : report["errors"]) reported.insert(error["path"].get<std::string>());
  CHECK(reported.count(blob) == 1);
  CHECK(reported.count(tree) == 1);
}

TEST_CASE("a commit libgit2 cannot parse is reported, and what its tree holds is still scanned") {
  Repo repo;
  repo.Write("a.env", "A=" + kKeyA + "\n");
  std::string parent = repo.Commit("first");
  // A commit without an author line (git fsck refuses it; libgit2's commit walk passes it when
  // it is not a ref's tip), whose tree alone holds kKeyB; its child drops the file again.
  repo.Write("b.env", "B=" + kKeyB + "\n");
  repo.Git({"add", "-A"});
  std::string tree = repo.Git({"write-tree"}).substr(0, 40);
  repo.Write("odd-commit.txt", "tree " + tree + "\nparent " + parent +
                                   "\ncommitter C <c@o.test> 1700000000 +0000\n\nno author\n");
  std::string odd = repo.Git({"hash-object", "-t", "commit", "--literally", "-w", "odd-commit.txt"})
                        .substr(0, 40);
  repo.Git({"rm", "-q", "--cached", "b.env"});
  std::string child_tree = repo.Git({"write-tree"}).substr(0, 40);
  std::string child = repo.Git({"-c", "user.name=T", "-c", "user.email=t@t.test", "commit-tree",
                                child_tree, "-p", odd, "-m", "child"})
                          .substr(0, 40);
  repo.Git({"update-ref", "refs/heads/main", child});
  for (const char* threads : {"1", "2"}) {
    INFO("threads " << threads);
    auto report = ScanJson(repo.path().string(), {"--show-secrets", "--threads", threads});
    auto finding = FindingOf(report, kKeyB);
    REQUIRE_FALSE(finding.is_null());
    CHECK(finding["commit"] == odd);
    bool reported = false;
    for (const auto& error : report["errors"]) {
      reported = reported || (error["path"] == odd &&
                              error["message"].get<std::string>().find("cannot parse commit") == 0);
    }
    CHECK(reported);
  }
}

TEST_CASE("an empty repository is not an error; a shallow clone says it is shallow") {
  Repo empty;
  CommandResult result = RunLeaksweep({"git", empty.path().string(), "-f", "json"});
  CHECK(result.exit_code == 0);
  auto report = nlohmann::json::parse(result.out);
  CHECK(report["findings"].empty());
  CHECK(report["notes"][0].get<std::string>().find("empty repository") != std::string::npos);

  Repo repo;
  for (int i = 0; i < 3; ++i) {
    repo.Write("f.txt", std::to_string(i));
    repo.Commit(std::string("c") + std::to_string(i));
  }
  TempDir clones;
  fs::path shallow = clones.path() / "shallow";
  REQUIRE(Run({"git", "clone", "-q", "--depth", "1", "file://" + repo.path().string(),
               shallow.string()})
              .exit_code == 0);
  auto shallow_report = ScanJson(shallow.string());
  CHECK(shallow_report["notes"][0].get<std::string>().find("shallow") != std::string::npos);
}

TEST_CASE("a directory that is no repository is a clear error") {
  TempDir dir;
  CommandResult result = RunLeaksweep({"git", dir.path().string()});
  CHECK(result.exit_code == 2);
  CHECK(result.err.find("not a git repository") != std::string::npos);
}

TEST_CASE("a bad rule file is a clear error, and the walk started meanwhile leaves no trace") {
  // With two threads the history walk starts before the rules are loaded: a rule error must
  // still exit 2 before the report file is opened (an earlier report stays as it was).
  Repo repo;
  repo.Write("app.py", "print('hello')\n");
  repo.Commit("add app");
  TempDir dir;
  fs::path rules = dir.Write("bad.yaml", "rules:\n  - id: [unclosed\n");
  fs::path report = dir.Write("report.json", "an earlier report\n");
  for (const char* threads : {"1", "2"}) {
    CAPTURE(threads);
    CommandResult result =
        RunLeaksweep({"git", repo.path().string(), "--threads", threads, "--rules", rules.string(),
                      "-o", report.string(), "--progress", "always"});
    CHECK(result.exit_code == 2);
    CHECK(result.err.find("bad.yaml") != std::string::npos);
    CHECK(leaksweep::testing::ReadFile(report) == "an earlier report\n");
  }
}

TEST_CASE("A..B and --since-commit scan only what the newer commits introduce") {
  Repo repo;
  repo.Write("old.env", "OLD=" + kKeyA + "\n");
  std::string base = repo.Commit("old key");
  repo.Write("new.env", "NEW=" + kKeyB + "\n");
  repo.Write("old.env", "OLD=" + kKeyA + "\nmore=1\n");  // a new blob that still holds kKeyA
  repo.Commit("new key");
  auto range = ScanJson(repo.path().string(), {base + "..HEAD", "--show-secrets"});
  CHECK_FALSE(FindingOf(range, kKeyB).is_null());
  CHECK_FALSE(FindingOf(range, kKeyA).is_null());  // the changed blob is new in the range
  CHECK(range["stats"]["files_scanned"] == 2);
  auto since = ScanJson(repo.path().string(), {"--since-commit", base, "--show-secrets"});
  CHECK(since["stats"]["files_scanned"] == 2);
  CHECK_FALSE(FindingOf(since, kKeyB).is_null());

  repo.Write("unrelated.txt", "x\n");
  std::string last = repo.Commit("unrelated");
  auto only_last = ScanJson(repo.path().string(), {last + "~1.." + last});
  CHECK(only_last["findings"].empty());
  CHECK(only_last["stats"]["files_scanned"] == 1);

  CommandResult bad = RunLeaksweep({"git", repo.path().string(), "no-such-branch..HEAD"});
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("unknown revision") != std::string::npos);
}

TEST_CASE("--scan-messages finds a secret in a commit message") {
  Repo repo;
  repo.Write("a.txt", "x\n");
  repo.Git({"add", "-A"});
  repo.Git({"commit", "-q", "-m", "deploy with key " + kKeyC});
  std::string commit = repo.Head();
  CHECK(FindingOf(ScanJson(repo.path().string(), {"--show-secrets"}), kKeyC).is_null());
  auto finding =
      FindingOf(ScanJson(repo.path().string(), {"--show-secrets", "--scan-messages"}), kKeyC);
  REQUIRE_FALSE(finding.is_null());
  CHECK(finding["path"] == "commit:" + commit);
  CHECK(finding["commit"] == commit);
}

TEST_CASE("one finding per value in summaries, every location in JSONL") {
  Repo repo;
  repo.Write("a.env", "A=" + kKeyD + "\n");
  std::string first = repo.Commit("a");
  repo.Write("b.env", "# copy\nB=" + kKeyD + "\n");  // another blob holding the same value
  repo.Commit("b");
  repo.Git({"rm", "-q", "a.env"});
  repo.Commit("drop a");
  auto report = ScanJson(repo.path().string(), {"--show-secrets"});
  REQUIRE(report["findings"].size() == 1);
  auto finding = report["findings"][0];
  CHECK(finding["commit"] == first);
  CHECK(finding["in_head"] == true);  // still in b.env
  REQUIRE(finding["other_locations"].size() == 1);
  CHECK(finding["other_locations"][0]["path"] == "b.env");
  CHECK(finding["other_locations"][0]["line"] == 2);

  CommandResult lines = RunLeaksweep({"git", repo.path().string(), "-f", "jsonl"});
  CHECK(std::count(lines.out.begin(), lines.out.end(), '\n') == 2);
}

TEST_CASE("a value still in HEAD elsewhere marks only its own finding, not its blob's others") {
  Repo repo;
  // One blob with two values; later only the first is still anywhere in HEAD.
  repo.Write("a.env", "A=" + kKeyA + "\nC=" + kKeyC + "\n");
  repo.Commit("both");
  repo.Git({"rm", "-q", "a.env"});
  repo.Write("b.env", "# kept\nA=" + kKeyA + "\n");
  repo.Commit("only A");
  auto report = ScanJson(repo.path().string(), {"--show-secrets"});
  auto a = FindingOf(report, kKeyA);
  auto c = FindingOf(report, kKeyC);
  REQUIRE(a.is_object());
  REQUIRE(c.is_object());
  CHECK(a["path"] == "a.env");
  CHECK(c["path"] == "a.env");
  CHECK(a["in_head"] == true);   // through b.env
  CHECK(c["in_head"] == false);  // same blob as a's first location, but gone
  CHECK(a["blob"] == c["blob"]);
}

// Scanning never runs anything the repository configures: no hook, fsmonitor, filter, pager,
// ssh or credential command. Each one here would create a marker file if it ran.
TEST_CASE("a repository's configured commands, hooks and filters are never run") {
  Repo repo;
  TempDir markers;
  auto marker_command = [&](const std::string& name) {
    return "touch '" + (markers.path() / name).string() + "'";
  };
  repo.Write("a.env", "A=" + kKeyA + "\n");
  repo.Write("b.secret", "B=" + kKeyB + "\n");
  repo.Write(".gitattributes", "*.secret filter=evil diff=evil\n");
  repo.Commit("files");
  for (const char* key :
       {"core.fsmonitor", "core.pager", "core.sshCommand", "core.editor", "core.askPass",
        "credential.helper", "filter.evil.clean", "filter.evil.smudge", "filter.evil.process",
        "diff.evil.textconv", "diff.external", "gpg.program", "core.hooksPath"}) {
    repo.Git({"config", key, marker_command(key)});
  }
  for (const char* hook : {"post-checkout", "pre-commit", "post-index-change",
                           "reference-transaction", "fsmonitor-watchman", "pre-push"}) {
    fs::path path = repo.path() / ".git" / "hooks" / hook;
    std::ofstream(path) << "#!/bin/sh\n" << marker_command(std::string("hook-") + hook) << "\n";
    fs::permissions(path, fs::perms::owner_all);
  }
  auto report = ScanJson(repo.path().string(), {"--show-secrets", "--scan-messages"});
  CHECK_FALSE(FindingOf(report, kKeyA).is_null());
  CHECK_FALSE(FindingOf(report, kKeyB).is_null());  // the raw blob, never a filtered version
  CommandResult checkout = RunLeaksweep({"scan", repo.path().string(), "-f", "json"});
  CHECK(checkout.exit_code == 1);
  CHECK(fs::is_empty(markers.path()));
}

// A working copy whose .git is a file ("gitdir: <path>", as in worktrees and submodules).
TEST_CASE("a .git file pointing at the real git directory is followed") {
  Repo repo;
  repo.Write("a.env", "A=" + kKeyA + "\n");
  repo.Commit("a");
  TempDir elsewhere;
  fs::path work = elsewhere.path() / "work";
  fs::create_directories(work);
  std::ofstream(work / ".git") << "gitdir: " << (repo.path() / ".git").string() << "\n";
  auto report = ScanJson(work.string(), {"--show-secrets"});
  CHECK_FALSE(FindingOf(report, kKeyA).is_null());
  // A checkout scan reads the .git file as an ordinary file and reports nothing from it.
  CommandResult checkout = RunLeaksweep({"scan", work.string(), "-f", "json"});
  CHECK(checkout.exit_code == 0);
}

TEST_CASE("progress on a terminal covers the history walk, then the blobs") {
  // 300 commits, written with fast-import (one process, not 300; each commit follows the
  // branch's previous one).
  Repo repo;
  std::string stream;
  for (int c = 1; c <= 300; ++c) {
    std::string text = "version " + std::to_string(c) + "\n";
    stream += "commit refs/heads/main\ncommitter Ann <ann@example.com> " +
              std::to_string(1700000000 + c) + " +0000\ndata 1\nx\n" +
              "M 100644 inline f.txt\ndata " + std::to_string(text.size()) + "\n" + text + "\n";
  }
  leaksweep::testing::RunGit(repo.path(), {"fast-import", "--quiet"}, stream);
  CommandResult result =
      RunLeaksweep({"git", repo.path().string(), "-f", "json", "--progress", "always"});
  CHECK(result.exit_code == 0);
  CHECK(result.err.find("walking history: 256 commits, 256 blobs") != std::string::npos);
  CHECK(result.err.find("blobs 300/300") != std::string::npos);
  CHECK(result.out.find("walking") == std::string::npos);  // stderr only
}

// Without --show-secrets no value reaches any output: report, progress, notes or errors, in any
// format, for history, messages and checkouts alike.
TEST_CASE("no secret or PII value appears in any output without --show-secrets") {
  Repo repo;
  const std::vector<std::string> values = {kKeyA, kKeyB, "ghp_R8x2kLmQ9vTz4NwPb7YcJd3FsHg6Ae1uKo5i",
                                           "jane.roe@corp-mail.net", "4539 1488 0343 6467"};
  repo.Write("config/app.env", "AWS_ACCESS_KEY_ID=" + kKeyA + "\nGITHUB_TOKEN=" + values[2] +
                                   "\ncontact: " + values[3] + "\ncard: " + values[4] + "\n");
  repo.Commit("add config");
  repo.Write("config/app.env", "AWS_ACCESS_KEY_ID=" + kKeyB + "\n");
  repo.Git({"add", "-A"});
  repo.Git({"commit", "-q", "-m", "rotate to " + kKeyB});
  // A corrupt object too, so that error messages are exercised.
  repo.Write("broken.txt", "AWS_ACCESS_KEY_ID=" + kKeyA + " broken\n");
  std::string blob = repo.Git({"hash-object", "-w", "broken.txt"});
  blob = blob.substr(0, blob.find('\n'));
  fs::path object = repo.path() / ".git" / "objects" / blob.substr(0, 2) / blob.substr(2);
  fs::permissions(object, fs::perms::owner_all);
  std::ofstream(object, std::ios::binary | std::ios::trunc) << "not zlib " << kKeyA;
  repo.Git({"add", "-A"});

  std::vector<std::vector<std::string>> commands;
  for (const char* format : {"human", "json", "jsonl", "sarif"}) {
    commands.push_back({"git", repo.path().string(), "-f", format, "--scan-messages",
                        "--all-objects", "--progress", "always"});
    commands.push_back({"scan", repo.path().string(), "-f", format, "--progress", "always"});
  }
  commands.push_back({"rules", "list"});
  commands.push_back(
      {"git", repo.path().string(), "--baseline", (repo.path() / "config/app.env").string()});
  for (const auto& command : commands) {
    CommandResult result = RunLeaksweep(command);
    INFO(command[0] << " " << command[2]);
    for (const std::string& value : values) {
      CHECK(result.out.find(value) == std::string::npos);
      CHECK(result.err.find(value) == std::string::npos);
    }
  }
}

TEST_CASE("reusing the scan of a delta's base finds exactly what scanning every blob does") {
  // One file edited over many commits, then packed with deep delta chains: most versions are
  // deltas on another. Edits add, change by one character, move and delete secrets and PII,
  // so many of them fall on or next to a value.
  Repo repo;
  std::vector<std::string> lines;
  for (int i = 0; i < 400; ++i) {
    lines.push_back("    call_" + std::to_string(i) + "(arg, " + std::to_string(i * 7) + ");");
  }
  uint32_t state = 12345;
  auto next = [&state](uint32_t n) {
    state = state * 1103515245u + 12345u;
    return (state >> 8) % n;
  };
  auto key = [&next] {
    const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    std::string id = "AKIA";
    for (int i = 0; i < 16; ++i) id += alphabet[next(32)];
    return id;
  };
  for (int version = 0; version < 60; ++version) {
    for (int edit = 0; edit < 3; ++edit) {
      size_t at = next(static_cast<uint32_t>(lines.size()));
      switch (next(5)) {
        case 0:
          lines.insert(lines.begin() + at, "aws_key = \"" + key() + "\"");
          break;
        case 1:
          lines.insert(lines.begin() + at,
                       "contact: dev" + std::to_string(version) + "@example-corp.org # owner");
          break;
        case 2:  // one character changed, often inside a value
          if (!lines[at].empty()) lines[at][next(static_cast<uint32_t>(lines[at].size()))] = 'Q';
          break;
        case 3:
          lines.erase(lines.begin() + at);
          break;
        default:
          std::rotate(lines.begin(), lines.begin() + at, lines.end());
      }
    }
    std::string text;
    for (const std::string& line : lines) text += line + "\n";
    repo.Write("src/app.py", text);
    repo.Write("copy/app.py", text.substr(text.size() / 3));
    repo.Commit("version " + std::to_string(version));
  }
  repo.Git({"repack", "-a", "-d", "-f", "-q", "--depth=50", "--window=50"});
  std::string packed = repo.Git({"count-objects", "-v"});
  REQUIRE(packed.find("count: 0") != std::string::npos);  // every object is in the pack

  for (const char* format : {"jsonl", "json"}) {
    std::vector<std::string> args = {"git", repo.path().string(), "-f", format, "--show-secrets"};
    CommandResult reused = RunLeaksweep(args);
    args.push_back("--no-delta-reuse");
    CommandResult from_scratch = RunLeaksweep(args);
    INFO(format);
    CHECK(reused.exit_code == 1);
    CHECK(from_scratch.exit_code == 1);
    CHECK(reused.out == from_scratch.out);
    CHECK(reused.out.find("AKIA") != std::string::npos);
    CHECK(reused.out.find("@example-corp.org") != std::string::npos);
  }
}

TEST_CASE("--timings reports the walk, the scan and the report on stderr, and no report changes") {
  Repo repo;
  repo.Write("config.py", "aws_key = '" + kKeyA + "'\n");
  repo.Commit("add config");
  std::vector<std::string> args = {"git",  repo.path().string(), "-f",
                                   "json", "--progress",         "never"};
  CommandResult plain = RunLeaksweep(args);
  args.push_back("--timings");
  CommandResult timed = RunLeaksweep(args);
  CHECK(timed.exit_code == 1);
  CHECK(plain.err.find("timings:") == std::string::npos);
  CHECK(timed.err.find("timings: walk (enumeration and provenance) ") != std::string::npos);
  CHECK(timed.err.find(" s; scan ") != std::string::npos);
  CHECK(timed.err.find(" s; report ") != std::string::npos);
  CHECK(timed.err.find(kKeyA) == std::string::npos);
  // Reports are the same from run to run: timings stay out of them.
  CHECK(plain.out == timed.out);
}

// With two threads or more, a second thread reads commits and trees ahead of the walk
// (GitEnumerateOptions::read_ahead); with one, the walk reads them itself. Every report must be
// the same either way, errors included.
TEST_CASE("reading the history ahead of the walk changes no report") {
  Repo repo;
  repo.Write("config/app.env", "KEY=" + kKeyA + "\n");
  repo.Commit("first, with a key in the message: " + kKeyD);
  repo.Git({"checkout", "-q", "-b", "feature"});
  repo.Git({"mv", "config/app.env", "config/renamed.env"});
  repo.Write("feature/new.env", "KEY=" + kKeyB + "\n");
  repo.Commit("rename and add on a branch");
  repo.Git({"checkout", "-q", "main"});
  // Enough commits and trees to fill several of the reader's batches (256 items each).
  for (int i = 0; i < 90; ++i) {
    std::string n = std::to_string(i);
    repo.Write("deep/a" + std::to_string(i % 3) + "/b/c/file.txt", "version " + n + "\n");
    repo.Write("mail/list" + std::to_string(i % 4) + ".txt", "owner" + n + "@example-corp.org\n");
    repo.Commit("change " + n);
  }
  repo.Git({"merge", "-q", "--no-edit", "feature"});
  repo.Git({"checkout", "-q", "--orphan", "other-root"});
  repo.Write("orphan.env", "KEY=" + kKeyC + "\n");
  repo.Commit("a second root, reachable from a tag only");
  repo.Git({"tag", "-a", "-m", "tagged", "v1"});
  repo.Git({"checkout", "-q", "main"});
  repo.Git({"branch", "-D", "-q", "other-root"});
  // A tree no longer in the object database: reported by both walks, in the same place.
  std::string lost = repo.Git({"rev-parse", "HEAD~40:deep/a1/b"}).substr(0, 40);
  fs::remove(repo.path() / ".git" / "objects" / lost.substr(0, 2) / lost.substr(2));

  for (std::vector<std::string> extra : {std::vector<std::string>{"-f", "json", "--scan-messages"},
                                         std::vector<std::string>{"-f", "jsonl"},
                                         std::vector<std::string>{"-f", "json", "HEAD~30..HEAD"}}) {
    std::vector<std::string> args = {"git", repo.path().string(), "--show-secrets", "--progress",
                                     "never"};
    args.insert(args.end(), extra.begin(), extra.end());
    args.insert(args.end(), {"--threads", "1"});
    CommandResult walk_reads = RunLeaksweep(args);
    args.back() = "2";
    CommandResult read_ahead = RunLeaksweep(args);
    INFO(extra.back());
    CHECK(walk_reads.exit_code == 1);
    CHECK(read_ahead.exit_code == walk_reads.exit_code);
    CHECK(read_ahead.out == walk_reads.out);
    if (extra.back() == "--scan-messages") {
      CHECK(read_ahead.out.find(lost) != std::string::npos);   // the lost tree, reported
      CHECK(read_ahead.out.find(kKeyD) != std::string::npos);  // the message's key
    }
  }
}
