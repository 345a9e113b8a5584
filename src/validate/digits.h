// Private to the validate module: small helpers for number-like values.
#ifndef LEAKSWEEP_SRC_VALIDATE_DIGITS_H_
#define LEAKSWEEP_SRC_VALIDATE_DIGITS_H_

#include <optional>
#include <string>
#include <string_view>

namespace leaksweep::validate_internal {

// The digits of `text` with the separators in `separators` removed; nullopt when any other
// character is present.
inline std::optional<std::string> DigitsOnly(std::string_view text,
                                             std::string_view separators = " -") {
  std::string digits;
  digits.reserve(text.size());
  for (char c : text) {
    if (c >= '0' && c <= '9') {
      digits.push_back(c);
    } else if (separators.find(c) == std::string_view::npos) {
      return std::nullopt;
    }
  }
  return digits;
}

// The number formed by digits [from, from + count) of `digits`.
inline int NumberAt(std::string_view digits, size_t from, size_t count) {
  int value = 0;
  for (size_t i = from; i < from + count && i < digits.size(); ++i)
    value = value * 10 + (digits[i] - '0');
  return value;
}

inline bool AllSameDigit(std::string_view digits) {
  return digits.find_first_not_of(digits.empty() ? '0' : digits[0]) == std::string_view::npos;
}

}  // namespace leaksweep::validate_internal

#endif  // LEAKSWEEP_SRC_VALIDATE_DIGITS_H_
