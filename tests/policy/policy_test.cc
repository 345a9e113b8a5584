#include "leaksweep/policy/policy.h"

#include <doctest/doctest.h>

#include "test_util.h"

using namespace leaksweep;
using leaksweep::testing::TempDir;

namespace {
Finding MakeFinding(const std::string& value, const std::string& fingerprint) {
  Finding finding;
  finding.value = value;
  finding.fingerprint = fingerprint;
  return finding;
}
}  // namespace

TEST_CASE("inline allow markers") {
  CHECK(HasInlineAllow("key = 'abc'  # leaksweep:allow"));
  CHECK(HasInlineAllow("key = 'abc'  // gitleaks:allow"));
  CHECK(HasInlineAllow("key = 'abc'  # pragma: allowlist secret"));
  CHECK_FALSE(HasInlineAllow("key = 'abc'  # allow"));
}

TEST_CASE("config files parse, and errors name file and line") {
  auto config = ParseProjectConfig(
      "disable_rules: [email-address]\nskip_paths:\n  - 'vendor/**'\nallow_values: ['^AKIA']\n",
      ".leaksweep.yaml");
  REQUIRE(config.ok());
  CHECK(config->disable_rules == std::vector<std::string>{"email-address"});
  CHECK(config->skip_paths == std::vector<std::string>{"vendor/**"});
  CHECK(config->allow_values == std::vector<std::string>{"^AKIA"});

  auto unknown = ParseProjectConfig("skip_paths: []\nignore: [x]\n", "c.yaml");
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.status().message().find("c.yaml:2: unknown field 'ignore'") == 0);
  auto not_list = ParseProjectConfig("skip_paths: vendor\n", "c.yaml");
  REQUIRE_FALSE(not_list.ok());
  CHECK(not_list.status().message().find("c.yaml:1:") == 0);
  CHECK_FALSE(ParseProjectConfig("skip_paths: [unclosed\n", "c.yaml").ok());
  CHECK(ParseProjectConfig("", "c.yaml").ok());
}

TEST_CASE("policy suppresses by inline marker, allowed value and baseline fingerprint") {
  ProjectConfig config;
  config.allow_values = {"^tk_test_"};
  auto policy = Policy::Make(config, {"fp-in-baseline"});
  REQUIRE(policy.ok());
  CHECK(policy->Check(MakeFinding("tk_live_1", "a"), HasInlineAllow("x # leaksweep:allow")) ==
        Suppression::kInline);
  CHECK(policy->Check(MakeFinding("tk_test_1", "a"), false) == Suppression::kConfig);
  CHECK(policy->Check(MakeFinding("tk_live_1", "fp-in-baseline"), false) == Suppression::kBaseline);
  CHECK(policy->Check(MakeFinding("tk_live_1", "other"), false) == Suppression::kNone);

  config.allow_values = {"(unclosed"};
  auto bad = Policy::Make(config, {});
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().message().find("allow_values pattern '(unclosed'") == 0);
}

TEST_CASE("baselines load from a JSON report or a JSONL stream") {
  TempDir dir;
  auto json =
      dir.Write("report.json", R"({"findings": [{"fingerprint": "aaa"}, {"fingerprint": "bbb"}]})");
  auto loaded = LoadBaseline(json);
  REQUIRE(loaded.ok());
  CHECK(loaded->size() == 2);
  CHECK(loaded->count("bbb") == 1);

  auto jsonl =
      dir.Write("report.jsonl", "{\"fingerprint\": \"ccc\"}\n\n{\"fingerprint\": \"ddd\"}\n");
  loaded = LoadBaseline(jsonl);
  REQUIRE(loaded.ok());
  CHECK(loaded->count("ddd") == 1);

  auto broken = dir.Write("broken.json", "{\"findings\": [\n");
  auto error = LoadBaseline(broken);
  REQUIRE_FALSE(error.ok());
  CHECK(error.status().message().find("broken.json:1:") != std::string::npos);
  CHECK_FALSE(LoadBaseline(dir.path() / "missing.json").ok());
}
