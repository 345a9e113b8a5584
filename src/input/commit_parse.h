// Private to the input module: describing a commit from its raw bytes, without libgit2.
//
// The history walk describes every commit it meets (author, date, summary line). Through
// libgit2 that is a second object read and a full parse per commit, on the thread whose reads
// the whole walk waits for. Commits in the plain form git writes are parsed here instead, with
// exactly the results libgit2 gives them; anything else (nullopt: an odd signature, a second
// author line, a NUL in the header, ...) is left to libgit2, whose answer or error stands.
#ifndef LEAKSWEEP_SRC_INPUT_COMMIT_PARSE_H_
#define LEAKSWEEP_SRC_INPUT_COMMIT_PARSE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "leaksweep/input/git_inventory.h"

namespace leaksweep {

struct PlainCommit {
  GitOid tree;
  std::string author_name;   // as libgit2's git_commit_author()->name
  std::string author_email;  // ->email
  int64_t time = 0;          // ->when.time
  int offset_minutes = 0;    // ->when.offset
  std::string summary;       // as git_commit_summary()
  std::string message;       // as git_commit_message(), when asked for
};

// The commit whose raw bytes (without the object header) are `raw`, when it is in the plain
// form: "tree", "parent"s, one "author" and one "committer" line of the form
// "Name <email> 1234567890 +0100" (no '<', '>' or NUL in name or email, none of the characters
// libgit2 trims at either end of them, a name not empty), then any other headers and the
// message.
std::optional<PlainCommit> ParsePlainCommit(std::string_view raw, bool with_message);

// The root tree a commit's raw bytes name on their first line, when it is in the form git
// writes ("tree " and 40 lower-case hex digits): what ParsePlainCommit and libgit2 both take as
// the tree. Cheap: a history walk's reading thread learns which tree to read next from it and
// leaves the rest of the parse to the walk.
std::optional<GitOid> CommitTree(std::string_view raw);

}  // namespace leaksweep

#endif  // LEAKSWEEP_SRC_INPUT_COMMIT_PARSE_H_
