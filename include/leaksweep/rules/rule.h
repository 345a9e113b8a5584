// Rule and RuleSet: validated, immutable signatures loaded from YAML.
//
// A rule's `pattern` is one regular expression that compiles both in Hyperscan (stage one,
// all rules in one database) and in PCRE2 (stage two, confirmation). Its first capture group
// is the sensitive value; without a group the whole match is the value. Patterns are compiled
// in multi-line mode (^ and $ match at line breaks); write (?i) for case-insensitivity.
//
// A RuleSet is built once and then shared read-only by every thread.
#ifndef LEAKSWEEP_RULES_RULE_H_
#define LEAKSWEEP_RULES_RULE_H_

#include <cstddef>
#include <string>
#include <vector>

#include "leaksweep/core/report_data.h"
#include "leaksweep/core/types.h"
#include "leaksweep/validate/validators.h"

namespace leaksweep {

struct ValidatorSpec {
  std::string name;
  ValidatorParams params;
  BoundValidator accept;  // bound at load time
};

// What a decoder rule does with its value: instead of reporting it, decodes it and scans the
// decoded text (one level deep; decoder rules do not apply inside decoded text).
enum class Decoder { kNone, kBase64 };

struct Rule {
  std::string id;  // stable, kebab-case; the key for overrides, config and baselines
  std::string name;
  Category category = Category::kSecret;
  Severity severity = Severity::kMedium;
  Confidence confidence = Confidence::kMedium;
  std::string pattern;
  // Optional, for speed: a simpler Hyperscan pattern used in stage one instead of `pattern`.
  // It must match within max_match_length of every place `pattern` matches (a necessary
  // condition, e.g. "[A-Za-z0-9]@[A-Za-z0-9]" for emails); stage two still confirms with
  // `pattern`. Worth it when `pattern` makes the shared database slow.
  std::string prefilter;
  // Optional, for speed: the prefilter matches inside every match of `pattern`, not merely
  // near it, and `pattern` matches within one line. Stage two then searches only the lines of
  // each stage-one candidate instead of max_match_length either side (the engine checks the
  // one-line part, the examples the rest).
  bool prefilter_in_match = false;
  // When non-empty, a match counts only if one of these words (case-insensitive) appears on
  // the line where the match starts (or inside the match), on the line before it, or on the
  // first line of the file (a CSV header naming the column).
  std::vector<std::string> keywords;
  // When one of these words (case-insensitive) appears on the match's line, it is dropped:
  // context that rules a value out ("version 1.2.3.4" is not an IP address). Only for values
  // without a checksum: context must never delete a checksum-valid value.
  std::vector<std::string> exclude_keywords;
  std::vector<ValidatorSpec> validators;
  std::string description;
  std::vector<std::string> references;
  std::vector<std::string> examples;           // each must produce a finding of this rule
  std::vector<std::string> negative_examples;  // none may produce a finding of this rule
  // Longest text a match can span; bounds the stage-two window (default 1 KiB, PEM blocks
  // need more).
  size_t max_match_length = 1024;
  Decoder decode = Decoder::kNone;  // `decode: base64`

  std::string source_file;  // where the rule was defined, for error messages
  int source_line = 0;

  RuleInfo Info() const;
  // The rule's own stage-one (Hyperscan) pattern. When it has no upper length, the engine runs
  // a bounded prefix of it instead (src/match/bounded_prefix.h).
  const std::string& StageOnePattern() const { return prefilter.empty() ? pattern : prefilter; }
};

class RuleSet {
 public:
  RuleSet() = default;
  explicit RuleSet(std::vector<Rule> rules);

  const std::vector<Rule>& rules() const { return rules_; }
  size_t size() const { return rules_.size(); }
  const Rule& at(size_t index) const { return rules_[index]; }
  // A hex digest of everything that affects matching (ids, patterns, validators, windows).
  const std::string& digest() const { return digest_; }
  std::vector<RuleInfo> Infos() const;

 private:
  std::vector<Rule> rules_;
  std::string digest_;
};

}  // namespace leaksweep

#endif  // LEAKSWEEP_RULES_RULE_H_
