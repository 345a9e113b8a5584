#include "leaksweep/input/file_reader.h"

#include <doctest/doctest.h>
#include <sys/stat.h>

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
  CHECK(ReadFileForScan(text.string(), {}, &buffer).outcome == ReadOutcome::kRead);
  CHECK(buffer == "hello\r\nworld\r\n");

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
  CHECK(ReadFileForScan(utf16.string(), {}, &buffer).outcome == ReadOutcome::kRead);
  CHECK(buffer == "k=v");

  auto bom = dir.Write("bom.txt", "\xEF\xBB\xBFkey");
  CHECK(ReadFileForScan(bom.string(), {}, &buffer).outcome == ReadOutcome::kRead);
  CHECK(buffer == "key");

  auto latin1 = dir.Write("l1.txt", "K\xf6ln");
  CHECK(ReadFileForScan(latin1.string(), {}, &buffer).outcome == ReadOutcome::kRead);
  CHECK(buffer == "K\xc3\xb6ln");
  auto utf8 = dir.Write("u8.txt", "K\xc3\xb6ln caf\xc3\xa9 and more ascii text");
  CHECK(ReadFileForScan(utf8.string(), {}, &buffer).outcome == ReadOutcome::kRead);
  CHECK(buffer == "K\xc3\xb6ln caf\xc3\xa9 and more ascii text");

  auto empty = dir.Write("empty.txt", "");
  CHECK(ReadFileForScan(empty.string(), {}, &buffer).outcome == ReadOutcome::kRead);
  CHECK(buffer.empty());
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
