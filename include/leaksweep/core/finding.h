// Finding: one confirmed secret or PII value at one place, ready for reporting.
//
// A finding carries the raw value and a redacted form side by side; writers print the raw
// value only when the user asked (--show-secrets). The snippet is the source line, cut around
// the value; `redacted_snippet` masks every finding's value on that line, not only this one.
#ifndef LEAKSWEEP_CORE_FINDING_H_
#define LEAKSWEEP_CORE_FINDING_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "leaksweep/core/types.h"

namespace leaksweep {

// A 1-based line and column; columns count Unicode code points (an invalid byte counts one).
struct Position {
  uint32_t line = 0;
  uint32_t column = 0;
  auto operator<=>(const Position&) const = default;
};

// Where in git history a finding's blob came from (git scans only).
struct GitProvenance {
  std::string blob;    // the blob's id
  std::string commit;  // the commit that introduced the blob
  std::string author_name;
  std::string author_email;
  std::string date;      // author date, ISO 8601
  std::string summary;   // the commit's first message line
  bool in_head = false;  // still present at HEAD; false: removed, but in history
  uint32_t paths = 1;    // distinct paths the blob was seen under
  uint32_t commits = 1;  // commits that added, moved or copied the blob
};

// Another place the same value (same rule, same fingerprint) was found, when reports show one
// finding per value.
struct FindingLocation {
  std::string path;
  Position start;
  std::string commit;  // git scans
  std::string blob;    // git scans
  bool in_head = false;
};

struct Finding {
  std::string rule_id;
  std::string rule_name;
  Category category = Category::kSecret;
  Severity severity = Severity::kMedium;
  Confidence confidence = Confidence::kMedium;
  // Evidence says this is test or example data (a test path, a word such as "example" on the
  // line, a published test value): still reported, with confidence lowered.
  bool likely_test = false;

  std::string path;  // as the user named it, e.g. "src/app.py"
  Position start;    // first character of the value
  Position end;      // last character of the value (inclusive)

  std::string value;             // raw: printed only with --show-secrets
  std::string redacted_value;    // a short prefix and "…"
  std::string snippet;           // the line around the value, raw
  std::string redacted_snippet;  // the same with every value on it masked
  std::string fingerprint;       // stable across moves: see pipeline/findings.h
  // How the value was stored in the file when it was found by decoding ("base64"), else empty.
  // The position is then that of the encoded text.
  std::string encoding;
  // Set by git scans; shared by the findings of one blob (in a long history, a JSONL report
  // streams hundreds of thousands of findings of a few thousand blobs).
  std::shared_ptr<const GitProvenance> git;
  std::vector<FindingLocation> other_locations;  // git summaries: everywhere else it is
};

}  // namespace leaksweep

#endif  // LEAKSWEEP_CORE_FINDING_H_
