// The `json` and `jsonl` formats: structure, field types, redaction and escaping.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <sstream>
#include <streambuf>
#include <string>
#include <vector>

#include "report_fixtures.h"

namespace leaksweep::report_test {
namespace {

using nlohmann::json;
using std::string_literals::operator""s;

const std::vector<std::string> kFindingKeys = {
    "rule_id", "rule_name", "category", "severity",   "confidence", "likely_test", "path",
    "line",    "column",    "end_line", "end_column", "value",      "snippet",     "fingerprint"};

// Keys in document order (nlohmann::ordered_json keeps it; nlohmann::json would sort them).
std::vector<std::string> KeysInOrder(const nlohmann::ordered_json& object) {
  std::vector<std::string> keys;
  for (const auto& item : object.items()) keys.push_back(item.key());
  return keys;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

void CheckFindingObject(json object, const Finding& finding, bool show_secrets) {
  CHECK(object.size() == kFindingKeys.size());
  CHECK(object["rule_id"] == finding.rule_id);
  CHECK(object["rule_name"] == finding.rule_name);
  CHECK(object["category"] == std::string(ToString(finding.category)));
  CHECK(object["severity"] == std::string(ToString(finding.severity)));
  CHECK(object["confidence"] == std::string(ToString(finding.confidence)));
  CHECK(object["path"] == finding.path);
  CHECK(object["line"].is_number_unsigned());
  CHECK(object["line"] == finding.start.line);
  CHECK(object["column"] == finding.start.column);
  CHECK(object["end_line"] == finding.end.line);
  CHECK(object["end_column"] == finding.end.column);
  CHECK(object["value"] == (show_secrets ? finding.value : finding.redacted_value));
  CHECK(object["snippet"] == (show_secrets ? finding.snippet : finding.redacted_snippet));
  CHECK(object["fingerprint"] == finding.fingerprint);
}

TEST_CASE("json: one document with the documented fields, in order") {
  const std::vector<Finding> findings = SampleFindings();
  const ScanSummary summary = SampleSummary();
  const std::string text = Render(ReportFormat::kJson, findings, summary);
  json doc = json::parse(text);
  auto ordered = nlohmann::ordered_json::parse(text);

  // Same layout as nlohmann's 2-space dump, so: keys in order, 2-space indentation.
  CHECK(ordered.dump(2) + "\n" == text);
  CHECK(KeysInOrder(ordered) ==
        std::vector<std::string>{"tool", "rules_digest", "stats", "findings", "skipped", "errors"});
  CHECK(KeysInOrder(ordered["stats"]) ==
        std::vector<std::string>{"files_scanned", "bytes_scanned", "findings", "suppressed_inline",
                                 "suppressed_config", "suppressed_baseline"});
  for (const auto& finding : ordered["findings"]) CHECK(KeysInOrder(finding) == kFindingKeys);
  CHECK(doc["tool"] == json{{"name", "leaksweep"}, {"version", kVersion}});
  CHECK(doc["rules_digest"] == "sha256:0123abcd");
  CHECK(doc["stats"] == json{{"files_scanned", 12},
                             {"bytes_scanned", 3456},
                             {"findings", 3},
                             {"suppressed_inline", 1},
                             {"suppressed_config", 0},
                             {"suppressed_baseline", 2}});
  REQUIRE(doc["findings"].size() == findings.size());
  for (size_t i = 0; i < findings.size(); ++i)
    CheckFindingObject(doc["findings"][i], findings[i], false);
  CHECK(doc["skipped"] == json::parse(R"([{"path": "assets/logo.png", "reason": "binary"},
                                          {"path": "dump.sql", "reason": "too-large"}])"));
  CHECK(doc["errors"] == json::parse(R"([{"path": "secret/locked.txt",
                                          "message": "permission denied"}])"));
}

TEST_CASE("json: redacted by default, raw with show_secrets") {
  const std::vector<Finding> findings = SampleFindings();
  const std::string redacted = Render(ReportFormat::kJson, findings, SampleSummary());
  const std::string raw = Render(ReportFormat::kJson, findings, SampleSummary(), ShowSecrets());
  for (const Finding& finding : findings) {
    CHECK(redacted.find(finding.value) == std::string::npos);
    CHECK(raw.find(finding.value) != std::string::npos);
  }
  json doc = json::parse(raw);
  for (size_t i = 0; i < findings.size(); ++i)
    CheckFindingObject(doc["findings"][i], findings[i], true);
}

TEST_CASE("json: empty scan has empty arrays") {
  ScanSummary summary;
  summary.tool_version = kVersion;
  json doc = json::parse(Render(ReportFormat::kJson, {}, summary));
  CHECK(doc["findings"] == json::array());
  CHECK(doc["skipped"] == json::array());
  CHECK(doc["errors"] == json::array());
  CHECK(doc["stats"]["findings"] == 0);
}

TEST_CASE("json: hostile bytes in paths, snippets and messages still give valid JSON") {
  Finding finding = SampleFindings()[0];
  finding.path = "dir/\xff\xfe name \"q\" \\ \x1b[31m\n\x7f.txt";
  finding.redacted_snippet = "tab\there \xc3( nul\0 \xed\xa0\x80 caf\xc3\xa9"s;
  ScanSummary summary = SampleSummary();
  summary.errors = {{"bad\xc0\xaf", "message with \"quotes\" and \x01"}};

  const std::string text = Render(ReportFormat::kJson, {finding}, summary);
  json doc;
  REQUIRE_NOTHROW(doc = json::parse(text));
  CHECK(doc["findings"][0]["path"] == "dir/\xc3\xbf\xc3\xbe name \"q\" \\ \x1b[31m\n\x7f.txt");
  CHECK(doc["findings"][0]["snippet"] ==
        "tab\there \xc3\x83( nul\0 \xc3\xad\xc2\xa0\xc2\x80 caf\xc3\xa9"s);
  CHECK(doc["errors"][0]["path"] == "bad\xc3\x80\xc2\xaf");
  CHECK(doc["errors"][0]["message"] == "message with \"quotes\" and \x01");
}

TEST_CASE("json: git provenance and other locations keep the document's layout") {
  std::vector<Finding> findings = SampleFindings();
  for (size_t i = 0; i < 2; ++i) {
    GitProvenance git;
    git.blob = std::string(40, 'b');
    git.commit = std::string(40, static_cast<char>('1' + i));
    git.author_name = "Ada \"Quoted\" Lovelace";
    git.author_email = "ada@example.invalid";
    git.date = "2020-01-02T03:04:05+00:00";
    git.summary = "Add config";
    git.in_head = i == 0;
    git.paths = 2;
    git.commits = 3;
    findings[i].git = std::make_shared<const GitProvenance>(git);
    for (uint32_t k = 0; k < i + 2; ++k) {
      findings[i].other_locations.push_back(
          {"old/path" + std::to_string(k), {k + 1, 2}, std::string(40, 'c'), git.blob, k == 0});
    }
  }
  const std::string text = Render(ReportFormat::kJson, findings, SampleSummary());
  auto ordered = nlohmann::ordered_json::parse(text);
  CHECK(ordered.dump(2) + "\n" == text);  // nested arrays indented like the rest
  json doc = json::parse(text);
  REQUIRE(doc["findings"].size() == findings.size());
  CHECK(doc["findings"][0]["author"] == "Ada \"Quoted\" Lovelace");
  CHECK(doc["findings"][1]["commit"] == std::string(40, '2'));
  CHECK(doc["findings"][1]["other_locations"].size() == 3);
  CHECK(doc["findings"][1]["other_locations"][2]["line"] == 3);
  CHECK(!doc["findings"][2].contains("other_locations"));
}

// A stream buffer that holds what is written until the stream is flushed, and keeps what was
// passed on by then.
class HoldingBuffer : public std::streambuf {
 public:
  HoldingBuffer() { setp(held_, held_ + sizeof(held_)); }
  const std::string& passed_on() const { return passed_on_; }

 protected:
  int sync() override {
    passed_on_.append(pbase(), pptr());
    setp(held_, held_ + sizeof(held_));
    return 0;
  }
  int_type overflow(int_type c) override {
    sync();
    if (!traits_type::eq_int_type(c, traits_type::eof())) sputc(traits_type::to_char_type(c));
    return traits_type::not_eof(c);
  }

 private:
  char held_[1 << 16];
  std::string passed_on_;
};

TEST_CASE("jsonl: findings are passed on at each Flush, not a write per finding") {
  const std::vector<Finding> findings = SampleFindings();
  REQUIRE(findings.size() >= 3);
  HoldingBuffer buffer;
  std::ostream out(&buffer);
  std::unique_ptr<ReportWriter> writer = MakeReportWriter(ReportFormat::kJsonl, out, {});
  writer->AddFinding(findings[0]);
  writer->AddFinding(findings[1]);
  CHECK(buffer.passed_on().empty());
  writer->Flush();
  CHECK(Lines(buffer.passed_on()).size() == 2);
  writer->AddFinding(findings[2]);
  CHECK(Lines(buffer.passed_on()).size() == 2);
  writer->Finish(SampleSummary());
  CHECK(Lines(buffer.passed_on()).size() == 3);
}

TEST_CASE("jsonl: one compact finding per line, streamed") {
  const std::vector<Finding> findings = SampleFindings();
  std::ostringstream out;
  std::unique_ptr<ReportWriter> writer = MakeReportWriter(ReportFormat::kJsonl, out, {});
  writer->AddFinding(findings[0]);
  // Written as soon as it is added, not at Finish.
  REQUIRE(Lines(out.str()).size() == 1);
  for (size_t i = 1; i < findings.size(); ++i) writer->AddFinding(findings[i]);
  const std::string before_finish = out.str();
  writer->Finish(SampleSummary());
  CHECK(out.str() == before_finish);  // the summary is not part of the stream

  const std::vector<std::string> lines = Lines(out.str());
  REQUIRE(lines.size() == findings.size());
  for (size_t i = 0; i < lines.size(); ++i) {
    auto ordered = nlohmann::ordered_json::parse(lines[i]);
    CHECK(ordered.dump() == lines[i]);  // compact: no whitespace between tokens
    CHECK(KeysInOrder(ordered) == kFindingKeys);
    CheckFindingObject(json::parse(lines[i]), findings[i], false);
  }
}

TEST_CASE("jsonl: redaction, show_secrets and hostile bytes") {
  std::vector<Finding> findings = SampleFindings();
  findings[1].path = "line\nbreak\xff.py";
  const std::string redacted = Render(ReportFormat::kJsonl, findings, SampleSummary());
  const std::string raw = Render(ReportFormat::kJsonl, findings, SampleSummary(), ShowSecrets());
  CHECK(Lines(redacted).size() == findings.size());  // the newline in a path stays escaped
  for (const Finding& finding : findings) {
    CHECK(redacted.find(finding.value) == std::string::npos);
    CHECK(redacted.find(finding.snippet) == std::string::npos);
    CHECK(raw.find(finding.value) != std::string::npos);
  }
  const std::vector<std::string> raw_lines = Lines(raw);
  REQUIRE(raw_lines.size() == findings.size());
  CHECK(json::parse(raw_lines[1])["path"] == "line\nbreak\xc3\xbf.py");
  CheckFindingObject(json::parse(raw_lines[0]), findings[0], true);
  CheckFindingObject(json::parse(raw_lines[2]), findings[2], true);
}

}  // namespace
}  // namespace leaksweep::report_test
