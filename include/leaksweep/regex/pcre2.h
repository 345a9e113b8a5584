// PCRE2 programs with an owner: compiling with readable errors, freeing automatically.
// Used for stage-two confirmation (match), allow-list patterns (policy) and anywhere else a
// full-featured regular expression is needed. A compiled program is immutable and may be shared
// between threads; match data is per thread.
#ifndef LEAKSWEEP_REGEX_PCRE2_H_
#define LEAKSWEEP_REGEX_PCRE2_H_

#ifndef PCRE2_CODE_UNIT_WIDTH
#define PCRE2_CODE_UNIT_WIDTH 8
#endif
#include <pcre2.h>

#include <memory>
#include <string_view>

#include "leaksweep/core/status.h"

namespace leaksweep {

struct Pcre2CodeDeleter {
  void operator()(pcre2_code* code) const { pcre2_code_free(code); }
};
using Pcre2Code = std::unique_ptr<pcre2_code, Pcre2CodeDeleter>;

// Compiles `pattern` with PCRE2 `options`; the error reads "at offset N: <PCRE2's message>".
Result<Pcre2Code> CompilePcre2(std::string_view pattern, uint32_t options);

}  // namespace leaksweep

#endif  // LEAKSWEEP_REGEX_PCRE2_H_
