// Helpers shared by the fuzz targets: reading structured values out of the fuzzer's bytes,
// temporary directories, and aborting with a message when a target's check fails.
//
// Every target defines `extern "C" int LLVMFuzzerTestOneInput(const uint8_t*, size_t)`; it is
// linked either with libFuzzer (LEAKSWEEP_FUZZ builds, clang) or with replay_main.cc, a plain
// main that runs the seed corpora and regressions under ctest in any build.
#ifndef LEAKSWEEP_TESTS_FUZZ_FUZZ_UTIL_H_
#define LEAKSWEEP_TESTS_FUZZ_FUZZ_UTIL_H_

#include <stdlib.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>

namespace leaksweep::fuzz {

// Prints `what` and aborts: libFuzzer (and the replay main, through the signal) treats an abort
// as a crash and keeps the input.
[[noreturn]] inline void Fail(const std::string& what) {
  std::fprintf(stderr, "fuzz check failed: %s\n", what.c_str());
  std::fflush(stderr);
  std::abort();
}

#define FUZZ_CHECK(condition, what)                                                   \
  do {                                                                                \
    if (!(condition)) ::leaksweep::fuzz::Fail(std::string(#condition ": ") + (what)); \
  } while (0)

// Reads values from the front of the input. Past the end every read returns zero or empty, so
// any input, however short, is a complete description.
class FuzzInput {
 public:
  FuzzInput(const uint8_t* data, size_t size) : data_(reinterpret_cast<const char*>(data), size) {}

  bool empty() const { return pos_ >= data_.size(); }
  size_t remaining() const { return data_.size() - pos_; }

  uint8_t Byte() { return empty() ? 0 : static_cast<uint8_t>(data_[pos_++]); }
  bool Bool() { return (Byte() & 1) != 0; }
  uint16_t U16() { return static_cast<uint16_t>(Byte() | (Byte() << 8)); }
  uint32_t U32() { return static_cast<uint32_t>(U16()) | (static_cast<uint32_t>(U16()) << 16); }

  // A length-prefixed string holding any bytes: one length byte (below 0xF0), or 0xF0-0xFF and
  // a second byte for lengths up to 4335. Shorter when the input ends first.
  std::string String() {
    size_t length = Byte();
    if (length >= 0xF0) length = 0xF0 + (((length & 0x0F) << 8) | Byte());
    return Bytes(length);
  }

  std::string Bytes(size_t length) {
    if (length > remaining()) length = remaining();
    std::string out(data_.substr(pos_, length));
    pos_ += length;
    return out;
  }

  // Everything not read yet.
  std::string_view Rest() {
    std::string_view rest = data_.substr(pos_ < data_.size() ? pos_ : data_.size());
    pos_ = data_.size();
    return rest;
  }

 private:
  std::string_view data_;
  size_t pos_ = 0;
};

// The input of the pattern analyses' targets: a length-prefixed pattern (FuzzInput::String),
// then a subject, the rest of the input, cut at `max_subject` bytes.
struct PatternAndSubject {
  std::string pattern;
  std::string subject;
};

inline PatternAndSubject ReadPatternAndSubject(const uint8_t* bytes, size_t size,
                                               size_t max_subject) {
  FuzzInput in(bytes, size);
  PatternAndSubject input;
  input.pattern = in.String();
  input.subject = std::string(in.Rest().substr(0, max_subject));
  return input;
}

// A fresh directory under $TMPDIR (or /tmp), removed with its contents on destruction.
class ScratchDir {
 public:
  explicit ScratchDir(const char* name) {
    std::string pattern =
        (std::filesystem::temp_directory_path() / (std::string(name) + "-XXXXXX")).string();
    if (mkdtemp(pattern.data()) == nullptr) Fail("mkdtemp " + pattern);
    path_ = pattern;
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline void WriteFile(const std::filesystem::path& path, std::string_view content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  if (!out) Fail("cannot write " + path.string());
}

inline std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace leaksweep::fuzz

#endif  // LEAKSWEEP_TESTS_FUZZ_FUZZ_UTIL_H_
