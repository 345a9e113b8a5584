#include "leaksweep/input/file_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace leaksweep {
namespace {

constexpr size_t kBinaryProbe = 8192;

void AppendUtf8(uint32_t code_point, std::string* out) {
  if (code_point < 0x80) {
    out->push_back(static_cast<char>(code_point));
  } else if (code_point < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (code_point >> 6)));
    out->push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else if (code_point < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (code_point >> 12)));
    out->push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (code_point >> 18)));
    out->push_back(static_cast<char>(0x80 | ((code_point >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  }
}

ReadResult Error(const std::string& what) {
  return {ReadOutcome::kError, SkipReason::kBinary, what + ": " + std::strerror(errno)};
}

ReadResult Skip(SkipReason reason) { return {ReadOutcome::kSkipped, reason, ""}; }

// Reads at most `limit` + 1 bytes, so a file that grew past the limit is noticed.
// `expected_size` (from fstat) sizes the buffer once; std::string zero-fills what it grows by,
// so growing in large steps for small files would cost more than reading them.
bool ReadUpTo(int fd, uint64_t limit, uint64_t expected_size, std::string* buffer) {
  buffer->clear();
  size_t chunk = std::min<uint64_t>(expected_size + 1, limit + 1);
  chunk = std::max<size_t>(chunk, 4096);
  while (buffer->size() <= limit) {
    size_t old_size = buffer->size();
    size_t want = std::min<uint64_t>(chunk, limit + 1 - old_size);
    buffer->resize(old_size + want);
    ssize_t n = read(fd, buffer->data() + old_size, want);
    if (n < 0) {
      buffer->resize(old_size);
      if (errno == EINTR) continue;
      return false;
    }
    buffer->resize(old_size + n);
    if (n == 0) break;
    chunk = std::min<size_t>(std::max<size_t>(chunk * 2, 64 << 10), 8 << 20);
  }
  return true;
}

// True when `data` is well-formed UTF-8. ASCII runs are skipped eight bytes at a time, since
// most source text is ASCII.
bool IsValidUtf8(std::string_view data) {
  const auto* p = reinterpret_cast<const unsigned char*>(data.data());
  const unsigned char* end = p + data.size();
  while (p < end) {
    if (end - p >= 8) {
      uint64_t word;
      std::memcpy(&word, p, 8);
      if ((word & 0x8080808080808080ull) == 0) {
        p += 8;
        continue;
      }
    }
    if (*p < 0x80) {
      ++p;
      continue;
    }
    int length = (*p & 0xE0) == 0xC0 ? 2 : (*p & 0xF0) == 0xE0 ? 3 : (*p & 0xF8) == 0xF0 ? 4 : 0;
    if (length == 0 || *p == 0xC0 || *p == 0xC1 || *p > 0xF4 || end - p < length) return false;
    for (int i = 1; i < length; ++i) {
      if ((p[i] & 0xC0) != 0x80) return false;
    }
    p += length;
  }
  return true;
}

// Reads text that is not UTF-8 as Latin-1 (each byte is the code point of the same value), so
// reports show "Köln" rather than escaped bytes.
std::string Latin1ToUtf8(std::string_view data) {
  std::string out;
  out.reserve(data.size() + data.size() / 8);
  for (unsigned char c : data) AppendUtf8(c, &out);
  return out;
}

// Turns raw bytes into the text to scan: UTF-16 decoded, UTF-8 BOM dropped, Latin-1 converted.
ReadResult Normalize(const ReadOptions& options, std::string* buffer) {
  if (auto decoded = DecodeUtf16WithBom(*buffer)) {
    *buffer = std::move(*decoded);
    return {};
  }
  if (buffer->rfind("\xEF\xBB\xBF", 0) == 0) buffer->erase(0, 3);
  bool binary = LooksBinary(*buffer);
  if (binary && !options.scan_binary) return Skip(SkipReason::kBinary);
  if (!binary && !IsValidUtf8(*buffer)) *buffer = Latin1ToUtf8(*buffer);
  return {};
}

}  // namespace

bool LooksBinary(std::string_view data) {
  return std::memchr(data.data(), '\0', std::min(data.size(), kBinaryProbe)) != nullptr;
}

std::optional<std::string> DecodeUtf16WithBom(std::string_view data) {
  if (data.size() < 2) return std::nullopt;
  bool little = data[0] == '\xFF' && data[1] == '\xFE';
  bool big = data[0] == '\xFE' && data[1] == '\xFF';
  if (!little && !big) return std::nullopt;
  auto unit_at = [&](size_t i) -> uint32_t {
    auto lo = static_cast<unsigned char>(data[i + (little ? 0 : 1)]);
    auto hi = static_cast<unsigned char>(data[i + (little ? 1 : 0)]);
    return (uint32_t{hi} << 8) | lo;
  };
  std::string out;
  out.reserve(data.size() / 2);
  for (size_t i = 2; i + 1 < data.size(); i += 2) {
    uint32_t unit = unit_at(i);
    if (unit >= 0xD800 && unit <= 0xDBFF && i + 3 < data.size()) {
      uint32_t low = unit_at(i + 2);
      if (low >= 0xDC00 && low <= 0xDFFF) {
        AppendUtf8(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00), &out);
        i += 2;
        continue;
      }
    }
    AppendUtf8((unit >= 0xD800 && unit <= 0xDFFF) ? 0xFFFD : unit, &out);
  }
  return out;
}

ReadResult ReadFileForScan(const std::string& path, const ReadOptions& options,
                           std::string* buffer) {
  if (path == "-") {
    if (!ReadUpTo(STDIN_FILENO, options.max_file_size, 0, buffer)) return Error("cannot read");
    if (buffer->size() > options.max_file_size) return Skip(SkipReason::kTooLarge);
    return Normalize(options, buffer);
  }
  int fd = open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    if (errno == ELOOP) return Skip(SkipReason::kSymlink);
    return Error("cannot open");
  }
  struct stat info;
  ReadResult result;
  if (fstat(fd, &info) != 0) {
    result = Error("cannot stat");
  } else if (!S_ISREG(info.st_mode)) {
    result = Skip(SkipReason::kSpecialFile);
  } else if (static_cast<uint64_t>(info.st_size) > options.max_file_size) {
    result = Skip(SkipReason::kTooLarge);
  } else if (!ReadUpTo(fd, options.max_file_size, info.st_size, buffer)) {
    result = Error("cannot read");
  } else if (buffer->size() > options.max_file_size) {
    result = Skip(SkipReason::kTooLarge);  // it grew while we read it
  } else {
    result = Normalize(options, buffer);
  }
  close(fd);
  return result;
}

}  // namespace leaksweep
