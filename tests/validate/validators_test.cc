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
        "changeme", "REDACTED", "%(password)s", "AKIAXXXXXXXXXXXXXXXX",
        "ZXhhbXBsZS1jb29raWUtc2VjcmV0enp6"}) {
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
  CHECK(entropy.value()("R8x2kLmQ9vTz4NwPb7YcJd3F") == Verdict::kAccept);
  CHECK(entropy.value()("aaaabbbb") == Verdict::kReject);

  auto min_length = MakeValidator("min_length", {{"min", "10"}});
  REQUIRE(min_length.ok());
  CHECK(min_length.value()("0123456789") == Verdict::kAccept);
  CHECK(min_length.value()("012345678") == Verdict::kReject);

  CHECK(MakeValidator("luhn", {}).ok());
  CHECK(MakeValidator("not_placeholder", {}).value()("R8x2kLmQ9vTz") == Verdict::kAccept);
  for (const auto& name : ValidatorNames()) {
    CAPTURE(name);
    bool needs_min = name == "entropy" || name == "min_length";
    CHECK(MakeValidator(name, needs_min ? ValidatorParams{{"min", "1"}} : ValidatorParams{}).ok());
  }
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

TEST_CASE("payment cards: issuer, length, Luhn; published test numbers are test values") {
  CHECK(CheckCard("4539 1488 0343 6467") == Verdict::kAccept);
  CHECK(CheckCard("5224-1867-1553-8720") == Verdict::kAccept);
  CHECK(CheckCard("4539148803436468") == Verdict::kReject);  // Luhn
  CHECK(CheckCard("9539148803436461") == Verdict::kReject);  // no issuer starts with 9
  CHECK(CheckCard("45391488034364") == Verdict::kReject);    // Visa is never 14 digits
  CHECK(CheckCard("1655555555554") == Verdict::kReject);     // a 13-digit timestamp-like number
  CHECK(CheckCard("4111 1111 1111 1111") == Verdict::kTestValue);
  CHECK(CheckCard("378282246310005") == Verdict::kTestValue);
  CHECK(CheckCard("4444444444444448") == Verdict::kTestValue);
}

TEST_CASE("IBAN: country length and mod-97") {
  CHECK(CheckIban("FR7630006000011234567890189") == Verdict::kAccept);
  CHECK(CheckIban("FR76 3000 6000 0112 3456 7890 189") == Verdict::kAccept);
  CHECK(CheckIban("FR7730006000011234567890189") == Verdict::kReject);  // check digits
  CHECK(CheckIban("FR763000600001123456789018") == Verdict::kReject);   // length for FR
  CHECK(CheckIban("XX7630006000011234567890189") == Verdict::kReject);  // no such country
  CHECK(CheckIban("GB82WEST12345698765432") == Verdict::kTestValue);    // the standard example
}

TEST_CASE("US SSN and ITIN ranges") {
  CHECK(CheckUsSsn("536-22-8437") == Verdict::kAccept);
  CHECK(CheckUsSsn("536228437") == Verdict::kAccept);
  for (const char* invalid :
       {"000-22-8437", "666-22-8437", "936-22-8437", "536-00-8437", "536-22-0000", "536-22-843"}) {
    CAPTURE(invalid);
    CHECK(CheckUsSsn(invalid) == Verdict::kReject);
  }
  CHECK(CheckUsSsn("078-05-1120") == Verdict::kTestValue);
  CHECK(CheckUsSsn("123-45-6789") == Verdict::kTestValue);
  CHECK(CheckUsItin("912-78-4567") == Verdict::kAccept);
  CHECK(CheckUsItin("912-45-4567") == Verdict::kReject);
  CHECK(CheckUsItin("812-78-4567") == Verdict::kReject);
}

TEST_CASE("UK NINO, NHS number, Canadian SIN") {
  CHECK(CheckUkNino("JG103759A") == Verdict::kAccept);
  CHECK(CheckUkNino("JG 10 37 59 A") == Verdict::kAccept);
  CHECK(CheckUkNino("QQ123456C") == Verdict::kReject);  // Q is never a first letter
  CHECK(CheckUkNino("GB103759A") == Verdict::kReject);  // never-issued prefix
  CHECK(CheckUkNino("JG103759E") == Verdict::kReject);  // suffix A-D only
  CHECK(CheckUkNino("AB123456C") == Verdict::kTestValue);
  CHECK(CheckNhsNumber("401 023 2137") == Verdict::kAccept);
  CHECK(CheckNhsNumber("4010232138") == Verdict::kReject);
  CHECK(CheckNhsNumber("943 476 5919") == Verdict::kTestValue);
  CHECK(CheckCanadianSin("130 456 288") == Verdict::kAccept);
  CHECK(CheckCanadianSin("130 456 289") == Verdict::kReject);
  CHECK(CheckCanadianSin("046 454 286") == Verdict::kReject);  // 0 is never a first digit
}

TEST_CASE("GitHub and npm token checksums") {
  CHECK(CheckGithubChecksum("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") == Verdict::kAccept);
  CHECK(CheckGithubChecksum("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") == Verdict::kAccept);
  CHECK(CheckGithubChecksum("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") == Verdict::kAccept);
  CHECK(CheckGithubChecksum("ghp_gRMRQTtk3hff63PkLpt6FCCYS8RBHT1hOkgz") == Verdict::kReject);
  CHECK(CheckGithubChecksum("ghp_hRMRQTtk3hff63PkLpt6FCCYS8RBHT1hOkgy") == Verdict::kReject);
  CHECK(CheckGithubChecksum("ghp_short") == Verdict::kReject);
  CHECK(Base62Encode(0, 6) == "000000");
  CHECK(Base62Encode(61, 1) == "z");
}

TEST_CASE("public IP addresses") {
  CHECK(CheckPublicIpv4("93.184.216.34") == Verdict::kAccept);
  for (const char* internal :
       {"10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "127.0.0.1", "169.254.1.1",
        "100.64.0.1", "0.0.0.0", "224.0.0.1", "255.255.255.255", "198.18.0.1"}) {
    CAPTURE(internal);
    CHECK(CheckPublicIpv4(internal) == Verdict::kReject);
  }
  CHECK(CheckPublicIpv4("172.32.0.1") == Verdict::kAccept);
  CHECK(CheckPublicIpv4("8.8.8.8") == Verdict::kReject);  // a public resolver, not a person
  CHECK(CheckPublicIpv4("3.3.3.3") == Verdict::kTestValue);
  CHECK(CheckPublicIpv4("2.3.4.5") == Verdict::kTestValue);
  CHECK(CheckPublicIpv4("7.18.1.5") == Verdict::kReject);    // a section number
  CHECK(CheckPublicIpv4("192.0.2.10") == Verdict::kReject);  // documentation ranges
  CHECK(CheckPublicIpv4("203.0.113.7") == Verdict::kReject);
  CHECK(CheckPublicIpv4("1.2.3") == Verdict::kReject);
  CHECK(CheckPublicIpv4("1.2.3.256") == Verdict::kReject);
  CHECK(CheckPublicIpv4("01.2.3.4") == Verdict::kReject);
  CHECK(CheckPublicIpv6("2606:4700:4700::1111") == Verdict::kAccept);
  CHECK(CheckPublicIpv6("2001:db8::1") == Verdict::kReject);
  for (const char* internal : {"::1", "fe80::1", "fd12:3456::1", "ff02::1", "::", "std::vector"}) {
    CAPTURE(internal);
    CHECK(CheckPublicIpv6(internal) == Verdict::kReject);
  }
}

TEST_CASE("personal email addresses") {
  CHECK(CheckEmail("jane.roe@corp-mail.net") == Verdict::kAccept);
  // A reserved name only as the whole domain or its parent, not as the end of another name.
  CHECK(CheckEmail("jane.roe@myexample.com") == Verdict::kAccept);
  for (const char* not_personal :
       {"noreply@corp.com", "no-reply@corp.com", "12345+jane@users.noreply.github.com",
        "jane@example.com", "jane@mail.example.org", "jane@host.test", "logo@2x.png",
        "git@github.com", "a@b.invalid", "deploy@my-proj.iam.gserviceaccount.com",
        "notifications@corp.com"}) {
    CAPTURE(not_personal);
    CHECK(CheckEmail(not_personal) == Verdict::kReject);
  }
}

TEST_CASE("North American phone numbers") {
  CHECK(CheckNanpPhone("(415) 867-2309") == Verdict::kAccept);
  CHECK(CheckNanpPhone("+1 415 867 2309") == Verdict::kAccept);
  CHECK(CheckNanpPhone("415-555-0123") == Verdict::kTestValue);
  CHECK(CheckNanpPhone("115-867-2309") == Verdict::kReject);  // area codes start 2-9
  CHECK(CheckNanpPhone("411-867-2309") == Verdict::kReject);  // N11 is a service code
  CHECK(CheckNanpPhone("415-167-2309") == Verdict::kReject);  // exchanges start 2-9
}

TEST_CASE("international phone numbers") {
  CHECK(CheckE164Phone("+49 30 901820") == Verdict::kAccept);
  CHECK(CheckE164Phone("+33 1 42 68 53 00") == Verdict::kAccept);
  CHECK(CheckE164Phone("+44 20 7946 0123") == Verdict::kTestValue);
  CHECK(CheckE164Phone("+1 415 555 0123") == Verdict::kTestValue);
  CHECK(CheckE164Phone("+0 123 456 789") == Verdict::kReject);
  CHECK(CheckE164Phone("+12 34") == Verdict::kReject);
}

TEST_CASE("cryptocurrency addresses: Base58Check and Bech32") {
  CHECK(CheckBase58Check("16CeYqh3dWWSgsRbPVjQdXTepNuPQjfqAH") == Verdict::kAccept);
  CHECK(CheckBase58Check("31zZzubvxVEAkjW5mP6GMhVjAm9Hquib64") == Verdict::kAccept);
  CHECK(CheckBase58Check("muFujVLe2WZH9KAQBS6cv6wa9QtfEzCRDk") == Verdict::kTestValue);
  CHECK(CheckBase58Check("16CeYqh3dWWSgsRbPVjQdXTepNuPQjfqAJ") == Verdict::kReject);
  CHECK(CheckBase58Check("16CeYqh3dWWSgsRbPVjQdXTepNuPQjfq0H") ==
        Verdict::kReject);  // 0 not base58
  CHECK(CheckBech32("bc1q202ac3w5rwz5e3yd5dleafsg0smehwgl27nnz8") == Verdict::kAccept);
  CHECK(CheckBech32("bc1p9r8f2myccasq8348jm2aqstxnvfh2q5lp8hn0r099lygg72smdvnzkzjf0") ==
        Verdict::kAccept);
  CHECK(CheckBech32("tb1qehuu80wy4pwwqyrwyz4y03ldg7076vxxmtxs8w") == Verdict::kTestValue);
  CHECK(CheckBech32("bc1q202ac3w5rwz5e3yd5dleafsg0smehwgl27nnz9") == Verdict::kReject);
}

TEST_CASE("dates") {
  CHECK(CheckDate("1984-07-23") == Verdict::kAccept);
  CHECK(CheckDate("23/07/1984") == Verdict::kAccept);
  CHECK(CheckDate("07/23/1984") == Verdict::kAccept);
  CHECK(CheckDate("1984-13-23") == Verdict::kReject);
  CHECK(CheckDate("31.02.1984") == Verdict::kReject);
  CHECK(CheckDate("1850-01-01") == Verdict::kReject);
  CHECK(CheckDate("February 12, 1969") == Verdict::kAccept);
  CHECK(CheckDate("12 Feb 1969") == Verdict::kAccept);
  CHECK(CheckDate("February 30, 1969") == Verdict::kReject);
}
