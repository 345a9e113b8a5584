#include "line_feeds.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <string>

#include "pattern_syntax.h"

namespace leaksweep {
namespace {

using pattern::Item;
using pattern::kUnbounded;
using pattern::Sequence;

constexpr uint32_t kLineFeed = '\n';

// What one escape sequence stands for, as far as line feeds go.
struct Escape {
  enum Kind {
    kChar,       // one character: `code`
    kSet,        // a set of characters (\s, \D, ...): `has_line_feed`
    kZeroWidth,  // an assertion (\b, \A, ...): matches no byte
    kUnknown,    // not modelled
  };
  Kind kind = kUnknown;
  uint32_t code = 0;
  bool has_line_feed = false;
  size_t length = 0;  // bytes of the pattern it takes, backslash included
};

Escape Char(uint32_t code, size_t length) {
  Escape e;
  e.kind = Escape::kChar;
  e.code = code;
  e.length = length;
  return e;
}

Escape Set(bool has_line_feed) {
  Escape e;
  e.kind = Escape::kSet;
  e.has_line_feed = has_line_feed;
  e.length = 2;
  return e;
}

bool IsOctal(char c) { return c >= '0' && c <= '7'; }

// A character code written with at most `max` digits of `base` (8 or 16) from `at`; nullopt
// when there is no digit. `used`: how many digits.
std::optional<uint32_t> Code(std::string_view p, size_t at, int base, size_t max, size_t* used) {
  uint32_t value = 0;
  size_t n = 0;
  for (; n < max && at + n < p.size(); ++n) {
    unsigned char c = static_cast<unsigned char>(p[at + n]);
    if (base == 16 ? std::isxdigit(c) == 0 : !IsOctal(static_cast<char>(c))) break;
    uint32_t digit = std::isdigit(c) != 0 ? c - '0' : std::tolower(c) - 'a' + 10;
    value = value * base + digit;
    if (value > 0x10FFFF) return std::nullopt;
  }
  *used = n;
  if (n == 0) return std::nullopt;
  return value;
}

// "\x{hh..}", "\o{oo..}" at `at`.
Escape BracedCode(std::string_view p, size_t at, int base) {
  size_t used = 0;
  std::optional<uint32_t> value = Code(p, at + 3, base, 8, &used);
  if (!value || at + 3 + used >= p.size() || p[at + 3 + used] != '}') return {};
  return Char(*value, 4 + used);
}

// The escape at p[at] == '\\', in a class or not (in a class, \b is a backspace; \R, \N and
// assertions do not exist there).
Escape ReadEscape(std::string_view p, size_t at, bool in_class) {
  if (at + 1 >= p.size()) return {};
  char c = p[at + 1];
  switch (c) {
    case 'n':
      return Char('\n', 2);
    case 't':
      return Char('\t', 2);
    case 'r':
      return Char('\r', 2);
    case 'f':
      return Char('\f', 2);
    case 'e':
      return Char(0x1B, 2);
    case 'a':
      return Char(0x07, 2);
    case 's':  // white space, non-digits, non-word and non-horizontal-space characters: all
    case 'D':  // have the line feed among them
    case 'W':
    case 'H':
    case 'v':
      return Set(true);
    case 'S':
    case 'd':
    case 'w':
    case 'h':
    case 'V':
      return Set(false);
    case 'N':
      return in_class ? Escape{} : Set(false);  // any character but a line feed
    case 'R':
      return in_class ? Escape{} : Set(true);  // a line break
    case 'b':
      if (in_class) return Char(0x08, 2);
      [[fallthrough]];
    case 'B':
    case 'A':
    case 'z':
    case 'Z':
    case 'G': {
      if (in_class) return {};
      Escape e;
      e.kind = Escape::kZeroWidth;
      e.length = 2;
      return e;
    }
    case 'x': {
      if (at + 2 < p.size() && p[at + 2] == '{') return BracedCode(p, at, 16);
      size_t used = 0;
      std::optional<uint32_t> value = Code(p, at + 2, 16, 2, &used);
      return Char(value.value_or(0), 2 + used);  // "\x" alone is NUL
    }
    case 'o':
      if (at + 2 < p.size() && p[at + 2] == '{') return BracedCode(p, at, 8);
      return {};
    case 'c':  // \cX: X's code with bit 6 flipped, X upper-cased
      if (at + 2 >= p.size() || static_cast<unsigned char>(p[at + 2]) >= 0x80) return {};
      return Char(static_cast<uint32_t>(std::toupper(static_cast<unsigned char>(p[at + 2]))) ^ 0x40,
                  3);
    case '0': {
      size_t used = 0;
      std::optional<uint32_t> value = Code(p, at + 1, 8, 3, &used);
      return value ? Char(*value, 1 + used) : Escape{};
    }
    default:
      break;
  }
  // Other letters and digits (\p{..}, \X, back references, octal codes) are not modelled;
  // escaped punctuation is itself.
  if (std::isalnum(static_cast<unsigned char>(c)) || static_cast<unsigned char>(c) >= 0x80)
    return {};
  return Char(static_cast<unsigned char>(c), 2);
}

// POSIX classes without a line feed; the others ("space", "cntrl", "ascii", negated ones)
// have one.
bool PosixClassLacksLineFeed(std::string_view name) {
  for (std::string_view name_without : {"alpha", "digit", "alnum", "upper", "lower", "xdigit",
                                        "punct", "graph", "print", "word", "blank"}) {
    if (name == name_without) return true;
  }
  return false;
}

// Whether class `text` ("[...]", whole) can match a line feed; true when it cannot tell.
bool ClassMatchesLineFeed(std::string_view text) {
  size_t at = 1;
  bool negated = at < text.size() && text[at] == '^';
  if (negated) ++at;
  bool has_line_feed = false;
  bool first = true;
  for (;;) {
    if (at >= text.size()) return true;  // unterminated: cannot tell
    char c = text[at];
    if (c == ']' && !first) break;
    first = false;
    if (c == '[' && at + 1 < text.size() && text[at + 1] == ':') {
      // "[:name:]" when ":]" closes it before any ']' (see pattern::Parse); else a '['.
      size_t close = text.find(":]", at + 2);
      size_t bracket = text.find(']', at + 2);
      if (close != std::string_view::npos && close + 1 == bracket) {
        if (!PosixClassLacksLineFeed(text.substr(at + 2, close - at - 2))) has_line_feed = true;
        at = close + 2;
        continue;
      }
    }
    uint32_t low;
    if (c == '\\') {
      Escape e = ReadEscape(text, at, /*in_class=*/true);
      if (e.kind != Escape::kChar && e.kind != Escape::kSet) return true;
      at += e.length;
      if (e.kind == Escape::kSet) {
        has_line_feed = has_line_feed || e.has_line_feed;
        continue;
      }
      low = e.code;
    } else {
      low = static_cast<unsigned char>(c);
      ++at;
    }
    uint32_t high = low;
    if (at + 1 < text.size() && text[at] == '-' && text[at + 1] != ']') {  // a range
      if (text[at + 1] == '[') return true;  // "a-[:digit:]" and the like: cannot tell
      if (text[at + 1] == '\\') {
        Escape e = ReadEscape(text, at + 1, /*in_class=*/true);
        if (e.kind != Escape::kChar) return true;  // "a-\d": cannot tell
        high = e.code;
        at += 1 + e.length;
      } else {
        high = static_cast<unsigned char>(text[at + 1]);
        at += 2;
      }
    }
    if (low <= kLineFeed && kLineFeed <= high) has_line_feed = true;
  }
  return negated != has_line_feed;
}

// Whether the non-group atom `atom` (one byte, escape, class, '.', anchor or option setting)
// can match a line feed; true when it cannot tell.
bool AtomMatchesLineFeed(std::string_view atom, bool dot_all) {
  if (atom.empty()) return true;
  switch (atom[0]) {
    case '.':
      return dot_all;
    case '^':
    case '$':
      return false;
    case '(':
      return false;  // an option setting, "(?i)": no byte
    case '[':
      return ClassMatchesLineFeed(atom);
    case '\\': {
      Escape e = ReadEscape(atom, 0, /*in_class=*/false);
      if (e.length != atom.size()) return true;  // read differently: cannot tell
      switch (e.kind) {
        case Escape::kChar:
          return e.code == kLineFeed;
        case Escape::kSet:
          return e.has_line_feed;
        case Escape::kZeroWidth:
          return false;
        case Escape::kUnknown:
          return true;
      }
      return true;
    }
    default:
      return static_cast<unsigned char>(atom[0]) == kLineFeed;
  }
}

size_t AlternativesLineFeeds(const std::vector<Sequence>& alternatives, bool dot_all);

size_t ItemLineFeeds(const Item& item, bool dot_all) {
  size_t per_pass = item.is_group ? AlternativesLineFeeds(item.alternatives, dot_all)
                                  : (AtomMatchesLineFeed(item.atom, dot_all) ? 1 : 0);
  return pattern::Times(per_pass, item.max);
}

size_t AlternativesLineFeeds(const std::vector<Sequence>& alternatives, bool dot_all) {
  size_t most = 0;
  for (const Sequence& sequence : alternatives) {
    size_t sum = 0;
    for (const Item& item : sequence.items) sum = pattern::Add(sum, ItemLineFeeds(item, dot_all));
    most = std::max(most, sum);
  }
  return most;
}

// The option letters a pattern sets anywhere ("(?i)", "(?s:", "(?-x)"), run together. Text
// that only looks like an option setting (in a class, after "\\(") adds letters too: that can
// only make the judgement more careful.
std::string OptionLetters(std::string_view p) {
  std::string letters;
  for (size_t at = p.find("(?"); at != std::string_view::npos; at = p.find("(?", at + 2)) {
    size_t end = at + 2;
    while (end < p.size() &&
           (std::isalpha(static_cast<unsigned char>(p[end])) || p[end] == '-' || p[end] == '^')) {
      ++end;
    }
    if (end < p.size() && (p[end] == ')' || p[end] == ':')) {
      letters.append(p.substr(at + 2, end - at - 2));
    }
  }
  return letters;
}

}  // namespace

std::optional<size_t> MaxLineFeeds(std::string_view pattern_text) {
  std::optional<std::vector<Sequence>> alternatives = pattern::Parse(pattern_text);
  if (!alternatives) return std::nullopt;
  // Options are judged for the whole pattern: an 's' anywhere lets every '.' match a line
  // feed; the extended mode ('x') reads the pattern differently: not modelled.
  std::string options = OptionLetters(pattern_text);
  if (options.find('x') != std::string::npos) return std::nullopt;
  size_t most = AlternativesLineFeeds(*alternatives, options.find('s') != std::string::npos);
  if (most == kUnbounded) return std::nullopt;
  return most;
}

}  // namespace leaksweep
