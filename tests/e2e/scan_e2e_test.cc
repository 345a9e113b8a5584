// End-to-end tests: the built binary on real files, checked through its outputs and exit codes.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "test_util.h"

using leaksweep::testing::CommandResult;
using leaksweep::testing::ReadFile;
using leaksweep::testing::RunLeaksweep;
using leaksweep::testing::RunOptions;
using leaksweep::testing::TempDir;
using leaksweep::testing::TestdataDir;
namespace fs = std::filesystem;

namespace {

// Synthetic values planted in testdata/checkout; none may appear in redacted output.
const std::vector<std::string> kPlantedValues = {
    "AKIAQYLPMN5HFIQR7XYZ",
    "ghp_R8x2kLmQ9vTz4NwPb7YcJd3FsHg6Ae1uKo5i",
    "xoxb-4827361902-5910284736-Hq7Lp2Xw9Rt4Yv8Nm3Kz6Bc1",
    "sk_live_9fK2mQ7xR4tV8wZ1pL6nB3cY5h",
    "jane.roe@corp-mail.net",
    "4539 1488 0343 6467",
    "Zq7vN2xLk9pW4rT8sYb3",
    "AKIAZ5T3MNQ7RJ2XKW4P",
    "AKIA2XKW4PZ5T3MNQ7RJ",
};

// Runs from testdata/, so reports hold stable relative paths, with the frozen rules in
// testdata/golden-rules, so goldens do not change whenever a shipped rule is edited.
RunOptions CheckoutRunOptions() {
  RunOptions options;
  options.cwd = TestdataDir().string();
  options.env = {"LEAKSWEEP_SIGNATURES_DIR=" + (TestdataDir() / "golden-rules").string()};
  return options;
}

CommandResult ScanCheckout(std::vector<std::string> args) {
  args.insert(args.begin(), {"scan", "checkout"});
  return RunLeaksweep(args, CheckoutRunOptions());
}

void CheckGolden(const std::string& name, const std::string& actual) {
  fs::path golden = TestdataDir() / "golden" / "e2e" / name;
  if (std::getenv("LEAKSWEEP_UPDATE_GOLDEN") != nullptr) {
    fs::create_directories(golden.parent_path());
    std::ofstream(golden, std::ios::binary) << actual;
  }
  CHECK_MESSAGE(ReadFile(golden) == actual,
                "golden " << name << " differs; rerun with LEAKSWEEP_UPDATE_GOLDEN=1 to update");
}

nlohmann::json ParseJson(const std::string& text) {
  auto parsed = nlohmann::json::parse(text, nullptr, false);
  REQUIRE_FALSE(parsed.is_discarded());
  return parsed;
}

}  // namespace

TEST_CASE("every format matches its golden report and is redacted") {
  for (const char* format : {"human", "json", "jsonl", "sarif"}) {
    CAPTURE(format);
    CommandResult result = ScanCheckout({"--format", format, "--threads", "2"});
    CHECK(result.exit_code == 1);
    CheckGolden(std::string("checkout.") + format, result.out);
    for (const auto& value : kPlantedValues) {
      CHECK(result.out.find(value) == std::string::npos);
      CHECK(result.err.find(value) == std::string::npos);
    }
  }
}

TEST_CASE("reports are byte-identical across runs and thread counts") {
  CommandResult one = ScanCheckout({"--format", "json", "--threads", "1"});
  CommandResult four = ScanCheckout({"--format", "json", "--threads", "4"});
  CommandResult again = ScanCheckout({"--format", "json", "--threads", "4"});
  CHECK(one.out == four.out);
  CHECK(four.out == again.out);
}

TEST_CASE("--show-secrets prints raw values") {
  CommandResult result = ScanCheckout({"--format", "jsonl", "--show-secrets"});
  for (const auto& value : kPlantedValues) CHECK(result.out.find(value) != std::string::npos);
}

TEST_CASE("the JSON report holds what the checkout has") {
  auto report = ParseJson(ScanCheckout({"--format", "json"}).out);
  CHECK(report["stats"]["files_scanned"] == 10);
  CHECK(report["stats"]["suppressed_inline"] == 1);
  std::set<std::string> rules;
  for (const auto& finding : report["findings"]) rules.insert(finding["rule_id"]);
  for (const char* id : {"aws-access-key-id", "github-classic-pat", "slack-bot-token",
                         "stripe-live-secret-key", "private-key-pem", "jwt", "email-address",
                         "payment-card-number", "generic-secret-assignment"}) {
    CHECK_MESSAGE(rules.count(id) == 1, id);
  }
  // UTF-16 and Latin-1 files are decoded; the binary file is skipped and listed.
  bool utf16 = false, latin1 = false;
  for (const auto& finding : report["findings"]) {
    if (finding["path"] == "checkout/src/utf16.txt")
      utf16 = finding["line"] == 1 && finding["column"] == 7;
    if (finding["path"] == "checkout/src/latin1.txt") {
      latin1 = finding["snippet"].get<std::string>().find("K\xc3\xb6ln") != std::string::npos;
    }
  }
  CHECK(utf16);
  CHECK(latin1);
  REQUIRE(report["skipped"].size() == 1);
  CHECK(report["skipped"][0]["reason"] == "binary");
  CHECK(report["errors"].empty());
}

TEST_CASE("exit codes: 0 clean, 1 findings, --fail-on threshold, 2 usage, 3 scan errors") {
  TempDir dir;
  dir.Write("clean.txt", "nothing to see\n");
  CHECK(RunLeaksweep({"scan", dir.path().string()}).exit_code == 0);
  CHECK(ScanCheckout({}).exit_code == 1);
  dir.Write("low.txt", "contact: someone@corp-mail.net\n");
  CHECK(RunLeaksweep({"scan", dir.path().string()}).exit_code == 1);
  CHECK(RunLeaksweep({"scan", dir.path().string(), "--fail-on", "medium"}).exit_code == 0);
  CHECK(RunLeaksweep({"scan", dir.path().string(), "--format", "xml"}).exit_code == 2);
  CHECK(RunLeaksweep({"scan", dir.path().string(), "--fail-on", "dire"}).exit_code == 2);
  CHECK(RunLeaksweep({"scan", "--no-such-flag"}).exit_code == 2);
  CHECK(RunLeaksweep({}).exit_code == 2);

  std::string missing = (dir.path() / "missing").string();
  CommandResult errors =
      RunLeaksweep({"scan", missing, dir.path().string(), "--fail-on", "critical"});
  CHECK(errors.exit_code == 0);  // errors are listed but do not fail without --fail-on-error
  CHECK(errors.out.find("missing") != std::string::npos);
  CHECK(RunLeaksweep({"scan", missing, "--fail-on-error"}).exit_code == 3);
}

TEST_CASE("an unreadable file is reported and the rest is scanned") {
  TempDir dir;
  dir.Write("a.txt", "AKIAQYLPMN5HFIQR7XYZ\n");
  std::string unreadable;
  if (geteuid() == 0) {
    unreadable = "/proc/self/mem";  // opens as a regular file, but reading it fails even for root
  } else {
    unreadable = dir.Write("locked.txt", "x").string();
    chmod(unreadable.c_str(), 0);
  }
  CommandResult result = RunLeaksweep(
      {"scan", unreadable, dir.path().string(), "--format", "json", "--fail-on-error"});
  CHECK(result.exit_code == 3);
  auto report = ParseJson(result.out);
  CHECK(report["findings"].size() == 1);
  REQUIRE(report["errors"].size() == 1);
  CHECK(report["errors"][0]["path"] == unreadable);
}

TEST_CASE("--output writes an owner-only report, even over an existing file") {
  TempDir dir;
  fs::path out = dir.path() / "report.sarif";
  std::ofstream(out) << "old";
  chmod(out.c_str(), 0644);
  CommandResult result =
      RunLeaksweep({"scan", "checkout", "-f", "sarif", "-o", out.string()}, CheckoutRunOptions());
  CHECK(result.exit_code == 1);
  CHECK(result.out.empty());
  struct stat info;
  REQUIRE(stat(out.c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0600);
  auto sarif = ParseJson(ReadFile(out));
  CHECK(sarif["version"] == "2.1.0");
}

TEST_CASE("standard input is scanned with -") {
  RunOptions options;
  options.stdin_text = "export TOKEN=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\n";
  CommandResult result = RunLeaksweep({"scan", "-", "--format", "jsonl"}, options);
  CHECK(result.exit_code == 1);
  auto finding = ParseJson(result.out);
  CHECK(finding["path"] == "-");
  CHECK(finding["rule_id"] == "github-classic-pat");
}

TEST_CASE("suppression: inline markers, config file, baseline") {
  TempDir dir;
  dir.Write("a.py", "key = 'AKIAQYLPMN5HFIQR7XYZ'\nother = 'AKIAZ5T3MNQ7RJ2XKW4P'\n");
  dir.Write("b.py", "mail = 'jane.roe@corp-mail.net'  # leaksweep:allow\n");
  dir.Write("vendor/c.py", "key = 'AKIA2XKW4PZ5T3MNQ7RJ'\n");
  CHECK(
      ParseJson(RunLeaksweep({"scan", dir.path().string(), "-f", "json"}).out)["findings"].size() ==
      3);

  dir.Write(".leaksweep.yaml",
            "skip_paths: ['vendor/**']\nallow_values: ['^AKIAZ5T3']\ndisable_rules: [jwt]\n");
  auto report = ParseJson(RunLeaksweep({"scan", dir.path().string(), "-f", "json"}).out);
  CHECK(report["findings"].size() == 1);
  CHECK(report["stats"]["suppressed_config"] == 1);
  CHECK(report["stats"]["suppressed_inline"] == 1);

  fs::path baseline = dir.path() / "baseline.json";
  CHECK(RunLeaksweep({"scan", dir.path().string(), "-f", "json", "-o", baseline.string()})
            .exit_code == 1);
  dir.Write("moved/a.py", "\n\n  key = 'AKIAQYLPMN5HFIQR7XYZ'\n");  // the same secret, moved
  CommandResult again =
      RunLeaksweep({"scan", dir.path().string(), "-f", "json", "--baseline", baseline.string()});
  CHECK(again.exit_code == 0);
  CHECK(ParseJson(again.out)["stats"]["suppressed_baseline"] == 2);

  dir.Write(".leaksweep.yaml", "skip_paths: vendor\n");
  CommandResult bad = RunLeaksweep({"scan", dir.path().string()});
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find(".leaksweep.yaml:1:") != std::string::npos);
}

TEST_CASE("hostile files: symlink loop, FIFO, binary, empty, 100 MB line") {
  TempDir dir;
  REQUIRE(symlink(".", (dir.path() / "loop").c_str()) == 0);
  REQUIRE(mkfifo((dir.path() / "fifo").c_str(), 0600) == 0);
  dir.Write("bin.dat", std::string("\0\0AKIAQYLPMN5HFIQR7XYZ", 22));
  dir.Write("empty.txt", "");
  std::string long_line(100 << 20, 'a');
  long_line += " AKIAZ5T3MNQ7RJ2XKW4P";
  dir.Write("long.txt", long_line);
  long_line.clear();
  auto report = ParseJson(RunLeaksweep({"scan", dir.path().string(), "-f", "json"}).out);
  CHECK(report["findings"].empty());  // long.txt is over the default 32 MiB limit
  CHECK(report["skipped"].size() == 4);

  CommandResult big = RunLeaksweep(
      {"scan", dir.path().string(), "-f", "json", "--max-file-size", "200M", "--scan-binary"});
  auto all = ParseJson(big.out);
  REQUIRE(all["findings"].size() == 2);
  CHECK(all["findings"][1]["column"] == (100 << 20) + 2);
  CHECK(all["findings"][1]["snippet"].get<std::string>().size() < 300);
}

TEST_CASE("a malformed rule file is a configuration error naming file and line") {
  TempDir dir;
  dir.Write("bad.yaml", "rules:\n  - id: my-rule\n    name: x\n    pattern: '(unclosed'\n");
  CommandResult result = RunLeaksweep({"scan", ".", "--rules", dir.path().string()});
  CHECK(result.exit_code == 2);
  CHECK(result.err.find("bad.yaml:2: rule 'my-rule'") != std::string::npos);
}

TEST_CASE("custom rules add to and override shipped rules by id") {
  TempDir rules, tree;
  rules.Write("custom.yaml", R"(rules:
  - id: acme-internal-token
    name: ACME internal token
    category: secret
    severity: critical
    pattern: '\b(acme_[a-z0-9]{16})\b'
    examples: ['t = acme_k3j9x2m8q7w1z5v0']
    negative_examples: ['t = acme_short']
  - id: email-address
    name: Email (disabled by override)
    category: pii
    severity: info
    pattern: '(NEVER-MATCHES-ANYTHING-[0-9]{40})'
    examples: ['NEVER-MATCHES-ANYTHING-0123456789012345678901234567890123456789']
    negative_examples: ['x']
)");
  tree.Write("a.txt", "t = acme_k3j9x2m8q7w1z5v0\nmail: jane.roe@corp-mail.net\n");
  auto report = ParseJson(
      RunLeaksweep({"scan", tree.path().string(), "-f", "json", "--rules", rules.path().string()})
          .out);
  REQUIRE(report["findings"].size() == 1);
  CHECK(report["findings"][0]["rule_id"] == "acme-internal-token");
}

// SIGINT while the scan waits on standard input (the last root, after a directory): the report
// is still written, holds what was scanned, and says it is incomplete; the exit code is 130.
TEST_CASE("SIGINT stops a scan cleanly: partial report marked incomplete") {
  TempDir dir;
  fs::path tree = dir.path() / "tree";
  for (int i = 0; i < 3; ++i) {
    dir.Write("tree/f" + std::to_string(i) + ".env",
              "AWS_ACCESS_KEY_ID=AKIAZ5T3MNQ7RJ2XKW4" + std::string(1, static_cast<char>('A' + i)) +
                  "\n");
  }
  fs::path report = dir.path() / "report.json", errors = dir.path() / "stderr.txt";
  int input[2];
  REQUIRE(pipe(input) == 0);
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    dup2(input[0], STDIN_FILENO);
    close(input[1]);
    int err = open(errors.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(err, STDERR_FILENO);
    setenv("LEAKSWEEP_FINGERPRINT_KEY", "test-key-not-secret", 1);
    setenv("LEAKSWEEP_CACHE_DIR", (dir.path() / "cache").c_str(), 1);
    setenv("LEAKSWEEP_SIGNATURES_DIR", (TestdataDir() / "golden-rules").c_str(), 1);
    execl(LEAKSWEEP_BINARY, LEAKSWEEP_BINARY, "scan", tree.c_str(), "-", "-j1", "--progress",
          "always", "-f", "json", "-o", report.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  close(input[0]);
  // Progress counting the three files means the directory is done and the one worker is
  // blocked reading standard input, with the signal watcher in place.
  auto wait_for = [&](const std::string& text) {
    for (int i = 0; i < 6000 && ReadFile(errors).find(text) == std::string::npos; ++i) {
      usleep(10 * 1000);
    }
    return ReadFile(errors).find(text) != std::string::npos;
  };
  CHECK(wait_for("scanned 3 files"));
  kill(pid, SIGINT);
  CHECK(wait_for("interrupted"));
  close(input[1]);  // end of input: the worker returns, and the scan ends early
  int status = 0;
  waitpid(pid, &status, 0);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 130);
  auto json = ParseJson(ReadFile(report));
  CHECK(json["incomplete"] == true);
  CHECK(json["findings"].size() == 3);
  CHECK(json["notes"][0].get<std::string>().find("incomplete") != std::string::npos);
  CHECK((fs::status(report).permissions() & fs::perms::group_all) == fs::perms::none);
}

TEST_CASE("a file of a million candidates: findings capped and reported, the scan goes on") {
  TempDir dir;
  std::string text;
  text.reserve(20 << 20);
  for (int i = 0; i < 1000000; ++i) {
    text.append("u")
        .append(std::to_string(i))
        .append("@ex")
        .append(std::to_string(i % 97))
        .append(".com\n");
  }
  dir.Write("many.txt", text);
  dir.Write("z.env", "AWS_ACCESS_KEY_ID=AKIAZ5T3MNQ7RJ2XKW4P\n");
  CommandResult result = RunLeaksweep({"scan", dir.path().string(), "-f", "json"});
  auto report = ParseJson(result.out);
  size_t from_many = 0, from_env = 0;
  for (const auto& finding : report["findings"]) {
    (finding["path"].get<std::string>().find("many.txt") != std::string::npos ? from_many
                                                                              : from_env)++;
  }
  CHECK(from_many > 0);
  CHECK(from_many <= 10000);
  CHECK(from_env == 1);
  REQUIRE(report["errors"].size() == 1);
  CHECK(report["errors"][0]["message"].get<std::string>().find("truncated") != std::string::npos);
}

TEST_CASE("a user rule that backtracks catastrophically is reported and the scan goes on") {
  TempDir dir;
  dir.Write("rules/evil.yaml", R"(rules:
  - id: evil-backtracking
    name: Catastrophic backtracking
    category: secret
    severity: high
    pattern: '(a|aa)+$'
    prefilter: 'aaaa'
    max_match_length: 100000
    examples: ['aaa']
    negative_examples: ['b!']
)");
  dir.Write("input/a.txt", std::string(5000, 'a') + "!\nAWS_ACCESS_KEY_ID=AKIAZ5T3MNQ7RJ2XKW4P\n");
  CommandResult result =
      RunLeaksweep({"scan", (dir.path() / "input").string(), "--rules",
                    (dir.path() / "rules").string(), "-f", "json", "--fail-on-error"});
  CHECK(result.exit_code == 3);
  auto report = ParseJson(result.out);
  REQUIRE(report["findings"].size() == 1);
  CHECK(report["findings"][0]["rule_id"] == "aws-access-key-id");
  REQUIRE(report["errors"].size() == 1);
  CHECK(report["errors"][0]["message"].get<std::string>().find("evil-backtracking") !=
        std::string::npos);
}

TEST_CASE("file names with newlines, escape sequences and invalid UTF-8 cannot forge output") {
  TempDir dir;
  const std::string newline_name = "a\nFAKE finding.env";
  const std::string escape_name = "b\x1b]0;owned\x07\x1b[2J.env";
  const std::string latin1_name = "c\xe9\xff.env";
  for (const std::string& name : {newline_name, escape_name, latin1_name}) {
    dir.Write(name, "AWS_ACCESS_KEY_ID=AKIAZ5T3MNQ7RJ2XKW4P\n");
  }
  CommandResult human = RunLeaksweep({"scan", dir.path().string(), "--color", "never"});
  CHECK(human.exit_code == 1);
  CHECK(human.out.find('\x1b') == std::string::npos);  // no raw escape reaches a terminal
  CHECK(human.out.find('\x07') == std::string::npos);
  CHECK(human.out.find("\nFAKE finding") == std::string::npos);  // no forged line
  for (const char* format : {"json", "sarif"}) {
    CommandResult result = RunLeaksweep({"scan", dir.path().string(), "-f", format});
    auto report = ParseJson(result.out);  // valid JSON whatever the bytes in the names
    CHECK_FALSE(report.is_discarded());
  }
  CommandResult lines = RunLeaksweep({"scan", dir.path().string(), "-f", "jsonl"});
  CHECK(std::count(lines.out.begin(), lines.out.end(), '\n') == 3);  // one line per finding
}

TEST_CASE("a 2 GiB sparse file is skipped by size without being read; devices are never opened") {
  TempDir dir;
  { std::ofstream(dir.path() / "sparse.bin"); }
  fs::resize_file(dir.path() / "sparse.bin", uint64_t{2} << 30);
  dir.Write("z.env", "AWS_ACCESS_KEY_ID=AKIAZ5T3MNQ7RJ2XKW4P\n");
  REQUIRE(symlink("/dev/zero", (dir.path() / "zero-link").c_str()) == 0);
  auto report = ParseJson(RunLeaksweep({"scan", dir.path().string(), "-f", "json"}).out);
  CHECK(report["findings"].size() == 1);
  std::set<std::string> reasons;
  for (const auto& skipped : report["skipped"]) reasons.insert(skipped["reason"]);
  CHECK(reasons.count("too-large") == 1);
  CHECK(reasons.count("symlink") == 1);
  // Named explicitly, a device is reported and skipped, not read forever.
  auto device = ParseJson(RunLeaksweep({"scan", "/dev/zero", "-f", "json"}).out);
  CHECK(device["skipped"].size() == 1);
}

TEST_CASE("a million tiny files are scanned with every finding kept") {
  // On tmpfs when there is one (creating a million files on ext4 takes minutes).
  char shm_template[] = "/dev/shm/leaksweep-many-XXXXXX";
  TempDir fallback;
  std::string base = mkdtemp(shm_template) != nullptr ? shm_template : fallback.path().string();
  constexpr int kDirs = 1000, kFilesPerDir = 1000;
  static const std::string kLine = "AWS_ACCESS_KEY_ID=AKIAZ5T3MNQ7RJ2XKW4P\n";
  int failures = 0;
  for (int d = 0; d < kDirs; ++d) {
    std::string sub = base + "/d" + std::to_string(d);
    failures += mkdir(sub.c_str(), 0700) != 0;
    for (int f = 0; f < kFilesPerDir; ++f) {
      std::string path = sub + "/f" + std::to_string(f);
      int fd = open(path.c_str(), O_WRONLY | O_CREAT, 0600);
      failures += fd < 0;
      if (f == 0) failures += write(fd, kLine.data(), kLine.size()) != ssize_t(kLine.size());
      close(fd);
    }
  }
  REQUIRE(failures == 0);
  CommandResult result = RunLeaksweep({"scan", base, "-f", "jsonl", "-j", "2"});
  CHECK(result.exit_code == 1);
  CHECK(std::count(result.out.begin(), result.out.end(), '\n') == kDirs);
  if (base != fallback.path().string()) fs::remove_all(base);
}
