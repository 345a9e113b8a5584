// The flags `scan` and `git` share, and turning them into a ready scan setup.
#include <sys/resource.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <thread>

#include "leaksweep/cli/commands.h"
#include "leaksweep/cli/common.h"

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

}  // namespace

void ScanFlags::Register(CLI::App* command) {
  command->add_option("-f,--format", format, "Report format: human, json, jsonl, sarif")
      ->capture_default_str();
  command->add_option("-o,--output", output, "Write the report to FILE (created 0600)");
  command->add_flag("--show-secrets", show_secrets,
                    "Print found values and lines unredacted (they are redacted by default)");
  command->add_option("--rules", rule_paths,
                      "Extra rule file or directory; its rules add to or override shipped ones "
                      "by id (repeatable)");
  command->add_option("--config", config,
                      "Config file (default: .leaksweep.yaml at the scanned directory)");
  command->add_option("--baseline", baseline,
                      "Earlier JSON/JSONL report; findings it holds are not reported again");
  command
      ->add_option("--fail-on", fail_on,
                   "Exit 1 only for findings at or above: info, low, medium, high, critical")
      ->capture_default_str();
  command->add_flag("--fail-on-error", fail_on_error,
                    "Exit 3 when a file or object could not be read (errors are always listed)");
  command->add_option("-j,--threads", threads, "Worker threads (default: all cores)");
  command->add_option("--max-file-size", max_file_size, "Skip larger files (K, M, G)")
      ->capture_default_str();
  command->add_flag("--scan-binary", scan_binary, "Also scan files that look binary");
  command->add_flag("--no-cache", no_cache, "Do not read or write the compiled-rules cache");
  command->add_option("--color", color, "Colour in the human format: auto, always, never")
      ->capture_default_str();
  command->add_option("--progress", progress, "Progress on stderr: auto, always, never")
      ->capture_default_str();
}

int ConfigError(const std::string& message) {
  std::cerr << "leaksweep: " << message << "\n";
  return kExitUsage;
}

Result<ScanSetup> PrepareScan(const ScanFlags& flags, const std::vector<std::string>& config_roots,
                              bool complete) {
  ScanSetup setup;
  std::optional<ReportFormat> format = ParseReportFormat(flags.format);
  if (!format)
    return Status::Error("unknown format '" + flags.format + "' (human, json, jsonl, sarif)");
  setup.format = *format;
  std::optional<Severity> fail_on = ParseSeverity(flags.fail_on);
  if (!fail_on) return Status::Error("unknown severity '" + flags.fail_on + "' for --fail-on");
  setup.fail_on = *fail_on;
  for (const auto* mode : {&flags.color, &flags.progress}) {
    if (*mode != "auto" && *mode != "always" && *mode != "never") {
      return Status::Error("'" + *mode + "': use auto, always or never");
    }
  }
  Result<uint64_t> max_size = ParseSize(flags.max_file_size);
  if (!max_size.ok()) return max_size.status();
  if (max_size.value() > kLargestScannableFile) {
    return Status::Error("--max-file-size can be at most 4G - 1 byte");
  }
  setup.max_file_size = max_size.value();

  Result<ProjectConfig> config = FindProjectConfig(flags.config, config_roots);
  if (!config.ok()) return config.status();
  setup.config = std::move(config).value();
  std::unordered_set<std::string> baseline;
  if (!flags.baseline.empty()) {
    auto loaded = LoadBaseline(flags.baseline);
    if (!loaded.ok()) return loaded.status();
    baseline = std::move(loaded).value();
  }
  Result<Policy> policy = Policy::Make(setup.config, std::move(baseline));
  if (!policy.ok()) return policy.status();
  setup.policy = std::move(policy).value();
  setup.threads =
      flags.threads > 0 ? flags.threads : std::max(1u, std::thread::hardware_concurrency());
  setup.progress = Decide(flags.progress, isatty(STDERR_FILENO));
  if (!complete) return setup;
  if (Status status = CompleteScanSetup(flags, &setup); !status.ok()) return status;
  return setup;
}

namespace {

Result<std::shared_ptr<const Engine>> LoadRulesAndBuild(const ScanFlags& flags,
                                                        const ProjectConfig& config) {
  Result<RuleSet> rules = LoadRuleSet(flags.rule_paths, config.disable_rules);
  if (!rules.ok()) return rules.status();
  return BuildEngine(std::move(rules).value(), !flags.no_cache);
}

// Lowers the calling thread's scheduling priority (Linux: nice applies per thread); a no-op
// elsewhere. Threads it starts would inherit it: call it only on a thread that starts none.
void LowerThisThreadsPriority() {
#ifdef __linux__
  setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), 10);
#endif
}

}  // namespace

Status CompleteScanSetup(const ScanFlags& flags, ScanSetup* setup, bool yield) {
  Result<std::shared_ptr<const Engine>> engine = Status::Error("the engine was not built");
  if (yield) {
    std::thread builder([&] {
      LowerThisThreadsPriority();
      engine = LoadRulesAndBuild(flags, setup->config);
    });
    builder.join();
  } else {
    engine = LoadRulesAndBuild(flags, setup->config);
  }
  if (!engine.ok()) return engine.status();
  setup->engine = engine.value();
  Result<FingerprintKey> key = FingerprintKey::Load();
  if (!key.ok()) return key.status();
  setup->key = key.value();
  auto destination = ReportDestination::Open(flags.output);
  if (!destination.ok()) return destination.status();
  setup->destination = std::move(destination).value();

  ReportOptions report_options;
  report_options.show_secrets = flags.show_secrets;
  report_options.color =
      Decide(flags.color, setup->destination->is_terminal() && std::getenv("NO_COLOR") == nullptr);
  setup->writer = MakeReportWriter(setup->format, setup->destination->stream(), report_options);
  // Last, once nothing can fail: from here on SIGINT/SIGTERM stop the scan, not the process.
  setup->interrupts = std::make_unique<InterruptWatcher>();
  return Status::Ok();
}

void SeverityTracker::AddFinding(const Finding& finding) {
  severities_.push_back(finding.severity);
  inner_.AddFinding(finding);
}

bool SeverityTracker::AnyAtOrAbove(Severity threshold) const {
  for (Severity severity : severities_) {
    if (severity >= threshold) return true;
  }
  return false;
}

int FinishScan(ScanSetup& setup, const ScanFlags& flags, const ScanSummary& summary,
               const SeverityTracker& tracker) {
  if (Status closed = setup.destination->Close(); !closed.ok()) {
    std::cerr << "leaksweep: " << closed.message() << "\n";
    return kExitScanError;
  }
  if (summary.incomplete && setup.interrupts && setup.interrupts->signal_number() != 0) {
    return 128 + setup.interrupts->signal_number();
  }
  if (flags.fail_on_error && !summary.errors.empty()) return kExitScanError;
  return tracker.AnyAtOrAbove(setup.fail_on) ? kExitFindings : kExitClean;
}

}  // namespace leaksweep
