// Private to the match module: the on-disk cache of serialized Hyperscan databases.
//
// A cache file is "LSHSDB1\n" + SHA-256 of the payload + the payload (hs_serialize_database
// output). A file that is truncated, tampered with or from another Hyperscan build fails the
// digest or deserialization and is rebuilt, never trusted. Files are 0600 in a 0700 directory,
// written to a temporary name and renamed, so concurrent runs never see half a file.
#ifndef LEAKSWEEP_SRC_MATCH_CACHE_H_
#define LEAKSWEEP_SRC_MATCH_CACHE_H_

#include <hs/hs.h>

#include <filesystem>
#include <string>
#include <vector>

#include "leaksweep/rules/rule.h"

namespace leaksweep {

// The cache key of a database of the stage-one patterns `ids` of `patterns` (one per rule) on
// this machine's Hyperscan and CPU.
std::string DatabaseCacheKey(const std::vector<std::string>& patterns,
                             const std::vector<unsigned>& ids);

// Returns a database loaded from `dir`, or nullptr when absent or invalid.
hs_database_t* LoadCachedDatabase(const std::filesystem::path& dir, const std::string& key);

// Best effort: a failure to write the cache only costs the next start-up a compile.
void StoreCachedDatabase(const std::filesystem::path& dir, const std::string& key,
                         const hs_database_t* database);

}  // namespace leaksweep

#endif  // LEAKSWEEP_SRC_MATCH_CACHE_H_
