#include "leaksweep/input/git_inventory.h"

#include <git2.h>

#include <bit>
#include <condition_variable>
#include <cstring>
#include <ctime>
#include <deque>
#include <filesystem>
#include <functional>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "commit_parse.h"
#include "flat_set.h"
#include "leaksweep/input/object_store.h"
#include "odb_backend.h"
#include "tree_entries.h"

namespace leaksweep {
namespace {

// Sets up libgit2's global state, once per process, and keeps it: libgit2 frees a thread's own
// state (its last error) when the thread exits, but only while the library is still set up. With
// a shutdown whenever the last user let go, a worker thread that exited just after another one
// shut the library down leaked its state (LeakSanitizer caught it, now and then, in CI).
void UseLibGit2() {
  static const bool ready = [] {
    git_libgit2_init();
    // Object ids are checked by the pack's own checksums; re-hashing every object read costs
    // more than the scan (libgit2's default), and a corrupt object fails to inflate anyway.
    git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
    // The history walk looks up each tree and commit once (seen trees are skipped), so
    // libgit2's object cache only held memory: hundreds of MB on a long history, and a tenth of
    // the enumeration time went to freeing it.
    git_libgit2_opts(GIT_OPT_ENABLE_CACHING, 0);
    return true;
  }();
  (void)ready;
}

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
using RepositoryPtr = std::unique_ptr<git_repository, Deleter<git_repository, git_repository_free>>;
using RevwalkPtr = std::unique_ptr<git_revwalk, Deleter<git_revwalk, git_revwalk_free>>;
using CommitPtr = std::unique_ptr<git_commit, Deleter<git_commit, git_commit_free>>;
using TreePtr = std::unique_ptr<git_tree, Deleter<git_tree, git_tree_free>>;
using ReferencePtr = std::unique_ptr<git_reference, Deleter<git_reference, git_reference_free>>;

// libgit2's message for the last error on this thread (it is thread-local).
std::string LastError() {
  const git_error* error = git_error_last();
  return error != nullptr && error->message != nullptr ? error->message : "unknown error";
}

// A libgit2 repository handle whose objects are all read through `store` (see odb_backend.h).
struct OpenedRepository {
  RepositoryPtr repo;
  std::shared_ptr<ObjectStore> store;
  std::string objects_dir;
};

Result<OpenedRepository> OpenRepository(const std::string& path, size_t cache_bytes) {
  git_repository* raw = nullptr;
  if (git_repository_open_ext(&raw, path.c_str(), 0, nullptr) != 0) {
    return Status::Error(path + ": not a git repository (" + LastError() + ")");
  }
  OpenedRepository opened{RepositoryPtr(raw), nullptr, {}};
  const char* common = git_repository_commondir(raw);
  std::string objects = (std::filesystem::path(common != nullptr ? common : "") / "objects");
  opened.objects_dir = objects;
  Result<std::unique_ptr<ObjectStore>> store = ObjectStore::Open(objects, cache_bytes);
  if (!store.ok()) {
    return Status::Error(path + ": cannot open the object database: " + store.status().message());
  }
  opened.store = std::move(store).value();
  if (Status status = InstallObjectStore(raw, opened.store); !status.ok()) {
    return Status::Error(path + ": " + status.message());
  }
  return opened;
}

// An author date as ISO 8601 with the author's offset (in minutes east of UTC).
std::string FormatDate(int64_t time, int offset) {
  std::time_t local = static_cast<std::time_t>(time) + offset * 60;
  std::tm parts;
  gmtime_r(&local, &parts);
  char buffer[40];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S", &parts);
  int magnitude = offset < 0 ? -offset : offset;
  char zone[24];  // room for any int offset a damaged commit may declare
  std::snprintf(zone, sizeof zone, "%c%02d:%02d", offset < 0 ? '-' : '+', magnitude / 60,
                magnitude % 60);
  return std::string(buffer) + zone;
}

CommitInfo DescribeCommit(git_commit* commit) {
  CommitInfo info;
  info.id = FromGit(git_commit_id(commit));
  const git_signature* author = git_commit_author(commit);
  if (author != nullptr) {
    info.author_name = author->name != nullptr ? author->name : "";
    info.author_email = author->email != nullptr ? author->email : "";
    info.date = FormatDate(author->when.time, author->when.offset);
  }
  const char* summary = git_commit_summary(commit);
  info.summary = summary != nullptr ? summary : "";
  return info;
}

// A path's 64-bit FNV-1a hash, extended a name at a time as the tree walk descends, so that a
// (blob, path) pair can be counted without building the path string.
class PathHash {
 public:
  static PathHash Start() { return PathHash(kOffset); }
  PathHash Add(const char* text) const {
    uint64_t h = value_;
    for (; *text != '\0'; ++text) h = (h ^ static_cast<unsigned char>(*text)) * kPrime;
    return PathHash(h);
  }
  uint64_t value() const { return value_; }
  // The key of (blob, this path); never zero (zero marks a free slot in U64Set).
  uint64_t With(uint32_t blob) const {
    uint64_t key = (value_ ^ blob) * kPrime;
    return key != 0 ? key : 1;
  }

 private:
  static constexpr uint64_t kOffset = 0xcbf29ce484222325ull;
  static constexpr uint64_t kPrime = 0x100000001b3ull;
  explicit PathHash(uint64_t value) : value_(value) {}
  uint64_t value_;
};

// How many commits the walk visits between two progress calls.
constexpr size_t kProgressEvery = 256;

// Trees are read in commit order, not pack order: a cache of recent trees holds most bases.
// 16 MiB holds nearly all that 64 MiB held (curl: 0.2% more deltas applied; a synthetic history
// of deep directories: a tenth more) and fills sooner, so that most trees reuse the memory of
// evicted ones (block_pool.h) instead of growing the heap.
constexpr size_t kEnumerationCacheBytes = size_t{16} << 20;
// Commits kept from libgit2's commit walk for the walk (ObjectStore::ShelveCommits).
constexpr size_t kShelvedCommitBytes = size_t{64} << 20;

// The last version of a tree seen at each path (by path hash; two colliding paths share one),
// with the buffers of replaced versions kept for reuse: most trees a walk visits replace the
// last one seen at their path, and freeing it to allocate the next cost as much as comparing
// them. `Snapshot` has Clear() and Capacity() (bytes held).
template <typename Snapshot>
class LastAtPath {
 public:
  // The version at `path`, or null. It stays where it is while versions at other paths are
  // added (a node-based map).
  const Snapshot* Find(uint64_t path) const {
    auto found = at_.find(path);
    return found == at_.end() ? nullptr : &found->second;
  }
  // An empty snapshot, its buffers reused when there are some.
  Snapshot TakeSpare() {
    if (spare_.empty()) return Snapshot();
    Snapshot snapshot = std::move(spare_.back());
    spare_.pop_back();
    return snapshot;
  }
  // Makes `snapshot` the version at `path`; the one it replaces is kept for reuse, after
  // `retire(replaced)` when given.
  void Replace(uint64_t path, Snapshot&& snapshot) {
    Replace(path, std::move(snapshot), [](Snapshot&) {});
  }
  template <typename Retire>
  void Replace(uint64_t path, Snapshot&& snapshot, Retire&& retire) {
    std::swap(at_[path], snapshot);
    retire(snapshot);
    GiveBack(std::move(snapshot));
  }
  void GiveBack(Snapshot&& snapshot) {
    constexpr size_t kSpares = 64;
    constexpr size_t kMaxSpareBytes = size_t{1} << 20;  // a huge tree's buffers are let go
    if (spare_.size() >= kSpares || snapshot.Capacity() > kMaxSpareBytes) return;
    snapshot.Clear();
    spare_.push_back(std::move(snapshot));
  }

 private:
  std::unordered_map<uint64_t, Snapshot> at_;
  std::vector<Snapshot> spare_;
};

// What the walk reads, in the order it needs it: a commit (with its description and root tree),
// then every tree of that commit not seen before, depth first in tree order, then the next
// commit. A read that failed travels as an error, in its place.
struct WalkItem {
  enum Kind : uint8_t { kCommit, kTree, kStop };
  Kind kind = kTree;
  GitOid id;  // the commit or tree
  // Why the read failed ("" when it did not): kCommit, libgit2's message; kTree, the store's;
  // kStop, why the commit walk stopped early.
  std::string error;
  CommitInfo commit;    // kCommit
  GitOid tree;          // kCommit: its root tree
  std::string message;  // kCommit, when messages are collected
  // kTree: the tree's bytes; kCommit, when `undescribed`: the commit's. Valid until the next
  // read or the next item taken from a reader (they live in the store's buffer, or in the
  // reader's batch).
  std::string_view raw;
  std::shared_ptr<const void> owner;  // keeps `raw` alive when not null (PackObject)
  bool copied = false;                // `raw` is a copy in a reader's batch...
  size_t raw_at = 0;                  // ...there, once the batch is handed over
  // kCommit: read, its tree known, but `commit` and `message` still to be made from `raw`
  // (DescribeCommitItem), on the walk's side of a reader.
  bool undescribed = false;
  // kTree, from a reader that parsed it: how it lined the tree up (LineUp) with the tree
  // `lined_up_with`, the last version it met at the same path, so that the walk, which meets
  // the same versions in the same order, need not compare their bytes again.
  bool lined_up = false;
  TreeLineUp lineup;
  GitOid lined_up_with;
};

// A tree's version, and the tree's id.
struct IdentifiedVersion {
  GitOid id;
  TreeVersion version;
  void Clear() { version.Clear(); }
  size_t Capacity() const { return version.Capacity(); }
};

// Commit `id` as libgit2 describes it; `error` set when it cannot.
WalkItem LibGit2CommitItem(git_repository* repo, const GitOid& id, bool messages) {
  WalkItem item;
  item.kind = WalkItem::kCommit;
  item.id = id;
  git_oid oid;
  std::memcpy(oid.id, id.bytes.data(), 20);
  git_commit* raw = nullptr;
  if (git_commit_lookup(&raw, repo, &oid) != 0) {
    item.error = LastError();
    return item;
  }
  CommitPtr commit(raw);
  item.commit = DescribeCommit(commit.get());
  item.tree = FromGit(git_commit_tree_id(commit.get()));
  if (messages) {
    const char* text = git_commit_message(commit.get());
    item.message = text != nullptr ? text : "";
  }
  return item;
}

// Commit `oid` as the walk needs it first: its bytes and root tree (CommitTree), or, when it
// cannot be read so (libgit2 reads every form git accepts), libgit2's description or error.
// The bytes come off the store's shelf when the commit walk left them there.
WalkItem ReadCommitItem(git_repository* repo, ObjectStore* store, const git_oid* oid,
                        bool messages) {
  GitOid id = FromGit(oid);
  std::optional<PackObject> object = store->TakeShelved(id);
  if (!object) {
    Result<std::optional<PackObject>> read = store->Read(id);
    if (read.ok()) object = std::move(read).value();
  }
  if (object && object->type == GitObjectType::kCommit) {
    if (std::optional<GitOid> tree = CommitTree(object->data)) {
      WalkItem item;
      item.kind = WalkItem::kCommit;
      item.id = id;
      item.tree = *tree;
      item.raw = object->data;
      item.owner = std::move(object->owner);
      item.undescribed = true;
      return item;
    }
  }
  return LibGit2CommitItem(repo, id, messages);
}

// Describes a commit ReadCommitItem left undescribed: from its bytes when in the plain form
// (commit_parse.h), else by libgit2 through `repo` (which must not read `item->raw`'s buffer
// meanwhile: the plain parse comes first). Returns "" or libgit2's error; the commit is then
// known by its id alone.
std::string DescribeCommitItem(WalkItem* item, git_repository* repo, bool messages) {
  item->undescribed = false;
  std::optional<PlainCommit> plain = ParsePlainCommit(item->raw, messages);
  item->raw = {};
  if (!plain) {
    if (repo == nullptr) {
      item->commit.id = item->id;
      return "no second handle of the repository to parse it with";
    }
    WalkItem described = LibGit2CommitItem(repo, item->id, messages);
    if (!described.error.empty()) {
      item->commit.id = item->id;
      return described.error;
    }
    item->commit = std::move(described.commit);
    item->message = std::move(described.message);
    return {};
  }
  item->commit.id = item->id;
  item->commit.author_name = std::move(plain->author_name);
  item->commit.author_email = std::move(plain->author_email);
  item->commit.date = FormatDate(plain->time, plain->offset_minutes);
  item->commit.summary = std::move(plain->summary);
  item->message = std::move(plain->message);
  return {};
}

// Tree `id`'s bytes; `error` set when it cannot be read or is not a tree.
WalkItem ReadTreeItem(ObjectStore* store, const GitOid& id) {
  WalkItem item;
  item.kind = WalkItem::kTree;
  item.id = id;
  Result<std::optional<PackObject>> object = store->Read(id);
  if (!object.ok()) {
    item.error = object.status().message();
  } else if (!object->has_value()) {
    item.error = "object not found";
  } else if (object.value()->type != GitObjectType::kTree) {
    item.error = "not a tree";
  } else {
    item.raw = object.value()->data;
    item.owner = std::move(object.value()->owner);
  }
  return item;
}

// Why the commit walk stopped early (libgit2's last error).
std::string WalkStopped() { return "commit walk stopped: " + LastError(); }

// The reading half of the history walk, on a thread of its own: the commit walk and every
// commit and tree read (inflating and applying deltas: most of the walk's time), while the walk
// itself describes commits, compares trees and records blobs. It visits exactly the trees the
// walk visits, in the same order: those not seen before, which depends only on tree ids, so it
// keeps its own copy of the set of seen trees (and of the last version of the tree at each
// path, to look for new subtrees only where a tree changed). The repository and its store are
// its alone until it is joined.
class WalkReader {
 public:
  WalkReader(git_repository* repo, ObjectStore* store, RevwalkPtr walk, OidSet seen, bool messages)
      : repo_(repo),
        store_(store),
        walk_(std::move(walk)),
        seen_(std::move(seen)),
        messages_(messages),
        thread_([this] { Run(); }) {}

  ~WalkReader() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      cancelled_ = true;
    }
    room_.notify_all();
    thread_.join();
  }

  // The next item, valid until the next call; a kStop item once the commit walk has ended (its
  // error, if any, in `error`). A tree item's owner (its object from the reader's store) is
  // let go of by the reader, on its own thread, when the batch comes back; the walk may take it
  // and give it back later through Release().
  WalkItem& Next() {
    if (taken_ == batch_.items.size()) {
      taken_ = 0;
      std::unique_lock<std::mutex> lock(mutex_);
      if (!batch_.items.empty()) Recycle(std::move(batch_));
      ready_.wait(lock, [this] { return !full_.empty(); });
      batch_ = std::move(full_.front());
      full_.pop_front();
      queued_bytes_ -= batch_.Bytes();
      room_.notify_all();
      lock.unlock();
      for (WalkItem& item : batch_.items) {  // the bytes are where they stay until recycled
        if (item.copied)
          item.raw = std::string_view(batch_.bytes).substr(item.raw_at, item.raw.size());
      }
    }
    return batch_.items[taken_++];
  }

  // Whether libgit2's commit walk has read and sorted every commit (it does so before it hands
  // out the first).
  bool commits_sorted() const { return commits_sorted_.load(); }

  // Lets go of `object` (one the walk kept from an item) on the reader's thread, with the batch
  // being taken, when it is given back.
  void Release(std::shared_ptr<const void> object) { batch_.released.push_back(std::move(object)); }

 private:
  // Items are handed over in batches (a lock per batch, not per tree), and at most about
  // kMaxQueuedBytes of tree bytes wait at a time. A tree read from a pack travels as its object
  // (no copy); other trees' bytes, and commits', are copied into their batch's buffer. The walk
  // gives finished batches back, and the reader empties them and fills them again: the reader
  // and the walk, on two threads, never free what the other allocated (which glibc does under
  // a lock on the other thread's heap) and, once a few batches exist, allocate nothing for
  // them.
  static constexpr size_t kBatchItems = 256;
  static constexpr size_t kMaxQueuedBytes = size_t{8} << 20;
  // Batches kept for reuse (more than can be under way at once), and the largest buffer worth
  // keeping (a huge tree's is let go).
  static constexpr size_t kSpareBatches = 64;
  static constexpr size_t kMaxSpareBytes = size_t{4} << 20;

  struct Batch {
    std::vector<WalkItem> items;
    std::string bytes;  // copies, one after another
    size_t owned = 0;   // bytes of the objects the items keep
    // Objects the walk let go of while it took this batch (Release).
    std::vector<std::shared_ptr<const void>> released;
    size_t Bytes() const { return bytes.size() + owned + items.size() * sizeof(WalkItem); }
    void Clear() {
      items.clear();
      bytes.clear();
      owned = 0;
      released.clear();
    }
  };

  // Under the lock, on the walk's thread: emptied by the reader when it takes the batch again.
  void Recycle(Batch batch) {
    if (spare_.size() >= kSpareBatches || batch.bytes.capacity() > kMaxSpareBytes) return;
    spare_.push_back(std::move(batch));
  }

  // Makes the batch being filled keep what `item->raw` points to until the walk is done with it.
  void Keep(WalkItem* item) {
    if (item->owner != nullptr) {
      pending_.owned += item->raw.size();
      return;
    }
    item->copied = true;
    item->raw_at = pending_.bytes.size();
    pending_.bytes.append(item->raw);
  }

  void Run() {
    git_oid oid;
    while (!cancelled()) {
      int rc = git_revwalk_next(&oid, walk_.get());
      if (!commits_sorted_.exchange(true)) store_->ServeFromShelf(false);  // see ReadCommitsAhead
      if (rc == GIT_ITEROVER) break;
      if (rc != 0) {
        WalkItem stop;
        stop.kind = WalkItem::kStop;
        stop.error = WalkStopped();
        Emit(std::move(stop));
        Flush();
        return;
      }
      ReadCommit(&oid);
    }
    WalkItem stop;
    stop.kind = WalkItem::kStop;
    Emit(std::move(stop));
    Flush();
  }

  void ReadCommit(const git_oid* oid) {
    WalkItem item = ReadCommitItem(repo_, store_, oid, messages_);
    if (item.undescribed) Keep(&item);  // the walk describes it
    bool readable = item.error.empty();
    GitOid tree = item.tree;
    Emit(std::move(item));
    if (readable && seen_.Insert(tree)) ReadTree(tree, PathHash::Start());
  }

  // Reads tree `id` at `path`, then the subtrees it holds that were not seen before. Like the
  // walk, it only parses what changed since the last version at the same path (LineUp): the
  // subtrees of the unchanged entries were met then.
  void ReadTree(const GitOid& id, PathHash path) {
    WalkItem item = ReadTreeItem(store_, id);
    struct Subtree {
      GitOid id;
      PathHash path;
    };
    std::vector<Subtree> subtrees;
    IdentifiedVersion current = last_at_.TakeSpare();
    const IdentifiedVersion* last = last_at_.Find(path.value());
    TreeLineUp lineup;
    // The walk visits a tree's subtrees only when the whole tree parses: so does the reader.
    if (item.error.empty() && LineUp(last != nullptr ? &last->version : nullptr, item.raw,
                                     item.owner, &current.version, &lineup)) {
      if (last != nullptr) {
        item.lined_up = true;
        item.lineup = lineup;
        item.lined_up_with = last->id;
      }
      for (size_t i = lineup.front; i < current.version.count() - lineup.back; ++i) {
        RawTreeEntry entry = current.version.EntryAt(i);
        if (entry.kind == RawTreeEntry::kTree) {
          subtrees.push_back({entry.id, path.Add(entry.name).Add("/")});
        }
      }
      current.id = id;
      last_at_.Replace(path.value(), std::move(current));
    } else {
      last_at_.GiveBack(std::move(current));
    }
    Keep(&item);
    Emit(std::move(item));
    for (const Subtree& subtree : subtrees) {
      if (seen_.Insert(subtree.id)) ReadTree(subtree.id, subtree.path);
    }
  }

  bool cancelled() {
    std::lock_guard<std::mutex> lock(mutex_);
    return cancelled_;
  }

  void Emit(WalkItem item) {
    pending_.items.push_back(std::move(item));
    if (pending_.items.size() >= kBatchItems) Flush();
  }

  void Flush() {
    if (pending_.items.empty()) return;
    size_t bytes = pending_.Bytes();
    std::unique_lock<std::mutex> lock(mutex_);
    room_.wait(lock, [&] {
      return cancelled_ || full_.empty() || queued_bytes_ + bytes <= kMaxQueuedBytes;
    });
    if (cancelled_) {
      pending_.Clear();
      return;
    }
    queued_bytes_ += bytes;
    full_.push_back(std::move(pending_));
    pending_ = Batch();
    if (!spare_.empty()) {
      pending_ = std::move(spare_.back());
      spare_.pop_back();
    }
    ready_.notify_one();
    lock.unlock();
    pending_.Clear();  // a batch the walk gave back: what it kept is let go here, not there
  }

  git_repository* repo_;
  ObjectStore* store_;
  RevwalkPtr walk_;
  OidSet seen_;
  LastAtPath<IdentifiedVersion> last_at_;  // the reader's own, like the walk's
  bool messages_;
  Batch pending_;  // the reader's batch being filled
  Batch batch_;    // the walk's batch being taken
  size_t taken_ = 0;
  std::mutex mutex_;
  std::condition_variable ready_, room_;
  std::deque<Batch> full_;    // batches handed over, oldest first
  std::vector<Batch> spare_;  // batches the walk is done with, to be filled again
  size_t queued_bytes_ = 0;
  bool cancelled_ = false;
  std::atomic<bool> commits_sorted_{false};
  std::thread thread_;  // last: starts once everything above is set up
};

// Builds the inventory: one pass over commits, oldest first, and their new trees.
class Enumerator {
 public:
  // `path`: the repository `repo` was opened from, to open it again when needed.
  Enumerator(git_repository* repo, ObjectStore* store, std::string path, GitInventory* inventory)
      : repo_(repo), store_(store), path_(std::move(path)), inventory_(inventory) {}

  void WalkCommits(const GitEnumerateOptions& options) {
    Walk(options);
    // The walk counted commits in its own compact table (see CountCommit).
    for (size_t i = 0; i < tally_.size(); ++i) inventory_->blobs[i].commits = tally_[i].commits;
  }

  // The commits, oldest first, and the new trees of each.
  void Walk(const GitEnumerateOptions& options) {
    git_revwalk* raw = nullptr;
    if (git_revwalk_new(&raw, repo_) != 0) return Error("", "cannot walk commits: " + LastError());
    RevwalkPtr walk(raw);
    git_revwalk_sorting(walk.get(), GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE);
    if (!PushRevisions(walk.get(), options)) return;
    collect_messages_ = options.messages;
    if (options.read_ahead) return WalkWithReader(std::move(walk), options);
    git_oid oid;
    while (!Stopped(options)) {
      int rc = git_revwalk_next(&oid, walk.get());
      if (rc == GIT_ITEROVER) break;
      if (rc != 0) {
        Error("", WalkStopped());
        break;
      }
      AcceptCommit(ReadCommitItem(repo_, store_, &oid, collect_messages_), options);
    }
  }

  bool revisions_failed() const { return revisions_failed_; }

  void CollectTagMessages() {
    git_tag_foreach(
        repo_,
        [](const char* name, git_oid* oid, void* payload) {
          auto* self = static_cast<Enumerator*>(payload);
          git_tag* tag = nullptr;
          if (git_tag_lookup(&tag, self->repo_, oid) != 0) {
            git_error_clear();
            return 0;  // a lightweight tag: no message
          }
          GitMessage message;
          message.where =
              std::string("tag:") + (std::strncmp(name, "refs/tags/", 10) == 0 ? name + 10 : name);
          const uint32_t* commit = self->commit_index_of_.Get(FromGit(git_tag_target_id(tag)));
          message.commit = commit == nullptr ? kNoCommit : *commit;
          const char* text = git_tag_message(tag);
          message.text = text != nullptr ? text : "";
          git_tag_free(tag);
          self->inventory_->messages.push_back(std::move(message));
          return 0;
        },
        this);
  }

  void MarkHead() {
    git_reference* raw = nullptr;
    if (git_repository_head(&raw, repo_) != 0) return;  // unborn or detached-and-missing
    ReferencePtr head(raw);
    git_object* peeled = nullptr;
    if (git_reference_peel(&peeled, head.get(), GIT_OBJECT_TREE) != 0) return;
    TreePtr tree(reinterpret_cast<git_tree*>(peeled));
    OidSet seen_trees;
    MarkTree(tree.get(), &seen_trees);
  }

  // The order that reads the blobs fastest, from the pack indexes: each delta family together,
  // every object right after its base, so a small cache holds every base needed (in a pack a
  // server wrote, a fifth of curl's deltas come over a gigabyte of reads after their base).
  // Loose blobs go last.
  // `store`: the walk's own, or another of the same packs.
  void ComputeReadOrder(ObjectStore* store) {
    std::vector<GitOid> ids;
    ids.reserve(inventory_->blobs.size());
    for (const BlobOrigin& blob : inventory_->blobs) ids.push_back(blob.id);
    inventory_->read_order = store->ReadOrder(ids, &inventory_->read_families, read_plan_.get());
  }

  // Frees the tables only the walk needed; nothing but ComputeReadOrder may be called after.
  void ReleaseWalkTables() {
    index_ = OidIndex();
    tally_ = {};
    paths_seen_ = U64Set();
    seen_trees_ = OidSet();
    excluded_blobs_ = OidSet();
    last_tree_at_ = LastAtPath<TreeSnapshot>();
    commit_index_of_ = OidIndex();
  }

  void AddUnreachableBlobs() {
    std::vector<GitOid> all;
    store_->ForEach([&](const GitOid& id) { all.push_back(id); });
    for (const GitOid& id : all) {
      if (index_.Contains(id)) continue;
      Result<std::optional<PackObjectHeader>> header = store_->Header(id);
      if (!header.ok()) {
        Error(id.Hex(), "cannot read object: " + header.status().message());
        continue;
      }
      if (!header->has_value() || header->value().type != GitObjectType::kBlob) continue;
      index_.TryEmplace(id, static_cast<uint32_t>(inventory_->blobs.size()));
      BlobOrigin origin;
      origin.id = id;
      origin.commit = kNoCommit;
      inventory_->blobs.push_back(std::move(origin));
    }
  }

 private:
  void Error(const std::string& where, const std::string& message) {
    inventory_->errors.push_back({where, message});
  }

  // Resolves `revision` to a commit id.
  bool ResolveCommit(const std::string& revision, git_oid* out) {
    git_object* object = nullptr;
    if (git_revparse_single(&object, repo_, revision.c_str()) != 0) return false;
    git_object* peeled = nullptr;
    int rc = git_object_peel(&peeled, object, GIT_OBJECT_COMMIT);
    git_object_free(object);
    if (rc != 0) return false;
    git_oid_cpy(out, git_object_id(peeled));
    git_object_free(peeled);
    return true;
  }

  // Everything excluded commits already hold counts as seen: only what the range adds is new.
  void Exclude(git_revwalk* walk, const git_oid* commit_id) {
    git_revwalk_hide(walk, commit_id);
    git_commit* raw = nullptr;
    if (git_commit_lookup(&raw, repo_, commit_id) != 0) return;
    CommitPtr commit(raw);
    git_tree* tree_raw = nullptr;
    if (git_commit_tree(&tree_raw, commit.get()) != 0) return;
    TreePtr tree(tree_raw);
    PreSeed(tree.get());
  }

  void PreSeed(git_tree* tree) {
    if (!seen_trees_.Insert(FromGit(git_tree_id(tree)))) return;
    size_t count = git_tree_entrycount(tree);
    for (size_t i = 0; i < count; ++i) {
      const git_tree_entry* entry = git_tree_entry_byindex(tree, i);
      if (git_tree_entry_type(entry) == GIT_OBJECT_BLOB) {
        excluded_blobs_.Insert(FromGit(git_tree_entry_id(entry)));
      } else if (git_tree_entry_type(entry) == GIT_OBJECT_TREE) {
        git_tree* sub_raw = nullptr;
        if (git_tree_lookup(&sub_raw, repo_, git_tree_entry_id(entry)) != 0) continue;
        TreePtr sub(sub_raw);
        PreSeed(sub.get());
      }
    }
  }

  bool PushRevisions(git_revwalk* walk, const GitEnumerateOptions& options) {
    if (options.revisions.empty() && options.since_commit.empty()) {
      if (git_revwalk_push_glob(walk, "*") != 0) Error("refs", "cannot read refs: " + LastError());
      git_revwalk_push_head(walk);  // a detached HEAD too; an unborn one is no error here
      git_error_clear();
      return true;
    }
    std::vector<std::string> revisions = options.revisions;
    if (revisions.empty()) revisions.push_back("HEAD");
    git_oid since;
    if (!options.since_commit.empty() && !ResolveCommit(options.since_commit, &since)) {
      return FailRevision(options.since_commit);
    }
    if (!options.since_commit.empty()) Exclude(walk, &since);
    for (const std::string& revision : revisions) {
      size_t dots = revision.find("..");
      git_oid oid;
      if (dots != std::string::npos) {
        std::string from = revision.substr(0, dots), to = revision.substr(dots + 2);
        if (from.empty()) from = "HEAD";
        if (to.empty()) to = "HEAD";
        if (!ResolveCommit(from, &oid)) return FailRevision(from);
        Exclude(walk, &oid);
        if (!ResolveCommit(to, &oid)) return FailRevision(to);
        git_revwalk_push(walk, &oid);
      } else if (!revision.empty() && revision[0] == '^') {
        if (!ResolveCommit(revision.substr(1), &oid)) return FailRevision(revision.substr(1));
        Exclude(walk, &oid);
      } else {
        if (!ResolveCommit(revision, &oid)) return FailRevision(revision);
        git_revwalk_push(walk, &oid);
      }
    }
    return true;
  }

  bool FailRevision(const std::string& revision) {
    revisions_failed_ = true;
    Error(revision, "unknown revision: " + LastError());
    return false;
  }

  // Records a commit read by ReadCommitItem (or reports why it could not be read) and visits
  // its new trees.
  void AcceptCommit(WalkItem item, const GitEnumerateOptions& options) {
    if (item.undescribed) {
      // Its tree is walked even when libgit2 cannot describe it: the reader read it already,
      // and what it holds was committed all the same.
      std::string error = DescribeCommitItem(&item, DescribingRepository(), collect_messages_);
      if (!error.empty()) Error(item.id.Hex(), "cannot parse commit: " + error);
    }
    if (!item.error.empty()) {
      Error(item.id.Hex(), "cannot read commit: " + item.error);
    } else {
      StartCommit(std::move(item.commit), std::move(item.message));
      if (seen_trees_.Insert(item.tree)) VisitTree(item.tree, "", PathHash::Start());
    }
    if (options.on_progress && inventory_->commits.size() % kProgressEvery == 0) {
      options.on_progress(inventory_->commits.size(), inventory_->blobs.size());
    }
  }

  // The walk with its reads done ahead by a WalkReader thread; the same inventory.
  void WalkWithReader(RevwalkPtr walk, const GitEnumerateOptions& options) {
    WalkReader reader(repo_, store_, std::move(walk), seen_trees_, collect_messages_);
    reader_ = &reader;
    // The reader first sorts every commit before it hands over any: time to plan the blob
    // read order (the part that does not depend on which blobs), with packs of its own, and
    // then to read commits ahead of it.
    if (planner_ != nullptr) {
      read_plan_ = planner_->PlanReads();
      ReadCommitsAhead(reader, options);
    }
    while (!lost_place_ && !Stopped(options)) {
      WalkItem& item = reader.Next();
      if (item.kind == WalkItem::kStop) {
        if (!item.error.empty()) Error("", item.error);
        break;
      }
      if (item.kind != WalkItem::kCommit) {
        LostPlace(item.id);
        break;
      }
      AcceptCommit(std::move(item), options);
    }
    reader_ = nullptr;
  }

  // While libgit2's commit walk reads every commit (on the reader's thread), newest first,
  // reads commits in pack order from the planner's store onto the walk store's shelf, where the
  // commit walk finds them (and the reader later takes them). A pack lists commits in about the
  // order the commit walk reads them, so this soon runs ahead of it, skipping what it has read:
  // the commit walk then mostly takes commits instead of inflating them. Sorting curl's 39,573
  // commits took 0.26-0.39 s instead of 0.37-0.55 s (3 alternating runs), a synthetic history's
  // 20,000 0.11-0.13 s instead of 0.18-0.20 s. Reading them from the oldest instead (the two
  // meeting in the middle) did no better; on curl, whose pack ends with 40,000 commits no ref
  // reaches, it did nothing. A commit the walk never takes stays on the shelf unused.
  void ReadCommitsAhead(const WalkReader& reader, const GitEnumerateOptions& options) {
    // The store serves from the shelf until the commit walk is done: the reader turns that off
    // then, or this does if the walk ended before it began.
    store_->ServeFromShelf(true);
    const std::vector<GitOid>& commits = PackReader::Commits(*read_plan_);
    for (size_t i = 0; i < commits.size() && !reader.commits_sorted() && !Stopped(options); ++i) {
      if (store_->IsShelved(commits[i])) continue;  // the commit walk got there first
      Result<std::optional<PackObject>> read = planner_->Read(commits[i]);
      if (read.ok() && read->has_value() && read->value().type == GitObjectType::kCommit) {
        store_->ShelveRead(commits[i], read->value().data);
      }
    }
    if (reader.commits_sorted()) store_->ServeFromShelf(false);
  }

  static bool Stopped(const GitEnumerateOptions& options) {
    return options.stopped && options.stopped();
  }

  // The repository to describe commits with: the walk's own, unless a reader thread is using
  // it; then a second handle of the same repository, opened when first needed (most histories
  // never need it: libgit2 only describes commits not in the plain form).
  git_repository* DescribingRepository() {
    if (reader_ == nullptr) return repo_;
    if (second_ == nullptr) {
      Result<OpenedRepository> opened = OpenRepository(path_, 0);
      if (!opened.ok()) return nullptr;
      second_ = std::make_unique<OpenedRepository>(std::move(opened).value());
    }
    return second_->repo.get();
  }

  // Never expected: the reader visits the trees the walk visits, in the same order.
  void LostPlace(const GitOid& id) {
    lost_place_ = true;
    Error(id.Hex(), "internal error: the history walk and its reader went out of step");
  }

  void StartCommit(CommitInfo info, std::string message) {
    commit_index_ = static_cast<uint32_t>(inventory_->commits.size());
    commit_index_of_.TryEmplace(info.id, commit_index_);
    if (collect_messages_) {
      inventory_->messages.push_back(
          {"commit:" + info.id.Hex(), commit_index_, std::move(message)});
    }
    inventory_->commits.push_back(std::move(info));
  }

  // A tree as last visited at one path: its entries, and each blob entry's index in
  // inventory_->blobs (kNotRecorded for other entries and excluded blobs).
  struct TreeSnapshot {
    GitOid id;
    TreeVersion version;
    std::vector<uint32_t> blob_index;
    void Clear() {
      version.Clear();
      blob_index.clear();
    }
    size_t Capacity() const {
      return version.Capacity() + blob_index.capacity() * sizeof(uint32_t);
    }
  };
  static constexpr uint32_t kNotRecorded = UINT32_MAX;

  // Lists the blobs of a tree met for the first time. Most of its entries are unchanged since
  // the tree last visited at the same path: those at the front and back are taken over without
  // being parsed (LineUp), and so are, walking both in git's tree order, those between that
  // compare equal. An unchanged blob's index comes from the last visit; an unchanged subtree
  // was seen then. Only the other entries cost hashes and lookups, and a path is spelled out
  // only when something new is recorded. Trees are read raw (from the packs when they hold
  // them) and parsed here: libgit2's tree objects cost twice as much.
  void VisitTree(const GitOid& tree, const std::string& prefix, PathHash prefix_hash) {
    // Node-based map: the pointer stays valid while visits of subtrees add paths. (Paths are
    // told apart by their 64-bit hash; two colliding directories could at worst undercount the
    // paths of a blob both hold.)
    const TreeSnapshot* previous = last_tree_at_.Find(prefix_hash.value());
    TreeSnapshot current = last_tree_at_.TakeSpare();
    TreeRead read;
    TreeLineUp lineup;
    if (!ReadTree(tree, prefix, &read) || !MakeVersion(previous, &read, &current, &lineup)) {
      if (!read.raw.empty()) Error(tree.Hex(), "malformed tree '" + prefix + "'");
      Retire(current);
      last_tree_at_.GiveBack(std::move(current));
      return;
    }
    current.id = tree;
    const size_t count = current.version.count();
    current.blob_index.assign(count, kNotRecorded);
    if (previous != nullptr) {
      const std::vector<uint32_t>& before = previous->blob_index;
      KeepUnchanged(before.begin(), before.begin() + lineup.front, current.blob_index.begin());
      KeepUnchanged(before.end() - lineup.back, before.end(),
                    current.blob_index.end() - lineup.back);
    }
    // The entries between, against those of the last version between its own front and back.
    size_t j = lineup.front;
    const size_t j_end = previous != nullptr ? previous->version.count() - lineup.back : 0;
    RawTreeEntry before;  // entry j of the last version, once parsed
    bool before_parsed = false;
    auto advance = [&] {
      ++j;
      before_parsed = false;
    };
    auto before_j = [&]() -> const RawTreeEntry& {
      if (!before_parsed) before = previous->version.EntryAt(j);
      before_parsed = true;
      return before;
    };
    for (size_t i = lineup.front; i < count - lineup.back; ++i) {
      const RawTreeEntry entry = current.version.EntryAt(i);
      if (j < j_end) {
        if (!SameEntry(before_j(), entry)) {
          while (j < j_end && TreeOrderLess(before_j(), entry)) advance();
        }
        if (j < j_end && SameEntry(before_j(), entry)) {
          uint32_t index = previous->blob_index[j];
          current.blob_index[i] = index;
          if (index != kNotRecorded) CountCommit(index);
          continue;  // unchanged
        }
      }
      if (entry.kind == RawTreeEntry::kTree) {
        if (!seen_trees_.Insert(entry.id)) continue;  // met in an earlier commit: nothing new
        VisitTree(entry.id, prefix + entry.name + "/", prefix_hash.Add(entry.name).Add("/"));
      } else if (entry.kind == RawTreeEntry::kBlob) {
        current.blob_index[i] =
            RecordBlob(entry.id, prefix, entry.name, prefix_hash.Add(entry.name));
      }  // submodule commits belong to other repositories
    }
    last_tree_at_.Replace(prefix_hash.value(), std::move(current),
                          [this](TreeSnapshot& replaced) { Retire(replaced); });
  }

  // Lets go of the object a snapshot kept (its bytes, read by the reader thread when there is
  // one): through the reader, so that it is freed on the thread that allocated it.
  void Retire(TreeSnapshot& snapshot) {
    if (snapshot.version.owner == nullptr) return;
    if (reader_ != nullptr) {
      reader_->Release(std::move(snapshot.version.owner));
    } else {
      snapshot.version.owner.reset();
    }
  }

  // Copies the blob indexes of unchanged entries, counting this commit for each blob.
  template <typename From, typename To>
  void KeepUnchanged(From first, From last, To out) {
    for (; first != last; ++first, ++out) {
      *out = *first;
      if (*first != kNotRecorded) CountCommit(*first);
    }
  }

  // A tree as read: `raw` is its bytes until the next read, or for as long as `owner` is kept
  // when it is not null; with the reader's lineup when it made one.
  struct TreeRead {
    std::string_view raw;
    std::shared_ptr<const void> owner;
    const WalkItem* item = nullptr;  // from a reader: valid until the next read
  };

  // Reads tree `id` (at `where`, for messages). False, with the error recorded and `raw`
  // empty, when it cannot be read or is not a tree.
  bool ReadTree(const GitOid& id, const std::string& where, TreeRead* read) {
    WalkItem own;  // without a reader
    WalkItem* item = &own;
    if (reader_ == nullptr) {
      own = ReadTreeItem(store_, id);
    } else {
      if (lost_place_) return false;
      item = &reader_->Next();  // not copied
      if (item->kind != WalkItem::kTree || item->id != id) {
        LostPlace(id);
        return false;
      }
    }
    if (!item->error.empty()) {
      Error(id.Hex(), "cannot read tree '" + where + "': " + item->error);
      return false;
    }
    read->raw = item->raw;
    // Moved, not copied: the object's reference count is then only ever changed by the reader
    // thread (a copy here made its cache line travel between the cores for every tree).
    read->owner = std::move(item->owner);
    if (reader_ != nullptr) read->item = item;
    return true;
  }

  // Makes `current` the version of the tree `read`, lined up with `previous` (may be null). The
  // reader thread, when there is one, lined the same two versions up already: its lineup is
  // taken when it was made against this very `previous` (by id), and then only the entries
  // between the shared stretches are read here (AdoptLineUp), not the whole of both versions.
  bool MakeVersion(const TreeSnapshot* previous, TreeRead* read, TreeSnapshot* current,
                   TreeLineUp* lineup) {
    const TreeVersion* last = previous != nullptr ? &previous->version : nullptr;
    if (last != nullptr && read->item != nullptr && read->item->lined_up &&
        read->item->lined_up_with == previous->id) {
      if (AdoptLineUp(*last, read->raw, std::move(read->owner), read->item->lineup,
                      &current->version)) {
        *lineup = read->item->lineup;
        return true;
      }
      read->owner = std::move(current->version.owner);  // back, for LineUp
    }
    return LineUp(last, read->raw, std::move(read->owner), &current->version, lineup);
  }

  // Records blob `id` at `prefix` + `name` in the current commit; returns its index, or
  // kNotRecorded when an excluded commit holds it.
  uint32_t RecordBlob(const GitOid& id, const std::string& prefix, const char* name,
                      PathHash path_hash) {
    if (!excluded_blobs_.empty() && excluded_blobs_.Contains(id)) return kNotRecorded;
    auto [index, inserted] = index_.TryEmplace(id, static_cast<uint32_t>(inventory_->blobs.size()));
    if (inserted) {
      BlobOrigin origin;
      origin.id = id;
      origin.commit = commit_index_;
      origin.path = prefix + name;
      inventory_->blobs.push_back(std::move(origin));
      tally_.push_back({commit_index_, 1});
      paths_seen_.Insert(path_hash.With(index));
      return index;
    }
    if (paths_seen_.Insert(path_hash.With(index))) ++inventory_->blobs[index].paths;
    CountCommit(index);
    return index;
  }

  // Blob `index` is in the current commit: counted once per commit. This runs for every blob
  // entry of every new tree version, unchanged ones included, so the count is kept beside the
  // last commit that counted it, in a table small enough to stay in cache (the blob's origin
  // record, with its strings, cost a cache miss each time).
  void CountCommit(uint32_t index) {
    BlobTally& tally = tally_[index];
    if (tally.last_commit == commit_index_) return;
    tally.last_commit = commit_index_;
    ++tally.commits;
  }

  void MarkTree(git_tree* tree, OidSet* seen) {
    size_t count = git_tree_entrycount(tree);
    for (size_t i = 0; i < count; ++i) {
      const git_tree_entry* entry = git_tree_entry_byindex(tree, i);
      GitOid id = FromGit(git_tree_entry_id(entry));
      if (git_tree_entry_type(entry) == GIT_OBJECT_BLOB) {
        if (const uint32_t* index = index_.Get(id)) inventory_->blobs[*index].in_head = true;
      } else if (git_tree_entry_type(entry) == GIT_OBJECT_TREE && seen->Insert(id)) {
        git_tree* sub_raw = nullptr;
        if (git_tree_lookup(&sub_raw, repo_, git_tree_entry_id(entry)) != 0) continue;
        TreePtr sub(sub_raw);
        MarkTree(sub.get(), seen);
      }
    }
  }

  git_repository* repo_;
  ObjectStore* store_;  // raw tree reads (libgit2 reads through it too)
  std::string path_;
  std::unique_ptr<OpenedRepository> second_;  // see DescribingRepository
  GitInventory* inventory_;
  uint32_t commit_index_ = 0;
  OidIndex index_;  // blob id -> index in inventory_->blobs
  struct BlobTally {
    uint32_t last_commit;  // the last commit that counted the blob
    uint32_t commits;      // commits counted
  };
  std::vector<BlobTally> tally_;  // per blob, by index
  U64Set paths_seen_;             // (blob, path) pairs already counted, hashed
  OidSet seen_trees_;
  OidSet excluded_blobs_;  // held by excluded commits
  LastAtPath<TreeSnapshot> last_tree_at_;
  OidIndex commit_index_of_;
  bool collect_messages_ = false;
  bool revisions_failed_ = false;
  WalkReader* reader_ = nullptr;  // set while a reader thread does the reads
  bool lost_place_ = false;

 public:
  // With a reader thread: another store of the same packs, to plan the read order on.
  void set_planner(ObjectStore* planner) { planner_ = planner; }

 private:
  ObjectStore* planner_ = nullptr;
  std::shared_ptr<const PackReader::ReadPlan> read_plan_;
};

}  // namespace

std::string GitOid::Hex() const {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (uint8_t byte : bytes) {
    hex.push_back(kHex[byte >> 4]);
    hex.push_back(kHex[byte & 15]);
  }
  return hex;
}

Result<GitInventory> EnumerateGit(const std::string& path, const GitEnumerateOptions& options) {
  UseLibGit2();
  Result<OpenedRepository> opened = OpenRepository(path, kEnumerationCacheBytes);
  if (!opened.ok()) return opened.status();
  git_repository* repo = opened->repo.get();
  opened->store->ShelveCommits(kShelvedCommitBytes);
  GitInventory inventory;
  inventory.repository = path;
  inventory.shallow = git_repository_is_shallow(repo) == 1;
  Enumerator enumerator(repo, opened->store.get(), path, &inventory);
  std::unique_ptr<ObjectStore> planner;
  if (options.read_ahead) {
    Result<std::unique_ptr<ObjectStore>> store = ObjectStore::Open(opened->objects_dir, 0);
    if (store.ok()) planner = std::move(store).value();  // else: planned after the walk
    enumerator.set_planner(planner.get());
  }
  enumerator.WalkCommits(options);
  if (enumerator.revisions_failed())
    return Status::Error(inventory.errors.back().message + " (" + inventory.errors.back().path +
                         ")");
  inventory.empty = inventory.commits.empty();
  if (options.messages) enumerator.CollectTagMessages();
  enumerator.MarkHead();
  if (options.all_objects) enumerator.AddUnreachableBlobs();
  if (planner == nullptr) {
    enumerator.ComputeReadOrder(opened->store.get());
    return inventory;
  }
  // Freeing the walk's repository, object cache and tables takes a while on a long history (the
  // cache alone holds tens of thousands of objects): done on a second thread while the read
  // order is planned on the planner's store. Both are done before the inventory is returned,
  // so the memory is free for the scan that follows.
  std::thread release([&enumerator, walked = std::move(opened).value()]() mutable {
    enumerator.ReleaseWalkTables();
    OpenedRepository gone = std::move(walked);
  });
  enumerator.ComputeReadOrder(planner.get());
  release.join();
  return inventory;
}

// Per reader (one per worker thread). Blobs come in ReadOrder, each right after its base, so a
// small cache suffices: 16 to 128 MiB read curl's history equally fast in that order.
constexpr size_t kReaderCacheBytes = size_t{32} << 20;

struct GitBlobReader::Handles {
  // Every object is read through the store (its pack reader is the fast path); the repository
  // handle is kept so the store is the one libgit2 would use.
  RepositoryPtr repo;
  std::shared_ptr<ObjectStore> store;
  ReadSource last;  // of the last Read()
};

GitBlobReader::GitBlobReader(std::unique_ptr<Handles> handles) : handles_(std::move(handles)) {}
GitBlobReader::~GitBlobReader() = default;

Result<std::unique_ptr<GitBlobReader>> GitBlobReader::Open(const std::string& path) {
  UseLibGit2();
  auto handles = std::make_unique<Handles>();
  Result<OpenedRepository> opened = OpenRepository(path, kReaderCacheBytes);
  if (!opened.ok()) return opened.status();
  handles->repo = std::move(opened->repo);
  handles->store = std::move(opened->store);
  return std::unique_ptr<GitBlobReader>(new GitBlobReader(std::move(handles)));
}

Result<GitBlobReader::Blob> GitBlobReader::Read(const GitOid& id, uint64_t size_limit) {
  handles_->last = {};
  Result<std::optional<PackObject>> object = handles_->store->Read(id, size_limit);
  if (!object.ok()) return Status::Error("cannot read object: " + object.status().message());
  if (!object->has_value()) return Status::Error("cannot read object: object not found");
  const PackObject& read = *object.value();
  if (!read.over_limit) handles_->last = {read.key, read.delta};
  return Blob{read.data, read.size, read.over_limit};
}

GitBlobReader::ReadSource GitBlobReader::LastRead() const { return handles_->last; }

Result<uint64_t> GitBlobReader::Size(const GitOid& id) {
  Result<std::optional<uint64_t>> size = handles_->store->Size(id);
  if (!size.ok()) return Status::Error("cannot read object header: " + size.status().message());
  if (!size->has_value()) return Status::Error("cannot read object header: object not found");
  return *size.value();
}

}  // namespace leaksweep
