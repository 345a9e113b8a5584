// Private to the match module: the on-disk cache of what building an Engine computes from the
// rules alone, so that a start-up with unchanged rules only loads it: the serialized Hyperscan
// databases, and Hyperscan's analysis of each pattern's match widths.
//
// A cache file is a magic line + SHA-256 of the payload + the payload (for a database, the
// hs_serialize_database output). A file that is truncated, tampered with or from another
// Hyperscan build fails the digest, the parse or deserialization and is rebuilt, never
// trusted. Files are 0600 in a 0700 directory, written to a temporary name and renamed, so
// concurrent runs never see half a file.
#ifndef LEAKSWEEP_SRC_MATCH_CACHE_H_
#define LEAKSWEEP_SRC_MATCH_CACHE_H_

#include <hs/hs.h>

#include <climits>
#include <filesystem>
#include <optional>
#include <string>
#include <unordered_map>
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

// The shortest and longest match a pattern can make, per Hyperscan (hs_expression_info).
struct MatchWidths {
  unsigned min = 0;
  unsigned max = UINT_MAX;  // UINT_MAX: unbounded
  bool operator==(const MatchWidths&) const = default;
};
// Per pattern: its widths, or nullopt when Hyperscan cannot analyse it.
using WidthsByPattern = std::unordered_map<std::string, std::optional<MatchWidths>>;

// The widths stored in `dir` for this Hyperscan build; empty when absent or invalid.
WidthsByPattern LoadCachedWidths(const std::filesystem::path& dir);

// Replaces the stored widths with `widths`. Best effort, like StoreCachedDatabase.
void StoreCachedWidths(const std::filesystem::path& dir, const WidthsByPattern& widths);

}  // namespace leaksweep

#endif  // LEAKSWEEP_SRC_MATCH_CACHE_H_
