// UTF-8 decoding shared by the escapers: they pass well-formed sequences through and treat
// every other byte on its own, so output stays valid whatever bytes a path or snippet holds.
#ifndef LEAKSWEEP_SRC_REPORT_UTF8_H_
#define LEAKSWEEP_SRC_REPORT_UTF8_H_

#include <cstddef>
#include <optional>
#include <string_view>

namespace leaksweep::report_internal {

struct Utf8Char {
  char32_t code_point = 0;
  size_t length = 0;  // bytes, 1 to 4
};

// Decodes the well-formed UTF-8 sequence at the start of `text` (RFC 3629: no overlong forms,
// no surrogates, nothing above U+10FFFF). Returns nullopt if `text` is empty or does not start
// with one; callers then handle the first byte alone.
std::optional<Utf8Char> DecodeUtf8(std::string_view text);

}  // namespace leaksweep::report_internal

#endif  // LEAKSWEEP_SRC_REPORT_UTF8_H_
