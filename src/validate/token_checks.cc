// Checks built into token and address formats: CRC32 in GitHub and npm tokens, Base58Check and
// Bech32 in cryptocurrency addresses.
#include <zlib.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "leaksweep/core/sha256.h"
#include "leaksweep/validate/validators.h"

namespace leaksweep {
namespace {

constexpr std::string_view kBase62 =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
constexpr std::string_view kBase58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
constexpr std::string_view kBech32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

std::optional<std::vector<uint8_t>> DecodeBase58(std::string_view text) {
  std::vector<uint8_t> bytes;  // big-endian
  for (char c : text) {
    size_t digit = kBase58.find(c);
    if (digit == std::string_view::npos) return std::nullopt;
    int carry = static_cast<int>(digit);
    for (auto it = bytes.rbegin(); it != bytes.rend(); ++it) {
      carry += 58 * (*it);
      *it = static_cast<uint8_t>(carry & 0xff);
      carry >>= 8;
    }
    while (carry > 0) {
      bytes.insert(bytes.begin(), static_cast<uint8_t>(carry & 0xff));
      carry >>= 8;
    }
  }
  for (char c : text) {  // each leading '1' is a leading zero byte
    if (c != '1') break;
    bytes.insert(bytes.begin(), 0);
  }
  return bytes;
}

uint32_t Bech32Polymod(const std::vector<uint8_t>& values) {
  constexpr std::array<uint32_t, 5> kGenerator = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd,
                                                  0x2a1462b3};
  uint32_t checksum = 1;
  for (uint8_t value : values) {
    uint8_t top = checksum >> 25;
    checksum = ((checksum & 0x1ffffff) << 5) ^ value;
    for (int i = 0; i < 5; ++i) {
      if ((top >> i) & 1) checksum ^= kGenerator[i];
    }
  }
  return checksum;
}

}  // namespace

uint32_t Crc32(std::string_view data) {
  return static_cast<uint32_t>(
      crc32(0L, reinterpret_cast<const Bytef*>(data.data()), static_cast<uInt>(data.size())));
}

std::string Base62Encode(uint32_t value, size_t width) {
  std::string digits;
  do {
    digits.insert(digits.begin(), kBase62[value % 62]);
    value /= 62;
  } while (value > 0);
  if (digits.size() < width) digits.insert(0, width - digits.size(), '0');
  return digits;
}

Verdict CheckGithubChecksum(std::string_view token) {
  // prefix_ (4 characters: ghp_, gho_, ghu_, ghs_, ghr_, npm_) + 30 random + 6 checksum.
  if (token.size() != 40 || token[3] != '_') return Verdict::kReject;
  std::string_view body = token.substr(4, 30), checksum = token.substr(34);
  return Base62Encode(Crc32(body), 6) == checksum ? Verdict::kAccept : Verdict::kReject;
}

Verdict CheckBase58Check(std::string_view text) {
  std::optional<std::vector<uint8_t>> bytes = DecodeBase58(text);
  if (!bytes || bytes->size() != 25) return Verdict::kReject;
  std::string payload(bytes->begin(), bytes->begin() + 21);
  Sha256 first;
  first.Update(payload);
  Sha256::Digest once = first.Finish();
  Sha256 second;
  second.Update(std::string_view(reinterpret_cast<const char*>(once.data()), once.size()));
  Sha256::Digest twice = second.Finish();
  if (!std::equal(twice.begin(), twice.begin() + 4, bytes->begin() + 21)) return Verdict::kReject;
  uint8_t version = (*bytes)[0];
  if (version == 0x00 || version == 0x05) return Verdict::kAccept;     // mainnet P2PKH, P2SH
  if (version == 0x6f || version == 0xc4) return Verdict::kTestValue;  // testnet
  return Verdict::kReject;
}

Verdict CheckBech32(std::string_view text) {
  std::string address(text);
  bool lower = address.find_first_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ") == std::string::npos;
  bool upper = address.find_first_of("abcdefghijklmnopqrstuvwxyz") == std::string::npos;
  if (!lower && !upper) return Verdict::kReject;  // mixed case is invalid in Bech32
  for (char& c : address) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  size_t separator = address.rfind('1');
  if (separator == std::string::npos || separator == 0 || address.size() - separator < 7) {
    return Verdict::kReject;
  }
  std::string hrp = address.substr(0, separator);
  std::vector<uint8_t> values;
  for (char c : hrp) values.push_back(static_cast<uint8_t>(c) >> 5);
  values.push_back(0);
  for (char c : hrp) values.push_back(static_cast<uint8_t>(c) & 31);
  std::vector<uint8_t> data;
  for (size_t i = separator + 1; i < address.size(); ++i) {
    size_t value = kBech32.find(address[i]);
    if (value == std::string_view::npos) return Verdict::kReject;
    data.push_back(static_cast<uint8_t>(value));
  }
  values.insert(values.end(), data.begin(), data.end());
  uint32_t polymod = Bech32Polymod(values);
  // Witness version 0 uses Bech32 (constant 1); later versions Bech32m (BIP 350).
  uint32_t expected = data[0] == 0 ? 1 : 0x2bc830a3;
  if (polymod != expected) return Verdict::kReject;
  if (hrp == "bc") return Verdict::kAccept;
  if (hrp == "tb" || hrp == "bcrt") return Verdict::kTestValue;
  return Verdict::kReject;
}

}  // namespace leaksweep
