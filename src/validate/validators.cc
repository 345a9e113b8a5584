#include "leaksweep/validate/validators.h"

#include "leaksweep/core/base64.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <string>

namespace leaksweep {
namespace {

std::string Lower(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower;
}

Result<double> NumberParam(const std::string& validator, const ValidatorParams& params,
                           const std::string& key, double low, double high) {
  auto it = params.find(key);
  if (it == params.end()) {
    return Status::Error("validator '" + validator + "' needs parameter '" + key + "'");
  }
  double number = 0;
  const std::string& text = it->second;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (error != std::errc() || end != text.data() + text.size() || number < low || number > high) {
    return Status::Error("validator '" + validator + "': parameter '" + key +
                         "' must be a number from " + std::to_string(low) + " to " +
                         std::to_string(high));
  }
  return number;
}

Status OnlyParams(const std::string& validator, const ValidatorParams& params,
                  std::initializer_list<std::string_view> allowed) {
  for (const auto& [key, value] : params) {
    bool known = false;
    for (auto name : allowed) known = known || key == name;
    if (!known)
      return Status::Error("validator '" + validator + "' has no parameter '" + key + "'");
  }
  return Status::Ok();
}

// True when every character repeats the first, or the characters step by +1 or -1 throughout
// (abcdef, 654321) — values a person types as a stand-in, not a real secret.
bool IsRepeatedOrSequential(std::string_view value) {
  if (value.size() < 4) return false;
  bool repeated = true, ascending = true, descending = true;
  for (size_t i = 1; i < value.size(); ++i) {
    int step = static_cast<unsigned char>(value[i]) - static_cast<unsigned char>(value[i - 1]);
    repeated = repeated && step == 0;
    ascending = ascending && step == 1;
    descending = descending && step == -1;
  }
  return repeated || ascending || descending;
}

// A run of at least `length` copies of one of `chars` (xxxx, ****, ....), case-insensitive.
bool HasFillerRun(std::string_view value, std::string_view chars, size_t length) {
  size_t run = 0;
  char previous = 0;
  for (char raw : value) {
    char c = static_cast<char>(std::tolower(static_cast<unsigned char>(raw)));
    bool filler = chars.find(c) != std::string_view::npos;
    run = !filler ? 0 : (c == previous ? run + 1 : 1);
    previous = c;
    if (run >= length) return true;
  }
  return false;
}

bool IsTemplate(std::string_view value) {
  auto contains = [&](std::string_view needle) { return value.find(needle) != value.npos; };
  if (contains("${") || contains("{{") || contains("%(") || contains("<%")) return true;
  if (!value.empty() && value.front() == '<' && value.back() == '>') return true;
  if (value.size() > 1 && value.front() == '$' &&
      (std::isupper(static_cast<unsigned char>(value[1])) || value[1] == '_')) {
    return true;  // $DB_PASSWORD
  }
  return false;
}

constexpr std::array<std::string_view, 16> kPlaceholderWords = {
    "example",      "sample", "placeholder",  "changeme", "change_me", "change-me",
    "your_",        "your-",  "yourpassword", "redacted", "dummy",     "notasecret",
    "not_a_secret", "insert", "replace_me",   "todo"};

}  // namespace

double ShannonEntropy(std::string_view text) {
  if (text.empty()) return 0;
  std::array<size_t, 256> counts{};
  for (unsigned char c : text) ++counts[c];
  double entropy = 0;
  for (size_t count : counts) {
    if (count == 0) continue;
    double p = static_cast<double>(count) / text.size();
    entropy -= p * std::log2(p);
  }
  return entropy;
}

namespace {

bool LooksLikePlaceholderText(std::string_view value) {
  if (IsTemplate(value) || IsRepeatedOrSequential(value)) return true;
  if (HasFillerRun(value, "x*.#", 4) || HasFillerRun(value, "0", 8)) return true;
  std::string lower = Lower(value);
  for (auto word : kPlaceholderWords) {
    if (lower.find(word) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

bool LooksLikePlaceholder(std::string_view value) {
  if (LooksLikePlaceholderText(value)) return true;
  // A stand-in written in base64 ("ZXhhbXBsZS1zZWNyZXQ=" is "example-secret").
  if (value.size() < 12) return false;
  std::optional<std::string> decoded = DecodeBase64(value);
  return decoded && decoded->size() >= 8 && LooksLikeText(*decoded) &&
         LooksLikePlaceholderText(*decoded);
}

namespace {

// Validators whose only job is a check function of the matched text.
using CheckFunction = Verdict (*)(std::string_view);
constexpr std::array<std::pair<std::string_view, CheckFunction>, 17> kChecks{{
    {"base58check", CheckBase58Check},
    {"bech32", CheckBech32},
    {"ca_sin", CheckCanadianSin},
    {"card", CheckCard},
    {"date", CheckDate},
    {"e164_phone", CheckE164Phone},
    {"email", CheckEmail},
    {"github_checksum", CheckGithubChecksum},
    {"iban", CheckIban},
    {"nanp_phone", CheckNanpPhone},
    {"nhs_number", CheckNhsNumber},
    {"public_ipv4", CheckPublicIpv4},
    {"public_ipv6", CheckPublicIpv6},
    {"uk_nino", CheckUkNino},
    {"us_itin", CheckUsItin},
    {"us_ssn", CheckUsSsn},
    {"luhn",
     [](std::string_view v) { return PassesLuhn(v) ? Verdict::kAccept : Verdict::kReject; }},
}};

Verdict FromBool(bool accept) { return accept ? Verdict::kAccept : Verdict::kReject; }

}  // namespace

std::vector<std::string> ValidatorNames() {
  std::vector<std::string> names = {"entropy", "min_length", "not_placeholder"};
  for (const auto& [name, check] : kChecks) names.emplace_back(name);
  std::sort(names.begin(), names.end());
  return names;
}

Result<BoundValidator> MakeValidator(const std::string& name, const ValidatorParams& params) {
  for (const auto& [check_name, check] : kChecks) {
    if (check_name != name) continue;
    if (Status s = OnlyParams(name, params, {}); !s.ok()) return s;
    return BoundValidator(check);
  }
  if (name == "not_placeholder") {
    if (Status s = OnlyParams(name, params, {}); !s.ok()) return s;
    return BoundValidator([](std::string_view v) { return FromBool(!LooksLikePlaceholder(v)); });
  }
  if (name == "entropy") {
    if (Status s = OnlyParams(name, params, {"min"}); !s.ok()) return s;
    Result<double> min = NumberParam(name, params, "min", 0, 8);
    if (!min.ok()) return min.status();
    double threshold = min.value();
    return BoundValidator(
        [threshold](std::string_view v) { return FromBool(ShannonEntropy(v) >= threshold); });
  }
  if (name == "min_length") {
    if (Status s = OnlyParams(name, params, {"min"}); !s.ok()) return s;
    Result<double> min = NumberParam(name, params, "min", 1, 1 << 20);
    if (!min.ok()) return min.status();
    size_t length = static_cast<size_t>(min.value());
    return BoundValidator([length](std::string_view v) { return FromBool(v.size() >= length); });
  }
  std::string known;
  for (const auto& n : ValidatorNames()) known += (known.empty() ? "" : ", ") + n;
  return Status::Error("unknown validator '" + name + "' (known: " + known + ")");
}

}  // namespace leaksweep
