// Hand-built findings and summaries for the report writer tests. Every value is synthetic and
// assembled at run time, so this file does not itself look like it holds secrets.
#ifndef LEAKSWEEP_TESTS_REPORT_REPORT_FIXTURES_H_
#define LEAKSWEEP_TESTS_REPORT_REPORT_FIXTURES_H_

#include <sstream>
#include <string>
#include <vector>

#include "leaksweep/core/finding.h"
#include "leaksweep/core/report_data.h"
#include "leaksweep/core/version.h"
#include "leaksweep/report/writer.h"

namespace leaksweep::report_test {

// `prefix` followed by `length` made-up letters.
inline std::string FakeToken(const std::string& prefix, size_t length) {
  std::string token = prefix;
  const std::string letters = "QwErTyUiOpAsDfGhJkLzXcVbNm";
  for (size_t i = 0; i < length; ++i) token += letters[(i * 7) % letters.size()];
  return token;
}

inline std::string GithubToken() { return FakeToken("ghp_", 36); }
inline std::string AwsKeyId() { return FakeToken("AKIA", 16); }

inline Finding MakeFinding(std::string rule_id, std::string rule_name, Severity severity,
                           std::string path, Position start, std::string value,
                           std::string redacted_value, std::string line_before) {
  Finding finding;
  finding.rule_id = std::move(rule_id);
  finding.rule_name = std::move(rule_name);
  finding.severity = severity;
  finding.confidence = Confidence::kHigh;
  finding.path = std::move(path);
  finding.start = start;
  finding.end = {start.line, start.column + static_cast<uint32_t>(value.size()) - 1};
  finding.snippet = line_before + value + "\"";
  finding.redacted_snippet = line_before + redacted_value + "\"";
  finding.value = std::move(value);
  finding.redacted_value = std::move(redacted_value);
  finding.fingerprint = "fp-" + finding.rule_id + "-" + std::to_string(start.line);
  return finding;
}

// Three findings in two files, in report order.
inline std::vector<Finding> SampleFindings() {
  std::vector<Finding> findings;
  findings.push_back(MakeFinding("github-pat", "GitHub personal access token", Severity::kHigh,
                                 "src/app.py", {3, 9}, GithubToken(), "ghp_…", "token = \""));
  findings.push_back(MakeFinding("aws-access-key-id", "AWS access key ID", Severity::kCritical,
                                 "src/app.py", {7, 13}, AwsKeyId(), "AKIA…", "aws_key_id = \""));
  Finding email = MakeFinding("email", "Email address", Severity::kMedium, "docs/contact.md",
                              {1, 10}, "jane.doe@example.test", "j…@example.test", "contact: \"");
  email.category = Category::kPii;
  email.confidence = Confidence::kMedium;
  findings.push_back(email);
  return findings;
}

inline RuleInfo MakeRule(std::string id, std::string name, Category category, Severity severity,
                         std::string description, std::vector<std::string> references) {
  RuleInfo rule;
  rule.id = std::move(id);
  rule.name = std::move(name);
  rule.category = category;
  rule.severity = severity;
  rule.description = std::move(description);
  rule.references = std::move(references);
  return rule;
}

// Rules in an order unrelated to the findings', so that ruleIndex is not trivially 0, 1, 2.
inline ScanSummary SampleSummary() {
  ScanSummary summary;
  summary.tool_version = kVersion;
  summary.rules_digest = "sha256:0123abcd";
  summary.rules = {
      MakeRule("slack-token", "Slack token", Category::kSecret, Severity::kHigh, "", {}),
      MakeRule("email", "Email address", Category::kPii, Severity::kMedium, "", {}),
      MakeRule("aws-access-key-id", "AWS access key ID", Category::kSecret, Severity::kCritical,
               "An AWS access key ID.", {"https://docs.aws.amazon.com/keys"}),
      MakeRule("github-pat", "GitHub personal access token", Category::kSecret, Severity::kHigh,
               "A classic GitHub personal access token.",
               {"https://docs.github.com/tokens", "https://example.test/second"}),
  };
  summary.stats = {/*files_scanned=*/12,     /*bytes_scanned=*/3456,
                   /*findings=*/3,
                   /*suppressed_inline=*/1,  /*suppressed_config=*/0,
                   /*suppressed_baseline=*/2};
  summary.skipped = {{"assets/logo.png", SkipReason::kBinary}, {"dump.sql", SkipReason::kTooLarge}};
  summary.errors = {{"secret/locked.txt", "permission denied"}};
  return summary;
}

inline std::string Render(ReportFormat format, const std::vector<Finding>& findings,
                          const ScanSummary& summary, ReportOptions options = {}) {
  std::ostringstream out;
  std::unique_ptr<ReportWriter> writer = MakeReportWriter(format, out, options);
  for (const Finding& finding : findings) writer->AddFinding(finding);
  writer->Finish(summary);
  return out.str();
}

inline ReportOptions ShowSecrets() {
  ReportOptions options;
  options.show_secrets = true;
  return options;
}

}  // namespace leaksweep::report_test

#endif  // LEAKSWEEP_TESTS_REPORT_REPORT_FIXTURES_H_
