// A range of one buffer that holds the same bytes as a range of another: how git's deltas
// rebuild an object from its base, and what lets a scan of the new buffer reuse the base's.
#ifndef LEAKSWEEP_CORE_COPIED_RANGE_H_
#define LEAKSWEEP_CORE_COPIED_RANGE_H_

#include <cstddef>

namespace leaksweep {

// buffer[to, to + length) == base[from, from + length).
struct CopiedRange {
  size_t to = 0;
  size_t from = 0;
  size_t length = 0;
  bool operator==(const CopiedRange&) const = default;
};

}  // namespace leaksweep

#endif  // LEAKSWEEP_CORE_COPIED_RANGE_H_
