#include "leaksweep/input/file_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "long_path.h"

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
  return {ReadOutcome::kError, SkipReason::kBinary, what + ": " + std::strerror(errno), {}};
}

ReadResult Skip(SkipReason reason) { return {ReadOutcome::kSkipped, reason, "", {}}; }

// Reads at most `limit` + 1 bytes into `storage` (so a file that grew past the limit is
// noticed) and returns how many, or nullopt on a read error. `expected_size` (from fstat) sizes
// the first read. `storage` only grows: std::string zero-fills what it grows by.
std::optional<size_t> ReadUpTo(int fd, uint64_t limit, uint64_t expected_size,
                               std::string* storage) {
  size_t length = 0;
  size_t chunk = std::max<size_t>(std::min<uint64_t>(expected_size + 1, limit + 1), 4096);
  while (length <= limit) {
    size_t want = std::min<uint64_t>(chunk, limit + 1 - length);
    if (storage->size() < length + want) storage->resize(length + want);
    ssize_t n = read(fd, storage->data() + length, want);
    if (n < 0) {
      if (errno == EINTR) continue;
      return std::nullopt;
    }
    if (n == 0) break;
    length += n;
    chunk = std::min<size_t>(std::max<size_t>(chunk * 2, 64 << 10), 8 << 20);
  }
  return length;
}

// Turns the bytes read into the text to scan: UTF-16 decoded, UTF-8 BOM dropped, binary
// files skipped.
ReadResult Normalize(const ReadOptions& options, std::string_view bytes, std::string* storage) {
  if (auto decoded = DecodeUtf16WithBom(bytes)) {
    *storage = std::move(*decoded);
    ReadResult result;
    result.text = *storage;
    return result;
  }
  if (bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.remove_prefix(3);
  if (!options.scan_binary && LooksBinary(bytes)) return Skip(SkipReason::kBinary);
  ReadResult result;
  result.text = bytes;
  return result;
}

}  // namespace

// ASCII runs are skipped 32 bytes, then eight bytes, at a time, since most source text is ASCII
// (every blob with a match is checked: in a history, that is most of them).
bool IsValidUtf8(std::string_view data) {
  const auto* p = reinterpret_cast<const unsigned char*>(data.data());
  const unsigned char* end = p + data.size();
  while (p < end) {
    if (end - p >= 32) {
      uint64_t words[4];
      std::memcpy(words, p, 32);
      if (((words[0] | words[1] | words[2] | words[3]) & 0x8080808080808080ull) == 0) {
        p += 32;
        continue;
      }
    }
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

std::string Latin1ToUtf8(std::string_view data) {
  std::string out;
  out.reserve(data.size() + data.size() / 8);
  for (unsigned char c : data) AppendUtf8(c, &out);
  return out;
}

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

ReadResult PrepareText(std::string_view bytes, const ReadOptions& options, std::string* storage) {
  return Normalize(options, bytes, storage);
}

ReadResult ReadFileForScan(const std::string& path, const ReadOptions& options,
                           std::string* storage) {
  if (path == "-") {
    std::optional<size_t> length = ReadUpTo(STDIN_FILENO, options.max_file_size, 0, storage);
    if (!length) return Error("cannot read");
    if (*length > options.max_file_size) return Skip(SkipReason::kTooLarge);
    return Normalize(options, std::string_view(storage->data(), *length), storage);
  }
  int fd = OpenLongPath(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    if (errno == ELOOP) return Skip(SkipReason::kSymlink);
    return Error("cannot open");
  }
  struct stat info;
  ReadResult result;
  std::optional<size_t> length;
  if (fstat(fd, &info) != 0) {
    result = Error("cannot stat");
  } else if (!S_ISREG(info.st_mode)) {
    result = Skip(SkipReason::kSpecialFile);
  } else if (static_cast<uint64_t>(info.st_size) > options.max_file_size) {
    result = Skip(SkipReason::kTooLarge);
  } else if (!(length = ReadUpTo(fd, options.max_file_size, info.st_size, storage))) {
    result = Error("cannot read");
  } else if (*length > options.max_file_size) {
    result = Skip(SkipReason::kTooLarge);  // it grew while we read it
  } else {
    result = Normalize(options, std::string_view(storage->data(), *length), storage);
  }
  close(fd);
  return result;
}

}  // namespace leaksweep
