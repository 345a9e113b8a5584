// Scanning a checkout: the walker feeds a bounded queue, worker threads (each with its own
// Scanner) read and scan files, and the calling thread hands results to the report writer in
// walk order, so reports are identical whatever the thread count.
//
//   Walk (1 thread) -> queue -> N x [read, Scanner::Scan, MakeFindings] -> reorder -> writer
#ifndef LEAKSWEEP_PIPELINE_CHECKOUT_SCAN_H_
#define LEAKSWEEP_PIPELINE_CHECKOUT_SCAN_H_

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "leaksweep/core/report_data.h"
#include "leaksweep/input/file_reader.h"
#include "leaksweep/input/walker.h"
#include "leaksweep/match/engine.h"
#include "leaksweep/pipeline/findings.h"
#include "leaksweep/policy/policy.h"
#include "leaksweep/report/writer.h"

namespace leaksweep {

struct CheckoutScanOptions {
  std::vector<std::string> roots;  // files, directories, or "-" for standard input
  WalkOptions walk;
  ReadOptions read;
  unsigned threads = 1;   // worker threads, >= 1
  bool progress = false;  // periodic progress on stderr (counts only, never content)
};

// Runs the scan, feeding findings to `writer` in report order, and returns the summary
// (also passed to writer.Finish()). `stop`, when set by another thread (e.g. a signal
// handler's watcher), ends the scan early.
ScanSummary ScanCheckout(const CheckoutScanOptions& options, std::shared_ptr<const Engine> engine,
                         const Policy& policy, const FingerprintKey& key, ReportWriter& writer,
                         const std::atomic<bool>* stop = nullptr);

}  // namespace leaksweep

#endif  // LEAKSWEEP_PIPELINE_CHECKOUT_SCAN_H_
