// Base64 decoding (standard and URL-safe alphabets, padding optional), for values that wrap a
// secret one level deep: Kubernetes Secret data fields, base64-encoded PEM files.
#ifndef LEAKSWEEP_CORE_BASE64_H_
#define LEAKSWEEP_CORE_BASE64_H_

#include <optional>
#include <string>
#include <string_view>

namespace leaksweep {

// nullopt when `encoded` holds a character outside both alphabets or has an impossible length.
std::optional<std::string> DecodeBase64(std::string_view encoded);

// True when `bytes` is valid UTF-8 made almost entirely of printable characters and white space:
// decoded text worth scanning, as opposed to an image or a hash.
bool LooksLikeText(std::string_view bytes);

}  // namespace leaksweep

#endif  // LEAKSWEEP_CORE_BASE64_H_
