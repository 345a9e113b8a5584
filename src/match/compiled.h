// Private to the match module: the compiled forms an Engine owns.
#ifndef LEAKSWEEP_SRC_MATCH_COMPILED_H_
#define LEAKSWEEP_SRC_MATCH_COMPILED_H_

#include <hs/hs.h>

#include <vector>

#include "leaksweep/match/engine.h"
#include "leaksweep/regex/pcre2.h"

namespace leaksweep {

// Stage one is three Hyperscan databases (expression id = rule index), split by what a
// stage-one match of the rule can span:
// - "narrow" rules: matches at most narrow_width bytes long, so whether one ends at a given
//   offset depends only on the bytes just before it;
// - "line-bounded" rules: longer or unbounded matches, but holding at most line_feeds line
//   feeds (see line_feeds.h), so an end depends only on the bytes from the (line_feeds + 1)-th
//   line feed before it;
// - "wide" rules: the others, whose ends can depend on any byte before them.
// A scan of an edited buffer takes the narrow and line-bounded rules' ends on the stretches the
// edit left alone from the earlier scan, and runs their databases over the edits (with the
// bytes or lines around them) alone. Wide rules are always run over the whole buffer. A scan
// from scratch runs the line-bounded and wide rules together, in one database: many share
// keywords, which Hyperscan then looks for once.
struct Engine::Compiled {
  static constexpr unsigned kNarrowWidth = 64;
  // More line feeds than this in a match: the lines around every edit are too many to save
  // much, and the rule is wide.
  static constexpr size_t kMaxLineFeeds = 2;

  enum class Reach : uint8_t { kNarrow, kLines, kWide };

  hs_database_t* narrow = nullptr;  // null when no rule is narrow
  hs_database_t* lines = nullptr;   // null when no rule is line-bounded
  hs_database_t* wide = nullptr;    // null when every rule is narrow or line-bounded
  // Null unless there are both line-bounded and wide rules: else it would be a second copy of
  // one of the two (see not_narrow()).
  hs_database_t* lines_and_wide = nullptr;
  // Per rule: what stage one runs, the rule's stage-one pattern or a narrow prefix of it.
  std::vector<std::string> stage_one;
  std::vector<Reach> reach;  // per rule
  size_t narrow_width = 0;   // the longest stage-one match of any narrow rule
  size_t line_feeds = 0;     // the most line feeds a line-bounded rule's stage-one match holds
  std::vector<Pcre2Code> programs;  // stage two: one per rule, JIT-compiled when possible
  // Per rule: how many bytes before a search's start PCRE2 may look at (lookbehinds, \b, ^).
  std::vector<size_t> lookbehind;
  // Per rule: how far stage two searches either side of a candidate. max_match_length, or the
  // longest match the rule's pattern can make when Hyperscan can tell and that is shorter.
  std::vector<size_t> window;
  // Per rule: stage two searches only a candidate's lines (Rule::prefilter_in_match).
  std::vector<bool> lines_only;
  uint32_t max_capture_count = 0;

  // What a scan from scratch runs after the narrow database: every other rule, in one.
  const hs_database_t* not_narrow() const {
    if (lines_and_wide != nullptr) return lines_and_wide;
    return lines != nullptr ? lines : wide;
  }

  Compiled() = default;
  Compiled(const Compiled&) = delete;
  Compiled& operator=(const Compiled&) = delete;
  ~Compiled() {
    for (hs_database_t* database : {narrow, lines, wide, lines_and_wide}) {
      if (database != nullptr) hs_free_database(database);
    }
  }
};

// Hyperscan flags used for every rule; part of the cache key.
inline constexpr unsigned kHyperscanFlags = HS_FLAG_MULTILINE;
inline constexpr uint32_t kPcre2Flags = PCRE2_MULTILINE;

}  // namespace leaksweep

#endif  // LEAKSWEEP_SRC_MATCH_COMPILED_H_
