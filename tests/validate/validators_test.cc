#include "leaksweep/validate/validators.h"

#include <doctest/doctest.h>

using namespace leaksweep;

TEST_CASE("Luhn accepts valid card numbers and rejects others") {
  CHECK(PassesLuhn("4539148803436467"));
  CHECK(PassesLuhn("4539 1488 0343 6467"));
  CHECK(PassesLuhn("4539-1488-0343-6467"));
  CHECK_FALSE(PassesLuhn("4539148803436468"));
  CHECK_FALSE(PassesLuhn("45391488O3436467"));  // a letter O
  CHECK_FALSE(PassesLuhn("0"));
}

TEST_CASE("Shannon entropy measures bits per character") {
  CHECK(ShannonEntropy("") == 0);
  CHECK(ShannonEntropy("aaaaaaaa") == 0);
  CHECK(ShannonEntropy("abababab") == doctest::Approx(1.0));
  CHECK(ShannonEntropy("abcdefgh") == doctest::Approx(3.0));
  CHECK(ShannonEntropy("R8x2kLmQ9vTz4NwPb7YcJd3F") > 4.0);
}

TEST_CASE("placeholders are recognised") {
  for (const char* value :
       {"EXAMPLEKEY123", "your_api_key_here", "<your-token>", "${DB_PASSWORD}", "{{ secret }}",
        "$API_TOKEN", "xxxxxxxxxxxx", "****", "aaaaaaaa", "abcdefgh", "12345678", "87654321",
        "changeme", "REDACTED", "%(password)s", "AKIAXXXXXXXXXXXXXXXX"}) {
    CAPTURE(value);
    CHECK(LooksLikePlaceholder(value));
  }
  for (const char* value : {"R8x2kLmQ9vTz4NwPb7YcJd3F", "ghp_R8x2kLmQ9vTz4NwPb7YcJd3FsHg6Ae1uKo5i",
                            "Tr0ub4dor&3", "s3cr3t-Pa55w0rd!"}) {
    CAPTURE(value);
    CHECK_FALSE(LooksLikePlaceholder(value));
  }
}

TEST_CASE("validators are bound with checked parameters") {
  auto entropy = MakeValidator("entropy", {{"min", "3.5"}});
  REQUIRE(entropy.ok());
  CHECK(entropy.value()("R8x2kLmQ9vTz4NwPb7YcJd3F"));
  CHECK_FALSE(entropy.value()("aaaabbbb"));

  auto min_length = MakeValidator("min_length", {{"min", "10"}});
  REQUIRE(min_length.ok());
  CHECK(min_length.value()("0123456789"));
  CHECK_FALSE(min_length.value()("012345678"));

  CHECK(MakeValidator("luhn", {}).ok());
  CHECK(MakeValidator("not_placeholder", {}).value()("R8x2kLmQ9vTz"));
}

TEST_CASE("bad validator names and parameters are errors that say what is wrong") {
  auto unknown = MakeValidator("checksum", {});
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.status().message().find("unknown validator 'checksum'") != std::string::npos);

  auto missing = MakeValidator("entropy", {});
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.status().message().find("needs parameter 'min'") != std::string::npos);

  CHECK_FALSE(MakeValidator("entropy", {{"min", "high"}}).ok());
  CHECK_FALSE(MakeValidator("entropy", {{"min", "9"}}).ok());
  CHECK_FALSE(MakeValidator("luhn", {{"strict", "true"}}).ok());
}
