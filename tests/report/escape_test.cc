// The building blocks every writer relies on: UTF-8 decoding, JSON escaping, terminal
// sanitising and path-to-URI encoding.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "report/json_builder.h"
#include "report/json_escape.h"
#include "report/terminal_sanitize.h"
#include "report/uri.h"
#include "report/utf8.h"

namespace leaksweep::report_internal {
namespace {

// Parses `literal` as a JSON string (throws on invalid JSON or invalid UTF-8).
std::string ParseJsonString(const std::string& literal) {
  return nlohmann::json::parse(literal).get<std::string>();
}

TEST_CASE("DecodeUtf8 accepts well-formed sequences only") {
  CHECK(DecodeUtf8("a")->length == 1);
  CHECK(DecodeUtf8("\xc3\xa9")->code_point == 0xE9);             // é
  CHECK(DecodeUtf8("\xe6\x97\xa5")->code_point == 0x65E5);       // 日
  CHECK(DecodeUtf8("\xf0\x9f\x94\x91")->code_point == 0x1F511);  // key emoji
  CHECK_FALSE(DecodeUtf8(""));
  CHECK_FALSE(DecodeUtf8("\x80"));              // lone continuation byte
  CHECK_FALSE(DecodeUtf8("\xc0\xaf"));          // overlong '/'
  CHECK_FALSE(DecodeUtf8("\xe0\x80\xaf"));      // overlong, 3 bytes
  CHECK_FALSE(DecodeUtf8("\xed\xa0\x80"));      // UTF-16 surrogate
  CHECK_FALSE(DecodeUtf8("\xf4\x90\x80\x80"));  // above U+10FFFF
  CHECK_FALSE(DecodeUtf8("\xc3"));              // truncated
  CHECK_FALSE(DecodeUtf8("\xe6\x97("));         // bad continuation
  CHECK_FALSE(DecodeUtf8("\xff"));
}

TEST_CASE("JsonString escapes quotes, backslashes and control characters") {
  CHECK(JsonString("plain") == "\"plain\"");
  CHECK(JsonString("a\"b\\c") == R"("a\"b\\c")");
  CHECK(JsonString("\n\t\r\b\f") == R"("\n\t\r\b\f")");
  CHECK(JsonString(std::string("\x00\x1b\x7f", 3)) == R"("\u0000\u001b\u007f")");
  CHECK(JsonString("\xe2\x80\xa8") == R"("\u2028")");
}

TEST_CASE("JsonString passes valid UTF-8 through and reads invalid bytes as Latin-1") {
  CHECK(JsonString("caf\xc3\xa9 \xe6\x97\xa5") == "\"caf\xc3\xa9 \xe6\x97\xa5\"");
  CHECK(JsonString("\xff\xc3(") == R"("\u00ff\u00c3(")");
  CHECK(JsonString("\xed\xa0\x80") == R"("\u00ed\u00a0\u0080")");
  CHECK(ParseJsonString(JsonString("\xff")) == "\xc3\xbf");  // U+00FF
}

TEST_CASE("JsonString output always parses back, whatever the bytes") {
  std::string all_bytes;
  for (int byte = 0; byte < 256; ++byte) all_bytes += static_cast<char>(byte);
  const std::string inputs[] = {all_bytes, "\"\\\x1b[31m\n", "tail\xe6\x97", "\xf0\x9f\x94"};
  for (const std::string& input : inputs) {
    CHECK_NOTHROW(ParseJsonString(JsonString(input)));
  }
  // The ASCII range, control characters included, round-trips exactly.
  const std::string ascii = all_bytes.substr(0, 128);
  CHECK(ParseJsonString(JsonString(ascii)) == ascii);
}

TEST_CASE("JsonBuilder lays out pretty and compact JSON") {
  JsonBuilder pretty(JsonBuilder::Style::kPretty);
  pretty.BeginObject().Key("a").Uint(1).Key("b").BeginArray().Bool(true).String("x").EndArray();
  pretty.Key("c").BeginArray().EndArray().Key("d").BeginObject().EndObject().EndObject();
  CHECK(pretty.str() ==
        "{\n  \"a\": 1,\n  \"b\": [\n    true,\n    \"x\"\n  ],\n  \"c\": [],\n  \"d\": {}\n}");

  JsonBuilder compact(JsonBuilder::Style::kCompact);
  compact.BeginObject().Key("a").Uint(1).Key("b").BeginArray().Bool(false).EndArray().EndObject();
  CHECK(compact.str() == R"({"a":1,"b":[false]})");
}

TEST_CASE("SanitizeForTerminal makes control characters and invalid bytes visible") {
  CHECK(SanitizeForTerminal("src/app.py") == "src/app.py");
  CHECK(SanitizeForTerminal("a\nb\tc\rd") == R"(a\nb\tc\rd)");
  CHECK(SanitizeForTerminal("\x1b[31mred") == R"(\x1b[31mred)");
  CHECK(SanitizeForTerminal(std::string("\x00\x07\x7f", 3)) == R"(\x00\x07\x7f)");
  CHECK(SanitizeForTerminal("\xff\xc3(") == R"(\xff\xc3()");
  CHECK(SanitizeForTerminal("caf\xc3\xa9") == "caf\xc3\xa9");  // valid UTF-8 stays
  CHECK(SanitizeForTerminal("\xc2\x9b"
                            "2J") == R"(\u009b2J)");  // C1 CSI
  CHECK(SanitizeForTerminal("a\xe2\x80\xae"
                            "b") == R"(a\u202eb)");        // right-to-left override
  CHECK(SanitizeForTerminal(R"(C:\dir)") == R"(C:\dir)");  // backslashes are left alone
}

TEST_CASE("SanitizeForTerminal never emits a control byte") {
  std::string all_bytes;
  for (int byte = 0; byte < 256; ++byte) all_bytes += static_cast<char>(byte);
  const std::string sanitized = SanitizeForTerminal(all_bytes);
  for (char c : sanitized) {
    const auto byte = static_cast<unsigned char>(c);
    CHECK((byte >= 0x20 && byte != 0x7f));
  }
}

TEST_CASE("PathToUri percent-encodes what a URI reference cannot hold") {
  CHECK(PathToUri("src/app.py") == "src/app.py");
  CHECK(PathToUri("my dir/a#b?c%d.txt") == "my%20dir/a%23b%3Fc%25d.txt");
  CHECK(PathToUri("c:/x") == "c%3A/x");
  CHECK(PathToUri("caf\xc3\xa9\xff\n") == "caf%C3%A9%FF%0A");
  CHECK(PathToUri("a\\b") == "a%5Cb");
}

}  // namespace
}  // namespace leaksweep::report_internal
