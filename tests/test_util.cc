#include "test_util.h"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

extern char** environ;

namespace leaksweep::testing {
namespace fs = std::filesystem;

TempDir::TempDir() {
  std::string pattern = (fs::temp_directory_path() / "leaksweep-test-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  // Restore permissions a test may have removed, so that removal succeeds.
  for (auto it = fs::recursive_directory_iterator(
           path_, fs::directory_options::skip_permission_denied, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_directory(ec) && !it->is_symlink(ec)) {
      fs::permissions(it->path(), fs::perms::owner_all, fs::perm_options::add, ec);
    }
  }
  fs::permissions(path_, fs::perms::owner_all, fs::perm_options::add, ec);
  fs::remove_all(path_, ec);
}

fs::path TempDir::Write(const std::string& relative, const std::string& content) const {
  fs::path full = path_ / relative;
  fs::create_directories(full.parent_path());
  std::ofstream out(full, std::ios::binary);
  out << content;
  return full;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

CommandResult Run(const std::vector<std::string>& argv, const RunOptions& options) {
  const std::string& stdin_text = options.stdin_text;
  const std::vector<std::string>& env = options.env;
  int in_pipe[2], out_pipe[2], err_pipe[2];
  if (pipe2(in_pipe, O_CLOEXEC) || pipe2(out_pipe, O_CLOEXEC) || pipe2(err_pipe, O_CLOEXEC)) {
    throw std::runtime_error("pipe failed");
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in_pipe[0], 0);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);
  if (!options.cwd.empty()) posix_spawn_file_actions_addchdir_np(&actions, options.cwd.c_str());

  std::vector<std::string> env_strings;
  auto overridden = [&](const std::string& entry) {
    std::string name = entry.substr(0, entry.find('=') + 1);
    for (const auto& extra : env) {
      if (extra.compare(0, name.size(), name) == 0) return true;
    }
    return false;
  };
  for (char** e = environ; *e; ++e) {
    if (!overridden(*e)) env_strings.emplace_back(*e);
  }
  // Later entries of `env` win over earlier ones with the same name.
  std::vector<std::string> seen_names;
  for (auto it = env.rbegin(); it != env.rend(); ++it) {
    std::string name = it->substr(0, it->find('=') + 1);
    if (std::find(seen_names.begin(), seen_names.end(), name) != seen_names.end()) continue;
    seen_names.push_back(name);
    env_strings.push_back(*it);
  }
  std::vector<char*> envp, args;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::vector<std::string> argv_copy = argv;
  for (auto& s : argv_copy) args.push_back(s.data());
  args.push_back(nullptr);

  pid_t pid;
  int spawn_error = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  close(in_pipe[0]);
  close(out_pipe[1]);
  close(err_pipe[1]);
  if (spawn_error != 0) {
    close(in_pipe[1]);
    close(out_pipe[0]);
    close(err_pipe[0]);
    throw std::runtime_error("cannot run " + argv[0]);
  }

  CommandResult result;
  size_t written = 0;
  int stdin_fd = in_pipe[1];
  if (stdin_text.empty()) {
    close(stdin_fd);
    stdin_fd = -1;
  } else {
    fcntl(stdin_fd, F_SETFL, O_NONBLOCK);
  }
  bool out_open = true, err_open = true;
  char buffer[65536];
  while (out_open || err_open) {
    pollfd fds[3] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}, {stdin_fd, POLLOUT, 0}};
    if (!out_open) fds[0].fd = -1;
    if (!err_open) fds[1].fd = -1;
    if (poll(fds, 3, -1) < 0) break;
    if (fds[2].revents & (POLLOUT | POLLERR | POLLHUP)) {
      ssize_t n = write(stdin_fd, stdin_text.data() + written, stdin_text.size() - written);
      if (n > 0) written += n;
      if (n < 0 || written == stdin_text.size()) {
        close(stdin_fd);
        stdin_fd = -1;
      }
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) {
        ssize_t n = read(fds[i].fd, buffer, sizeof buffer);
        if (n <= 0) {
          (i == 0 ? out_open : err_open) = false;
        } else {
          (i == 0 ? result.out : result.err).append(buffer, n);
        }
      }
    }
  }
  if (stdin_fd >= 0) close(stdin_fd);
  close(out_pipe[0]);
  close(err_pipe[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  // In sanitizer builds the child (leaksweep) is instrumented too: its report fails the test
  // here, also in tests that look only at stdout or expect a non-zero exit code.
  // (UBSan prints no SUMMARY line when it halts.)
  for (std::string mark : {"SUMMARY: AddressSanitizer", "SUMMARY: LeakSanitizer",
                           "SUMMARY: ThreadSanitizer", ": runtime error: "}) {
    if (result.err.find(mark) != std::string::npos) {
      FAIL_CHECK("sanitizer report from " << argv[0] << ":\n" << result.err);
      break;
    }
  }
  return result;
}

std::string RunGit(const fs::path& dir, const std::vector<std::string>& args,
                   const std::string& stdin_text) {
  std::vector<std::string> argv = {"git",
                                   "-C",
                                   dir.string(),
                                   "-c",
                                   "user.name=Ann Dev",
                                   "-c",
                                   "user.email=ann@corp-mail.net",
                                   "-c",
                                   "commit.gpgsign=false",
                                   "-c",
                                   "gc.auto=0"};
  argv.insert(argv.end(), args.begin(), args.end());
  RunOptions options;
  options.stdin_text = stdin_text;
  options.env = {"GIT_AUTHOR_DATE=2024-03-01T10:00:00+00:00",
                 "GIT_COMMITTER_DATE=2024-03-01T10:00:00+00:00"};
  CommandResult result = Run(argv, options);
  INFO("git " << args[0] << ": " << result.err);
  REQUIRE(result.exit_code == 0);
  return result.out;
}

CommandResult RunLeaksweep(const std::vector<std::string>& args, RunOptions options) {
  // One cache per test binary, like a real user's; removed when the binary exits.
  static TempDir cache;
  std::vector<std::string> argv = {LEAKSWEEP_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  options.env.insert(options.env.begin(),
                     {"LEAKSWEEP_CACHE_DIR=" + cache.path().string(),
                      "LEAKSWEEP_FINGERPRINT_KEY=test-key-not-secret", "NO_COLOR=1"});
  return Run(argv, options);
}

fs::path SourceDir() { return LEAKSWEEP_SOURCE_DIR; }
fs::path TestdataDir() { return SourceDir() / "testdata"; }
fs::path SignaturesDir() { return SourceDir() / "signatures"; }

}  // namespace leaksweep::testing
