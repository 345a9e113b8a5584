#include "terminal_sanitize.h"

#include "utf8.h"

namespace leaksweep::report_internal {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";

void AppendByteEscape(std::string& out, unsigned char byte) {
  out += "\\x";
  out += kHexDigits[byte >> 4];
  out += kHexDigits[byte & 0xF];
}

void AppendCodePointEscape(std::string& out, char32_t code_point) {
  out += "\\u";
  for (int shift = 12; shift >= 0; shift -= 4) out += kHexDigits[(code_point >> shift) & 0xF];
}

void AppendAscii(std::string& out, char c) {
  switch (c) {
    case '\n':
      out += "\\n";
      return;
    case '\r':
      out += "\\r";
      return;
    case '\t':
      out += "\\t";
      return;
    default:
      break;
  }
  const auto byte = static_cast<unsigned char>(c);
  if (byte < 0x20 || byte == 0x7F) {
    AppendByteEscape(out, byte);
  } else {
    out += c;
  }
}

// Printable in UTF-8 but still able to change how the terminal or the line behaves.
bool IsDangerousCodePoint(char32_t cp) {
  const bool c1_control = cp >= 0x80 && cp <= 0x9F;
  const bool bidi_embedding = cp >= 0x202A && cp <= 0x202E;  // LRE, RLE, PDF, LRO, RLO
  const bool bidi_isolate = cp >= 0x2066 && cp <= 0x2069;    // LRI, RLI, FSI, PDI
  const bool line_separator = cp == 0x2028 || cp == 0x2029;
  return c1_control || bidi_embedding || bidi_isolate || line_separator;
}

}  // namespace

std::string SanitizeForTerminal(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    const std::optional<Utf8Char> decoded = DecodeUtf8(text.substr(i));
    if (!decoded) {
      AppendByteEscape(out, static_cast<unsigned char>(text[i]));
      i += 1;
      continue;
    }
    if (decoded->length == 1) {
      AppendAscii(out, text[i]);
    } else if (IsDangerousCodePoint(decoded->code_point)) {
      AppendCodePointEscape(out, decoded->code_point);
    } else {
      out.append(text.substr(i, decoded->length));
    }
    i += decoded->length;
  }
  return out;
}

}  // namespace leaksweep::report_internal
