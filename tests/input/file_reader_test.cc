#include "leaksweep/input/file_reader.h"

#include <doctest/doctest.h>

#include <sys/stat.h>
#include <cstring>
#include <memory>

#include "test_util.h"

using namespace leaksweep;
using leaksweep::testing::TempDir;

TEST_CASE("UTF-16 with a byte-order mark is decoded to UTF-8") {
  std::string little(
      "\xFF\xFE"
      "a\0b\0\xE9\0",
      8);
  CHECK(DecodeUtf16WithBom(little) == std::string("ab\xC3\xA9"));
  std::string big("\xFE\xFF\0a\xD8\x3D\xDE\x00", 8);  // a, U+1F600
  CHECK(DecodeUtf16WithBom(big) == std::string("a\xF0\x9F\x98\x80"));
  CHECK_FALSE(DecodeUtf16WithBom("plain").has_value());
}

TEST_CASE("reading classifies files: text, binary, too large, UTF-16") {
  TempDir dir;
  std::string buffer;
  auto text = dir.Write("a.txt", "hello\r\nworld\r\n");
  CHECK(ReadFileForScan(text.string(), {}, &buffer).text == "hello\r\nworld\r\n");

  auto binary = dir.Write("b.bin", std::string("\x7f"
                                               "ELF\0\0\0",
                                               7));
  auto result = ReadFileForScan(binary.string(), {}, &buffer);
  CHECK(result.outcome == ReadOutcome::kSkipped);
  CHECK(result.skip_reason == SkipReason::kBinary);
  ReadOptions scan_binary;
  scan_binary.scan_binary = true;
  CHECK(ReadFileForScan(binary.string(), scan_binary, &buffer).outcome == ReadOutcome::kRead);

  ReadOptions small;
  small.max_file_size = 4;
  result = ReadFileForScan(text.string(), small, &buffer);
  CHECK(result.outcome == ReadOutcome::kSkipped);
  CHECK(result.skip_reason == SkipReason::kTooLarge);

  auto utf16 = dir.Write("w.txt", std::string("\xFF\xFEk\0=\0v\0", 8));
  CHECK(ReadFileForScan(utf16.string(), {}, &buffer).text == "k=v");

  auto bom = dir.Write("bom.txt", "\xEF\xBB\xBFkey");
  CHECK(ReadFileForScan(bom.string(), {}, &buffer).text == "key");

  auto latin1 = dir.Write("l1.txt", "K\xf6ln");
  auto read_latin1 = ReadFileForScan(latin1.string(), {}, &buffer);
  CHECK(read_latin1.text == "K\xf6ln");  // returned as it is; callers convert when needed
  CHECK_FALSE(IsValidUtf8(read_latin1.text));
  CHECK(Latin1ToUtf8(read_latin1.text) == "K\xc3\xb6ln");
  auto utf8 = dir.Write("u8.txt", "K\xc3\xb6ln caf\xc3\xa9 and more ascii text");
  CHECK(ReadFileForScan(utf8.string(), {}, &buffer).text ==
        "K\xc3\xb6ln caf\xc3\xa9 and more ascii text");

  auto empty = dir.Write("empty.txt", "");
  auto read_empty = ReadFileForScan(empty.string(), {}, &buffer);
  CHECK(read_empty.outcome == ReadOutcome::kRead);
  CHECK(read_empty.text.empty());
}

TEST_CASE("storage is reused: a short file after a long one reads only its own bytes") {
  TempDir dir;
  std::string buffer;
  auto long_file = dir.Write("long.txt", std::string(100000, 'x'));
  auto short_file = dir.Write("short.txt", "abc");
  CHECK(ReadFileForScan(long_file.string(), {}, &buffer).text.size() == 100000);
  CHECK(ReadFileForScan(short_file.string(), {}, &buffer).text == "abc");
  CHECK(buffer.size() >= 100000);
}

TEST_CASE("UTF-8 validation") {
  CHECK(IsValidUtf8("plain ascii text that is long enough"));
  CHECK(IsValidUtf8("caf\xc3\xa9 \xf0\x9f\x98\x80"));
  CHECK_FALSE(IsValidUtf8("caf\xe9"));
  CHECK_FALSE(IsValidUtf8("\xc0\x80"));     // overlong
  CHECK_FALSE(IsValidUtf8("abc\xe2\x82"));  // truncated
}

TEST_CASE("UTF-8 validation reads nothing past the buffer, whatever its length") {
  // Heap buffers of exactly n bytes, so that AddressSanitizer sees a read past the end (the
  // ASCII fast paths read 32 and 8 bytes at a time).
  for (size_t n = 0; n <= 100; ++n) {
    auto bytes = std::make_unique<char[]>(n);
    std::memset(bytes.get(), 'a', n);
    std::string_view text(bytes.get(), n);
    CHECK(IsValidUtf8(text));
    if (n >= 2) {
      std::memcpy(bytes.get() + n - 2, "\xc3\xa9", 2);  // ends in a two-byte character
      CHECK(IsValidUtf8(text));
      bytes[n - 1] = 'a';  // ... cut short
      CHECK_FALSE(IsValidUtf8(text));
    }
  }
}

TEST_CASE("a FIFO is never read from, a missing file is an error without content") {
  TempDir dir;
  std::string buffer;
  REQUIRE(mkfifo((dir.path() / "pipe").c_str(), 0600) == 0);
  auto result = ReadFileForScan((dir.path() / "pipe").string(), {}, &buffer);
  CHECK(result.outcome == ReadOutcome::kSkipped);
  CHECK(result.skip_reason == SkipReason::kSpecialFile);

  result = ReadFileForScan((dir.path() / "missing").string(), {}, &buffer);
  CHECK(result.outcome == ReadOutcome::kError);
  CHECK(result.error.find("cannot open") == 0);
}

TEST_CASE("files that vanish or change between listing and reading are read as they are now") {
  // The walker lists paths; each file is opened and checked only when it is read. Here every
  // kind of change happens between the two, in the order a scan would meet it.
  TempDir dir;
  std::string buffer;
  ReadOptions options;
  options.max_file_size = 1000;
  auto vanished = dir.Write("vanished.txt", "SECRET_1\n");
  auto shrunk = dir.Write("shrunk.txt", std::string(900, 'x'));
  auto grew = dir.Write("grew.txt", "small\n");
  auto grew_too_much = dir.Write("grew-too-much.txt", "small\n");
  auto became_fifo = dir.Write("became-fifo.txt", "text\n");
  auto became_link = dir.Write("became-link.txt", "text\n");
  auto outside = dir.Write("outside/secret.txt", "SECRET_2\n");

  std::filesystem::remove(vanished);
  dir.Write("shrunk.txt", "now short\n");
  dir.Write("grew.txt", std::string(500, 'y'));
  dir.Write("grew-too-much.txt", std::string(5000, 'z'));
  std::filesystem::remove(became_fifo);
  REQUIRE(mkfifo(became_fifo.c_str(), 0600) == 0);
  std::filesystem::remove(became_link);
  std::filesystem::create_symlink(outside, became_link);

  ReadResult result = ReadFileForScan(vanished.string(), options, &buffer);
  CHECK(result.outcome == ReadOutcome::kError);
  CHECK(result.error.find("SECRET") == std::string::npos);
  CHECK(ReadFileForScan(shrunk.string(), options, &buffer).text == "now short\n");
  CHECK(ReadFileForScan(grew.string(), options, &buffer).text == std::string(500, 'y'));
  result = ReadFileForScan(grew_too_much.string(), options, &buffer);
  CHECK(result.outcome == ReadOutcome::kSkipped);
  CHECK(result.skip_reason == SkipReason::kTooLarge);
  result = ReadFileForScan(became_fifo.string(), options, &buffer);  // would block if opened
  CHECK(result.outcome == ReadOutcome::kSkipped);
  CHECK(result.skip_reason == SkipReason::kSpecialFile);
  result = ReadFileForScan(became_link.string(), options, &buffer);  // never followed
  CHECK(result.outcome == ReadOutcome::kSkipped);
  CHECK(result.skip_reason == SkipReason::kSymlink);
}
