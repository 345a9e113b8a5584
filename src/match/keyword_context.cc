#include "keyword_context.h"

#include <algorithm>
#include <cctype>
#include <optional>

namespace leaksweep {
namespace {

constexpr size_t kKeywordReach = 512;      // bytes either side of a match on its line
constexpr size_t kInsertLookBack = 65536;  // how far above a SQL row its INSERT may be

bool IsSeparator(char c) { return c == ' ' || c == '_' || c == '-' || c == '.'; }

// ASCII only, whatever the locale: keywords are ASCII, and other bytes must stay as they are.
char LowerAscii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string Lower(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(), LowerAscii);
  return lower;
}

// Where lower-case `needle` occurs in `text` ignoring ASCII case, searching from `from`
// forwards, or (RFind) the last occurrence; npos when nowhere. No copy of `text` is made.
bool EqualsIgnoringCase(std::string_view text, size_t at, std::string_view needle) {
  for (size_t i = 0; i < needle.size(); ++i) {
    if (LowerAscii(text[at + i]) != needle[i]) return false;
  }
  return true;
}
size_t FindIgnoringCase(std::string_view text, std::string_view needle, size_t from) {
  for (size_t at = from; at + needle.size() <= text.size(); ++at) {
    if (EqualsIgnoringCase(text, at, needle)) return at;
  }
  return std::string_view::npos;
}
size_t RFindIgnoringCase(std::string_view text, std::string_view needle) {
  for (size_t at = text.size() >= needle.size() ? text.size() - needle.size() + 1 : 0; at-- > 0;) {
    if (EqualsIgnoringCase(text, at, needle)) return at;
  }
  return std::string_view::npos;
}

std::string Squash(std::string_view lower) {
  std::string squashed(lower.size(), '\0');
  size_t kept = 0;
  for (char c : lower) {  // without a branch per byte: each is written, separators overwritten
    squashed[kept] = c;
    kept += IsSeparator(c) ? 0 : 1;
  }
  squashed.resize(kept);
  return squashed;
}

// A keyword made of several words, joined by separators between letters.
bool IsMultiWord(std::string_view keyword) {
  size_t first = keyword.find_first_not_of(" _-.");
  size_t last = keyword.find_last_not_of(" _-.");
  if (first == std::string_view::npos) return false;
  std::string_view inner = keyword.substr(first, last - first + 1);
  return std::any_of(inner.begin(), inner.end(), IsSeparator);
}

bool IsLetter(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }

// Whether text[at, at + length) stands as a word of its own: not inside a run of letters, where
// a lower-to-upper change (camelCase) also separates words.
bool IsWholeWord(std::string_view text, size_t at, size_t length) {
  auto separated = [&](size_t left, size_t right) {  // between text[left] and text[right]
    return !IsLetter(text[left]) || !IsLetter(text[right]) ||
           (std::islower(static_cast<unsigned char>(text[left])) &&
            std::isupper(static_cast<unsigned char>(text[right])));
  };
  bool start_ok = at == 0 || separated(at - 1, at);
  bool end_ok = at + length >= text.size() || separated(at + length - 1, at + length);
  return start_ok && end_ok;
}

// A keyword of at most three letters ("ssn", "nhs", "dob") must be a whole word: as a bare
// substring it turns up inside ordinary words (extenDOBject).
bool IsShort(std::string_view keyword) {
  return std::count_if(keyword.begin(), keyword.end(),
                       [](unsigned char c) { return std::isalnum(c); }) <= 3;
}

bool ContainsKeyword(std::string_view text, const std::vector<std::string>& keywords) {
  std::string lower = Lower(text);
  std::string squashed;
  for (const auto& keyword : keywords) {
    for (size_t at = lower.find(keyword); at != std::string::npos;
         at = lower.find(keyword, at + 1)) {
      if (!IsShort(keyword) || IsWholeWord(text, at, keyword.size())) return true;
    }
    // "date of birth" also matches dateOfBirth and date_of_birth; short joins are left out, as
    // squashing makes accidental ones.
    if (IsMultiWord(keyword) && Squash(keyword).size() >= 6) {
      if (squashed.empty()) squashed = Squash(lower);
      if (squashed.find(Squash(keyword)) != std::string::npos) return true;
    }
  }
  return false;
}

std::string_view Trim(std::string_view text) {
  size_t first = text.find_first_not_of(" \t\"'`(");
  if (first == std::string_view::npos) return {};
  size_t last = text.find_last_not_of(" \t\"'`),;");
  return text.substr(first, last - first + 1);
}

// Whether a table column's name is one of the keywords: punctuation around a keyword ("sin:")
// does not count here, and a short keyword must be a whole word of the name ("sin" names
// "sin" or "customer_sin", not "business").
bool ColumnNamed(std::string_view column, const std::vector<std::string>& keywords) {
  std::vector<std::string> words;
  std::string word;
  for (size_t i = 0; i <= column.size(); ++i) {
    bool boundary = i == column.size() || !std::isalnum(static_cast<unsigned char>(column[i])) ||
                    (i > 0 && std::isupper(static_cast<unsigned char>(column[i])) &&
                     std::islower(static_cast<unsigned char>(column[i - 1])));
    if (boundary && !word.empty()) {
      words.push_back(Lower(word));
      word.clear();
    }
    if (i < column.size() && std::isalnum(static_cast<unsigned char>(column[i]))) {
      word.push_back(column[i]);
    }
  }
  std::string joined;
  for (const auto& w : words) joined += w;
  for (const auto& keyword : keywords) {
    std::string core = Squash(Trim(keyword));
    core.erase(
        std::remove_if(core.begin(), core.end(), [](unsigned char c) { return !std::isalnum(c); }),
        core.end());
    if (core.empty()) continue;
    bool short_word = core.size() <= 3;
    if (short_word ? std::find(words.begin(), words.end(), core) != words.end()
                   : joined.find(core) != std::string::npos) {
      return true;
    }
  }
  return false;
}

struct Line {
  size_t start, end;  // without the line break
};

Line LineAt(std::string_view data, size_t offset) {
  size_t start = offset == 0 ? std::string_view::npos : data.rfind('\n', offset - 1);
  start = start == std::string_view::npos ? 0 : start + 1;
  size_t end = data.find('\n', offset);
  if (end == std::string_view::npos) end = data.size();
  if (end > start && data[end - 1] == '\r') --end;
  return {start, end};
}

// Splits a delimited line into fields, honouring double and single quotes; returns the index
// of the field holding `offset` (relative to the line) in `*field_index` when asked.
std::vector<std::string_view> SplitFields(std::string_view line, char delimiter,
                                          size_t offset = std::string_view::npos,
                                          size_t* field_index = nullptr) {
  std::vector<std::string_view> fields;
  char quote = 0;
  size_t field_start = 0;
  for (size_t i = 0; i <= line.size(); ++i) {
    if (i == offset && field_index != nullptr) *field_index = fields.size();
    if (i == line.size() || (quote == 0 && line[i] == delimiter)) {
      fields.push_back(line.substr(field_start, i - field_start));
      field_start = i + 1;
      continue;
    }
    char c = line[i];
    if (quote != 0 && c == quote) {
      quote = 0;
    } else if (quote == 0 && (c == '"' || c == '\'')) {
      quote = c;
    }
  }
  return fields;
}

// A header names columns: every field is a short label (letters, digits, spaces, _ . # -).
bool LooksLikeHeader(const std::vector<std::string_view>& names) {
  if (names.size() < 2) return false;
  for (std::string_view name : names) {
    std::string_view label = Trim(name);
    if (label.empty() || label.size() > 64) return false;
    for (char c : label) {
      if (!std::isalnum(static_cast<unsigned char>(c)) &&
          std::string_view(" _.#-").find(c) == std::string_view::npos) {
        return false;
      }
    }
  }
  return true;
}

// The header's name of the CSV/TSV column holding the match, when the buffer is a table.
std::optional<std::string_view> CsvColumnName(std::string_view data, Line line, size_t offset) {
  Line header = LineAt(data, 0);
  if (header.end >= line.start) return std::nullopt;  // the match is on the header itself
  std::string_view header_text = data.substr(header.start, header.end - header.start);
  for (char delimiter : {',', ';', '\t', '|'}) {
    if (header_text.find(delimiter) == std::string_view::npos) continue;  // one column at most
    std::vector<std::string_view> names = SplitFields(header_text, delimiter);
    if (!LooksLikeHeader(names)) continue;
    size_t index = 0;
    std::vector<std::string_view> row = SplitFields(data.substr(line.start, line.end - line.start),
                                                    delimiter, offset - line.start, &index);
    if (row.size() != names.size() || index >= names.size()) continue;
    return Trim(names[index]);
  }
  return std::nullopt;
}

// For a row of a multi-row INSERT ("  ('Ann', '123-45-6789'),"), the column the match is in.
std::optional<std::string_view> SqlColumnName(std::string_view data, Line line, size_t offset) {
  std::string_view row = data.substr(line.start, line.end - line.start);
  size_t open = row.find_first_not_of(" \t");
  if (open == std::string_view::npos || row[open] != '(') return std::nullopt;
  size_t from = line.start > kInsertLookBack ? line.start - kInsertLookBack : 0;
  std::string_view above = data.substr(from, line.start - from);
  size_t insert = RFindIgnoringCase(above, "insert into");
  if (insert == std::string_view::npos) return std::nullopt;
  size_t columns_open = above.find('(', insert);
  size_t columns_close =
      above.find(')', columns_open == std::string_view::npos ? insert : columns_open);
  size_t values = FindIgnoringCase(above, "values", insert);
  if (columns_open == std::string_view::npos || columns_close == std::string_view::npos ||
      values == std::string_view::npos || columns_close > values) {
    return std::nullopt;
  }
  std::string_view columns = data.substr(from + columns_open + 1, columns_close - columns_open - 1);
  std::vector<std::string_view> names = SplitFields(columns, ',');
  size_t index = 0;
  std::vector<std::string_view> fields =
      SplitFields(row.substr(open + 1), ',', offset - line.start - open - 1, &index);
  if (index >= names.size()) return std::nullopt;
  return Trim(names[index]);
}

bool PreviousLineCounts(std::string_view data, Line line, Line previous) {
  std::string_view above = Trim(data.substr(previous.start, previous.end - previous.start));
  std::string_view current = data.substr(line.start, line.end - line.start);
  size_t first = current.find_first_not_of(" \t-");
  bool value_line = first != std::string_view::npos && current.substr(first, 6) == "value:";
  return value_line || (!above.empty() && above.back() == ':');
}

}  // namespace

bool KeywordOnLine(std::string_view data, size_t match_start, size_t match_end,
                   const std::vector<std::string>& keywords) {
  Line line = LineAt(data, match_start);
  size_t from = std::max(line.start, match_start > kKeywordReach ? match_start - kKeywordReach : 0);
  size_t to = std::max(match_end, std::min(line.end, match_end + kKeywordReach));
  return ContainsKeyword(data.substr(from, to - from), keywords);
}

bool ColumnNameHasKeyword(std::string_view data, size_t value_start,
                          const std::vector<std::string>& keywords) {
  Line line = LineAt(data, value_start);
  for (auto column :
       {CsvColumnName(data, line, value_start), SqlColumnName(data, line, value_start)}) {
    if (column && ColumnNamed(*column, keywords)) return true;
  }
  return false;
}

bool KeywordNear(std::string_view data, size_t match_start, size_t match_end, size_t value_start,
                 const std::vector<std::string>& keywords) {
  if (KeywordOnLine(data, match_start, match_end, keywords)) return true;
  Line line = LineAt(data, match_start);
  if (line.start > 0) {
    Line previous = LineAt(data, line.start - 1);
    if (PreviousLineCounts(data, line, previous) &&
        ContainsKeyword(
            data.substr(previous.start, std::min(previous.end - previous.start, 2 * kKeywordReach)),
            keywords)) {
      return true;
    }
  }
  return ColumnNameHasKeyword(data, value_start, keywords);
}

}  // namespace leaksweep
