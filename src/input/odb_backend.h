// Makes libgit2 read every object through an ObjectStore: the store becomes the only backend
// of the repository's object database, so libgit2's own loose-object and pack parsers never see
// the repository's object files (see object_store.h for why). libgit2 still parses commits,
// trees and tags, from the bytes the store hands it, and still reads refs and config.
#ifndef LEAKSWEEP_SRC_INPUT_ODB_BACKEND_H_
#define LEAKSWEEP_SRC_INPUT_ODB_BACKEND_H_

#include <git2.h>

#include <cstring>
#include <memory>

#include "leaksweep/core/status.h"
#include "leaksweep/input/object_store.h"

namespace leaksweep {

// A libgit2 object id as ours.
inline GitOid FromGit(const git_oid* oid) {
  GitOid id;
  std::memcpy(id.bytes.data(), oid->id, 20);
  return id;
}

// Replaces `repo`'s object database with one whose only backend is `store` (read-only: writes
// fail). The backend keeps `store` alive as long as libgit2 holds the database.
Status InstallObjectStore(git_repository* repo, std::shared_ptr<ObjectStore> store);

}  // namespace leaksweep

#endif  // LEAKSWEEP_SRC_INPUT_ODB_BACKEND_H_
