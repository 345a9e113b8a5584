// Every git object read by leaksweep comes from here: packed objects through PackReader, loose
// objects read and inflated here, from the objects directory and its alternates.
//
// libgit2 reads objects through an ObjectStore too (git_inventory.cc installs one as the only
// backend of each repository's object database), so that no object of an untrusted repository
// reaches libgit2's own object file parsers, which have known memory-safety bugs and endless
// loops (libgit2 1.5.1: a loose object longer than its header declares overflows the heap; a
// truncated or "pack-like" loose object, or a delta that is its own base, loops forever).
//
// Loose objects are bounds-checked the same way as packed ones: the file must be a regular file
// (a FIFO or device planted in objects/ is never read from), a zlib stream whose header names a
// commit, tree, blob or tag and a decimal size; the size must be one the file can hold (zlib
// expands at most about 1032 times), and the inflated contents must be exactly that long.
// Anything else is an error naming the object; object contents never appear in messages.
//
// Not thread-safe: one store per thread (each worker's repository handle has its own). Only
// the shelf's own calls (ShelveRead, IsShelved) may come from another thread meanwhile.
#ifndef LEAKSWEEP_INPUT_OBJECT_STORE_H_
#define LEAKSWEEP_INPUT_OBJECT_STORE_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "leaksweep/core/status.h"
#include "leaksweep/input/git_inventory.h"
#include "leaksweep/input/pack_reader.h"

namespace leaksweep {

class ObjectStore {
 public:
  // Opens the objects directory `objects_dir` (and its alternates); `cache_bytes` is the pack
  // reader's cache of whole objects.
  static Result<std::unique_ptr<ObjectStore>> Open(const std::string& objects_dir,
                                                   size_t cache_bytes);
  ~ObjectStore();
  ObjectStore(const ObjectStore&) = delete;
  ObjectStore& operator=(const ObjectStore&) = delete;

  // The object's type and contents, valid until the next Read(); nullopt when there is no such
  // object; an error when it is there but cannot be read. An object larger than `size_limit`
  // is not read (PackObject::over_limit).
  Result<std::optional<PackObject>> Read(const GitOid& id, uint64_t size_limit = UINT64_MAX);
  // From now on, commits read from the packs are also kept on a shelf by id, until taken, at
  // most `budget` bytes of them in all (then no more are shelved). A history walk reads every
  // commit twice: libgit2's commit walk reads them all before it hands out the first; the walk
  // then takes each from the shelf instead of finding and reading it again.
  void ShelveCommits(size_t budget);
  // Commit `id` from the shelf (its bytes kept alive by `owner`), now off it; nullopt when it is
  // not there.
  std::optional<PackObject> TakeShelved(const GitOid& id);
  // Commits read ahead by another thread, from another store: ShelveRead (thread-safe) puts a
  // copy of `bytes` on the shelf, if there is room and it is not there yet; while
  // ServeFromShelf(true) is in force, Read() gives what is on the shelf without reading it
  // again. This lets a second thread read the oldest commits while libgit2's commit walk reads
  // from the newest, until they meet.
  void ShelveRead(const GitOid& id, std::string_view bytes);
  bool IsShelved(const GitOid& id);
  void ServeFromShelf(bool serve);
  // Type and size, reading as little as it can (a loose object's header; a pack entry's).
  Result<std::optional<PackObjectHeader>> Header(const GitOid& id);
  // The size alone: cheaper than Header() for a packed delta (no chain is followed).
  Result<std::optional<uint64_t>> Size(const GitOid& id);
  bool Contains(const GitOid& id);
  // Calls `visit` with the id of every object: packed ones pack by pack, then loose ones,
  // directory by directory. An id stored twice may come twice.
  void ForEach(const std::function<void(const GitOid&)>& visit);
  // The ids that begin with the first `hex_digits` hex digits of `prefix`, at most `limit`.
  std::vector<GitOid> FindPrefix(const GitOid& prefix, size_t hex_digits, size_t limit);

  // See PackReader::ReadOrder and PlanReads.
  std::vector<uint32_t> ReadOrder(const std::vector<GitOid>& ids,
                                  std::vector<uint32_t>* family_starts = nullptr,
                                  const PackReader::ReadPlan* plan = nullptr);
  std::shared_ptr<const PackReader::ReadPlan> PlanReads();
  const PackReader& packs() const { return *packs_; }

 private:
  explicit ObjectStore(std::unique_ptr<PackReader> packs);
  // The path of `id`'s loose object file in the first objects directory that has one.
  std::optional<std::string> FindLoose(const GitOid& id) const;
  Result<std::optional<PackObject>> ReadLoose(const GitOid& id, uint64_t size_limit);
  Result<std::optional<PackObjectHeader>> LooseHeader(const GitOid& id) const;

  class Shelf;

  std::unique_ptr<PackReader> packs_;
  std::unique_ptr<Shelf> shelf_;  // null unless ShelveCommits was called
  std::atomic<bool> serve_from_shelf_{false};
  std::string loose_;  // the contents of the last loose object read
};

}  // namespace leaksweep

#endif  // LEAKSWEEP_INPUT_OBJECT_STORE_H_
