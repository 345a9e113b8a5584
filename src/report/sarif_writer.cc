// SARIF 2.1.0 (https://docs.oasis-open.org/sarif/sarif/v2.1.0/), as code-scanning services
// ingest it: one run, one reporting descriptor per rule, one result per finding.
#include <algorithm>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "json_builder.h"
#include "uri.h"
#include "writers.h"

namespace leaksweep::report_internal {
namespace {

constexpr std::string_view kSchema = "https://json.schemastore.org/sarif-2.1.0.json";
constexpr std::string_view kInformationUri = "https://github.com/leaksweep/leaksweep";
// Names the fingerprint scheme; bump it if fingerprints ever change meaning.
constexpr std::string_view kFingerprintKey = "leaksweep/v1";

std::string_view SarifLevel(Severity severity) {
  switch (severity) {
    case Severity::kCritical:
    case Severity::kHigh:
      return "error";
    case Severity::kMedium:
      return "warning";
    case Severity::kLow:
    case Severity::kInfo:
      return "note";
  }
  return "warning";
}

// GitHub code scanning reads this property (a number in a string) to rank security alerts.
std::string_view SecuritySeverity(Severity severity) {
  switch (severity) {
    case Severity::kCritical:
      return "9.5";
    case Severity::kHigh:
      return "8.0";
    case Severity::kMedium:
      return "5.5";
    case Severity::kLow:
      return "3.0";
    case Severity::kInfo:
      return "1.0";
  }
  return "5.5";
}

void WriteText(JsonBuilder& json, std::string_view key, std::string_view text) {
  json.Key(key).BeginObject().Key("text").String(text).EndObject();
}

void WriteArtifactLocation(JsonBuilder& json, std::string_view path) {
  json.Key("artifactLocation").BeginObject().Key("uri").String(PathToUri(path)).EndObject();
}

void WriteRule(JsonBuilder& json, const RuleInfo& rule) {
  const std::string_view name = rule.name.empty() ? std::string_view(rule.id) : rule.name;
  json.BeginObject();
  json.Key("id").String(rule.id);
  json.Key("name").String(name);
  WriteText(json, "shortDescription", name);
  WriteText(json, "fullDescription", rule.description.empty() ? name : rule.description);
  if (!rule.references.empty()) json.Key("helpUri").String(rule.references.front());
  json.Key("defaultConfiguration").BeginObject();
  json.Key("level").String(SarifLevel(rule.severity));
  json.EndObject();
  json.Key("properties").BeginObject();
  json.Key("tags").BeginArray().String("security").String(ToString(rule.category)).EndArray();
  json.Key("security-severity").String(SecuritySeverity(rule.severity));
  json.EndObject();
  json.EndObject();
}

void WriteDriver(JsonBuilder& json, const ScanSummary& summary) {
  json.Key("driver").BeginObject();
  json.Key("name").String("leaksweep");
  json.Key("version").String(summary.tool_version);
  json.Key("informationUri").String(kInformationUri);
  json.Key("rules").BeginArray();
  for (const RuleInfo& rule : summary.rules) WriteRule(json, rule);
  json.EndArray();
  json.EndObject();
}

void WriteNotification(JsonBuilder& json, const ScanError& error) {
  json.BeginObject();
  json.Key("level").String("error");
  WriteText(json, "message", error.message);
  if (!error.path.empty()) {
    json.Key("locations").BeginArray().BeginObject();
    json.Key("physicalLocation").BeginObject();
    WriteArtifactLocation(json, error.path);
    json.EndObject();
    json.EndObject().EndArray();
  }
  json.EndObject();
}

void WriteInvocations(JsonBuilder& json, const ScanSummary& summary) {
  const std::vector<ScanError>& errors = summary.errors;
  json.Key("invocations").BeginArray().BeginObject();
  json.Key("executionSuccessful").Bool(errors.empty() && !summary.incomplete);
  json.Key("toolExecutionNotifications").BeginArray();
  for (const ScanError& error : errors) WriteNotification(json, error);
  json.EndArray();
  json.EndObject().EndArray();
}

// SARIF regions are 1-based with an exclusive end column; Finding::end is inclusive. The raw
// text goes in only with show_secrets: `snippet` is exactly the region (the value), the
// context region carries the surrounding line.
void WriteRegions(JsonBuilder& json, const Finding& finding, const ReportOptions& options) {
  if (finding.start.line == 0) return;  // no position known: the artifact is the location
  json.Key("region").BeginObject();
  json.Key("startLine").Uint(finding.start.line);
  if (finding.start.column > 0) json.Key("startColumn").Uint(finding.start.column);
  if (finding.end.line > 0) json.Key("endLine").Uint(finding.end.line);
  if (finding.end.column > 0) json.Key("endColumn").Uint(uint64_t{finding.end.column} + 1);
  if (options.show_secrets) WriteText(json, "snippet", finding.value);
  json.EndObject();
  if (options.show_secrets && !finding.snippet.empty()) {
    json.Key("contextRegion").BeginObject();
    json.Key("startLine").Uint(finding.start.line);
    json.Key("endLine").Uint(std::max(finding.start.line, finding.end.line));
    WriteText(json, "snippet", finding.snippet);
    json.EndObject();
  }
}

std::string MessageText(const Finding& finding, const ReportOptions& options) {
  std::string text = finding.rule_name.empty() ? finding.rule_id : finding.rule_name;
  text += " found";
  const std::string_view value = ShownValue(finding, options);
  if (!value.empty()) {
    text += ": ";
    text += value;
  }
  return text;
}

void WriteResult(JsonBuilder& json, const Finding& finding, std::optional<size_t> rule_index,
                 const ReportOptions& options) {
  json.BeginObject();
  json.Key("ruleId").String(finding.rule_id);
  if (rule_index) json.Key("ruleIndex").Uint(*rule_index);
  json.Key("level").String(SarifLevel(finding.severity));
  WriteText(json, "message", MessageText(finding, options));
  json.Key("locations").BeginArray().BeginObject();
  json.Key("physicalLocation").BeginObject();
  WriteArtifactLocation(json, finding.path);
  WriteRegions(json, finding, options);
  json.EndObject();
  json.EndObject().EndArray();
  json.Key("partialFingerprints").BeginObject();
  json.Key(kFingerprintKey).String(finding.fingerprint);
  json.EndObject();
  json.Key("properties").BeginObject();
  json.Key("confidence").String(ToString(finding.confidence));
  json.Key("likely_test").Bool(finding.likely_test);
  if (!finding.encoding.empty()) json.Key("encoding").String(finding.encoding);
  if (finding.git) {
    json.Key("commit").String(finding.git->commit);
    json.Key("in_head").Bool(finding.git->in_head);
    json.Key("blob").String(finding.git->blob);
  }
  json.Key("category").String(ToString(finding.category));
  json.Key("severity").String(ToString(finding.severity));
  json.EndObject();
  json.EndObject();
}

// ruleIndex must point into the rules array, which comes with the summary; so findings are
// held until Finish().
class SarifWriter : public ReportWriter {
 public:
  SarifWriter(std::ostream& out, const ReportOptions& options) : out_(out), options_(options) {}

  void AddFinding(const Finding& finding) override {
    findings_.push_back(RetainedCopy(finding, options_));
  }

  void Finish(const ScanSummary& summary) override {
    JsonBuilder json(JsonBuilder::Style::kPretty);
    json.BeginObject();
    json.Key("$schema").String(kSchema);
    json.Key("version").String("2.1.0");
    json.Key("runs").BeginArray().BeginObject();
    json.Key("tool").BeginObject();
    WriteDriver(json, summary);
    json.EndObject();
    WriteInvocations(json, summary);
    json.Key("columnKind").String("unicodeCodePoints");
    WriteResults(json, summary.rules);
    json.Key("properties").BeginObject();
    json.Key("rulesDigest").String(summary.rules_digest);
    json.EndObject();
    json.EndObject().EndArray();
    json.EndObject();
    out_ << json.str() << '\n';
    out_.flush();
    findings_.clear();
  }

 private:
  void WriteResults(JsonBuilder& json, const std::vector<RuleInfo>& rules) const {
    std::map<std::string_view, size_t> index_by_id;
    for (size_t i = 0; i < rules.size(); ++i) index_by_id.emplace(rules[i].id, i);  // first wins
    json.Key("results").BeginArray();
    for (const Finding& finding : findings_) {
      const auto it = index_by_id.find(finding.rule_id);
      const std::optional<size_t> rule_index =
          it == index_by_id.end() ? std::nullopt : std::optional<size_t>(it->second);
      WriteResult(json, finding, rule_index, options_);
    }
    json.EndArray();
  }

  std::ostream& out_;
  ReportOptions options_;
  std::vector<Finding> findings_;
};

}  // namespace

std::unique_ptr<ReportWriter> MakeSarifWriter(std::ostream& out, const ReportOptions& options) {
  return std::make_unique<SarifWriter>(out, options);
}

}  // namespace leaksweep::report_internal
