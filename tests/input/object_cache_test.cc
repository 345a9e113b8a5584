// The pack reader's memory: ObjectCache (CLOCK eviction over flat arrays; every object it holds
// must stay findable through evictions, and it must keep to its budget) and BlockPool (blocks
// recycled by size class, within its bound).
#include "input/object_cache.h"

#include <doctest/doctest.h>

#include <map>
#include <memory>
#include <random>
#include <set>

#include "input/block_pool.h"

namespace leaksweep {
namespace {

struct Object {
  uint64_t key = 0;
  uint64_t size = 0;
};
using Cache = ObjectCache<std::shared_ptr<Object>>;

// Every key ever inserted that the cache still finds must be the object stored under it; the
// count and the bytes of those found must be the cache's own. (Find marks entries as used: the
// check changes what is evicted next, never what is found.)
void CheckConsistent(Cache& cache, const std::map<uint64_t, uint64_t>& inserted, uint64_t budget) {
  size_t found = 0;
  uint64_t bytes = 0;
  for (const auto& [key, size] : inserted) {
    std::shared_ptr<Object> object = cache.Find(key);
    if (object == nullptr) continue;
    REQUIRE(object->key == key);
    ++found;
    bytes += size + Cache::kEntryOverhead;
  }
  CHECK(found == cache.size());
  CHECK(bytes == cache.bytes());
  CHECK((cache.bytes() <= budget || cache.size() == 1));
}

TEST_CASE("object cache: what it holds stays findable through evictions and rehashes") {
  std::mt19937_64 random(7);
  for (uint64_t budget : {uint64_t{1} << 12, uint64_t{1} << 16, uint64_t{1} << 20}) {
    CAPTURE(budget);
    Cache cache(budget);
    std::map<uint64_t, uint64_t> inserted;
    for (int step = 0; step < 20000; ++step) {
      // Keys like pack offsets: clustered, many sharing their low bits, in a few packs.
      uint64_t key = (random() % 4) << 48 | (random() % 3000) * (random() % 2 ? 4096 : 24);
      uint64_t size = random() % (budget / 8);
      if (random() % 3 == 0) {
        if (std::shared_ptr<Object> hit = cache.Find(key)) CHECK(hit->key == key);
        continue;
      }
      if (cache.Find(key) != nullptr) continue;  // a stored key is never replaced
      cache.Insert(key, std::make_shared<Object>(Object{key, size}), size);
      inserted[key] = size;
      std::shared_ptr<Object> just = cache.Find(key);  // a new entry is never evicted at once
      REQUIRE(just != nullptr);
      CHECK(just->size == size);
      if (step % 1000 == 0) CheckConsistent(cache, inserted, budget);
    }
    CheckConsistent(cache, inserted, budget);
    CHECK(cache.peak() <= budget);
  }
}

TEST_CASE("object cache: a used object gets a second chance; one over budget is not kept") {
  Cache cache(4 * (100 + Cache::kEntryOverhead));  // room for four objects of 100 bytes
  auto insert = [&](uint64_t key) {
    cache.Insert(key, std::make_shared<Object>(Object{key, 100}), 100);
  };
  for (uint64_t key = 1; key <= 5; ++key) insert(key);
  // New entries start marked: the fifth insert's sweep unmarked all four, then took the first.
  CHECK(cache.Find(1) == nullptr);
  REQUIRE(cache.Find(3) != nullptr);  // marked again
  insert(6);                          // takes 2, the next unmarked
  insert(7);                          // passes 3 (unmarking it) and takes 4
  CHECK(cache.Find(2) == nullptr);
  CHECK(cache.Find(4) == nullptr);
  CHECK(cache.Find(3) != nullptr);
  CHECK(cache.size() == 4);

  // A new entry outlives the hand's next pass, as a used one does.
  Cache three(3 * (100 + Cache::kEntryOverhead));
  for (uint64_t key = 1; key <= 4; ++key) {  // the fourth sweeps all three, takes 1
    three.Insert(key, std::make_shared<Object>(Object{key, 100}), 100);
  }
  REQUIRE(three.Find(2) != nullptr);
  three.Insert(5, std::make_shared<Object>(Object{5, 100}), 100);  // passes 2, takes 3
  three.Insert(6, std::make_shared<Object>(Object{6, 100}), 100);  // passes 4, takes 2
  CHECK(three.Find(4) != nullptr);  // kept by the mark it was inserted with
  CHECK(three.Find(2) == nullptr);
  CHECK(three.Find(3) == nullptr);

  Cache small(1000);
  small.Insert(5, std::make_shared<Object>(Object{5, 1001}), 1001);
  CHECK(small.Find(5) == nullptr);
  small.Insert(6, std::make_shared<Object>(Object{6, 990}), 990);  // over with its overhead
  CHECK(small.Find(6) != nullptr);                                 // but kept alone
  small.Insert(7, std::make_shared<Object>(Object{7, 10}), 10);
  CHECK(small.Find(6) == nullptr);
  CHECK(small.Find(7) != nullptr);
  CHECK(small.Find(ObjectCache<std::shared_ptr<Object>>::kNoKey) == nullptr);
}

TEST_CASE("block pool: size classes fit closely, and freed blocks are handed out again") {
  size_t last = 0;
  for (size_t bytes = 1; bytes <= BlockPool::kMaxPooledBytes + 5; ++bytes) {
    size_t block = BlockPool::BlockBytes(bytes);
    REQUIRE(block >= bytes);
    REQUIRE(block >= last);                                // never smaller for a larger request
    REQUIRE((block <= 64 || block * 4 <= bytes * 5 + 4));  // at most a quarter larger
    last = block;
  }
  CHECK(BlockPool::BlockBytes(BlockPool::kMaxPooledBytes) == BlockPool::kMaxPooledBytes);

  BlockPool pool(4096);
  void* first = pool.Take(1000);
  pool.Give(first, 1000);
  CHECK(pool.kept_bytes() == BlockPool::BlockBytes(1000));
  REQUIRE(BlockPool::BlockBytes(990) == BlockPool::BlockBytes(1000));
  CHECK(pool.Take(990) == first);  // the same class: the same block
  CHECK(pool.kept_bytes() == 0);
  void* other = pool.Take(3500);
  pool.Give(first, 990);
  pool.Give(other, 3500);  // over the 4096 bound with the first: freed, not kept
  CHECK(pool.kept_bytes() == BlockPool::BlockBytes(990));
  void* large = pool.Take(BlockPool::kMaxPooledBytes + 1);  // not pooled at all
  pool.Give(large, BlockPool::kMaxPooledBytes + 1);
  CHECK(pool.kept_bytes() == BlockPool::BlockBytes(990));
}

TEST_CASE("block pool: objects made through PoolAllocator outlive the pool's other owners") {
  auto pool = std::make_shared<BlockPool>(1 << 20);
  std::shared_ptr<int[]> numbers =
      std::allocate_shared_for_overwrite<int[]>(PoolAllocator<int>(pool), 1000);
  numbers[999] = 42;
  std::weak_ptr<BlockPool> watch = pool;
  pool.reset();
  CHECK_FALSE(watch.expired());  // the object's control block holds the pool
  CHECK(numbers[999] == 42);
  numbers.reset();
  CHECK(watch.expired());
}

}  // namespace
}  // namespace leaksweep
