#include "leaksweep/input/pack_reader.h"

#include <fcntl.h>
#include <libdeflate.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <climits>
#include <cstddef>
#include <cstring>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <new>
#include <optional>
#include <set>
#include <sstream>
#include <utility>

#include "block_pool.h"
#include "object_cache.h"

namespace leaksweep {
namespace {

namespace fs = std::filesystem;

constexpr int kTypeCommit = 1, kTypeTag = 4, kTypeOfsDelta = 6, kTypeRefDelta = 7;
constexpr uint64_t kPackHeaderSize = 12;
constexpr uint64_t kHashSize = 20;
// zlib cannot expand data more than about 1032 times; a declared size beyond this bound (with
// room to spare) is corrupt, and is refused before anything is allocated for it.
constexpr uint64_t kMaxInflateRatio = 2048;
// One delta copy instruction (at most 8 bytes) copies at most 2^24 - 1 bytes.
constexpr uint64_t kMaxDeltaRatio = uint64_t{1} << 24;
// A delta data buffer is given back after use when it grew beyond this.
constexpr uint64_t kKeepScratchBytes = uint64_t{16} << 20;

uint32_t Be32(const uint8_t* p) {
  return uint32_t{p[0]} << 24 | uint32_t{p[1]} << 16 | uint32_t{p[2]} << 8 | uint32_t{p[3]};
}
uint64_t Be64(const uint8_t* p) { return uint64_t{Be32(p)} << 32 | Be32(p + 4); }

// A whole object, shared by the cache and the reader's current result. Its bytes follow it in
// the same allocation: one allocation per object, not two (a history walk builds hundreds of
// thousands, and freeing them all was most of a walk's tear-down).
struct ObjectData {
  uint8_t* bytes = nullptr;  // right after this header, in the same block
  uint64_t size = 0;
  GitObjectType type = GitObjectType::kBlob;
};
using ObjectPtr = std::shared_ptr<ObjectData>;

// An object of `size` bytes, not initialised, its block from `pool`; null when memory runs out.
ObjectPtr NewObject(uint64_t size, GitObjectType type, const std::shared_ptr<BlockPool>& pool) {
  using Unit = std::max_align_t;
  constexpr size_t kHeaderUnits = (sizeof(ObjectData) + sizeof(Unit) - 1) / sizeof(Unit);
  if (size > PTRDIFF_MAX / 2) return nullptr;
  size_t units = kHeaderUnits + (std::max<uint64_t>(size, 1) + sizeof(Unit) - 1) / sizeof(Unit);
  std::shared_ptr<Unit[]> block;
  try {
    // One allocation, not zeroed.
    block = std::allocate_shared_for_overwrite<Unit[]>(PoolAllocator<Unit>(pool), units);
  } catch (const std::bad_alloc&) {
    return nullptr;
  }
  auto* object = new (block.get()) ObjectData{
      reinterpret_cast<uint8_t*>(block.get() + kHeaderUnits), size, type};  // trivially destroyed
  return ObjectPtr(std::move(block), object);  // shares the block's ownership
}

// A file mapped read-only.
class MappedFile {
 public:
  MappedFile() = default;
  ~MappedFile() {
    if (data_ != nullptr) munmap(const_cast<uint8_t*>(data_), size_);
  }
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  // Empty on success, else why not.
  std::string Map(const std::string& path) {
    // Non-blocking: a FIFO planted in a repository must not hang the open.
    int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0) return std::string("cannot open: ") + std::strerror(errno);
    struct stat info;
    std::string error;
    if (fstat(fd, &info) != 0) {
      error = std::string("cannot stat: ") + std::strerror(errno);
    } else if (!S_ISREG(info.st_mode)) {
      error = "not a regular file";
    } else if (info.st_size == 0) {
      error = "empty file";
    } else {
      void* p = mmap(nullptr, static_cast<size_t>(info.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
      if (p == MAP_FAILED) {
        error = std::string("cannot map: ") + std::strerror(errno);
      } else {
        data_ = static_cast<const uint8_t*>(p);
        size_ = static_cast<uint64_t>(info.st_size);
      }
    }
    close(fd);
    return error;
  }
  const uint8_t* data() const { return data_; }
  uint64_t size() const { return size_; }

 private:
  const uint8_t* data_ = nullptr;
  uint64_t size_ = 0;
};

// One pack: its index and its data, both mapped.
struct Pack {
  std::string path;  // of the .pack
  std::string name;  // its file name, for messages
  MappedFile index;
  MappedFile data;
  int index_version = 2;
  uint32_t count = 0;
  const uint8_t* fanout = nullptr;   // 256 big-endian counts
  const uint8_t* ids = nullptr;      // v2: 20-byte ids; v1: 24-byte entries (offset, id)
  const uint8_t* offsets = nullptr;  // v2: 4-byte offsets (high bit: index into `large`)
  const uint8_t* large = nullptr;    // v2: 8-byte offsets
  uint64_t large_count = 0;
  uint64_t end = 0;  // where object data ends: the trailing checksum

  // Maps `index_path` and the pack at `path`, and checks that they agree. Empty on success,
  // else why the pack cannot be used.
  std::string Open(const std::string& index_path) {
    if (std::string error = index.Map(index_path); !error.empty()) return "index: " + error;
    const uint8_t* p = index.data();
    const uint64_t n = index.size();
    uint64_t header = 0;
    static constexpr uint8_t kMagic[4] = {0xff, 't', 'O', 'c'};
    if (n >= 8 && std::memcmp(p, kMagic, 4) == 0) {
      uint32_t version = Be32(p + 4);
      if (version != 2) return "index version " + std::to_string(version) + " is not supported";
      header = 8;
      index_version = 2;
    } else {
      index_version = 1;
    }
    if (n < header + 256 * 4 + 2 * kHashSize) return "index is too short";
    fanout = p + header;
    for (int i = 1; i < 256; ++i) {
      if (Be32(fanout + 4 * i) < Be32(fanout + 4 * (i - 1))) return "index fanout is not sorted";
    }
    count = Be32(fanout + 255 * 4);
    ids = fanout + 256 * 4;
    if (index_version == 2) {
      uint64_t need = header + 256 * 4 + uint64_t{count} * (kHashSize + 8) + 2 * kHashSize;
      if (n < need || (n - need) % 8 != 0) return "index size does not match its object count";
      offsets = ids + uint64_t{count} * (kHashSize + 4);  // past the ids and CRCs
      large = offsets + uint64_t{count} * 4;
      large_count = (n - need) / 8;
    } else if (n != 256 * 4 + uint64_t{count} * (4 + kHashSize) + 2 * kHashSize) {
      return "index size does not match its object count";
    }
    if (std::string error = data.Map(path); !error.empty()) return "pack: " + error;
    const uint8_t* d = data.data();
    if (data.size() < kPackHeaderSize + kHashSize) return "pack is too short";
    if (std::memcmp(d, "PACK", 4) != 0) return "not a pack file (bad signature)";
    uint32_t version = Be32(d + 4);
    if (version != 2 && version != 3) {
      return "pack version " + std::to_string(version) + " is not supported";
    }
    if (Be32(d + 8) != count) {
      return "pack holds " + std::to_string(Be32(d + 8)) + " objects, its index " +
             std::to_string(count);
    }
    if (std::memcmp(d + data.size() - kHashSize, p + n - 2 * kHashSize, kHashSize) != 0) {
      return "pack checksum does not match its index (truncated or replaced?)";
    }
    end = data.size() - kHashSize;
    return {};
  }

  // memcmp order of two 20-byte ids, in word-sized loads: this runs for every probe of every
  // lookup, where a memcmp call cost more than the rest of the search.
  static int CompareIds(const uint8_t* a, const uint8_t* b) {
    for (int at : {0, 8}) {
      uint64_t x = Be64(a + at), y = Be64(b + at);
      if (x != y) return x < y ? -1 : 1;
    }
    uint32_t x = Be32(a + 16), y = Be32(b + 16);
    return x == y ? 0 : (x < y ? -1 : 1);
  }

  // The position of `id` in the index, or -1.
  // Ids are uniformly distributed, so this is an interpolation search: each probe goes where the
  // id's value puts it between the values known to bound it, which brackets it within a few
  // positions in two or three probes, each a cache miss in a large index (a binary search took
  // a dozen; one interpolated guess then galloping, six to ten). A crafted index that is not
  // uniform only costs the bounded number of interpolation steps before the binary search.
  int64_t Find(const uint8_t* id) const {
    uint32_t lo = id[0] == 0 ? 0 : Be32(fanout + 4 * (id[0] - 1));
    uint32_t hi = Be32(fanout + 4 * id[0]);
    auto compare = [&](uint32_t pos) { return CompareIds(IdAt(pos), id); };
    // Keys are ids' first 8 bytes: none at [lo, hi) is below `below` or above `above`.
    const uint64_t key = Be64(id);
    uint64_t below = uint64_t{id[0]} << 56;
    uint64_t above = below | 0x00ffffffffffffffull;
    constexpr int kInterpolations = 4;
    constexpr uint32_t kSearchedDirectly = 8;  // a range this short is binary searched
    for (int step = 0; step < kInterpolations && hi - lo > kSearchedDirectly; ++step) {
      // Below 1 for a sorted index; clamped, for one that is not.
      const double share =
          static_cast<double>(key - below) / (static_cast<double>(above - below) + 1.0);
      const uint32_t pos =
          lo + static_cast<uint32_t>(std::min(share * (hi - lo), static_cast<double>(hi - lo - 1)));
      const int order = compare(pos);
      if (order == 0) return pos;
      if (order < 0) {
        lo = pos + 1;
        below = Be64(IdAt(pos));
      } else {
        hi = pos;
        above = Be64(IdAt(pos));
      }
    }
    while (lo < hi) {
      uint32_t mid = lo + (hi - lo) / 2;
      int order = compare(mid);
      if (order == 0) return mid;
      if (order < 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return -1;
  }

  // The id at position `pos` of the index.
  const uint8_t* IdAt(uint32_t pos) const {
    return index_version == 2 ? ids + uint64_t{pos} * kHashSize
                              : ids + 4 + uint64_t{pos} * (kHashSize + 4);
  }

  // The first position whose id is not below `id` (in its fanout bucket).
  uint32_t LowerBound(const uint8_t* id) const {
    uint32_t lo = id[0] == 0 ? 0 : Be32(fanout + 4 * (id[0] - 1));
    uint32_t hi = Be32(fanout + 4 * id[0]);
    while (lo < hi) {
      uint32_t mid = lo + (hi - lo) / 2;
      if (std::memcmp(IdAt(mid), id, kHashSize) < 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  // The offset the index gives for position `pos`; 0 (never an object's offset) when it is
  // out of bounds.
  uint64_t OffsetAt(uint32_t pos) const {
    uint64_t offset;
    if (index_version == 1) {
      offset = Be32(ids + uint64_t{pos} * (kHashSize + 4));
    } else {
      uint32_t small = Be32(offsets + uint64_t{pos} * 4);
      if ((small & 0x80000000u) == 0) {
        offset = small;
      } else {
        uint32_t slot = small & 0x7fffffffu;
        if (slot >= large_count) return 0;
        offset = Be64(large + uint64_t{slot} * 8);
      }
    }
    return offset >= kPackHeaderSize && offset < end ? offset : 0;
  }
};

// Packs are mapped once per process and shared by every reader (each worker thread has its
// own): their pages are counted once, and a second reader opens without parsing anything. A
// Pack is immutable once open. Keyed by path and file identity, so a pack rewritten in place
// is mapped afresh.
std::shared_ptr<const Pack> SharedPack(const std::string& index_path, const std::string& pack_path,
                                       std::string* error) {
  static std::mutex mutex;
  static std::map<std::string, std::weak_ptr<const Pack>> packs;
  struct stat index_info, pack_info;
  if (stat(index_path.c_str(), &index_info) != 0 || stat(pack_path.c_str(), &pack_info) != 0) {
    *error = std::string("cannot stat: ") + std::strerror(errno);
    return nullptr;
  }
  if (!S_ISREG(index_info.st_mode) || !S_ISREG(pack_info.st_mode)) {
    *error = "not a regular file";  // never opened: a FIFO or a device could block or worse
    return nullptr;
  }
  std::string key = pack_path;
  for (const struct stat* info : {&index_info, &pack_info}) {
    key += ':' + std::to_string(info->st_dev) + ':' + std::to_string(info->st_ino) + ':' +
           std::to_string(info->st_size) + ':' + std::to_string(info->st_mtim.tv_sec) + '.' +
           std::to_string(info->st_mtim.tv_nsec);
  }
  std::lock_guard<std::mutex> lock(mutex);
  if (auto it = packs.find(key); it != packs.end()) {
    if (std::shared_ptr<const Pack> pack = it->second.lock()) return pack;
  }
  auto pack = std::make_shared<Pack>();
  pack->path = pack_path;
  pack->name = fs::path(pack_path).filename().string();
  if (std::string why = pack->Open(index_path); !why.empty()) {
    *error = why;
    return nullptr;
  }
  std::erase_if(packs, [](const auto& entry) { return entry.second.expired(); });
  packs[key] = pack;
  return pack;
}

struct Location {
  uint32_t pack = 0;
  uint64_t offset = 0;
  bool operator==(const Location&) const = default;
};

// An object's header in the pack.
struct Entry {
  int type = 0;
  uint64_t size = 0;                 // of the object, or of the delta data
  uint64_t data = 0;                 // offset of the zlib stream
  uint64_t base_offset = 0;          // OFS_DELTA
  const uint8_t* base_id = nullptr;  // REF_DELTA
};

// Parses the header at `offset`; null on success, else what is wrong.
const char* ParseEntry(const Pack& pack, uint64_t offset, Entry* entry) {
  const uint8_t* d = pack.data.data();
  const uint64_t end = pack.end;
  uint64_t p = offset;
  if (p < kPackHeaderSize || p >= end) return "object offset outside the pack";
  uint8_t c = d[p++];
  entry->type = (c >> 4) & 7;
  uint64_t size = c & 15;
  int shift = 4;
  while (c & 0x80) {
    if (p >= end) return "truncated object header";
    if (shift > 57) return "object header declares an impossible size";
    c = d[p++];
    size += uint64_t{c & 0x7fu} << shift;
    shift += 7;
  }
  entry->size = size;
  if (entry->type >= kTypeCommit && entry->type <= kTypeTag) {
    // a whole object
  } else if (entry->type == kTypeOfsDelta) {
    if (p >= end) return "truncated delta base offset";
    c = d[p++];
    uint64_t distance = c & 127;
    while (c & 128) {
      distance += 1;
      if (distance == 0 || (distance >> 57) != 0) return "corrupt delta base offset";
      if (p >= end) return "truncated delta base offset";
      c = d[p++];
      distance = (distance << 7) + (c & 127);
    }
    if (distance == 0 || distance > offset - kPackHeaderSize) {
      return "delta base offset outside the pack";
    }
    entry->base_offset = offset - distance;
  } else if (entry->type == kTypeRefDelta) {
    if (end - p < kHashSize) return "truncated delta base id";
    entry->base_id = d + p;
    p += kHashSize;
  } else {
    return "unknown object type";
  }
  entry->data = p;
  if (size / kMaxInflateRatio > end - p) return "object declares a size its data cannot hold";
  return nullptr;
}

// A reused buffer for inflated delta data.
class Scratch {
 public:
  // Room for `size` bytes; false when memory runs out.
  bool Reserve(uint64_t size) {
    if (size <= capacity_ && bytes_ != nullptr) return true;
    bytes_.reset();
    capacity_ = 0;
    if (size > PTRDIFF_MAX) return false;
    bytes_.reset(new (std::nothrow) uint8_t[size == 0 ? 1 : size]);
    if (bytes_ == nullptr) return false;
    capacity_ = size;
    return true;
  }
  // Gives the memory back when one large delta made it grow past kKeepScratchBytes.
  void Trim() {
    if (capacity_ <= kKeepScratchBytes) return;
    bytes_.reset();
    capacity_ = 0;
  }
  uint8_t* get() const { return bytes_.get(); }

 private:
  std::unique_ptr<uint8_t[]> bytes_;
  uint64_t capacity_ = 0;
};

// Inflates zlib streams: whole objects with libdeflate, which decodes the same data about
// twice as fast as zlib when the whole input and the output size are known (they are: the pack
// is mapped, the size is in the entry header); the first bytes of a stream with zlib, which can
// stop early.
class Inflater {
 public:
  Inflater() : whole_(libdeflate_alloc_decompressor()) { ok_ = inflateInit(&z_) == Z_OK; }
  ~Inflater() {
    if (ok_) inflateEnd(&z_);
    if (whole_ != nullptr) libdeflate_free_decompressor(whole_);
  }
  Inflater(const Inflater&) = delete;
  Inflater& operator=(const Inflater&) = delete;

  // Inflates the zlib stream starting at `in` (at most `in_size` bytes of it) into exactly
  // `out_size` bytes at `out`. Null on success, else what is wrong.
  const char* Full(const uint8_t* in, uint64_t in_size, uint8_t* out, uint64_t out_size) {
    if (whole_ == nullptr) return "cannot start the decompressor";
    size_t used = 0, made = 0;
    switch (libdeflate_zlib_decompress_ex(whole_, in, in_size, out, out_size, &used, &made)) {
      case LIBDEFLATE_SUCCESS:
        return made == out_size ? nullptr : "object inflates to less than its declared size";
      case LIBDEFLATE_INSUFFICIENT_SPACE:
        return "object inflates to more than its declared size";
      default:
        return "corrupt or truncated zlib stream";
    }
  }

  // Inflates the first bytes of the stream at `in`, up to `cap`; how many, or -1 when the
  // stream is corrupt.
  int64_t Prefix(const uint8_t* in, uint64_t in_size, uint8_t* out, size_t cap) {
    if (!ok_ || inflateReset(&z_) != Z_OK) return -1;
    z_.next_in = const_cast<Bytef*>(in);
    z_.avail_in = static_cast<uInt>(std::min<uint64_t>(in_size, UINT_MAX));
    z_.next_out = out;
    z_.avail_out = static_cast<uInt>(cap);
    int rc = inflate(&z_, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) return -1;
    return static_cast<int64_t>(cap - z_.avail_out);
  }

 private:
  libdeflate_decompressor* whole_;
  z_stream z_{};
  bool ok_ = false;
};

// A delta size: 7 bits a byte, least significant first.
bool ReadVarint(const uint8_t** p, const uint8_t* end, uint64_t* out) {
  uint64_t value = 0;
  int shift = 0;
  uint8_t c;
  do {
    if (*p >= end || shift > 63) return false;
    c = *(*p)++;
    value |= uint64_t{c & 0x7fu} << shift;
    shift += 7;
  } while (c & 0x80);
  *out = value;
  return true;
}

// Adds `range` to `copies`, merged with the last one when it continues it in both buffers (git
// splits long copies into instructions of at most 64 KiB).
void AddCopy(const CopiedRange& range, std::vector<CopiedRange>* copies) {
  if (!copies->empty()) {
    CopiedRange& last = copies->back();
    if (last.to + last.length == range.to && last.from + last.length == range.from) {
      last.length += range.length;
      return;
    }
  }
  copies->push_back(range);
}

// Applies the delta instructions [p, end) to `base`, writing exactly `out_size` bytes at `out`.
// Null on success, else what is wrong. With `copies`, lists the ranges copied from the base.
const char* ApplyDelta(const uint8_t* base, uint64_t base_size, const uint8_t* p,
                       const uint8_t* end, uint8_t* out, uint64_t out_size,
                       std::vector<CopiedRange>* copies = nullptr) {
  uint8_t* o = out;
  uint64_t room = out_size;
  while (p < end) {
    uint8_t cmd = *p++;
    if (cmd & 0x80) {
      uint64_t offset = 0, size = 0;
      for (int i = 0; i < 4; ++i) {
        if (cmd & (1u << i)) {
          if (p >= end) return "truncated delta copy instruction";
          offset |= uint64_t{*p++} << (8 * i);
        }
      }
      for (int i = 0; i < 3; ++i) {
        if (cmd & (0x10u << i)) {
          if (p >= end) return "truncated delta copy instruction";
          size |= uint64_t{*p++} << (8 * i);
        }
      }
      if (size == 0) size = 0x10000;
      if (offset > base_size || size > base_size - offset) return "delta copies outside its base";
      if (size > room) return "delta result is longer than declared";
      if (copies != nullptr) AddCopy({static_cast<size_t>(o - out), offset, size}, copies);
      std::memcpy(o, base + offset, size);
      o += size;
      room -= size;
    } else if (cmd != 0) {
      if (cmd > end - p) return "truncated delta insert instruction";
      if (cmd > room) return "delta result is longer than declared";
      std::memcpy(o, p, cmd);
      p += cmd;
      o += cmd;
      room -= cmd;
    } else {
      return "corrupt delta (reserved instruction 0)";
    }
  }
  if (room != 0) return "delta result is shorter than declared";
  return nullptr;
}

// Where a packed object is, as a cache key: kNoObjectKey when it does not fit one.
uint64_t CacheKey(const Location& at) {
  if (at.pack >= (1u << 15) || at.offset >= (uint64_t{1} << 48)) return kNoObjectKey;
  return uint64_t{at.pack} << 48 | at.offset;
}
static_assert(kNoObjectKey == ObjectCache<ObjectPtr>::kNoKey,
              "a key that fits none is never cached");

// The contents of an alternates file; empty when there is none or it is not a regular file
// (never opened then), and at most 1 MiB of it.
std::string ReadAlternates(const fs::path& path) {
  struct stat info;
  if (stat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) return {};
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) return {};
  std::string text;
  char buffer[8192];
  ssize_t n;
  while (text.size() < (1u << 20) && (n = read(fd, buffer, sizeof buffer)) > 0) {
    text.append(buffer, static_cast<size_t>(n));
  }
  close(fd);
  return text;
}

// Undoes git's C-style quoting of a path ("a\tb", "\303\251").
std::string Unquote(const std::string& quoted) {
  std::string out;
  for (size_t i = 1; i < quoted.size() && quoted[i] != '"'; ++i) {
    char c = quoted[i];
    if (c != '\\' || i + 1 >= quoted.size()) {
      out.push_back(c);
      continue;
    }
    char e = quoted[++i];
    switch (e) {
      case 'a':
        out.push_back('\a');
        break;
      case 'b':
        out.push_back('\b');
        break;
      case 'f':
        out.push_back('\f');
        break;
      case 'n':
        out.push_back('\n');
        break;
      case 'r':
        out.push_back('\r');
        break;
      case 't':
        out.push_back('\t');
        break;
      case 'v':
        out.push_back('\v');
        break;
      default:
        if (e >= '0' && e <= '3' && i + 2 < quoted.size() && quoted[i + 1] >= '0' &&
            quoted[i + 1] <= '7' && quoted[i + 2] >= '0' && quoted[i + 2] <= '7') {
          out.push_back(static_cast<char>((e - '0') << 6 | (quoted[i + 1] - '0') << 3 |
                                          (quoted[i + 2] - '0')));
          i += 2;
        } else {
          out.push_back(e);
        }
    }
  }
  return out;
}

// Sorts (offset, position) pairs by offset (positions are distinct: ties cannot happen), a
// radix sort 16 bits at a time: a pack's half a million entries took std::sort a third of the
// read planning, which runs while the history walk sorts its commits.
void SortByOffset(std::vector<std::pair<uint64_t, uint32_t>>* entries) {
  uint64_t largest = 0;
  for (const auto& entry : *entries) largest = std::max(largest, entry.first);
  std::vector<std::pair<uint64_t, uint32_t>> scratch(entries->size());
  std::vector<size_t> count(size_t{1} << 16);
  for (int shift = 0; shift < 64 && (largest >> shift) != 0; shift += 16) {
    std::fill(count.begin(), count.end(), 0);
    for (const auto& entry : *entries) ++count[(entry.first >> shift) & 0xffff];
    size_t at = 0;
    for (size_t& c : count) at += std::exchange(c, at);
    for (const auto& entry : *entries) scratch[count[(entry.first >> shift) & 0xffff]++] = entry;
    entries->swap(scratch);
  }
}

// Finds an offset among a pack's entries sorted by offset in a step or two: the offsets are
// split into as many equal ranges as there are entries, and each range's first entry is noted
// (a binary search over half a million entries took the read planning another third).
class OffsetIndex {
 public:
  OffsetIndex() = default;
  explicit OffsetIndex(const std::vector<std::pair<uint64_t, uint32_t>>& sorted) {
    if (sorted.empty()) return;
    uint64_t largest = sorted.back().first;
    int range_bits = std::bit_width(largest);
    int count_bits = std::bit_width(sorted.size());
    shift_ = range_bits > count_bits ? range_bits - count_bits : 0;
    first_.assign((largest >> shift_) + 2, 0);
    size_t i = 0;
    for (uint64_t range = 0; range < first_.size(); ++range) {
      while (i < sorted.size() && (sorted[i].first >> shift_) < range) ++i;
      first_[range] = i;
    }
  }
  // The index position of the entry at `offset` in `sorted` (the vector this was made from).
  std::optional<uint32_t> Find(const std::vector<std::pair<uint64_t, uint32_t>>& sorted,
                               uint64_t offset) const {
    uint64_t range = offset >> shift_;
    if (range + 1 >= first_.size()) return std::nullopt;
    for (size_t i = first_[range]; i < first_[range + 1]; ++i) {
      if (sorted[i].first == offset) return sorted[i].second;
    }
    return std::nullopt;
  }

 private:
  int shift_ = 0;
  std::vector<size_t> first_;  // per range of offsets: its first entry (then the end)
};

}  // namespace

struct PackReader::ReadPlan {
  std::vector<std::string> packs;  // the packs it was made for, in the reader's order
  std::vector<uint64_t> first;     // node number of each pack's first entry, then the total
  std::vector<uint32_t> rank;      // per node: its place in read order (UINT32_MAX: none)
  std::vector<uint32_t> family;    // per node: the rank of its delta family's root
  std::vector<GitOid> commits;     // see PackReader::Commits
};

struct PackReader::Impl {
  explicit Impl(uint64_t cache_bytes)
      : cache(cache_bytes),
        pool(std::make_shared<BlockPool>(std::min<uint64_t>(cache_bytes, kMaxPoolBytes))) {}
  static constexpr uint64_t kMaxPoolBytes = uint64_t{16} << 20;

  ObjectPtr FindCached(uint64_t key) { return cache.Find(key); }
  void Keep(uint64_t key, const ObjectPtr& object) { cache.Insert(key, object, object->size); }

  std::vector<std::shared_ptr<const Pack>> packs;
  std::vector<std::string> skipped;
  std::set<std::string> seen_dirs;
  std::vector<std::string> object_dirs;  // canonical, in the order found
  PackReader::BaseSource base_source;
  Inflater inflater;
  ObjectCache<ObjectPtr> cache;
  // Where the objects' memory comes from (see block_pool.h): the blocks of evicted objects
  // serve the next ones. At most as much is kept free as the cache holds, and 16 MiB.
  std::shared_ptr<BlockPool> pool;
  PackReaderStats stats;
  uint32_t last_pack = 0;  // where the last lookup succeeded: tried first

  struct Step {
    Location at;
    uint64_t data;  // offset of the delta's zlib stream
    uint64_t size;  // of the delta data
  };
  std::vector<Step> chain;
  Scratch scratch;     // delta data
  Scratch own_delta;   // the requested object's delta data, when inflated first to learn its size
  ObjectPtr current;   // what the last Read() returned
  DeltaOrigin origin;  // how Resolve() rebuilt it, when `rebuilt`
  bool rebuilt = false;

  // The last lookup, so Size() then Read() of one object searches the index once.
  GitOid memo_id;
  Location memo_at;
  bool memo_valid = false;

  void AddObjectsDir(const fs::path& dir, int depth) {
    std::error_code ec;
    fs::path canonical = fs::canonical(dir, ec);
    if (ec || !seen_dirs.insert(canonical.string()).second) return;
    object_dirs.push_back(canonical.string());
    std::vector<std::string> indexes;
    fs::directory_iterator it(canonical / "pack", ec), end;
    for (; !ec && it != end; it.increment(ec)) {
      const fs::path& path = it->path();
      if (path.extension() == ".idx") indexes.push_back(path.string());
    }
    std::sort(indexes.begin(), indexes.end());
    for (const std::string& index : indexes) {
      std::string pack_path = index.substr(0, index.size() - 4) + ".pack";
      if (!fs::exists(pack_path, ec)) continue;  // git ignores an index without its pack
      std::string error;
      std::shared_ptr<const Pack> pack = SharedPack(index, pack_path, &error);
      if (pack == nullptr) {
        skipped.push_back(pack_path + ": " + error);
        continue;
      }
      packs.push_back(std::move(pack));
    }
    if (depth >= kMaxAlternateDepth) return;
    std::istringstream alternates(ReadAlternates(canonical / "info" / "alternates"));
    for (std::string line; std::getline(alternates, line);) {
      if (line.empty() || line[0] == '#') continue;
      fs::path alternate = line[0] == '"' ? Unquote(line) : line;
      AddObjectsDir(alternate.is_absolute() ? alternate : canonical / alternate, depth + 1);
    }
  }

  Status Fail(const GitOid& id, const Location& at, const char* what) const {
    return Status::Error("object " + id.Hex() + ": " + packs[at.pack]->name + " offset " +
                         std::to_string(at.offset) + ": " + what);
  }

  // Where `id` is: nullopt when in no pack.
  Result<std::optional<Location>> Locate(const GitOid& id) {
    if (memo_valid && memo_id == id) return std::optional<Location>(memo_at);
    const uint32_t n = static_cast<uint32_t>(packs.size());
    for (uint32_t k = 0; k < n; ++k) {
      uint32_t i = k == 0 ? last_pack : (k <= last_pack ? k - 1 : k);
      const Pack& pack = *packs[i];
      int64_t pos = pack.Find(id.bytes.data());
      if (pos < 0) continue;
      uint64_t offset = pack.OffsetAt(static_cast<uint32_t>(pos));
      if (offset == 0) {
        return Status::Error("object " + id.Hex() + ": " + pack.name +
                             ": index gives an offset outside the pack");
      }
      last_pack = i;
      memo_id = id;
      memo_at = {i, offset};
      memo_valid = true;
      return std::optional<Location>(memo_at);
    }
    return std::optional<Location>();
  }

  // The object at `at` (`id` names it in messages); null with an OK status when it depends on
  // an object that is in no pack. An object larger than `size_limit` is not built: null, with
  // its size in `*over_limit`. Its size is learnt before anything else is read: a whole
  // object's from its entry header, a delta's by inflating the delta data first (kept for
  // applying it, so that costs no second inflate).
  Status Resolve(const GitOid& id, Location at, uint64_t size_limit, ObjectPtr* out,
                 std::optional<uint64_t>* over_limit) {
    out->reset();
    over_limit->reset();
    chain.clear();
    rebuilt = false;
    ObjectPtr base;
    bool has_ref = false;
    bool own_delta_ready = false;
    uint64_t base_key = kNoObjectKey;  // where the chain's first base came from
    for (;;) {
      base_key = CacheKey(at);
      if (ObjectPtr hit = FindCached(CacheKey(at))) {
        ++stats.cache_hits;
        if (chain.empty() && hit->size > size_limit) {
          *over_limit = hit->size;
          return Status::Ok();
        }
        base = std::move(hit);
        break;
      }
      const Pack& pack = *packs[at.pack];
      Entry entry;
      if (const char* why = ParseEntry(pack, at.offset, &entry)) return Fail(id, at, why);
      if (chain.empty() && size_limit != UINT64_MAX) {
        Result<uint64_t> size = SizeFirst(id, at, entry, size_limit, &own_delta_ready);
        if (!size.ok()) return size.status();
        if (size.value() > size_limit) {
          *over_limit = size.value();
          return Status::Ok();
        }
      }
      if (entry.type <= kTypeTag) {
        ObjectPtr object = NewObject(entry.size, static_cast<GitObjectType>(entry.type), pool);
        if (object == nullptr) return Fail(id, at, "out of memory for the object");
        const uint8_t* in = pack.data.data() + entry.data;
        if (const char* why = inflater.Full(in, pack.end - entry.data, object->bytes, entry.size)) {
          return Fail(id, at, why);
        }
        ++stats.inflated;
        base = std::move(object);
        Keep(CacheKey(at), base);
        break;
      }
      if (chain.size() >= static_cast<size_t>(kMaxDeltaDepth)) {
        return Fail(id, at, "delta chain is deeper than 10000 (or a cycle)");
      }
      chain.push_back({at, entry.data, entry.size});
      if (entry.type == kTypeOfsDelta) {
        at.offset = entry.base_offset;
      } else {
        GitOid base_id;
        std::memcpy(base_id.bytes.data(), entry.base_id, kHashSize);
        Result<std::optional<Location>> found = Locate(base_id);
        if (!found.ok()) return Fail(id, at, "its delta base cannot be found in the index");
        if (!found->has_value()) {
          base_key = kNoObjectKey;
          if (Status status = ReadOutsideBase(id, at, base_id, &base); !status.ok()) {
            return status;
          }
          if (base == nullptr) return Status::Ok();  // the base is nowhere: not found
          break;
        }
        at = *found.value();
        has_ref = true;
        ++stats.ref_deltas;
      }
      // Offset deltas only go backwards in one pack; a ref delta can close a loop. Longer
      // loops run into the depth limit.
      if (has_ref && chain.size() <= 256) {
        for (const Step& step : chain) {
          if (step.at == at) return Fail(id, at, "delta chain loops back on itself");
        }
      }
    }
    for (size_t i = chain.size(); i-- > 0;) {
      const Step& step = chain[i];
      const Pack& pack = *packs[step.at.pack];
      Scratch& data = i == 0 && own_delta_ready ? own_delta : scratch;
      if (&data == &scratch) {
        if (!scratch.Reserve(step.size)) return Fail(id, step.at, "out of memory for the delta");
        if (const char* why = inflater.Full(pack.data.data() + step.data, pack.end - step.data,
                                            scratch.get(), step.size)) {
          return Fail(id, step.at, why);
        }
      }
      const uint8_t* p = data.get();
      const uint8_t* end = p + step.size;
      uint64_t base_size = 0, result_size = 0;
      if (!ReadVarint(&p, end, &base_size) || !ReadVarint(&p, end, &result_size)) {
        return Fail(id, step.at, "truncated delta header");
      }
      if (base_size != base->size) return Fail(id, step.at, "delta base has the wrong size");
      if (result_size / kMaxDeltaRatio > static_cast<uint64_t>(end - p)) {
        return Fail(id, step.at, "delta declares a size its instructions cannot produce");
      }
      ObjectPtr object = NewObject(result_size, base->type, pool);
      if (object == nullptr) return Fail(id, step.at, "out of memory for the object");
      // The requested object (the last step) says what it copied from its base.
      std::vector<CopiedRange>* copies = nullptr;
      if (i == 0) {
        origin.base = chain.size() >= 2 ? CacheKey(chain[1].at) : base_key;
        origin.copies.clear();
        copies = &origin.copies;
      }
      if (const char* why =
              ApplyDelta(base->bytes, base->size, p, end, object->bytes, result_size, copies)) {
        return Fail(id, step.at, why);
      }
      if (i == 0) rebuilt = origin.base != kNoObjectKey;
      ++stats.deltas;
      base = std::move(object);
      Keep(CacheKey(step.at), base);
    }
    scratch.Trim();
    own_delta.Trim();
    *out = std::move(base);
    return Status::Ok();
  }

  // The size of the requested object (entry `entry` at `at`), learnt before its delta chain is
  // read. A delta bound to be over the limit (each instruction, at most 8 bytes, writes at
  // least one) needs only the start of its data; any other has all of it inflated into
  // own_delta, to be applied with no second inflate (then *own_delta_ready is set).
  Result<uint64_t> SizeFirst(const GitOid& id, const Location& at, const Entry& entry,
                             uint64_t size_limit, bool* own_delta_ready) {
    if (entry.type <= kTypeTag) return entry.size;
    constexpr uint64_t kMaxDeltaHeader = 20;  // two sizes, 7 bits a byte
    if (entry.size > kMaxDeltaHeader && (entry.size - kMaxDeltaHeader) / 8 > size_limit) {
      Result<uint64_t> size = DeltaResultSize(id, at, entry);
      if (!size.ok() || size.value() > size_limit) return size;
    }
    Result<uint64_t> size = InflateOwnDelta(id, at, entry);
    *own_delta_ready = size.ok();
    return size;
  }

  // Inflates the delta data of the requested object (entry `entry` at `at`) into own_delta;
  // returns the size of the object it builds.
  Result<uint64_t> InflateOwnDelta(const GitOid& id, const Location& at, const Entry& entry) {
    const Pack& pack = *packs[at.pack];
    if (!own_delta.Reserve(entry.size)) return Fail(id, at, "out of memory for the delta");
    if (const char* why = inflater.Full(pack.data.data() + entry.data, pack.end - entry.data,
                                        own_delta.get(), entry.size)) {
      return Fail(id, at, why);
    }
    const uint8_t* p = own_delta.get();
    const uint8_t* end = p + entry.size;
    uint64_t base_size = 0, result_size = 0;
    if (!ReadVarint(&p, end, &base_size) || !ReadVarint(&p, end, &result_size)) {
      return Fail(id, at, "truncated delta header");
    }
    return result_size;
  }

  // A REF_DELTA's base that is in no pack (a loose object, through base_source); null with an
  // OK status when there is no such object.
  Status ReadOutsideBase(const GitOid& id, const Location& at, const GitOid& base_id,
                         ObjectPtr* base) {
    if (!base_source) return Status::Ok();
    Result<std::optional<PackObject>> outside = base_source(base_id);
    if (!outside.ok()) return Fail(id, at, "its delta base cannot be read");
    if (!outside->has_value()) return Status::Ok();
    const PackObject& object = *outside.value();
    *base = NewObject(object.data.size(), object.type, pool);
    if (*base == nullptr) return Fail(id, at, "out of memory for the delta base");
    std::memcpy((*base)->bytes, object.data.data(), object.data.size());
    return Status::Ok();
  }

  // See PackReader::ReadOrder.
  // See PackReader::PlanReads.
  std::shared_ptr<PackReader::ReadPlan> PlanReads() {
    constexpr uint32_t kNone = UINT32_MAX;
    auto plan = std::make_shared<PackReader::ReadPlan>();
    for (const auto& pack : packs) plan->packs.push_back(pack->path);
    std::vector<uint64_t>& first = plan->first;  // node number of each pack's first entry
    first.assign(packs.size() + 1, 0);
    for (size_t p = 0; p < packs.size(); ++p) first[p + 1] = first[p] + packs[p]->count;
    const uint64_t total = first.back();
    if (total >= kNone) return plan;  // too many entries to rank: ReadOrder keeps the given order
    // Each pack's entries by offset: (offset, index position).
    std::vector<std::vector<std::pair<uint64_t, uint32_t>>> by_offset(packs.size());
    std::vector<OffsetIndex> offset_index(packs.size());
    for (size_t p = 0; p < packs.size(); ++p) {
      by_offset[p].reserve(packs[p]->count);
      for (uint32_t pos = 0; pos < packs[p]->count; ++pos) {
        if (uint64_t offset = packs[p]->OffsetAt(pos)) by_offset[p].push_back({offset, pos});
      }
      SortByOffset(&by_offset[p]);
      offset_index[p] = OffsetIndex(by_offset[p]);
    }
    auto node_at = [&](const Location& at) -> uint32_t {
      std::optional<uint32_t> pos = offset_index[at.pack].Find(by_offset[at.pack], at.offset);
      return pos ? static_cast<uint32_t>(first[at.pack] + *pos) : kNone;
    };
    // The delta forest: each entry's base (header parsing only; bad entries are roots).
    std::vector<uint32_t> parent(total, kNone);
    for (uint32_t p = 0; p < packs.size(); ++p) {
      for (const auto& [offset, pos] : by_offset[p]) {
        Entry entry;
        if (ParseEntry(*packs[p], offset, &entry) != nullptr) continue;
        if (entry.type == kTypeCommit) {
          GitOid id;
          std::memcpy(id.bytes.data(), packs[p]->IdAt(pos), kHashSize);
          plan->commits.push_back(id);
        }
        Location base{p, entry.base_offset};
        if (entry.type == kTypeRefDelta) {
          GitOid base_id;
          std::memcpy(base_id.bytes.data(), entry.base_id, kHashSize);
          Result<std::optional<Location>> found = Locate(base_id);
          if (!found.ok() || !found->has_value()) continue;
          base = *found.value();
        } else if (entry.type != kTypeOfsDelta) {
          continue;
        }
        parent[first[p] + pos] = node_at(base);
      }
    }
    // Children in pack order, then a depth-first walk from each root in pack order. Entries
    // on a cycle are reached from no root and keep no rank.
    std::vector<uint32_t> child_start(total + 1, 0);
    for (uint32_t node = 0; node < total; ++node) {
      if (parent[node] != kNone) ++child_start[parent[node] + 1];
    }
    for (uint64_t node = 0; node < total; ++node) child_start[node + 1] += child_start[node];
    std::vector<uint32_t> children(child_start.back());
    std::vector<uint32_t> cursor(child_start.begin(), child_start.end() - 1);
    for (uint32_t p = 0; p < packs.size(); ++p) {
      for (const auto& entry : by_offset[p]) {
        uint32_t node = static_cast<uint32_t>(first[p] + entry.second);
        if (parent[node] != kNone) children[cursor[parent[node]]++] = node;
      }
    }
    std::vector<uint32_t>& rank = plan->rank;
    std::vector<uint32_t>& family = plan->family;  // the rank of each entry's root
    rank.assign(total, kNone);
    family.assign(total, kNone);
    std::vector<uint32_t> stack;
    uint32_t next_rank = 0;
    for (uint32_t p = 0; p < packs.size(); ++p) {
      for (const auto& entry : by_offset[p]) {
        uint32_t root = static_cast<uint32_t>(first[p] + entry.second);
        if (parent[root] != kNone) continue;
        stack.push_back(root);
        const uint32_t root_rank = next_rank;
        while (!stack.empty()) {
          uint32_t node = stack.back();
          stack.pop_back();
          family[node] = root_rank;
          rank[node] = next_rank++;
          for (uint32_t c = child_start[node + 1]; c-- > child_start[node];) {
            stack.push_back(children[c]);
          }
        }
      }
    }
    return plan;
  }

  // See PackReader::ReadOrder.
  // Sorts (rank, position) pairs: ranks below `total` are distinct places in read order, the
  // others (total + position) go last. When the pairs are many, placing them by rank costs
  // less than sorting them (a history's blobs are a large part of its packs).
  static void SortByRank(uint64_t total, std::vector<std::pair<uint64_t, uint32_t>>* keyed) {
    if (keyed->size() < total / 8) {
      std::sort(keyed->begin(), keyed->end());
      return;
    }
    constexpr uint32_t kEmpty = UINT32_MAX;
    std::vector<uint32_t> at_rank(total, kEmpty);
    std::vector<std::pair<uint64_t, uint32_t>> last;  // unranked, already in position order
    for (const auto& pair : *keyed) {
      if (pair.first < total && at_rank[pair.first] == kEmpty) {
        at_rank[pair.first] = pair.second;
      } else {
        last.push_back(pair);
      }
    }
    std::sort(last.begin(), last.end());
    keyed->clear();
    for (uint64_t rank = 0; rank < total; ++rank) {
      if (at_rank[rank] != kEmpty) keyed->push_back({rank, at_rank[rank]});
    }
    keyed->insert(keyed->end(), last.begin(), last.end());
  }

  std::vector<uint32_t> ReadOrder(const std::vector<GitOid>& ids,
                                  std::vector<uint32_t>* family_starts,
                                  const PackReader::ReadPlan* given) {
    constexpr uint32_t kNone = UINT32_MAX;
    if (family_starts != nullptr) family_starts->clear();
    std::shared_ptr<const PackReader::ReadPlan> own;
    if (given == nullptr || given->packs.size() != packs.size() ||
        !std::equal(packs.begin(), packs.end(), given->packs.begin(),
                    [](const auto& pack, const std::string& path) { return pack->path == path; })) {
      own = PlanReads();  // none given, or made for other packs
      given = own.get();
    }
    const std::vector<uint64_t>& first = given->first;
    const std::vector<uint32_t>& rank = given->rank;
    const std::vector<uint32_t>& family = given->family;
    const uint64_t total = first.back();
    std::vector<uint32_t> order(ids.size());
    for (uint32_t i = 0; i < ids.size(); ++i) order[i] = i;
    if (total >= kNone || ids.size() >= kNone) {
      if (family_starts != nullptr) family_starts->assign(order.begin(), order.end());
      return order;
    }
    // Ids in no pack (or on a cycle) go last, in their given order.
    std::vector<std::pair<uint64_t, uint32_t>> keyed(ids.size());  // (rank, position in ids)
    std::vector<uint64_t> family_of(ids.size());                   // by position in ids
    uint32_t hint = 0;  // the pack of the previous id: tried first
    for (uint32_t i = 0; i < ids.size(); ++i) {
      keyed[i] = {total + i, i};
      family_of[i] = total + i;
      for (uint32_t k = 0; k < packs.size(); ++k) {
        uint32_t p = k == 0 ? hint : (k <= hint ? k - 1 : k);
        int64_t pos = packs[p]->Find(ids[i].bytes.data());
        if (pos < 0) continue;
        hint = p;
        uint32_t node = static_cast<uint32_t>(first[p] + pos);
        if (rank[node] != kNone) {
          keyed[i].first = rank[node];
          family_of[i] = family[node];
        }
        break;
      }
    }
    SortByRank(total, &keyed);
    for (uint32_t i = 0; i < ids.size(); ++i) {
      order[i] = keyed[i].second;
      if (family_starts != nullptr && (i == 0 || family_of[order[i]] != family_of[order[i - 1]])) {
        family_starts->push_back(i);
      }
    }
    return order;
  }

  // The result size a delta's data declares, from its first bytes.
  Result<uint64_t> DeltaResultSize(const GitOid& id, const Location& at, const Entry& entry) {
    const Pack& pack = *packs[at.pack];
    uint8_t head[32];
    int64_t n = inflater.Prefix(pack.data.data() + entry.data, pack.end - entry.data, head,
                                static_cast<size_t>(std::min<uint64_t>(entry.size, sizeof head)));
    if (n < 0) return Fail(id, at, "corrupt zlib stream");
    const uint8_t* p = head;
    uint64_t base_size = 0, result_size = 0;
    if (!ReadVarint(&p, head + n, &base_size) || !ReadVarint(&p, head + n, &result_size)) {
      return Fail(id, at, "truncated delta header");
    }
    return result_size;
  }
};

PackReader::PackReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PackReader::~PackReader() = default;

Result<std::unique_ptr<PackReader>> PackReader::Open(const std::string& objects_dir,
                                                     size_t cache_bytes) {
  std::error_code ec;
  if (!fs::is_directory(objects_dir, ec)) {
    return Status::Error(objects_dir + ": not an objects directory");
  }
  auto impl = std::make_unique<Impl>(cache_bytes);
  impl->AddObjectsDir(objects_dir, 0);
  return std::unique_ptr<PackReader>(new PackReader(std::move(impl)));
}

Result<std::optional<PackObject>> PackReader::Read(const GitOid& id, uint64_t size_limit) {
  Impl& impl = *impl_;
  impl.current.reset();
  Result<std::optional<Location>> at = impl.Locate(id);
  if (!at.ok()) return at.status();
  if (!at->has_value()) return std::optional<PackObject>();
  ObjectPtr object;
  std::optional<uint64_t> over_limit;
  if (Status status = impl.Resolve(id, *at.value(), size_limit, &object, &over_limit);
      !status.ok()) {
    return status;
  }
  PackObject result;
  result.key = CacheKey(*at.value());
  if (over_limit) {
    result.over_limit = true;
    result.size = *over_limit;
    return std::optional<PackObject>(result);
  }
  if (object == nullptr) return std::optional<PackObject>();
  impl.current = std::move(object);
  result.type = impl.current->type;
  result.data =
      std::string_view(reinterpret_cast<const char*>(impl.current->bytes), impl.current->size);
  result.size = result.data.size();
  result.owner = impl.current;
  if (impl.rebuilt) result.delta = &impl.origin;
  return std::optional<PackObject>(result);
}

Result<std::optional<uint64_t>> PackReader::Size(const GitOid& id) {
  Impl& impl = *impl_;
  Result<std::optional<Location>> at = impl.Locate(id);
  if (!at.ok()) return at.status();
  if (!at->has_value()) return std::optional<uint64_t>();
  Entry entry;
  if (const char* why = ParseEntry(*impl.packs[at.value()->pack], at.value()->offset, &entry)) {
    return impl.Fail(id, *at.value(), why);
  }
  if (entry.type <= kTypeTag) return std::optional<uint64_t>(entry.size);
  Result<uint64_t> size = impl.DeltaResultSize(id, *at.value(), entry);
  if (!size.ok()) return size.status();
  return std::optional<uint64_t>(size.value());
}

Result<std::optional<PackObjectHeader>> PackReader::Header(const GitOid& id) {
  Impl& impl = *impl_;
  Result<std::optional<Location>> found = impl.Locate(id);
  if (!found.ok()) return found.status();
  if (!found->has_value()) return std::optional<PackObjectHeader>();
  PackObjectHeader header;
  Location at = *found.value();
  for (int depth = 0;; ++depth) {
    Entry entry;
    if (const char* why = ParseEntry(*impl.packs[at.pack], at.offset, &entry)) {
      return impl.Fail(id, at, why);
    }
    if (entry.type <= kTypeTag) {
      header.type = static_cast<GitObjectType>(entry.type);
      if (depth == 0) header.size = entry.size;
      return std::optional<PackObjectHeader>(header);
    }
    if (depth == 0) {
      Result<uint64_t> size = impl.DeltaResultSize(id, at, entry);
      if (!size.ok()) return size.status();
      header.size = size.value();
    }
    if (depth >= kMaxDeltaDepth) {
      return impl.Fail(id, at, "delta chain is deeper than 10000 (or a cycle)");
    }
    if (entry.type == kTypeOfsDelta) {
      at.offset = entry.base_offset;
    } else {
      GitOid base_id;
      std::memcpy(base_id.bytes.data(), entry.base_id, kHashSize);
      Result<std::optional<Location>> base = impl.Locate(base_id);
      if (!base.ok()) return base.status();
      if (!base->has_value()) {  // a base outside the packs gives the type
        if (!impl.base_source) return std::optional<PackObjectHeader>();
        Result<std::optional<PackObject>> outside = impl.base_source(base_id);
        if (!outside.ok()) return impl.Fail(id, at, "its delta base cannot be read");
        if (!outside->has_value()) return std::optional<PackObjectHeader>();
        header.type = outside->value().type;
        return std::optional<PackObjectHeader>(header);
      }
      at = *base.value();
    }
  }
}

std::shared_ptr<const PackReader::ReadPlan> PackReader::PlanReads() { return impl_->PlanReads(); }

const std::vector<GitOid>& PackReader::Commits(const ReadPlan& plan) { return plan.commits; }

std::vector<uint32_t> PackReader::ReadOrder(const std::vector<GitOid>& ids,
                                            std::vector<uint32_t>* family_starts,
                                            const ReadPlan* plan) {
  return impl_->ReadOrder(ids, family_starts, plan);
}

bool PackReader::Contains(const GitOid& id) {
  Result<std::optional<Location>> at = impl_->Locate(id);
  return at.ok() && at->has_value();
}

void PackReader::ForEach(const std::function<void(const GitOid&)>& visit) const {
  GitOid id;
  for (const auto& pack : impl_->packs) {
    for (uint32_t pos = 0; pos < pack->count; ++pos) {
      std::memcpy(id.bytes.data(), pack->IdAt(pos), kHashSize);
      visit(id);
    }
  }
}

void PackReader::FindPrefix(const GitOid& prefix, size_t hex_digits, size_t limit,
                            std::vector<GitOid>* found) const {
  if (hex_digits == 0 || hex_digits > 2 * kHashSize) return;
  auto matches = [&](const uint8_t* id) {
    size_t whole = hex_digits / 2;
    if (std::memcmp(id, prefix.bytes.data(), whole) != 0) return false;
    return hex_digits % 2 == 0 || (id[whole] & 0xf0) == (prefix.bytes[whole] & 0xf0);
  };
  for (const auto& pack : impl_->packs) {
    for (uint32_t pos = pack->LowerBound(prefix.bytes.data()); pos < pack->count; ++pos) {
      const uint8_t* id = pack->IdAt(pos);
      if (!matches(id)) break;
      GitOid match;
      std::memcpy(match.bytes.data(), id, kHashSize);
      if (std::find(found->begin(), found->end(), match) == found->end()) {
        found->push_back(match);
        if (found->size() >= limit) return;
      }
    }
  }
}

void PackReader::SetBaseSource(BaseSource source) { impl_->base_source = std::move(source); }

const std::vector<std::string>& PackReader::object_dirs() const { return impl_->object_dirs; }

std::vector<std::string> PackReader::packs() const {
  std::vector<std::string> paths;
  for (const auto& pack : impl_->packs) paths.push_back(pack->path);
  return paths;
}

const std::vector<std::string>& PackReader::skipped() const { return impl_->skipped; }

PackReaderStats PackReader::stats() const {
  PackReaderStats stats = impl_->stats;
  stats.cache_bytes = impl_->cache.bytes();
  stats.cache_peak = impl_->cache.peak();
  return stats;
}

}  // namespace leaksweep
