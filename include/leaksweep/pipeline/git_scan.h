// Scanning a repository's history: every distinct blob once, in parallel, with provenance.
//
//   EnumerateGit (HistoryWalk: commits oldest first, new trees only; with 2+ threads, started
//   while the rules load, with a second thread reading ahead)
//     -> N workers, each with its own GitBlobReader and Scanner, take blobs by index
//     -> findings carry where the blob came from (commit, author, date, path, in_head)
//     -> commit and tag messages, when asked
//     -> grouped by value (one finding per rule and value, with its other locations)
//     -> writer, in blob order (the order blobs were first met), so reports are deterministic.
#ifndef LEAKSWEEP_PIPELINE_GIT_SCAN_H_
#define LEAKSWEEP_PIPELINE_GIT_SCAN_H_

#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "leaksweep/core/report_data.h"
#include "leaksweep/input/file_reader.h"
#include "leaksweep/input/git_inventory.h"
#include "leaksweep/match/engine.h"
#include "leaksweep/pipeline/findings.h"
#include "leaksweep/policy/policy.h"
#include "leaksweep/report/writer.h"

namespace leaksweep {

struct GitScanOptions {
  std::string repository = ".";
  GitEnumerateOptions enumerate;
  ReadOptions read;  // size limit and binary skipping apply to blobs
  unsigned threads = 1;
  bool progress = false;  // blobs and bytes done out of total on stderr
  // One finding per (rule, value), listing its other locations, so that a key committed in 300
  // commits is one thing to fix. Off: every location is a finding of its own (JSONL).
  bool group_by_value = true;
  // Most blobs in a history are an earlier version with a few lines changed, stored as a delta
  // on it: the scan of such a blob reuses the work done on its base wherever the delta copied
  // the base unchanged (results are the same; see ScanReuse). Off: every blob from scratch.
  bool reuse_deltas = true;
  // At the end, on stderr: how long the history walk (enumeration and provenance), the blob
  // scan and the report took, for benchmarks. Never part of a report: reports stay the same
  // from run to run.
  bool timings = false;
};

// The history walk of a scan (EnumerateGit, with progress output when asked) on a thread of its
// own. It needs neither the rules nor the engine, so it can start before they are loaded and
// built, and run meanwhile: ScanGit then takes it over. A walk not taken over is stopped and
// waited for when destroyed.
class HistoryWalk {
 public:
  explicit HistoryWalk(const GitScanOptions& options);
  ~HistoryWalk();
  HistoryWalk(const HistoryWalk&) = delete;
  HistoryWalk& operator=(const HistoryWalk&) = delete;

  // From now on `stop`, when set by another thread (a signal watcher), ends the walk early.
  void StopWhen(const std::atomic<bool>* stop) { stop_ = stop; }

  // Waits for the walk; returns its inventory (once) and how long it took.
  Result<GitInventory> Take(double* seconds);

 private:
  std::atomic<bool> cancelled_{false};
  std::atomic<const std::atomic<bool>*> stop_{nullptr};
  Result<GitInventory> inventory_ = Status::Error("the history walk was not taken");
  double seconds_ = 0;
  std::thread thread_;  // last: starts once everything above is set up
};

// Returns the summary, or an error when the repository cannot be opened. Unreadable objects are
// listed as errors with their ids and the scan goes on. `stop`, when set by another thread (a
// signal watcher), ends the scan early: what was scanned is reported, marked incomplete.
// `walk`: the walk of these options, started earlier; without it, ScanGit walks first.
Result<ScanSummary> ScanGit(const GitScanOptions& options, std::shared_ptr<const Engine> engine,
                            const Policy& policy, const FingerprintKey& key, ReportWriter& writer,
                            const std::atomic<bool>* stop = nullptr, HistoryWalk* walk = nullptr);

}  // namespace leaksweep

#endif  // LEAKSWEEP_PIPELINE_GIT_SCAN_H_
