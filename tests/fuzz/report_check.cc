#include "report_check.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_util.h"

namespace leaksweep::fuzz {
namespace {

// Decodes UTF-8 strictly (RFC 3629: no overlong forms, surrogates or code points past
// U+10FFFF); written here independently of the code under test. Returns false on invalid input.
bool DecodeUtf8Strict(std::string_view text, std::u32string* out) {
  for (size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    size_t length = lead < 0x80           ? 1
                    : (lead >> 5) == 0x6  ? 2
                    : (lead >> 4) == 0xE  ? 3
                    : (lead >> 3) == 0x1E ? 4
                                          : 0;
    if (length == 0 || i + length > text.size()) return false;
    char32_t cp = length == 1 ? lead : lead & (0xFF >> (length + 1));
    for (size_t k = 1; k < length; ++k) {
      const auto byte = static_cast<unsigned char>(text[i + k]);
      if ((byte & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (byte & 0x3F);
    }
    const char32_t min_for_length[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min_for_length[length] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    if (out != nullptr) out->push_back(cp);
    i += length;
  }
  return true;
}

bool IsUtf8(std::string_view text) { return DecodeUtf8Strict(text, nullptr); }

std::string PercentDecode(std::string_view uri) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  std::string out;
  for (size_t i = 0; i < uri.size(); ++i) {
    if (uri[i] == '%' && i + 2 < uri.size() && hex(uri[i + 1]) >= 0 && hex(uri[i + 2]) >= 0) {
      out += static_cast<char>(hex(uri[i + 1]) * 16 + hex(uri[i + 2]));
      i += 2;
    } else {
      out += uri[i];
    }
  }
  return out;
}

nlohmann::json ParseOrFail(const std::string& text, const char* format) {
  nlohmann::json doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) Fail(std::string(format) + " output is not valid JSON:\n" + text);
  return doc;
}

// A string member that went in as `expected`: equal when `expected` is UTF-8 (the writers
// keep UTF-8 as it is), else at least a string.
void CheckStringField(const nlohmann::json& object, const char* key, std::string_view expected,
                      const char* format) {
  FUZZ_CHECK(object.is_object() && object.contains(key) && object.at(key).is_string(),
             std::string(format) + ": missing string '" + key + "'");
  if (IsUtf8(expected)) {
    FUZZ_CHECK(object.at(key).get<std::string>() == expected,
               std::string(format) + ": '" + key + "' does not round-trip");
  }
}

void CheckJsonFinding(const nlohmann::json& json, const Finding& finding,
                      const ReportOptions& options, const char* format) {
  CheckStringField(json, "rule_id", finding.rule_id, format);
  CheckStringField(json, "path", finding.path, format);
  CheckStringField(json, "value", options.show_secrets ? finding.value : finding.redacted_value,
                   format);
  CheckStringField(json, "snippet",
                   options.show_secrets ? finding.snippet : finding.redacted_snippet, format);
  CheckStringField(json, "fingerprint", finding.fingerprint, format);
  FUZZ_CHECK(json.at("line") == finding.start.line && json.at("end_column") == finding.end.column,
             std::string(format) + ": positions do not round-trip");
  if (finding.git) {
    CheckStringField(json, "commit", finding.git->commit, format);
    CheckStringField(json, "author", finding.git->author_name, format);
    CheckStringField(json, "commit_summary", finding.git->summary, format);
    FUZZ_CHECK(json.at("other_locations").size() == finding.other_locations.size(),
               std::string(format) + ": other_locations count");
  }
}

std::string Write(ReportFormat format, const std::vector<Finding>& findings,
                  const ScanSummary& summary, const ReportOptions& options) {
  std::ostringstream out;
  std::unique_ptr<ReportWriter> writer = MakeReportWriter(format, out, options);
  for (const Finding& finding : findings) writer->AddFinding(finding);
  writer->Finish(summary);
  return out.str();
}

void CheckJson(const std::vector<Finding>& findings, const ScanSummary& summary,
               const ReportOptions& options) {
  nlohmann::json doc = ParseOrFail(Write(ReportFormat::kJson, findings, summary, options), "json");
  FUZZ_CHECK(doc.at("findings").size() == findings.size(), "json: finding count");
  for (size_t i = 0; i < findings.size(); ++i) {
    CheckJsonFinding(doc.at("findings")[i], findings[i], options, "json");
  }
  FUZZ_CHECK(doc.at("skipped").size() == summary.skipped.size(), "json: skipped count");
  for (size_t i = 0; i < summary.skipped.size(); ++i) {
    CheckStringField(doc.at("skipped")[i], "path", summary.skipped[i].path, "json");
  }
  FUZZ_CHECK(doc.at("errors").size() == summary.errors.size(), "json: error count");
  for (size_t i = 0; i < summary.errors.size(); ++i) {
    CheckStringField(doc.at("errors")[i], "path", summary.errors[i].path, "json");
    CheckStringField(doc.at("errors")[i], "message", summary.errors[i].message, "json");
  }
  CheckStringField(doc, "rules_digest", summary.rules_digest, "json");
}

void CheckJsonl(const std::vector<Finding>& findings, const ScanSummary& summary,
                const ReportOptions& options) {
  std::istringstream lines(Write(ReportFormat::kJsonl, findings, summary, options));
  std::string line;
  size_t count = 0;
  while (std::getline(lines, line)) {
    FUZZ_CHECK(count < findings.size(), "jsonl: more lines than findings");
    CheckJsonFinding(ParseOrFail(line, "jsonl"), findings[count], options, "jsonl");
    ++count;
  }
  FUZZ_CHECK(count == findings.size(), "jsonl: line count");
}

void CheckSarif(const std::vector<Finding>& findings, const ScanSummary& summary,
                const ReportOptions& options) {
  nlohmann::json doc =
      ParseOrFail(Write(ReportFormat::kSarif, findings, summary, options), "sarif");
  const nlohmann::json& run = doc.at("runs").at(0);
  const nlohmann::json& rules = run.at("tool").at("driver").at("rules");
  FUZZ_CHECK(rules.size() == summary.rules.size(), "sarif: rule count");
  const nlohmann::json& results = run.at("results");
  FUZZ_CHECK(results.size() == findings.size(), "sarif: result count");
  for (size_t i = 0; i < findings.size(); ++i) {
    const nlohmann::json& result = results.at(i);
    CheckStringField(result, "ruleId", findings[i].rule_id, "sarif");
    if (result.contains("ruleIndex")) {
      size_t index = result.at("ruleIndex").get<size_t>();
      FUZZ_CHECK(index < rules.size(), "sarif: ruleIndex out of range");
      CheckStringField(rules.at(index), "id", findings[i].rule_id, "sarif");
    }
    const nlohmann::json& uri =
        result.at("locations").at(0).at("physicalLocation").at("artifactLocation").at("uri");
    FUZZ_CHECK(uri.is_string(), "sarif: uri");
    const std::string uri_text = uri.get<std::string>();
    for (unsigned char c : uri_text) FUZZ_CHECK(c > 0x20 && c < 0x7F, "sarif: uri byte");
    FUZZ_CHECK(PercentDecode(uri_text) == findings[i].path, "sarif: uri does not decode to path");
    CheckStringField(result.at("partialFingerprints"), "leaksweep/v1", findings[i].fingerprint,
                     "sarif");
  }
  const nlohmann::json& notifications =
      run.at("invocations").at(0).at("toolExecutionNotifications");
  FUZZ_CHECK(notifications.size() == summary.errors.size(), "sarif: notification count");
}

// Human output: UTF-8 without control characters (but line breaks) or characters that change
// how a terminal or a line shows text (C1 controls, bidi overrides, line separators).
void CheckHuman(const std::vector<Finding>& findings, const ScanSummary& summary,
                const ReportOptions& options) {
  ReportOptions plain = options;
  plain.color = false;
  const std::string text = Write(ReportFormat::kHuman, findings, summary, plain);
  std::u32string code_points;
  FUZZ_CHECK(DecodeUtf8Strict(text, &code_points), "human: output is not UTF-8");
  for (char32_t cp : code_points) {
    const bool control = (cp < 0x20 && cp != '\n') || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F);
    const bool bidi = (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
    const bool separator = cp == 0x2028 || cp == 0x2029;
    FUZZ_CHECK(!control && !bidi && !separator, "human: character U+" +
                                                    std::to_string(static_cast<uint32_t>(cp)) +
                                                    " reaches the terminal");
  }
}

}  // namespace

void CheckAllReports(const std::vector<Finding>& findings, const ScanSummary& summary,
                     const ReportOptions& options) {
  CheckJson(findings, summary, options);
  CheckJsonl(findings, summary, options);
  CheckSarif(findings, summary, options);
  CheckHuman(findings, summary, options);
}

void CheckJsonAndHumanReports(const std::vector<Finding>& findings, const ScanSummary& summary,
                              const ReportOptions& options) {
  CheckJson(findings, summary, options);
  CheckHuman(findings, summary, options);
}

}  // namespace leaksweep::fuzz
