// Checks for network identifiers: IP addresses and email addresses.
#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <string>

#include "leaksweep/validate/validators.h"

namespace leaksweep {
namespace {

struct Ipv4Range {
  uint32_t network;
  int prefix;
  Verdict verdict;  // what an address in the range is
};

constexpr uint32_t Ip(int a, int b, int c, int d) {
  return (uint32_t(a) << 24) | (uint32_t(b) << 16) | (uint32_t(c) << 8) | uint32_t(d);
}

// Addresses that do not identify anyone on the internet (RFC 6890 and friends), including the
// documentation ranges (RFC 5737): no host has them, so they are no one's data.
constexpr std::array<Ipv4Range, 16> kSpecialIpv4{{
    {Ip(0, 0, 0, 0), 8, Verdict::kReject},
    {Ip(10, 0, 0, 0), 8, Verdict::kReject},
    {Ip(100, 64, 0, 0), 10, Verdict::kReject},
    {Ip(127, 0, 0, 0), 8, Verdict::kReject},
    {Ip(169, 254, 0, 0), 16, Verdict::kReject},
    {Ip(172, 16, 0, 0), 12, Verdict::kReject},
    {Ip(192, 0, 0, 0), 24, Verdict::kReject},
    {Ip(192, 0, 2, 0), 24, Verdict::kReject},
    {Ip(192, 88, 99, 0), 24, Verdict::kReject},
    {Ip(192, 168, 0, 0), 16, Verdict::kReject},
    {Ip(198, 18, 0, 0), 15, Verdict::kReject},
    {Ip(198, 51, 100, 0), 24, Verdict::kReject},
    {Ip(203, 0, 113, 0), 24, Verdict::kReject},
    {Ip(224, 0, 0, 0), 4, Verdict::kReject},
    {Ip(240, 0, 0, 0), 4, Verdict::kReject},
    {Ip(255, 255, 255, 255), 32, Verdict::kReject},
}};

std::optional<uint32_t> ParseIpv4(std::string_view text) {
  uint32_t address = 0;
  int parts = 0;
  size_t i = 0;
  while (parts < 4) {
    size_t start = i;
    int value = 0;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])) && i - start < 4) {
      value = value * 10 + (text[i++] - '0');
    }
    size_t length = i - start;
    // No empty parts, no leading zeros (010 is octal to some parsers), nothing above 255.
    if (length == 0 || length > 3 || (length > 1 && text[start] == '0') || value > 255) {
      return std::nullopt;
    }
    address = (address << 8) | uint32_t(value);
    if (++parts < 4) {
      if (i >= text.size() || text[i] != '.') return std::nullopt;
      ++i;
    }
  }
  if (i != text.size()) return std::nullopt;
  return address;
}

std::string Lower(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return lower;
}

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

}  // namespace

Verdict CheckPublicIpv4(std::string_view text) {
  std::optional<uint32_t> address = ParseIpv4(text);
  if (!address) return Verdict::kReject;
  for (const Ipv4Range& range : kSpecialIpv4) {
    uint32_t mask = range.prefix == 0 ? 0 : ~uint32_t(0) << (32 - range.prefix);
    if ((*address & mask) == range.network) return range.verdict;
  }
  // Public resolvers everyone configures identify a service, not a person.
  for (uint32_t resolver :
       {Ip(1, 1, 1, 1), Ip(1, 0, 0, 1), Ip(8, 8, 8, 8), Ip(8, 8, 4, 4), Ip(9, 9, 9, 9),
        Ip(149, 112, 112, 112), Ip(208, 67, 222, 222), Ip(208, 67, 220, 220), Ip(4, 2, 2, 2)}) {
    if (*address == resolver) return Verdict::kReject;
  }
  // Made-up addresses: one octet repeated (3.3.3.3, 99.99.99.99) or counting up (1.2.3.4).
  uint32_t a = *address >> 24, b = (*address >> 16) & 255, c = (*address >> 8) & 255,
           d = *address & 255;
  if ((a == b && b == c && c == d) || (b == a + 1 && c == b + 1 && d == c + 1)) {
    return Verdict::kTestValue;
  }
  // Four small numbers are a section of a standard ("C99 7.18.1.1") or a version: a real
  // host's four octets are all below 20 about once in 27,000 addresses.
  if (a < 20 && b < 20 && c < 20 && d < 20) return Verdict::kReject;
  return Verdict::kAccept;
}

Verdict CheckPublicIpv6(std::string_view text) {
  std::string address(text);
  size_t zone = address.find('%');
  if (zone != std::string::npos) address.resize(zone);
  unsigned char bytes[16];
  if (inet_pton(AF_INET6, address.c_str(), bytes) != 1) return Verdict::kReject;
  // Only 2000::/3 is allocated for global unicast; everything else (::1, fc00::/7, fe80::/10,
  // ff00::/8, IPv4-mapped, unspecified) does not point at a host on the internet.
  if ((bytes[0] & 0xE0) != 0x20) return Verdict::kReject;
  bool documentation = (bytes[0] == 0x20 && bytes[1] == 0x01 && bytes[2] == 0x0d &&
                        bytes[3] == 0xb8) ||                             // 2001:db8::/32
                       (bytes[0] == 0x3f && (bytes[1] & 0xf0) == 0xf0);  // 3fff::/20
  if (documentation) return Verdict::kReject;  // RFC 3849, RFC 9637: no host has them
  // 2001::/23 holds IETF protocol assignments (Teredo, benchmarking, ORCHID) — not hosts.
  if (bytes[0] == 0x20 && bytes[1] == 0x01 && bytes[2] < 0x02) return Verdict::kReject;
  return Verdict::kAccept;
}

Verdict CheckEmail(std::string_view text) {
  size_t at = text.rfind('@');
  if (at == std::string_view::npos || at == 0 || at + 1 >= text.size()) return Verdict::kReject;
  std::string local = Lower(text.substr(0, at)), domain = Lower(text.substr(at + 1));
  size_t dot = domain.rfind('.');
  if (dot == std::string::npos) return Verdict::kReject;
  std::string tld = domain.substr(dot + 1);

  // A file name (logo@2x.png) or an asset, not an address.
  static constexpr std::array<std::string_view, 24> kFileExtensions = {
      "png", "jpg", "jpeg", "gif", "svg",  "webp", "ico",  "bmp", "js",  "ts",   "css", "scss",
      "py",  "rb",  "go",   "rs",  "java", "json", "yaml", "yml", "xml", "html", "md",  "txt"};
  for (auto extension : kFileExtensions) {
    if (tld == extension) return Verdict::kReject;
  }
  // Addresses of no person: no-reply senders, GitHub's private commit addresses, git's ssh user.
  for (std::string_view robot :
       {"noreply", "no-reply", "donotreply", "do-not-reply", "mailer-daemon", "postmaster", "git",
        "notifications", "notification", "bounce", "bounces", "mailer"}) {
    if (local == robot || local.rfind(std::string(robot) + "+", 0) == 0) return Verdict::kReject;
  }
  // Service accounts are identities of programs: Google Cloud's, GitHub's private addresses.
  if (EndsWith(domain, "noreply.github.com") || EndsWith(domain, "users.noreply.gitlab.com") ||
      EndsWith(domain, ".gserviceaccount.com")) {
    return Verdict::kReject;
  }
  // RFC 2606 / 6761 reserved names: used in documentation, never a real mailbox.
  for (std::string_view reserved : {"example.com", "example.net", "example.org", "example.edu"}) {
    // The name itself or a subdomain of it (a longer name ending in ".<reserved>").
    if (domain == reserved ||
        (EndsWith(domain, reserved) && domain[domain.size() - reserved.size() - 1] == '.')) {
      return Verdict::kReject;
    }
  }
  for (std::string_view reserved_tld : {"example", "test", "invalid", "localhost", "local"}) {
    if (tld == reserved_tld) return Verdict::kReject;
  }
  return Verdict::kAccept;
}

}  // namespace leaksweep
