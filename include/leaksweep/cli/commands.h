// The command-line front end: one class per subcommand behind RunCli's dispatch.
//
//   leaksweep scan [PATH...]      scan files and directories (a checkout)
//   leaksweep git [REPO]          scan a repository's whole history
//   leaksweep rules list          list the loaded rules
//   leaksweep rules check [DIR]   load, compile and run every rule's examples
//
// A subcommand registers its flags on the parent app in its constructor (raw flags), then
// Run() validates them into the library's option structs and runs the work.
#ifndef LEAKSWEEP_CLI_COMMANDS_H_
#define LEAKSWEEP_CLI_COMMANDS_H_

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace leaksweep {

int RunCli(int argc, char** argv);

// Flags shared by every command that scans (scan, git): raw, as typed.
struct ScanFlags {
  std::string format = "human";
  std::string output;
  bool show_secrets = false;
  std::vector<std::string> rule_paths;
  std::string config;
  std::string baseline;
  std::string fail_on = "low";
  bool fail_on_error = false;
  unsigned threads = 0;  // 0: all cores
  std::string max_file_size = "32M";
  bool scan_binary = false;
  bool no_cache = false;
  std::string color = "auto";
  std::string progress = "auto";

  void Register(CLI::App* command);
};

class ScanCommand {
 public:
  explicit ScanCommand(CLI::App& parent);
  bool selected() const { return command_->parsed(); }
  int Run();

 private:
  CLI::App* command_;
  ScanFlags flags_;
  std::vector<std::string> paths_{"."};
  std::vector<std::string> excludes_, includes_;
};

class GitCommand {
 public:
  explicit GitCommand(CLI::App& parent);
  bool selected() const { return command_->parsed(); }
  int Run();

 private:
  CLI::App* command_;
  ScanFlags flags_;
  std::string repository_ = ".";
  std::vector<std::string> revisions_;
  std::string since_commit_;
  bool all_objects_ = false;
  bool scan_messages_ = false;
  bool no_delta_reuse_ = false;
  bool timings_ = false;
};

class RulesCommand {
 public:
  explicit RulesCommand(CLI::App& parent);
  bool selected() const { return command_->parsed(); }
  int Run();

 private:
  int List();
  int Check();

  CLI::App* command_;
  CLI::App* list_;
  CLI::App* check_;
  std::vector<std::string> rule_paths_;
  std::string check_dir_;
  bool no_cache_ = false;
};

}  // namespace leaksweep

#endif  // LEAKSWEEP_CLI_COMMANDS_H_
