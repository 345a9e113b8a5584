// Scanner: finds confirmed matches of every rule in a buffer. One per thread; not thread-safe.
#ifndef LEAKSWEEP_MATCH_SCANNER_H_
#define LEAKSWEEP_MATCH_SCANNER_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

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

class Scanner {
 public:
  explicit Scanner(std::shared_ptr<const Engine> engine, ScanLimits limits = {});
  ~Scanner();
  Scanner(const Scanner&) = delete;
  Scanner& operator=(const Scanner&) = delete;

  const Engine& engine() const { return *engine_; }

  // Scans `data` and returns its confirmed, validated, de-duplicated matches.
  Result<BufferMatches> Scan(std::string_view data);

 private:
  struct State;
  std::shared_ptr<const Engine> engine_;
  ScanLimits limits_;
  std::unique_ptr<State> state_;
};

}  // namespace leaksweep

#endif  // LEAKSWEEP_MATCH_SCANNER_H_
