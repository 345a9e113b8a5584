// What every subcommand shares: exit codes, loading rules into an engine, opening the report
// destination. Errors are returned as Status; subcommands turn them into exit code 2.
#ifndef LEAKSWEEP_CLI_COMMON_H_
#define LEAKSWEEP_CLI_COMMON_H_

#include <fstream>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "leaksweep/cli/interrupts.h"
#include "leaksweep/core/report_data.h"
#include "leaksweep/core/status.h"
#include "leaksweep/match/engine.h"
#include "leaksweep/pipeline/findings.h"
#include "leaksweep/policy/policy.h"
#include "leaksweep/report/writer.h"
#include "leaksweep/rules/rule.h"

namespace leaksweep {

enum ExitCode : int {
  kExitClean = 0,      // no findings at or above --fail-on
  kExitFindings = 1,   // findings at or above --fail-on (or a failing `rules check`)
  kExitUsage = 2,      // usage or configuration error
  kExitScanError = 3,  // with --fail-on-error: a file or object could not be read
};

// Shipped signatures, then each --rules path in order (later ones override by id), minus the
// rules in `disabled` (unknown ids are reported as warnings on stderr).
Result<RuleSet> LoadRuleSet(const std::vector<std::string>& extra_rule_paths,
                            const std::vector<std::string>& disabled);

Result<std::shared_ptr<const Engine>> BuildEngine(RuleSet rules, bool use_cache);

// Where a report goes: standard output, or a file created owner-only (0600, also when it
// already existed) and truncated.
class ReportDestination {
 public:
  static Result<std::unique_ptr<ReportDestination>> Open(const std::string& path);
  std::ostream& stream() { return file_.is_open() ? static_cast<std::ostream&>(file_) : *stdout_; }
  bool is_terminal() const { return terminal_; }
  // Flushes and reports a write error (e.g. disk full).
  Status Close();

 private:
  std::ofstream file_;
  std::ostream* stdout_ = nullptr;
  bool terminal_ = false;
  std::string path_;
};

// Parses sizes such as 32M, 512K, 1G, 1048576.
Result<uint64_t> ParseSize(const std::string& text);

struct ScanFlags;

// Everything a scan needs besides its input, validated and loaded from ScanFlags: the report
// writer (on its destination), the engine, the policy, the fingerprint key.
struct ScanSetup {
  ReportFormat format = ReportFormat::kHuman;
  ProjectConfig config;
  Severity fail_on = Severity::kLow;
  uint64_t max_file_size = 0;
  unsigned threads = 1;
  bool progress = false;
  std::shared_ptr<const Engine> engine;
  Policy policy;
  std::optional<FingerprintKey> key;
  std::unique_ptr<ReportDestination> destination;
  std::unique_ptr<ReportWriter> writer;
  // SIGINT/SIGTERM end the scan early with a report marked incomplete (exit code 128 + signal).
  std::unique_ptr<InterruptWatcher> interrupts;
};

// `config_roots`: where to look for .leaksweep.yaml when --config is not given. Without
// `complete`, PrepareScan checks the flags, reads the configuration and decides threads and
// progress, then stops before the slow part (loading the rules, building the engine) and
// before anything is written: CompleteScanSetup does the rest, after the caller has started
// work that needs neither (a history walk). With `yield`, CompleteScanSetup loads the rules and
// builds the engine on a thread of lower priority (where the system allows it), so that the work
// started meanwhile keeps the cores it needs and the build takes what they leave; it returns
// when that is done, as without.
Result<ScanSetup> PrepareScan(const ScanFlags& flags, const std::vector<std::string>& config_roots,
                              bool complete = true);
Status CompleteScanSetup(const ScanFlags& flags, ScanSetup* setup, bool yield = false);

// Wraps the setup's writer, remembering the severities it reported, for the exit code.
class SeverityTracker : public ReportWriter {
 public:
  explicit SeverityTracker(ReportWriter& inner) : inner_(inner) {}
  void AddFinding(const Finding& finding) override;
  void Flush() override { inner_.Flush(); }
  void Finish(const ScanSummary& summary) override { inner_.Finish(summary); }
  bool AnyAtOrAbove(Severity threshold) const;

 private:
  ReportWriter& inner_;
  std::vector<Severity> severities_;
};

// Closes the report and turns the outcome into an exit code (128 + the signal when interrupted).
int FinishScan(ScanSetup& setup, const ScanFlags& flags, const ScanSummary& summary,
               const SeverityTracker& tracker);

// Prints "leaksweep: MESSAGE" on stderr and returns kExitUsage.
int ConfigError(const std::string& message);

}  // namespace leaksweep

#endif  // LEAKSWEEP_CLI_COMMON_H_
