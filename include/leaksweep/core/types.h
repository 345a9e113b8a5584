// Small value types shared by every module: categories, severities, confidences.
#ifndef LEAKSWEEP_CORE_TYPES_H_
#define LEAKSWEEP_CORE_TYPES_H_

#include <optional>
#include <string_view>

namespace leaksweep {

// What a rule finds: a credential, or personal data about a person.
enum class Category { kSecret, kPii };

// Ordered from least to most severe, so severities compare with < and >=.
enum class Severity { kInfo, kLow, kMedium, kHigh, kCritical };

// How sure we are that a finding is real: validated and in context is high.
enum class Confidence { kLow, kMedium, kHigh };

std::string_view ToString(Category category);
std::string_view ToString(Severity severity);
std::string_view ToString(Confidence confidence);

// Parse the lowercase names used in rule files and on the command line.
std::optional<Category> ParseCategory(std::string_view text);
std::optional<Severity> ParseSeverity(std::string_view text);
std::optional<Confidence> ParseConfidence(std::string_view text);

}  // namespace leaksweep

#endif  // LEAKSWEEP_CORE_TYPES_H_
