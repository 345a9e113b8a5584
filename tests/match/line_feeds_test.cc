#include "match/line_feeds.h"

#include <doctest/doctest.h>
#include <hs/hs.h>

#include <algorithm>
#include <random>

#include "leaksweep/rules/loader.h"
#include "test_util.h"

using namespace leaksweep;

TEST_CASE("atoms that cannot match a line feed count nothing, however repeated") {
  CHECK(MaxLineFeeds("key=[^\\s\"']+") == 0u);
  CHECK(MaxLineFeeds("[^\\n]*x.+") == 0u);  // '.' matches no line feed without (?s)
  CHECK(MaxLineFeeds("[A-Za-z0-9+/]{40,}\\b$") == 0u);
  CHECK(MaxLineFeeds("\\S+\\d\\w\\h[[:alpha:]]{2,}") == 0u);
  CHECK(MaxLineFeeds("[\\x0b-\\x1f]+\\N+") == 0u);
  CHECK(MaxLineFeeds("(?i:secret|token)[ \\t]*=") == 0u);
}

TEST_CASE("atoms that can match a line feed count once per repetition") {
  CHECK(MaxLineFeeds("(?:^|[^A-Za-z0-9_.-])key") == 1u);  // a negated class holds it
  CHECK(MaxLineFeeds("key(?:[^A-Za-z0-9]|$)") == 1u);
  CHECK(MaxLineFeeds("a\\nb") == 1u);
  CHECK(MaxLineFeeds("a\\r?\\n[ \\t]*b") == 1u);
  CHECK(MaxLineFeeds("[^a]{2}") == 2u);
  CHECK(MaxLineFeeds("x[^a]{0,3}y") == 3u);
  CHECK(MaxLineFeeds("(?:a|\\n\\n)") == 2u);  // the most of any alternative
  CHECK(MaxLineFeeds("(a\\n){2,3}") == 3u);
  CHECK(MaxLineFeeds("\\x0a\\x{a}\\012\\cJ") == 4u);  // a line feed however written
  CHECK(MaxLineFeeds("[\\s][\\D][\\W][[:space:]][\\x00-\\x1f]") == 5u);
  CHECK(MaxLineFeeds("\\s\\D\\W\\H\\v\\R") == 6u);
  CHECK(MaxLineFeeds("(?s).") == 1u);
  CHECK(MaxLineFeeds("(?s:a)b.") == 1u);  // options are judged for the whole pattern: careful
}

TEST_CASE("unbounded or unreadable patterns have no bound") {
  CHECK_FALSE(MaxLineFeeds("key\\s+value"));
  CHECK_FALSE(MaxLineFeeds("[^a]*"));
  CHECK_FALSE(MaxLineFeeds("(?x) a b"));  // the extended mode is not modelled
  CHECK_FALSE(MaxLineFeeds("\\p{L}+"));   // an atom it cannot judge counts as a line feed
  CHECK_FALSE(MaxLineFeeds("(a)\\1+"));   // back references: not parsed
  CHECK_FALSE(MaxLineFeeds("(?<=a)b"));   // lookarounds: not parsed
  CHECK(MaxLineFeeds("\\p{L}") == 1u);    // ... so once is one
  CHECK(MaxLineFeeds("[a-\\d]") == 1u);   // a class it cannot read: the same
}

TEST_CASE("the shipped generic rules' stage-one patterns hold a line feed or two at most") {
  auto rules = LoadRules({leaksweep::testing::SignaturesDir()});
  REQUIRE_MESSAGE(rules.ok(), rules.status().message());
  auto stage_one = [&](const std::string& id) {
    for (const Rule& rule : rules->rules()) {
      if (rule.id == id) return rule.StageOnePattern();
    }
    FAIL("no rule " << id);
    return std::string();
  };
  CHECK(MaxLineFeeds(stage_one("generic-secret-assignment")) == 1u);
  CHECK(MaxLineFeeds(stage_one("generic-secret-name-value-pair")) == 2u);
  CHECK(MaxLineFeeds(stage_one("url-embedded-password")) == 0u);
  CHECK(MaxLineFeeds(stage_one("github-legacy-token")) == 2u);  // a value on the next line
  // A name/value pair with up to 40 blank characters between, line feeds included, can span
  // up to 40 lines (its stage one runs a narrow prefix of it instead).
  auto pattern = [&](const std::string& id) {
    for (const Rule& rule : rules->rules()) {
      if (rule.id == id) return rule.pattern;
    }
    FAIL("no rule " << id);
    return std::string();
  };
  CHECK(MaxLineFeeds(pattern("github-oauth-client-secret")) > 2u);
}

namespace {

struct LongestMatches {
  std::vector<std::pair<size_t, size_t>> spans;  // (leftmost start, end) of each end
};

int OnMatch(unsigned int, unsigned long long from, unsigned long long to, unsigned int,
            void* context) {
  static_cast<LongestMatches*>(context)->spans.push_back({from, to});
  return 0;
}

}  // namespace

// What the bound is for: Hyperscan, as stage one runs it, reports no end whose longest match
// holds more line feeds.
TEST_CASE("random patterns: no match Hyperscan finds holds more line feeds than the bound") {
  const std::vector<std::string> items = {
      "a",    "\\n", "[^a]",    "[a\\n]", "a*", "[^a]?",      "(?:a|\\n)", "(?:\\na)+", "\\s",
      "\\S+", ".",   "[^\\n]+", "$",      "^",  "(?:^|[^a])", "[^a]{2}",   "\\n?a+"};
  std::mt19937 random(11);
  size_t bounded = 0, matches = 0;
  for (int round = 0; round < 300; ++round) {
    std::string pattern;
    int length = 1 + int(random() % 5);
    for (int i = 0; i < length; ++i) pattern += items[random() % items.size()];
    std::optional<size_t> bound = MaxLineFeeds(pattern);
    if (!bound) continue;
    hs_database_t* database = nullptr;
    hs_compile_error_t* error = nullptr;
    if (hs_compile(pattern.c_str(), HS_FLAG_MULTILINE | HS_FLAG_SOM_LEFTMOST, HS_MODE_BLOCK,
                   nullptr, &database, &error) != HS_SUCCESS) {
      hs_free_compile_error(error);  // e.g. a pattern that can match empty: not a rule
      continue;
    }
    ++bounded;
    hs_scratch_t* scratch = nullptr;
    REQUIRE(hs_alloc_scratch(database, &scratch) == HS_SUCCESS);
    for (int subject_round = 0; subject_round < 8; ++subject_round) {
      std::string subject;
      for (int i = 0; i < 40; ++i) subject += "aab\n"[random() % 4];
      LongestMatches found;
      hs_scan(database, subject.data(), static_cast<unsigned>(subject.size()), 0, scratch, OnMatch,
              &found);
      for (auto [from, to] : found.spans) {
        size_t line_feeds = std::count(subject.begin() + from, subject.begin() + to, '\n');
        CHECK_MESSAGE(line_feeds <= *bound, pattern, " bound ", *bound);
        ++matches;
      }
    }
    hs_free_scratch(scratch);
    hs_free_database(database);
  }
  CHECK(bounded > 50);
  CHECK(matches > 1000);
}
