#include "leaksweep/core/types.h"

#include <array>
#include <utility>

#include "leaksweep/core/report_data.h"

namespace leaksweep {
namespace {

constexpr std::array<std::pair<Category, std::string_view>, 2> kCategories{{
    {Category::kSecret, "secret"},
    {Category::kPii, "pii"},
}};
constexpr std::array<std::pair<Severity, std::string_view>, 5> kSeverities{{
    {Severity::kInfo, "info"},
    {Severity::kLow, "low"},
    {Severity::kMedium, "medium"},
    {Severity::kHigh, "high"},
    {Severity::kCritical, "critical"},
}};
constexpr std::array<std::pair<Confidence, std::string_view>, 3> kConfidences{{
    {Confidence::kLow, "low"},
    {Confidence::kMedium, "medium"},
    {Confidence::kHigh, "high"},
}};

template <typename Enum, size_t N>
std::string_view NameOf(const std::array<std::pair<Enum, std::string_view>, N>& table, Enum value) {
  for (const auto& [entry, name] : table) {
    if (entry == value) return name;
  }
  return "unknown";
}

template <typename Enum, size_t N>
std::optional<Enum> Parse(const std::array<std::pair<Enum, std::string_view>, N>& table,
                          std::string_view text) {
  for (const auto& [entry, name] : table) {
    if (name == text) return entry;
  }
  return std::nullopt;
}

}  // namespace

std::string_view ToString(Category category) { return NameOf(kCategories, category); }
std::string_view ToString(Severity severity) { return NameOf(kSeverities, severity); }
std::string_view ToString(Confidence confidence) { return NameOf(kConfidences, confidence); }
std::optional<Category> ParseCategory(std::string_view text) { return Parse(kCategories, text); }
std::optional<Severity> ParseSeverity(std::string_view text) { return Parse(kSeverities, text); }
std::optional<Confidence> ParseConfidence(std::string_view text) {
  return Parse(kConfidences, text);
}

std::string_view ToString(SkipReason reason) {
  switch (reason) {
    case SkipReason::kBinary:
      return "binary";
    case SkipReason::kTooLarge:
      return "too-large";
    case SkipReason::kSpecialFile:
      return "special-file";
    case SkipReason::kSymlink:
      return "symlink";
    case SkipReason::kExcluded:
      return "excluded";
  }
  return "unknown";
}

}  // namespace leaksweep
