// The command-line front end: one class per subcommand behind RunCli's dispatch.
//
//   leaksweep scan [PATH...]      scan files and directories (a checkout)
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

class ScanCommand {
 public:
  explicit ScanCommand(CLI::App& parent);
  bool selected() const { return command_->parsed(); }
  int Run();

 private:
  CLI::App* command_;
  std::vector<std::string> paths_{"."};
  std::string format_ = "human";
  std::string output_;
  bool show_secrets_ = false;
  std::vector<std::string> rule_paths_;
  std::string config_;
  std::string baseline_;
  std::string fail_on_ = "low";
  bool fail_on_error_ = false;
  unsigned threads_ = 0;  // 0: all cores
  std::string max_file_size_ = "32M";
  bool scan_binary_ = false;
  std::vector<std::string> excludes_, includes_;
  bool no_cache_ = false;
  std::string color_ = "auto";
  std::string progress_ = "auto";
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
