#include "pattern_syntax.h"

#include <algorithm>
#include <cctype>

namespace leaksweep::pattern {

size_t Add(size_t a, size_t b) { return a == kUnbounded || b == kUnbounded ? kUnbounded : a + b; }
size_t Times(size_t a, size_t count) {
  if (a == 0 || count == 0) return 0;
  return a == kUnbounded || count == kUnbounded ? kUnbounded : a * count;
}

size_t SequenceWidth(const Sequence& sequence) {
  size_t width = 0;
  for (const Item& item : sequence.items) width = Add(width, item.Width());
  return width;
}

namespace {

// A recursive-descent reader of the PCRE syntax rules use. Whatever it does not model makes
// it fail, never guess.
class Parser {
 public:
  explicit Parser(std::string_view pattern) : p_(pattern) {}

  std::optional<std::vector<Sequence>> Parse() {
    std::optional<std::vector<Sequence>> alternatives = Alternatives();
    if (!alternatives || pos_ != p_.size()) return std::nullopt;
    return alternatives;
  }

 private:
  std::optional<std::vector<Sequence>> Alternatives() {
    std::vector<Sequence> alternatives(1);
    while (pos_ < p_.size() && p_[pos_] != ')') {
      if (p_[pos_] == '|') {
        ++pos_;
        alternatives.emplace_back();
        continue;
      }
      std::optional<Item> item = NextItem();
      if (!item) return std::nullopt;
      alternatives.back().items.push_back(std::move(*item));
    }
    return alternatives;
  }

  std::optional<Item> NextItem() {
    size_t begin = pos_;
    Item item;
    if (!Atom(&item)) return std::nullopt;
    item.atom = std::string(p_.substr(begin, pos_ - begin));
    if (!Quantifier(&item)) return std::nullopt;
    item.text = std::string(p_.substr(begin, pos_ - begin));
    return item;
  }

  bool Atom(Item* item) {
    switch (p_[pos_]) {
      case '\\':
        return Escape(item);
      case '[':
        return Class();
      case '(':
        return Group(item);
      case '^':
      case '$':
        ++pos_;
        item->atom_width = 0;
        return true;
      case '*':
      case '+':
      case '?':
        return false;  // a quantifier with nothing to repeat
      default:
        ++pos_;  // a literal byte, '.', or a '{' that starts no quantifier
        return true;
    }
  }

  // Skips "{...}" at pos_ when present (\x{41}, \p{L}).
  bool SkipBraces() {
    if (pos_ >= p_.size() || p_[pos_] != '{') return true;
    size_t close = p_.find('}', pos_);
    if (close == std::string_view::npos) return false;
    pos_ = close + 1;
    return true;
  }

  bool Escape(Item* item) {
    if (pos_ + 1 >= p_.size()) return false;
    char c = p_[pos_ + 1];
    pos_ += 2;
    switch (c) {
      case 'b':
      case 'B':
      case 'A':
      case 'z':
      case 'Z':
      case 'G':
        item->atom_width = 0;
        return true;
      case 'd':
      case 'D':
      case 'w':
      case 'W':
      case 's':
      case 'S':
      case 'h':
      case 'H':
      case 'v':
      case 'V':
      case 'n':
      case 'r':
      case 't':
      case 'f':
      case 'e':
      case 'a':
      case 'N':
        return true;
      case 'R':
        item->atom_width = 2;  // \r\n
        return true;
      case 'x':
        if (pos_ < p_.size() && p_[pos_] == '{') return SkipBraces();
        for (int i = 0; i < 2 && pos_ < p_.size() && std::isxdigit(uint8_t(p_[pos_])); ++i) ++pos_;
        return true;
      case 'p':
      case 'P':
        if (pos_ < p_.size() && p_[pos_] == '{') return SkipBraces();
        return pos_++ < p_.size();
      case 'o':
        return SkipBraces();
      case '0':
        for (int i = 0; i < 2 && pos_ < p_.size() && p_[pos_] >= '0' && p_[pos_] <= '7'; ++i) {
          ++pos_;
        }
        return true;
      case 'c':
        return pos_++ < p_.size();
      default:
        // Escaped punctuation is a literal; any other letter or digit (back references, \Q,
        // \K, \X...) is not modelled.
        return !std::isalnum(uint8_t(c));
    }
  }

  // Where a POSIX class ("[:alpha:]") that starts its name at `from` ends, read as PCRE2 does:
  // a "]" or "[:" before the closing ":]" means it is no POSIX class (the "[" is a member).
  std::optional<size_t> PosixClassEnd(size_t from) const {
    for (size_t at = from; at + 1 < p_.size(); ++at) {
      if (p_[at] == '\\' && (p_[at + 1] == ']' || p_[at + 1] == '\\')) {
        ++at;
      } else if ((p_[at] == '[' && p_[at + 1] == ':') || p_[at] == ']') {
        return std::nullopt;
      } else if (p_[at] == ':' && p_[at + 1] == ']') {
        return at + 2;
      }
    }
    return std::nullopt;
  }

  bool Class() {
    ++pos_;  // '['
    if (pos_ < p_.size() && p_[pos_] == '^') ++pos_;
    if (pos_ < p_.size() && p_[pos_] == ']') ++pos_;  // a leading ']' is a member
    while (pos_ < p_.size()) {
      char c = p_[pos_];
      if (c == ']') {
        ++pos_;
        return true;
      }
      if (c == '\\') {
        if (pos_ + 1 >= p_.size()) return false;
        char e = p_[pos_ + 1];
        pos_ += 2;
        if (e == 'Q' || e == 'E') return false;             // quoting: a ']' inside would not close
        if (e == 'c' && pos_++ >= p_.size()) return false;  // \cX: X is part of it, even ']'
        if ((e == 'x' || e == 'p' || e == 'P' || e == 'o') && !SkipBraces()) return false;
        continue;
      }
      if (c == '[' && pos_ + 1 < p_.size() && p_[pos_ + 1] == ':') {
        if (std::optional<size_t> close = PosixClassEnd(pos_ + 2)) {
          pos_ = *close;
          continue;
        }
      }
      ++pos_;
    }
    return false;  // unterminated
  }

  bool Group(Item* item) {
    ++pos_;  // '('
    item->open = "(?:";
    if (pos_ < p_.size() && p_[pos_] == '?') {
      ++pos_;
      if (pos_ >= p_.size()) return false;
      char c = p_[pos_];
      if (c == ':' || c == '>') {  // non-capturing, atomic
        ++pos_;
      } else if ((c == '<' && pos_ + 1 < p_.size() && p_[pos_ + 1] != '=' && p_[pos_ + 1] != '!') ||
                 (c == 'P' && pos_ + 1 < p_.size() && p_[pos_ + 1] == '<')) {
        // A named group: (?<name>, (?P<name> (not a lookbehind, nor (?P>name) or (?P=name)).
        size_t close = p_.find('>', pos_);
        if (close == std::string_view::npos) return false;
        pos_ = close + 1;
      } else {
        // Flags: "(?i:" opens a group, "(?i)" sets them for the rest of the enclosing one.
        size_t begin = pos_;
        // Only option letters: (?R), (?C1), (?P>name)... are not flags.
        constexpr std::string_view kOptionLetters = "imsxnUJ-";
        while (pos_ < p_.size() && kOptionLetters.find(p_[pos_]) != std::string_view::npos) ++pos_;
        if (pos_ == begin || pos_ >= p_.size()) return false;  // lookarounds, comments...
        if (p_[pos_] == ')') {
          ++pos_;
          item->atom_width = 0;
          return true;
        }
        if (p_[pos_] != ':') return false;
        ++pos_;
        item->open.assign("(?").append(p_.substr(begin, pos_ - begin));
      }
    }
    std::optional<std::vector<Sequence>> alternatives = Alternatives();
    if (!alternatives || pos_ >= p_.size() || p_[pos_] != ')') return false;
    ++pos_;
    item->is_group = true;
    item->alternatives = std::move(*alternatives);
    item->atom_width = 0;
    for (const Sequence& s : item->alternatives) {
      item->atom_width = std::max(item->atom_width, SequenceWidth(s));
    }
    return true;
  }

  // Reads a decimal number at pos_.
  std::optional<size_t> Number() {
    size_t begin = pos_, value = 0;
    while (pos_ < p_.size() && std::isdigit(uint8_t(p_[pos_])) && value < 1'000'000) {
      value = value * 10 + size_t(p_[pos_] - '0');
      ++pos_;
    }
    if (pos_ == begin) return std::nullopt;
    return value;
  }

  bool Quantifier(Item* item) {
    if (pos_ >= p_.size()) return true;
    switch (p_[pos_]) {
      case '*':
        item->min = 0, item->max = kUnbounded;
        break;
      case '+':
        item->min = 1, item->max = kUnbounded;
        break;
      case '?':
        item->min = 0, item->max = 1;
        break;
      case '{': {
        size_t start = pos_;
        ++pos_;
        if (pos_ < p_.size() && p_[pos_] == ',') return false;  // "{,n}": read differently
        std::optional<size_t> min = Number();
        if (!min) {  // not a quantifier: a literal '{' comes next
          pos_ = start;
          return true;
        }
        std::optional<size_t> max = min;
        if (pos_ < p_.size() && p_[pos_] == ',') {
          ++pos_;
          max =
              (pos_ < p_.size() && p_[pos_] == '}') ? std::optional<size_t>(kUnbounded) : Number();
        }
        if (!max || pos_ >= p_.size() || p_[pos_] != '}') {
          pos_ = start;
          return true;
        }
        item->min = *min, item->max = *max;
        break;
      }
      default:
        return true;
    }
    ++pos_;
    if (pos_ < p_.size() && (p_[pos_] == '?' || p_[pos_] == '+')) ++pos_;  // lazy, possessive
    return true;
  }

  std::string_view p_;
  size_t pos_ = 0;
};

}  // namespace

std::optional<std::vector<Sequence>> Parse(std::string_view pattern) {
  return Parser(pattern).Parse();
}

}  // namespace leaksweep::pattern
