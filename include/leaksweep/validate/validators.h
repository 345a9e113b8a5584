// Validators: pure functions that judge a candidate value after its pattern matched.
//
// Rule files name validators with parameters, e.g.
//     validators:
//       - card
//       - {name: entropy, min: 3.5}
//       - not_placeholder
// MakeValidator() checks the name and parameters once, at rule-load time, and returns a bound
// function that is cheap to call and safe to share between threads.
//
// A validator answers kReject (not a real value: wrong checksum, impossible range, placeholder),
// kAccept, or kTestValue: a valid value that is a well-known test or reserved one (the Visa test
// card 4111 1111 1111 1111, the 555-01xx phone range, an example.com address). Test values are
// still reported, marked `likely_test` with lower confidence: a checksum-valid value is never
// dropped on context alone.
//
// Known validators (parameters in braces):
//   luhn              digits (spaces and dashes ignored) pass the Luhn checksum
//   card              payment card: issuer prefix and length (Visa, Mastercard, Amex, Discover,
//                     JCB, Diners, UnionPay), Luhn, and not a run of one digit; known test
//                     numbers are test values
//   iban              ISO 13616: country code, the country's length, mod-97 check
//   us_ssn            US SSN: area not 000, 666 or 9xx, group not 00, serial not 0000; known
//                     advertising/test SSNs are test values
//   us_itin           US ITIN: 9xx with group 50-65, 70-88, 90-92 or 94-99
//   uk_nino           UK National Insurance number: valid prefix letters and suffix A-D
//   nhs_number        UK NHS number: mod-11 check digit
//   ca_sin            Canadian SIN: Luhn, first digit not 0 or 8
//   github_checksum   GitHub classic tokens (gh?_) and npm tokens: CRC32 of the 30-character
//                     body, base62-encoded, is the last 6 characters
//   public_ipv4       a dotted quad outside private, loopback, link-local, CGNAT, multicast,
//                     reserved and documentation ranges
//   public_ipv6       global unicast (2000::/3) outside documentation and IETF ranges
//   email             a personal address: not noreply or a mail robot, not a service account
//                     (*.gserviceaccount.com), not a reserved domain (example.com, .test,
//                     .invalid, .localhost, .local), not a file name (name@2x.png)
//   nanp_phone        North American number: valid area and exchange codes; 555-01xx is a
//                     test value
//   date              a plausible calendar date, year 1900-2099: YYYY-MM-DD, YYYY/MM/DD,
//                     DD/MM/YYYY, MM/DD/YYYY, DD.MM.YYYY, DD-MM-YYYY
//   e164_phone        international number: + and 8-15 digits; +1 numbers are checked as
//                     North American; Ofcom's drama ranges are test values
//   base58check       Bitcoin-style Base58Check address (version + double-SHA-256 checksum)
//   bech32            Bech32/Bech32m segwit address (bc1/tb1...) checksum
//   entropy           Shannon entropy in bits per character >= {min} (0..8)
//   min_length        at least {min} characters
//   not_placeholder   rejects documentation placeholders (see LooksLikePlaceholder)
#ifndef LEAKSWEEP_VALIDATE_VALIDATORS_H_
#define LEAKSWEEP_VALIDATE_VALIDATORS_H_

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "leaksweep/core/status.h"

namespace leaksweep {

enum class Verdict { kReject, kAccept, kTestValue };

using ValidatorParams = std::map<std::string, std::string>;
using BoundValidator = std::function<Verdict(std::string_view value)>;

// Returns a validator bound to its parameters, or an error naming what is wrong.
Result<BoundValidator> MakeValidator(const std::string& name, const ValidatorParams& params);

// Names of every known validator, for error messages and documentation.
std::vector<std::string> ValidatorNames();

// The building blocks, exposed for tests and other modules. Each takes the matched text.
bool PassesLuhn(std::string_view digits);      // non-digits other than ' ' and '-' fail
double ShannonEntropy(std::string_view text);  // bits per byte
// True for values that are documentation or template stand-ins rather than real values:
// words such as EXAMPLE, SAMPLE, PLACEHOLDER, CHANGEME, YOUR_..., runs like xxxx or ****,
// templates (<your-token>, ${VAR}, {{ var }}, %(var)s, $VAR), and values made of one repeated
// character or a plain ascending/descending sequence (abcdef…, 123456…).
bool LooksLikePlaceholder(std::string_view value);
Verdict CheckCard(std::string_view text);
Verdict CheckIban(std::string_view text);
Verdict CheckUsSsn(std::string_view text);
Verdict CheckUsItin(std::string_view text);
Verdict CheckUkNino(std::string_view text);
Verdict CheckNhsNumber(std::string_view text);
Verdict CheckCanadianSin(std::string_view text);
Verdict CheckGithubChecksum(std::string_view token);
Verdict CheckPublicIpv4(std::string_view text);
Verdict CheckPublicIpv6(std::string_view text);
Verdict CheckEmail(std::string_view text);
Verdict CheckNanpPhone(std::string_view text);
Verdict CheckBase58Check(std::string_view text);
Verdict CheckDate(std::string_view text);
Verdict CheckE164Phone(std::string_view text);
Verdict CheckBech32(std::string_view text);

// Helpers shared with test-data generators' expectations.
uint32_t Crc32(std::string_view data);
std::string Base62Encode(uint32_t value, size_t width);  // alphabet 0-9A-Za-z, zero-padded

}  // namespace leaksweep

#endif  // LEAKSWEEP_VALIDATE_VALIDATORS_H_
