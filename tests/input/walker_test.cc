#include "leaksweep/input/walker.h"

#include <doctest/doctest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <unistd.h>
#include <cstring>

#include "test_util.h"

using namespace leaksweep;
using leaksweep::testing::TempDir;

namespace {

struct Recorder : WalkVisitor {
  std::vector<std::string> files;
  std::vector<std::pair<std::string, SkipReason>> skipped;
  std::vector<std::string> errors;
  bool OnFile(WalkedFile file) override {
    files.push_back(file.relative);
    return true;
  }
  void OnSkip(SkippedFile s) override { skipped.emplace_back(s.path, s.reason); }
  void OnError(ScanError e) override { errors.push_back(e.path); }
};

Recorder WalkDir(const TempDir& dir, WalkOptions options = {}) {
  Recorder recorder;
  Walk({dir.path().string()}, options, recorder);
  return recorder;
}

}  // namespace

TEST_CASE("files are visited in sorted order and .git is skipped") {
  TempDir dir;
  dir.Write("b.txt", "b");
  dir.Write("a/z.txt", "z");
  dir.Write("a/b.txt", "b");
  dir.Write(".git/config", "x");
  dir.Write("sub/.git/HEAD", "x");
  dir.Write(".gitignore", "x");
  auto walked = WalkDir(dir);
  CHECK(walked.files == std::vector<std::string>{".gitignore", "a/b.txt", "a/z.txt", "b.txt"});
}

TEST_CASE("symlinks are never followed, loops and links out of the root included") {
  TempDir dir, outside;
  outside.Write("secret.txt", "outside");
  dir.Write("real/file.txt", "x");
  REQUIRE(symlink(outside.path().c_str(), (dir.path() / "out").c_str()) == 0);
  REQUIRE(symlink((outside.path() / "secret.txt").c_str(), (dir.path() / "out.txt").c_str()) == 0);
  REQUIRE(symlink(".", (dir.path() / "real/loop").c_str()) == 0);
  auto walked = WalkDir(dir);
  CHECK(walked.files == std::vector<std::string>{"real/file.txt"});
  CHECK(walked.skipped.size() == 3);
  for (const auto& [path, reason] : walked.skipped) CHECK(reason == SkipReason::kSymlink);
}

TEST_CASE("FIFOs and sockets are reported as skipped, never opened") {
  TempDir dir;
  dir.Write("a.txt", "x");
  REQUIRE(mkfifo((dir.path() / "pipe").c_str(), 0600) == 0);
  int sock = socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::string sock_path = (dir.path() / "sock").string();
  REQUIRE(sock_path.size() < sizeof(address.sun_path));
  std::strcpy(address.sun_path, sock_path.c_str());
  REQUIRE(bind(sock, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  auto walked = WalkDir(dir);
  close(sock);
  CHECK(walked.files == std::vector<std::string>{"a.txt"});
  REQUIRE(walked.skipped.size() == 2);
  CHECK(walked.skipped[0].second == SkipReason::kSpecialFile);
  CHECK(walked.skipped[1].second == SkipReason::kSpecialFile);
}

TEST_CASE("include and exclude globs") {
  TempDir dir;
  dir.Write("src/a.py", "x");
  dir.Write("src/b.js", "x");
  dir.Write("vendor/c.py", "x");
  WalkOptions options;
  options.exclude.emplace_back("vendor");
  options.include.emplace_back("*.py");
  CHECK(WalkDir(dir, options).files == std::vector<std::string>{"src/a.py"});
}

TEST_CASE("an unreadable directory is an error and the walk goes on") {
  if (geteuid() == 0) {
    // root reads everything; simulate with a directory that vanishes instead.
    Recorder recorder;
    Walk({"/nonexistent-leaksweep-dir"}, {}, recorder);
    CHECK(recorder.errors.size() == 1);
    return;
  }
  TempDir dir;
  dir.Write("locked/a.txt", "x");
  dir.Write("open/b.txt", "x");
  chmod((dir.path() / "locked").c_str(), 0);
  auto walked = WalkDir(dir);
  CHECK(walked.files == std::vector<std::string>{"open/b.txt"});
  CHECK(walked.errors.size() == 1);
}

TEST_CASE("display paths drop a leading ./ and keep the root otherwise") {
  TempDir dir;
  dir.Write("x/a.txt", "x");
  struct PathRecorder : Recorder {
    std::vector<std::string> paths;
    bool OnFile(WalkedFile file) override {
      paths.push_back(file.path);
      return true;
    }
  } recorder;
  Walk({(dir.path() / "x").string() + "/"}, {}, recorder);
  CHECK(recorder.paths == std::vector<std::string>{(dir.path() / "x" / "a.txt").string()});
}
