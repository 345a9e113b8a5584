#include "leaksweep/rules/loader.h"

#include <doctest/doctest.h>

#include "test_util.h"

using namespace leaksweep;
using leaksweep::testing::TempDir;

namespace {

const char* kValidFile = R"(rules:
  - id: demo-token
    name: Demo token
    category: secret
    severity: high
    confidence: high
    pattern: '\b(demo_[a-z0-9]{12})\b'
    keywords: [Demo_]
    validators:
      - not_placeholder
      - {name: entropy, min: 2.5}
    description: A demo token.
    references: [https://example.invalid/docs]
    examples: ['key = demo_k3j9x2m8q7w1']
    negative_examples: ['key = demo_xxxxxxxxxxxx']
)";

std::string ErrorOf(const std::string& yaml) {
  auto parsed = ParseRuleFile(yaml, "rules.yaml");
  REQUIRE_FALSE(parsed.ok());
  return parsed.status().message();
}

std::string WithField(const std::string& field_line) {
  std::string text = kValidFile;
  return text.insert(text.find("    name:"), field_line + "\n");
}

}  // namespace

TEST_CASE("a valid rule file loads with every field") {
  auto parsed = ParseRuleFile(kValidFile, "rules.yaml");
  REQUIRE(parsed.ok());
  REQUIRE(parsed->size() == 1);
  const Rule& rule = parsed.value()[0];
  CHECK(rule.id == "demo-token");
  CHECK(rule.category == Category::kSecret);
  CHECK(rule.severity == Severity::kHigh);
  CHECK(rule.confidence == Confidence::kHigh);
  CHECK(rule.keywords == std::vector<std::string>{"demo_"});  // lower-cased
  REQUIRE(rule.validators.size() == 2);
  CHECK(rule.validators[1].params.at("min") == "2.5");
  CHECK(rule.validators[1].accept("k3j9x2m8q7w1") == Verdict::kAccept);
  CHECK(rule.source_file == "rules.yaml");
  CHECK(rule.source_line == 2);
  CHECK(rule.max_match_length == 1024);
}

TEST_CASE("errors name the file, the line and the rule id") {
  CHECK(ErrorOf("rules:\n  - id: a\n    name: [unclosed\n").find("rules.yaml:") == 0);
  std::string unknown = ErrorOf(WithField("    colour: red"));
  CHECK(unknown.find("rules.yaml:3: rule 'demo-token': unknown field 'colour'") == 0);

  std::string no_examples = kValidFile;
  no_examples.erase(no_examples.find("    examples:"),
                    no_examples.find("    negative") - no_examples.find("    examples:"));
  CHECK(ErrorOf(no_examples).find("needs at least one example") != std::string::npos);

  std::string no_negatives = kValidFile;
  no_negatives.erase(no_negatives.find("    negative_examples:"));
  CHECK(ErrorOf(no_negatives).find("negative example") != std::string::npos);

  std::string bad_severity = kValidFile;
  bad_severity.replace(bad_severity.find("severity: high"), 14, "severity: dire");
  CHECK(ErrorOf(bad_severity).find("rules.yaml:5: rule 'demo-token': invalid severity 'dire'") ==
        0);

  std::string bad_validator = kValidFile;
  bad_validator.replace(bad_validator.find("not_placeholder"), 15, "is_real");
  CHECK(ErrorOf(bad_validator).find("unknown validator 'is_real'") != std::string::npos);

  std::string bad_id = kValidFile;
  bad_id.replace(bad_id.find("demo-token"), 10, "Demo_Token");
  CHECK(ErrorOf(bad_id).find("must be kebab-case") != std::string::npos);

  CHECK(ErrorOf("rule:\n  - id: x\n").find("'rules:' list") != std::string::npos);
}

// Found by fuzzing (tests/fuzz/fuzz_rules_loader.cc): a top-level key that is not a scalar
// threw out of ParseRuleFile and ended the program.
TEST_CASE("keys that are not names are errors, not crashes") {
  CHECK(ErrorOf("rules: []\n? [a, b]\n: x\n").find("rules.yaml:2: unknown top-level field") == 0);
  CHECK(ErrorOf("? {a: b}\n: x\nrules: []\n").find("rules.yaml:1: unknown top-level field") == 0);
  CHECK(ErrorOf("rules:\n  - {id: x, ? [a]: b}\n").find("rules.yaml:") == 0);
}

TEST_CASE("later paths override rules by id; duplicates within one path are errors") {
  TempDir dir;
  dir.Write("shipped/a.yaml", kValidFile);
  std::string override_text = kValidFile;
  override_text.replace(override_text.find("severity: high"), 14, "severity: low");
  dir.Write("custom/b.yml", override_text);
  auto merged = LoadRules({dir.path() / "shipped", dir.path() / "custom"});
  REQUIRE(merged.ok());
  REQUIRE(merged->size() == 1);
  CHECK(merged->at(0).severity == Severity::kLow);

  dir.Write("dup/one.yaml", kValidFile);
  dir.Write("dup/two.yaml", kValidFile);
  auto duplicate = LoadRules({dir.path() / "dup"});
  REQUIRE_FALSE(duplicate.ok());
  CHECK(duplicate.status().message().find("duplicate id") != std::string::npos);

  CHECK_FALSE(LoadRules({dir.path() / "missing"}).ok());
}

TEST_CASE("the rule-set digest changes when a pattern changes") {
  auto a = ParseRuleFile(kValidFile, "a.yaml");
  std::string changed = kValidFile;
  changed.replace(changed.find("{12}"), 4, "{13}");
  auto b = ParseRuleFile(changed, "a.yaml");
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK(RuleSet(a.value()).digest() != RuleSet(b.value()).digest());
  CHECK(RuleSet(a.value()).digest() == RuleSet(a.value()).digest());
}

TEST_CASE("the shipped signatures load") {
  auto shipped = LoadRules({leaksweep::testing::SignaturesDir()});
  REQUIRE_MESSAGE(shipped.ok(), shipped.status().message());
  CHECK(shipped->size() >= 20);
}

TEST_CASE("prefilter_in_match is true or false, and needs a prefilter") {
  auto parsed = ParseRuleFile(WithField("    prefilter: 'demo_'\n    prefilter_in_match: true"),
                              "rules.yaml");
  REQUIRE_MESSAGE(parsed.ok(), parsed.status().message());
  CHECK(parsed.value()[0].prefilter_in_match);
  CHECK_FALSE(ParseRuleFile(kValidFile, "rules.yaml").value()[0].prefilter_in_match);
  CHECK(ErrorOf(WithField("    prefilter: 'demo_'\n    prefilter_in_match: yes"))
            .find("rules.yaml:4: rule 'demo-token': 'prefilter_in_match' must be true or false") ==
        0);
  CHECK(ErrorOf(WithField("    prefilter_in_match: true"))
            .find("rules.yaml:3: rule 'demo-token': 'prefilter_in_match' needs a 'prefilter'") ==
        0);
}
