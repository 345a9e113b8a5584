// File paths as URI references, for SARIF artifactLocation.uri.
#ifndef LEAKSWEEP_SRC_REPORT_URI_H_
#define LEAKSWEEP_SRC_REPORT_URI_H_

#include <string>
#include <string_view>

namespace leaksweep::report_internal {

// Percent-encodes every byte of `path` except RFC 3986 unreserved characters, sub-delimiters,
// '@' and '/'. So spaces, '%', '#', '?', ':' (which would read as a scheme), backslashes,
// control characters and every non-ASCII byte (valid UTF-8 or not) are encoded, and the result
// is plain ASCII that resolves back to the same bytes.
std::string PathToUri(std::string_view path);

}  // namespace leaksweep::report_internal

#endif  // LEAKSWEEP_SRC_REPORT_URI_H_
