// ParsePlainCommit against libgit2 itself: every commit it accepts must come out exactly as
// libgit2 reads it (author, e-mail, time, offset, summary, message, tree), over hand-written
// odd commits and thousands of random ones built from the pieces real commits are made of.
#include "input/commit_parse.h"

#include <doctest/doctest.h>
#include <git2.h>

#include <string>
#include <vector>

#include "test_util.h"

namespace leaksweep {
namespace {

using testing::TempDir;

constexpr const char* kTree = "tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n";

// A repository whose object database takes raw commits as they are (no validation).
class RawCommits {
 public:
  RawCommits() {
    git_libgit2_init();
    REQUIRE(git_repository_init(&repo_, dir_.path().c_str(), 1) == 0);
    REQUIRE(git_repository_odb(&odb_, repo_) == 0);
  }
  ~RawCommits() {
    git_odb_free(odb_);
    git_repository_free(repo_);
    git_libgit2_shutdown();
  }

  // Compares ParsePlainCommit with libgit2 on `raw`; returns whether the plain parser took it.
  bool Check(const std::string& raw) {
    INFO("commit: " << raw);
    git_oid id;
    REQUIRE(git_odb_write(&id, odb_, raw.data(), raw.size(), GIT_OBJECT_COMMIT) == 0);
    std::optional<PlainCommit> plain = ParsePlainCommit(raw, true);
    git_commit* commit = nullptr;
    if (git_commit_lookup(&commit, repo_, &id) != 0) {
      CHECK_FALSE(plain.has_value());  // libgit2 refuses it: so must the plain parser
      return false;
    }
    if (plain) {
      const git_signature* author = git_commit_author(commit);
      CHECK(plain->author_name == author->name);
      CHECK(plain->author_email == author->email);
      CHECK(plain->time == author->when.time);
      CHECK(plain->offset_minutes == author->when.offset);
      const char* summary = git_commit_summary(commit);
      CHECK(plain->summary == (summary != nullptr ? summary : ""));
      CHECK(plain->message == git_commit_message(commit));
      CHECK(std::equal(plain->tree.bytes.begin(), plain->tree.bytes.end(),
                       git_commit_tree_id(commit)->id));
    }
    git_commit_free(commit);
    return plain.has_value();
  }

 private:
  TempDir dir_;
  git_repository* repo_ = nullptr;
  git_odb* odb_ = nullptr;
};

std::string PlainHeader(const std::string& author) {
  return std::string(kTree) + "author " + author + "\ncommitter C O <c@o.test> 1700000000 +0000\n";
}

TEST_CASE("plain commits parse exactly as libgit2 reads them; others are left to it") {
  RawCommits commits;
  // Taken by the plain parser.
  CHECK(commits.Check(PlainHeader("A U Thor <a@u.test> 1700000000 +0130") + "\nSubject\n\nBody\n"));
  CHECK(
      commits.Check(std::string(kTree) +
                    "parent 1111111111111111111111111111111111111111\n"
                    "parent 2222222222222222222222222222222222222222\n"
                    "author Ünïcode Näme <u@n.test> 1 -1200\n"
                    "committer C <c@o.test> 2 +0000\n"
                    "encoding ISO-8859-1\n"
                    "gpgsig -----BEGIN PGP SIGNATURE-----\n \n abc\n -----END PGP SIGNATURE-----\n"
                    "\n\n\n  leading blank lines\tand a tab\nsecond line\n \t\nnext paragraph\n"));
  CHECK(commits.Check(PlainHeader("A <> 1700000000 +0000") + "\nno e-mail\n"));
  CHECK(commits.Check(PlainHeader("A <a@u.test> 1700000000 +9999") + "\nodd zone: no offset\n"));
  CHECK(commits.Check(PlainHeader("A <a@u.test> 1700000000 -0060") + "\nminutes over 59\n"));
  CHECK(commits.Check(PlainHeader("A <a@u.test> 1700000000 +1400") + "\n"));
  CHECK(commits.Check(PlainHeader("A <a@u.test> 1700000000 +0000")));  // no message at all
  CHECK(commits.Check(PlainHeader("A <a@u.test> 1700000000 +0000") + "\nline\r\nwith CR\r\n"));
  CHECK(commits.Check(PlainHeader("A <a@u.test> 1700000000 +0000") +
                      std::string("\nNUL\0after\n", 11)));
  CHECK(commits.Check(PlainHeader("A <a@u.test> 1700000000 +0000") + "\n\v\fform feeds\n"));
  // Left to libgit2.
  CHECK_FALSE(commits.Check(PlainHeader("Philip H. <p@h.test> 1700000000 +0000") + "\nx\n"));
  CHECK_FALSE(commits.Check(PlainHeader("A <a@u.test>") + "\nno date\n"));
  CHECK_FALSE(commits.Check(PlainHeader("A  <a@u.test> 1 +0000") + "\ntwo spaces\n"));
  CHECK_FALSE(commits.Check(PlainHeader("A <a@u.test> 1 +000") + "\nshort zone\n"));
  CHECK_FALSE(commits.Check(PlainHeader("<a@u.test> 1 +0000") + "\nno name\n"));
  CHECK_FALSE(commits.Check(PlainHeader("A <b> <a@u.test> 1 +0000") + "\ntwo addresses\n"));
  CHECK_FALSE(commits.Check(std::string(kTree) + "author A <a@u.test> 1 +0000\n" +
                            "author B <b@u.test> 2 +0000\n" +
                            "committer C <c@o.test> 3 +0000\n\ntwo authors\n"));
  CHECK_FALSE(
      commits.Check("tree 4B825DC642CB6EB9A060E54BF8D69288FBEE4904\n"
                    "author A <a@u.test> 1 +0000\ncommitter C <c@o.test> 1 +0000\n\nx\n"));
  CHECK_FALSE(commits.Check(std::string(kTree) + "author A <a@u.test> 1 +0000\n\nno committer\n"));
}

// Random commits from the pieces real ones (and damaged ones) are made of: whatever the plain
// parser takes must match libgit2.
TEST_CASE("random commits: what the plain parser takes matches libgit2") {
  RawCommits commits;
  uint64_t state = 0x9e3779b97f4a7c15ull;
  auto next = [&state](size_t n) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return static_cast<size_t>(state % n);
  };
  const std::vector<std::string> names = {"A U Thor", "Ann",   "Émile Zola", "x.",    ".x",   "a,b",
                                          "O'Brien",  "\"Q\"", " sp",        "tab\t", "A  B", ""};
  const std::vector<std::string> emails = {"a@u.test", "", " a@u.test", "a@u.test.", "<a>", "a b"};
  const std::vector<std::string> times = {"0", "1700000000", "-5", "99999999999999999999",
                                          "",  "12a",        "007"};
  const std::vector<std::string> zones = {"+0000",  "-0130", "+1400", "+1500", "-0099",
                                          "+99999", "0100",  "+01",   "",      "+ 0100"};
  const std::vector<std::string> bits = {"Subject",
                                         " ",
                                         "\t",
                                         "\n",
                                         "\n\n",
                                         " \n",
                                         "\r",
                                         "\v",
                                         "\f",
                                         "word",
                                         "é",
                                         "\n \t\n",
                                         std::string(1, '\0'),
                                         "x"};
  size_t taken = 0;
  for (int i = 0; i < 3000; ++i) {
    std::string author = names[next(names.size())] + (next(8) == 0 ? "" : " ") + "<" +
                         emails[next(emails.size())] + ">" + (next(8) == 0 ? "" : " ") +
                         times[next(times.size())] + (next(8) == 0 ? "" : " ") +
                         zones[next(zones.size())];
    std::string message;
    for (size_t n = next(12); n > 0; --n) message += bits[next(bits.size())];
    std::string raw = PlainHeader(author);
    if (next(10) == 0) raw += "extra header\n";
    if (next(4) != 0) raw += "\n" + message;
    if (commits.Check(raw)) ++taken;
  }
  CHECK(taken > 50);  // the generator reaches the plain form, not only its refusals
}

}  // namespace
}  // namespace leaksweep
