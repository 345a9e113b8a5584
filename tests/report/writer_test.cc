// Behaviour shared by every format: format names, determinism, golden outputs, and that no
// format ever prints a raw secret without show_secrets.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "report_fixtures.h"
#include "test_util.h"

namespace leaksweep::report_test {
namespace {

constexpr ReportFormat kAllFormats[] = {ReportFormat::kHuman, ReportFormat::kJson,
                                        ReportFormat::kJsonl, ReportFormat::kSarif};

TEST_CASE("ParseReportFormat accepts exactly the four names") {
  CHECK(ParseReportFormat("human") == ReportFormat::kHuman);
  CHECK(ParseReportFormat("json") == ReportFormat::kJson);
  CHECK(ParseReportFormat("jsonl") == ReportFormat::kJsonl);
  CHECK(ParseReportFormat("sarif") == ReportFormat::kSarif);
  CHECK_FALSE(ParseReportFormat(""));
  CHECK_FALSE(ParseReportFormat("JSON"));
  CHECK_FALSE(ParseReportFormat("text"));
  CHECK_FALSE(ParseReportFormat("json "));
}

TEST_CASE("every format is byte-identical when written twice") {
  for (ReportFormat format : kAllFormats) {
    for (bool show_secrets : {false, true}) {
      ReportOptions options;
      options.show_secrets = show_secrets;
      options.color = true;
      CHECK(Render(format, SampleFindings(), SampleSummary(), options) ==
            Render(format, SampleFindings(), SampleSummary(), options));
    }
  }
}

TEST_CASE("no format prints a raw value or snippet without show_secrets") {
  for (ReportFormat format : kAllFormats) {
    ReportOptions options;
    options.color = true;
    const std::string text = Render(format, SampleFindings(), SampleSummary(), options);
    for (const Finding& finding : SampleFindings()) {
      CHECK(text.find(finding.value) == std::string::npos);
      CHECK(text.find(finding.snippet) == std::string::npos);
    }
  }
}

// Golden files pin the exact layout. After an intended change, regenerate them with
// LEAKSWEEP_UPDATE_GOLDEN=1 and review the diff.
TEST_CASE("outputs match the golden files") {
  const std::filesystem::path dir = testing::TestdataDir() / "golden" / "report";
  const bool update = std::getenv("LEAKSWEEP_UPDATE_GOLDEN") != nullptr;
  const std::pair<ReportFormat, const char*> cases[] = {{ReportFormat::kHuman, "sample.txt"},
                                                        {ReportFormat::kJson, "sample.json"},
                                                        {ReportFormat::kJsonl, "sample.jsonl"},
                                                        {ReportFormat::kSarif, "sample.sarif"}};
  for (const auto& golden : cases) {
    const std::string name = golden.second;
    CAPTURE(name);
    const std::string actual = Render(golden.first, SampleFindings(), SampleSummary());
    if (update) {
      std::filesystem::create_directories(dir);
      std::ofstream(dir / name, std::ios::binary) << actual;
    }
    CHECK(testing::ReadFile(dir / name) == actual);
  }
}

}  // namespace
}  // namespace leaksweep::report_test
