// Private to the input module: open-addressing hash tables for the history walk.
//
// A history walk asks "seen before?" for every entry of every new tree: millions of lookups of
// keys that are already random (object ids, path hashes). std::unordered_* allocates a node per
// key and chases a pointer per lookup, which made these sets a third of the enumeration time.
// These tables keep keys in one array, probe linearly, and never erase.
#ifndef LEAKSWEEP_SRC_INPUT_FLAT_SET_H_
#define LEAKSWEEP_SRC_INPUT_FLAT_SET_H_

#include <cstdint>
#include <cstring>
#include <vector>

#include "leaksweep/input/git_inventory.h"

namespace leaksweep {

// Maps keys to uint32_t values. `Traits` supplies: Key, Hash(key) -> uint64_t, Equal(a, b), and
// IsEmpty(key) / Empty() for the reserved key marking a free slot (that key cannot be stored).
template <typename Traits>
class FlatMap {
 public:
  using Key = typename Traits::Key;

  // Inserts key -> value unless present. Returns the stored value and whether it was inserted.
  std::pair<uint32_t, bool> TryEmplace(const Key& key, uint32_t value) {
    if ((size_ + 1) * 2 > slots_.size()) Grow();
    size_t slot = Find(key);
    if (!Traits::IsEmpty(slots_[slot].key)) return {slots_[slot].value, false};
    slots_[slot] = {key, value};
    ++size_;
    return {value, true};
  }

  bool Insert(const Key& key) { return TryEmplace(key, 0).second; }

  // The value stored for key, or nullptr.
  const uint32_t* Get(const Key& key) const {
    if (slots_.empty()) return nullptr;
    size_t slot = Find(key);
    return Traits::IsEmpty(slots_[slot].key) ? nullptr : &slots_[slot].value;
  }

  bool Contains(const Key& key) const { return Get(key) != nullptr; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

 private:
  struct Slot {
    Key key = Traits::Empty();
    uint32_t value = 0;
  };

  // The slot holding key, or the free slot where it would go.
  size_t Find(const Key& key) const {
    size_t mask = slots_.size() - 1;
    size_t slot = Traits::Hash(key) & mask;
    while (!Traits::IsEmpty(slots_[slot].key) && !Traits::Equal(slots_[slot].key, key)) {
      slot = (slot + 1) & mask;
    }
    return slot;
  }

  void Grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.empty() ? 1024 : old.size() * 2, Slot{});
    for (const Slot& entry : old) {
      if (!Traits::IsEmpty(entry.key)) slots_[Find(entry.key)] = entry;
    }
  }

  std::vector<Slot> slots_;
  size_t size_ = 0;
};

// Object ids are SHA-1 digests: their first bytes are already a good hash. The all-zero id
// (git's "null" id, never a real object) marks a free slot.
struct OidTraits {
  using Key = GitOid;
  static uint64_t Hash(const GitOid& id) {
    uint64_t h;
    std::memcpy(&h, id.bytes.data(), sizeof h);
    return h;
  }
  // Word-sized compares: these run on every probe, where a memcmp call cost more than the rest.
  static bool Equal(const GitOid& a, const GitOid& b) {
    uint64_t a0, a1, b0, b1;
    uint32_t a2, b2;
    std::memcpy(&a0, a.bytes.data(), 8);
    std::memcpy(&b0, b.bytes.data(), 8);
    std::memcpy(&a1, a.bytes.data() + 8, 8);
    std::memcpy(&b1, b.bytes.data() + 8, 8);
    std::memcpy(&a2, a.bytes.data() + 16, 4);
    std::memcpy(&b2, b.bytes.data() + 16, 4);
    return ((a0 ^ b0) | (a1 ^ b1) | (a2 ^ b2)) == 0;
  }
  static GitOid Empty() { return GitOid{}; }
  static bool IsEmpty(const GitOid& id) { return Equal(id, GitOid{}); }
};

// 64-bit keys that are hashes already; zero marks a free slot (callers never store zero).
struct U64Traits {
  using Key = uint64_t;
  static uint64_t Hash(uint64_t key) { return key ^ (key >> 29); }
  static bool Equal(uint64_t a, uint64_t b) { return a == b; }
  static uint64_t Empty() { return 0; }
  static bool IsEmpty(uint64_t key) { return key == 0; }
};

using OidIndex = FlatMap<OidTraits>;  // object id -> index
using OidSet = FlatMap<OidTraits>;    // object ids (values unused)
using U64Set = FlatMap<U64Traits>;    // nonzero 64-bit hashes

}  // namespace leaksweep

#endif  // LEAKSWEEP_SRC_INPUT_FLAT_SET_H_
