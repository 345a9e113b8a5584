// SHA-256 and HMAC-SHA-256, for rule-set digests, cache keys and finding fingerprints.
#ifndef LEAKSWEEP_CORE_SHA256_H_
#define LEAKSWEEP_CORE_SHA256_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace leaksweep {

class Sha256 {
 public:
  using Digest = std::array<uint8_t, 32>;
  Sha256();
  void Update(std::string_view data);
  Digest Finish();  // the object must not be updated afterwards

 private:
  void Compress(const uint8_t* block);
  std::array<uint32_t, 8> state_;
  std::array<uint8_t, 64> buffer_{};
  uint64_t length_ = 0;  // bytes hashed so far
};

std::string ToHex(const Sha256::Digest& digest);
std::string Sha256Hex(std::string_view data);
Sha256::Digest HmacSha256(std::string_view key, std::string_view message);

// HMAC-SHA-256 under one key, for many messages: the key's padded blocks are hashed once, so
// each message costs two compressions fewer than HmacSha256.
class HmacSha256Key {
 public:
  explicit HmacSha256Key(std::string_view key);
  Sha256::Digest Mac(std::string_view message) const;

 private:
  Sha256 inner_, outer_;  // after the inner and outer padded key blocks
};

}  // namespace leaksweep

#endif  // LEAKSWEEP_CORE_SHA256_H_
