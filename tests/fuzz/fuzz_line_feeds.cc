// Fuzz target: MaxLineFeeds (src/match/line_feeds.h), the bound on line feeds in a stage-one
// match that lets a scan from a memo rescan only the lines around each edit. Whatever the
// pattern, when it gives a bound, no match Hyperscan reports (as stage one runs it, with the
// leftmost start, so the longest match ending there) holds more line feeds.
//
// The input is a length-prefixed pattern (FuzzInput::String) and a subject (the rest, at most
// 256 bytes). Patterns Hyperscan rejects are skipped: rule loading rejects them before.
#include <hs/hs.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_util.h"
#include "match/line_feeds.h"

namespace leaksweep::fuzz {
namespace {

constexpr size_t kMaxSubject = 256;

struct Check {
  std::string_view subject;
  size_t bound;
  const std::string* pattern;
};

int OnMatch(unsigned int, unsigned long long from, unsigned long long to, unsigned int,
            void* context) {
  const Check& check = *static_cast<const Check*>(context);
  size_t line_feeds = std::count(check.subject.begin() + from, check.subject.begin() + to, '\n');
  FUZZ_CHECK(line_feeds <= check.bound,
             "pattern '" + *check.pattern + "' has a bound of " + std::to_string(check.bound) +
                 " line feeds, its match [" + std::to_string(from) + ", " + std::to_string(to) +
                 ") holds " + std::to_string(line_feeds));
  return 0;
}

}  // namespace
}  // namespace leaksweep::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  using namespace leaksweep;
  using namespace leaksweep::fuzz;
  auto [pattern, subject] = ReadPatternAndSubject(bytes, size, kMaxSubject);
  std::optional<size_t> bound = MaxLineFeeds(pattern);
  if (!bound) return 0;
  hs_database_t* database = nullptr;
  hs_compile_error_t* error = nullptr;
  if (hs_compile(pattern.c_str(), HS_FLAG_MULTILINE | HS_FLAG_SOM_LEFTMOST, HS_MODE_BLOCK, nullptr,
                 &database, &error) != HS_SUCCESS) {
    hs_free_compile_error(error);
    return 0;
  }
  hs_scratch_t* scratch = nullptr;
  if (hs_alloc_scratch(database, &scratch) == HS_SUCCESS) {
    Check check{subject, *bound, &pattern};
    hs_scan(database, subject.data(), static_cast<unsigned>(subject.size()), 0, scratch, OnMatch,
            &check);
    hs_free_scratch(scratch);
  }
  hs_free_database(database);
  return 0;
}
