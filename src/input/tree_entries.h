// Private to the input module: git tree objects as the history walk reads them, entry by
// entry, and how one version of a tree lines up with the last one seen at the same path.
#ifndef LEAKSWEEP_SRC_INPUT_TREE_ENTRIES_H_
#define LEAKSWEEP_SRC_INPUT_TREE_ENTRIES_H_

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "flat_set.h"
#include "leaksweep/input/git_inventory.h"

namespace leaksweep {

// One entry of a raw tree object; `name` points into the tree's bytes (NUL-terminated there).
struct RawTreeEntry {
  enum Kind { kBlob, kTree, kSubmodule };
  const char* name = nullptr;
  size_t name_length = 0;
  GitOid id;
  Kind kind = kBlob;
};

// Git's tree order: by name, a tree's name compared as if it ended in '/'.
inline bool TreeOrderLess(const RawTreeEntry& a, const RawTreeEntry& b) {
  size_t common = std::min(a.name_length, b.name_length);
  int order = std::memcmp(a.name, b.name, common);
  if (order != 0) return order < 0;
  auto next = [common](const RawTreeEntry& e) -> unsigned char {
    if (common < e.name_length) return static_cast<unsigned char>(e.name[common]);
    return e.kind == RawTreeEntry::kTree ? '/' : '\0';
  };
  return next(a) < next(b);
}

// Names are short: a loop beats a library call here (this runs for every entry of every tree).
inline bool SameBytes(const char* a, const char* b, size_t n) {
  for (; n >= 8; n -= 8, a += 8, b += 8) {
    uint64_t x, y;
    std::memcpy(&x, a, 8);
    std::memcpy(&y, b, 8);
    if (x != y) return false;
  }
  for (; n > 0; --n) {
    if (*a++ != *b++) return false;
  }
  return true;
}

inline bool SameEntry(const RawTreeEntry& a, const RawTreeEntry& b) {
  return OidTraits::Equal(a.id, b.id) && a.kind == b.kind && a.name_length == b.name_length &&
         SameBytes(a.name, b.name, a.name_length);
}

// A mode as it starts a tree entry ("100644 ", the space included), as the little-endian
// 64-bit word its bytes load as, and the mask of its bytes in that word.
struct KnownMode {
  uint64_t word = 0, mask = 0;
  size_t length = 0;
  uint32_t mode = 0;
  constexpr KnownMode(const char* text, uint32_t value) : mode(value) {
    while (text[length] != '\0') {
      word |= uint64_t{static_cast<unsigned char>(text[length])} << (8 * length);
      mask |= uint64_t{0xff} << (8 * length);
      ++length;
    }
  }
};

// The mode at `p` when it is one of those git writes and 8 bytes can be read there; 0
// otherwise. Recognised whole, one compare of constants each: this runs for every entry of
// every tree.
inline uint32_t CommonMode(const char* p, const char* end, size_t* length) {
  if constexpr (std::endian::native != std::endian::little) return 0;
  static constexpr KnownMode kKnown[] = {{"100644 ", 0100644},
                                         {"40000 ", 040000},
                                         {"100755 ", 0100755},
                                         {"120000 ", 0120000},
                                         {"160000 ", 0160000}};
  if (end - p < 8) return 0;
  uint64_t word;
  std::memcpy(&word, p, 8);
  for (const KnownMode& known : kKnown) {
    if ((word & known.mask) == known.word) {
      *length = known.length;
      return known.mode;
    }
  }
  return 0;
}

// Parses the tree entry at `p` (git's format: "<octal mode> <name>\0<20-byte id>") into
// `entry`; returns where the next entry starts, or nullptr when the bytes there are not a
// well-formed entry. Like libgit2, a mode of 040000 is a tree, 0160000 a submodule commit,
// anything else a blob (files, symlinks, and the odd modes old repositories have).
inline const char* ParseEntryAt(const char* p, const char* end, RawTreeEntry* entry) {
  size_t mode_length = 0;
  uint32_t mode = CommonMode(p, end, &mode_length);
  if (mode != 0) {
    p += mode_length - 1;  // at the space
  } else {
    const char* mode_start = p;
    for (; p < end && *p != ' '; ++p) {
      if (*p < '0' || *p > '7' || p - mode_start >= 7) return nullptr;
      mode = mode * 8 + static_cast<uint32_t>(*p - '0');
    }
    if (p == end || p == mode_start) return nullptr;
  }
  const char* name = ++p;
  const void* nul = std::memchr(name, '\0', static_cast<size_t>(end - name));
  if (nul == nullptr) return nullptr;
  p = static_cast<const char*>(nul);
  if (p == name || end - p < 21) return nullptr;
  entry->name = name;
  entry->name_length = static_cast<size_t>(p - name);
  std::memcpy(entry->id.bytes.data(), p + 1, 20);
  uint32_t type = mode & 0170000;
  entry->kind = type == 0040000   ? RawTreeEntry::kTree
                : type == 0160000 ? RawTreeEntry::kSubmodule
                                  : RawTreeEntry::kBlob;
  return p + 21;
}

// One version of a tree: its bytes, and where each entry starts (then where the bytes end).
struct TreeVersion {
  std::string_view raw;               // in `owner`, or in `copy`
  std::shared_ptr<const void> owner;  // the object read from a pack, kept as it is
  std::string copy;                   // the bytes, when they had no owner
  std::vector<uint32_t> starts;
  size_t count() const { return starts.empty() ? 0 : starts.size() - 1; }
  RawTreeEntry EntryAt(size_t i) const {  // of a version LineUp() accepted
    RawTreeEntry entry;
    ParseEntryAt(raw.data() + starts[i], raw.data() + raw.size(), &entry);
    return entry;
  }
  void Clear() {
    raw = {};
    owner.reset();
    copy.clear();
    starts.clear();
  }
  size_t Capacity() const { return copy.capacity() + starts.capacity() * sizeof(uint32_t); }
};

// How a tree's new version lines up with the last version seen at its path: its first `front`
// and last `back` entries are byte for byte the last version's (so are their ids: a subtree
// among them was met then); the entries between are new or changed, or moved.
struct TreeLineUp {
  size_t front = 0;
  size_t back = 0;
};

// Makes `next` the version of `raw`, and says how it lines up with `last` (may be null). Only
// what lies between the bytes both share at the front and at the back is parsed: most trees a
// history holds are their last version with an entry or two changed, and parsing every entry of
// every such version was most of the history walk's comparing. Entries in the shared stretches
// are where they were, so their starts come from `last`; the parse of the rest begins at an
// entry boundary and stops at the first one that falls where an entry of the shared back
// stretch starts (from there on both are the same bytes, entry for entry). The result is that
// of a parse from scratch. False when `raw` is not a well-formed tree.
// `owner`, when not null, keeps `raw` alive (PackObject::owner): `next` keeps it instead of a
// copy.
bool LineUp(const TreeVersion* last, std::string_view raw, std::shared_ptr<const void> owner,
            TreeVersion* next, TreeLineUp* lineup);

// Makes `next` the version of `raw`, given `lineup`: how LineUp lined the same bytes up with the
// same `last` (on another thread, say). Only the entries between the shared front and back are
// read; the other starts come from `last`. The result is LineUp's. False when `lineup` cannot be
// one of these two versions (it does not fit `last`, or the entries between do not parse or do
// not end where the shared back begins): then `next` is unusable, and LineUp is the way.
bool AdoptLineUp(const TreeVersion& last, std::string_view raw, std::shared_ptr<const void> owner,
                 const TreeLineUp& lineup, TreeVersion* next);

}  // namespace leaksweep

#endif  // LEAKSWEEP_SRC_INPUT_TREE_ENTRIES_H_
