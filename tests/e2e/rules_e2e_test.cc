#include <doctest/doctest.h>

#include "test_util.h"

using leaksweep::testing::CommandResult;
using leaksweep::testing::RunLeaksweep;
using leaksweep::testing::SignaturesDir;
using leaksweep::testing::TempDir;

TEST_CASE("rules check passes on the shipped signatures: every example and negative example") {
  CommandResult result = RunLeaksweep({"rules", "check", SignaturesDir().string()});
  INFO(result.out);
  CHECK(result.exit_code == 0);
  CHECK(result.out.find("all passed") != std::string::npos);
}

TEST_CASE("rules check fails on a rule whose examples do not behave") {
  TempDir dir;
  dir.Write("r.yaml", R"(rules:
  - id: demo
    name: Demo
    category: secret
    severity: low
    pattern: '\b(demo_[0-9]{4})\b'
    examples: ['demo_1234', 'demo_12']
    negative_examples: ['demo_9999']
)");
  CommandResult result = RunLeaksweep({"rules", "check", dir.path().string()});
  CHECK(result.exit_code == 1);
  CHECK(result.out.find("rule 'demo': example 2 is not found") != std::string::npos);
  CHECK(result.out.find("rule 'demo': negative example 1 is found") != std::string::npos);
}

TEST_CASE("rules list shows every shipped rule") {
  CommandResult result = RunLeaksweep({"rules", "list"});
  CHECK(result.exit_code == 0);
  CHECK(result.out.find("github-classic-pat") != std::string::npos);
  CHECK(result.out.find("payment-card-number") != std::string::npos);
}
