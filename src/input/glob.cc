#include "leaksweep/input/glob.h"

#include <utility>
#include <vector>

namespace leaksweep {
namespace {

// Matches a bracket class at the start of `pattern` against `c`; sets `length` to the class's
// length in the pattern, or 0 when the class is unterminated (then '[' is a literal).
bool MatchClass(std::string_view pattern, char c, size_t* length) {
  size_t i = 1;
  bool negate = i < pattern.size() && (pattern[i] == '!' || pattern[i] == '^');
  if (negate) ++i;
  bool matched = false;
  bool first = true;
  for (; i < pattern.size() && (first || pattern[i] != ']'); ++i, first = false) {
    if (i + 2 < pattern.size() && pattern[i + 1] == '-' && pattern[i + 2] != ']') {
      matched = matched || (pattern[i] <= c && c <= pattern[i + 2]);
      i += 2;
    } else {
      matched = matched || pattern[i] == c;
    }
  }
  if (i >= pattern.size()) {
    *length = 0;
    return false;
  }
  *length = i + 1;
  return matched != negate && c != '/';
}

// The length of the bracket class at the start of `pattern`; 0 when it is unterminated.
size_t ClassLength(std::string_view pattern) {
  size_t length = 0;
  MatchClass(pattern, 'a', &length);
  return length;
}

// A glob, split into what each part matches.
enum class Part { kLiteral, kOne, kClass, kRun, kAnyRun, kSegments };
struct Token {
  Part part;
  char literal = 0;        // kLiteral
  std::string_view klass;  // kClass: "[...]"
};

std::vector<Token> Tokenize(std::string_view pattern) {
  std::vector<Token> tokens;
  for (size_t p = 0; p < pattern.size();) {
    if (pattern.substr(p, 2) == "**") {
      if (p + 2 < pattern.size() && pattern[p + 2] == '/') {
        tokens.push_back({Part::kSegments, 0, {}});  // "**/": zero or more whole segments
        p += 3;
      } else {
        tokens.push_back({Part::kAnyRun, 0, {}});  // any run of characters, '/' included
        p += 2;
      }
    } else if (pattern[p] == '*') {
      tokens.push_back({Part::kRun, 0, {}});
      ++p;
    } else if (pattern[p] == '?') {
      tokens.push_back({Part::kOne, 0, {}});
      ++p;
    } else if (pattern[p] == '[' && ClassLength(pattern.substr(p)) > 0) {
      const size_t length = ClassLength(pattern.substr(p));
      tokens.push_back({Part::kClass, 0, pattern.substr(p, length)});
      p += length;
    } else {
      tokens.push_back({Part::kLiteral, pattern[p], {}});  // an unterminated '[' too
      ++p;
    }
  }
  return tokens;
}

// Whether all of `text` matches `pattern`. Dynamic programming over (part, position), from the
// last part back: O(parts x length) whatever the glob. (A backtracking matcher takes
// exponential time on globs such as "*a*a*a*a*a*a*a*a*b", which a scanned repository's
// .leaksweep.yaml can hold: found by fuzzing, tests/fuzz/fuzz_config.cc.)
bool MatchGlob(std::string_view pattern, std::string_view text) {
  const std::vector<Token> tokens = Tokenize(pattern);
  const size_t n = text.size();
  // next[t]: the parts after the current one match text[t..]; cur[t]: the current one on.
  std::vector<char> next(n + 1, 0), cur(n + 1, 0);
  next[n] = 1;  // nothing left matches only the end
  for (size_t k = tokens.size(); k-- > 0;) {
    const Token& token = tokens[k];
    bool after_slash = false;  // kSegments: the rest matches just after a '/' at or past t
    for (size_t t = n + 1; t-- > 0;) {
      const bool more = t < n;
      bool match = false;
      switch (token.part) {
        case Part::kAnyRun:
          match = next[t] || (more && cur[t + 1]);
          break;
        case Part::kRun:
          match = next[t] || (more && text[t] != '/' && cur[t + 1]);
          break;
        case Part::kSegments:
          after_slash = after_slash || (more && text[t] == '/' && next[t + 1]);
          match = next[t] || after_slash;
          break;
        case Part::kOne:
          match = more && text[t] != '/' && next[t + 1];
          break;
        case Part::kClass: {
          size_t length = 0;
          match = more && MatchClass(token.klass, text[t], &length) && next[t + 1];
          break;
        }
        case Part::kLiteral:
          match = more && text[t] == token.literal && next[t + 1];
          break;
      }
      cur[t] = match;
    }
    std::swap(cur, next);
  }
  return next[0] != 0;
}

}  // namespace

Glob::Glob(std::string pattern) : pattern_(std::move(pattern)) {
  while (pattern_.size() > 1 && pattern_.back() == '/') pattern_.pop_back();  // "dir/" == "dir"
  if (pattern_.rfind("./", 0) == 0) pattern_.erase(0, 2);
  anchored_ = pattern_.find('/') != std::string::npos;
  if (anchored_ && pattern_.front() == '/') pattern_.erase(0, 1);
}

bool Glob::Matches(std::string_view path) const {
  // Try the whole path and each directory above it, so a glob naming a directory covers its
  // contents. Unanchored globs are tried against each single segment instead.
  size_t segment_start = 0;
  for (size_t i = 0; i <= path.size(); ++i) {
    if (i < path.size() && path[i] != '/') continue;
    std::string_view candidate =
        anchored_ ? path.substr(0, i) : path.substr(segment_start, i - segment_start);
    if (!candidate.empty() && MatchGlob(pattern_, candidate)) return true;
    segment_start = i + 1;
  }
  return false;
}

bool MatchesAny(const std::vector<Glob>& globs, std::string_view relative_path) {
  for (const Glob& glob : globs) {
    if (glob.Matches(relative_path)) return true;
  }
  return false;
}

}  // namespace leaksweep
