// Scanner: finds confirmed matches of every rule in a buffer. One per thread; not thread-safe.
#ifndef LEAKSWEEP_MATCH_SCANNER_H_
#define LEAKSWEEP_MATCH_SCANNER_H_

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "leaksweep/core/copied_range.h"
#include "leaksweep/core/status.h"
#include "leaksweep/match/engine.h"

namespace leaksweep {

struct ScanLimits {
  // Stage-one candidates kept per buffer; past this the buffer is reported as truncated.
  size_t max_candidates = 1'000'000;
  // Stage-one candidates kept per rule and buffer; a rule past it stops, the others go on.
  size_t max_candidates_per_rule = 100'000;
  // Confirmed matches kept per buffer.
  size_t max_matches = 10'000;
};

struct BufferMatches {
  std::vector<Match> matches;  // sorted by (value_start, value_end, rule_index)
  bool truncated = false;      // a limit was hit; matches are still valid
  // Rules whose PCRE2 confirmation hit its match or depth limit (reported, scan goes on).
  std::vector<size_t> rules_over_limit;
};

// What one scan leaves behind so that a scan of an edited copy of the buffer (the next version
// of a file in git history) can skip the work on the stretches the edit left alone: the narrow
// and line-bounded rules' stage-one ends (see Engine::Compiled) and the outcome of every PCRE2
// search. Built by Scanner::Scan; opaque to everyone else.
class ScanMemo {
 public:
  // Whether a later scan can build on it: false when its scan stopped early (a limit) or it
  // would have grown past its size cap.
  bool usable() const { return complete_; }
  // Heap bytes it holds, for the caller's cache budget.
  size_t bytes() const;

  struct StageOneEnd {
    uint32_t rule_index;
    size_t end;
  };
  // One PCRE2 search of stage two and what it found (offsets into the scanned buffer).
  struct Search {
    enum Kind : uint8_t { kNoMatch, kMatch, kOverLimit };
    uint32_t rule_index = 0;
    Kind kind = kNoMatch;
    size_t from = 0;                                            // start offset
    size_t subject_end = 0;                                     // the subject ended here
    size_t start = 0, end = 0, value_start = 0, value_end = 0;  // kMatch
  };

 private:
  friend class Scanner;
  std::vector<StageOneEnd> ends_;       // the narrow rules', ascending end
  std::vector<StageOneEnd> line_ends_;  // the line-bounded rules', ascending end
  std::vector<Search> searches_;        // ascending (rule_index, from)
  size_t size_ = 0;                     // of the buffer scanned
  bool complete_ = false;
};

// What Scanner::Scan may build on. Only the work done depends on it, never the result: a scan
// with `base` returns exactly what a scan without it would.
struct ScanReuse {
  // The memo of an earlier buffer, and how the buffer now scanned was made from it:
  // data[to, to + length) == earlier[from, from + length) for each range, in order of `to`.
  const ScanMemo* base = nullptr;
  std::span<const CopiedRange> copies;
  ScanMemo* memo = nullptr;  // when set, receives this scan's memo
};

// What a scanner did so far, for benchmarks and tests of ScanReuse.
struct ScannerCounters {
  uint64_t bytes = 0;            // buffer bytes scanned
  uint64_t narrow_bytes = 0;     // bytes the narrow rules' database was run over
  uint64_t line_bytes = 0;       // bytes the line-bounded rules' database was run over
  uint64_t searches_run = 0;     // PCRE2 searches run
  uint64_t searches_reused = 0;  // searches whose outcome came from a memo
  uint64_t scans_from_memo = 0;  // scans that built on an earlier buffer's memo
};

class Scanner {
 public:
  explicit Scanner(std::shared_ptr<const Engine> engine, ScanLimits limits = {});
  ~Scanner();
  Scanner(const Scanner&) = delete;
  Scanner& operator=(const Scanner&) = delete;

  const Engine& engine() const { return *engine_; }
  const ScannerCounters& counters() const { return counters_; }

  // Scans `data` and returns its confirmed, validated, de-duplicated matches.
  Result<BufferMatches> Scan(std::string_view data, const ScanReuse& reuse = {});

 private:
  struct State;
  struct Plan;
  // Stage one: candidate ends of every rule, thinned, into state_->candidates. False when
  // Hyperscan failed (`error` says why).
  bool FindCandidates(std::string_view data, const Plan& plan, ScanMemo* memo, bool* truncated,
                      std::string* error);
  struct EndSource;  // one database's ends: where they come from and go (see scanner.cc)
  // For a scan from a memo: the raw ends of the narrow or line-bounded rules (`source`),
  // ascending, into state_->gathered. Those inside copied ranges come from the memo; the edited
  // stretches, with enough bytes (or lines) around them for any match of those rules and its
  // context, are scanned. `too_many`: the gathering stopped at the candidate cap.
  bool GatherEnds(std::string_view data, const Plan& plan, const EndSource& source, bool* too_many,
                  std::string* error);
  std::shared_ptr<const Engine> engine_;
  ScanLimits limits_;
  std::unique_ptr<State> state_;
  ScannerCounters counters_;
};

}  // namespace leaksweep

#endif  // LEAKSWEEP_MATCH_SCANNER_H_
