#include "leaksweep/pipeline/checkout_scan.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "leaksweep/core/version.h"
#include "leaksweep/match/scanner.h"

namespace leaksweep {
namespace {

// How many files may be walked but not yet reported; bounds memory on huge trees.
constexpr size_t kMaxFilesInFlight = 4096;
// Threads that wait for room or for results are woken in batches of this many files, not once
// per file: a wake-up costs more than scanning a small file.
constexpr size_t kWakeBatch = 64;

struct FileTask {
  uint64_t sequence;
  WalkedFile file;
};

// A bounded multi-producer multi-consumer queue of file tasks.
class TaskQueue {
 public:
  // Blocks while the queue is full. Returns false when closed.
  bool Push(FileTask task) {
    std::unique_lock lock(mutex_);
    if (tasks_.size() >= kMaxFilesInFlight) {
      not_full_.wait(lock,
                     [&] { return tasks_.size() <= kMaxFilesInFlight - kWakeBatch || closed_; });
    }
    if (closed_) return false;
    tasks_.push_back(std::move(task));
    not_empty_.notify_one();
    return true;
  }
  std::optional<FileTask> Pop() {
    std::unique_lock lock(mutex_);
    not_empty_.wait(lock, [&] { return !tasks_.empty() || closed_; });
    if (tasks_.empty()) return std::nullopt;
    FileTask task = std::move(tasks_.front());
    tasks_.pop_front();
    if (tasks_.size() == kMaxFilesInFlight - kWakeBatch) not_full_.notify_one();
    return task;
  }
  void Close() {
    std::lock_guard lock(mutex_);
    closed_ = true;
    not_empty_.notify_all();
    not_full_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable not_empty_, not_full_;
  std::deque<FileTask> tasks_;
  bool closed_ = false;
};

// Results arrive from workers in any order; Collector hands them on in sequence order.
class Collector {
 public:
  void Add(uint64_t sequence, TextResult result) {
    std::lock_guard lock(mutex_);
    pending_.emplace(sequence, std::move(result));
    // Wake the reader only when the result it waits for is here: while the walk goes on, once
    // a batch has gathered; after it, at once, so the end is not delayed.
    bool next_is_here = sequence == next_ || pending_.count(next_) != 0;
    if (next_is_here && (total_ || pending_.size() >= kWakeBatch)) changed_.notify_one();
  }
  void SetTotal(uint64_t total) {
    std::lock_guard lock(mutex_);
    total_ = total;
    changed_.notify_one();
  }
  // Blocks the walker while `sequence` is too far ahead of what has been reported, so that
  // results held back for ordering stay bounded.
  void WaitForRoom(uint64_t sequence) {
    std::unique_lock lock(mutex_);
    if (sequence < next_ + kMaxFilesInFlight) return;
    room_.wait(lock, [&] { return sequence + kWakeBatch < next_ + kMaxFilesInFlight; });
  }
  // Waits up to `timeout` for the next result in order. Returns nullopt on timeout, and sets
  // `done` once every walked file has been handed on.
  std::optional<TextResult> Next(std::chrono::milliseconds timeout, bool* done) {
    std::unique_lock lock(mutex_);
    auto ready = [&] { return pending_.count(next_) != 0 || (total_ && next_ == *total_); };
    changed_.wait_for(lock, timeout, ready);
    *done = total_ && next_ == *total_;
    auto it = pending_.find(next_);
    if (it == pending_.end()) return std::nullopt;
    TextResult result = std::move(it->second);
    pending_.erase(it);
    ++next_;
    if (next_ % kWakeBatch == 0) room_.notify_all();
    return result;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_, room_;
  std::map<uint64_t, TextResult> pending_;
  uint64_t next_ = 0;
  std::optional<uint64_t> total_;
};

// Feeds walked files to the queue; skips and walk errors become results of their own so that
// they too are reported in walk order.
class QueueingVisitor : public WalkVisitor {
 public:
  QueueingVisitor(TaskQueue& queue, Collector& collector, const std::atomic<bool>* stop)
      : queue_(queue), collector_(collector), stop_(stop) {}
  bool OnFile(WalkedFile file) override {
    if (stop_ != nullptr && stop_->load()) return false;
    collector_.WaitForRoom(sequence_);
    return queue_.Push({sequence_++, std::move(file)});
  }
  void OnSkip(SkippedFile skipped) override {
    collector_.WaitForRoom(sequence_);
    TextResult result;
    result.skipped = std::move(skipped);
    collector_.Add(sequence_++, std::move(result));
  }
  void OnError(ScanError error) override {
    collector_.WaitForRoom(sequence_);
    TextResult result;
    result.errors.push_back(std::move(error));
    collector_.Add(sequence_++, std::move(result));
  }
  uint64_t count() const { return sequence_; }

 private:
  TaskQueue& queue_;
  Collector& collector_;
  const std::atomic<bool>* stop_;
  uint64_t sequence_ = 0;
};

TextResult ScanOneFile(const WalkedFile& file, const ReadOptions& read_options, Scanner& scanner,
                       const Policy& policy, const FingerprintKey& key, std::string* storage) {
  TextResult result;
  ReadResult read = ReadFileForScan(file.path, read_options, storage);
  if (read.outcome == ReadOutcome::kSkipped) {
    result.skipped = SkippedFile{file.path, read.skip_reason};
    return result;
  }
  if (read.outcome == ReadOutcome::kError) {
    result.errors.push_back({file.path, read.error});
    return result;
  }
  result.scanned = true;
  result.bytes = read.text.size();
  result.findings = FindInText(scanner, read.text, file.path, policy, key, &result.errors);
  return result;
}

void PrintProgress(uint64_t files, uint64_t bytes, std::chrono::steady_clock::time_point start,
                   bool final_line) {
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  double megabytes = bytes / 1e6;
  std::fprintf(stderr, "\r\033[Kscanned %llu files, %.1f MB, %.1f MB/s%s",
               static_cast<unsigned long long>(files), megabytes,
               seconds > 0 ? megabytes / seconds : 0.0, final_line ? "\n" : "");
  std::fflush(stderr);
}

}  // namespace

ScanSummary ScanCheckout(const CheckoutScanOptions& options, std::shared_ptr<const Engine> engine,
                         const Policy& policy, const FingerprintKey& key, ReportWriter& writer,
                         const std::atomic<bool>* stop) {
  ScanSummary summary;
  summary.tool_version = kVersion;
  summary.rules_digest = engine->rules().digest();
  summary.rules = engine->rules().Infos();

  TaskQueue queue;
  Collector collector;
  std::vector<std::thread> workers;
  for (unsigned i = 0; i < std::max(1u, options.threads); ++i) {
    workers.emplace_back([&] {
      Scanner scanner(engine);
      std::string storage;  // reused for every file this worker reads
      while (std::optional<FileTask> task = queue.Pop()) {
        // Once stopped, queued files are passed over (an empty result keeps the order intact).
        bool stopped = stop != nullptr && stop->load();
        collector.Add(task->sequence, stopped ? TextResult{}
                                              : ScanOneFile(task->file, options.read, scanner,
                                                            policy, key, &storage));
      }
    });
  }
  std::thread walker([&] {
    QueueingVisitor visitor(queue, collector, stop);
    Walk(options.roots, options.walk, visitor);
    queue.Close();
    collector.SetTotal(visitor.count());
  });

  auto start = std::chrono::steady_clock::now();
  auto last_progress = start;
  for (bool done = false; !done;) {
    std::optional<TextResult> result = collector.Next(std::chrono::milliseconds(200), &done);
    if (result) {
      bool added = false;
      Absorb(*result, summary, [&](Finding&& finding) {
        writer.AddFinding(finding);
        ++summary.stats.findings;
        added = true;
      });
      if (added) writer.Flush();  // each file's findings, as soon as they are known
    }
    auto now = std::chrono::steady_clock::now();
    if (options.progress && now - last_progress > std::chrono::milliseconds(250)) {
      PrintProgress(summary.stats.files_scanned, summary.stats.bytes_scanned, start, false);
      last_progress = now;
    }
  }
  walker.join();
  for (std::thread& worker : workers) worker.join();
  if (options.progress) {
    PrintProgress(summary.stats.files_scanned, summary.stats.bytes_scanned, start, true);
  }
  if (stop != nullptr && stop->load()) MarkIncomplete(&summary);
  writer.Finish(summary);
  return summary;
}

}  // namespace leaksweep
