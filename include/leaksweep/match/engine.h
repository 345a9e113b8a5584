// The matching engine: every rule compiled into one Hyperscan database, plus one PCRE2 program
// per rule for confirmation.
//
// Data flow for one buffer (see Scanner):
//   stage one  Hyperscan, without start-of-match tracking, records (rule, end offset) pairs;
//   stage two  per rule, PCRE2 confirms candidates in a window around the candidate's end (the
//              rule's max_match_length, or its pattern's longest match when shorter) and
//              extracts the value (capture group 1). Each byte is searched by a rule's PCRE2
//              program a bounded number of times, so a buffer dense with candidates stays linear;
//   then       keywords and validators, then overlapping matches are de-duplicated.
//
// An Engine is immutable once built and shared by all threads; each thread makes its own
// Scanner (which owns the per-thread Hyperscan scratch and PCRE2 match data).
#ifndef LEAKSWEEP_MATCH_ENGINE_H_
#define LEAKSWEEP_MATCH_ENGINE_H_

#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "leaksweep/core/status.h"
#include "leaksweep/rules/rule.h"

namespace leaksweep {

struct EngineOptions {
  // Where compiled databases and Hyperscan's analysis of the patterns are cached (created
  // 0700, files 0600). Empty: no cache.
  std::filesystem::path cache_dir;
};

// One confirmed match. Offsets are byte offsets into the scanned buffer.
struct Match {
  size_t rule_index = 0;  // into the engine's RuleSet
  size_t start = 0;       // whole match
  size_t end = 0;
  size_t value_start = 0;  // the sensitive value (capture group 1, or the whole match)
  size_t value_end = 0;
  bool test_value = false;  // a validator recognised a well-known test or reserved value
  auto operator<=>(const Match&) const = default;
};

class Engine {
 public:
  // Compiles (or loads from the cache) the database for `rules`. Errors name the rule, its
  // file and line when a pattern does not compile.
  static Result<std::shared_ptr<const Engine>> Build(RuleSet rules, const EngineOptions& options);

  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  const RuleSet& rules() const { return rules_; }
  // Everything Build() computes from the rules alone came from the cache: nothing was
  // compiled by Hyperscan or analysed by it.
  bool loaded_from_cache() const { return loaded_from_cache_; }

  // Opaque handles used by Scanner.
  struct Compiled;
  const Compiled& compiled() const { return *compiled_; }

 private:
  Engine(RuleSet rules, std::unique_ptr<Compiled> compiled, bool from_cache);
  RuleSet rules_;
  std::unique_ptr<Compiled> compiled_;
  bool loaded_from_cache_ = false;
};

// Default cache directory: $LEAKSWEEP_CACHE_DIR, else $XDG_CACHE_HOME/leaksweep, else
// ~/.cache/leaksweep. Empty when none can be determined.
std::filesystem::path DefaultCacheDir();

}  // namespace leaksweep

#endif  // LEAKSWEEP_MATCH_ENGINE_H_
