// Private to the input module: recycled memory blocks for the objects a PackReader builds.
//
// A history walk builds hundreds of thousands of objects (trees, commits) of a few hundred bytes
// to a few hundred KB, each freed soon after: evicted from the cache, or let go by the walk.
// glibc's allocator served them slowly: it kept growing the heap and giving the memory back
// (mprotect, then page faults on every new page), and with another allocator the walk was a
// tenth faster. The pool keeps freed blocks by size class and hands them out again.
//
// Thread-safe: a block may be given back on any thread (the last owner of an object lets go of
// it), though in practice it is nearly always the reading thread, so the lock is uncontended.
#ifndef LEAKSWEEP_SRC_INPUT_BLOCK_POOL_H_
#define LEAKSWEEP_SRC_INPUT_BLOCK_POOL_H_

#include <array>
#include <bit>
#include <cstddef>
#include <memory>
#include <mutex>
#include <new>
#include <vector>

namespace leaksweep {

class BlockPool {
 public:
  // Blocks up to kMaxPooledBytes are pooled, and at most `max_kept_bytes` of free blocks are
  // kept; larger blocks, and those beyond the bound, go back to the system allocator.
  static constexpr size_t kMaxPooledBytes = size_t{1} << 20;
  explicit BlockPool(size_t max_kept_bytes) : max_kept_bytes_(max_kept_bytes) {}
  ~BlockPool() {
    for (size_t c = 0; c < free_.size(); ++c) {
      for (void* block : free_[c]) ::operator delete(block);
    }
  }
  BlockPool(const BlockPool&) = delete;
  BlockPool& operator=(const BlockPool&) = delete;

  // A block of at least `bytes` (aligned as operator new aligns); throws std::bad_alloc.
  void* Take(size_t bytes) {
    if (bytes > kMaxPooledBytes) return ::operator new(bytes);
    const size_t size_class = ClassOf(bytes);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      std::vector<void*>& free = free_[size_class];
      if (!free.empty()) {
        void* block = free.back();
        free.pop_back();
        kept_bytes_ -= ClassBytes(size_class);
        return block;
      }
    }
    return ::operator new(ClassBytes(size_class));
  }

  // Bytes held in free blocks.
  size_t kept_bytes() {
    std::lock_guard<std::mutex> lock(mutex_);
    return kept_bytes_;
  }

  // The size of the block Take(`bytes`) returns.
  static size_t BlockBytes(size_t bytes) {
    return bytes > kMaxPooledBytes ? bytes : ClassBytes(ClassOf(bytes));
  }

  // Gives back a block Take(`bytes`) returned. Never throws: it runs as objects are destroyed.
  void Give(void* block, size_t bytes) noexcept {
    if (bytes <= kMaxPooledBytes) {
      const size_t size_class = ClassOf(bytes);
      std::lock_guard<std::mutex> lock(mutex_);
      if (kept_bytes_ + ClassBytes(size_class) <= max_kept_bytes_) {
        try {
          free_[size_class].push_back(block);
          kept_bytes_ += ClassBytes(size_class);
          return;
        } catch (const std::bad_alloc&) {
          // No room to keep it: freed below instead.
        }
      }
    }
    ::operator delete(block);
  }

 private:
  // Class 0 holds blocks of kMinBytes; above, four classes per power of two, so a block is at
  // most a quarter larger than asked: (2^p, 2^(p+1)] is cut into four steps of 2^(p-2).
  static constexpr size_t kMinBytes = 64;  // 2^6
  static constexpr size_t kSteps = 4;
  static constexpr size_t kClasses = 1 + (std::bit_width(kMaxPooledBytes - 1) - 6) * kSteps;

  static size_t ClassOf(size_t bytes) {
    if (bytes <= kMinBytes) return 0;
    const size_t power = std::bit_width(bytes - 1) - 1;  // 2^power < bytes <= 2^(power + 1)
    const size_t step = ((bytes - 1) >> (power - 2)) & (kSteps - 1);
    return 1 + (power - 6) * kSteps + step;
  }
  static size_t ClassBytes(size_t size_class) {
    if (size_class == 0) return kMinBytes;
    const size_t power = (size_class - 1) / kSteps + 6;
    const size_t step = (size_class - 1) % kSteps;
    return (size_t{1} << power) + (step + 1) * (size_t{1} << (power - 2));
  }

  std::mutex mutex_;
  std::array<std::vector<void*>, kClasses> free_;
  size_t kept_bytes_ = 0;
  const size_t max_kept_bytes_;
};

// An allocator drawing from a BlockPool, for std::allocate_shared: the control block holds a
// copy, so the pool lives as long as any object allocated from it.
template <typename T>
struct PoolAllocator {
  using value_type = T;
  static_assert(alignof(T) <= __STDCPP_DEFAULT_NEW_ALIGNMENT__);

  explicit PoolAllocator(std::shared_ptr<BlockPool> from) : pool(std::move(from)) {}
  template <typename U>
  PoolAllocator(const PoolAllocator<U>& other) : pool(other.pool) {}  // NOLINT: rebinding

  T* allocate(size_t n) {
    if (n > SIZE_MAX / sizeof(T)) throw std::bad_alloc();
    return static_cast<T*>(pool->Take(n * sizeof(T)));
  }
  void deallocate(T* block, size_t n) { pool->Give(block, n * sizeof(T)); }
  template <typename U>
  bool operator==(const PoolAllocator<U>& other) const {
    return pool == other.pool;
  }

  std::shared_ptr<BlockPool> pool;
};

}  // namespace leaksweep

#endif  // LEAKSWEEP_SRC_INPUT_BLOCK_POOL_H_
