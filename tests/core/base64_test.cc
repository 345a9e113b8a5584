#include "leaksweep/core/base64.h"

#include <doctest/doctest.h>

using leaksweep::DecodeBase64;
using leaksweep::LooksLikeText;

TEST_CASE("base64 decodes both alphabets, with or without padding") {
  CHECK(DecodeBase64("aGVsbG8gd29ybGQ=") == std::string("hello world"));
  CHECK(DecodeBase64("aGVsbG8gd29ybGQ") == std::string("hello world"));
  CHECK(DecodeBase64("-_-_") == DecodeBase64("+/+/"));
  CHECK(DecodeBase64("") == std::string());
  CHECK_FALSE(DecodeBase64("aGVsb#8=").has_value());
  CHECK_FALSE(DecodeBase64("aGVsb").has_value());  // 5 characters cannot be base64
}

TEST_CASE("decoded bytes worth scanning are text") {
  CHECK(LooksLikeText("password: hunter2\n"));
  CHECK(LooksLikeText("caf\xc3\xa9 au lait"));
  CHECK_FALSE(LooksLikeText(std::string("\x89PNG\r\n\x1a\n\0\0\0", 11)));
  CHECK_FALSE(LooksLikeText("\xff\xfe\xfd"));
  CHECK_FALSE(LooksLikeText(""));
}
