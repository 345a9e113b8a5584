#include "odb_backend.h"

#include <git2/sys/odb_backend.h>
#include <git2/sys/repository.h>

#include <cstring>
#include <string>
#include <vector>

namespace leaksweep {
namespace {

// A git_odb_backend first, so libgit2's pointer to the backend is a pointer to this.
struct StoreBackend {
  git_odb_backend base;
  std::shared_ptr<ObjectStore> store;
};

ObjectStore& StoreOf(git_odb_backend* backend) {
  return *reinterpret_cast<StoreBackend*>(backend)->store;
}

git_object_t ToGitType(GitObjectType type) {
  switch (type) {
    case GitObjectType::kCommit:
      return GIT_OBJECT_COMMIT;
    case GitObjectType::kTree:
      return GIT_OBJECT_TREE;
    case GitObjectType::kTag:
      return GIT_OBJECT_TAG;
    case GitObjectType::kBlob:
      break;
  }
  return GIT_OBJECT_BLOB;
}

int Fail(const Status& status) {
  git_error_set_str(GIT_ERROR_ODB, status.message().c_str());
  return GIT_ERROR;
}

int NotFound(const git_oid* oid) {
  char hex[GIT_OID_HEXSZ + 1];
  git_oid_tostr(hex, sizeof hex, oid);
  git_error_set_str(GIT_ERROR_ODB, (std::string("object not found: ") + hex).c_str());
  return GIT_ENOTFOUND;
}

int Read(void** data, size_t* size, git_object_t* type, git_odb_backend* backend,
         const git_oid* oid) {
  Result<std::optional<PackObject>> object = StoreOf(backend).Read(FromGit(oid));
  if (!object.ok()) return Fail(object.status());
  if (!object->has_value()) return NotFound(oid);
  const PackObject& found = *object.value();
  // libgit2 frees what it is given: the bytes are copied into its allocation. Only commits,
  // trees and tags come this way (blobs are read from the store directly).
  void* copy = git_odb_backend_data_alloc(backend, found.data.size() + 1);
  if (copy == nullptr) return GIT_ERROR;
  std::memcpy(copy, found.data.data(), found.data.size());
  *data = copy;
  *size = found.data.size();
  *type = ToGitType(found.type);
  return 0;
}

int ReadHeader(size_t* size, git_object_t* type, git_odb_backend* backend, const git_oid* oid) {
  Result<std::optional<PackObjectHeader>> header = StoreOf(backend).Header(FromGit(oid));
  if (!header.ok()) return Fail(header.status());
  if (!header->has_value()) return NotFound(oid);
  *size = static_cast<size_t>(header->value().size);
  *type = ToGitType(header->value().type);
  return 0;
}

// The single object `short_id` (its first `length` hex digits) names.
int FindUnique(git_oid* out, git_odb_backend* backend, const git_oid* short_id, size_t length) {
  std::vector<GitOid> found = StoreOf(backend).FindPrefix(FromGit(short_id), length, 2);
  if (found.empty()) return NotFound(short_id);
  if (found.size() > 1) {
    git_error_set_str(GIT_ERROR_ODB, "ambiguous object id prefix");
    return GIT_EAMBIGUOUS;
  }
  std::memcpy(out->id, found[0].bytes.data(), 20);
  return 0;
}

int ReadPrefix(git_oid* out, void** data, size_t* size, git_object_t* type,
               git_odb_backend* backend, const git_oid* short_id, size_t length) {
  if (int rc = FindUnique(out, backend, short_id, length); rc != 0) return rc;
  return Read(data, size, type, backend, out);
}

int Exists(git_odb_backend* backend, const git_oid* oid) {
  return StoreOf(backend).Contains(FromGit(oid)) ? 1 : 0;
}

int ForEach(git_odb_backend* backend, git_odb_foreach_cb callback, void* payload) {
  int stopped = 0;
  StoreOf(backend).ForEach([&](const GitOid& id) {
    if (stopped != 0) return;
    git_oid oid;
    std::memcpy(oid.id, id.bytes.data(), 20);
    stopped = callback(&oid, payload);
  });
  return stopped;
}

void Free(git_odb_backend* backend) { delete reinterpret_cast<StoreBackend*>(backend); }

}  // namespace

Status InstallObjectStore(git_repository* repo, std::shared_ptr<ObjectStore> store) {
  auto backend = new StoreBackend();
  git_odb_init_backend(&backend->base, GIT_ODB_BACKEND_VERSION);
  backend->store = std::move(store);
  backend->base.read = Read;
  backend->base.read_prefix = ReadPrefix;
  backend->base.read_header = ReadHeader;
  backend->base.exists = Exists;
  backend->base.exists_prefix = FindUnique;
  backend->base.foreach = ForEach;
  backend->base.free = Free;
  git_odb* odb = nullptr;
  if (git_odb_new(&odb) != 0) {
    Free(&backend->base);
    return Status::Error("cannot make an object database");
  }
  // The database owns the backend from here: git_odb_free frees it.
  if (git_odb_add_backend(odb, &backend->base, 1) != 0) {
    Free(&backend->base);
    git_odb_free(odb);
    return Status::Error("cannot add the object store");
  }
  int rc = git_repository_set_odb(repo, odb);
  git_odb_free(odb);  // the repository holds its own reference
  if (rc != 0) return Status::Error("cannot install the object store");
  return Status::Ok();
}

}  // namespace leaksweep
