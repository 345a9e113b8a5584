#include "leaksweep/match/scanner.h"

#include <doctest/doctest.h>

#include <fstream>
#include <random>
#include <tuple>

#include "leaksweep/match/engine.h"
#include "leaksweep/rules/loader.h"
#include "match/compiled.h"
#include "shipped_engine.h"
#include "test_util.h"

using namespace leaksweep;
using leaksweep::testing::TempDir;

namespace {

std::string RuleYaml(const std::string& id, const std::string& pattern,
                     const std::string& extra = "") {
  return "  - id: " + id + "\n    name: " + id + "\n    category: secret\n    severity: high\n" +
         "    pattern: '" + pattern + "'\n" + extra +
         "    examples: ['x']\n    negative_examples: ['y']\n";
}

std::shared_ptr<const Engine> MakeEngine(const std::string& rules_yaml,
                                         const std::filesystem::path& cache = {}) {
  auto rules = ParseRuleFile("rules:\n" + rules_yaml, "test.yaml");
  REQUIRE_MESSAGE(rules.ok(), rules.status().message());
  auto engine = Engine::Build(RuleSet(std::move(rules).value()), {cache});
  REQUIRE_MESSAGE(engine.ok(), engine.status().message());
  return engine.value();
}

std::vector<std::string> Values(Scanner& scanner, const std::string& data) {
  auto result = scanner.Scan(data);
  REQUIRE(result.ok());
  std::vector<std::string> values;
  for (const Match& m : result->matches) {
    values.push_back(data.substr(m.value_start, m.value_end - m.value_start));
  }
  return values;
}

}  // namespace

TEST_CASE("stage two extracts capture group 1 as the value") {
  Scanner scanner(MakeEngine(RuleYaml("tok", R"(token=(tk_[a-z0-9]{8})\b)")));
  auto values = Values(scanner, "a\ntoken=tk_a1b2c3d4 and token=tk_zz99yy88\n");
  CHECK(values == std::vector<std::string>{"tk_a1b2c3d4", "tk_zz99yy88"});
}

TEST_CASE("without a capture group the whole match is the value") {
  Scanner scanner(MakeEngine(RuleYaml("tok", R"(\btk_[a-z0-9]{8}\b)")));
  CHECK(Values(scanner, "x tk_a1b2c3d4 y") == std::vector<std::string>{"tk_a1b2c3d4"});
}

TEST_CASE("a token with many stage-one end offsets is one match") {
  // [a-z0-9]{8,} ends at every byte past the eighth: Hyperscan reports each end.
  Scanner scanner(MakeEngine(RuleYaml("long", R"(\b(lk_[a-z0-9]{8,}))")));
  std::string token = "lk_" + std::string(500, 'q') + "7";
  CHECK(Values(scanner, "x " + token + " y") == std::vector<std::string>{token});
}

TEST_CASE("matches spanning lines are confirmed within max_match_length") {
  std::string rule =
      RuleYaml("block", R"((BEGIN\n[A-Za-z0-9\n]{10,}\nEND))", "    max_match_length: 4096\n");
  Scanner scanner(MakeEngine(rule));
  std::string body;
  for (int i = 0; i < 40; ++i)
    body += "abcdefghijKLMNOPQRSTuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUV\n";
  std::string block = "BEGIN\n" + body + "END";
  auto values = Values(scanner, "head\n" + block + "\ntail");
  CHECK(values == std::vector<std::string>{block});

  // The same block with a default-sized window (1 KiB) cannot be confirmed: the bound holds.
  Scanner small(MakeEngine(RuleYaml("block", R"((BEGIN\n[A-Za-z0-9\n]{10,}\nEND))")));
  CHECK(Values(small, "head\n" + block + "\ntail").empty());
}

TEST_CASE("a prefilter replaces the pattern in stage one; stage two still confirms") {
  std::string rule = RuleYaml("mail", R"(\b([a-z]+@[a-z]+\.com)\b)",
                              "    prefilter: '[a-z]@[a-z]'\n    max_match_length: 64\n");
  auto engine = MakeEngine(rule);
  CHECK(engine->rules().at(0).StageOnePattern() == "[a-z]@[a-z]");
  Scanner scanner(engine);
  CHECK(Values(scanner, "x jane@corp.com y, pkg@latest, @decorator") ==
        std::vector<std::string>{"jane@corp.com"});
}

TEST_CASE("a search that reaches a later candidate's match leaves it to that candidate") {
  // The first "tok_" is no match (no word boundary after its letters), but its search runs
  // 32 bytes past it, into the second token, and would find that token cut short at the
  // subject's end (which \b accepts). The second candidate's own search finds it whole.
  std::string rule = RuleYaml("tok", R"(tok_([a-z]{4,})\b)",
                              "    prefilter: 'tok_[a-z]{4}'\n    max_match_length: 32\n");
  Scanner scanner(MakeEngine(rule));
  std::string token = "tok_" + std::string(24, 'q');
  std::string text = "tok_abcd9" + std::string(11, ' ') + token + " end";
  CHECK(Values(scanner, text) == std::vector<std::string>{std::string(24, 'q')});
}

TEST_CASE("an unbounded pattern runs in stage one as its bounded prefix, with the same matches") {
  // Without a prefilter, "lk_[a-z0-9]{8,}" is unbounded; stage one runs "\\b(?:lk_[a-z0-9]{8})".
  std::string rule = RuleYaml("long", R"(\b(lk_[a-z0-9]{8,})(?:[^a-z0-9]|$))");
  Scanner scanner(MakeEngine(rule));
  std::string token = "lk_" + std::string(300, 'q') + "7";
  std::string text = "x " + token + " y lk_short lk_abcdefgh\n" + token + "z";
  CHECK(Values(scanner, text) == std::vector<std::string>{token, "lk_abcdefgh", token + "z"});
}

TEST_CASE("validators and keywords filter matches") {
  std::string rules = RuleYaml("card", R"(\b([0-9]{16})\b)", "    validators: [luhn]\n") +
                      RuleYaml("kw", R"(\b(kw[0-9]{6})\b)", "    keywords: [twilio]\n");
  Scanner scanner(MakeEngine(rules));
  CHECK(Values(scanner, "4539148803436467 4539148803436468") ==
        std::vector<std::string>{"4539148803436467"});
  CHECK(Values(scanner, "kw123456\nTWILIO_KEY=kw654321") == std::vector<std::string>{"kw654321"});
}

TEST_CASE("keywords count on the line, on a YAML key above, and as a table's column name") {
  Scanner scanner(
      MakeEngine(RuleYaml("id9", R"((?:^|[^0-9])([0-9]{3}-[0-9]{3}-[0-9]{3})(?:[^0-9]|$))",
                          "    keywords: [social insurance, sin]\n")));
  CHECK(Values(scanner, "sin: 755-008-752").size() == 1);
  CHECK(Values(scanner, "socialInsuranceNumber = 755-008-752").size() == 1);  // camelCase
  CHECK(Values(scanner, "ref 755-008-752").empty());
  CHECK(Values(scanner, "customer:\n  sin:\n    755-008-752").size() == 1);  // key above
  CHECK(Values(scanner, "sin: 1\nref: 755-008-752").empty());  // the line above has its own value
  // CSV: only the column whose header names the keyword counts.
  std::string csv = "name;sin;order\nAnn;755-008-752;123-456-789\n\"Roe, Bo\";647-517-796;1\n";
  CHECK(Values(scanner, csv) == std::vector<std::string>{"755-008-752", "647-517-796"});
  // A multi-row SQL INSERT: the column list names the column.
  std::string sql =
      "INSERT INTO people (name, sin, ref) VALUES\n  ('Ann', '755-008-752', '123-456-789'),\n"
      "  ('Bo', '647-517-796', '111-222-333');\n";
  CHECK(Values(scanner, sql) == std::vector<std::string>{"755-008-752", "647-517-796"});
}

TEST_CASE("short keywords must be whole words") {
  Scanner scanner(MakeEngine(RuleYaml(
      "d", R"((?:^|[^0-9])([0-9]{4}-[0-9]{2}-[0-9]{2})(?:[^0-9]|$))", "    keywords: [dob]\n")));
  CHECK(Values(scanner, "dob: 1984-07-23").size() == 1);
  CHECK(Values(scanner, "user_dob=1984-07-23").size() == 1);
  CHECK(Values(scanner, "userDob: 1984-07-23").size() == 1);
  CHECK(Values(scanner, "ExtendObjectRetention 2006-03-01").empty());
  CHECK(Values(scanner, "adobe 2006-03-01").empty());
}

TEST_CASE("exclude_keywords drop a match on their line only") {
  Scanner scanner(MakeEngine(RuleYaml("ip", R"(\b([0-9]+\.[0-9]+\.[0-9]+\.[0-9]+)\b)",
                                      "    exclude_keywords: [version]\n")));
  CHECK(Values(scanner, "host 93.184.216.34").size() == 1);
  CHECK(Values(scanner, "version 1.2.3.4").empty());
  CHECK(Values(scanner, "version: 2\nhost 93.184.216.34").size() == 1);
  CHECK(Values(scanner, "host,app_version\n93.184.216.34,6.1.5.39\n") ==
        std::vector<std::string>{"93.184.216.34"});  // the column named version is left out
}

TEST_CASE("the same value found by two rules is reported once, by the more specific rule") {
  std::string rules = RuleYaml("generic", R"x(password = "([^"]{8,})")x") +
                      RuleYaml("specific", R"(\b(sp_[a-z0-9]{10})\b)");
  auto engine = MakeEngine(rules);
  Scanner scanner(engine);
  std::string data = R"x(password = "sp_abcdef1234")x";
  auto result = scanner.Scan(data);
  REQUIRE(result.ok());
  REQUIRE(result->matches.size() == 1);
  CHECK(engine->rules().at(result->matches[0].rule_index).id == "specific");
}

TEST_CASE("a buffer dense with candidates is scanned completely") {
  Scanner scanner(MakeEngine(RuleYaml("tok", R"(\b(tk_[a-z0-9]{8})\b)")));
  std::string data;
  for (int i = 0; i < 9000; ++i) data += "tk_a1b2c3d4 ";
  CHECK(Values(scanner, data).size() == 9000);
  for (int i = 0; i < 2000; ++i) data += "tk_a1b2c3d4 ";
  auto capped = scanner.Scan(data);
  REQUIRE(capped.ok());
  CHECK(capped->truncated);
  CHECK(capped->matches.size() == ScanLimits().max_matches);
}

TEST_CASE("the candidate cap truncates and says so") {
  ScanLimits limits;
  limits.max_candidates = 100;
  // A short max_match_length: candidates closer than a quarter of it are thinned out.
  Scanner scanner(
      MakeEngine(RuleYaml("tok", R"(\b(tk_[a-z0-9]{8})\b)", "    max_match_length: 16\n")), limits);
  std::string data;
  for (int i = 0; i < 1000; ++i) data += "tk_a1b2c3d4 ";
  auto result = scanner.Scan(data);
  REQUIRE(result.ok());
  CHECK(result->truncated);
  CHECK(result->matches.size() == 100);
}

TEST_CASE("a long run that a rule matches at every byte does not starve the other rules") {
  std::string rules = RuleYaml("run", R"((?:^|[^a-z])([a-z]{52})(?:[^a-z]|$))") +
                      RuleYaml("tok", R"(\b(tk_[a-z0-9]{8})\b)");
  Scanner scanner(MakeEngine(rules));
  std::string data(3'000'000, 'a');
  data += " tk_a1b2c3d4";
  auto result = scanner.Scan(data);
  REQUIRE(result.ok());
  REQUIRE(result->matches.size() == 1);
  CHECK(data.substr(result->matches[0].value_start, 11) == "tk_a1b2c3d4");
}

TEST_CASE("a pattern Hyperscan rejects is an error naming the rule") {
  auto rules = ParseRuleFile("rules:\n" + RuleYaml("backref", R"((a+)\1)"), "test.yaml");
  REQUIRE(rules.ok());
  auto engine = Engine::Build(RuleSet(rules.value()), {});
  REQUIRE_FALSE(engine.ok());
  CHECK(engine.status().message().find("test.yaml:2: rule 'backref': pattern does not compile in "
                                       "Hyperscan") == 0);
}

TEST_CASE("a pattern PCRE2 rejects is an error naming the rule and the offset") {
  auto rules = ParseRuleFile("rules:\n" + RuleYaml("unclosed", "(abc"), "test.yaml");
  REQUIRE(rules.ok());
  auto engine = Engine::Build(RuleSet(rules.value()), {});
  REQUIRE_FALSE(engine.ok());
  CHECK(engine.status().message().find(
            "test.yaml:2: rule 'unclosed': pattern does not compile in PCRE2 at offset 4") == 0);
}

TEST_CASE("the compiled database is cached, and a tampered cache is rebuilt") {
  TempDir cache;
  std::string rules = RuleYaml("tok", R"(\b(tk_[a-z0-9]{8})\b)");
  CHECK_FALSE(MakeEngine(rules, cache.path())->loaded_from_cache());
  CHECK(MakeEngine(rules, cache.path())->loaded_from_cache());

  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(cache.path())) {
    CHECK((entry.status().permissions() & std::filesystem::perms::group_all) ==
          std::filesystem::perms::none);
    if (entry.path().extension() == ".db") files.push_back(entry.path());
  }
  REQUIRE(files.size() == 1);
  {
    std::fstream file(files[0], std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(100);
    file.put('\x5a');
  }
  auto rebuilt = MakeEngine(rules, cache.path());
  CHECK_FALSE(rebuilt->loaded_from_cache());
  Scanner scanner(rebuilt);
  CHECK(Values(scanner, "tk_a1b2c3d4").size() == 1);
  std::filesystem::resize_file(files[0], 20);  // truncated
  CHECK_FALSE(MakeEngine(rules, cache.path())->loaded_from_cache());
}

TEST_CASE("the patterns' widths are cached: the same stage one, and a bad file is measured anew") {
  auto rules = LoadRules({testing::SignaturesDir()});
  REQUIRE(rules.ok());
  auto build = [&](const std::filesystem::path& cache) {
    auto engine = Engine::Build(rules.value(), {cache});
    REQUIRE_MESSAGE(engine.ok(), engine.status().message());
    return engine.value();
  };
  auto stage_one = [](const Engine& engine) {
    const Engine::Compiled& compiled = engine.compiled();
    return std::tuple(compiled.stage_one, compiled.reach, compiled.window, compiled.narrow_width,
                      compiled.line_feeds);
  };
  const auto uncached = stage_one(*build({}));
  TempDir cache;
  CHECK_FALSE(build(cache.path())->loaded_from_cache());
  std::filesystem::path widths_file;
  for (const auto& entry : std::filesystem::directory_iterator(cache.path())) {
    if (entry.path().filename().string().rfind("widths-", 0) == 0) widths_file = entry.path();
  }
  REQUIRE_FALSE(widths_file.empty());
  CHECK((std::filesystem::status(widths_file).permissions() & std::filesystem::perms::group_all) ==
        std::filesystem::perms::none);
  auto cached = build(cache.path());
  CHECK(cached->loaded_from_cache());
  CHECK(stage_one(*cached) == uncached);

  // A flipped byte fails the digest; a missing file is measured again. Either way the stage
  // one is the same, and the file is written anew.
  {
    std::fstream file(widths_file, std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(60);
    file.put('\x01');
  }
  auto remeasured = build(cache.path());
  CHECK_FALSE(remeasured->loaded_from_cache());
  CHECK(stage_one(*remeasured) == uncached);
  CHECK(build(cache.path())->loaded_from_cache());
  std::filesystem::remove(widths_file);
  CHECK_FALSE(build(cache.path())->loaded_from_cache());
  CHECK(build(cache.path())->loaded_from_cache());

  // Another rule set replaces the file's contents: it holds the last rule set's patterns only.
  CHECK_FALSE(
      MakeEngine(RuleYaml("tok", R"(\b(tk_[a-z0-9]{8})\b)"), cache.path())->loaded_from_cache());
  CHECK(std::filesystem::file_size(widths_file) < 1000);
  CHECK_FALSE(build(cache.path())->loaded_from_cache());
}

TEST_CASE("a pattern that backtracks catastrophically is reported, not a hang") {
  // Hyperscan finds candidates quickly; PCRE2 would backtrack exponentially without limits.
  Scanner scanner(MakeEngine(RuleYaml("evil", R"((?:a+)+b)", "    max_match_length: 100000\n")));
  std::string data(30, 'a');
  data += "c";
  for (int i = 0; i < 3; ++i) data += std::string(30, 'a') + "b";
  auto result = scanner.Scan(data);
  REQUIRE(result.ok());
  CHECK(result->matches.size() >= 1);
}

TEST_CASE("dense candidates are thinned, and every match is still found") {
  // A prefilter ending in a common class reports an end at most bytes of a value; stage two
  // keeps two per quarter window. Tokens 12 bytes apart, 2,000 of them: all found.
  Scanner scanner(MakeEngine(RuleYaml("tok", R"(\b(tk_[a-z0-9]{8})\b)")));
  std::string data;
  for (int i = 0; i < 2000; ++i) data += i % 7 == 0 ? "tk_a1b2c3d4\n" : "tk_a1b2c3d4 ";
  CHECK(Values(scanner, data).size() == 2000);
  // A value at the end of a dense stretch of candidates that do not confirm: the last
  // candidate of the stretch is kept, so its window is searched.
  Scanner prefiltered(
      MakeEngine(RuleYaml("tok", R"(\b(tk_[a-z0-9]{8})\b)", "    prefilter: 'tk_'\n")));
  std::string tail(600, 'x');
  for (int i = 0; i < 100; ++i) tail += " tk_!";
  CHECK(Values(prefiltered, tail + " tk_z9y8x7w6").size() == 1);
  CHECK(Values(prefiltered, tail + " tk_z9y8x7w6 " + tail).size() == 1);
  // The rule's window is its pattern's longest match (13 bytes), not max_match_length (1 KiB),
  // while thinning still keeps one end per 256 bytes: a token among the dropped ends is found
  // because the kept end's search starts before the first end it stands for.
  std::string mixed;
  for (int i = 0; i < 50; ++i) mixed += i == 25 ? " tk_q1w2e3r4" : " tk_!";
  CHECK(Values(prefiltered, mixed) == std::vector<std::string>{"tk_q1w2e3r4"});
}

TEST_CASE("the shipped rules stay within PCRE2's limits on long values, quoted or not") {
  // `api_key="` and a few hundred token characters with no closing quote cost generic-secret-
  // assignment a million backtracking steps per search (seconds per line) before its
  // composition steps became atomic; the fuzzer found it (testdata/fuzz/engine/regressions).
  Scanner scanner(leaksweep::testing::ShippedEngine());
  const std::string base64 =
      "RIgP/58waM+Dx3A5idNoDCDBwb2Dc4/dsdc6lC1MXlPq2Ymk/yE9fz1WuvL4NUyv+D8FnyVVdBZdzst6iAxQa2H9";
  std::vector<std::string> values = {base64 + base64 + base64, std::string(300, 'x')};
  for (const char* unit : {"Aa", "AaA", "aAa", "a-", "a!", "Aa!", "AAaA", "1a"}) {
    std::string value;
    while (value.size() < 300) value += unit;
    values.push_back(value);
  }
  for (const char* name : {"api_key=", "password: ", "auth_token = ", "\"clientSecret\": "}) {
    for (const std::string& value : values) {
      for (const char* close : {"", "\"", "\n\"x\""}) {
        std::string line = std::string(name) + "\"" + value + close + "\n";
        std::string text = line + line + line;
        INFO(text);
        auto result = scanner.Scan(text);
        REQUIRE(result.ok());
        CHECK(result->rules_over_limit.empty());
      }
    }
  }
}

// Rule::prefilter_in_match: stage two searches a candidate's lines only, which must find
// exactly what the whole window finds when the prefilter lies inside every one-line match.
TEST_CASE("a prefilter inside every one-line match: searching its lines finds the same") {
  const std::string pattern = R"(^[ \t-]*[a-z_]+:[ \t]+([A-Za-z0-9+/]{12,})[ \t]*$)";
  const std::string extra =
      "    prefilter: ':[ \\t]+[A-Za-z0-9+/]{12}'\n    max_match_length: 65536\n";
  Scanner whole(MakeEngine(RuleYaml("b64", pattern, extra)));
  Scanner lines(MakeEngine(RuleYaml("b64", pattern, extra + "    prefilter_in_match: true\n")));
  std::mt19937 random(3);
  const std::vector<std::string> pieces = {"key: QUJDREVGR0hJSktMTU5P",
                                           "  - name: c2VjcmV0c2VjcmV0",
                                           "note: not base64 here!",
                                           "x: ABCDEFGHIJKL",
                                           "key:ABCDEFGHIJKLMNOP",
                                           "a: QUJD QUJD QUJD",
                                           "\t",
                                           "",
                                           std::string(3000, 'z')};
  size_t found = 0;
  for (int round = 0; round < 200; ++round) {
    std::string text;
    for (int i = 0; i < 40; ++i) text += pieces[random() % pieces.size()] + ("\n \n"[random() % 3]);
    auto expected = whole.Scan(text);
    auto got = lines.Scan(text);
    REQUIRE(expected.ok());
    REQUIRE(got.ok());
    CHECK(got->matches == expected->matches);
    found += got->matches.size();
  }
  CHECK(found > 500);
}

TEST_CASE("prefilter_in_match is refused for a pattern that can span lines") {
  auto rules =
      ParseRuleFile("rules:\n" + RuleYaml("multi", R"(key:\s+([a-z]{8,}))",
                                          "    prefilter: 'key:'\n    prefilter_in_match: true\n"),
                    "test.yaml");
  REQUIRE(rules.ok());
  auto engine = Engine::Build(RuleSet(std::move(rules).value()), {});
  REQUIRE_FALSE(engine.ok());
  CHECK(engine.status().message().find("test.yaml:2: rule 'multi': prefilter_in_match needs a "
                                       "pattern that matches within one line") == 0);
}
