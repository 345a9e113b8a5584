// Fuzz target: BoundedPrefix (src/match/bounded_prefix.h), the stage-one pattern made for a rule
// whose pattern has an unbounded repeat. Whatever the pattern, a prefix it returns must compile
// in PCRE2, and at every offset where the pattern matches, the prefix must match too (what lets
// stage one run the prefix instead of the pattern).
//
// The input is a length-prefixed pattern (FuzzInput::String) and a subject (the rest, at most
// 256 bytes). Patterns PCRE2 rejects are skipped: rule loading rejects them before.
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_util.h"
#include "leaksweep/regex/pcre2.h"
#include "match/bounded_prefix.h"

namespace leaksweep::fuzz {
namespace {

constexpr uint32_t kFlags = PCRE2_MULTILINE;
constexpr size_t kMaxSubject = 256;

// 1: matches at `at`; 0: does not; -1: PCRE2 gave up (its match limit), nothing to compare.
int MatchesAt(pcre2_code* code, pcre2_match_data* data, pcre2_match_context* context,
              std::string_view subject, size_t at) {
  int rc = pcre2_match(code, reinterpret_cast<PCRE2_SPTR>(subject.data()), subject.size(), at,
                       PCRE2_ANCHORED, data, context);
  if (rc >= 0) return 1;
  return rc == PCRE2_ERROR_NOMATCH ? 0 : -1;
}

}  // namespace
}  // namespace leaksweep::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  using namespace leaksweep;
  using namespace leaksweep::fuzz;
  auto [pattern, subject] = ReadPatternAndSubject(bytes, size, kMaxSubject);
  Result<Pcre2Code> code = CompilePcre2(pattern, kFlags);
  if (!code.ok()) return 0;
  std::optional<std::string> prefix = BoundedPrefix(pattern);
  if (!prefix) return 0;
  Result<Pcre2Code> prefix_code = CompilePcre2(*prefix, kFlags);
  FUZZ_CHECK(prefix_code.ok(), "pattern '" + pattern + "' gave prefix '" + *prefix + "'");

  pcre2_match_context* context = pcre2_match_context_create(nullptr);
  pcre2_set_match_limit(context, 100'000);
  pcre2_set_depth_limit(context, 1'000);
  pcre2_match_data* data = pcre2_match_data_create(64, nullptr);
  for (size_t at = 0; at <= subject.size(); ++at) {
    if (MatchesAt(code->get(), data, context, subject, at) != 1) continue;
    int prefix_matches = MatchesAt(prefix_code->get(), data, context, subject, at);
    FUZZ_CHECK(prefix_matches != 0, "pattern '" + pattern + "' matches at " + std::to_string(at) +
                                        ", its prefix '" + *prefix + "' does not");
  }
  pcre2_match_data_free(data);
  pcre2_match_context_free(context);
  return 0;
}
