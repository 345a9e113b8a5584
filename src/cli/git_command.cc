// `leaksweep git [REPO]`: every blob ever committed, with where it came from.
#include "leaksweep/cli/commands.h"
#include "leaksweep/cli/common.h"
#include "leaksweep/pipeline/git_scan.h"

namespace leaksweep {

GitCommand::GitCommand(CLI::App& parent) {
  command_ = parent.add_subcommand(
      "git", "Scan a git repository's history: every blob reachable from any ref, once");
  command_->add_option("repo", repository_, "A working copy or bare repository (default: .)")
      ->capture_default_str();
  command_->add_option("revisions", revisions_,
                       "Only what these commits introduce: A..B, REV, ^REV (default: every ref)");
  flags_.Register(command_);
  command_->add_option("--since-commit", since_commit_,
                       "Only what commits after this one introduce (like COMMIT..HEAD)");
  command_->add_flag("--all-objects", all_objects_,
                     "Also scan blobs no ref reaches (dangling objects from rewritten history)");
  command_->add_flag("--scan-messages", scan_messages_, "Also scan commit and tag messages");
  command_->add_flag("--no-delta-reuse", no_delta_reuse_,
                     "Scan every blob from scratch instead of reusing the scan of the blob it is "
                     "a delta of (same results, slower; for checking and benchmarks)");
  command_->add_flag("--timings", timings_,
                     "At the end, print on stderr how long the history walk, the blob scan and "
                     "the report took");
}

int GitCommand::Run() {
  Result<ScanSetup> setup = PrepareScan(flags_, {repository_}, /*complete=*/false);
  if (!setup.ok()) return ConfigError(setup.status().message());
  GitScanOptions options;
  options.repository = repository_;
  options.enumerate.all_objects = all_objects_;
  options.enumerate.revisions = revisions_;
  options.enumerate.since_commit = since_commit_;
  options.enumerate.messages = scan_messages_;
  options.reuse_deltas = !no_delta_reuse_;
  options.timings = timings_;
  options.group_by_value = flags_.format != "jsonl";
  options.read.max_file_size = setup->max_file_size;
  options.read.scan_binary = flags_.scan_binary;
  options.threads = setup->threads;
  options.progress = setup->progress;
  // The history walk needs neither the rules nor the engine: with more than one thread it
  // starts first, and walks while they are loaded and built (a second core is idle then).
  std::unique_ptr<HistoryWalk> walk;
  if (options.threads > 1) walk = std::make_unique<HistoryWalk>(options);
  // The rules are loaded and the engine built at a lower priority than the walk's threads: the
  // walk is what the scan waits for, and its threads leave idle time (the comparing thread
  // waits for the reading one now and then) that the build can use.
  if (Status status = CompleteScanSetup(flags_, &setup.value(), /*yield=*/walk != nullptr);
      !status.ok()) {
    walk.reset();  // stopped and waited for
    return ConfigError(status.message());
  }
  SeverityTracker tracker(*setup->writer);
  Result<ScanSummary> summary = ScanGit(options, setup->engine, setup->policy, *setup->key, tracker,
                                        setup->interrupts->stop(), walk.get());
  if (!summary.ok()) return ConfigError(summary.status().message());
  return FinishScan(setup.value(), flags_, summary.value(), tracker);
}

}  // namespace leaksweep
