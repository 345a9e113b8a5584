// Runs every report writer over a set of findings and checks what it wrote, whatever bytes the
// findings hold: the JSON, JSONL and SARIF output must parse back (nlohmann::json, which
// rejects invalid UTF-8 and raw control characters) and say what went in (paths and shown
// values round-trip when they are UTF-8; SARIF URIs percent-decode to the path), and the human
// output must hold no byte or character that can drive a terminal. Any failure aborts.
//
// report_check.cc is compiled without coverage instrumentation in fuzz builds: the JSON parser
// that checks the output would otherwise count as coverage and steer the fuzzer.
#ifndef LEAKSWEEP_TESTS_FUZZ_REPORT_CHECK_H_
#define LEAKSWEEP_TESTS_FUZZ_REPORT_CHECK_H_

#include <vector>

#include "leaksweep/core/finding.h"
#include "leaksweep/core/report_data.h"
#include "leaksweep/report/writer.h"

namespace leaksweep::fuzz {

// Writes `findings` and `summary` in every format with `options` and checks each output.
void CheckAllReports(const std::vector<Finding>& findings, const ScanSummary& summary,
                     const ReportOptions& options);
// Only the json and human formats (the others share their escaping): for targets where the
// reports are not the main subject.
void CheckJsonAndHumanReports(const std::vector<Finding>& findings, const ScanSummary& summary,
                              const ReportOptions& options);

}  // namespace leaksweep::fuzz

#endif  // LEAKSWEEP_TESTS_FUZZ_REPORT_CHECK_H_
