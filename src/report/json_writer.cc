// The `json` (one document) and `jsonl` (one finding per line, streamed) formats. Both describe
// a finding with the same object, so a consumer can switch between them freely.
#include <ostream>
#include <vector>

#include "json_builder.h"
#include "writers.h"

namespace leaksweep::report_internal {
namespace {

// Git scans: where the finding's blob came from.
void WriteGitProvenance(JsonBuilder& json, const GitProvenance& git) {
  json.Key("commit").String(git.commit);
  json.Key("author").String(git.author_name);
  json.Key("author_email").String(git.author_email);
  json.Key("date").String(git.date);
  json.Key("commit_summary").String(git.summary);
  json.Key("in_head").Bool(git.in_head);
  json.Key("blob").String(git.blob);
  json.Key("blob_paths").Uint(git.paths);
  json.Key("blob_commits").Uint(git.commits);
}

void WriteOtherLocations(JsonBuilder& json, const std::vector<FindingLocation>& locations) {
  json.Key("other_locations").BeginArray();
  for (const FindingLocation& location : locations) {
    json.BeginObject();
    json.Key("path").String(location.path);
    json.Key("line").Uint(location.start.line);
    json.Key("column").Uint(location.start.column);
    json.Key("commit").String(location.commit);
    json.Key("blob").String(location.blob);
    json.Key("in_head").Bool(location.in_head);
    json.EndObject();
  }
  json.EndArray();
}

void WriteFinding(JsonBuilder& json, const Finding& finding, const ReportOptions& options) {
  json.BeginObject();
  json.Key("rule_id").String(finding.rule_id);
  json.Key("rule_name").String(finding.rule_name);
  json.Key("category").String(ToString(finding.category));
  json.Key("severity").String(ToString(finding.severity));
  json.Key("confidence").String(ToString(finding.confidence));
  json.Key("likely_test").Bool(finding.likely_test);
  json.Key("path").String(finding.path);
  json.Key("line").Uint(finding.start.line);
  json.Key("column").Uint(finding.start.column);
  json.Key("end_line").Uint(finding.end.line);
  json.Key("end_column").Uint(finding.end.column);  // inclusive, like Finding::end
  json.Key("value").String(ShownValue(finding, options));
  json.Key("snippet").String(ShownSnippet(finding, options));
  json.Key("fingerprint").String(finding.fingerprint);
  if (!finding.encoding.empty()) json.Key("encoding").String(finding.encoding);
  if (finding.git) {
    WriteGitProvenance(json, *finding.git);
    WriteOtherLocations(json, finding.other_locations);
  }
  json.EndObject();
}

void WriteStats(JsonBuilder& json, const ScanStats& stats) {
  json.BeginObject();
  json.Key("files_scanned").Uint(stats.files_scanned);
  json.Key("bytes_scanned").Uint(stats.bytes_scanned);
  json.Key("findings").Uint(stats.findings);
  json.Key("suppressed_inline").Uint(stats.suppressed_inline);
  json.Key("suppressed_config").Uint(stats.suppressed_config);
  json.Key("suppressed_baseline").Uint(stats.suppressed_baseline);
  json.EndObject();
}

void WriteSkipped(JsonBuilder& json, const std::vector<SkippedFile>& skipped) {
  json.BeginArray();
  for (const SkippedFile& file : skipped) {
    json.BeginObject();
    json.Key("path").String(file.path);
    json.Key("reason").String(ToString(file.reason));
    json.EndObject();
  }
  json.EndArray();
}

void WriteErrors(JsonBuilder& json, const std::vector<ScanError>& errors) {
  json.BeginArray();
  for (const ScanError& error : errors) {
    json.BeginObject();
    json.Key("path").String(error.path);
    json.Key("message").String(error.message);
    json.EndObject();
  }
  json.EndArray();
}

// The header (tool, stats) is only known at the end, so the document is written at Finish().
// Findings are rendered as they come, as the elements of the document's "findings" array: a
// long history's report (curl: 579 findings with 136,000 locations) is never held twice, and
// what is held is only what will be printed.
class JsonWriter : public ReportWriter {
 public:
  JsonWriter(std::ostream& out, const ReportOptions& options) : out_(out), options_(options) {}

  void AddFinding(const Finding& finding) override { WriteFinding(findings_, finding, options_); }

  void Finish(const ScanSummary& summary) override {
    JsonBuilder json(JsonBuilder::Style::kPretty);
    json.BeginObject();
    json.Key("tool").BeginObject();
    json.Key("name").String("leaksweep");
    json.Key("version").String(summary.tool_version);
    json.EndObject();
    json.Key("rules_digest").String(summary.rules_digest);
    if (summary.incomplete) json.Key("incomplete").Bool(true);
    json.Key("stats");
    WriteStats(json, summary.stats);
    json.Key("findings").BeginArray().Elements(findings_).EndArray();
    json.Key("skipped");
    WriteSkipped(json, summary.skipped);
    json.Key("errors");
    WriteErrors(json, summary.errors);
    if (!summary.notes.empty()) {
      json.Key("notes").BeginArray();
      for (const std::string& note : summary.notes) json.String(note);
      json.EndArray();
    }
    json.EndObject();
    out_ << json.str() << '\n';
    out_.flush();
    findings_ = JsonBuilder::ArrayElements(JsonBuilder::Style::kPretty, kFindingsDepth);
  }

 private:
  // The findings array is a member of the top-level object.
  static constexpr size_t kFindingsDepth = 2;

  std::ostream& out_;
  ReportOptions options_;
  JsonBuilder findings_ = JsonBuilder::ArrayElements(JsonBuilder::Style::kPretty, kFindingsDepth);
};

// Streams: each finding is a complete line as soon as it is known, passed on at each Flush(),
// so a consumer can follow a long scan (or survive its interruption). The summary is not part
// of this format.
class JsonlWriter : public ReportWriter {
 public:
  JsonlWriter(std::ostream& out, const ReportOptions& options) : out_(out), options_(options) {}

  void AddFinding(const Finding& finding) override {
    JsonBuilder json(JsonBuilder::Style::kCompact);
    WriteFinding(json, finding, options_);
    out_ << json.str() << '\n';
  }

  void Flush() override { out_.flush(); }
  void Finish(const ScanSummary& /*summary*/) override { out_.flush(); }

 private:
  std::ostream& out_;
  ReportOptions options_;
};

}  // namespace

std::unique_ptr<ReportWriter> MakeJsonWriter(std::ostream& out, const ReportOptions& options) {
  return std::make_unique<JsonWriter>(out, options);
}

std::unique_ptr<ReportWriter> MakeJsonlWriter(std::ostream& out, const ReportOptions& options) {
  return std::make_unique<JsonlWriter>(out, options);
}

}  // namespace leaksweep::report_internal
