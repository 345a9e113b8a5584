// Path globs for --include, --exclude and config skip_paths, in the style of .gitignore:
//   *   any run of characters except '/'
//   **  any run of characters including '/' (as a whole segment: "a/**/b", "**/x", "x/**")
//   ?   one character except '/'
//   [..] a character class ([!..] or [^..] negates)
// A glob without '/' matches the base name at any depth ("*.min.js"); a glob with '/' matches
// the whole path relative to the scan root ("vendor/**"). A glob that matches a directory
// matches everything below it.
#ifndef LEAKSWEEP_INPUT_GLOB_H_
#define LEAKSWEEP_INPUT_GLOB_H_

#include <string>
#include <string_view>
#include <vector>

namespace leaksweep {

class Glob {
 public:
  explicit Glob(std::string pattern);
  // `relative_path` uses '/' separators and no leading "./".
  bool Matches(std::string_view relative_path) const;
  const std::string& pattern() const { return pattern_; }

 private:
  std::string pattern_;
  bool anchored_;  // contains '/': match the whole path
};

bool MatchesAny(const std::vector<Glob>& globs, std::string_view relative_path);

}  // namespace leaksweep

#endif  // LEAKSWEEP_INPUT_GLOB_H_
