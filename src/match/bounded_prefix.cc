#include "bounded_prefix.h"

#include <vector>

#include "pattern_syntax.h"

namespace leaksweep {
namespace {

using pattern::Item;
using pattern::kUnbounded;
using pattern::Sequence;

bool CutAlternatives(const std::vector<Sequence>& alternatives, std::string* out);

// Appends a prefix of every match of `sequence`: its items up to the first unbounded one,
// and that one cut. True when a cut was made (false: the whole sequence was appended).
bool CutSequence(const Sequence& sequence, std::string* out) {
  for (const Item& item : sequence.items) {
    if (item.Width() != kUnbounded) {
      *out += item.text;
      continue;
    }
    if (item.atom_width != kUnbounded) {  // x{n,}: every match starts with n of x
      if (item.min > 0) *out += item.atom;
      if (item.min > 1) out->append("{").append(std::to_string(item.min)).append("}");
      return true;
    }
    // An unbounded group: when it must match, a match of the group starts the rest.
    if (item.min > 0) {
      *out += item.open;
      CutAlternatives(item.alternatives, out);
      *out += ")";
    }
    return true;
  }
  return false;
}

bool CutAlternatives(const std::vector<Sequence>& alternatives, std::string* out) {
  bool cut = false;
  for (size_t i = 0; i < alternatives.size(); ++i) {
    if (i > 0) *out += "|";
    cut = CutSequence(alternatives[i], out) || cut;
  }
  return cut;
}

}  // namespace

std::optional<std::string> BoundedPrefix(std::string_view pattern) {
  std::optional<std::vector<Sequence>> alternatives = pattern::Parse(pattern);
  if (!alternatives) return std::nullopt;
  std::string prefix;
  if (!CutAlternatives(*alternatives, &prefix)) return std::nullopt;
  return prefix;
}

}  // namespace leaksweep
