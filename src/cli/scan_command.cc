// `leaksweep scan [PATH...]`: a checkout or any files and directories.
#include "leaksweep/cli/commands.h"
#include "leaksweep/cli/common.h"
#include "leaksweep/pipeline/checkout_scan.h"

namespace leaksweep {

ScanCommand::ScanCommand(CLI::App& parent) {
  command_ = parent.add_subcommand("scan", "Scan files and directories for secrets and PII");
  command_->add_option("paths", paths_, "Files or directories to scan; - reads standard input")
      ->capture_default_str();
  flags_.Register(command_);
  command_->add_option("--exclude", excludes_, "Skip paths matching GLOB (repeatable)");
  command_->add_option("--include", includes_, "Scan only paths matching GLOB (repeatable)");
}

int ScanCommand::Run() {
  Result<ScanSetup> setup = PrepareScan(flags_, paths_);
  if (!setup.ok()) return ConfigError(setup.status().message());
  CheckoutScanOptions options;
  options.roots = paths_;
  for (const auto& glob : excludes_) options.walk.exclude.emplace_back(glob);
  for (const auto& glob : setup->config.skip_paths) options.walk.exclude.emplace_back(glob);
  for (const auto& glob : includes_) options.walk.include.emplace_back(glob);
  options.read.max_file_size = setup->max_file_size;
  options.read.scan_binary = flags_.scan_binary;
  options.threads = setup->threads;
  options.progress = setup->progress;
  SeverityTracker tracker(*setup->writer);
  ScanSummary summary = ScanCheckout(options, setup->engine, setup->policy, *setup->key, tracker,
                                     setup->interrupts->stop());
  return FinishScan(setup.value(), flags_, summary, tracker);
}

}  // namespace leaksweep
