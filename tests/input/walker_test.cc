#include "leaksweep/input/walker.h"

#include <fcntl.h>

#include <doctest/doctest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <unistd.h>
#include <cstdio>
#include <cstring>

#include "leaksweep/input/file_reader.h"
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

TEST_CASE("a tree 10,000 directories deep is walked and its deepest file read") {
  // The deepest path is ~20,000 bytes, far past PATH_MAX: the walk must neither recurse 10,000
  // frames deep nor rely on open() accepting the whole path.
  constexpr int kDepth = 10000;
  // On tmpfs when there is one: ext4 takes ~20 s to create and delete 10,000 nested directories.
  char shm_template[] = "/dev/shm/leaksweep-deep-XXXXXX";
  TempDir fallback;
  std::string base = mkdtemp(shm_template) != nullptr ? shm_template : fallback.path().string();
  int fd = open(base.c_str(), O_RDONLY | O_DIRECTORY);
  REQUIRE(fd >= 0);
  for (int level = 0; level < kDepth && fd >= 0; ++level) {
    int next = mkdirat(fd, "d", 0700) == 0 ? openat(fd, "d", O_RDONLY | O_DIRECTORY) : -1;
    close(fd);
    fd = next;
  }
  REQUIRE(fd >= 0);
  int file = openat(fd, "deep.txt", O_WRONLY | O_CREAT, 0600);
  REQUIRE(file >= 0);
  REQUIRE(write(file, "bottom", 6) == 6);
  close(file);
  close(fd);

  struct PathRecorder : Recorder {
    std::vector<std::string> paths;
    bool OnFile(WalkedFile file) override {
      paths.push_back(file.path);
      return Recorder::OnFile(file);
    }
  } recorder;
  Walk({base}, {}, recorder);
  REQUIRE(recorder.files.size() == 1);
  CHECK(recorder.errors.empty());
  CHECK(recorder.files[0].size() == kDepth * 2 + std::strlen("deep.txt"));
  std::string storage;
  ReadResult read = ReadFileForScan(recorder.paths[0], ReadOptions{}, &storage);
  CHECK(read.outcome == ReadOutcome::kRead);
  CHECK(read.text == "bottom");
  // Removal: std::filesystem cannot remove paths this long, and rm -rf takes half a minute.
  // Pull the chain up one level at a time instead.
  int root = open(base.c_str(), O_RDONLY | O_DIRECTORY);
  while (renameat(root, "d/d", root, "t") == 0) {
    unlinkat(root, "d", AT_REMOVEDIR);
    renameat(root, "t", root, "d");
  }
  unlinkat(root, "d/deep.txt", 0);
  CHECK(unlinkat(root, "d", AT_REMOVEDIR) == 0);
  close(root);
  if (base != fallback.path().string()) rmdir(base.c_str());
}
