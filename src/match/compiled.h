// Private to the match module: the compiled forms an Engine owns.
#ifndef LEAKSWEEP_SRC_MATCH_COMPILED_H_
#define LEAKSWEEP_SRC_MATCH_COMPILED_H_

#include <hs/hs.h>

#include <vector>

#include "leaksweep/match/engine.h"
#include "leaksweep/regex/pcre2.h"

namespace leaksweep {

// Stage one is two Hyperscan databases (expression id = rule index), split by how long a
// stage-one match can be. A "narrow" rule's matches are at most narrow_width bytes long, so
// whether one ends at a given offset depends only on the bytes just before it: a scan of an
// edited buffer takes the narrow rules' ends inside unchanged stretches from the earlier scan
// and runs the narrow database over the edits alone. Wide rules (longer or unbounded matches)
// are always run over the whole buffer; together they cost about a third of stage one.
struct Engine::Compiled {
  static constexpr unsigned kNarrowWidth = 64;

  hs_database_t* narrow = nullptr;  // null when no rule is narrow
  hs_database_t* wide = nullptr;    // null when every rule is narrow
  // Per rule: what stage one runs, the rule's stage-one pattern or a narrow prefix of it.
  std::vector<std::string> stage_one;
  std::vector<bool> is_narrow;      // per rule
  size_t narrow_width = 0;          // the longest stage-one match of any narrow rule
  std::vector<Pcre2Code> programs;  // stage two: one per rule, JIT-compiled when possible
  // Per rule: how many bytes before a search's start PCRE2 may look at (lookbehinds, \b, ^).
  std::vector<size_t> lookbehind;
  // Per rule: how far stage two searches either side of a candidate. max_match_length, or the
  // longest match the rule's pattern can make when Hyperscan can tell and that is shorter.
  std::vector<size_t> window;
  uint32_t max_capture_count = 0;

  Compiled() = default;
  Compiled(const Compiled&) = delete;
  Compiled& operator=(const Compiled&) = delete;
  ~Compiled() {
    if (narrow != nullptr) hs_free_database(narrow);
    if (wide != nullptr) hs_free_database(wide);
  }
};

// Hyperscan flags used for every rule; part of the cache key.
inline constexpr unsigned kHyperscanFlags = HS_FLAG_MULTILINE;
inline constexpr uint32_t kPcre2Flags = PCRE2_MULTILINE;

}  // namespace leaksweep

#endif  // LEAKSWEEP_SRC_MATCH_COMPILED_H_
