// Checks for personal identifiers: cards, bank accounts, national numbers, phones.
#include <algorithm>
#include <array>
#include <cctype>
#include <set>
#include <string>
#include <vector>

#include "digits.h"
#include "leaksweep/validate/validators.h"

namespace leaksweep {
namespace {

using validate_internal::AllSameDigit;
using validate_internal::DigitsOnly;
using validate_internal::NumberAt;

struct CardRange {
  int prefix_low, prefix_high;  // inclusive, compared on the first `prefix_digits` digits
  int prefix_digits;
  size_t min_length, max_length;
};

// Issuer identification ranges and lengths of the major card brands.
constexpr std::array<CardRange, 16> kCardRanges{{
    {4, 4, 1, 13, 13},  // Visa: 13, 16 or 19 digits
    {4, 4, 1, 16, 16},
    {4, 4, 1, 19, 19},
    {51, 55, 2, 16, 16},      // Mastercard
    {2221, 2720, 4, 16, 16},  // Mastercard 2-series
    {34, 34, 2, 15, 15},      // American Express
    {37, 37, 2, 15, 15},      // American Express
    {6011, 6011, 4, 16, 19},  // Discover
    {644, 649, 3, 16, 19},    // Discover
    {65, 65, 2, 16, 19},      // Discover
    {3528, 3589, 4, 16, 19},  // JCB
    {300, 305, 3, 14, 19},    // Diners Club
    {36, 36, 2, 14, 19},      // Diners Club
    {38, 39, 2, 16, 19},      // Diners Club
    {62, 62, 2, 16, 19},      // UnionPay
    {3095, 3095, 4, 14, 19},  // Diners Club
}};

// Numbers published by card networks and payment providers for testing.
const std::set<std::string>& TestCardNumbers() {
  static const std::set<std::string> numbers = {
      "4111111111111111", "4012888888881881",   "4222222222222",    "4242424242424242",
      "4000056655665556", "4000000000000002",   "4000000000000077", "4000000000009995",
      "4000000000000341", "4000002500003155",   "4000000000003220", "4000000000000069",
      "4000000000000127", "4000000000000119",   "4111111111111",    "4917610000000000",
      "5555555555554444", "5105105105105100",   "2223003122003222", "5200828282828210",
      "5454545454545454", "5431111111111111",   "2222400010000008", "378282246310005",
      "371449635398431",  "378734493671000",    "340000000000009",  "370000000000002",
      "6011111111111117", "6011000990139424",   "6011000000000004", "3530111333300000",
      "3566002020360505", "30569309025904",     "38520000023237",   "36227206271667",
      "6200000000000005", "6205500000000000004"};
  return numbers;
}

bool MatchesIssuer(std::string_view digits) {
  for (const CardRange& range : kCardRanges) {
    if (digits.size() < range.min_length || digits.size() > range.max_length) continue;
    int prefix = NumberAt(digits, 0, range.prefix_digits);
    if (prefix >= range.prefix_low && prefix <= range.prefix_high) return true;
  }
  return false;
}

// ISO 13616 IBAN lengths by country.
int IbanLength(std::string_view country) {
  static const std::array<std::pair<std::string_view, int>, 83> kLengths{{
      {"AD", 24}, {"AE", 23}, {"AL", 28}, {"AT", 20}, {"AZ", 28}, {"BA", 20}, {"BE", 16},
      {"BG", 22}, {"BH", 22}, {"BI", 27}, {"BR", 29}, {"BY", 28}, {"CH", 21}, {"CR", 22},
      {"CY", 28}, {"CZ", 24}, {"DE", 22}, {"DJ", 27}, {"DK", 18}, {"DO", 28}, {"EE", 20},
      {"EG", 29}, {"ES", 24}, {"FI", 18}, {"FK", 18}, {"FO", 18}, {"FR", 27}, {"GB", 22},
      {"GE", 22}, {"GI", 23}, {"GL", 18}, {"GR", 27}, {"GT", 28}, {"HR", 21}, {"HU", 28},
      {"IE", 22}, {"IL", 23}, {"IQ", 23}, {"IS", 26}, {"IT", 27}, {"JO", 30}, {"KW", 30},
      {"KZ", 20}, {"LB", 28}, {"LC", 32}, {"LI", 21}, {"LT", 20}, {"LU", 20}, {"LV", 21},
      {"LY", 25}, {"MC", 27}, {"MD", 24}, {"ME", 22}, {"MK", 19}, {"MN", 20}, {"MR", 27},
      {"MT", 31}, {"MU", 30}, {"NI", 28}, {"NL", 18}, {"NO", 15}, {"OM", 23}, {"PK", 24},
      {"PL", 28}, {"PS", 29}, {"PT", 25}, {"QA", 29}, {"RO", 24}, {"RS", 22}, {"RU", 33},
      {"SA", 24}, {"SC", 31}, {"SD", 18}, {"SE", 24}, {"SI", 19}, {"SK", 24}, {"SM", 27},
      {"SO", 23}, {"ST", 25}, {"SV", 28}, {"TL", 23}, {"TN", 24}, {"TR", 26},
  }};
  static const std::array<std::pair<std::string_view, int>, 4> kMore{
      {{"UA", 29}, {"VA", 22}, {"VG", 24}, {"XK", 20}}};
  for (const auto& [code, length] : kLengths) {
    if (code == country) return length;
  }
  for (const auto& [code, length] : kMore) {
    if (code == country) return length;
  }
  return 0;
}

// Well-known example IBANs from standards documents and banks' documentation.
bool IsExampleIban(std::string_view iban) {
  static const std::set<std::string_view> examples = {
      "GB82WEST12345698765432",      "GB33BUKB20201555555555",      "DE89370400440532013000",
      "FR1420041010050500013M02606", "NL91ABNA0417164300",          "CH9300762011623852957",
      "ES9121000418450200051332",    "IT60X0542811101000000123456", "BE68539007547034",
      "AT611904300234573201",        "GB29NWBK60161331926819",      "DE44500105175407324931"};
  return examples.count(iban) != 0;
}

}  // namespace

bool PassesLuhn(std::string_view digits) {
  int sum = 0, count = 0;
  bool double_it = false;
  for (size_t i = digits.size(); i-- > 0;) {
    char c = digits[i];
    if (c == ' ' || c == '-') continue;
    if (c < '0' || c > '9') return false;
    int d = c - '0';
    if (double_it) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double_it = !double_it;
    ++count;
  }
  return count >= 2 && sum % 10 == 0;
}

Verdict CheckCard(std::string_view text) {
  std::optional<std::string> digits = DigitsOnly(text);
  if (!digits || !MatchesIssuer(*digits) || !PassesLuhn(*digits)) return Verdict::kReject;
  if (TestCardNumbers().count(*digits) != 0) return Verdict::kTestValue;
  // A number of one or two distinct digits (4444 4444 4444 4448) is made up, not issued.
  std::set<char> distinct(digits->begin(), digits->end());
  return distinct.size() <= 2 ? Verdict::kTestValue : Verdict::kAccept;
}

Verdict CheckIban(std::string_view text) {
  std::string iban;
  for (char c : text) {
    if (c == ' ') continue;
    if (!std::isalnum(static_cast<unsigned char>(c))) return Verdict::kReject;
    iban.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  if (iban.size() < 15 || !std::isupper(static_cast<unsigned char>(iban[0])) ||
      !std::isupper(static_cast<unsigned char>(iban[1])) ||
      !std::isdigit(static_cast<unsigned char>(iban[2])) ||
      !std::isdigit(static_cast<unsigned char>(iban[3]))) {
    return Verdict::kReject;
  }
  if (IbanLength(std::string_view(iban).substr(0, 2)) != static_cast<int>(iban.size())) {
    return Verdict::kReject;
  }
  // Move the first four characters to the end, letters become 10..35, then mod 97 == 1.
  std::string rearranged = iban.substr(4) + iban.substr(0, 4);
  int remainder = 0;
  for (char c : rearranged) {
    int value = std::isdigit(static_cast<unsigned char>(c)) ? c - '0' : c - 'A' + 10;
    remainder = value >= 10 ? (remainder * 100 + value) % 97 : (remainder * 10 + value) % 97;
  }
  if (remainder != 1) return Verdict::kReject;
  return IsExampleIban(iban) ? Verdict::kTestValue : Verdict::kAccept;
}

Verdict CheckUsSsn(std::string_view text) {
  std::optional<std::string> digits = DigitsOnly(text);
  if (!digits || digits->size() != 9) return Verdict::kReject;
  int area = NumberAt(*digits, 0, 3), group = NumberAt(*digits, 3, 2);
  int serial = NumberAt(*digits, 5, 4);
  if (area == 0 || area == 666 || area >= 900 || group == 0 || serial == 0) {
    return Verdict::kReject;
  }
  // The Woolworth wallet card, the number used in advertising, and the textbook sequence.
  if (*digits == "078051120" || *digits == "219099999" || *digits == "123456789" ||
      AllSameDigit(*digits)) {
    return Verdict::kTestValue;
  }
  return Verdict::kAccept;
}

Verdict CheckUsItin(std::string_view text) {
  std::optional<std::string> digits = DigitsOnly(text);
  if (!digits || digits->size() != 9 || (*digits)[0] != '9') return Verdict::kReject;
  int group = NumberAt(*digits, 3, 2);
  bool valid_group = (group >= 50 && group <= 65) || (group >= 70 && group <= 88) ||
                     (group >= 90 && group <= 92) || (group >= 94 && group <= 99);
  return valid_group ? Verdict::kAccept : Verdict::kReject;
}

Verdict CheckUkNino(std::string_view text) {
  std::string nino;
  for (char c : text) {
    if (c != ' ') nino.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  if (nino.size() != 9) return Verdict::kReject;
  for (int i = 2; i < 8; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(nino[i]))) return Verdict::kReject;
  }
  constexpr std::string_view kBadFirst = "DFIQUV", kBadSecond = "DFIOQUV";
  char first = nino[0], second = nino[1], suffix = nino[8];
  if (!std::isupper(static_cast<unsigned char>(first)) ||
      !std::isupper(static_cast<unsigned char>(second)) ||
      kBadFirst.find(first) != std::string_view::npos ||
      kBadSecond.find(second) != std::string_view::npos || suffix < 'A' || suffix > 'D') {
    return Verdict::kReject;
  }
  std::string prefix = nino.substr(0, 2);
  for (const char* never_issued : {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}) {
    if (prefix == never_issued) return Verdict::kReject;
  }
  // The number used in HMRC's own guidance and countless forms.
  return nino == "AB123456C" ? Verdict::kTestValue : Verdict::kAccept;
}

Verdict CheckNhsNumber(std::string_view text) {
  std::optional<std::string> digits = DigitsOnly(text);
  if (!digits || digits->size() != 10 || AllSameDigit(*digits)) return Verdict::kReject;
  int sum = 0;
  for (int i = 0; i < 9; ++i) sum += ((*digits)[i] - '0') * (10 - i);
  int check = 11 - sum % 11;
  if (check == 11) check = 0;
  if (check == 10 || check != (*digits)[9] - '0') return Verdict::kReject;
  // 999 numbers are reserved for testing; 943 476 5919 is NHS Digital's documented example.
  if (digits->compare(0, 3, "999") == 0 || *digits == "9434765919") return Verdict::kTestValue;
  return Verdict::kAccept;
}

Verdict CheckCanadianSin(std::string_view text) {
  std::optional<std::string> digits = DigitsOnly(text);
  if (!digits || digits->size() != 9 || (*digits)[0] == '0' || (*digits)[0] == '8' ||
      !PassesLuhn(*digits)) {
    return Verdict::kReject;
  }
  return *digits == "046454286" || AllSameDigit(*digits) ? Verdict::kTestValue : Verdict::kAccept;
}

Verdict CheckNanpPhone(std::string_view text) {
  std::optional<std::string> digits = DigitsOnly(text, " -.()+");
  if (!digits) return Verdict::kReject;
  if (digits->size() == 11 && (*digits)[0] == '1') digits->erase(0, 1);
  if (digits->size() != 10) return Verdict::kReject;
  int area = NumberAt(*digits, 0, 3), exchange = NumberAt(*digits, 3, 3);
  int line = NumberAt(*digits, 6, 4);
  auto is_n11 = [](int code) { return code % 100 == 11; };
  if (area < 200 || is_n11(area) || (area / 10) % 10 == 9 || exchange < 200 || is_n11(exchange)) {
    return Verdict::kReject;
  }
  if (exchange == 555 && line != 1212) return Verdict::kTestValue;  // fictional numbers
  if (AllSameDigit(digits->substr(3))) return Verdict::kTestValue;
  return Verdict::kAccept;
}

Verdict CheckE164Phone(std::string_view text) {
  size_t plus = text.find('+');
  if (plus == std::string_view::npos) return Verdict::kReject;
  std::optional<std::string> digits = DigitsOnly(text.substr(plus + 1), " -.()");
  if (!digits || digits->size() < 8 || digits->size() > 15 || (*digits)[0] == '0') {
    return Verdict::kReject;
  }
  if ((*digits)[0] == '1') return CheckNanpPhone(*digits);
  // Ofcom reserves 020 7946 0xxx and 07700 900xxx for drama and documentation.
  if (digits->compare(0, 9, "442079460") == 0 || digits->compare(0, 9, "447700900") == 0) {
    return Verdict::kTestValue;
  }
  return AllSameDigit(digits->substr(2)) ? Verdict::kReject : Verdict::kAccept;
}

namespace {

// 1-12 for an English month name or abbreviation at the start of `word`, else 0.
int MonthNumber(std::string_view word) {
  static constexpr std::array<std::string_view, 12> kMonths = {
      "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
  if (word.size() < 3) return 0;
  std::string prefix;
  for (char c : word.substr(0, 3)) prefix.push_back(static_cast<char>(std::tolower(c)));
  for (size_t i = 0; i < kMonths.size(); ++i) {
    if (prefix == kMonths[i]) return static_cast<int>(i) + 1;
  }
  return 0;
}

bool ValidDate(int year, int month, int day) {
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return year >= 1900 && year <= 2099 && month >= 1 && month <= 12 && day >= 1 &&
         day <= kDays[month - 1];
}

// "February 12, 1969", "Feb. 12 1969", "12 February 1969".
Verdict CheckWrittenDate(std::string_view text) {
  std::vector<std::string> words;
  std::string word;
  for (char c : text) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      word.push_back(c);
    } else if (!word.empty()) {
      words.push_back(word);
      word.clear();
    }
  }
  if (!word.empty()) words.push_back(word);
  if (words.size() != 3) return Verdict::kReject;
  bool month_first = MonthNumber(words[0]) != 0;
  int month = MonthNumber(month_first ? words[0] : words[1]);
  const std::string& day = month_first ? words[1] : words[0];
  const std::string& year = words[2];
  auto digits = [](const std::string& s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return std::isdigit(c); });
  };
  if (month == 0 || !digits(day) || !digits(year) || year.size() != 4 || day.size() > 2) {
    return Verdict::kReject;
  }
  return ValidDate(std::stoi(year), month, std::stoi(day)) ? Verdict::kAccept : Verdict::kReject;
}

}  // namespace

Verdict CheckDate(std::string_view text) {
  if (text.find_first_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") !=
      std::string_view::npos) {
    return CheckWrittenDate(text);
  }
  std::optional<std::string> digits = DigitsOnly(text, "-/.");
  if (!digits || digits->size() != 8 || text.size() != 10) return Verdict::kReject;
  bool year_first = text[4] == text[7] && !std::isdigit(static_cast<unsigned char>(text[4]));
  if (year_first) {
    return ValidDate(NumberAt(*digits, 0, 4), NumberAt(*digits, 4, 2), NumberAt(*digits, 6, 2))
               ? Verdict::kAccept
               : Verdict::kReject;
  }
  int a = NumberAt(*digits, 0, 2), b = NumberAt(*digits, 2, 2), year = NumberAt(*digits, 4, 4);
  return ValidDate(year, b, a) || ValidDate(year, a, b) ? Verdict::kAccept : Verdict::kReject;
}

}  // namespace leaksweep
