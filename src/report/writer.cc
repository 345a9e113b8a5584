#include "leaksweep/report/writer.h"

#include "writers.h"

namespace leaksweep {

std::optional<ReportFormat> ParseReportFormat(std::string_view name) {
  if (name == "human") return ReportFormat::kHuman;
  if (name == "json") return ReportFormat::kJson;
  if (name == "jsonl") return ReportFormat::kJsonl;
  if (name == "sarif") return ReportFormat::kSarif;
  return std::nullopt;
}

std::unique_ptr<ReportWriter> MakeReportWriter(ReportFormat format, std::ostream& out,
                                               const ReportOptions& options) {
  switch (format) {
    case ReportFormat::kHuman:
      return report_internal::MakeHumanWriter(out, options);
    case ReportFormat::kJson:
      return report_internal::MakeJsonWriter(out, options);
    case ReportFormat::kJsonl:
      return report_internal::MakeJsonlWriter(out, options);
    case ReportFormat::kSarif:
      return report_internal::MakeSarifWriter(out, options);
  }
  return nullptr;
}

}  // namespace leaksweep
