// What a finished scan hands to report writers besides its findings: statistics, skipped files
// and errors. Kept in core so that report writers and the pipeline share one vocabulary.
#ifndef LEAKSWEEP_CORE_REPORT_DATA_H_
#define LEAKSWEEP_CORE_REPORT_DATA_H_

#include <cstdint>
#include <string>
#include <vector>

#include "leaksweep/core/types.h"

namespace leaksweep {

// Why a file was not scanned.
enum class SkipReason { kBinary, kTooLarge, kSpecialFile, kSymlink, kExcluded };
std::string_view ToString(SkipReason reason);

struct SkippedFile {
  std::string path;
  SkipReason reason;
};

// A file or object that could not be read, or a scan step that failed on it.
struct ScanError {
  std::string path;
  std::string message;  // never contains scanned content
};

struct ScanStats {
  uint64_t files_scanned = 0;
  uint64_t bytes_scanned = 0;
  uint64_t findings = 0;
  uint64_t suppressed_inline = 0;    // leaksweep:allow and friends
  uint64_t suppressed_config = 0;    // .leaksweep.yaml allow_values
  uint64_t suppressed_baseline = 0;  // --baseline
};

// A rule as report writers describe it (SARIF reporting descriptors, summaries).
struct RuleInfo {
  std::string id;
  std::string name;
  Category category = Category::kSecret;
  Severity severity = Severity::kMedium;
  std::string description;
  std::vector<std::string> references;
};

struct ScanSummary {
  std::string tool_version;
  std::string rules_digest;  // identifies the rule set that produced the report
  std::vector<RuleInfo> rules;
  ScanStats stats;
  std::vector<SkippedFile> skipped;
  std::vector<ScanError> errors;
  std::vector<std::string> notes;  // facts about the scan worth knowing (e.g. a shallow clone)
  // What stats.files_scanned counts, for people: "file", or "blob" in a history scan.
  std::string item_noun = "file";
  // Stopped early (SIGINT/SIGTERM): what was scanned is reported, but not everything was.
  bool incomplete = false;
};

}  // namespace leaksweep

#endif  // LEAKSWEEP_CORE_REPORT_DATA_H_
