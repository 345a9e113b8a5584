#include "uri.h"

namespace leaksweep::report_internal {
namespace {

bool IsAsciiAlnum(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool KeepsLiteral(unsigned char c) {
  constexpr std::string_view kKept = "-._~!$&'()*+,;=@/";
  return IsAsciiAlnum(c) || kKept.find(static_cast<char>(c)) != std::string_view::npos;
}

}  // namespace

std::string PathToUri(std::string_view path) {
  constexpr char kHexDigits[] = "0123456789ABCDEF";
  std::string uri;
  uri.reserve(path.size());
  for (char c : path) {
    const auto byte = static_cast<unsigned char>(c);
    if (KeepsLiteral(byte)) {
      uri += c;
    } else {
      uri += '%';
      uri += kHexDigits[byte >> 4];
      uri += kHexDigits[byte & 0xF];
    }
  }
  return uri;
}

}  // namespace leaksweep::report_internal
