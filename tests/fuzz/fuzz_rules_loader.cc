// Fuzz target: the signature loader on arbitrary YAML (ParseRuleFile), then what a loaded rule
// set is used for: RuleSet (digest, infos), every bound validator on every example, and, for
// small rule sets, the engine built from them (Hyperscan + PCRE2) scanning the examples, as
// `leaksweep rules check` does. Every error must name the file and line ("fuzz.yaml:N: ...").
#include <cctype>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "fuzz_util.h"
#include "leaksweep/match/engine.h"
#include "leaksweep/match/scanner.h"
#include "leaksweep/rules/loader.h"
#include "leaksweep/rules/rule.h"

namespace leaksweep::fuzz {
namespace {

constexpr char kSource[] = "fuzz.yaml";
// Engines are built only for rule sets this small: Hyperscan compiles take milliseconds per
// pattern, and the point is the glue around it, not Hyperscan itself.
constexpr size_t kMaxEngineRules = 4;
constexpr size_t kMaxEnginePatternBytes = 256;

void CheckError(const Status& status) {
  const std::string& message = status.message();
  FUZZ_CHECK(message.rfind(std::string(kSource) + ":", 0) == 0,
             "error does not name the file: " + message);
  FUZZ_CHECK(message.size() > sizeof kSource &&
                 std::isdigit(static_cast<unsigned char>(message[sizeof kSource])),
             "error does not name the line: " + message);
}

void CheckRule(const Rule& rule) {
  FUZZ_CHECK(!rule.id.empty(), "a rule without an id");
  FUZZ_CHECK(!rule.examples.empty() && !rule.negative_examples.empty(), "examples missing");
  FUZZ_CHECK(rule.max_match_length >= 1 && rule.max_match_length <= (1u << 20),
             "max_match_length out of range");
  FUZZ_CHECK(rule.source_file == kSource && rule.source_line >= 1, "rule source");
  for (const ValidatorSpec& validator : rule.validators) {
    FUZZ_CHECK(static_cast<bool>(validator.accept), "validator not bound: " + validator.name);
    for (const auto* list : {&rule.examples, &rule.negative_examples}) {
      for (const std::string& example : *list) validator.accept(example);
    }
  }
}

void ScanExamples(const RuleSet& rules) {
  size_t pattern_bytes = 0;
  for (const Rule& rule : rules.rules())
    pattern_bytes += rule.pattern.size() + rule.prefilter.size();
  if (rules.size() > kMaxEngineRules || pattern_bytes > kMaxEnginePatternBytes) return;
  Result<std::shared_ptr<const Engine>> engine = Engine::Build(rules, EngineOptions{});
  if (!engine.ok()) return;  // a pattern that does not compile: an error, as it should be
  Scanner scanner(engine.value());
  for (const Rule& rule : rules.rules()) {
    for (const auto* list : {&rule.examples, &rule.negative_examples}) {
      for (const std::string& example : *list) {
        Result<BufferMatches> found = scanner.Scan(example);
        if (!found.ok()) continue;
        for (const Match& m : found->matches) {
          FUZZ_CHECK(m.rule_index < rules.size(), "rule index out of range");
          FUZZ_CHECK(m.start <= m.value_start && m.value_start < m.value_end &&
                         m.value_end <= m.end && m.end <= example.size(),
                     "match out of bounds");
        }
      }
    }
  }
}

}  // namespace
}  // namespace leaksweep::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace leaksweep;
  const std::string text(reinterpret_cast<const char*>(data), size);
  Result<std::vector<Rule>> parsed = ParseRuleFile(text, fuzz::kSource);
  if (!parsed.ok()) {
    fuzz::CheckError(parsed.status());
    return 0;
  }
  for (const Rule& rule : parsed.value()) fuzz::CheckRule(rule);
  RuleSet rules(std::move(parsed).value());
  FUZZ_CHECK(rules.digest().size() > 0 || rules.size() == 0, "rule set without a digest");
  rules.Infos();
  fuzz::ScanExamples(rules);
  return 0;
}
