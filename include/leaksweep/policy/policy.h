// Policy: what the user told us to ignore.
//
//   inline      a line holding `leaksweep:allow` (also `gitleaks:allow` and
//               `pragma: allowlist secret`) suppresses findings that start on it;
//   config      `.leaksweep.yaml` at the scan root or --config FILE:
//                   disable_rules: [rule-id, ...]     # rules not run at all
//                   skip_paths: ['vendor/**', ...]    # globs, as for --exclude
//                   allow_values: ['^AKIAIOSFODNN7', ...]  # PCRE2 patterns matched on values
//   baseline    --baseline FILE, an earlier JSON (or JSONL) report: findings whose fingerprint
//               it holds are suppressed, wherever they moved.
// A Policy is built once and then only read; Suppresses() is safe to call from many threads.
#ifndef LEAKSWEEP_POLICY_POLICY_H_
#define LEAKSWEEP_POLICY_POLICY_H_

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "leaksweep/core/finding.h"
#include "leaksweep/core/status.h"

namespace leaksweep {

struct ProjectConfig {
  std::vector<std::string> disable_rules;
  std::vector<std::string> skip_paths;
  std::vector<std::string> allow_values;
};

// Parses a config file; errors name the file and line.
Result<ProjectConfig> LoadProjectConfig(const std::filesystem::path& file);
Result<ProjectConfig> ParseProjectConfig(const std::string& yaml_text, const std::string& source);

// Fingerprints held by an earlier JSON report or JSONL stream.
Result<std::unordered_set<std::string>> LoadBaseline(const std::filesystem::path& file);

// True when `line` carries an inline allow marker.
bool HasInlineAllow(std::string_view line);

enum class Suppression { kNone, kInline, kConfig, kBaseline };

class Policy {
 public:
  // Compiles allow_values; errors name the failing pattern.
  static Result<Policy> Make(const ProjectConfig& config,
                             std::unordered_set<std::string> baseline_fingerprints);
  Policy();
  ~Policy();
  Policy(Policy&&) noexcept;
  Policy& operator=(Policy&&) noexcept;

  // `line_allows` tells whether the finding's line carries an inline allow marker
  // (HasInlineAllow), which callers compute once per line.
  Suppression Check(const Finding& finding, bool line_allows) const;

 private:
  struct AllowPatterns;
  std::shared_ptr<const AllowPatterns> allow_;
  std::unordered_set<std::string> baseline_;
};

}  // namespace leaksweep

#endif  // LEAKSWEEP_POLICY_POLICY_H_
