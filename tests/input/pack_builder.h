// Hand-made git packs and indexes for tests: what git never writes (REF_DELTA bases in other
// packs or nowhere, cycles, lying headers, v1 and 64-bit indexes), with arbitrary ids (object
// hashes are not verified by the readers under test).
#ifndef LEAKSWEEP_TESTS_INPUT_PACK_BUILDER_H_
#define LEAKSWEEP_TESTS_INPUT_PACK_BUILDER_H_

#include <doctest/doctest.h>
#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "leaksweep/input/git_inventory.h"

namespace leaksweep::testing {

namespace fs = std::filesystem;

inline GitOid OidFromHex(const std::string& hex) {
  GitOid id;
  for (size_t i = 0; i < 20; ++i) {
    id.bytes[i] = static_cast<uint8_t>(std::stoi(hex.substr(2 * i, 2), nullptr, 16));
  }
  return id;
}

inline void WriteBinaryFile(const fs::path& path, const std::string& content) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << content;
}

inline std::string Be32(uint32_t v) {
  return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
          static_cast<char>(v)};
}

inline std::string Varint(uint64_t v) {
  std::string out;
  do {
    uint8_t c = v & 0x7f;
    v >>= 7;
    out.push_back(static_cast<char>(c | (v ? 0x80 : 0)));
  } while (v);
  return out;
}

// Delta data: a header, then copy and insert instructions.
class Delta {
 public:
  Delta(uint64_t base_size, uint64_t result_size)
      : bytes_(Varint(base_size) + Varint(result_size)) {}
  explicit Delta(std::string raw) : bytes_(std::move(raw)) {}  // no header of its own
  Delta& Copy(uint64_t offset, uint64_t size) {
    std::string args;
    uint8_t cmd = 0x80;
    for (int i = 0; i < 4; ++i) {
      if ((offset >> (8 * i)) & 0xff) {
        cmd |= 1 << i;
        args.push_back(static_cast<char>(offset >> (8 * i)));
      }
    }
    if (size != 0x10000) {
      for (int i = 0; i < 3; ++i) {
        if ((size >> (8 * i)) & 0xff) {
          cmd |= 0x10 << i;
          args.push_back(static_cast<char>(size >> (8 * i)));
        }
      }
    }
    bytes_ += static_cast<char>(cmd) + args;
    return *this;
  }
  Delta& Insert(const std::string& text) {
    bytes_ += static_cast<char>(text.size()) + text;
    return *this;
  }
  Delta& Raw(const std::string& bytes) {
    bytes_ += bytes;
    return *this;
  }
  const std::string& bytes() const { return bytes_; }

 private:
  std::string bytes_;
};

// A made-up id: spread over the fanout by its low byte, unique by the next four.
inline GitOid FakeId(uint32_t n) {
  GitOid id;
  for (size_t i = 0; i < 20; ++i) id.bytes[i] = static_cast<uint8_t>(i * 11);
  id.bytes[0] = static_cast<uint8_t>(n);
  for (int i = 0; i < 4; ++i) id.bytes[1 + i] = static_cast<uint8_t>(n >> (24 - 8 * i));
  return id;
}

inline std::string Compress(const std::string& data) {
  uLongf size = compressBound(data.size());
  std::string out(size, '\0');
  REQUIRE(compress2(reinterpret_cast<Bytef*>(out.data()), &size,
                    reinterpret_cast<const Bytef*>(data.data()), data.size(), 6) == Z_OK);
  out.resize(size);
  return out;
}

// A pack and its index, written by hand. Ids are arbitrary (hashes are not verified).
class PackBuilder {
 public:
  static constexpr int kCommit = 1, kTree = 2, kBlob = 3, kTag = 4;

  uint64_t Full(const GitOid& id, int type, const std::string& data) {
    return Add(id, Header(type, data.size()) + Compress(data));
  }
  // An entry whose header declares `size` but whose stream holds `data`.
  uint64_t Lying(const GitOid& id, int type, uint64_t size, const std::string& data) {
    return Add(id, Header(type, size) + Compress(data));
  }
  uint64_t Raw(const GitOid& id, const std::string& entry) { return Add(id, entry); }
  uint64_t OfsDelta(const GitOid& id, uint64_t base_offset, const Delta& delta) {
    uint64_t distance = 12 + body_.size() - base_offset;
    std::string encoded(1, static_cast<char>(distance & 127));
    while (distance >>= 7) encoded.insert(0, 1, static_cast<char>(128 | (--distance & 127)));
    return Add(id, Header(6, delta.bytes().size()) + encoded + Compress(delta.bytes()));
  }
  uint64_t RefDelta(const GitOid& id, const GitOid& base, const Delta& delta) {
    return Add(id, Header(7, delta.bytes().size()) +
                       std::string(reinterpret_cast<const char*>(base.bytes.data()), 20) +
                       Compress(delta.bytes()));
  }

  enum class Index { kV2, kV2Large, kV1 };
  // Writes objects/pack/pack-<name>.{pack,idx}.
  void Write(const fs::path& objects, const std::string& name, Index format = Index::kV2) const {
    std::string trailer(20, static_cast<char>(0xab));
    std::string pack =
        "PACK" + Be32(2) + Be32(static_cast<uint32_t>(entries_.size())) + body_ + trailer;
    std::vector<std::pair<GitOid, uint64_t>> sorted = entries_;
    std::sort(sorted.begin(), sorted.end());
    std::string fanout;
    for (int b = 0; b < 256; ++b) {
      uint32_t count = 0;
      for (const auto& entry : sorted) count += entry.first.bytes[0] <= b;
      fanout += Be32(count);
    }
    auto id_bytes = [](const GitOid& id) {
      return std::string(reinterpret_cast<const char*>(id.bytes.data()), 20);
    };
    std::string index;
    if (format == Index::kV1) {
      index = fanout;
      for (const auto& [id, offset] : sorted) index += Be32(offset) + id_bytes(id);
    } else {
      index = "\xfftOc" + Be32(2) + fanout;
      for (const auto& entry : sorted) index += id_bytes(entry.first);
      for (size_t i = 0; i < sorted.size(); ++i) index += Be32(0);  // CRCs, unchecked
      std::string large;
      for (size_t i = 0; i < sorted.size(); ++i) {
        if (format == Index::kV2Large) {
          index += Be32(0x80000000u | static_cast<uint32_t>(i));
          large += Be32(0) + Be32(static_cast<uint32_t>(sorted[i].second));
        } else {
          index += Be32(static_cast<uint32_t>(sorted[i].second));
        }
      }
      index += large;
    }
    index += trailer + std::string(20, '\0');
    WriteBinaryFile(objects / "pack" / ("pack-" + name + ".pack"), pack);
    WriteBinaryFile(objects / "pack" / ("pack-" + name + ".idx"), index);
  }

 private:
  static std::string Header(int type, uint64_t size) {
    std::string out(1, static_cast<char>((type << 4) | (size & 15)));
    size >>= 4;
    while (size) {
      out.back() = static_cast<char>(out.back() | 0x80);
      out.push_back(static_cast<char>(size & 0x7f));
      size >>= 7;
    }
    return out;
  }
  uint64_t Add(const GitOid& id, const std::string& entry) {
    uint64_t offset = 12 + body_.size();
    body_ += entry;
    entries_.push_back({id, offset});
    return offset;
  }
  std::string body_;
  std::vector<std::pair<GitOid, uint64_t>> entries_;
};

}  // namespace leaksweep::testing

#endif  // LEAKSWEEP_TESTS_INPUT_PACK_BUILDER_H_
