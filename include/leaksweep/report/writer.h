// Report writers: sinks of findings in every output format.
//
// The pipeline calls AddFinding() for each finding in report order (files in walk order, then
// by position), Flush() whenever what it added so far should be seen (after each file of a
// checkout scan), and Finish() once with the scan's summary. Writers never print a raw value or
// raw snippet unless ReportOptions::show_secrets is set; they escape whatever bytes a path or
// snippet holds so that JSON stays valid and a terminal cannot be driven by escape sequences.
// Output depends only on what is passed in (no clock), so reports are byte-identical for the
// same input. A writer is used by one thread.
#ifndef LEAKSWEEP_REPORT_WRITER_H_
#define LEAKSWEEP_REPORT_WRITER_H_

#include <memory>
#include <optional>
#include <ostream>
#include <string_view>

#include "leaksweep/core/finding.h"
#include "leaksweep/core/report_data.h"

namespace leaksweep {

enum class ReportFormat { kHuman, kJson, kJsonl, kSarif };
std::optional<ReportFormat> ParseReportFormat(std::string_view name);

struct ReportOptions {
  bool show_secrets = false;  // print raw values and snippets
  bool color = false;         // ANSI colour in the human format
};

class ReportWriter {
 public:
  virtual ~ReportWriter() = default;
  virtual void AddFinding(const Finding& finding) = 0;
  // Streaming formats pass on what was added so far, so that a consumer can follow a long scan
  // (a flush per finding would cost a write each: 136,000 of them for curl's history).
  virtual void Flush() {}
  virtual void Finish(const ScanSummary& summary) = 0;
};

// `out` must outlive the writer.
std::unique_ptr<ReportWriter> MakeReportWriter(ReportFormat format, std::ostream& out,
                                               const ReportOptions& options);

}  // namespace leaksweep

#endif  // LEAKSWEEP_REPORT_WRITER_H_
