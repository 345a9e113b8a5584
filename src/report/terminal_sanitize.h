// Makes untrusted text (paths, snippets, error messages) safe to print on a terminal.
//
// A file name may hold newlines or ANSI escape sequences; printed as is, it could fake report
// lines, hide findings or drive the terminal. Every control character is shown as a visible
// escape instead (`\n`, `\t`, `\r`, `\x1b`, `\x7f`, ...), as is each byte that is not part of
// well-formed UTF-8 (`\xff`). C1 controls (U+0080..U+009F, which some terminals obey) and the
// bidirectional overrides that can reorder what a line appears to say become `\u009b` or
// `\u202e`. Backslashes are left alone: code snippets are full of them, and the escapes are
// for the eye, not for parsing back.
#ifndef LEAKSWEEP_SRC_REPORT_TERMINAL_SANITIZE_H_
#define LEAKSWEEP_SRC_REPORT_TERMINAL_SANITIZE_H_

#include <string>
#include <string_view>

namespace leaksweep::report_internal {

std::string SanitizeForTerminal(std::string_view text);

}  // namespace leaksweep::report_internal

#endif  // LEAKSWEEP_SRC_REPORT_TERMINAL_SANITIZE_H_
