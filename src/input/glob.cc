#include "leaksweep/input/glob.h"

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

bool MatchGlob(std::string_view pattern, std::string_view text) {
  while (!pattern.empty()) {
    if (pattern.substr(0, 2) == "**") {
      std::string_view rest = pattern.substr(2);
      if (rest.empty()) return true;
      if (rest.front() == '/') {
        rest.remove_prefix(1);  // "**/" is zero or more whole segments
        for (size_t i = 0; i <= text.size(); ++i) {
          if ((i == 0 || text[i - 1] == '/') && MatchGlob(rest, text.substr(i))) return true;
        }
        return false;
      }
      for (size_t i = 0; i <= text.size(); ++i) {
        if (MatchGlob(rest, text.substr(i))) return true;
      }
      return false;
    }
    char p = pattern.front();
    if (p == '*') {
      std::string_view rest = pattern.substr(1);
      for (size_t i = 0; i <= text.size(); ++i) {
        if (MatchGlob(rest, text.substr(i))) return true;
        if (i < text.size() && text[i] == '/') return false;
      }
      return false;
    }
    if (text.empty()) return false;
    if (p == '?') {
      if (text.front() == '/') return false;
      pattern.remove_prefix(1);
    } else if (p == '[') {
      size_t length = 0;
      bool matched = MatchClass(pattern, text.front(), &length);
      if (length == 0) {
        if (text.front() != '[') return false;
        length = 1;
      } else if (!matched) {
        return false;
      }
      pattern.remove_prefix(length);
    } else {
      if (p != text.front()) return false;
      pattern.remove_prefix(1);
    }
    text.remove_prefix(1);
  }
  return text.empty();
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
