#include "tree_entries.h"

namespace leaksweep {
namespace {

// Equal stretches are compared 64 bytes at a time (memcmp of a constant size compiles to vector
// compares, no call), then a word, then a byte at a time: a tree's versions share kilobytes.
constexpr size_t kBlock = 64;

// The length of the longest common prefix of a and b (at most n bytes).
size_t CommonPrefix(const char* a, const char* b, size_t n) {
  size_t i = 0;
  while (i + kBlock <= n && std::memcmp(a + i, b + i, kBlock) == 0) i += kBlock;
  for (; i + 8 <= n; i += 8) {
    uint64_t x, y;
    std::memcpy(&x, a + i, 8);
    std::memcpy(&y, b + i, 8);
    if (x != y) break;
  }
  while (i < n && a[i] == b[i]) ++i;
  return i;
}

// The length of the longest common suffix of a[0, a_size) and b[0, b_size), at most n bytes.
size_t CommonSuffix(const char* a, size_t a_size, const char* b, size_t b_size, size_t n) {
  const char* x = a + a_size;
  const char* y = b + b_size;
  size_t i = 0;
  while (i + kBlock <= n && std::memcmp(x - i - kBlock, y - i - kBlock, kBlock) == 0) i += kBlock;
  for (; i + 8 <= n; i += 8) {
    uint64_t u, v;
    std::memcpy(&u, x - i - 8, 8);
    std::memcpy(&v, y - i - 8, 8);
    if (u != v) break;
  }
  while (i < n && x[-1 - static_cast<ptrdiff_t>(i)] == y[-1 - static_cast<ptrdiff_t>(i)]) ++i;
  return i;
}

// `next` keeps `raw`: through `owner` when there is one, else as a copy.
void KeepBytes(std::string_view raw, std::shared_ptr<const void> owner, TreeVersion* next) {
  if (owner != nullptr) {
    next->owner = std::move(owner);
    next->raw = raw;
  } else {
    next->copy.assign(raw);
    next->raw = next->copy;
  }
}

}  // namespace

bool AdoptLineUp(const TreeVersion& last, std::string_view raw, std::shared_ptr<const void> owner,
                 const TreeLineUp& lineup, TreeVersion* next) {
  const size_t count = last.count();
  if (raw.size() > UINT32_MAX || lineup.front + lineup.back > count) return false;
  KeepBytes(raw, std::move(owner), next);
  const std::vector<uint32_t>& starts = last.starts;
  const ptrdiff_t shift =
      static_cast<ptrdiff_t>(raw.size()) - static_cast<ptrdiff_t>(last.raw.size());
  const size_t back_at = count - lineup.back;  // the first entry of the shared back, in `last`
  const ptrdiff_t back_starts = static_cast<ptrdiff_t>(starts[back_at]) + shift;  // in `raw`
  if (back_starts < static_cast<ptrdiff_t>(starts[lineup.front])) return false;
  next->starts.assign(starts.begin(), starts.begin() + lineup.front);
  const char* data = next->raw.data();
  size_t p = starts[lineup.front];
  while (static_cast<ptrdiff_t>(p) < back_starts) {
    RawTreeEntry entry;
    const char* after = ParseEntryAt(data + p, data + raw.size(), &entry);
    if (after == nullptr) return false;
    next->starts.push_back(static_cast<uint32_t>(p));
    p = static_cast<size_t>(after - data);
  }
  if (static_cast<ptrdiff_t>(p) != back_starts) return false;
  for (size_t k = back_at; k < count; ++k) {
    next->starts.push_back(static_cast<uint32_t>(static_cast<ptrdiff_t>(starts[k]) + shift));
  }
  next->starts.push_back(static_cast<uint32_t>(raw.size()));
  return true;
}

bool LineUp(const TreeVersion* last, std::string_view raw, std::shared_ptr<const void> owner,
            TreeVersion* next, TreeLineUp* lineup) {
  if (raw.size() > UINT32_MAX) return false;  // entry starts are 32-bit: no tree is that large
  KeepBytes(raw, std::move(owner), next);
  next->starts.clear();
  *lineup = TreeLineUp();
  const char* data = next->raw.data();
  const char* const end = data + next->raw.size();
  size_t p = 0;      // where the next entry to parse starts
  size_t j_end = 0;  // entries of `last`
  size_t back_from = 0, j = 0;
  ptrdiff_t shift = 0;
  if (last != nullptr && last->count() > 0) {
    const std::vector<uint32_t>& starts = last->starts;
    j_end = last->count();
    size_t shared = CommonPrefix(last->raw.data(), data, std::min(last->raw.size(), raw.size()));
    // The entries of `last` that end within the shared front.
    lineup->front = static_cast<size_t>(std::upper_bound(starts.begin() + 1, starts.end(), shared) -
                                        (starts.begin() + 1));
    next->starts.assign(starts.begin(), starts.begin() + lineup->front);
    p = starts[lineup->front];
    size_t room = std::min(last->raw.size(), raw.size()) - p;
    size_t shared_back = CommonSuffix(last->raw.data(), last->raw.size(), data, raw.size(), room);
    back_from = last->raw.size() - shared_back;
    shift = static_cast<ptrdiff_t>(raw.size()) - static_cast<ptrdiff_t>(last->raw.size());
    j = static_cast<size_t>(
        std::lower_bound(starts.begin() + lineup->front, starts.begin() + j_end, back_from) -
        starts.begin());
  }
  while (p < raw.size()) {
    if (j < j_end) {  // is this where an entry of the shared back stretch starts?
      const std::vector<uint32_t>& starts = last->starts;
      while (j < j_end && static_cast<ptrdiff_t>(starts[j]) + shift < static_cast<ptrdiff_t>(p))
        ++j;
      if (j < j_end && static_cast<ptrdiff_t>(starts[j]) + shift == static_cast<ptrdiff_t>(p)) {
        for (size_t k = j; k < j_end; ++k) {
          next->starts.push_back(static_cast<uint32_t>(static_cast<ptrdiff_t>(starts[k]) + shift));
        }
        lineup->back = j_end - j;
        p = raw.size();
        break;
      }
    }
    RawTreeEntry entry;
    const char* after = ParseEntryAt(data + p, end, &entry);
    if (after == nullptr) return false;
    next->starts.push_back(static_cast<uint32_t>(p));
    p = static_cast<size_t>(after - data);
  }
  next->starts.push_back(static_cast<uint32_t>(raw.size()));
  return true;
}

}  // namespace leaksweep
