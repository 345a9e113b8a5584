// JSON string escaping that always yields valid JSON and valid UTF-8, whatever the input bytes.
//
// Well-formed UTF-8 passes through unchanged. `"`, `\`, control characters (below 0x20, and
// 0x7f) and U+2028/U+2029 (which break JavaScript consumers) are escaped. Each byte that is
// not part of a well-formed sequence becomes \u00XX, i.e. it is read as Latin-1, so a file name
// in some legacy encoding still shows up readably instead of failing the whole report.
//
// Internal to leaksweep, but deliberately free of report types so other writers can reuse it.
#ifndef LEAKSWEEP_SRC_REPORT_JSON_ESCAPE_H_
#define LEAKSWEEP_SRC_REPORT_JSON_ESCAPE_H_

#include <string>
#include <string_view>

namespace leaksweep::report_internal {

// Appends `text` to `out` as a JSON string literal, quotes included.
void AppendJsonString(std::string& out, std::string_view text);

// `text` as a JSON string literal, quotes included.
std::string JsonString(std::string_view text);

}  // namespace leaksweep::report_internal

#endif  // LEAKSWEEP_SRC_REPORT_JSON_ESCAPE_H_
