#include "json_escape.h"

#include "utf8.h"

namespace leaksweep::report_internal {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";

void AppendUnicodeEscape(std::string& out, char32_t code_unit) {
  out += "\\u";
  for (int shift = 12; shift >= 0; shift -= 4) out += kHexDigits[(code_unit >> shift) & 0xF];
}

// The short escape JSON defines for `c`, or nullptr if it has none.
const char* ShortEscape(char c) {
  switch (c) {
    case '"':
      return "\\\"";
    case '\\':
      return "\\\\";
    case '\b':
      return "\\b";
    case '\f':
      return "\\f";
    case '\n':
      return "\\n";
    case '\r':
      return "\\r";
    case '\t':
      return "\\t";
    default:
      return nullptr;
  }
}

void AppendAsciiByte(std::string& out, char c) {
  if (const char* escape = ShortEscape(c)) {
    out += escape;
  } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
    AppendUnicodeEscape(out, static_cast<unsigned char>(c));
  } else {
    out += c;
  }
}

// Printable ASCII other than the quote and the backslash stands for itself.
bool IsPlain(char c) { return c >= 0x20 && c < 0x7F && c != '"' && c != '\\'; }

}  // namespace

void AppendJsonString(std::string& out, std::string_view text) {
  out += '"';
  size_t i = 0;
  while (i < text.size()) {
    // Most text is plain: appended a run at a time, not decoded byte by byte.
    size_t plain_end = i;
    while (plain_end < text.size() && IsPlain(text[plain_end])) ++plain_end;
    if (plain_end > i) {
      out.append(text, i, plain_end - i);
      i = plain_end;
      continue;
    }
    const std::optional<Utf8Char> decoded = DecodeUtf8(text.substr(i));
    if (!decoded) {
      // Not UTF-8: read the byte as Latin-1 so that the output stays valid.
      AppendUnicodeEscape(out, static_cast<unsigned char>(text[i]));
      i += 1;
      continue;
    }
    if (decoded->length == 1) {
      AppendAsciiByte(out, text[i]);
    } else if (decoded->code_point == 0x2028 || decoded->code_point == 0x2029) {
      AppendUnicodeEscape(out, decoded->code_point);
    } else {
      out.append(text.substr(i, decoded->length));
    }
    i += decoded->length;
  }
  out += '"';
}

std::string JsonString(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  AppendJsonString(out, text);
  return out;
}

}  // namespace leaksweep::report_internal
