#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <thread>

#include "leaksweep/cli/commands.h"
#include "leaksweep/cli/common.h"
#include "leaksweep/pipeline/checkout_scan.h"
#include "leaksweep/policy/policy.h"

namespace leaksweep {
namespace fs = std::filesystem;
namespace {

// Hyperscan scans buffers of at most 4 GiB - 1 bytes in one call.
constexpr uint64_t kLargestScannableFile = (4ull << 30) - 1;

Result<ProjectConfig> FindProjectConfig(const std::string& explicit_path,
                                        const std::vector<std::string>& roots) {
  if (!explicit_path.empty()) return LoadProjectConfig(explicit_path);
  for (const std::string& root : roots) {
    std::error_code ec;
    if (root == "-" || !fs::is_directory(root, ec)) continue;
    fs::path candidate = fs::path(root) / ".leaksweep.yaml";
    if (fs::exists(candidate, ec)) return LoadProjectConfig(candidate);
    break;  // only the first directory root's config applies
  }
  return ProjectConfig{};
}

bool Decide(const std::string& mode, bool automatic) {
  return mode == "always" || (mode == "auto" && automatic);
}

bool HasFindingAtOrAbove(Severity threshold, const std::vector<Severity>& severities) {
  for (Severity severity : severities) {
    if (severity >= threshold) return true;
  }
  return false;
}

// Passes findings on to the real writer and remembers their severities for the exit code.
class SeverityTracker : public ReportWriter {
 public:
  explicit SeverityTracker(ReportWriter& inner) : inner_(inner) {}
  void AddFinding(const Finding& finding) override {
    severities_.push_back(finding.severity);
    inner_.AddFinding(finding);
  }
  void Finish(const ScanSummary& summary) override { inner_.Finish(summary); }
  const std::vector<Severity>& severities() const { return severities_; }

 private:
  ReportWriter& inner_;
  std::vector<Severity> severities_;
};

int ConfigError(const std::string& message) {
  std::cerr << "leaksweep: " << message << "\n";
  return kExitUsage;
}

}  // namespace

ScanCommand::ScanCommand(CLI::App& parent) {
  command_ = parent.add_subcommand("scan", "Scan files and directories for secrets and PII");
  command_->add_option("paths", paths_, "Files or directories to scan; - reads standard input")
      ->capture_default_str();
  command_->add_option("-f,--format", format_, "Report format: human, json, jsonl, sarif")
      ->capture_default_str();
  command_->add_option("-o,--output", output_, "Write the report to FILE (created 0600)");
  command_->add_flag("--show-secrets", show_secrets_,
                     "Print found values and lines unredacted (they are redacted by default)");
  command_->add_option("--rules", rule_paths_,
                       "Extra rule file or directory; its rules add to or override shipped ones "
                       "by id (repeatable)");
  command_->add_option("--config", config_,
                       "Config file (default: .leaksweep.yaml at the first scanned directory)");
  command_->add_option("--baseline", baseline_,
                       "Earlier JSON/JSONL report; findings it holds are not reported again");
  command_
      ->add_option("--fail-on", fail_on_,
                   "Exit 1 only for findings at or above: info, low, medium, high, critical")
      ->capture_default_str();
  command_->add_flag("--fail-on-error", fail_on_error_,
                     "Exit 3 when a file could not be read (errors are always listed)");
  command_->add_option("-j,--threads", threads_, "Worker threads (default: all cores)");
  command_->add_option("--max-file-size", max_file_size_, "Skip files larger than this (K, M, G)")
      ->capture_default_str();
  command_->add_flag("--scan-binary", scan_binary_, "Also scan files that look binary");
  command_->add_option("--exclude", excludes_, "Skip paths matching GLOB (repeatable)");
  command_->add_option("--include", includes_, "Scan only paths matching GLOB (repeatable)");
  command_->add_flag("--no-cache", no_cache_, "Do not read or write the compiled-rules cache");
  command_->add_option("--color", color_, "Colour in the human format: auto, always, never")
      ->capture_default_str();
  command_->add_option("--progress", progress_, "Progress on stderr: auto, always, never")
      ->capture_default_str();
}

int ScanCommand::Run() {
  std::optional<ReportFormat> format = ParseReportFormat(format_);
  if (!format) return ConfigError("unknown format '" + format_ + "' (human, json, jsonl, sarif)");
  std::optional<Severity> fail_on = ParseSeverity(fail_on_);
  if (!fail_on) return ConfigError("unknown severity '" + fail_on_ + "' for --fail-on");
  for (const auto* mode : {&color_, &progress_}) {
    if (*mode != "auto" && *mode != "always" && *mode != "never") {
      return ConfigError("'" + *mode + "': use auto, always or never");
    }
  }
  Result<uint64_t> max_size = ParseSize(max_file_size_);
  if (!max_size.ok()) return ConfigError(max_size.status().message());
  if (max_size.value() > kLargestScannableFile) {
    return ConfigError("--max-file-size can be at most 4G - 1 byte");
  }

  Result<ProjectConfig> config = FindProjectConfig(config_, paths_);
  if (!config.ok()) return ConfigError(config.status().message());
  std::unordered_set<std::string> baseline;
  if (!baseline_.empty()) {
    auto loaded = LoadBaseline(baseline_);
    if (!loaded.ok()) return ConfigError(loaded.status().message());
    baseline = std::move(loaded).value();
  }
  Result<Policy> policy = Policy::Make(config.value(), std::move(baseline));
  if (!policy.ok()) return ConfigError(policy.status().message());
  Result<RuleSet> rules = LoadRuleSet(rule_paths_, config->disable_rules);
  if (!rules.ok()) return ConfigError(rules.status().message());
  Result<std::shared_ptr<const Engine>> engine = BuildEngine(std::move(rules).value(), !no_cache_);
  if (!engine.ok()) return ConfigError(engine.status().message());
  Result<FingerprintKey> key = FingerprintKey::Load();
  if (!key.ok()) return ConfigError(key.status().message());
  auto destination = ReportDestination::Open(output_);
  if (!destination.ok()) return ConfigError(destination.status().message());

  CheckoutScanOptions options;
  options.roots = paths_;
  for (const auto& glob : excludes_) options.walk.exclude.emplace_back(glob);
  for (const auto& glob : config->skip_paths) options.walk.exclude.emplace_back(glob);
  for (const auto& glob : includes_) options.walk.include.emplace_back(glob);
  options.read.max_file_size = max_size.value();
  options.read.scan_binary = scan_binary_;
  options.threads = threads_ > 0 ? threads_ : std::max(1u, std::thread::hardware_concurrency());
  options.progress = Decide(progress_, isatty(STDERR_FILENO));

  ReportOptions report_options;
  report_options.show_secrets = show_secrets_;
  report_options.color =
      Decide(color_, destination.value()->is_terminal() && std::getenv("NO_COLOR") == nullptr);
  auto writer = MakeReportWriter(*format, destination.value()->stream(), report_options);
  SeverityTracker tracker(*writer);
  ScanSummary summary = ScanCheckout(options, engine.value(), policy.value(), key.value(), tracker);
  if (Status closed = destination.value()->Close(); !closed.ok()) {
    std::cerr << "leaksweep: " << closed.message() << "\n";
    return kExitScanError;
  }
  if (fail_on_error_ && !summary.errors.empty()) return kExitScanError;
  return HasFindingAtOrAbove(*fail_on, tracker.severities()) ? kExitFindings : kExitClean;
}

}  // namespace leaksweep
