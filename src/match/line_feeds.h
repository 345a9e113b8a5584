// Private to the match module: how many line feeds a stage-one match can hold.
//
// A "wide" rule (see Engine::Compiled) has stage-one matches of any length, so whether one
// ends at a given offset can depend on bytes arbitrarily far before it. But when a match can
// hold at most k line feeds, it lies within the k + 1 lines that end where it ends: the end
// depends only on the bytes from the (k + 1)-th line feed before it. A scan of an edited
// buffer can then take that rule's ends on the lines an edit left alone from the scan of the
// earlier version, and scan just the lines around each edit.
#ifndef LEAKSWEEP_SRC_MATCH_LINE_FEEDS_H_
#define LEAKSWEEP_SRC_MATCH_LINE_FEEDS_H_

#include <cstddef>
#include <optional>
#include <string_view>

namespace leaksweep {

// The most line feeds a match of `pattern` (PCRE syntax as Hyperscan reads it, multi-line
// mode, '.' not matching a line feed unless an (?s) option says so) can contain: 0 for
// "key=[^\s]+", 1 for "(?:^|[^a-z])key", nullopt when unbounded ("\s+") or when it cannot tell
// (syntax pattern::Parse does not model, the extended mode, Unicode properties). Judged atom
// by atom: an atom that can match a line feed counts once per repetition. Never too low: an
// atom it cannot judge counts as matching one.
std::optional<size_t> MaxLineFeeds(std::string_view pattern);

}  // namespace leaksweep

#endif  // LEAKSWEEP_SRC_MATCH_LINE_FEEDS_H_
