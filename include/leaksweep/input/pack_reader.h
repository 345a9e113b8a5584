// Reads git objects straight from pack files, with zlib: the fast path under GitBlobReader.
//
// PackReader finds every pack (`pack/*.idx` + `.pack`) of an objects directory and of its
// alternates (`info/alternates`, followed recursively up to 5 levels; relative paths are
// relative to the objects directory that names them), maps them read-only, and reads objects
// by id: index lookup (fanout + binary search; .idx versions 1 and 2, with 64-bit offsets),
// inflate, and delta resolution (OFS_DELTA and REF_DELTA, the latter with its base in any pack).
//
// Delta chains are resolved iteratively (at most kMaxDeltaDepth deep; cycles are errors), and
// every object inflated or rebuilt on the way is kept in an LRU cache of whole objects keyed by
// (pack, offset) under a byte budget. Reading objects in ReadOrder() then costs one inflate or
// one delta application per object: a delta's base was just read and is still cached. Pack
// order does as well for packs git wrote with its usual write order, not for all packs.
//
// An object that is not in any pack (a loose object) is "not found" (nullopt), so the caller
// can look elsewhere (ObjectStore reads loose objects); a REF_DELTA whose base is in no pack
// is read with SetBaseSource's help, or is "not found" without it. Anything inconsistent in the
// index or pack is an error naming the object, the pack and the offset; object contents never
// appear in messages. Object hashes are not verified.
//
// Not thread-safe: use one reader per thread. The packs are mapped once per process and shared
// by all readers.
#ifndef LEAKSWEEP_INPUT_PACK_READER_H_
#define LEAKSWEEP_INPUT_PACK_READER_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "leaksweep/core/copied_range.h"
#include "leaksweep/core/status.h"
#include "leaksweep/input/git_inventory.h"

namespace leaksweep {

enum class GitObjectType : uint8_t { kCommit = 1, kTree = 2, kBlob = 3, kTag = 4 };

// Names a packed object (its pack and offset) for as long as the reader is open.
using ObjectKey = uint64_t;
inline constexpr ObjectKey kNoObjectKey = UINT64_MAX;

// How an object read was rebuilt from a delta on another packed object, for reusing work done
// on that base: the object's bytes [to, to + length) of each range are the base's bytes
// [from, from + length). Ranges are in order of `to`, adjacent ones merged; the bytes between
// them are the delta's own inserts.
struct DeltaOrigin {
  ObjectKey base = kNoObjectKey;
  std::vector<CopiedRange> copies;
};

struct PackObject {
  GitObjectType type = GitObjectType::kBlob;
  std::string_view data;  // owned by the reader: valid until its next Read()...
  // ...or for as long as this is kept (packed objects only: null for others). Built objects
  // are never changed, so a copy of `data` is not needed to keep it.
  std::shared_ptr<const void> owner;
  ObjectKey key = kNoObjectKey;  // kNoObjectKey: not from a pack
  // Set when this Read() applied the object's delta to a packed base (not when the object came
  // whole from the cache or its base is outside the packs); valid until the next Read().
  const DeltaOrigin* delta = nullptr;
  uint64_t size = 0;  // data.size(), or the size of an object over the limit
  // Set when Read() was given a size limit the object exceeds: it was not read (nothing beyond
  // its own delta data was inflated), `data` is empty and `type` is not known.
  bool over_limit = false;
};

struct PackObjectHeader {
  GitObjectType type = GitObjectType::kBlob;
  uint64_t size = 0;
};

struct PackReaderStats {
  uint64_t cache_hits = 0;   // delta bases (or requested objects) found in the cache
  uint64_t inflated = 0;     // non-delta objects inflated
  uint64_t deltas = 0;       // deltas applied
  uint64_t ref_deltas = 0;   // REF_DELTA bases looked up by id
  uint64_t cache_bytes = 0;  // bytes held by the cache now
  uint64_t cache_peak = 0;   // most bytes it ever held
};

class PackReader {
 public:
  static constexpr size_t kDefaultCacheBytes = size_t{96} << 20;
  static constexpr int kMaxDeltaDepth = 10000;
  static constexpr int kMaxAlternateDepth = 5;

  // Opens the packs of `objects_dir` (a repository's `objects` directory) and of its
  // alternates. A pack that cannot be used (unreadable, bad or unsupported index, header or
  // trailer that does not match its index) is left out and listed in skipped(): its objects
  // are then "not found". A repository without packs gives a reader that finds nothing.
  // Objects read are cached up to `cache_bytes`.
  static Result<std::unique_ptr<PackReader>> Open(const std::string& objects_dir,
                                                  size_t cache_bytes = kDefaultCacheBytes);
  ~PackReader();
  PackReader(const PackReader&) = delete;
  PackReader& operator=(const PackReader&) = delete;

  // The object's type and contents; nullopt when it is not in a pack (or is a REF_DELTA whose
  // base is not); an error when the pack data is inconsistent. An object larger than
  // `size_limit` is not read (PackObject::over_limit); checking the size this way costs nothing
  // extra, where Size() then Read() inflates the start of a delta twice.
  Result<std::optional<PackObject>> Read(const GitOid& id, uint64_t size_limit = UINT64_MAX);
  // The object's size from its header (for a delta: the result size its delta data declares,
  // inflating only the first bytes). Cheap: no delta chain is followed.
  Result<std::optional<uint64_t>> Size(const GitOid& id);
  // Type and size: follows a delta chain's headers (not its data) down to its base for the type.
  Result<std::optional<PackObjectHeader>> Header(const GitOid& id);
  bool Contains(const GitOid& id);

  // The order that reads `ids` fastest, as positions into `ids`: delta families together, each
  // object after its base (depth first), families in pack order; ids in no pack last, in the
  // order given. Pack order is not always as good: a pack a server made (or an old repack)
  // may put a delta gigabytes after its base, beyond any cache. With `family_starts`, also
  // lists the positions in the order where a delta family begins (an id in no pack is a
  // family of its own): work split at those positions keeps each object with its base.
  // `plan`: the packs' PlanReads(), made beforehand (ignored when made for other packs);
  // without it, ReadOrder plans first.
  struct ReadPlan;
  std::vector<uint32_t> ReadOrder(const std::vector<GitOid>& ids,
                                  std::vector<uint32_t>* family_starts = nullptr,
                                  const ReadPlan* plan = nullptr);
  // What ReadOrder needs that does not depend on the ids: every pack entry's header parsed
  // (nothing inflated; about 0.3 s for a pack of 500,000 objects) into the delta forest, ranked.
  // Any reader of the same packs can use it, so it can be made while another thread reads.
  std::shared_ptr<const ReadPlan> PlanReads();
  // The commits stored whole (not as deltas) in the packs `plan` was made for, pack by pack in
  // pack order. A pack lists a history's commits newest first.
  static const std::vector<GitOid>& Commits(const ReadPlan& plan);

  // Calls `visit` with every id of every pack's index, pack by pack in index order (an id in
  // two packs comes twice).
  void ForEach(const std::function<void(const GitOid&)>& visit) const;
  // Adds to `found` (without repeats, up to `limit` ids in all) the ids that begin with the
  // first `hex_digits` hex digits of `prefix`.
  void FindPrefix(const GitOid& prefix, size_t hex_digits, size_t limit,
                  std::vector<GitOid>* found) const;

  // Where REF_DELTA bases that are in no pack come from (nullopt: no such object). The view it
  // returns is copied at once.
  using BaseSource = std::function<Result<std::optional<PackObject>>(const GitOid&)>;
  void SetBaseSource(BaseSource source);

  // The objects directory given and those of its alternates, canonical, in search order.
  const std::vector<std::string>& object_dirs() const;
  // The .pack files used, and the packs left out with the reason ("<path>: <why>").
  std::vector<std::string> packs() const;
  const std::vector<std::string>& skipped() const;
  PackReaderStats stats() const;

 private:
  struct Impl;
  explicit PackReader(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace leaksweep

#endif  // LEAKSWEEP_INPUT_PACK_READER_H_
