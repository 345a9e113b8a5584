#include "leaksweep/pipeline/checkout_scan.h"

#include <doctest/doctest.h>

#include "leaksweep/rules/loader.h"
#include "test_util.h"

using namespace leaksweep;
using leaksweep::testing::TempDir;

namespace {

struct CollectingWriter : ReportWriter {
  std::vector<std::string> lines;
  void AddFinding(const Finding& f) override {
    lines.push_back(f.path + ":" + std::to_string(f.start.line) + ":" + f.rule_id);
  }
  void Finish(const ScanSummary&) override {}
};

ScanSummary ScanWith(const TempDir& dir, unsigned threads, CollectingWriter& writer) {
  auto rules = LoadRules({leaksweep::testing::SignaturesDir()});
  REQUIRE(rules.ok());
  auto engine = Engine::Build(rules.value(), {});
  REQUIRE(engine.ok());
  CheckoutScanOptions options;
  options.roots = {dir.path().string()};
  options.threads = threads;
  return ScanCheckout(options, engine.value(), Policy(), FingerprintKey("k"), writer);
}

}  // namespace

TEST_CASE("findings come out in walk order whatever the thread count") {
  TempDir dir;
  for (int i = 0; i < 200; ++i) {
    // Appended piece by piece: GCC 12 warns falsely (-Wrestrict) on "d" + std::to_string(..).
    std::string name = "d";
    name.append(std::to_string(i % 7)).append("/f").append(std::to_string(i)).append(".txt");
    std::string body(static_cast<size_t>(i) * 37, 'x');
    if (i % 3 == 0) body += "\naws = AKIAQYLPMN5HFIQR7XYZ\n";
    dir.Write(name, body);
  }
  dir.Write("bin.dat", std::string("\0\1\2", 3));
  CollectingWriter one, two, four;
  ScanSummary s1 = ScanWith(dir, 1, one);
  ScanSummary s4 = ScanWith(dir, 4, four);
  ScanWith(dir, 2, two);
  CHECK(one.lines.size() == 67);
  CHECK(one.lines == two.lines);
  CHECK(one.lines == four.lines);
  CHECK(s1.stats.files_scanned == 200);
  CHECK(s1.stats.bytes_scanned == s4.stats.bytes_scanned);
  REQUIRE(s1.skipped.size() == 1);
  CHECK(s1.skipped[0].reason == SkipReason::kBinary);
}

TEST_CASE("an unreadable file is an error and the scan goes on") {
  TempDir dir;
  dir.Write("a.txt", "AKIAQYLPMN5HFIQR7XYZ");
  dir.Write("b.txt", "nothing");
  CollectingWriter writer;
  CheckoutScanOptions options;
  auto rules = LoadRules({leaksweep::testing::SignaturesDir()});
  REQUIRE(rules.ok());
  auto engine = Engine::Build(rules.value(), {});
  REQUIRE(engine.ok());
  options.roots = {(dir.path() / "missing.txt").string(), dir.path().string()};
  ScanSummary summary =
      ScanCheckout(options, engine.value(), Policy(), FingerprintKey("k"), writer);
  REQUIRE(summary.errors.size() == 1);
  CHECK(summary.errors[0].path.find("missing.txt") != std::string::npos);
  CHECK(writer.lines.size() == 1);
  CHECK(summary.stats.files_scanned == 2);
}
