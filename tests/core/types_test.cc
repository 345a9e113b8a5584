#include "leaksweep/core/types.h"

#include <doctest/doctest.h>

using namespace leaksweep;

TEST_CASE("severity names round-trip and order from info to critical") {
  for (Severity s :
       {Severity::kInfo, Severity::kLow, Severity::kMedium, Severity::kHigh, Severity::kCritical}) {
    CHECK(ParseSeverity(ToString(s)) == s);
  }
  CHECK(Severity::kCritical > Severity::kHigh);
  CHECK(Severity::kLow > Severity::kInfo);
  CHECK_FALSE(ParseSeverity("severe").has_value());
  CHECK(ParseCategory("pii") == Category::kPii);
  CHECK_FALSE(ParseCategory("Secret").has_value());
  CHECK(ParseConfidence("high") == Confidence::kHigh);
}
