// Helpers shared by the tests: temporary directories, files, and running the real binary.
#ifndef LEAKSWEEP_TESTS_TEST_UTIL_H_
#define LEAKSWEEP_TESTS_TEST_UTIL_H_

#include <filesystem>
#include <string>
#include <vector>

namespace leaksweep::testing {

// A fresh directory under the system temp dir, removed (with its contents) on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  // Writes `content` to path()/relative, creating parent directories; returns the full path.
  std::filesystem::path Write(const std::string& relative, const std::string& content) const;

 private:
  std::filesystem::path path_;
};

std::string ReadFile(const std::filesystem::path& path);

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

struct RunOptions {
  std::string stdin_text;
  std::vector<std::string> env;  // NAME=VALUE, added to the environment
  std::string cwd;               // empty: the current directory
};

// Runs argv (no shell) and captures stdout and stderr.
CommandResult Run(const std::vector<std::string>& argv, const RunOptions& options = {});

// Runs git in `dir` as "Ann Dev <ann@corp-mail.net>" with fixed dates (so commit ids repeat),
// no signing and no automatic gc; REQUIREs success and returns standard output.
std::string RunGit(const std::filesystem::path& dir, const std::vector<std::string>& args,
                   const std::string& stdin_text = "");

// Runs the built leaksweep binary with an isolated cache directory and fingerprint key.
CommandResult RunLeaksweep(const std::vector<std::string>& args, RunOptions options = {});

// Source-tree paths.
std::filesystem::path SourceDir();
std::filesystem::path TestdataDir();
std::filesystem::path SignaturesDir();

}  // namespace leaksweep::testing

#endif  // LEAKSWEEP_TESTS_TEST_UTIL_H_
