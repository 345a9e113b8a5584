// Git history input: which blobs a repository holds, where each first came from, and reading
// them. libgit2 stays inside this module.
//
// EnumerateGit() walks every commit reachable from every ref (branches, tags, remote-tracking
// refs, notes, stash) oldest first (topological order, parents before children), and each
// commit's tree, skipping subtrees already seen in an earlier commit. So every distinct blob is
// met first in the commit that introduced it — through a merge, on the side that added it — and
// is listed once however many commits and paths hold it. One pass; no diffs.
//
// Every object, for libgit2 too, is read by an ObjectStore (object_store.h): packed objects
// with PackReader (inflate and delta resolution with a cache sized for reading many blobs),
// loose objects with bounds checks libgit2 lacks. libgit2 walks commits and refs and parses
// commits and tags. GitBlobReader reads blob contents with its own repository handle and
// store, since neither may be shared between threads: make one reader per worker thread.
#ifndef LEAKSWEEP_INPUT_GIT_INVENTORY_H_
#define LEAKSWEEP_INPUT_GIT_INVENTORY_H_

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "leaksweep/core/report_data.h"
#include "leaksweep/core/status.h"

namespace leaksweep {

struct DeltaOrigin;  // pack_reader.h

// A git object id (SHA-1).
struct GitOid {
  std::array<uint8_t, 20> bytes{};
  std::string Hex() const;
  auto operator<=>(const GitOid&) const = default;
};

struct CommitInfo {
  GitOid id;
  std::string author_name;
  std::string author_email;
  std::string date;     // author date, ISO 8601 with the author's offset
  std::string summary;  // first line of the message
};

// A distinct blob and where it was first seen.
struct BlobOrigin {
  GitOid id;
  uint32_t commit = 0;   // index into GitInventory::commits: the commit that introduced it
  std::string path;      // its path in that commit
  uint32_t paths = 1;    // distinct paths it was seen under
  uint32_t commits = 1;  // commits whose new trees hold it (it was added, moved or copied)
  bool in_head = false;  // present in HEAD's tree
};

// A commit or annotated tag message.
struct GitMessage {
  std::string where;    // "commit:<id>" or "tag:<name>"
  uint32_t commit = 0;  // index into GitInventory::commits (for a tag: the tagged commit, or
                        // kNoCommit when it points at something else)
  std::string text;
};

struct GitInventory {
  std::string repository;  // the path given, for reports
  std::vector<CommitInfo> commits;
  std::vector<BlobOrigin> blobs;     // in the order first met: commits oldest first
  std::vector<GitMessage> messages;  // with GitEnumerateOptions::messages
  // Indexes into `blobs` in the order that reads them fastest (PackReader::ReadOrder): a
  // delta's base was just read and is still cached.
  std::vector<uint32_t> read_order;
  // Positions in read_order where a delta family begins: a worker that takes whole families
  // has each blob's base at hand (and what it learnt scanning it).
  std::vector<uint32_t> read_families;
  bool shallow = false;
  bool empty = false;             // no commits at all
  std::vector<ScanError> errors;  // objects that could not be read; enumeration went on
};

struct GitEnumerateOptions {
  // Also list blobs no ref reaches (dangling, unreachable): their origin is unknown (commit
  // index kNoCommit, empty path).
  bool all_objects = false;
  // When non-empty, only what these commits introduce: "A..B" (in B, not in A), "REV" (REV and
  // its ancestors), "^REV" (not in REV). Blobs already in the trees of excluded commits are left
  // out; blobs the range adds (or adds back) are listed.
  std::vector<std::string> revisions;
  // Only what commits after this one introduce: like "C..HEAD" (or C..REV for each REV given).
  std::string since_commit;
  // Also collect commit and annotated tag messages.
  bool messages = false;
  // Read commits and trees on a second thread, ahead of the walk that compares them: the same
  // inventory, sooner, when a second core is free.
  bool read_ahead = false;
  // Called now and then during the commit walk (every 256 commits) with the commits walked and
  // the distinct blobs found so far, for progress output. Optional.
  std::function<void(size_t commits, size_t blobs)> on_progress;
  // Asked before each commit; true ends the walk there (what was walked is returned). Optional.
  std::function<bool()> stopped;
};

inline constexpr uint32_t kNoCommit = UINT32_MAX;

// `path` is a working copy or a bare repository (found with the usual discovery from `path`).
Result<GitInventory> EnumerateGit(const std::string& path, const GitEnumerateOptions& options);

class GitBlobReader {
 public:
  static Result<std::unique_ptr<GitBlobReader>> Open(const std::string& path);
  ~GitBlobReader();
  GitBlobReader(const GitBlobReader&) = delete;
  GitBlobReader& operator=(const GitBlobReader&) = delete;

  // Blob `id`'s contents, valid until the next Read() (Size() keeps them), or an error naming
  // the object. A blob larger than `size_limit` is not read: `over_limit` is set instead, and
  // `size` says how large it is. The view points into the reader's buffers.
  struct Blob {
    std::string_view data;
    uint64_t size = 0;
    bool over_limit = false;
  };
  Result<Blob> Read(const GitOid& id, uint64_t size_limit = UINT64_MAX);
  // The blob's size without reading it (from its header). Read() with a limit costs less than
  // Size() then Read().
  Result<uint64_t> Size(const GitOid& id);

  // Where the last Read() came from: its pack key (kNoObjectKey when loose) and, when it was
  // rebuilt from a delta on another packed object, that delta (valid until the next Read()).
  struct ReadSource {
    uint64_t key = UINT64_MAX;
    const DeltaOrigin* delta = nullptr;
  };
  ReadSource LastRead() const;

 private:
  struct Handles;
  explicit GitBlobReader(std::unique_ptr<Handles> handles);
  std::unique_ptr<Handles> handles_;
};

}  // namespace leaksweep

#endif  // LEAKSWEEP_INPUT_GIT_INVENTORY_H_
