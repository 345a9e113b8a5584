// Private to the match module: the compiled forms an Engine owns.
#ifndef LEAKSWEEP_SRC_MATCH_COMPILED_H_
#define LEAKSWEEP_SRC_MATCH_COMPILED_H_

#include <hs/hs.h>

#include <vector>

#include "leaksweep/match/engine.h"
#include "leaksweep/regex/pcre2.h"

namespace leaksweep {

struct Engine::Compiled {
  hs_database_t* database = nullptr;  // stage one: all rules, rule index = expression id
  std::vector<Pcre2Code> programs;    // stage two: one per rule, JIT-compiled when possible
  uint32_t max_capture_count = 0;

  Compiled() = default;
  Compiled(const Compiled&) = delete;
  Compiled& operator=(const Compiled&) = delete;
  ~Compiled() {
    if (database != nullptr) hs_free_database(database);
  }
};

// Hyperscan flags used for every rule; part of the cache key.
inline constexpr unsigned kHyperscanFlags = HS_FLAG_MULTILINE;
inline constexpr uint32_t kPcre2Flags = PCRE2_MULTILINE;

}  // namespace leaksweep

#endif  // LEAKSWEEP_SRC_MATCH_COMPILED_H_
