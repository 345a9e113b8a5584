// The `sarif` format: SARIF 2.1.0 structure, rule descriptors, results and redaction.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "report_fixtures.h"

namespace leaksweep::report_test {
namespace {

using nlohmann::json;

json RenderSarif(const std::vector<Finding>& findings, const ScanSummary& summary,
                 ReportOptions options = {}) {
  return json::parse(Render(ReportFormat::kSarif, findings, summary, options));
}

// By value: callers often pass a temporary log.
json OnlyRun(json log) {
  REQUIRE(log["runs"].size() == 1);
  return log["runs"][0];
}

TEST_CASE("sarif: log and run envelope") {
  json log = RenderSarif(SampleFindings(), SampleSummary());
  CHECK(log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json");
  CHECK(log["version"] == "2.1.0");
  json run = OnlyRun(log);
  json driver = run["tool"]["driver"];
  CHECK(driver["name"] == "leaksweep");
  CHECK(driver["version"] == kVersion);
  CHECK(driver["informationUri"].is_string());
  CHECK(run["columnKind"] == "unicodeCodePoints");
}

TEST_CASE("sarif: one reporting descriptor per rule") {
  const ScanSummary summary = SampleSummary();
  json rules = OnlyRun(RenderSarif({}, summary))["tool"]["driver"]["rules"];
  REQUIRE(rules.size() == summary.rules.size());
  for (size_t i = 0; i < rules.size(); ++i) CHECK(rules[i]["id"] == summary.rules[i].id);

  json email = rules[1];  // no description, no references
  CHECK(email["name"] == "Email address");
  CHECK(email["shortDescription"]["text"] == "Email address");
  CHECK(email["fullDescription"]["text"] == "Email address");
  CHECK_FALSE(email.contains("helpUri"));
  CHECK(email["defaultConfiguration"]["level"] == "warning");
  CHECK(email["properties"]["tags"] == json::array({"security", "pii"}));
  CHECK(email["properties"]["security-severity"] == "5.5");

  json aws = rules[2];
  CHECK(aws["fullDescription"]["text"] == "An AWS access key ID.");
  CHECK(aws["helpUri"] == "https://docs.aws.amazon.com/keys");
  CHECK(aws["defaultConfiguration"]["level"] == "error");
  CHECK(aws["properties"]["tags"] == json::array({"security", "secret"}));
  CHECK(aws["properties"]["security-severity"] == "9.5");

  json github = rules[3];
  CHECK(github["helpUri"] == "https://docs.github.com/tokens");  // the first reference
  CHECK(github["defaultConfiguration"]["level"] == "error");
  CHECK(github["properties"]["security-severity"] == "8.0");
}

TEST_CASE("sarif: levels and security-severity for every severity") {
  const std::pair<Severity, std::pair<const char*, const char*>> expected[] = {
      {Severity::kCritical, {"error", "9.5"}}, {Severity::kHigh, {"error", "8.0"}},
      {Severity::kMedium, {"warning", "5.5"}}, {Severity::kLow, {"note", "3.0"}},
      {Severity::kInfo, {"note", "1.0"}},
  };
  for (const auto& [severity, level_and_score] : expected) {
    ScanSummary summary = SampleSummary();
    summary.rules = {MakeRule("r", "R", Category::kSecret, severity, "", {})};
    Finding finding = SampleFindings()[0];
    finding.rule_id = "r";
    finding.severity = severity;
    json run = OnlyRun(RenderSarif({finding}, summary));
    json rule = run["tool"]["driver"]["rules"][0];
    CHECK(rule["defaultConfiguration"]["level"] == level_and_score.first);
    CHECK(rule["properties"]["security-severity"] == level_and_score.second);
    CHECK(run["results"][0]["level"] == level_and_score.first);
  }
}

TEST_CASE("sarif: results point at their rule and region") {
  const std::vector<Finding> findings = SampleFindings();
  json results = OnlyRun(RenderSarif(findings, SampleSummary()))["results"];
  REQUIRE(results.size() == findings.size());

  json github = results[0];
  CHECK(github["ruleId"] == "github-pat");
  CHECK(github["ruleIndex"] == 3);
  CHECK(github["level"] == "error");
  CHECK(github["message"]["text"] == "GitHub personal access token found: ghp_…");
  json location = github["locations"][0]["physicalLocation"];
  CHECK(location["artifactLocation"]["uri"] == "src/app.py");
  json region = location["region"];
  CHECK(region["startLine"] == 3);
  CHECK(region["startColumn"] == 9);
  CHECK(region["endLine"] == 3);
  CHECK(region["endColumn"] == findings[0].end.column + 1);  // exclusive
  CHECK(region["endColumn"] == 9 + 40);                      // 40 code points long
  CHECK(github["partialFingerprints"]["leaksweep/v1"] == findings[0].fingerprint);
  CHECK(github["properties"]["confidence"] == "high");
  CHECK(github["properties"]["category"] == "secret");

  CHECK(results[1]["ruleIndex"] == 2);
  CHECK(results[2]["ruleIndex"] == 1);
  CHECK(results[2]["properties"]["category"] == "pii");
  CHECK(results[2]["properties"]["confidence"] == "medium");
  CHECK(results[2]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] ==
        "docs/contact.md");
}

TEST_CASE("sarif: a finding of an unknown rule has no ruleIndex") {
  Finding finding = SampleFindings()[0];
  finding.rule_id = "not-in-summary";
  json result = OnlyRun(RenderSarif({finding}, SampleSummary()))["results"][0];
  CHECK(result["ruleId"] == "not-in-summary");
  CHECK_FALSE(result.contains("ruleIndex"));
}

TEST_CASE("sarif: no raw value or snippet unless show_secrets") {
  const std::vector<Finding> findings = SampleFindings();
  const std::string redacted = Render(ReportFormat::kSarif, findings, SampleSummary());
  for (const Finding& finding : findings) {
    CHECK(redacted.find(finding.value) == std::string::npos);
    CHECK(redacted.find(finding.snippet) == std::string::npos);
  }
  json results = OnlyRun(json::parse(redacted))["results"];
  for (json& result : results) {
    json location = result["locations"][0]["physicalLocation"];
    CHECK_FALSE(location["region"].contains("snippet"));
    CHECK_FALSE(location.contains("contextRegion"));
  }
}

TEST_CASE("sarif: show_secrets puts the raw value in the message and snippets") {
  const std::vector<Finding> findings = SampleFindings();
  json results = OnlyRun(RenderSarif(findings, SampleSummary(), ShowSecrets()))["results"];
  json location = results[0]["locations"][0]["physicalLocation"];
  CHECK(results[0]["message"]["text"] ==
        "GitHub personal access token found: " + findings[0].value);
  CHECK(location["region"]["snippet"]["text"] == findings[0].value);
  CHECK(location["contextRegion"]["snippet"]["text"] == findings[0].snippet);
  CHECK(location["contextRegion"]["startLine"] == 3);
}

TEST_CASE("sarif: invocation reports errors as notifications") {
  json run = OnlyRun(RenderSarif(SampleFindings(), SampleSummary()));
  json invocation = run["invocations"][0];
  CHECK(invocation["executionSuccessful"] == false);
  REQUIRE(invocation["toolExecutionNotifications"].size() == 1);
  json notification = invocation["toolExecutionNotifications"][0];
  CHECK(notification["level"] == "error");
  CHECK(notification["message"]["text"] == "permission denied");
  CHECK(notification["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] ==
        "secret/locked.txt");

  ScanSummary clean = SampleSummary();
  clean.errors.clear();
  json clean_invocation = OnlyRun(RenderSarif({}, clean))["invocations"][0];
  CHECK(clean_invocation["executionSuccessful"] == true);
  CHECK(clean_invocation["toolExecutionNotifications"] == json::array());
  CHECK(OnlyRun(RenderSarif({}, clean))["results"] == json::array());
}

TEST_CASE("sarif: paths become percent-encoded relative URIs") {
  Finding finding = SampleFindings()[0];
  finding.path = "my dir/r\xc3\xa9sum\xc3\xa9 #1?%.txt";
  ScanSummary summary = SampleSummary();
  summary.errors = {{"bad\xff\n\x1b.txt", "unreadable \xff"}};
  const std::string text = Render(ReportFormat::kSarif, {finding}, summary);
  json log;
  REQUIRE_NOTHROW(log = json::parse(text));
  json run = OnlyRun(log);
  CHECK(run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] ==
        "my%20dir/r%C3%A9sum%C3%A9%20%231%3F%25.txt");
  json notification = run["invocations"][0]["toolExecutionNotifications"][0];
  CHECK(notification["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] ==
        "bad%FF%0A%1B.txt");
  CHECK(notification["message"]["text"] == "unreadable \xc3\xbf");
}

}  // namespace
}  // namespace leaksweep::report_test
