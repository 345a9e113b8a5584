#include "match/bounded_prefix.h"

#include <doctest/doctest.h>

#include <random>

#include "leaksweep/regex/pcre2.h"
#include "leaksweep/rules/loader.h"
#include "test_util.h"

using namespace leaksweep;

TEST_CASE("a pattern is cut at its first unbounded repeat, to that repeat's minimum") {
  CHECK(BoundedPrefix("glpat-[0-9A-Za-z_-]{20,}\\b") == "glpat-[0-9A-Za-z_-]{20}");
  CHECK(BoundedPrefix("ab+c") == "ab");
  CHECK(BoundedPrefix("ab*c") == "a");
  CHECK(BoundedPrefix("a(?:b|c)d+e") == "a(?:b|c)d");
  CHECK(BoundedPrefix("x[a-z]{2,5}y[0-9]{3,}?z") == "x[a-z]{2,5}y[0-9]{3}");
}

TEST_CASE("a group holding the cut is cut inside, in each alternative") {
  CHECK(BoundedPrefix("\\b(glpat-[a-z]{20,}(?:\\.[a-z]{2})?)") == "\\b(?:glpat-[a-z]{20})");
  CHECK(BoundedPrefix("(?i:key|tok[a-z]*)=") == "(?i:key|tok)");
  CHECK(BoundedPrefix("(?:ab)+c") == "(?:ab)");       // a bounded group repeated: once
  CHECK(BoundedPrefix("(?:a[b]+)+c") == "(?:a[b])");  // an unbounded one: cut inside
  CHECK(BoundedPrefix("top|lev+el") == "top|lev");
  CHECK(BoundedPrefix("(?<name>ab+)") == "(?:ab)");
}

TEST_CASE("classes, escapes and inline flags are read as single items") {
  CHECK(BoundedPrefix("[]a-z+*]+x") == "[]a-z+*]");
  CHECK(BoundedPrefix("[[:alpha:]\\]]{3,}") == "[[:alpha:]\\]]{3}");
  CHECK(BoundedPrefix("\\x41\\x{42}\\+\\.+") == "\\x41\\x{42}\\+\\.");
  CHECK(BoundedPrefix("(?i)abc\\s+d") == "(?i)abc\\s");
  CHECK(BoundedPrefix("a{x}b+") == "a{x}b");       // "{x}" is not a quantifier: three literals
  CHECK(BoundedPrefix("[\\c]a]+b") == "[\\c]a]");  // \c takes the next byte, even ']'
  CHECK_FALSE(BoundedPrefix("[\\Q]\\E]+"));        // quoting inside a class
  // "[:" starts a POSIX class only when ":]" comes before any "]": here the class is "[[:a]".
  CHECK(BoundedPrefix("x[[:a]b+c:]") == "x[[:a]b");
}

TEST_CASE("no prefix when the pattern is bounded or uses syntax that is not modelled") {
  CHECK_FALSE(BoundedPrefix("abc[0-9]{1,5}"));
  CHECK_FALSE(BoundedPrefix("(a)\\1+"));           // back reference
  CHECK_FALSE(BoundedPrefix("(?=a)b+"));           // lookahead
  CHECK_FALSE(BoundedPrefix("(?<!a)b+"));          // lookbehind
  CHECK_FALSE(BoundedPrefix("\\Qa+\\E"));          // quoting
  CHECK_FALSE(BoundedPrefix("(?#note)a+"));        // comment
  CHECK_FALSE(BoundedPrefix("(ab+"));              // unbalanced
  CHECK_FALSE(BoundedPrefix("[ab+"));              // unterminated class
  CHECK_FALSE(BoundedPrefix("a{,3}b+"));           // read differently by PCRE2 versions
  CHECK_FALSE(BoundedPrefix("(a)(?R)b+"));         // recursion
  CHECK_FALSE(BoundedPrefix("(?P<n>a)(?P>n)b+"));  // a call
  CHECK_FALSE(BoundedPrefix("(?P<n>a)(?P=n)b+"));  // a back reference
}

namespace {

// Whether `prefix` matches at `at` in `subject` (anchored there).
bool MatchesAt(const std::string& prefix, std::string_view subject, size_t at) {
  Result<Pcre2Code> code = CompilePcre2(prefix, PCRE2_MULTILINE | PCRE2_ANCHORED);
  REQUIRE_MESSAGE(code.ok(), prefix);
  pcre2_match_data* data = pcre2_match_data_create_from_pattern(code->get(), nullptr);
  int rc = pcre2_match(code->get(), reinterpret_cast<PCRE2_SPTR>(subject.data()), subject.size(),
                       at, 0, data, nullptr);
  pcre2_match_data_free(data);
  return rc >= 0;
}

}  // namespace

// What makes a prefix usable in stage one: every match of the rule begins with a match of it.
TEST_CASE("every shipped rule's examples begin with a match of its bounded prefix") {
  auto rules = LoadRules({leaksweep::testing::SignaturesDir()});
  REQUIRE_MESSAGE(rules.ok(), rules.status().message());
  size_t cut = 0, checked = 0;
  for (const Rule& rule : rules->rules()) {
    std::optional<std::string> prefix = BoundedPrefix(rule.pattern);
    if (!prefix) continue;
    ++cut;
    Result<Pcre2Code> code = CompilePcre2(rule.pattern, PCRE2_MULTILINE);
    REQUIRE(code.ok());
    pcre2_match_data* data = pcre2_match_data_create_from_pattern(code->get(), nullptr);
    for (const std::string& example : rule.examples) {
      size_t from = 0;
      while (from <= example.size() &&
             pcre2_match(code->get(), reinterpret_cast<PCRE2_SPTR>(example.data()), example.size(),
                         from, 0, data, nullptr) >= 0) {
        size_t start = pcre2_get_ovector_pointer(data)[0];
        size_t end = pcre2_get_ovector_pointer(data)[1];
        CHECK_MESSAGE(MatchesAt(*prefix, example, start), rule.id, ": ", *prefix);
        ++checked;
        from = std::max(end, start + 1);
      }
    }
    pcre2_match_data_free(data);
  }
  MESSAGE(cut, " rules cut, ", checked, " example matches checked");
  CHECK(cut >= 40);
  CHECK(checked >= cut);
}

TEST_CASE("random patterns: every match begins with a match of the prefix") {
  // Patterns over a two-letter alphabet from items that cover each kind of cut, matched
  // everywhere in random subjects.
  const std::vector<std::string> items = {"a",       "b",        "[ab]",       "a*",
                                          "b+",      "[ab]{2,}", "(?:ab|b)",   "(?:a+b|b)",
                                          "(?:ba)+", "a?",       "(b{1,2}|a+)"};
  std::mt19937 random(7);
  size_t compared = 0;
  for (int round = 0; round < 400; ++round) {
    std::string pattern;
    int length = 1 + int(random() % 5);
    for (int i = 0; i < length; ++i) pattern += items[random() % items.size()];
    std::optional<std::string> prefix = BoundedPrefix(pattern);
    if (!prefix || prefix->empty()) continue;
    Result<Pcre2Code> code = CompilePcre2(pattern, PCRE2_MULTILINE | PCRE2_ANCHORED);
    REQUIRE(code.ok());
    pcre2_match_data* data = pcre2_match_data_create_from_pattern(code->get(), nullptr);
    std::string subject;
    for (int i = 0; i < 24; ++i) subject += "ab"[random() % 2];
    for (size_t at = 0; at < subject.size(); ++at) {
      if (pcre2_match(code->get(), reinterpret_cast<PCRE2_SPTR>(subject.data()), subject.size(), at,
                      0, data, nullptr) < 0) {
        continue;
      }
      CHECK_MESSAGE(MatchesAt(*prefix, subject, at), pattern, " -> ", *prefix);
      ++compared;
    }
    pcre2_match_data_free(data);
  }
  CHECK(compared > 1000);
}
