// The `human` format: grouping, summary, redaction, colour and terminal safety.
#include <doctest/doctest.h>

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include "report_fixtures.h"

namespace leaksweep::report_test {
namespace {

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

size_t CountLinesEqualTo(const std::string& text, const std::string& wanted) {
  const std::vector<std::string> lines = Lines(text);
  return std::count(lines.begin(), lines.end(), wanted);
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST_CASE("human: findings grouped under one header per file") {
  const std::string text = Render(ReportFormat::kHuman, SampleFindings(), SampleSummary());
  CHECK(CountLinesEqualTo(text, "src/app.py") == 1);
  CHECK(CountLinesEqualTo(text, "docs/contact.md") == 1);
  CHECK(text.starts_with("src/app.py\n"));
  CHECK(text.find("docs/contact.md\n") > text.find("AWS access key ID"));
  CHECK(
      Contains(text, "HIGH     GitHub personal access token (github-pat) at 3:9, confidence high"));
  CHECK(Contains(text, "CRITICAL AWS access key ID (aws-access-key-id) at 7:13, confidence high"));
  CHECK(Contains(text, "fingerprint: fp-github-pat-3"));
}

TEST_CASE("human: a file seen again after another gets a header again") {
  // Report order groups files, but the writer must not merge what it was not given together.
  std::vector<Finding> findings = SampleFindings();
  findings.push_back(findings[0]);
  const std::string text = Render(ReportFormat::kHuman, findings, SampleSummary());
  CHECK(CountLinesEqualTo(text, "src/app.py") == 2);
}

TEST_CASE("human: no position printed when it is unknown") {
  Finding finding = SampleFindings()[0];
  finding.start = {};
  finding.end = {};
  const std::string text = Render(ReportFormat::kHuman, {finding}, SampleSummary());
  CHECK(Contains(text, "(github-pat), confidence high\n"));
}

TEST_CASE("human: redacted by default, raw with show_secrets") {
  const std::vector<Finding> findings = SampleFindings();
  const std::string redacted = Render(ReportFormat::kHuman, findings, SampleSummary());
  const std::string raw = Render(ReportFormat::kHuman, findings, SampleSummary(), ShowSecrets());
  for (const Finding& finding : findings) {
    CHECK_FALSE(Contains(redacted, finding.value));
    CHECK_FALSE(Contains(redacted, finding.snippet));
    CHECK(Contains(redacted, finding.redacted_snippet));
    CHECK(Contains(raw, finding.value));
    CHECK(Contains(raw, finding.snippet));
  }
}

TEST_CASE("human: summary counts by severity and by rule") {
  std::vector<Finding> findings = SampleFindings();
  findings.push_back(findings[0]);  // github-pat twice
  const std::string text = Render(ReportFormat::kHuman, findings, SampleSummary());
  CHECK(CountLinesEqualTo(text, "4 findings: 1 critical, 2 high, 1 medium") == 1);
  // By count, then by id.
  const size_t github = text.find("\n  github-pat: 2\n");
  const size_t aws = text.find("\n  aws-access-key-id: 1\n");
  const size_t email = text.find("\n  email: 1\n");
  REQUIRE(github != std::string::npos);
  REQUIRE(aws != std::string::npos);
  REQUIRE(email != std::string::npos);
  CHECK(github < aws);
  CHECK(aws < email);
  CHECK(CountLinesEqualTo(text, "Scanned 12 files (3456 bytes).") == 1);
  CHECK(CountLinesEqualTo(text, "Suppressed: 1 inline, 2 by baseline.") == 1);
  CHECK(CountLinesEqualTo(text, "error: secret/locked.txt: permission denied") == 1);
}

TEST_CASE("human: an empty scan says so") {
  ScanSummary summary;
  summary.tool_version = kVersion;
  const std::string text = Render(ReportFormat::kHuman, {}, summary);
  CHECK(text == "No findings.\nScanned 0 files (0 bytes).\n");
}

TEST_CASE("human: skipped files are counted by reason, at most 10 listed per reason") {
  ScanSummary summary = SampleSummary();
  summary.skipped.clear();
  for (int i = 0; i < 13; ++i) {
    summary.skipped.push_back({"bin/" + std::to_string(i) + ".dat", SkipReason::kBinary});
  }
  summary.skipped.push_back({"link", SkipReason::kSymlink});
  const std::string text = Render(ReportFormat::kHuman, {}, summary);
  CHECK(CountLinesEqualTo(text, "Skipped 14 files:") == 1);
  CHECK(CountLinesEqualTo(text, "  binary: 13") == 1);
  CHECK(CountLinesEqualTo(text, "    bin/9.dat") == 1);
  CHECK_FALSE(Contains(text, "bin/10.dat"));
  CHECK(CountLinesEqualTo(text, "    … and 3 more (see --format json)") == 1);
  CHECK(CountLinesEqualTo(text, "  symlink: 1") == 1);
  CHECK(CountLinesEqualTo(text, "    link") == 1);
}

TEST_CASE("human: hostile paths, snippets and messages cannot drive the terminal") {
  Finding finding = SampleFindings()[0];
  finding.path = "evil\x1b[2J\nfake.py\r\x07\xff";
  finding.redacted_snippet = "x = \"\x1b]0;title\x07\"\tdone";
  ScanSummary summary = SampleSummary();
  summary.errors = {{"err\x1b[31m.txt", "bad\nerror: forged line"}};
  summary.skipped = {{"skip\x1b\n.bin", SkipReason::kBinary}};

  const std::string text = Render(ReportFormat::kHuman, {finding}, summary);
  CHECK(text.find('\x1b') == std::string::npos);
  CHECK(text.find('\r') == std::string::npos);
  CHECK(text.find('\x07') == std::string::npos);
  CHECK(CountLinesEqualTo(text, R"(evil\x1b[2J\nfake.py\r\x07\xff)") == 1);
  CHECK(Contains(text, R"(x = "\x1b]0;title\x07"\tdone)"));
  CHECK(CountLinesEqualTo(text, R"(error: err\x1b[31m.txt: bad\nerror: forged line)") == 1);
  CHECK(CountLinesEqualTo(text, R"(    skip\x1b\n.bin)") == 1);
}

TEST_CASE("human: colour only when asked") {
  const std::string plain = Render(ReportFormat::kHuman, SampleFindings(), SampleSummary());
  CHECK(plain.find('\x1b') == std::string::npos);

  ReportOptions options;
  options.color = true;
  const std::string colored =
      Render(ReportFormat::kHuman, SampleFindings(), SampleSummary(), options);
  CHECK(Contains(colored, "\x1b[1;31mCRITICAL\x1b[0m"));
  CHECK(Contains(colored, "\x1b[31mHIGH    \x1b[0m"));
  CHECK(Contains(colored, "\x1b[33mMEDIUM  \x1b[0m"));
}

TEST_CASE("human: colour codes never come from the data") {
  Finding finding = SampleFindings()[0];
  finding.path = "a\x1b[0m.py";
  ReportOptions options;
  options.color = true;
  const std::string text = Render(ReportFormat::kHuman, {finding}, SampleSummary(), options);
  CHECK(Contains(text, R"(a\x1b[0m.py)"));
  CHECK_FALSE(Contains(text, "a\x1b[0m.py"));
}

}  // namespace
}  // namespace leaksweep::report_test
