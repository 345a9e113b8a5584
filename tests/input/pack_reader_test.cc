// PackReader, and GitBlobReader on top of it, against libgit2's git_odb_read: every object of
// real repositories made with the git command line at test time (loose, deep delta chains,
// several packs, alternates, REF_DELTA, corrupt copies), and hand-made packs for what git never
// writes (cross-pack and dangling REF_DELTA bases, cycles, bad deltas, v1 and 64-bit indexes).
#include "leaksweep/input/pack_reader.h"

#include <doctest/doctest.h>
#include <git2.h>
#include <sys/stat.h>
#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "leaksweep/input/git_inventory.h"
#include "pack_builder.h"
#include "test_util.h"

namespace leaksweep {
namespace {

namespace fs = std::filesystem;
using testing::Compress;
using testing::Delta;
using testing::FakeId;
using testing::PackBuilder;
using testing::TempDir;

// ---- real repositories ----------------------------------------------------------------------

std::string Git(const fs::path& dir, const std::vector<std::string>& args,
                const std::string& input = "") {
  return testing::RunGit(dir, args, input);
}

void Init(const fs::path& dir) {
  fs::create_directories(dir);
  Git(dir, {"init", "-q", "-b", "main"});
}

void WriteFile(const fs::path& path, const std::string& content) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << content;
}

void Commit(const fs::path& dir, const std::string& message) {
  Git(dir, {"add", "-A"});
  Git(dir, {"commit", "-q", "--allow-empty", "-m", message});
}

struct Rng {
  uint64_t state;
  uint64_t Next() {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  }
  std::string Line(size_t number) {
    char buffer[96];
    std::snprintf(buffer, sizeof buffer, "line %06zu: %016llx %016llx %016llx\n", number,
                  static_cast<unsigned long long>(Next()), static_cast<unsigned long long>(Next()),
                  static_cast<unsigned long long>(Next()));
    return buffer;
  }
};

std::string FastImportData(const std::string& text) {
  return "data " + std::to_string(text.size()) + "\n" + text + "\n";
}

// A history written with git fast-import: `commits` commits, each changing a few lines of three
// small files, and every `big_every` commits a few lines of a file over 1 MiB; then an
// annotated tag. Many versions of few files: long delta chains once repacked.
void FastImportHistory(const fs::path& dir, int commits, int big_every, uint64_t seed) {
  Rng rng{seed};
  const char* names[] = {"src/app.txt", "src/config.txt", "docs/notes.txt", "data/big.txt"};
  std::vector<std::vector<std::string>> files(4);
  for (int f = 0; f < 3; ++f) {
    for (size_t i = 0; i < static_cast<size_t>(100 + 40 * f); ++i) files[f].push_back(rng.Line(i));
  }
  for (size_t i = 0; i < 16000; ++i) files[3].push_back(rng.Line(i));  // about 1.3 MiB
  std::string stream;
  for (int c = 1; c <= commits; ++c) {
    stream += "commit refs/heads/main\nmark :" + std::to_string(c) +
              "\ncommitter Ann Dev <ann@example.com> " + std::to_string(1700000000 + 60 * c) +
              " +0000\n" + FastImportData("change " + std::to_string(c));
    if (c > 1) stream += "from :" + std::to_string(c - 1) + "\n";
    for (int f = 0; f < 4; ++f) {
      if (f == 3 && (c - 1) % big_every != 0) continue;
      for (int k = 0; k < 3; ++k) {
        size_t line = rng.Next() % files[f].size();
        files[f][line] = rng.Line(line);
      }
      if (f < 3 && c % 7 == 0) files[f].push_back(rng.Line(files[f].size()));
      std::string content;
      for (const std::string& line : files[f]) content += line;
      stream += std::string("M 100644 inline ") + names[f] + "\n" + FastImportData(content);
    }
  }
  stream += "tag v1\nfrom :" + std::to_string(commits) +
            "\ntagger Ann Dev <ann@example.com> 1800000000 +0000\n" + FastImportData("release");
  Git(dir, {"fast-import", "--quiet"}, stream);
}

// A new repository at `dir`/`name` holding FastImportHistory(`commits`, `big_every`, `seed`),
// repacked by `git repack -q` with `repack_args`.
fs::path PackedHistory(const fs::path& dir, const std::string& name, int commits, int big_every,
                       uint64_t seed, const std::vector<std::string>& repack_args) {
  fs::path repo = dir / name;
  Init(repo);
  FastImportHistory(repo, commits, big_every, seed);
  std::vector<std::string> args = {"repack", "-q"};
  args.insert(args.end(), repack_args.begin(), repack_args.end());
  Git(repo, args);
  return repo;
}

std::string ObjectsDir(const fs::path& repo) {
  return (fs::exists(repo / ".git") ? repo / ".git" / "objects" : repo / "objects").string();
}

std::vector<fs::path> PackFiles(const fs::path& repo) {
  std::vector<fs::path> packs;
  for (const auto& entry : fs::directory_iterator(fs::path(ObjectsDir(repo)) / "pack")) {
    if (entry.path().extension() == ".pack") packs.push_back(entry.path());
  }
  std::sort(packs.begin(), packs.end());
  return packs;
}

// The longest delta chain `git verify-pack -v` reports for a pack.
int LongestChain(const fs::path& pack) {
  fs::path index = pack;
  index.replace_extension(".idx");
  std::string out = Git(pack.parent_path(), {"verify-pack", "-v", index.string()});
  int longest = 0;
  for (size_t at = out.find("chain length = "); at != std::string::npos;
       at = out.find("chain length = ", at + 1)) {
    longest = std::max(longest, std::atoi(out.c_str() + at + 15));
  }
  return longest;
}

// libgit2 stays initialised for the whole run: each first init loads the CA certificates.
const int kLibGit2Users = git_libgit2_init();

struct OdbObject {
  int type = 0;
  std::string data;
};

// libgit2 on a repository: the reference every read is compared with.
class LibGit2Repo {
 public:
  explicit LibGit2Repo(const fs::path& path) {
    git_libgit2_init();
    REQUIRE(git_repository_open(&repo_, path.c_str()) == 0);
    REQUIRE(git_repository_odb(&odb_, repo_) == 0);
  }
  ~LibGit2Repo() {
    git_odb_free(odb_);
    git_repository_free(repo_);
    git_libgit2_shutdown();
  }
  LibGit2Repo(const LibGit2Repo&) = delete;
  LibGit2Repo& operator=(const LibGit2Repo&) = delete;

  // Every object id, loose and packed, alternates included.
  std::vector<GitOid> AllObjects() {
    std::set<GitOid> ids;
    git_odb_foreach(
        odb_,
        [](const git_oid* oid, void* payload) {
          GitOid id;
          std::memcpy(id.bytes.data(), oid->id, 20);
          static_cast<std::set<GitOid>*>(payload)->insert(id);
          return 0;
        },
        &ids);
    return std::vector<GitOid>(ids.begin(), ids.end());
  }

  // The ids in the order libgit2 iterates them: pack order, pack by pack.
  std::vector<GitOid> PackOrder() {
    std::vector<GitOid> ids;
    git_odb_foreach(
        odb_,
        [](const git_oid* oid, void* payload) {
          GitOid id;
          std::memcpy(id.bytes.data(), oid->id, 20);
          static_cast<std::vector<GitOid>*>(payload)->push_back(id);
          return 0;
        },
        &ids);
    return ids;
  }

  OdbObject Read(const GitOid& id) {
    git_oid oid;
    std::memcpy(oid.id, id.bytes.data(), 20);
    git_odb_object* object = nullptr;
    INFO(id.Hex());
    REQUIRE(git_odb_read(&object, odb_, &oid) == 0);
    OdbObject result;
    result.type = git_odb_object_type(object);
    result.data.assign(static_cast<const char*>(git_odb_object_data(object)),
                       git_odb_object_size(object));
    git_odb_object_free(object);
    return result;
  }

 private:
  git_repository* repo_ = nullptr;
  git_odb* odb_ = nullptr;
};

struct Counts {
  size_t packed = 0;
  size_t loose = 0;
  PackReaderStats stats;
};

enum class Order { kPack, kReadOrder, kShuffled };

// Reads every object of `repo` with PackReader (and GitBlobReader) and compares it with
// libgit2: type, contents, Size() and Header().
Counts CompareAll(const fs::path& repo, Order order = Order::kPack,
                  size_t cache_bytes = PackReader::kDefaultCacheBytes) {
  LibGit2Repo git(repo);
  std::vector<GitOid> ids = git.PackOrder();
  Result<std::unique_ptr<PackReader>> reader = PackReader::Open(ObjectsDir(repo), cache_bytes);
  REQUIRE(reader.ok());
  PackReader& packs = *reader.value();
  CHECK(packs.skipped().empty());
  if (order == Order::kReadOrder) {
    std::vector<GitOid> sorted;
    for (uint32_t i : packs.ReadOrder(ids)) sorted.push_back(ids[i]);
    ids = sorted;
  } else if (order == Order::kShuffled) {
    Rng rng{42};
    for (size_t i = ids.size(); i > 1; --i) std::swap(ids[i - 1], ids[rng.Next() % i]);
  }
  Counts counts;
  for (const GitOid& id : ids) {
    INFO("object " << id.Hex());
    OdbObject expected = git.Read(id);
    Result<std::optional<PackObject>> got = packs.Read(id);
    INFO((got.ok() ? "" : got.status().message()));
    REQUIRE(got.ok());
    Result<std::optional<uint64_t>> size = packs.Size(id);
    Result<std::optional<PackObjectHeader>> header = packs.Header(id);
    REQUIRE(size.ok());
    REQUIRE(header.ok());
    if (!got->has_value()) {
      ++counts.loose;
      CHECK_FALSE(size->has_value());
      CHECK_FALSE(packs.Contains(id));
      continue;
    }
    ++counts.packed;
    CHECK(packs.Contains(id));
    CHECK(static_cast<int>(got.value()->type) == expected.type);
    bool same = got.value()->data == expected.data;  // not printed: may be large
    CHECK(same);
    REQUIRE(size->has_value());
    CHECK(*size.value() == expected.data.size());
    REQUIRE(header->has_value());
    CHECK(header.value()->size == expected.data.size());
    CHECK(static_cast<int>(header.value()->type) == expected.type);
  }
  counts.stats = packs.stats();

  // The scanner's path: GitBlobReader (packs first, then loose objects), never libgit2.
  Result<std::unique_ptr<GitBlobReader>> blobs = GitBlobReader::Open(repo.string());
  REQUIRE(blobs.ok());
  for (const GitOid& id : ids) {
    INFO("object " << id.Hex());
    OdbObject expected = git.Read(id);
    Result<uint64_t> size = blobs.value()->Size(id);
    REQUIRE(size.ok());
    CHECK(size.value() == expected.data.size());
    // Over the size limit: not read, its size told (just over: from the whole delta data; far
    // over: from its start); at the limit: read whole.
    for (uint64_t limit : {uint64_t{0}, expected.data.size() - 1}) {
      if (expected.data.empty()) break;
      Result<GitBlobReader::Blob> over = blobs.value()->Read(id, limit);
      REQUIRE(over.ok());
      CHECK(over->over_limit);
      CHECK(over->size == expected.data.size());
      CHECK(over->data.empty());
    }
    Result<GitBlobReader::Blob> data = blobs.value()->Read(id, expected.data.size());
    REQUIRE(data.ok());
    CHECK_FALSE(data->over_limit);
    CHECK(data->size == expected.data.size());
    bool same = data->data == expected.data;
    CHECK(same);
  }
  return counts;
}

TEST_CASE("loose objects only: not in a pack, GitBlobReader reads them with its own loose reader") {
  TempDir dir;
  fs::path repo = dir.path() / "repo";
  Init(repo);
  for (int i = 0; i < 5; ++i) {
    WriteFile(repo / "a.txt", "version " + std::to_string(i) + "\n");
    WriteFile(repo / ("dir/b" + std::to_string(i) + ".txt"), std::string(1000 * i, 'x'));
    Commit(repo, "commit " + std::to_string(i));
  }
  Git(repo, {"tag", "-a", "v1", "-m", "release"});
  CHECK(PackFiles(repo).empty());
  Counts counts = CompareAll(repo);
  CHECK(counts.packed == 0);
  CHECK(counts.loose > 15);
}

TEST_CASE("deep delta chains, a file over 1 MiB, every object type") {
  TempDir dir;
  fs::path repo =
      PackedHistory(dir.path(), "repo", 160, 16, 1, {"-adf", "--depth=250", "--window=250"});
  REQUIRE(PackFiles(repo).size() == 1);
  CHECK(LongestChain(PackFiles(repo)[0]) >= 100);

  Counts counts = CompareAll(repo);
  CHECK(counts.loose == 0);
  CHECK(counts.packed > 500);
  CHECK(counts.stats.deltas > 400);
  // In pack order nearly every delta's base is still cached: about one delta per object.
  CHECK(counts.stats.deltas < counts.packed);

  Counts ordered = CompareAll(repo, Order::kReadOrder);
  CHECK(ordered.stats.deltas < ordered.packed);
  // Shuffled, with a cache too small to hold anything: whole chains every time.
  Counts shuffled = CompareAll(repo, Order::kShuffled, 1024);
  CHECK(shuffled.stats.deltas > 10 * counts.stats.deltas);
}

TEST_CASE("several packs and loose objects") {
  TempDir dir;
  fs::path repo = dir.path() / "repo";
  Init(repo);
  FastImportHistory(repo, 30, 10, 2);  // fast-import's own pack
  Git(repo, {"reset", "-q", "--hard"});
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < 4; ++i) {
      WriteFile(repo / "src/app.txt", "round " + std::to_string(round) + " step " +
                                          std::to_string(i) + "\n" +
                                          testing::ReadFile(repo / "src/app.txt"));
      WriteFile(repo / ("new/" + std::to_string(round) + "-" + std::to_string(i)),
                std::string(500, 'a' + i));
      Commit(repo, "more");
    }
    if (round < 2) Git(repo, {"repack", "-q", "-d"});  // only the loose objects: a new pack
  }
  CHECK(PackFiles(repo).size() >= 3);
  Counts counts = CompareAll(repo);
  CHECK(counts.loose > 10);
  CHECK(counts.packed > 100);
  CompareAll(repo, Order::kReadOrder);
}

TEST_CASE("alternates: absolute, relative, chained, looping") {
  TempDir dir;
  fs::path a = PackedHistory(dir.path(), "a", 40, 10, 3, {"-adf"});

  // b borrows a's objects (git clone --shared writes an absolute path) and adds its own.
  fs::path b = dir.path() / "b";
  Git(dir.path(), {"clone", "-q", "--shared", a.string(), b.string()});
  WriteFile(b / "src/app.txt", "rewritten in b\n");
  Commit(b, "b's change");
  Git(b, {"repack", "-q", "-a", "-d", "-l"});
  WriteFile(b / "loose.txt", "a loose object of b\n");
  Commit(b, "loose");
  REQUIRE(fs::exists(b / ".git/objects/info/alternates"));

  Result<std::unique_ptr<PackReader>> reader = PackReader::Open(ObjectsDir(b));
  REQUIRE(reader.ok());
  CHECK(reader.value()->packs().size() == 2);  // b's and a's
  Counts counts = CompareAll(b);
  CHECK(counts.packed > 100);
  CHECK(counts.loose > 0);

  // c borrows from b through a relative path, and so from a too.
  fs::path c = dir.path() / "c";
  Init(c);
  WriteFile(c / ".git/objects/info/alternates", "# comment\n\n../../../b/.git/objects\n");
  Git(c, {"fetch", "-q", b.string(), "main:from-b"});
  Result<std::unique_ptr<PackReader>> chained = PackReader::Open(ObjectsDir(c));
  REQUIRE(chained.ok());
  CHECK(chained.value()->packs().size() == 2);
  CompareAll(c);

  // a loop (a -> c -> b -> a) is followed once.
  WriteFile(a / ".git/objects/info/alternates", (c / ".git/objects").string() + "\n");
  Result<std::unique_ptr<PackReader>> looping = PackReader::Open(ObjectsDir(a));
  REQUIRE(looping.ok());
  CHECK(looping.value()->packs().size() == 2);
}

TEST_CASE("REF_DELTA packs (pack.useDeltaBaseOffset=false)") {
  TempDir dir;
  fs::path repo = dir.path() / "repo";
  Init(repo);
  FastImportHistory(repo, 80, 20, 4);
  Git(repo, {"-c", "repack.useDeltaBaseOffset=false", "repack", "-q", "-adf", "--depth=100",
             "--window=50"});
  Counts counts = CompareAll(repo);
  CHECK(counts.loose == 0);
  CHECK(counts.stats.ref_deltas > 100);
  CHECK(CompareAll(repo, Order::kShuffled, 4096).stats.ref_deltas > counts.stats.ref_deltas);
}

TEST_CASE("a bare repository, and GitBlobReader's view outlives Size()") {
  TempDir dir;
  fs::path work = dir.path() / "work";
  Init(work);
  FastImportHistory(work, 12, 4, 5);
  fs::path bare = dir.path() / "bare.git";
  Git(dir.path(), {"clone", "-q", "--bare", work.string(), bare.string()});
  Git(bare, {"repack", "-q", "-ad"});  // fast-import left this small history loose
  Counts counts = CompareAll(bare);
  CHECK(counts.packed > 30);

  LibGit2Repo git(bare);
  std::vector<GitOid> ids = git.AllObjects();
  Result<std::unique_ptr<GitBlobReader>> reader = GitBlobReader::Open(bare.string());
  REQUIRE(reader.ok());
  Result<GitBlobReader::Blob> first = reader.value()->Read(ids[0]);
  REQUIRE(first.ok());
  for (const GitOid& id : ids) REQUIRE(reader.value()->Size(id).ok());
  bool same = first->data == git.Read(ids[0]).data;
  CHECK(same);
}

TEST_CASE("corrupt and truncated packs: errors or the right bytes, never a crash") {
  TempDir dir;
  fs::path repo = PackedHistory(dir.path(), "repo", 40, 10, 6, {"-adf", "--depth=50"});
  std::map<GitOid, std::string> expected;
  {
    LibGit2Repo git(repo);
    for (const GitOid& id : git.AllObjects()) expected[id] = git.Read(id).data;
  }
  const fs::path pack = PackFiles(repo).at(0);
  fs::path index = pack;
  index.replace_extension(".idx");
  const std::string original = testing::ReadFile(pack);
  const std::string original_index = testing::ReadFile(index);
  fs::permissions(pack, fs::perms::owner_read | fs::perms::owner_write);
  fs::permissions(index, fs::perms::owner_read | fs::perms::owner_write);

  // Reads everything both ways; returns how many objects read correctly through PackReader.
  auto read_all = [&](const std::string& what) {
    INFO(what);
    size_t good = 0;
    Result<std::unique_ptr<PackReader>> packs = PackReader::Open(ObjectsDir(repo), 64 << 10);
    REQUIRE(packs.ok());
    Result<std::unique_ptr<GitBlobReader>> blobs = GitBlobReader::Open(repo.string());
    REQUIRE(blobs.ok());
    for (const auto& [id, data] : expected) {
      INFO("object " << id.Hex());
      (void)packs.value()->Size(id);
      (void)packs.value()->Header(id);
      Result<std::optional<PackObject>> got = packs.value()->Read(id);
      if (got.ok() && got->has_value()) {
        bool same = got.value()->data == data;
        CHECK(same);
        good += same;
      } else if (!got.ok()) {
        const std::string& message = got.status().message();
        CHECK(message.find(id.Hex()) != std::string::npos);
      }
      (void)blobs.value()->Size(id);
      Result<GitBlobReader::Blob> read = blobs.value()->Read(id);
      if (read.ok()) {
        bool same = read->data == data;
        CHECK(same);
      }
    }
    return good;
  };
  auto write = [](const fs::path& path, const std::string& bytes) {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
  };

  CHECK(read_all("intact") == expected.size());
  const int kFlips = 16;
  for (int k = 1; k <= kFlips; ++k) {
    std::string bytes = original;
    size_t at = 12 + (bytes.size() - 32) * k / (kFlips + 1);
    bytes[at] = static_cast<char>(bytes[at] ^ (k % 2 ? 0xff : 0x10));
    bytes[at + 1] = static_cast<char>(bytes[at + 1] ^ 0x5a);
    write(pack, bytes);
    read_all("flipped bytes at " + std::to_string(at));
  }
  for (int k = 1; k <= 6; ++k) {
    std::string bytes = original;
    size_t at = 8 + (bytes.size() - 40) * k / 7;
    bytes[at] = static_cast<char>(bytes[at] ^ 0x80);
    write(pack, bytes);
    read_all("flipped bit at " + std::to_string(at));
  }
  write(pack, original);

  // Cut: the checksum no longer matches the index, so the pack is left out (libgit2 reads).
  write(pack, original.substr(0, original.size() / 2));
  {
    Result<std::unique_ptr<PackReader>> packs = PackReader::Open(ObjectsDir(repo));
    REQUIRE(packs.ok());
    CHECK(packs.value()->packs().empty());
    REQUIRE(packs.value()->skipped().size() == 1);
    CHECK(packs.value()->skipped()[0].find("checksum") != std::string::npos);
  }
  read_all("truncated");
  // Cut, with the checksum put back: offsets beyond the cut, streams cut short.
  for (size_t keep : {original.size() / 3, original.size() / 2, original.size() - 100}) {
    write(pack, original.substr(0, keep) + original.substr(original.size() - 20));
    size_t good = read_all("truncated at " + std::to_string(keep));
    CHECK(good > 0);
    CHECK(good < expected.size());
  }
  write(pack, original);

  // A damaged index: fanout, ids, offsets.
  for (int k = 1; k <= 8; ++k) {
    std::string bytes = original_index;
    size_t at = 8 + (bytes.size() - 48) * k / 9;
    bytes[at] = static_cast<char>(bytes[at] ^ 0xa5);
    write(index, bytes);
    read_all("index flipped at " + std::to_string(at));
  }
  write(index, original_index);
  CHECK(read_all("restored") == expected.size());
}

// ---- hand-made packs ------------------------------------------------------------------------

std::unique_ptr<PackReader> OpenObjects(const fs::path& objects, size_t cache = 1 << 20) {
  Result<std::unique_ptr<PackReader>> reader = PackReader::Open(objects.string(), cache);
  REQUIRE(reader.ok());
  return std::move(reader).value();
}

std::string ReadOk(PackReader& reader, const GitOid& id) {
  Result<std::optional<PackObject>> got = reader.Read(id);
  INFO((got.ok() ? "" : got.status().message()));
  REQUIRE(got.ok());
  REQUIRE(got->has_value());
  return std::string(got.value()->data);
}

std::string ReadError(PackReader& reader, const GitOid& id) {
  Result<std::optional<PackObject>> got = reader.Read(id);
  REQUIRE_FALSE(got.ok());
  const std::string& message = got.status().message();
  CHECK(message.find(id.Hex()) != std::string::npos);
  CHECK(message.find("offset") != std::string::npos);
  CHECK(message.find("SECRET") == std::string::npos);  // never the contents
  return message;
}

TEST_CASE("hand-made packs: every index format, both delta kinds, a base in another pack") {
  for (auto format :
       {PackBuilder::Index::kV2, PackBuilder::Index::kV2Large, PackBuilder::Index::kV1}) {
    TempDir dir;
    fs::path objects = dir.path() / "objects";
    const std::string base = "the quick brown fox jumps over the lazy dog\n";
    PackBuilder one;
    uint64_t base_at = one.Full(FakeId(1), PackBuilder::kBlob, base);
    one.Full(FakeId(2), PackBuilder::kCommit, "tree 0000\n\nmessage\n");
    one.Full(FakeId(3), PackBuilder::kTree, std::string("100644 a\0", 9) + std::string(20, 'x'));
    one.Full(FakeId(4), PackBuilder::kTag, "object 0000\ntype commit\n");
    one.Full(FakeId(5), PackBuilder::kBlob, "");
    uint64_t d1 =
        one.OfsDelta(FakeId(6), base_at,
                     Delta(base.size(), 19).Copy(4, 15).Insert("!!!!"));  // "quick brown fox!!!!"
    one.OfsDelta(FakeId(7), d1, Delta(19, 8).Copy(0, 5).Insert("ish"));
    one.RefDelta(FakeId(8), FakeId(1), Delta(base.size(), 3).Insert("new"));
    one.Write(objects, "one", format);
    PackBuilder two;  // REF_DELTAs whose bases are in pack one, and nowhere
    two.RefDelta(FakeId(20), FakeId(7), Delta(8, 16).Copy(0, 8).Copy(0, 8));
    two.RefDelta(FakeId(21), FakeId(99), Delta(5, 2).Insert("hi"));
    two.Write(objects, "two", format);

    std::unique_ptr<PackReader> reader = OpenObjects(objects);
    CHECK(reader->packs().size() == 2);
    CHECK(reader->skipped().empty());
    CHECK(ReadOk(*reader, FakeId(1)) == base);
    CHECK(ReadOk(*reader, FakeId(5)).empty());
    CHECK(ReadOk(*reader, FakeId(6)) == "quick brown fox!!!!");
    CHECK(ReadOk(*reader, FakeId(7)) == "quickish");
    CHECK(ReadOk(*reader, FakeId(8)) == "new");
    CHECK(ReadOk(*reader, FakeId(20)) == "quickishquickish");
    for (int n = 2; n <= 4; ++n) {
      Result<std::optional<PackObject>> got = reader->Read(FakeId(n));
      REQUIRE(got.ok());
      int type = n == 2 ? PackBuilder::kCommit : n == 3 ? PackBuilder::kTree : PackBuilder::kTag;
      CHECK(static_cast<int>(got.value()->type) == type);
    }
    Result<std::optional<PackObjectHeader>> header = reader->Header(FakeId(20));
    REQUIRE(header.ok());
    CHECK(header.value()->type == GitObjectType::kBlob);
    CHECK(header.value()->size == 16);
    CHECK(*reader->Size(FakeId(7)).value() == 8);

    // A REF_DELTA whose base is in no pack (loose, say): not ours; its size is still known.
    Result<std::optional<PackObject>> dangling = reader->Read(FakeId(21));
    REQUIRE(dangling.ok());
    CHECK_FALSE(dangling->has_value());
    CHECK_FALSE(reader->Header(FakeId(21)).value().has_value());
    CHECK(*reader->Size(FakeId(21)).value() == 2);
    CHECK_FALSE(reader->Read(FakeId(50)).value().has_value());

    // ReadOrder: bases before their deltas, unknown ids last in the order given.
    std::vector<GitOid> ids = {FakeId(77), FakeId(20), FakeId(7), FakeId(76),
                               FakeId(6),  FakeId(1),  FakeId(8)};
    std::vector<uint32_t> order = reader->ReadOrder(ids);
    std::vector<uint32_t> expected = {5, 4, 2, 1, 6, 0, 3};  // 1, 6, 7, 20, 8 then 77, 76
    CHECK(order == expected);
    // The same from a plan made beforehand by another reader of these packs, with families.
    std::shared_ptr<const PackReader::ReadPlan> plan = OpenObjects(objects)->PlanReads();
    std::vector<uint32_t> families, planned_families;
    CHECK(reader->ReadOrder(ids, &families) == expected);
    CHECK(reader->ReadOrder(ids, &planned_families, plan.get()) == expected);
    CHECK(planned_families == families);
    // A plan made for other packs is not used.
    TempDir other;
    PackBuilder lone;
    lone.Full(FakeId(7), PackBuilder::kBlob, "other");
    lone.Write(other.path() / "objects", "lone", format);
    plan = OpenObjects(other.path() / "objects")->PlanReads();
    CHECK(reader->ReadOrder(ids, nullptr, plan.get()) == expected);
  }
}

TEST_CASE("hand-made packs: long chains, cycles and the depth limit") {
  TempDir dir;
  fs::path objects = dir.path() / "objects";
  PackBuilder pack;
  uint64_t at = pack.Full(FakeId(1), PackBuilder::kBlob, "x");
  const int kLong = 5000;
  for (int i = 1; i <= kLong; ++i) {
    at = pack.OfsDelta(FakeId(100000 + i), at, Delta(i, i + 1).Copy(0, i).Insert("y"));
  }
  const int kTooLong = PackReader::kMaxDeltaDepth + 5;
  at = pack.Full(FakeId(2), PackBuilder::kBlob, "z");
  for (int i = 1; i <= kTooLong; ++i) {
    at = pack.OfsDelta(FakeId(200000 + i), at, Delta(1, 1).Copy(0, 1));
  }
  pack.RefDelta(FakeId(3), FakeId(4), Delta(1, 1).Copy(0, 1));  // 3 -> 4 -> 3
  pack.RefDelta(FakeId(4), FakeId(3), Delta(1, 1).Copy(0, 1));
  pack.RefDelta(FakeId(5), FakeId(5), Delta(1, 1).Copy(0, 1));  // itself
  pack.Write(objects, "chains");

  std::unique_ptr<PackReader> reader = OpenObjects(objects, 0);  // nothing cached
  std::string expected = "x" + std::string(kLong, 'y');
  CHECK(ReadOk(*reader, FakeId(100000 + kLong)) == expected);
  CHECK(reader->stats().deltas == kLong);
  CHECK(ReadOk(*reader, FakeId(200000 + PackReader::kMaxDeltaDepth)) == "z");
  CHECK(ReadError(*reader, FakeId(200000 + kTooLong)).find("deeper") != std::string::npos);
  CHECK_FALSE(reader->Header(FakeId(200000 + kTooLong)).ok());
  CHECK(ReadError(*reader, FakeId(3)).find("loops") != std::string::npos);
  CHECK(ReadError(*reader, FakeId(5)).find("loops") != std::string::npos);
  CHECK_FALSE(reader->Header(FakeId(4)).ok());
  std::vector<uint32_t> order = reader->ReadOrder({FakeId(3), FakeId(1)});
  CHECK(order == std::vector<uint32_t>{1, 0});  // on a cycle: last
}

TEST_CASE("hand-made packs: inconsistent entries are errors naming object, pack and offset") {
  TempDir dir;
  fs::path objects = dir.path() / "objects";
  const std::string base = "SECRET base contents, 40 bytes long....\n";
  REQUIRE(base.size() == 40);
  PackBuilder pack;
  uint64_t at = pack.Full(FakeId(1), PackBuilder::kBlob, base);
  int n = 10;
  std::map<int, std::string> cases;
  auto add = [&](const std::string& why, const Delta& delta) {
    pack.OfsDelta(FakeId(n), at, delta);
    cases[n++] = why;
  };
  add("delta copies outside its base", Delta(40, 10).Copy(35, 10));
  add("delta copies outside its base", Delta(40, 10).Copy(0xffffffff, 10));
  add("delta base has the wrong size", Delta(41, 4).Copy(0, 4));
  add("longer than declared", Delta(40, 4).Copy(0, 8));
  add("longer than declared", Delta(40, 2).Insert("SECRET"));
  add("shorter than declared", Delta(40, 9).Copy(0, 8));
  add("truncated delta copy", Delta(40, 8).Raw("\x91"));
  add("truncated delta insert", Delta(40, 8).Raw("\x08SECRET"));
  add("reserved instruction", Delta(40, 8).Raw(std::string(1, '\0')));
  add("truncated delta header", Delta(std::string("\xa8")));
  add("declares a size its instructions cannot produce", Delta(40, uint64_t{1} << 50).Copy(0, 8));
  pack.Lying(FakeId(30), PackBuilder::kBlob, 10, "SECRET longer than ten bytes");
  cases[30] = "more than its declared size";
  pack.Lying(FakeId(31), PackBuilder::kBlob, 100, "SECRET shorter");
  cases[31] = "less than its declared size";
  pack.Lying(FakeId(32), PackBuilder::kBlob, uint64_t{1} << 40, "SECRET");
  cases[32] = "size its data cannot hold";
  pack.Raw(FakeId(33), "\x33" + std::string("not zlib at all, SECRET"));
  cases[33] = "zlib";
  pack.Raw(FakeId(34), "\x50" + Compress(""));  // type 5 is reserved
  cases[34] = "unknown object type";
  pack.Raw(FakeId(35), "\xb5\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01");
  cases[35] = "impossible size";
  pack.Raw(FakeId(36), "\x65\xff\xff\xff\xff\xff\xff\xff\xff\xff\x7f");  // OFS_DELTA
  cases[36] = "delta base offset";
  pack.Raw(FakeId(37), "\x75" + std::string(5, 'a'));  // REF_DELTA cut short at the end
  cases[37] = "truncated";
  pack.Write(objects, "bad");
  std::unique_ptr<PackReader> reader = OpenObjects(objects);
  CHECK(ReadOk(*reader, FakeId(1)) == base);
  for (const auto& [id, why] : cases) {
    INFO("case " << id << ": " << why);
    std::string message = ReadError(*reader, FakeId(id));
    INFO(message);
    CHECK(message.find(why) != std::string::npos);
    (void)reader->Size(FakeId(id));
    (void)reader->Header(FakeId(id));
  }
}

TEST_CASE("hand-made packs: unusable packs are left out with the reason") {
  TempDir dir;
  fs::path objects = dir.path() / "objects";
  PackBuilder pack;
  pack.Full(FakeId(1), PackBuilder::kBlob, "hello");
  pack.Write(objects, "good");
  auto variant = [&](const std::string& name, auto change_pack, auto change_index) {
    std::string bytes = testing::ReadFile(objects / "pack/pack-good.pack");
    std::string index = testing::ReadFile(objects / "pack/pack-good.idx");
    change_pack(bytes);
    change_index(index);
    WriteFile(objects / "pack" / ("pack-" + name + ".pack"), bytes);
    WriteFile(objects / "pack" / ("pack-" + name + ".idx"), index);
  };
  auto same = [](std::string&) {};
  variant("v3", same, [](std::string& index) { index[7] = 3; });
  variant(
      "sig", [](std::string& bytes) { bytes[0] = 'J'; }, same);
  variant(
      "ver", [](std::string& bytes) { bytes[7] = 4; }, same);
  variant(
      "count", [](std::string& bytes) { bytes[11] = 9; }, same);
  variant(
      "sum", [](std::string& bytes) { bytes.back() ^= 1; }, same);
  variant("short", same, [](std::string& index) { index.resize(index.size() - 3); });
  variant("fanout", same, [](std::string& index) { index[8 + 4 * 10 + 3] = 7; });
  variant(
      "empty", [](std::string& bytes) { bytes.clear(); }, same);
  WriteFile(objects / "pack/pack-orphan.idx", "no pack");  // ignored, as git does
  // FIFOs planted in a repository are never opened (opening one would block).
  fs::copy_file(objects / "pack/pack-good.idx", objects / "pack/pack-fifo.idx");
  REQUIRE(mkfifo((objects / "pack/pack-fifo.pack").c_str(), 0600) == 0);
  fs::create_directories(objects / "info");
  REQUIRE(mkfifo((objects / "info/alternates").c_str(), 0600) == 0);

  std::unique_ptr<PackReader> reader = OpenObjects(objects);
  CHECK(reader->packs().size() == 1);
  std::string skipped;
  for (const std::string& line : reader->skipped()) skipped += line + "\n";
  INFO(skipped);
  CHECK(reader->skipped().size() == 9);
  CHECK(skipped.find("pack-fifo.pack: not a regular file") != std::string::npos);
  CHECK(skipped.find("pack-v3.pack: index version 3 is not supported") != std::string::npos);
  CHECK(skipped.find("pack-sig.pack: not a pack file") != std::string::npos);
  CHECK(skipped.find("pack-ver.pack: pack version 4 is not supported") != std::string::npos);
  CHECK(skipped.find("pack-count.pack: pack holds 9 objects, its index 1") != std::string::npos);
  CHECK(skipped.find("pack-sum.pack: pack checksum does not match") != std::string::npos);
  CHECK(skipped.find("pack-short.pack: index size does not match") != std::string::npos);
  CHECK(skipped.find("pack-fanout.pack: index fanout is not sorted") != std::string::npos);
  CHECK(skipped.find("pack-empty.pack: pack: empty file") != std::string::npos);
  CHECK(ReadOk(*reader, FakeId(1)) == "hello");

  CHECK_FALSE(PackReader::Open((dir.path() / "missing").string()).ok());
}

}  // namespace
}  // namespace leaksweep
