// Fuzz target: the scan engine on arbitrary bytes, with every shipped rule (signatures/, or
// $LEAKSWEEP_SIGNATURES_DIR). The input is a file's content; it goes the
// way a scanned file goes: PrepareText (UTF-16 and BOM handling; binary files are scanned too),
// ScanText (both stages, validators, Latin-1 fallback, base64 decoding), MakeFindings (positions,
// snippets, redaction, fingerprints, policy), and then the json and human report writers
// (report_check.h; fuzz_report covers every writer with arbitrary findings).
// Checks: every match lies inside the text with its value inside the match; every finding has
// a position; reports stay valid.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_util.h"
#include "leaksweep/core/version.h"
#include "leaksweep/input/file_reader.h"
#include "leaksweep/match/engine.h"
#include "leaksweep/match/scanner.h"
#include "leaksweep/pipeline/findings.h"
#include "leaksweep/policy/policy.h"
#include "leaksweep/rules/loader.h"
#include "report_check.h"
#include "shipped_engine.h"

namespace leaksweep::fuzz {
namespace {

struct Setup {
  std::shared_ptr<const Engine> engine;
  std::unique_ptr<Scanner> scanner;
  Policy policy;
  FingerprintKey key{"leaksweep-fuzz-key"};
  std::vector<RuleInfo> infos;  // of every rule, for report summaries
};

// Built once per process. The compiled database is not cached: a cache hit would skip the
// code that builds it, and a build takes a few seconds.
Setup& GetSetup() {
  static Setup* setup = [] {
    auto* s = new Setup;
    s->engine = BuildShippedEngine();
    s->scanner = std::make_unique<Scanner>(s->engine);
    s->infos = s->engine->rules().Infos();
    ProjectConfig config;
    config.allow_values = {"^AKIA[A-Z0-9]*EXAMPLE$"};
    Result<Policy> policy = Policy::Make(config, {});
    if (!policy.ok()) Fail("policy: " + policy.status().message());
    s->policy = std::move(policy).value();
    return s;
  }();
  return *setup;
}

void CheckMatches(const TextScan& scan, std::string_view text, const RuleSet& rules) {
  for (const Match& m : scan.matches) {
    FUZZ_CHECK(m.rule_index < rules.size(), "rule index out of range");
    FUZZ_CHECK(m.start <= m.value_start && m.value_start < m.value_end && m.value_end <= m.end &&
                   m.end <= text.size(),
               "match out of bounds in rule " + rules.at(m.rule_index).id);
  }
  for (const DecodedValue& decoded : scan.decoded) {
    FUZZ_CHECK(decoded.outer < scan.matches.size() && decoded.rule_index < rules.size(),
               "decoded value out of range");
  }
}

}  // namespace
}  // namespace leaksweep::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace leaksweep;
  fuzz::Setup& setup = fuzz::GetSetup();
  const RuleSet& rules = setup.engine->rules();
  std::string_view bytes(reinterpret_cast<const char*>(data), size);

  ReadOptions options;
  options.scan_binary = true;
  std::string prepared;
  ReadResult read = PrepareText(bytes, options, &prepared);
  if (read.outcome != ReadOutcome::kRead) return 0;

  std::string_view text = read.text;
  std::string converted;
  Result<TextScan> scan = ScanText(*setup.scanner, &text, &converted);
  if (!scan.ok()) return 0;
  fuzz::CheckMatches(scan.value(), text, rules);

  const std::string path = "src/settings.py";
  FileFindings found = MakeFindings(rules, text, scan.value(), path, setup.policy, setup.key);
  for (const Finding& finding : found.findings) {
    FUZZ_CHECK(finding.start.line >= 1 && finding.start.column >= 1 &&
                   finding.end.line >= finding.start.line,
               "finding without a position: " + finding.rule_id);
    FUZZ_CHECK(!finding.value.empty() && finding.fingerprint.size() == 32, "finding value");
  }
  if (!found.findings.empty()) {
    ScanSummary summary;
    summary.tool_version = kVersion;
    summary.rules_digest = rules.digest();
    // Only the rules found: every rule's SARIF descriptor would cost more than the scan.
    for (const RuleInfo& info : setup.infos) {
      for (const Finding& finding : found.findings) {
        if (finding.rule_id == info.id) {
          summary.rules.push_back(info);
          break;
        }
      }
    }
    ReportOptions report_options;
    report_options.show_secrets = (size & 1) != 0;  // either way, chosen by the input
    fuzz::CheckJsonAndHumanReports(found.findings, summary, report_options);
  }
  return 0;
}
