// Fuzz target: the report writers (json, jsonl, sarif, human) on findings and summaries whose
// strings hold any bytes. Checks (report_check.h): JSON output parses back with
// nlohmann::json and round-trips paths and values; SARIF URIs decode to the path; human output
// holds no control characters. See scripts/fuzz.
//
// Input (FuzzInput; strings are length-prefixed, see fuzz_util.h):
//   options byte (bit 0: show_secrets), tool_version, rules_digest,
//   rules: count byte % 4, each: id, name, category, severity, description, references (% 3),
//   skipped: count byte % 4, each: path, reason; errors: count byte % 4, each: path, message;
//   notes: count byte % 3; stats: files (u32), findings (u16), suppressed inline (byte);
//   then findings until the input ends (at most 16), each: rule_id, rule_name, enum bytes,
//   path, positions (u16 each), value, redacted_value, snippet, redacted_snippet,
//   fingerprint, encoding, and a flag byte: bit 0 adds git provenance (strings) and other
//   locations (count % 4).
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_util.h"
#include "leaksweep/core/finding.h"
#include "leaksweep/core/report_data.h"
#include "report_check.h"

namespace leaksweep::fuzz {
namespace {

Category TakeCategory(FuzzInput& in) { return in.Bool() ? Category::kPii : Category::kSecret; }
Severity TakeSeverity(FuzzInput& in) { return static_cast<Severity>(in.Byte() % 5); }
Confidence TakeConfidence(FuzzInput& in) { return static_cast<Confidence>(in.Byte() % 3); }
Position TakePosition(FuzzInput& in) {
  Position position;
  position.line = in.U16();
  position.column = in.U16();
  return position;
}

Finding TakeFinding(FuzzInput& in) {
  Finding finding;
  finding.rule_id = in.String();
  finding.rule_name = in.String();
  finding.category = TakeCategory(in);
  finding.severity = TakeSeverity(in);
  finding.confidence = TakeConfidence(in);
  finding.likely_test = in.Bool();
  finding.path = in.String();
  finding.start = TakePosition(in);
  finding.end = TakePosition(in);
  finding.value = in.String();
  finding.redacted_value = in.String();
  finding.snippet = in.String();
  finding.redacted_snippet = in.String();
  finding.fingerprint = in.String();
  finding.encoding = in.String();
  if ((in.Byte() & 1) != 0) {
    GitProvenance git;
    git.blob = in.String();
    git.commit = in.String();
    git.author_name = in.String();
    git.author_email = in.String();
    git.date = in.String();
    git.summary = in.String();
    git.in_head = in.Bool();
    git.paths = in.U16();
    git.commits = in.U16();
    finding.git = std::make_shared<const GitProvenance>(std::move(git));
    for (int n = in.Byte() % 4; n > 0; --n) {
      FindingLocation location;
      location.path = in.String();
      location.start = TakePosition(in);
      location.commit = in.String();
      location.blob = in.String();
      location.in_head = in.Bool();
      finding.other_locations.push_back(std::move(location));
    }
  }
  return finding;
}

ScanSummary TakeSummary(FuzzInput& in) {
  ScanSummary summary;
  summary.tool_version = in.String();
  summary.rules_digest = in.String();
  for (int n = in.Byte() % 4; n > 0; --n) {
    RuleInfo rule;
    rule.id = in.String();
    rule.name = in.String();
    rule.category = TakeCategory(in);
    rule.severity = TakeSeverity(in);
    rule.description = in.String();
    for (int r = in.Byte() % 3; r > 0; --r) rule.references.push_back(in.String());
    summary.rules.push_back(std::move(rule));
  }
  for (int n = in.Byte() % 4; n > 0; --n) {
    SkippedFile skipped;
    skipped.path = in.String();
    skipped.reason = static_cast<SkipReason>(in.Byte() % 5);
    summary.skipped.push_back(std::move(skipped));
  }
  for (int n = in.Byte() % 4; n > 0; --n) {
    ScanError error;
    error.path = in.String();
    error.message = in.String();
    summary.errors.push_back(std::move(error));
  }
  for (int n = in.Byte() % 3; n > 0; --n) summary.notes.push_back(in.String());
  summary.stats.files_scanned = in.U32();
  summary.stats.findings = in.U16();
  summary.stats.suppressed_inline = in.Byte();
  return summary;
}

}  // namespace
}  // namespace leaksweep::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace leaksweep;
  fuzz::FuzzInput in(data, size);
  ReportOptions options;
  options.show_secrets = (in.Byte() & 1) != 0;
  ScanSummary summary = fuzz::TakeSummary(in);
  std::vector<Finding> findings;
  while (!in.empty() && findings.size() < 16) findings.push_back(fuzz::TakeFinding(in));
  fuzz::CheckAllReports(findings, summary, options);
  return 0;
}
