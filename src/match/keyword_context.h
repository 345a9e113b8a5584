// Private to the match module: where a rule's required keywords may stand around a match.
//
//   the match's line        up to kKeywordReach bytes either side of the match;
//   the line above          only when it ends in ':' (a YAML key whose value is below) or the
//                           match's line starts with `value:` (a Kubernetes `name:`/`value:` pair);
//   the column's name       in a table: for a CSV/TSV row, the header field above the match's
//                           column; for a row of a multi-row SQL INSERT, the column named in the
//                           INSERT's column list. Only that column's name counts, so a `dob`
//                           column does not make every date in the file a birth date.
//
// Keywords match case-insensitively as substrings; a keyword of several words ("date of birth")
// also matches written together or with _ or - ("dateOfBirth", "date_of_birth").
#ifndef LEAKSWEEP_SRC_MATCH_KEYWORD_CONTEXT_H_
#define LEAKSWEEP_SRC_MATCH_KEYWORD_CONTEXT_H_

#include <string>
#include <string_view>
#include <vector>

namespace leaksweep {

// `value_start` locates the table column; `match_start`..`match_end` the reach on the line.
// REQUIRES: keywords are lower-case.
bool KeywordNear(std::string_view data, size_t match_start, size_t match_end, size_t value_start,
                 const std::vector<std::string>& keywords);

// Only the match's line and its table column's name (used for exclude_keywords, which must
// not reach further: "version" above a value is not about the value).
bool KeywordOnLine(std::string_view data, size_t match_start, size_t match_end,
                   const std::vector<std::string>& keywords);
bool ColumnNameHasKeyword(std::string_view data, size_t value_start,
                          const std::vector<std::string>& keywords);

}  // namespace leaksweep

#endif  // LEAKSWEEP_SRC_MATCH_KEYWORD_CONTEXT_H_
