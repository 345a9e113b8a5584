// ObjectStore: loose objects read with bounds checks (hostile files are errors naming the
// object, never a hang, an overflow or their contents in a message), REF_DELTA bases that are
// loose, id prefixes and listing over packs and loose objects; and libgit2 reading through it,
// so that the inputs that crash or hang libgit2 1.5.1's own readers only give errors.
#include "leaksweep/input/object_store.h"

#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>

#include "leaksweep/input/git_inventory.h"
#include "pack_builder.h"
#include "test_util.h"

namespace leaksweep {
namespace {

namespace fs = std::filesystem;
using testing::Compress;
using testing::Delta;
using testing::FakeId;
using testing::OidFromHex;
using testing::PackBuilder;
using testing::TempDir;
using testing::WriteBinaryFile;

fs::path LoosePath(const fs::path& objects, const GitOid& id) {
  std::string hex = id.Hex();
  return objects / hex.substr(0, 2) / hex.substr(2);
}

void WriteLoose(const fs::path& objects, const GitOid& id, const std::string& stored) {
  WriteBinaryFile(LoosePath(objects, id), stored);
}

std::unique_ptr<ObjectStore> OpenStore(const fs::path& objects) {
  Result<std::unique_ptr<ObjectStore>> store = ObjectStore::Open(objects.string(), 1 << 20);
  REQUIRE(store.ok());
  return std::move(store).value();
}

// Reading `id` fails, and the message names the object but none of its contents.
std::string ReadFails(ObjectStore& store, const GitOid& id) {
  Result<std::optional<PackObject>> got = store.Read(id);
  REQUIRE_FALSE(got.ok());
  const std::string& message = got.status().message();
  CHECK(message.find(id.Hex()) != std::string::npos);
  CHECK(message.find("SECRET") == std::string::npos);
  return message;
}

std::string Git(const fs::path& dir, const std::vector<std::string>& args,
                const std::string& input = "") {
  return testing::RunGit(dir, args, input);
}

// A repository in `repo` with `commits` commits, each adding file f<i>; after commit `gc_after`
// (counting from 0) everything so far is packed, the rest stays loose.
void CommitFiles(const fs::path& repo, int commits, int gc_after) {
  fs::create_directories(repo);
  Git(repo, {"init", "-q", "-b", "main"});
  for (int i = 0; i < commits; ++i) {
    // Appended, not "f" + std::to_string(i): GCC 12 warns falsely (-Wrestrict) on that.
    const std::string n = std::to_string(i);
    WriteBinaryFile(repo / std::string("f").append(n), std::string("content ").append(n) + "\n");
    Git(repo, {"add", "-A"});
    Git(repo, {"commit", "-q", "-m", std::string("c").append(n)});
    if (i == gc_after) Git(repo, {"gc", "-q"});
  }
}

std::string Trim(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

TEST_CASE("loose objects: well-formed ones are read, of every type") {
  TempDir dir;
  fs::path objects = dir.path() / "objects";
  fs::create_directories(objects);
  WriteLoose(objects, FakeId(1), Compress(std::string("blob 5\0hello", 12)));
  WriteLoose(objects, FakeId(2), Compress(std::string("commit 4\0tree", 13)));
  WriteLoose(objects, FakeId(3), Compress(std::string("tree 0\0", 7)));
  WriteLoose(objects, FakeId(4), Compress(std::string("tag 3\0tag", 9)));
  std::string big(3 << 20, 'x');  // inflated over many reads of the file
  for (size_t i = 0; i < big.size(); i += 977) big[i] = static_cast<char>('a' + i % 26);
  WriteLoose(objects, FakeId(5), Compress("blob " + std::to_string(big.size()) + '\0' + big));
  std::unique_ptr<ObjectStore> store = OpenStore(objects);

  Result<std::optional<PackObject>> blob = store->Read(FakeId(1));
  REQUIRE(blob.ok());
  REQUIRE(blob->has_value());
  CHECK(blob.value()->data == "hello");
  CHECK(blob.value()->type == GitObjectType::kBlob);
  CHECK(store->Read(FakeId(2)).value()->type == GitObjectType::kCommit);
  CHECK(store->Read(FakeId(3)).value()->data.empty());
  CHECK(store->Read(FakeId(4)).value()->type == GitObjectType::kTag);
  bool same = store->Read(FakeId(5)).value()->data == big;
  CHECK(same);
  CHECK(*store->Size(FakeId(5)).value() == big.size());
  Result<std::optional<PackObjectHeader>> header = store->Header(FakeId(2));
  REQUIRE(header.ok());
  CHECK(header.value()->type == GitObjectType::kCommit);
  CHECK(header.value()->size == 4);
  CHECK(store->Contains(FakeId(1)));
  CHECK_FALSE(store->Contains(FakeId(9)));
  Result<std::optional<PackObject>> missing = store->Read(FakeId(9));
  REQUIRE(missing.ok());
  CHECK_FALSE(missing->has_value());
}

TEST_CASE("loose objects: hostile files are errors naming the object, never a hang") {
  TempDir dir;
  fs::path objects = dir.path() / "objects";
  fs::create_directories(objects);
  const std::string good = Compress(std::string("blob 11\0SECRET-text", 18));
  struct Case {
    const char* what;
    std::string stored;
    const char* expected;  // in the message
  };
  std::string pack_like = std::string("\x3b\x01", 2) + good.substr(2);  // old "pack-like" format
  std::vector<Case> cases = {
      // libgit2 1.5.1 overflows its heap on this one (it trusts the declared size).
      {"longer than declared", Compress(std::string("blob 3\0SECRET-text", 18)), "longer"},
      {"shorter than declared", Compress(std::string("blob 40\0SECRET-text", 19)), "shorter"},
      // libgit2 1.5.1 loops forever on these two.
      {"truncated stream", good.substr(0, good.size() - 6), "truncated"},
      {"pack-like loose object", pack_like, "corrupt"},
      {"unknown type", Compress(std::string("blobby 11\0SECRET-text", 21)), "header"},
      {"delta type", Compress(std::string("ofs-delta 11\0SECRET-text", 24)), "header"},
      {"size not decimal", Compress(std::string("blob 1x\0SECRET-text", 19)), "header"},
      {"negative size", Compress(std::string("blob -1\0SECRET-text", 19)), "header"},
      {"size overflows", Compress(std::string("blob 99999999999999999999999\0SECRET", 35)),
       "header"},
      {"no NUL", Compress("blob 11 SECRET-text-and-more-and-more-and-more"), "header"},
      {"huge declared size", Compress(std::string("blob 999999999999\0SECRET", 24)), "too small"},
      {"garbage", "SECRET-not-zlib-at-all", "corrupt"},
      {"empty file", "", "truncated"},
      {"trailing bytes inflate past the end",
       Compress(std::string("blob 6\0SECRET", 13)) + Compress("more"), ""},
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    WriteLoose(objects, FakeId(static_cast<uint32_t>(i + 1)), cases[i].stored);
  }
  std::unique_ptr<ObjectStore> store = OpenStore(objects);
  for (size_t i = 0; i < cases.size(); ++i) {
    INFO(cases[i].what);
    GitOid id = FakeId(static_cast<uint32_t>(i + 1));
    if (std::string(cases[i].what) == "trailing bytes inflate past the end") {
      // Bytes after the zlib stream are not part of the object (git ignores them too).
      Result<std::optional<PackObject>> got = store->Read(id);
      REQUIRE(got.ok());
      CHECK(got.value()->data == "SECRET");
      continue;
    }
    std::string message = ReadFails(*store, id);
    CHECK(message.find(cases[i].expected) != std::string::npos);
  }
  // Header() reads only the header: a lie about the size shows only when the contents are read.
  CHECK(store->Header(FakeId(1)).ok());
  CHECK_FALSE(store->Header(FakeId(5)).ok());
  CHECK_FALSE(store->Header(FakeId(11)).ok());
}

TEST_CASE("loose objects: FIFOs, symlinks and directories in objects/ are never read") {
  TempDir dir;
  fs::path objects = dir.path() / "objects";
  fs::create_directories(objects);
  WriteLoose(objects, FakeId(1), Compress(std::string("blob 6\0SECRET", 13)));
  fs::create_directories(LoosePath(objects, FakeId(2)).parent_path());
  REQUIRE(mkfifo(LoosePath(objects, FakeId(2)).c_str(), 0600) == 0);  // a read would block
  fs::create_directories(LoosePath(objects, FakeId(3)).parent_path());
  fs::create_symlink(LoosePath(objects, FakeId(1)), LoosePath(objects, FakeId(3)));
  fs::create_directories(LoosePath(objects, FakeId(4)));
  std::unique_ptr<ObjectStore> store = OpenStore(objects);
  CHECK(ReadFails(*store, FakeId(2)).find("not a regular file") != std::string::npos);
  CHECK(ReadFails(*store, FakeId(3)).find("cannot open") != std::string::npos);
  ReadFails(*store, FakeId(4));
  CHECK_FALSE(store->Header(FakeId(2)).ok());
}

TEST_CASE("a REF_DELTA whose base is a loose object") {
  TempDir dir;
  fs::path objects = dir.path() / "objects";
  const std::string base = "the quick brown fox\n";
  WriteLoose(objects, FakeId(1), Compress("blob " + std::to_string(base.size()) + '\0' + base));
  PackBuilder pack;
  pack.RefDelta(FakeId(2), FakeId(1), Delta(base.size(), 9).Copy(4, 5).Insert("fox!"));
  pack.RefDelta(FakeId(3), FakeId(9), Delta(5, 2).Insert("hi"));  // a base nowhere
  pack.Write(objects, "one");
  std::unique_ptr<ObjectStore> store = OpenStore(objects);
  Result<std::optional<PackObject>> got = store->Read(FakeId(2));
  REQUIRE(got.ok());
  REQUIRE(got->has_value());
  CHECK(got.value()->data == "quickfox!");
  Result<std::optional<PackObjectHeader>> header = store->Header(FakeId(2));
  REQUIRE(header.ok());
  CHECK(header.value()->type == GitObjectType::kBlob);
  CHECK(header.value()->size == 9);
  Result<std::optional<PackObject>> dangling = store->Read(FakeId(3));
  REQUIRE(dangling.ok());
  CHECK_FALSE(dangling->has_value());

  // A corrupt loose base is an error for its delta too.
  WriteLoose(objects, FakeId(1), "SECRET-not-zlib");
  std::unique_ptr<ObjectStore> again = OpenStore(objects);
  CHECK(ReadFails(*again, FakeId(2)).find("delta base") != std::string::npos);
}

TEST_CASE("ForEach and FindPrefix cover packs, loose objects and alternates") {
  TempDir dir;
  fs::path repo = dir.path() / "repo";
  CommitFiles(repo, 12, 7);  // the first eight commits packed, the rest loose
  fs::path clone = dir.path() / "clone";
  Git(dir.path(), {"clone", "-q", "--shared", repo.string(), clone.string()});
  WriteBinaryFile(clone / "extra", "only in the clone\n");
  Git(clone, {"add", "-A"});
  Git(clone, {"commit", "-q", "-m", "extra"});

  std::set<std::string> expected;
  std::istringstream listing(
      Git(clone, {"cat-file", "--batch-all-objects", "--batch-check=%(objectname)"}));
  for (std::string line; std::getline(listing, line);) expected.insert(line);
  REQUIRE(expected.size() > 30);

  std::unique_ptr<ObjectStore> store = OpenStore(clone / ".git" / "objects");
  CHECK(store->packs().object_dirs().size() == 2);  // the clone's, and the alternate's
  std::set<std::string> listed;
  store->ForEach([&](const GitOid& id) { listed.insert(id.Hex()); });
  CHECK(listed == expected);

  for (const std::string& hex : expected) {
    INFO(hex);
    std::string seven = hex.substr(0, 7);
    std::vector<GitOid> found = store->FindPrefix(OidFromHex(seven + std::string(33, '0')), 7, 2);
    REQUIRE(found.size() == 1);
    CHECK(found[0].Hex() == hex);
    CHECK(store->Contains(OidFromHex(hex)));
  }
  // Two digits name many objects: the limit stops the search.
  std::string first = *expected.begin();
  std::vector<GitOid> many = store->FindPrefix(OidFromHex(std::string(40, '0')), 0, 5);
  CHECK(many.empty());  // too short to search
  std::vector<GitOid> some =
      store->FindPrefix(OidFromHex(first.substr(0, 2) + std::string(38, '0')), 2, 1);
  CHECK(some.size() == 1);
}

// A repository made with git, whose objects are then damaged the ways that crash or hang
// libgit2 1.5.1's own object readers; libgit2 now reads through the store.
TEST_CASE("libgit2 reads through the store: damaged commits and trees are errors, not hangs") {
  TempDir dir;
  fs::path repo = dir.path() / "repo";
  fs::create_directories(repo);
  Git(repo, {"init", "-q", "-b", "main"});
  WriteBinaryFile(repo / "a.txt", "first\n");
  Git(repo, {"add", "-A"});
  Git(repo, {"commit", "-q", "-m", "one"});
  WriteBinaryFile(repo / "b.txt", "second\n");
  Git(repo, {"add", "-A"});
  Git(repo, {"commit", "-q", "-m", "two"});
  fs::path objects = repo / ".git" / "objects";
  GitOid head = OidFromHex(Trim(Git(repo, {"rev-parse", "HEAD"})));
  GitOid tree = OidFromHex(Trim(Git(repo, {"rev-parse", "HEAD^{tree}"})));
  std::string commit_text = Git(repo, {"cat-file", "commit", "HEAD"});

  SUBCASE("a commit longer than its header declares (heap overflow in libgit2 1.5.1)") {
    fs::remove(LoosePath(objects, head));
    WriteLoose(objects, head, Compress("commit 10" + std::string(1, '\0') + commit_text));
    Result<GitInventory> inventory = EnumerateGit(repo.string(), {});
    if (inventory.ok()) {
      REQUIRE_FALSE(inventory->errors.empty());
      CHECK(inventory->errors[0].message.find("longer") != std::string::npos);
    } else {
      CHECK(inventory.status().message().find("longer") != std::string::npos);
    }
  }
  SUBCASE("a truncated tree (endless loop in libgit2 1.5.1)") {
    std::string stored;
    {
      std::ifstream in(LoosePath(objects, tree), std::ios::binary);
      stored.assign(std::istreambuf_iterator<char>(in), {});
    }
    fs::remove(LoosePath(objects, tree));
    WriteLoose(objects, tree, stored.substr(0, stored.size() / 2));
    Result<GitInventory> inventory = EnumerateGit(repo.string(), {});
    REQUIRE(inventory.ok());
    REQUIRE_FALSE(inventory->errors.empty());
    CHECK(inventory->errors[0].path == tree.Hex());
    CHECK(inventory->commits.size() == 2);
  }
  SUBCASE("a commit stored as a delta of itself (endless loop in libgit2 1.5.1)") {
    fs::remove(LoosePath(objects, head));
    PackBuilder pack;
    pack.RefDelta(head, head, Delta(commit_text.size(), 3).Insert("abc"));
    pack.Write(objects, "cycle");
    Result<GitInventory> inventory = EnumerateGit(repo.string(), {});
    if (inventory.ok()) {
      REQUIRE_FALSE(inventory->errors.empty());
      CHECK(inventory->errors[0].message.find("loops") != std::string::npos);
    } else {
      CHECK(inventory.status().message().find("loops") != std::string::npos);
    }
    GitEnumerateOptions all;
    all.all_objects = true;
    CHECK_NOTHROW(EnumerateGit(repo.string(), all));
  }
}

TEST_CASE("revision ranges with abbreviated ids resolve through the store") {
  TempDir dir;
  fs::path repo = dir.path() / "repo";
  CommitFiles(repo, 3, 1);  // the range starts packed and ends loose
  std::string first = Trim(Git(repo, {"rev-parse", "--short=7", "HEAD~2"}));
  std::string last = Trim(Git(repo, {"rev-parse", "--short=7", "HEAD"}));
  GitEnumerateOptions options;
  options.revisions = {first + ".." + last};
  Result<GitInventory> inventory = EnumerateGit(repo.string(), options);
  REQUIRE(inventory.ok());
  CHECK(inventory->commits.size() == 2);
  std::set<std::string> paths;
  for (const BlobOrigin& blob : inventory->blobs) paths.insert(blob.path);
  CHECK(paths == std::set<std::string>{"f1", "f2"});
}

}  // namespace
TEST_CASE("shelved commits: each commit read is kept by id until taken, within the budget") {
  TempDir dir;
  fs::path repo = dir.path() / "repo";
  CommitFiles(repo, 8, 5);  // six commits packed, two loose
  const fs::path objects = repo / ".git" / "objects";
  std::vector<GitOid> commits, trees;
  std::istringstream listed(Git(repo, {"rev-list", "main"}));
  for (std::string hex; std::getline(listed, hex);) {
    commits.push_back(OidFromHex(hex));
    trees.push_back(OidFromHex(Trim(Git(repo, {"rev-parse", hex + "^{tree}"}))));
  }
  REQUIRE(commits.size() == 8);

  std::unique_ptr<ObjectStore> store = OpenStore(objects);
  CHECK_FALSE(store->TakeShelved(commits[7]).has_value());  // nothing is shelved unasked
  store->ShelveCommits(size_t{1} << 20);
  std::map<GitOid, std::string> read;
  for (const std::vector<GitOid>* ids : {&commits, &trees}) {
    for (const GitOid& id : *ids) {
      Result<std::optional<PackObject>> object = store->Read(id);
      REQUIRE(object.ok());
      REQUIRE(object->has_value());
      read[id] = std::string(object.value()->data);
    }
  }
  // rev-list lists the newest first: the last six are the packed ones.
  for (size_t i = 0; i < commits.size(); ++i) {
    CAPTURE(i);
    std::optional<PackObject> shelved = store->TakeShelved(commits[i]);
    REQUIRE(shelved.has_value() == (i >= 2));  // loose commits are not shelved
    if (!shelved) continue;
    CHECK(shelved->type == GitObjectType::kCommit);
    CHECK(shelved->owner != nullptr);
    CHECK(std::string(shelved->data) == read[commits[i]]);
    CHECK_FALSE(store->TakeShelved(commits[i]).has_value());  // taken once
  }
  for (const GitOid& tree : trees) CHECK_FALSE(store->TakeShelved(tree).has_value());

  // A budget that holds one commit shelves the first read only.
  std::unique_ptr<ObjectStore> small = OpenStore(objects);
  small->ShelveCommits(read[commits[7]].size() + 100);
  for (size_t i = 7; i >= 5; --i) REQUIRE(small->Read(commits[i]).ok());
  CHECK(small->TakeShelved(commits[7]).has_value());
  CHECK_FALSE(small->TakeShelved(commits[6]).has_value());
  CHECK_FALSE(small->TakeShelved(commits[5]).has_value());
}

TEST_CASE("commits read ahead elsewhere are served from the shelf while asked, and listed") {
  TempDir dir;
  fs::path repo = dir.path() / "repo";
  CommitFiles(repo, 6, 5);  // all six packed
  const fs::path objects = repo / ".git" / "objects";
  std::vector<GitOid> commits;
  std::istringstream listed(Git(repo, {"rev-list", "main"}));
  for (std::string hex; std::getline(listed, hex);) commits.push_back(OidFromHex(hex));
  REQUIRE(commits.size() == 6);

  // The plan lists exactly the packed commits, newest first as git packs them.
  std::unique_ptr<ObjectStore> ahead = OpenStore(objects);
  std::shared_ptr<const PackReader::ReadPlan> plan = ahead->PlanReads();
  CHECK(PackReader::Commits(*plan) == commits);

  std::unique_ptr<ObjectStore> store = OpenStore(objects);
  store->ShelveCommits(size_t{1} << 20);
  Result<std::optional<PackObject>> first = ahead->Read(commits[0]);
  REQUIRE(first.ok());
  REQUIRE(first->has_value());
  const std::string bytes(first.value()->data);
  CHECK_FALSE(store->IsShelved(commits[0]));
  store->ShelveRead(commits[0], bytes);
  CHECK(store->IsShelved(commits[0]));

  // Served: the shelf's copy, not a pack read (which would carry the entry's key).
  store->ServeFromShelf(true);
  Result<std::optional<PackObject>> served = store->Read(commits[0]);
  REQUIRE(served.ok());
  REQUIRE(served->has_value());
  CHECK(served.value()->key == kNoObjectKey);
  CHECK(served.value()->type == GitObjectType::kCommit);
  CHECK(std::string(served.value()->data) == bytes);
  Result<std::optional<PackObject>> over = store->Read(commits[0], bytes.size() - 1);
  REQUIRE(over.ok());
  CHECK(over.value()->over_limit);  // a size limit still applies
  store->ServeFromShelf(false);
  Result<std::optional<PackObject>> packed = store->Read(commits[0]);
  REQUIRE(packed.ok());
  CHECK(packed.value()->key != kNoObjectKey);
  CHECK(std::string(packed.value()->data) == bytes);

  // Taken once, like a commit the store read itself; shelved again, it is not replaced.
  std::optional<PackObject> taken = store->TakeShelved(commits[0]);
  REQUIRE(taken.has_value());
  CHECK(std::string(taken->data) == bytes);
  CHECK_FALSE(store->TakeShelved(commits[0]).has_value());
}

}  // namespace leaksweep
