// Private to the input module: the pack reader's cache of whole objects.
//
// Objects (any shared pointer type) by a 64-bit key, under a byte budget. Eviction is CLOCK, a
// close match of least-recently-used: a hit only marks its entry, and a hand sweeping the
// entries clears the marks it passes and evicts the first entry it finds unmarked. A new entry
// starts marked, so it outlives the hand's next pass (started unmarked, the history walk applied
// 5% more deltas than with an exact LRU; started marked, 1% fewer). Entries and
// their index are flat arrays: a history walk caches an object per tree it reads, and the list
// and map nodes of an exact LRU, allocated and freed for each, were a tenth of its reading
// thread's time.
//
// Not thread-safe: one cache per reader.
#ifndef LEAKSWEEP_SRC_INPUT_OBJECT_CACHE_H_
#define LEAKSWEEP_SRC_INPUT_OBJECT_CACHE_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace leaksweep {

template <typename Ptr>
class ObjectCache {
 public:
  static constexpr uint64_t kNoKey = UINT64_MAX;  // never stored
  static constexpr uint64_t kEntryOverhead = 64;  // the entry, its index slot, the object header

  explicit ObjectCache(uint64_t budget) : budget_(budget) {}

  // The object stored under `key` (marked as used), or null.
  Ptr Find(uint64_t key) {
    if (key == kNoKey || live_ == 0) return nullptr;
    const uint32_t entry = index_[SlotOf(key)];
    if (entry == kFree) return nullptr;
    entries_[entry].marked = true;
    return entries_[entry].object;
  }

  // Stores `object` (of `size` bytes) under `key` unless a stored object has that key. One
  // larger than the whole budget is not kept. The new entry is never evicted at once, so an
  // object a little under the budget is kept alone.
  void Insert(uint64_t key, Ptr object, uint64_t size) {
    if (key == kNoKey || object == nullptr || size > budget_) return;
    if (live_ != 0 && index_[SlotOf(key)] != kFree) return;
    const uint64_t cost = size + kEntryOverhead;
    while (bytes_ + cost > budget_ && live_ != 0) EvictOne();
    if ((live_ + 1) * 2 > index_.size()) Rehash(std::max<size_t>(1024, index_.size() * 2));
    uint32_t entry;
    if (!unused_.empty()) {
      entry = unused_.back();
      unused_.pop_back();
    } else {
      entry = static_cast<uint32_t>(entries_.size());
      entries_.emplace_back();
    }
    entries_[entry] = Entry{key, std::move(object), cost, true};
    index_[SlotOf(key)] = entry;
    ++live_;
    bytes_ += cost;
    peak_ = std::max(peak_, bytes_);
  }

  size_t size() const { return live_; }      // objects held
  uint64_t bytes() const { return bytes_; }  // their sizes and overheads
  uint64_t peak() const { return peak_; }    // the most bytes ever held

 private:
  static constexpr uint32_t kFree = UINT32_MAX;
  struct Entry {
    uint64_t key = kNoKey;
    Ptr object;  // null in an unused entry
    uint64_t cost = 0;
    bool marked = false;  // inserted or used since the hand last passed
  };

  // Keys are pack offsets, far from random in their low bits: multiplied, high bits taken.
  static size_t Hash(uint64_t key) {
    return static_cast<size_t>((key * 0x9e3779b97f4a7c15ull) >> 20);
  }

  // The index slot holding `key`, or the free slot where it would go (linear probing).
  size_t SlotOf(uint64_t key) const {
    const size_t mask = index_.size() - 1;
    size_t slot = Hash(key) & mask;
    while (index_[slot] != kFree && entries_[index_[slot]].key != key) slot = (slot + 1) & mask;
    return slot;
  }

  void EvictOne() {
    for (;;) {
      if (hand_ >= entries_.size()) hand_ = 0;
      const uint32_t at = static_cast<uint32_t>(hand_++);
      Entry& entry = entries_[at];
      if (entry.object == nullptr) continue;  // unused
      if (entry.marked) {
        entry.marked = false;
        continue;
      }
      Unindex(SlotOf(entry.key));
      bytes_ -= entry.cost;
      entry = Entry();
      unused_.push_back(at);
      --live_;
      return;
    }
  }

  // Empties index slot `slot`, moving back the entries after it that probed past it, so that
  // every lookup still finds its entry (deletion without tombstones).
  void Unindex(size_t slot) {
    const size_t mask = index_.size() - 1;
    size_t next = slot;
    for (;;) {
      next = (next + 1) & mask;
      if (index_[next] == kFree) break;
      const size_t home = Hash(entries_[index_[next]].key) & mask;
      // The entry at `next` stays unless its home slot lies cyclically outside (slot, next].
      const bool stays =
          slot < next ? (home > slot && home <= next) : (home > slot || home <= next);
      if (!stays) {
        index_[slot] = index_[next];
        slot = next;
      }
    }
    index_[slot] = kFree;
  }

  void Rehash(size_t size) {
    index_.assign(size, kFree);
    for (uint32_t entry = 0; entry < entries_.size(); ++entry) {
      if (entries_[entry].object != nullptr) index_[SlotOf(entries_[entry].key)] = entry;
    }
  }

  uint64_t budget_;
  uint64_t bytes_ = 0;
  uint64_t peak_ = 0;
  std::vector<Entry> entries_;
  std::vector<uint32_t> unused_;  // entries free for reuse
  std::vector<uint32_t> index_;   // entry by key hash; a power-of-two size, at most half full
  size_t live_ = 0;
  size_t hand_ = 0;
};

}  // namespace leaksweep

#endif  // LEAKSWEEP_SRC_INPUT_OBJECT_CACHE_H_
