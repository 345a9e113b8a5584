// Fuzz target: the git input on corrupted repositories. Once per process a small template
// repository is made with libgit2 (two commits, nested trees, an executable, a symlink, a
// submodule entry, an annotated tag, a dangling blob, a delta), in two copies: all objects
// loose, and all in one pack. Each input is written into a fresh copy, and then every blob is
// enumerated and read as `leaksweep git` does (EnumerateGit with all objects and messages,
// then GitBlobReader::Size and Read for each blob, in read order). Errors are fine; crashes,
// sanitizer reports and hangs are not, the inventory must be consistent, and the walk with its
// reads done ahead on a second thread (GitEnumerateOptions::read_ahead) must give the same.
//
// Input: a mode byte (bits 0-2: the mode below, modulo 6; bit 3: also enumerate revision
// ranges), then
//   0  k, file    file replaces the k-th loose object file (as stored: zlib-compressed)
//   1  k, object  the same, but object ("blob 5\0hello") is compressed here first, so
//                 mutations reach the object parsers rather than zlib's checks
//   2  pack       replaces the pack (the index stays: the trailer must still match it)
//   3  index      replaces the pack's .idx
//   4  records    a pack built here from records, with a matching v2 index (5: v1 index).
//                 Each record: type byte (bits 0-2: pack type, 0-7 incl. invalid ones;
//                 bit 3: declared size taken from a u32 instead of the payload's; bit 4: the
//                 payload is stored as is instead of compressed), a byte choosing which
//                 template object id the entry claims (a claimed id is not claimed again),
//                 for OFS_DELTA a byte choosing an earlier entry as the base (or, first, a
//                 bogus offset), for REF_DELTA a byte choosing the base id, then the u32 size
//                 when bit 3 is set, then the payload (a length-prefixed string; for deltas,
//                 the delta instructions).
//
// Nothing is skipped: inputs that crash or hang libgit2 1.5.1's own object readers (a loose
// object longer than it declares, a truncated or pack-like one, a delta that is its own base;
// see testdata/fuzz/git/regressions) reach only leaksweep's ObjectStore, which libgit2 reads
// through.
//
// LEAKSWEEP_FUZZ_VERBOSE=1 prints what was enumerated and read (to see what an input does);
// LEAKSWEEP_FUZZ_GIT_KEEP=DIR keeps a copy of the repository an input made in DIR.
// LEAKSWEEP_FUZZ_GIT_SEEDS=DIR makes the first run write a seed for every mode into DIR (the
// seed corpus in testdata/fuzz/git/ was made this way).
#include <git2.h>
#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "fuzz_util.h"
#include "leaksweep/core/sha256.h"
#include "leaksweep/input/git_inventory.h"

namespace leaksweep::fuzz {
namespace {

namespace fs = std::filesystem;

constexpr int kOfsDelta = 6, kRefDelta = 7;
constexpr uint64_t kHeaderBytes = 12;  // "PACK", version, object count
constexpr size_t kMaxRecords = 64;

void CheckGit(int rc, const std::string& what) {
  if (rc == 0) return;
  const git_error* error = git_error_last();
  Fail("template repository: " + what + ": " +
       (error != nullptr && error->message != nullptr ? error->message : "unknown error"));
}

std::string Be32(uint32_t v) {
  return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
          static_cast<char>(v)};
}

std::string Deflate(std::string_view data) {
  uLongf length = compressBound(data.size());
  std::string out(length, '\0');
  if (compress2(reinterpret_cast<Bytef*>(out.data()), &length,
                reinterpret_cast<const Bytef*>(data.data()), data.size(), 6) != Z_OK) {
    Fail("compress2");
  }
  out.resize(length);
  return out;
}

// A 20-byte stand-in for the SHA-1 trailers of packs and indexes: nothing checks their hash,
// only that the pack's and the index's copies agree.
std::string Checksum(std::string_view data) {
  Sha256 hash;
  hash.Update(data);
  Sha256::Digest digest = hash.Finish();
  return std::string(reinterpret_cast<const char*>(digest.data()), 20);
}

struct TemplateObject {
  git_oid id;
  git_object_t type;
  std::string data;
};

struct Template {
  ScratchDir dir{"leaksweep-fuzz-git"};
  fs::path loose;                       // bare repository, every object loose
  fs::path packed;                      // the same, every object in one pack
  std::vector<fs::path> loose_files;    // relative to `loose`, sorted
  fs::path pack_file, index_file;       // relative to `packed`
  std::vector<TemplateObject> objects;  // sorted by id
  uint64_t runs = 0;
};

// Makes the template repository's objects and refs in `path` (bare).
void MakeHistory(const fs::path& path) {
  git_repository* repo = nullptr;
  CheckGit(git_repository_init(&repo, path.c_str(), /*is_bare=*/1), "init");
  git_signature* sig = nullptr;
  CheckGit(git_signature_new(&sig, "Ann Dev", "ann@example.test", 1700000000, 60), "signature");

  auto blob = [&](const std::string& text) {
    git_oid id;
    CheckGit(git_blob_create_from_buffer(&id, repo, text.data(), text.size()), "blob");
    return id;
  };
  struct Entry {
    const char* name;
    git_oid id;
    git_filemode_t mode;
  };
  auto tree = [&](const std::vector<Entry>& entries) {
    git_treebuilder* builder = nullptr;
    CheckGit(git_treebuilder_new(&builder, repo, nullptr), "treebuilder");
    for (const Entry& e : entries) {
      CheckGit(git_treebuilder_insert(nullptr, builder, e.name, &e.id, e.mode), e.name);
    }
    git_oid id;
    CheckGit(git_treebuilder_write(&id, builder), "tree");
    git_treebuilder_free(builder);
    return id;
  };
  auto commit = [&](const git_oid& tree_id, git_commit* parent, const char* message) {
    git_tree* t = nullptr;
    CheckGit(git_tree_lookup(&t, repo, &tree_id), "tree lookup");
    const git_commit* parents[] = {parent};
    git_oid id;
    CheckGit(git_commit_create(&id, repo, "refs/heads/main", sig, sig, nullptr, message, t,
                               parent != nullptr ? 1 : 0, parents),
             "commit");
    git_tree_free(t);
    git_commit* c = nullptr;
    CheckGit(git_commit_lookup(&c, repo, &id), "commit lookup");
    return c;
  };

  std::string big_v1, big_v2;
  for (int i = 0; i < 60; ++i) {
    std::string line = "line " + std::to_string(i) + ": the quick brown fox jumps over the dog\n";
    big_v1 += line;
    big_v2 += i == 30 ? "line 30: password = \"not-a-real-password-30\"\n" : line;
  }
  const git_oid readme = blob("# Demo\nContact: dev@example.test\n");
  const git_oid docs = tree({{"README.md", readme, GIT_FILEMODE_BLOB}});
  const git_oid tree1 =
      tree({{"big.txt", blob(big_v1), GIT_FILEMODE_BLOB},
            {"config.py", blob("DEBUG = True\nTOKEN = \"fuzz-0001\"\n"), GIT_FILEMODE_BLOB},
            {"docs", docs, GIT_FILEMODE_TREE}});
  git_commit* first = commit(tree1, nullptr, "Initial import\n\nWith a body.\n");
  const git_oid tree2 =
      tree({{"big.txt", blob(big_v2), GIT_FILEMODE_BLOB},
            {"config.py", blob("DEBUG = False\nTOKEN = \"fuzz-0002\"\n"), GIT_FILEMODE_BLOB},
            {"docs", docs, GIT_FILEMODE_TREE},
            {"link", blob("config.py"), GIT_FILEMODE_LINK},
            {"run.sh", blob("#!/bin/sh\necho hello\n"), GIT_FILEMODE_BLOB_EXECUTABLE},
            {"vendor", *git_commit_id(first), GIT_FILEMODE_COMMIT}});
  git_commit* second = commit(tree2, first, "Update settings\n");
  git_oid tag;
  CheckGit(git_tag_create(&tag, repo, "v1", reinterpret_cast<git_object*>(second), sig,
                          "Release v1\n", 0),
           "tag");
  blob("a dangling blob that no commit holds\n");
  CheckGit(git_repository_set_head(repo, "refs/heads/main"), "HEAD");
  git_commit_free(first);
  git_commit_free(second);
  git_signature_free(sig);
  git_repository_free(repo);
}

Template* MakeTemplate() {
  auto* t = new Template;
  git_libgit2_init();  // held for the life of the process
  t->loose = t->dir.path() / "loose.git";
  t->packed = t->dir.path() / "packed.git";
  MakeHistory(t->loose);

  // Every object, sorted by id, and the loose files that hold them.
  git_repository* repo = nullptr;
  CheckGit(git_repository_open(&repo, t->loose.c_str()), "open");
  git_odb* odb = nullptr;
  CheckGit(git_repository_odb(&odb, repo), "odb");
  std::vector<git_oid> ids;
  CheckGit(git_odb_foreach(
               odb,
               [](const git_oid* id, void* payload) {
                 static_cast<std::vector<git_oid>*>(payload)->push_back(*id);
                 return 0;
               },
               &ids),
           "foreach");
  std::sort(ids.begin(), ids.end(),
            [](const git_oid& a, const git_oid& b) { return git_oid_cmp(&a, &b) < 0; });
  for (const git_oid& id : ids) {
    git_odb_object* object = nullptr;
    CheckGit(git_odb_read(&object, odb, &id), "read");
    t->objects.push_back({id, git_odb_object_type(object),
                          std::string(static_cast<const char*>(git_odb_object_data(object)),
                                      git_odb_object_size(object))});
    git_odb_object_free(object);
    char hex[GIT_OID_HEXSZ + 1];
    git_oid_tostr(hex, sizeof hex, &id);
    t->loose_files.push_back(fs::path("objects") / std::string(hex, 2) / std::string(hex + 2));
  }
  git_odb_free(odb);
  git_repository_free(repo);

  // The packed copy: one pack of every object, no loose objects.
  fs::copy(t->loose, t->packed, fs::copy_options::recursive);
  CheckGit(git_repository_open(&repo, t->packed.c_str()), "open packed");
  git_packbuilder* builder = nullptr;
  CheckGit(git_packbuilder_new(&builder, repo), "packbuilder");
  git_packbuilder_set_threads(builder, 1);
  for (const git_oid& id : ids) CheckGit(git_packbuilder_insert(builder, &id, nullptr), "insert");
  CheckGit(
      git_packbuilder_write(builder, (t->packed / "objects" / "pack").c_str(), 0, nullptr, nullptr),
      "pack");
  git_packbuilder_free(builder);
  git_repository_free(repo);
  for (const fs::path& file : t->loose_files) fs::remove_all(t->packed / file.parent_path());
  for (const auto& entry : fs::directory_iterator(t->packed / "objects" / "pack")) {
    fs::path relative = fs::relative(entry.path(), t->packed);
    if (entry.path().extension() == ".pack") t->pack_file = relative;
    if (entry.path().extension() == ".idx") t->index_file = relative;
  }
  if (t->pack_file.empty() || t->index_file.empty()) Fail("template repository: no pack");
  return t;
}

// ---- packs built from records -----------------------------------------------------------------

std::string EntryHeader(int type, uint64_t size) {
  std::string out;
  uint8_t byte = static_cast<uint8_t>((type << 4) | (size & 0x0F));
  size >>= 4;
  while (size != 0) {
    out += static_cast<char>(byte | 0x80);
    byte = size & 0x7F;
    size >>= 7;
  }
  out += static_cast<char>(byte);
  return out;
}

// git's OFS_DELTA distance encoding (big-endian base-128, each continuation adding one).
std::string OfsDistance(uint64_t distance) {
  std::string out(1, static_cast<char>(distance & 0x7F));
  while (distance >>= 7) {
    --distance;
    out.insert(out.begin(), static_cast<char>(0x80 | (distance & 0x7F)));
  }
  return out;
}

struct IndexEntry {
  git_oid id;
  uint32_t offset;
  uint32_t crc;
};

void BuildPack(FuzzInput& in, const Template& t, bool index_v1, std::string* pack,
               std::string* index) {
  std::string body;
  std::vector<IndexEntry> entries;
  std::set<size_t> claimed;
  const size_t n = t.objects.size();
  while (!in.empty() && entries.size() < kMaxRecords) {
    const uint8_t flags = in.Byte();
    const int type = flags & 7;
    const size_t claim = in.Byte() % n;
    const uint64_t offset = kHeaderBytes + body.size();
    std::string base;
    if (type == kOfsDelta) {
      uint8_t choice = in.Byte();
      base =
          entries.empty()
              ? OfsDistance(uint64_t{choice} + 1)
              : OfsDistance(offset - entries[entries.size() - 1 - choice % entries.size()].offset);
    } else if (type == kRefDelta) {
      const git_oid& id = t.objects[in.Byte() % n].id;
      base.assign(reinterpret_cast<const char*>(id.id), GIT_OID_RAWSZ);
    }
    const bool lie = (flags & 0x08) != 0;
    const uint64_t declared = lie ? in.U32() : 0;
    const std::string payload = in.String();
    if (!claimed.insert(claim).second) continue;
    std::string entry = EntryHeader(type, lie ? declared : payload.size()) + base +
                        ((flags & 0x10) != 0 ? payload : Deflate(payload));
    entries.push_back({t.objects[claim].id, static_cast<uint32_t>(offset),
                       static_cast<uint32_t>(
                           crc32(0, reinterpret_cast<const Bytef*>(entry.data()), entry.size()))});
    body += entry;
  }
  *pack = "PACK" + Be32(2) + Be32(static_cast<uint32_t>(entries.size())) + body;
  const std::string pack_sum = Checksum(*pack);
  *pack += pack_sum;

  std::sort(entries.begin(), entries.end(),
            [](const IndexEntry& a, const IndexEntry& b) { return git_oid_cmp(&a.id, &b.id) < 0; });
  std::string fanout;
  for (int byte = 0; byte < 256; ++byte) {
    fanout += Be32(static_cast<uint32_t>(std::count_if(
        entries.begin(), entries.end(), [&](const IndexEntry& e) { return e.id.id[0] <= byte; })));
  }
  auto raw_id = [](const IndexEntry& e) {
    return std::string(reinterpret_cast<const char*>(e.id.id), GIT_OID_RAWSZ);
  };
  if (index_v1) {
    *index = fanout;
    for (const IndexEntry& e : entries) *index += Be32(e.offset) + raw_id(e);
  } else {
    *index = "\377tOc" + Be32(2) + fanout;
    for (const IndexEntry& e : entries) *index += raw_id(e);
    for (const IndexEntry& e : entries) *index += Be32(e.crc);
    for (const IndexEntry& e : entries) *index += Be32(e.offset);
  }
  *index += pack_sum;
  *index += Checksum(*index);
}

// ---- one input --------------------------------------------------------------------------------

// Replaces a file of the copy (libgit2 writes objects and packs read-only).
void Replace(const fs::path& path, std::string_view content) {
  std::error_code ec;
  fs::remove(path, ec);
  WriteFile(path, content);
}

// EnumerateGit, and checks that the inventory is consistent.
Result<GitInventory> Enumerate(const std::string& path, const GitEnumerateOptions& options) {
  Result<GitInventory> inventory = EnumerateGit(path, options);
  if (!inventory.ok()) return inventory;
  const GitInventory& inv = inventory.value();
  FUZZ_CHECK(inv.read_order.size() == inv.blobs.size(), "read_order is not a permutation");
  std::vector<bool> seen(inv.blobs.size(), false);
  for (uint32_t index : inv.read_order) {
    FUZZ_CHECK(index < inv.blobs.size() && !seen[index], "read_order is not a permutation");
    seen[index] = true;
  }
  for (const BlobOrigin& blob : inv.blobs) {
    FUZZ_CHECK(blob.commit == kNoCommit || blob.commit < inv.commits.size(), "blob commit");
  }
  for (const GitMessage& message : inv.messages) {
    FUZZ_CHECK(message.commit == kNoCommit || message.commit < inv.commits.size(),
               "message commit");
  }
  if (std::getenv("LEAKSWEEP_FUZZ_VERBOSE") != nullptr) {
    std::fprintf(stderr, "git: %zu commits, %zu blobs, %zu messages, %zu errors\n",
                 inv.commits.size(), inv.blobs.size(), inv.messages.size(), inv.errors.size());
    for (const ScanError& error : inv.errors) {
      std::fprintf(stderr, "  error %s: %s\n", error.path.c_str(), error.message.c_str());
    }
  }
  return inventory;
}

// Everything an inventory holds, as text, to compare two.
std::string Describe(const Result<GitInventory>& inventory) {
  if (!inventory.ok()) return "error: " + inventory.status().message();
  const GitInventory& inv = inventory.value();
  std::string text = std::to_string(inv.shallow) + std::to_string(inv.empty) + "\n";
  for (const CommitInfo& c : inv.commits) {
    text += "commit " + c.id.Hex() + " " + c.author_name + " <" + c.author_email + "> " + c.date +
            " " + c.summary + "\n";
  }
  for (const BlobOrigin& b : inv.blobs) {
    text += "blob " + b.id.Hex() + " " + std::to_string(b.commit) + " " + b.path + " " +
            std::to_string(b.paths) + " " + std::to_string(b.commits) + " " +
            std::to_string(b.in_head) + "\n";
  }
  for (const GitMessage& m : inv.messages) {
    text += "message " + m.where + " " + std::to_string(m.commit) + " " + m.text + "\n";
  }
  for (uint32_t i : inv.read_order) text += std::to_string(i) + " ";
  text += "\nfamilies ";
  for (uint32_t i : inv.read_families) text += std::to_string(i) + " ";
  text += "\n";
  for (const ScanError& e : inv.errors) text += "error " + e.path + ": " + e.message + "\n";
  return text;
}

// Enumerates and reads everything, as `leaksweep git` does (with --all-objects and
// --scan-messages); with `range`, also enumerates a revision range. The walk with its reads
// done ahead on a second thread (as with --threads 2) must give the very same inventory.
void ReadRepository(const std::string& path, bool range) {
  GitEnumerateOptions options;
  options.all_objects = true;
  options.messages = true;
  Result<GitInventory> inventory = Enumerate(path, options);
  GitEnumerateOptions ahead = options;
  ahead.read_ahead = true;
  std::string walked = Describe(inventory), read_ahead = Describe(Enumerate(path, ahead));
  FUZZ_CHECK(walked == read_ahead, "read ahead:\n" + read_ahead + "\nwalk alone:\n" + walked);
  if (!inventory.ok()) return;
  if (range) {
    GitEnumerateOptions range_options;
    range_options.revisions = {"main~1..v1", "^main~1"};
    range_options.since_commit = "main~1";
    Result<GitInventory> ranged = Enumerate(path, range_options);
    range_options.read_ahead = true;
    FUZZ_CHECK(Describe(ranged) == Describe(Enumerate(path, range_options)),
               "a range read ahead differs");
  }
  const GitInventory& inv = inventory.value();
  const bool verbose = std::getenv("LEAKSWEEP_FUZZ_VERBOSE") != nullptr;
  Result<std::unique_ptr<GitBlobReader>> reader = GitBlobReader::Open(path);
  if (!reader.ok()) return;
  for (uint32_t index : inv.read_order) {
    const GitOid& id = inv.blobs[index].id;
    Result<uint64_t> size = reader.value()->Size(id);
    if (size.ok() && size.value() > 0) {  // a limit just below the size: not read, size told
      Result<GitBlobReader::Blob> over = reader.value()->Read(id, size.value() - 1);
      if (over.ok()) {
        FUZZ_CHECK(over->over_limit && over->size == size.value() && over->data.empty(),
                   "over limit");
      }
    }
    Result<GitBlobReader::Blob> read = reader.value()->Read(id);
    Result<std::string_view> data =
        read.ok() ? Result<std::string_view>(read->data) : Result<std::string_view>(read.status());
    if (verbose) {
      std::fprintf(
          stderr, "  blob %s %s: size %s, read %s\n", id.Hex().c_str(),
          inv.blobs[index].path.c_str(),
          size.ok() ? std::to_string(size.value()).c_str() : size.status().message().c_str(),
          data.ok() ? std::to_string(data->size()).c_str() : data.status().message().c_str());
    }
    if (!data.ok()) continue;
    // Copy every byte (ASan checks the whole source range), so that a view of freed or
    // unmapped memory is caught.
    const std::string copy(data.value());
    FUZZ_CHECK(copy.size() == data->size(), "copy");
  }
}

void RunInput(FuzzInput& in, Template& t) {
  const uint8_t mode_byte = in.Byte();
  const int mode = (mode_byte & 7) % 6;
  const fs::path repo = t.dir.path() / "work.git";
  std::error_code ec;
  fs::remove_all(repo, ec);
  fs::copy(mode <= 1 ? t.loose : t.packed, repo, fs::copy_options::recursive);
  switch (mode) {
    case 0:
    case 1: {
      const fs::path& file = t.loose_files[in.Byte() % t.loose_files.size()];
      std::string_view rest = in.Rest();
      Replace(repo / file, mode == 0 ? std::string(rest) : Deflate(rest));
      break;
    }
    default: {
      std::string pack, index;
      if (mode == 2) {
        pack = in.Rest();
        index = ReadFile(t.packed / t.index_file);
      } else if (mode == 3) {
        pack = ReadFile(t.packed / t.pack_file);
        index = in.Rest();
      } else {
        BuildPack(in, t, mode == 5, &pack, &index);
      }
      Replace(repo / t.pack_file, pack);
      Replace(repo / t.index_file, index);
      break;
    }
  }
  if (const char* keep = std::getenv("LEAKSWEEP_FUZZ_GIT_KEEP"); keep != nullptr && *keep) {
    fs::remove_all(keep, ec);
    fs::copy(repo, keep, fs::copy_options::recursive);
  }
  ReadRepository(repo.string(), (mode_byte & 0x08) != 0);
}

// ---- seeds ------------------------------------------------------------------------------------

std::string LengthPrefixed(std::string_view text) {
  if (text.size() >= 0xF0 + 0x1000) Fail("seed string too long");
  if (text.size() < 0xF0) return std::string(1, static_cast<char>(text.size())) + std::string(text);
  size_t extra = text.size() - 0xF0;
  return std::string{static_cast<char>(0xF0 | (extra >> 8)), static_cast<char>(extra & 0xFF)} +
         std::string(text);
}

std::string DeltaVarint(uint64_t value) {
  std::string out;
  do {
    uint8_t byte = value & 0x7F;
    value >>= 7;
    out += static_cast<char>(byte | (value != 0 ? 0x80 : 0));
  } while (value != 0);
  return out;
}

// A git delta from `base` to `target`: copy the common prefix, insert the middle, copy the
// common suffix.
std::string MakeDelta(const std::string& base, const std::string& target) {
  size_t prefix = 0;
  while (prefix < base.size() && prefix < target.size() && base[prefix] == target[prefix]) {
    ++prefix;
  }
  size_t suffix = 0;
  while (suffix < base.size() - prefix && suffix < target.size() - prefix &&
         base[base.size() - 1 - suffix] == target[target.size() - 1 - suffix]) {
    ++suffix;
  }
  auto copy = [](uint32_t offset, uint32_t size) {
    std::string out(1, static_cast<char>(0x80 | 0x0F | 0x70));
    for (int i = 0; i < 4; ++i) out += static_cast<char>(offset >> (8 * i));
    for (int i = 0; i < 3; ++i) out += static_cast<char>(size >> (8 * i));
    return out;
  };
  std::string delta = DeltaVarint(base.size()) + DeltaVarint(target.size());
  if (prefix > 0) delta += copy(0, static_cast<uint32_t>(prefix));
  for (size_t at = prefix; at < target.size() - suffix; at += 127) {
    size_t n = std::min<size_t>(127, target.size() - suffix - at);
    delta += static_cast<char>(n);
    delta += target.substr(at, n);
  }
  if (suffix > 0) {
    delta += copy(static_cast<uint32_t>(base.size() - suffix), static_cast<uint32_t>(suffix));
  }
  return delta;
}

void WriteSeeds(const Template& t, const fs::path& dir) {
  fs::create_directories(dir);
  auto seed = [&](const std::string& name, const std::string& content) {
    WriteFile(dir / name, content);
  };
  const char* type_names[] = {"", "commit", "tree", "blob", "tag"};
  std::set<int> types_done;
  for (size_t k = 0; k < t.objects.size(); ++k) {
    const TemplateObject& object = t.objects[k];
    if (!types_done.insert(object.type).second) continue;  // one of each type
    const std::string type = type_names[object.type];
    seed("loose-" + type,
         std::string{'\0', static_cast<char>(k)} + ReadFile(t.loose / t.loose_files[k]));
    seed("object-" + type, std::string{'\1', static_cast<char>(k)} + type + " " +
                               std::to_string(object.data.size()) + std::string(1, '\0') +
                               object.data);
  }
  seed("pack", "\2" + ReadFile(t.packed / t.pack_file));
  seed("index", "\3" + ReadFile(t.packed / t.index_file));

  // Records: every object whole, but the second version of big.txt as an OFS_DELTA on the
  // first, and the dangling blob as a REF_DELTA on the first config.py.
  auto find = [&](std::string_view prefix, std::string_view holding) {
    for (size_t k = 0; k < t.objects.size(); ++k) {
      const std::string& data = t.objects[k].data;
      if (data.rfind(prefix, 0) == 0 && data.find(holding) != std::string::npos) return k;
    }
    Fail("seed: no template object starting with " + std::string(prefix));
  };
  const size_t big_v1 = find("line 0:", "line 30: the quick");
  const size_t big_v2 = find("line 0:", "password");
  const size_t dangling = find("a dangling", "");
  const size_t config_v1 = find("DEBUG = True", "");
  std::string records;
  size_t written = 0, big_v1_entry = 0;
  for (size_t k = 0; k < t.objects.size(); ++k) {
    if (k == big_v2 || k == dangling) continue;
    if (k == big_v1) big_v1_entry = written;
    records += std::string{static_cast<char>(t.objects[k].type), static_cast<char>(k)} +
               LengthPrefixed(t.objects[k].data);
    ++written;
  }
  records += std::string{static_cast<char>(kOfsDelta), static_cast<char>(big_v2),
                         static_cast<char>(written - 1 - big_v1_entry)} +
             LengthPrefixed(MakeDelta(t.objects[big_v1].data, t.objects[big_v2].data));
  records += std::string{static_cast<char>(kRefDelta), static_cast<char>(dangling),
                         static_cast<char>(config_v1)} +
             LengthPrefixed(MakeDelta(t.objects[config_v1].data, t.objects[dangling].data));
  seed("records-v2", "\4" + records);
  seed("records-v1", "\5" + records);
}

// Made on first use; destroyed (its directory removed) at exit.
Template& GetTemplate() {
  static std::unique_ptr<Template> t = [] {
    std::unique_ptr<Template> made(MakeTemplate());
    if (const char* dir = std::getenv("LEAKSWEEP_FUZZ_GIT_SEEDS"); dir != nullptr && *dir) {
      WriteSeeds(*made, dir);
    }
    return made;
  }();
  return *t;
}

}  // namespace
}  // namespace leaksweep::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  leaksweep::fuzz::FuzzInput in(data, size);
  leaksweep::fuzz::RunInput(in, leaksweep::fuzz::GetTemplate());
  return 0;
}
