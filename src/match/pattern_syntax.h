// Private to the match module: a reader of the PCRE syntax that rule patterns use, for the
// analyses that choose how stage one runs a rule (bounded_prefix.h, line_feeds.h).
#ifndef LEAKSWEEP_SRC_MATCH_PATTERN_SYNTAX_H_
#define LEAKSWEEP_SRC_MATCH_PATTERN_SYNTAX_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace leaksweep::pattern {

constexpr size_t kUnbounded = SIZE_MAX;

// Sums and products of widths and counts, kUnbounded absorbing.
size_t Add(size_t a, size_t b);
size_t Times(size_t a, size_t count);

struct Item;
struct Sequence {
  std::vector<Item> items;
};

// One atom of a pattern with its quantifier.
struct Item {
  std::string text;                    // as written, quantifier included
  std::string atom;                    // as written, quantifier excluded
  bool is_group = false;               // a group: `open`, `alternatives`
  std::string open;                    // how the group opens in a prefix: "(?:", "(?i:"
  std::vector<Sequence> alternatives;  // what the group holds
  size_t atom_width = 1;               // longest match of the atom alone
  size_t min = 1, max = 1;             // repeat count (max kUnbounded)
  size_t Width() const { return Times(atom_width, max); }
};

size_t SequenceWidth(const Sequence& sequence);

// The pattern's top-level alternatives; nullopt when it uses syntax the reader does not model
// (back references, lookarounds, \Q...\E, comments, recursion, "{,n}"): it fails, never
// guesses. A non-group atom is one byte, escape, class, '.', anchor or option setting ("(?i)").
std::optional<std::vector<Sequence>> Parse(std::string_view pattern);

}  // namespace leaksweep::pattern

#endif  // LEAKSWEEP_SRC_MATCH_PATTERN_SYNTAX_H_
