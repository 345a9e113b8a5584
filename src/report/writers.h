// The concrete report writers behind MakeReportWriter, and the one place that decides whether
// a raw or a redacted value is printed.
#ifndef LEAKSWEEP_SRC_REPORT_WRITERS_H_
#define LEAKSWEEP_SRC_REPORT_WRITERS_H_

#include <memory>
#include <ostream>
#include <string_view>

#include "leaksweep/core/finding.h"
#include "leaksweep/report/writer.h"

namespace leaksweep::report_internal {

std::unique_ptr<ReportWriter> MakeHumanWriter(std::ostream& out, const ReportOptions& options);
std::unique_ptr<ReportWriter> MakeJsonWriter(std::ostream& out, const ReportOptions& options);
std::unique_ptr<ReportWriter> MakeJsonlWriter(std::ostream& out, const ReportOptions& options);
std::unique_ptr<ReportWriter> MakeSarifWriter(std::ostream& out, const ReportOptions& options);

// Every writer goes through these two, so the raw fields are read nowhere else.
inline std::string_view ShownValue(const Finding& finding, const ReportOptions& options) {
  return options.show_secrets ? finding.value : finding.redacted_value;
}
inline std::string_view ShownSnippet(const Finding& finding, const ReportOptions& options) {
  return options.show_secrets ? finding.snippet : finding.redacted_snippet;
}

// A copy for writers that must hold findings until Finish(): without show_secrets the raw
// fields are dropped, so the buffered report never holds a secret it will not print.
inline Finding RetainedCopy(const Finding& finding, const ReportOptions& options) {
  Finding copy = finding;
  if (!options.show_secrets) {
    copy.value.clear();
    copy.snippet.clear();
  }
  return copy;
}

}  // namespace leaksweep::report_internal

#endif  // LEAKSWEEP_SRC_REPORT_WRITERS_H_
