// Validators: pure functions that accept or reject a candidate value after its pattern matched.
//
// Rule files name validators with parameters, e.g.
//     validators:
//       - luhn
//       - {name: entropy, min: 3.5}
//       - not_placeholder
// MakeValidator() checks the name and parameters once, at rule-load time, and returns a bound
// function that is cheap to call and safe to share between threads.
//
// Known validators and their parameters:
//   luhn              digits (spaces and dashes ignored) pass the Luhn checksum
//   entropy           Shannon entropy in bits per character >= `min` (required, 0..8)
//   not_placeholder   rejects documentation placeholders (see LooksLikePlaceholder)
//   min_length        at least `min` characters (required)
#ifndef LEAKSWEEP_VALIDATE_VALIDATORS_H_
#define LEAKSWEEP_VALIDATE_VALIDATORS_H_

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "leaksweep/core/status.h"

namespace leaksweep {

using ValidatorParams = std::map<std::string, std::string>;
using BoundValidator = std::function<bool(std::string_view value)>;

// Returns a validator bound to its parameters, or an error naming what is wrong.
Result<BoundValidator> MakeValidator(const std::string& name, const ValidatorParams& params);

// Names of every known validator, for error messages and `rules list`.
std::vector<std::string> ValidatorNames();

// The building blocks, exposed for tests and for other modules.
bool PassesLuhn(std::string_view digits);      // non-digits other than ' ' and '-' fail
double ShannonEntropy(std::string_view text);  // bits per byte
// True for values that are documentation or template stand-ins rather than real values:
// words such as EXAMPLE, SAMPLE, PLACEHOLDER, CHANGEME, YOUR_..., runs like xxxx or ****,
// templates (<your-token>, ${VAR}, {{ var }}, %(var)s, $VAR), and values made of one repeated
// character or a plain ascending/descending sequence (abcdef…, 123456…).
bool LooksLikePlaceholder(std::string_view value);

}  // namespace leaksweep

#endif  // LEAKSWEEP_VALIDATE_VALIDATORS_H_
