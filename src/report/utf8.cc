#include "utf8.h"

namespace leaksweep::report_internal {
namespace {

bool IsContinuation(unsigned char byte) { return (byte & 0xC0) == 0x80; }

// The allowed range of the second byte, which is where RFC 3629 rules out overlong forms,
// surrogates and code points above U+10FFFF (Table 3-7 of the Unicode standard).
struct LeadInfo {
  size_t length = 0;
  unsigned char second_min = 0x80;
  unsigned char second_max = 0xBF;
};

LeadInfo InfoForLead(unsigned char lead) {
  if (lead >= 0xC2 && lead <= 0xDF) return {2, 0x80, 0xBF};
  if (lead == 0xE0) return {3, 0xA0, 0xBF};
  if (lead == 0xED) return {3, 0x80, 0x9F};
  if (lead >= 0xE1 && lead <= 0xEF) return {3, 0x80, 0xBF};
  if (lead == 0xF0) return {4, 0x90, 0xBF};
  if (lead >= 0xF1 && lead <= 0xF3) return {4, 0x80, 0xBF};
  if (lead == 0xF4) return {4, 0x80, 0x8F};
  return {};  // continuation byte, C0, C1 or F5..FF: never starts a sequence
}

}  // namespace

std::optional<Utf8Char> DecodeUtf8(std::string_view text) {
  if (text.empty()) return std::nullopt;
  const auto lead = static_cast<unsigned char>(text[0]);
  if (lead < 0x80) return Utf8Char{lead, 1};

  const LeadInfo info = InfoForLead(lead);
  if (info.length == 0 || text.size() < info.length) return std::nullopt;
  const auto second = static_cast<unsigned char>(text[1]);
  if (second < info.second_min || second > info.second_max) return std::nullopt;

  // The lead byte keeps 5, 4 or 3 payload bits for 2-, 3- and 4-byte sequences.
  char32_t code_point = lead & (0x7F >> info.length);
  for (size_t i = 1; i < info.length; ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (!IsContinuation(byte)) return std::nullopt;
    code_point = (code_point << 6) | (byte & 0x3F);
  }
  return Utf8Char{code_point, info.length};
}

}  // namespace leaksweep::report_internal
