#include "leaksweep/pipeline/git_scan.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <list>
#include <optional>
#include <thread>
#include <unordered_map>

#include "leaksweep/core/version.h"
#include "leaksweep/input/pack_reader.h"
#include "leaksweep/match/scanner.h"

namespace leaksweep {
namespace {

// Blobs a worker takes at least at a time, in read order, ending where a delta family ends.
constexpr size_t kReadChunk = 64;
// Per worker: the scan memos of recent blobs, for the deltas on them that come next.
constexpr size_t kMemoCacheBytes = size_t{64} << 20;

// A worker's scan memos by pack key, least recently used evicted first, under a byte budget.
class MemoCache {
 public:
  const ScanMemo* Find(ObjectKey key) {
    auto it = index_.find(key);
    if (it == index_.end()) return nullptr;
    entries_.splice(entries_.begin(), entries_, it->second);
    return &it->second->memo;
  }

  void Insert(ObjectKey key, ScanMemo memo) {
    if (index_.count(key) != 0) return;
    bytes_ += memo.bytes();
    entries_.push_front({key, std::move(memo)});
    index_[key] = entries_.begin();
    while (bytes_ > kMemoCacheBytes && entries_.size() > 1) {
      bytes_ -= entries_.back().memo.bytes();
      index_.erase(entries_.back().key);
      entries_.pop_back();
    }
  }

 private:
  struct Entry {
    ObjectKey key;
    ScanMemo memo;
  };
  std::list<Entry> entries_;  // most recently used first
  std::unordered_map<ObjectKey, std::list<Entry>::iterator> index_;
  size_t bytes_ = 0;
};

// Chunks of the read order for the workers: [starts[i], starts[i + 1]), each at least
// kReadChunk blobs and made of whole delta families, so each blob's base (and its memo) is in
// the same worker.
std::vector<size_t> ChunkStarts(const GitInventory& inventory) {
  const size_t total = inventory.read_order.size();
  std::vector<size_t> starts{0};
  if (inventory.read_families.empty()) {
    for (size_t at = kReadChunk; at < total; at += kReadChunk) starts.push_back(at);
  } else {
    for (uint32_t family : inventory.read_families) {
      if (family >= starts.back() + kReadChunk) starts.push_back(family);
    }
  }
  starts.push_back(total);
  return starts;
}

// What reports call a blob: its path where it was introduced, or its id when no ref reaches it.
std::string DisplayPath(const BlobOrigin& blob) {
  return blob.path.empty() ? "blob:" + blob.id.Hex() : blob.path;
}

// A commit's summary line travels with every finding from that commit. A secret pasted into the
// message ("rotate key AKIA...") must not travel with it, so whatever the rules detect in the
// line is masked, whether or not messages are scanned.
std::string MaskDetectedValues(Scanner& scanner, std::string text) {
  Result<BufferMatches> found = scanner.Scan(text);
  if (!found.ok()) return "(summary withheld)";
  size_t limit = text.size();  // replace from the end, skipping overlaps, so offsets hold
  for (auto it = found->matches.rbegin(); it != found->matches.rend(); ++it) {
    if (it->value_end > limit || it->value_end <= it->value_start) continue;
    text.replace(it->value_start, it->value_end - it->value_start, "***");
    limit = it->value_start;
  }
  return text;
}

// Commit summaries with detected values masked, by commit index. A commit's summary travels
// with the findings of every blob it introduced: each worker scans it once, not per blob.
class MaskedSummaries {
 public:
  const std::string& Of(const GitInventory& inventory, uint32_t commit, Scanner& scanner) {
    auto [it, inserted] = masked_.try_emplace(commit);
    if (inserted) it->second = MaskDetectedValues(scanner, inventory.commits[commit].summary);
    return it->second;
  }

 private:
  std::unordered_map<uint32_t, std::string> masked_;
};

GitProvenance ProvenanceOf(const GitInventory& inventory, const BlobOrigin& blob, Scanner& scanner,
                           MaskedSummaries& summaries) {
  GitProvenance provenance;
  provenance.blob = blob.id.Hex();
  provenance.in_head = blob.in_head;
  provenance.paths = blob.paths;
  provenance.commits = blob.commit == kNoCommit ? 0 : blob.commits;
  if (blob.commit != kNoCommit) {
    const CommitInfo& commit = inventory.commits[blob.commit];
    provenance.commit = commit.id.Hex();
    provenance.author_name = commit.author_name;
    provenance.author_email = commit.author_email;
    provenance.date = commit.date;
    provenance.summary = summaries.Of(inventory, blob.commit, scanner);
  }
  return provenance;
}

// What a worker keeps between blobs.
struct Worker {
  GitBlobReader& reader;
  Scanner& scanner;
  MemoCache* memos;  // null: no reuse
  std::string storage;
  MaskedSummaries summaries;
};

// What scanning a blob (or a message) produced, and where it came from: one provenance for all
// its findings, attached to those the report keeps (FindingCollector), not copied into each.
struct HistoryResult {
  TextResult text;
  std::shared_ptr<const GitProvenance> git;  // set when there are findings
};

// A blob's result as kept until the report: most blobs only add to the counts, and a full
// HistoryResult for each of a long history's blobs would be tens of megabytes to clear.
struct KeptResult {
  uint64_t bytes = 0;
  bool scanned = false;
  std::unique_ptr<HistoryResult> details;  // null when there is nothing but the counts

  static KeptResult Of(HistoryResult result) {
    KeptResult kept;
    kept.bytes = result.text.bytes;
    kept.scanned = result.text.scanned;
    const TextResult& text = result.text;
    const ScanStats& suppressed = text.findings.suppressed;
    bool counts_only = text.findings.findings.empty() && !text.skipped && text.errors.empty() &&
                       suppressed.suppressed_inline == 0 && suppressed.suppressed_config == 0 &&
                       suppressed.suppressed_baseline == 0;
    if (!counts_only) kept.details = std::make_unique<HistoryResult>(std::move(result));
    return kept;
  }
};

HistoryResult ScanBlob(const GitInventory& inventory, const BlobOrigin& blob,
                       const GitScanOptions& options, Worker& worker, const Policy& policy,
                       const FingerprintKey& key) {
  GitBlobReader& reader = worker.reader;
  Scanner& scanner = worker.scanner;
  HistoryResult history;
  TextResult& result = history.text;
  std::string path = DisplayPath(blob);
  Result<GitBlobReader::Blob> blob_read = reader.Read(blob.id, options.read.max_file_size);
  if (!blob_read.ok()) {
    result.errors.push_back({blob.id.Hex(), blob_read.status().message()});
    return history;
  }
  if (blob_read->over_limit) {
    result.skipped = SkippedFile{path, SkipReason::kTooLarge};
    return history;
  }
  std::string_view bytes = blob_read->data;
  GitBlobReader::ReadSource source = reader.LastRead();
  ReadResult text = PrepareText(bytes, options.read, &worker.storage);
  if (text.outcome == ReadOutcome::kSkipped) {
    result.skipped = SkippedFile{path, text.skip_reason};
    return history;
  }
  result.scanned = true;
  result.bytes = text.text.size();
  // A memo describes the blob's own bytes: none when they were converted (UTF-16) first.
  bool as_stored = text.text.data() == bytes.data() && text.text.size() == bytes.size();
  ScanMemo memo;
  ScanReuse reuse;
  if (worker.memos != nullptr && as_stored && source.key != kNoObjectKey) {
    if (source.delta != nullptr) {
      reuse.base = worker.memos->Find(source.delta->base);
      reuse.copies = source.delta->copies;
    }
    reuse.memo = &memo;
  }
  result.findings = FindInText(scanner, text.text, path, policy, key, &result.errors, reuse);
  if (reuse.memo != nullptr && memo.usable()) worker.memos->Insert(source.key, std::move(memo));
  if (!result.findings.findings.empty()) {
    history.git = std::make_shared<const GitProvenance>(
        ProvenanceOf(inventory, blob, scanner, worker.summaries));
  }
  return history;
}

// Commit and tag messages, scanned like blobs; their findings point at the message.
std::vector<HistoryResult> ScanMessages(const GitInventory& inventory, Scanner& scanner,
                                        const Policy& policy, const FingerprintKey& key) {
  std::vector<HistoryResult> results;
  MaskedSummaries summaries;
  for (const GitMessage& message : inventory.messages) {
    HistoryResult history;
    TextResult& result = history.text;
    result.scanned = true;
    result.bytes = message.text.size();
    result.findings = FindInText(scanner, message.text, message.where, policy, key, &result.errors);
    BlobOrigin origin;
    origin.commit = message.commit;
    GitProvenance provenance = ProvenanceOf(inventory, origin, scanner, summaries);
    provenance.blob.clear();
    provenance.in_head = false;  // a message cannot be removed without rewriting history
    history.git = std::make_shared<const GitProvenance>(std::move(provenance));
    results.push_back(std::move(history));
  }
  return results;
}

// The findings of a scan in report order, each given its blob's provenance (`git`). With
// grouping, the first finding of each (rule, value) is kept and the others become its other
// locations: taken as they come, so the many copies of one value in a long history (curl:
// 136,000 findings, 579 values) are never held at once. The value counts as in HEAD when any
// location is.
class FindingCollector {
 public:
  explicit FindingCollector(bool group_by_value) : group_by_value_(group_by_value) {}

  void Add(Finding&& finding, const std::shared_ptr<const GitProvenance>& git) {
    if (!group_by_value_) return Keep(std::move(finding), git);
    key_.assign(finding.rule_id).append(1, '\0').append(finding.fingerprint);
    auto it = first_.find(key_);
    if (it == first_.end()) {
      first_.emplace(key_, kept_.size());
      return Keep(std::move(finding), git);
    }
    Finding& kept = kept_[it->second];
    FindingLocation location;
    location.path = std::move(finding.path);
    location.start = finding.start;
    if (git) {
      location.commit = git->commit;
      location.blob = git->blob;
      location.in_head = git->in_head;
      if (kept.git && git->in_head && !kept.git->in_head) {
        // Its own copy: the provenance is shared with the blob's other findings.
        auto in_head = std::make_shared<GitProvenance>(*kept.git);
        in_head->in_head = true;
        kept.git = std::move(in_head);
      }
    }
    kept.other_locations.push_back(std::move(location));
  }

  std::vector<Finding>& findings() { return kept_; }

 private:
  void Keep(Finding&& finding, const std::shared_ptr<const GitProvenance>& git) {
    finding.git = git;
    kept_.push_back(std::move(finding));
  }

  bool group_by_value_;
  std::vector<Finding> kept_;
  std::unordered_map<std::string, size_t> first_;  // rule id + fingerprint -> index in kept_
  std::string key_;                                // reused: a lookup allocates nothing
};

// Wall time of the phases of a scan, for --timings.
class PhaseClock {
 public:
  // A phase timed elsewhere (it may have overlapped others).
  void AddPhase(const char* name, double seconds) { phases_.push_back({name, seconds}); }
  // Ends the phase running now, naming it.
  void EndPhase(const char* name) {
    auto now = std::chrono::steady_clock::now();
    phases_.push_back({name, std::chrono::duration<double>(now - start_).count()});
    start_ = now;
  }
  void Print() const {
    std::fprintf(stderr, "timings:");
    for (const auto& [name, seconds] : phases_) std::fprintf(stderr, " %s %.2f s;", name, seconds);
    std::fprintf(stderr, "\n");
  }

 private:
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::vector<std::pair<const char*, double>> phases_;
};

void PrintProgress(size_t done, size_t total, uint64_t bytes,
                   std::chrono::steady_clock::time_point start, bool final_line) {
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  double rate = seconds > 0 ? bytes / 1e6 / seconds : 0;
  double eta = done > 0 && done < total ? seconds * (total - done) / done : 0;
  std::fprintf(stderr, "\r\033[Kblobs %zu/%zu, %.1f MB, %.1f MB/s, ETA %.0f s%s", done, total,
               bytes / 1e6, rate, eta, final_line ? "\n" : "");
  std::fflush(stderr);
}

}  // namespace

HistoryWalk::HistoryWalk(const GitScanOptions& options)
    : thread_([this, options] {
        auto start = std::chrono::steady_clock::now();
        GitEnumerateOptions enumerate = options.enumerate;
        enumerate.read_ahead = options.threads > 1;  // the workers' cores are idle meanwhile
        enumerate.stopped = [this] {
          const std::atomic<bool>* stop = stop_.load();
          return cancelled_.load() || (stop != nullptr && stop->load());
        };
        bool walk_line_shown = false;
        if (options.progress) {
          // The walk of a large history takes seconds before any blob is read: say how far it
          // got.
          std::chrono::steady_clock::time_point last;  // the first call prints
          enumerate.on_progress = [last, &walk_line_shown](size_t commits, size_t blobs) mutable {
            auto now = std::chrono::steady_clock::now();
            if (now - last < std::chrono::milliseconds(250)) return;
            last = now;
            walk_line_shown = true;
            std::fprintf(stderr, "\r\033[Kwalking history: %zu commits, %zu blobs", commits, blobs);
            std::fflush(stderr);
          };
        }
        inventory_ = EnumerateGit(options.repository, enumerate);
        if (walk_line_shown) std::fprintf(stderr, "\r\033[K");  // the blob progress line follows
        seconds_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      }) {}

HistoryWalk::~HistoryWalk() {
  cancelled_ = true;
  if (thread_.joinable()) thread_.join();
}

Result<GitInventory> HistoryWalk::Take(double* seconds) {
  if (thread_.joinable()) thread_.join();
  *seconds = seconds_;
  return std::move(inventory_);
}

Result<ScanSummary> ScanGit(const GitScanOptions& options, std::shared_ptr<const Engine> engine,
                            const Policy& policy, const FingerprintKey& key, ReportWriter& writer,
                            const std::atomic<bool>* stop, HistoryWalk* walk) {
  auto stopped = [stop] { return stop != nullptr && stop->load(); };
  std::optional<HistoryWalk> own_walk;
  if (walk == nullptr) walk = &own_walk.emplace(options);
  walk->StopWhen(stop);
  double walk_seconds = 0;
  Result<GitInventory> inventory = walk->Take(&walk_seconds);
  if (!inventory.ok()) return inventory.status();
  PhaseClock clock;
  clock.AddPhase("walk (enumeration and provenance)", walk_seconds);
  const std::vector<BlobOrigin>& blobs = inventory->blobs;

  std::vector<KeptResult> results(blobs.size());
  const std::vector<size_t> chunk_starts = ChunkStarts(inventory.value());
  std::atomic<size_t> next{0}, done{0};
  std::atomic<uint64_t> bytes_done{0};
  std::atomic<size_t> workers_finished{0};
  std::vector<ScanError> open_errors(std::max(1u, options.threads));
  std::vector<std::thread> workers;
  for (unsigned w = 0; w < std::max(1u, options.threads); ++w) {
    workers.emplace_back([&, w] {
      Result<std::unique_ptr<GitBlobReader>> reader = GitBlobReader::Open(options.repository);
      if (!reader.ok()) {
        open_errors[w] = {options.repository, reader.status().message()};
        ++workers_finished;
        return;
      }
      Scanner scanner(engine);
      MemoCache memos;
      Worker worker{*reader.value(), scanner, options.reuse_deltas ? &memos : nullptr, {}, {}};
      // Chunks of whole delta families in read order: each worker's reads stay local, so the
      // delta bases it needs are still in its cache, and so are their scan memos. Results land
      // by blob index, in report order.
      const std::vector<uint32_t>& order = inventory->read_order;
      for (size_t chunk = next.fetch_add(1); chunk + 1 < chunk_starts.size() && !stopped();
           chunk = next.fetch_add(1)) {
        for (size_t k = chunk_starts[chunk]; k < chunk_starts[chunk + 1] && !stopped(); ++k) {
          size_t i = order[k];
          results[i] =
              KeptResult::Of(ScanBlob(inventory.value(), blobs[i], options, worker, policy, key));
          bytes_done += results[i].bytes;
          ++done;
        }
      }
      ++workers_finished;
    });
  }
  auto start = std::chrono::steady_clock::now();
  if (options.progress) {
    // Until every worker has finished (also those that could not open the repository).
    while (workers_finished.load() < workers.size()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(250));
      PrintProgress(done.load(), blobs.size(), bytes_done.load(), start, false);
    }
  }
  for (std::thread& worker : workers) worker.join();
  if (options.progress) PrintProgress(done.load(), blobs.size(), bytes_done.load(), start, true);

  ScanSummary summary;
  summary.tool_version = kVersion;
  summary.rules_digest = engine->rules().digest();
  summary.rules = engine->rules().Infos();
  // Blobs; with messages, commits and tags are counted too.
  summary.item_noun = options.enumerate.messages ? "object" : "blob";
  for (const ScanError& error : open_errors) {
    if (!error.message.empty()) return Status::Error(error.message);
  }
  summary.errors = inventory->errors;
  if (inventory->shallow) {
    summary.notes.push_back("shallow clone: history before the shallow boundary is not scanned");
  }
  if (inventory->empty) summary.notes.push_back("empty repository: no commits");
  if (!inventory->messages.empty() && !stopped()) {
    Scanner scanner(engine);
    for (HistoryResult& result : ScanMessages(inventory.value(), scanner, policy, key)) {
      results.push_back(KeptResult::Of(std::move(result)));
    }
  }
  clock.EndPhase("scan");
  FindingCollector findings(options.group_by_value);
  for (KeptResult& kept : results) {
    if (kept.details == nullptr) {
      TextResult counts;
      counts.scanned = kept.scanned;
      counts.bytes = kept.bytes;
      Absorb(counts, summary, [](Finding&&) {});
      continue;
    }
    HistoryResult& result = *kept.details;
    Absorb(result.text, summary,
           [&](Finding&& finding) { findings.Add(std::move(finding), result.git); });
  }
  if (stopped()) MarkIncomplete(&summary);
  // What is left of the results (the strings of every repeated value's findings: hundreds of
  // thousands of small blocks in a long history, from the workers' heaps) and the inventory
  // are freed on a thread of their own while the report is written.
  std::thread release(
      [leftovers = std::move(results), walked = std::move(inventory).value()]() mutable {
        leftovers.clear();
        leftovers.shrink_to_fit();
        walked = GitInventory();
      });
  for (const Finding& finding : findings.findings()) {
    writer.AddFinding(finding);
    ++summary.stats.findings;
  }
  writer.Finish(summary);
  release.join();
  clock.EndPhase("report");
  if (options.timings) clock.Print();
  return summary;
}

}  // namespace leaksweep
