#include "leaksweep/pipeline/findings.h"

#include <doctest/doctest.h>

#include "leaksweep/match/scanner.h"
#include "leaksweep/rules/loader.h"

using namespace leaksweep;

namespace {

std::shared_ptr<const Engine> TestEngine() {
  const char* yaml = R"(rules:
  - id: tok
    name: Token
    category: secret
    severity: high
    pattern: '\b(tk_[a-z0-9]{10})\b'
    examples: ['x']
    negative_examples: ['y']
  - id: ssn
    name: SSN
    category: pii
    severity: high
    pattern: '\b([0-9]{3}-[0-9]{2}-[0-9]{4})\b'
    examples: ['x']
    negative_examples: ['y']
  - id: block
    name: Block
    category: secret
    severity: high
    pattern: '(BEGIN[\s\S]{1,200}?END)'
    examples: ['x']
    negative_examples: ['y']
  - id: gen
    name: Generic value
    category: secret
    severity: low
    pattern: '^[ \t]*secret:[ \t]+([A-Za-z0-9+/=]{16,})[ \t]*$'
    examples: ['x']
    negative_examples: ['y']
  - id: b64
    name: Base64 value
    category: secret
    severity: info
    decode: base64
    pattern: '^[ \t]*[a-z]+:[ \t]+([A-Za-z0-9+/]{12,}={0,2})[ \t]*$'
    examples: ['x']
    negative_examples: ['y']
)";
  auto rules = ParseRuleFile(yaml, "t.yaml");
  REQUIRE(rules.ok());
  auto engine = Engine::Build(RuleSet(rules.value()), {});
  REQUIRE(engine.ok());
  return engine.value();
}

FileFindings FindIn(const std::string& data, const Policy& policy = Policy()) {
  static auto engine = TestEngine();
  Scanner scanner(engine);
  std::string_view text = data;
  std::string storage;
  auto scan = ScanText(scanner, &text, &storage);
  REQUIRE(scan.ok());
  return MakeFindings(engine->rules(), text, scan.value(), "f.txt", policy, FingerprintKey("k1"));
}

}  // namespace

TEST_CASE("positions are 1-based lines and code-point columns, across CRLF and UTF-8") {
  auto found = FindIn("first\r\n\xC3\xA9\xC3\xA9 tk_abcdef1234\r\n");
  REQUIRE(found.findings.size() == 1);
  const Finding& f = found.findings[0];
  CHECK(f.start == Position{2, 4});
  CHECK(f.end == Position{2, 16});
  CHECK(f.snippet == "\xC3\xA9\xC3\xA9 tk_abcdef1234");  // no CR in the snippet
}

TEST_CASE("a multi-line value ends on its last line") {
  auto found = FindIn("x\nBEGIN\nabc\nEND\n");
  REQUIRE(found.findings.size() == 1);
  CHECK(found.findings[0].start == Position{2, 1});
  CHECK(found.findings[0].end == Position{4, 3});
  CHECK(found.findings[0].redacted_snippet == "BEG…");
}

TEST_CASE("redaction keeps a short prefix and masks every value on the line") {
  auto found = FindIn("a=tk_abcdef1234 b=tk_zyxwvu9876 ssn=123-45-6789");
  REQUIRE(found.findings.size() == 3);
  for (const Finding& f : found.findings) {
    CHECK(f.redacted_snippet ==
          "a=tk_…"
          " b=tk_…"
          " ssn=12…");
    CHECK(f.redacted_snippet.find("abcdef") == std::string::npos);
  }
  CHECK(found.findings[0].redacted_value == "tk_…");
  CHECK(found.findings[2].redacted_value == "12…");
  CHECK(Redact("abc", Category::kSecret) == "…");  // never more than a quarter
}

TEST_CASE("a long line is cut around the value") {
  std::string line = std::string(500, 'a') + " tk_abcdef1234 " + std::string(500, 'b');
  auto found = FindIn(line);
  REQUIRE(found.findings.size() == 1);
  CHECK(found.findings[0].snippet.size() < 250);
  CHECK(found.findings[0].snippet.find("tk_abcdef1234") != std::string::npos);
  CHECK(found.findings[0].snippet.rfind("…", 0) == 0);
}

TEST_CASE("fingerprints survive moves; PII fingerprints are keyed") {
  auto here = FindIn("tk_abcdef1234 123-45-6789");
  auto there = FindIn("\n\n   other tk_abcdef1234\n 123-45-6789");
  REQUIRE(here.findings.size() == 2);
  REQUIRE(there.findings.size() == 2);
  CHECK(here.findings[0].fingerprint == there.findings[0].fingerprint);
  CHECK(here.findings[1].fingerprint == there.findings[1].fingerprint);
  CHECK(here.findings[0].fingerprint.size() == 32);

  FingerprintKey k1("k1"), k2("k2");
  CHECK(Fingerprint(Category::kPii, "ssn", "123-45-6789", k1) !=
        Fingerprint(Category::kPii, "ssn", "123-45-6789", k2));
  CHECK(Fingerprint(Category::kSecret, "tok", "tk_abcdef1234", k1) ==
        Fingerprint(Category::kSecret, "tok", "tk_abcdef1234", k2));
  CHECK(Fingerprint(Category::kSecret, "tok", "v", k1) !=
        Fingerprint(Category::kSecret, "other", "v", k1));
}

TEST_CASE("a value found by decoding is reported at the encoded text, masked in the snippet") {
  // "key: tk_abcdef1234" in base64, as in a Kubernetes Secret's data field.
  auto found = FindIn("data:\n  key: a2V5OiB0a19hYmNkZWYxMjM0\n");
  REQUIRE(found.findings.size() == 1);
  const Finding& f = found.findings[0];
  CHECK(f.rule_id == "tok");
  CHECK(f.value == "tk_abcdef1234");
  CHECK(f.encoding == "base64");
  CHECK(f.start == Position{2, 8});
  CHECK(f.redacted_snippet.find("a2V5OiB0") == std::string::npos);
  CHECK(FindIn("data:\n  key: bm90aGluZyBoZXJlIGF0IGFsbA==\n").findings.empty());
  // A rule matching the encoded text itself does not report it a second time...
  auto once = FindIn("data:\n  secret: a2V5OiB0a19hYmNkZWYxMjM0\n");
  REQUIRE(once.findings.size() == 1);
  CHECK(once.findings[0].rule_id == "tok");
  // ...but does when the encoded text decodes to nothing reportable.
  auto plain = FindIn("data:\n  secret: bm90aGluZyBoZXJlIGF0IGFsbA==\n");
  REQUIRE(plain.findings.size() == 1);
  CHECK(plain.findings[0].rule_id == "gen");
}

TEST_CASE("suppressed findings are counted, not reported") {
  ProjectConfig config;
  config.allow_values = {"^tk_zyx"};
  auto policy = Policy::Make(config, {});
  REQUIRE(policy.ok());
  auto found =
      FindIn("tk_abcdef1234 # leaksweep:allow\ntk_zyxwvu9876\ntk_qqqqqq1111\n", policy.value());
  CHECK(found.findings.size() == 1);
  CHECK(found.suppressed.suppressed_inline == 1);
  CHECK(found.suppressed.suppressed_config == 1);
}
