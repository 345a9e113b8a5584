// Private to the match module: a bounded stage-one pattern for a rule whose pattern is not.
//
// Stage one only has to find *some* place near every match; stage two (PCRE2, in a window of
// max_match_length around it) finds the match itself. A pattern with an unbounded repeat
// ("glpat-[0-9A-Za-z_-]{20,}...") has matches of any length, so whether Hyperscan reports an
// end at a given offset can depend on bytes arbitrarily far before it. Such a rule cannot
// take its stage-one ends from an earlier scan of an edited buffer, and stage one must run it
// over every byte of every version of a file in git history.
//
// A prefix of the pattern, cut at its first unbounded repeat ("glpat-[0-9A-Za-z_-]{20}"),
// matches at the start of every match of the pattern and is bounded: it can serve as the
// stage-one pattern, and then the rule is narrow (see Engine::Compiled).
#ifndef LEAKSWEEP_SRC_MATCH_BOUNDED_PREFIX_H_
#define LEAKSWEEP_SRC_MATCH_BOUNDED_PREFIX_H_

#include <optional>
#include <string>
#include <string_view>

namespace leaksweep {

// A pattern P such that every match of `pattern` begins with a match of P, made of `pattern`'s
// leading items up to its first repeat without an upper bound, which is cut to its minimum
// count: "a(b|c)d+e" gives "a(?:b|c)d"; a group holding the cut is cut inside, in each of its
// alternatives. Capturing groups become non-capturing. nullopt when `pattern` has no unbounded
// repeat or uses syntax this does not model (back references, lookarounds, \Q...\E, comments);
// the caller then keeps the pattern as it is. P may match far more often than `pattern`: the
// caller judges whether it is worth using.
std::optional<std::string> BoundedPrefix(std::string_view pattern);

}  // namespace leaksweep

#endif  // LEAKSWEEP_SRC_MATCH_BOUNDED_PREFIX_H_
