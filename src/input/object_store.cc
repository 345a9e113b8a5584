#include "leaksweep/input/object_store.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <string_view>

#include "flat_set.h"

namespace leaksweep {
namespace {

// zlib cannot expand data more than about 1032 times: a loose object declaring more than this
// times its file size is corrupt, and nothing is allocated for it.
constexpr uint64_t kMaxInflateRatio = 2048;
// "commit 18446744073709551615\0" fits; a longer header is not git's.
constexpr size_t kMaxHeaderBytes = 32;
constexpr size_t kReadChunk = 64 * 1024;

std::string LoosePath(const std::string& dir, const GitOid& id) {
  std::string hex = id.Hex();
  return dir + "/" + hex.substr(0, 2) + "/" + hex.substr(2);
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// The id a loose object's directory ("ab") and file name (38 hex digits) spell; false when
// they spell none (temporary files, other names).
bool LooseId(std::string_view dir, std::string_view name, GitOid* id) {
  if (dir.size() != 2 || name.size() != 38) return false;
  std::string hex = std::string(dir) + std::string(name);
  for (size_t i = 0; i < 20; ++i) {
    int high = HexValue(hex[2 * i]), low = HexValue(hex[2 * i + 1]);
    if (high < 0 || low < 0) return false;
    id->bytes[i] = static_cast<uint8_t>(high << 4 | low);
  }
  return true;
}

// Parses "<type> <decimal size>\0"; false when it is not a loose object header.
bool ParseLooseHeader(const char* text, size_t length, PackObjectHeader* header) {
  static constexpr struct {
    const char* name;
    GitObjectType type;
  } kTypes[] = {{"commit", GitObjectType::kCommit},
                {"tree", GitObjectType::kTree},
                {"blob", GitObjectType::kBlob},
                {"tag", GitObjectType::kTag}};
  const char* space = static_cast<const char*>(std::memchr(text, ' ', length));
  if (space == nullptr) return false;
  std::string_view name(text, static_cast<size_t>(space - text));
  auto type = std::find_if(std::begin(kTypes), std::end(kTypes),
                           [&](const auto& known) { return name == known.name; });
  if (type == std::end(kTypes)) return false;
  const char* digit = space + 1;
  const char* end = text + length;
  if (digit == end || *digit < '0' || *digit > '9') return false;
  uint64_t size = 0;
  for (; digit < end && *digit >= '0' && *digit <= '9'; ++digit) {
    if (size > (UINT64_MAX - 9) / 10) return false;
    size = size * 10 + static_cast<uint64_t>(*digit - '0');
  }
  if (digit != end) return false;  // the caller cut the text at the NUL
  header->type = type->type;
  header->size = size;
  return true;
}

// One loose object file, inflated as it is read. Opened non-blocking and checked to be a
// regular file before anything is read, so a FIFO or device in objects/ cannot hang the scan.
class LooseFile {
 public:
  LooseFile() { std::memset(&stream_, 0, sizeof stream_); }
  ~LooseFile() {
    if (inflating_) inflateEnd(&stream_);
    if (fd_ >= 0) close(fd_);
  }
  LooseFile(const LooseFile&) = delete;
  LooseFile& operator=(const LooseFile&) = delete;

  // Empty on success, else why not.
  std::string Open(const std::string& path) {
    // git never writes a loose object as a symlink: one planted there is not followed.
    fd_ = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY | O_NOFOLLOW);
    if (fd_ < 0) return std::string("cannot open: ") + std::strerror(errno);
    struct stat info;
    if (fstat(fd_, &info) != 0) return std::string("cannot stat: ") + std::strerror(errno);
    if (!S_ISREG(info.st_mode)) return "not a regular file";
    file_size_ = static_cast<uint64_t>(info.st_size);
    if (inflateInit(&stream_) != Z_OK) return "zlib cannot start";
    inflating_ = true;
    return {};
  }

  // Reads the header; empty on success, else why not. Bytes inflated past it are kept.
  std::string ReadHeader(PackObjectHeader* header) {
    char text[kMaxHeaderBytes];
    size_t have = 0;
    const char* nul = nullptr;
    while (nul == nullptr) {
      if (have == sizeof text) return "no object header (not a loose object)";
      size_t produced = 0;
      std::string why = Inflate(text + have, sizeof text - have, &produced);
      if (!why.empty()) return why;
      if (produced == 0 && finished_) return "no object header (not a loose object)";
      nul = static_cast<const char*>(std::memchr(text + have, '\0', produced));
      have += produced;
    }
    if (!ParseLooseHeader(text, static_cast<size_t>(nul - text), header)) {
      return "bad object header (not a loose object)";
    }
    if (header->size / kMaxInflateRatio > file_size_) {
      return "declares a size its file is far too small to hold";
    }
    size_t used = static_cast<size_t>(nul - text) + 1;
    leftover_.assign(text + used, have - used);
    return {};
  }

  // Inflates the contents after the header into `out` (`size` bytes, as declared); empty on
  // success, else why not (shorter or longer than declared, corrupt, truncated).
  std::string ReadContents(char* out, uint64_t size) {
    if (leftover_.size() > size) return "longer than its header declares";
    std::memcpy(out, leftover_.data(), leftover_.size());
    uint64_t have = leftover_.size();
    while (have < size) {
      size_t produced = 0;
      std::string why = Inflate(out + have, size - have, &produced);
      if (!why.empty()) return why;
      if (produced == 0 && finished_) return "shorter than its header declares";
      have += produced;
    }
    char extra;
    while (!finished_) {
      size_t produced = 0;
      std::string why = Inflate(&extra, 1, &produced);
      if (!why.empty()) return why;
      if (produced != 0) return "longer than its header declares";
    }
    return {};
  }

 private:
  // Inflates into `out` (at most `cap` bytes), reading the file as needed: at least one byte
  // comes out unless the stream has ended. Empty on success, else why not.
  std::string Inflate(char* out, uint64_t cap, size_t* produced) {
    *produced = 0;
    if (finished_) return {};
    stream_.next_out = reinterpret_cast<Bytef*>(out);
    stream_.avail_out = static_cast<uInt>(std::min<uint64_t>(cap, UINT32_MAX));
    const uInt wanted = stream_.avail_out;
    while (stream_.avail_out == wanted) {
      if (stream_.avail_in == 0) {
        if (!Refill()) return error_;
        if (input_end_) return "truncated (the zlib stream does not end)";
      }
      int rc = inflate(&stream_, Z_NO_FLUSH);
      if (rc == Z_STREAM_END) {
        finished_ = true;
        break;
      }
      if (rc == Z_BUF_ERROR && stream_.avail_in == 0) continue;  // needs more input
      if (rc != Z_OK) return "corrupt (zlib: not a valid stream)";
    }
    *produced = wanted - stream_.avail_out;
    return {};
  }

  // Reads the next chunk of the file; false (with error_) on a read error.
  bool Refill() {
    ssize_t n;
    do {
      n = read(fd_, chunk_, sizeof chunk_);
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
      error_ = std::string("cannot read: ") + std::strerror(errno);
      return false;
    }
    input_end_ = n == 0;
    stream_.next_in = reinterpret_cast<Bytef*>(chunk_);
    stream_.avail_in = static_cast<uInt>(n);
    return true;
  }

  int fd_ = -1;
  uint64_t file_size_ = 0;
  z_stream stream_;
  bool inflating_ = false;
  bool finished_ = false;   // the zlib stream ended
  bool input_end_ = false;  // the file ended
  std::string error_;
  std::string leftover_;  // contents inflated with the header
  char chunk_[kReadChunk];
};

Status LooseError(const GitOid& id, const std::string& why) {
  return Status::Error("loose object " + id.Hex() + ": " + why);
}

// Opens `id`'s loose object file at `path` and reads its header; an error names the object.
Status OpenLoose(const GitOid& id, const std::string& path, LooseFile* file,
                 PackObjectHeader* header) {
  std::string why = file->Open(path);
  if (why.empty()) why = file->ReadHeader(header);
  return why.empty() ? Status::Ok() : LooseError(id, why);
}

}  // namespace

// Commits by id. The index is never erased from: a taken commit leaves its slot empty. Locked:
// a thread reading ahead puts commits on it while libgit2's commit walk reads (ShelveRead).
class ObjectStore::Shelf {
 public:
  explicit Shelf(size_t budget) : budget_(budget) {}

  void Put(const GitOid& id, const PackObject& object) {
    std::lock_guard lock(mutex_);
    size_t cost = object.data.size() + kEntryOverhead;
    if (object.owner == nullptr || cost > budget_ - spent_) return;
    auto [slot, inserted] = index_.TryEmplace(id, static_cast<uint32_t>(kept_.size()));
    if (!inserted) return;
    spent_ += cost;
    kept_.push_back(object);
    kept_.back().delta = nullptr;  // points into the reader: not valid past its next read
  }

  std::optional<PackObject> Take(const GitOid& id) {
    std::lock_guard lock(mutex_);
    const uint32_t* slot = index_.Get(id);
    if (slot == nullptr || kept_[*slot].owner == nullptr) return std::nullopt;
    return std::optional<PackObject>(std::move(kept_[*slot]));
  }

  // Commit `id`, left on the shelf.
  std::optional<PackObject> Peek(const GitOid& id) {
    std::lock_guard lock(mutex_);
    const uint32_t* slot = index_.Get(id);
    if (slot == nullptr || kept_[*slot].owner == nullptr) return std::nullopt;
    return kept_[*slot];
  }

  // Whether commit `id` was ever put on the shelf (taken since, or not).
  bool Contains(const GitOid& id) {
    std::lock_guard lock(mutex_);
    return index_.Get(id) != nullptr;
  }

 private:
  static constexpr size_t kEntryOverhead = 64;  // the entry, its index slot, the object's header
  std::mutex mutex_;
  size_t budget_;
  size_t spent_ = 0;
  OidIndex index_;
  std::vector<PackObject> kept_;
};

ObjectStore::ObjectStore(std::unique_ptr<PackReader> packs) : packs_(std::move(packs)) {
  packs_->SetBaseSource([this](const GitOid& id) { return ReadLoose(id, UINT64_MAX); });
}
ObjectStore::~ObjectStore() = default;

Result<std::unique_ptr<ObjectStore>> ObjectStore::Open(const std::string& objects_dir,
                                                       size_t cache_bytes) {
  Result<std::unique_ptr<PackReader>> packs = PackReader::Open(objects_dir, cache_bytes);
  if (!packs.ok()) return packs.status();
  return std::unique_ptr<ObjectStore>(new ObjectStore(std::move(packs).value()));
}

std::optional<std::string> ObjectStore::FindLoose(const GitOid& id) const {
  for (const std::string& dir : packs_->object_dirs()) {
    std::string path = LoosePath(dir, id);
    struct stat info;
    if (lstat(path.c_str(), &info) == 0) return path;
  }
  return std::nullopt;
}

Result<std::optional<PackObject>> ObjectStore::ReadLoose(const GitOid& id, uint64_t size_limit) {
  std::optional<std::string> path = FindLoose(id);
  if (!path) return std::optional<PackObject>();
  LooseFile file;
  PackObjectHeader header;
  if (Status status = OpenLoose(id, *path, &file, &header); !status.ok()) return status;
  loose_.clear();
  PackObject object;
  object.type = header.type;
  object.size = header.size;
  if (header.size > size_limit) {
    object.over_limit = true;
    return std::optional<PackObject>(object);
  }
  if (header.size > loose_.max_size()) return LooseError(id, "too large");
  try {
    loose_.resize(header.size);
  } catch (const std::bad_alloc&) {
    return LooseError(id, "out of memory for the object");
  }
  std::string why = file.ReadContents(loose_.data(), header.size);
  if (!why.empty()) return LooseError(id, why);
  object.data = loose_;
  return std::optional<PackObject>(object);
}

Result<std::optional<PackObject>> ObjectStore::Read(const GitOid& id, uint64_t size_limit) {
  if (serve_from_shelf_.load(std::memory_order_relaxed)) {
    if (std::optional<PackObject> kept = shelf_->Peek(id); kept && kept->size <= size_limit) {
      return kept;
    }
  }
  Result<std::optional<PackObject>> packed = packs_->Read(id, size_limit);
  if (!packed.ok() || packed->has_value()) {
    if (shelf_ != nullptr && packed.ok() && packed->value().type == GitObjectType::kCommit &&
        !packed->value().over_limit) {
      shelf_->Put(id, packed->value());
    }
    return packed;
  }
  return ReadLoose(id, size_limit);
}

void ObjectStore::ShelveCommits(size_t budget) { shelf_ = std::make_unique<Shelf>(budget); }

std::optional<PackObject> ObjectStore::TakeShelved(const GitOid& id) {
  return shelf_ != nullptr ? shelf_->Take(id) : std::nullopt;
}

void ObjectStore::ShelveRead(const GitOid& id, std::string_view bytes) {
  if (shelf_ == nullptr || shelf_->Contains(id)) return;
  // A copy of its own: the other store's object comes from that store's block pool, which only
  // its own thread may give blocks back to.
  auto copy = std::make_shared<const std::string>(bytes);
  PackObject object;
  object.type = GitObjectType::kCommit;
  object.data = *copy;
  object.size = copy->size();
  object.owner = std::move(copy);
  shelf_->Put(id, object);
}

bool ObjectStore::IsShelved(const GitOid& id) { return shelf_ != nullptr && shelf_->Contains(id); }

void ObjectStore::ServeFromShelf(bool serve) { serve_from_shelf_ = serve && shelf_ != nullptr; }

Result<std::optional<PackObjectHeader>> ObjectStore::LooseHeader(const GitOid& id) const {
  std::optional<std::string> path = FindLoose(id);
  if (!path) return std::optional<PackObjectHeader>();
  LooseFile file;
  PackObjectHeader header;
  if (Status status = OpenLoose(id, *path, &file, &header); !status.ok()) return status;
  return std::optional<PackObjectHeader>(header);
}

Result<std::optional<PackObjectHeader>> ObjectStore::Header(const GitOid& id) {
  Result<std::optional<PackObjectHeader>> packed = packs_->Header(id);
  if (!packed.ok() || packed->has_value()) return packed;
  return LooseHeader(id);
}

Result<std::optional<uint64_t>> ObjectStore::Size(const GitOid& id) {
  Result<std::optional<uint64_t>> packed = packs_->Size(id);
  if (!packed.ok() || packed->has_value()) return packed;
  Result<std::optional<PackObjectHeader>> loose = LooseHeader(id);
  if (!loose.ok()) return loose.status();
  if (!loose->has_value()) return std::optional<uint64_t>();
  return std::optional<uint64_t>(loose->value().size);
}

bool ObjectStore::Contains(const GitOid& id) {
  return packs_->Contains(id) || FindLoose(id).has_value();
}

void ObjectStore::ForEach(const std::function<void(const GitOid&)>& visit) {
  packs_->ForEach(visit);
  for (const std::string& dir : packs_->object_dirs()) {
    for (int fan = 0; fan < 256; ++fan) {
      static constexpr char kHex[] = "0123456789abcdef";
      const char name[3] = {kHex[fan >> 4], kHex[fan & 15], '\0'};
      DIR* listing = opendir((dir + "/" + name).c_str());
      if (listing == nullptr) continue;
      while (const dirent* entry = readdir(listing)) {
        GitOid id;
        if (LooseId(name, entry->d_name, &id)) visit(id);
      }
      closedir(listing);
    }
  }
}

std::vector<GitOid> ObjectStore::FindPrefix(const GitOid& prefix, size_t hex_digits, size_t limit) {
  std::vector<GitOid> found;
  if (hex_digits < 2 || hex_digits > 40) return found;
  packs_->FindPrefix(prefix, hex_digits, limit, &found);
  std::string hex = prefix.Hex().substr(0, hex_digits);
  for (const std::string& dir : packs_->object_dirs()) {
    if (found.size() >= limit) break;
    DIR* listing = opendir((dir + "/" + hex.substr(0, 2)).c_str());
    if (listing == nullptr) continue;
    while (const dirent* entry = readdir(listing)) {
      std::string_view name = entry->d_name;
      GitOid id;
      if (name.substr(0, hex_digits - 2) != hex.substr(2)) continue;
      if (!LooseId(hex.substr(0, 2), name, &id)) continue;
      if (std::find(found.begin(), found.end(), id) == found.end()) {
        found.push_back(id);
        if (found.size() >= limit) break;
      }
    }
    closedir(listing);
  }
  return found;
}

std::vector<uint32_t> ObjectStore::ReadOrder(const std::vector<GitOid>& ids,
                                             std::vector<uint32_t>* family_starts,
                                             const PackReader::ReadPlan* plan) {
  return packs_->ReadOrder(ids, family_starts, plan);
}

std::shared_ptr<const PackReader::ReadPlan> ObjectStore::PlanReads() { return packs_->PlanReads(); }

}  // namespace leaksweep
