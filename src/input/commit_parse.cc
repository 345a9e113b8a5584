#include "commit_parse.h"

#include <cstring>

namespace leaksweep {
namespace {

// libgit2's white space (git__isspace), and the same without the line feed.
bool IsGitSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}
bool IsSpaceNotLf(char c) { return c != '\n' && IsGitSpace(c); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Takes "<prefix><40 lower-case hex digits>\n" from the front of `*rest` into `*id`.
bool TakeIdLine(std::string_view* rest, std::string_view prefix, GitOid* id) {
  constexpr size_t kHex = 40;
  if (rest->size() < prefix.size() + kHex + 1 || rest->substr(0, prefix.size()) != prefix ||
      (*rest)[prefix.size() + kHex] != '\n') {
    return false;
  }
  const char* hex = rest->data() + prefix.size();
  for (size_t i = 0; i < kHex; ++i) {
    char c = hex[i];
    int value = IsDigit(c) ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
    if (value < 0) return false;
    if (i % 2 == 0)
      id->bytes[i / 2] = static_cast<uint8_t>(value << 4);
    else
      id->bytes[i / 2] |= static_cast<uint8_t>(value);
  }
  rest->remove_prefix(prefix.size() + kHex + 1);
  return true;
}

// What libgit2 (like git) trims from both ends of a name or an e-mail address: control
// characters, blanks, and . , : ; < > " \ '. Plain names and addresses have none there, so
// that they come out as written.
bool IsCrud(char c) {
  auto byte = static_cast<unsigned char>(c);
  return byte <= 32 || std::strchr(".,:;<>\"\\'", c) != nullptr;
}

bool EdgesAreNotCrud(std::string_view text) {
  return text.empty() || (!IsCrud(text.front()) && !IsCrud(text.back()));
}

// Takes a plain signature line "<prefix>Name <email> 1234567890 +0100\n" from the front of
// `*rest`; fills `*out` when given. The time zone is libgit2's reading of it: hours over 14 or
// minutes over 59 are taken as no offset.
bool TakeSignature(std::string_view* rest, std::string_view prefix, PlainCommit* out) {
  if (rest->substr(0, prefix.size()) != prefix) return false;
  size_t end = rest->find('\n');
  if (end == std::string_view::npos) return false;
  std::string_view line = rest->substr(prefix.size(), end - prefix.size());
  if (line.find('\0') != std::string_view::npos) return false;
  size_t lt = line.find('<'), gt = line.find('>');
  if (lt == std::string_view::npos || gt == std::string_view::npos || gt < lt ||
      line.find('<', lt + 1) != std::string_view::npos ||
      line.find('>', gt + 1) != std::string_view::npos) {
    return false;
  }
  if (lt < 2 || line[lt - 1] != ' ') return false;
  std::string_view name = line.substr(0, lt - 1);
  std::string_view email = line.substr(lt + 1, gt - lt - 1);
  if (name.empty() || !EdgesAreNotCrud(name) || !EdgesAreNotCrud(email)) return false;
  // "> " digits " " sign and four digits, then the end of the line.
  std::string_view when = line.substr(gt + 1);
  if (when.size() < 2 || when[0] != ' ') return false;
  size_t digits = 1;
  while (digits < when.size() && IsDigit(when[digits])) ++digits;
  size_t time_length = digits - 1;
  if (time_length == 0 || time_length > 18) return false;
  std::string_view zone = when.substr(digits);
  if (zone.size() != 6 || zone[0] != ' ' || (zone[1] != '+' && zone[1] != '-')) return false;
  for (size_t i = 2; i < 6; ++i) {
    if (!IsDigit(zone[i])) return false;
  }
  if (out != nullptr) {
    out->author_name.assign(name);
    out->author_email.assign(email);
    int64_t time = 0;
    for (size_t i = 1; i < digits; ++i) time = time * 10 + (when[i] - '0');
    out->time = time;
    int hhmm =
        (zone[2] - '0') * 1000 + (zone[3] - '0') * 100 + (zone[4] - '0') * 10 + (zone[5] - '0');
    int hours = hhmm / 100, minutes = hhmm % 100;
    out->offset_minutes = 0;
    if (hours <= 14 && minutes <= 59) {
      out->offset_minutes = (zone[1] == '-' ? -1 : 1) * (hours * 60 + minutes);
    }
  }
  rest->remove_prefix(end + 1);
  return true;
}

// The message as libgit2 keeps it: after the first empty line that follows the committer
// line (none: empty), up to a NUL byte if there is one.
std::string_view MessageOf(std::string_view after_committer) {
  size_t pos = 0;  // always just after a line feed here
  while (pos < after_committer.size() && after_committer[pos] != '\n') {
    size_t line_end = after_committer.find('\n', pos);
    pos = line_end == std::string_view::npos ? after_committer.size() : line_end + 1;
  }
  if (pos >= after_committer.size()) return {};
  std::string_view message = after_committer.substr(pos + 1);
  return message.substr(0, message.find('\0'));
}

// git_commit_summary(): the first paragraph, runs of white space holding a line feed joined
// into one space, other runs kept as they are.
std::string SummaryOf(std::string_view message) {
  std::string summary;
  size_t space = std::string_view::npos;
  bool space_has_line_feed = false;
  for (size_t i = 0; i < message.size(); ++i) {
    char c = message[i];
    if (c == '\n') {  // the paragraph ends at an empty or blank line, or at the end
      size_t next = i + 1;
      while (next < message.size() && IsSpaceNotLf(message[next])) ++next;
      if (next >= message.size() || message[next] == '\n') break;
    }
    if (IsGitSpace(c)) {
      if (space == std::string_view::npos) {
        space = i;
        space_has_line_feed = false;
      }
      space_has_line_feed |= c == '\n';
      continue;
    }
    if (space != std::string_view::npos) {
      if (space_has_line_feed) {
        summary.push_back(' ');
      } else {
        summary.append(message.substr(space, i - space));
      }
      space = std::string_view::npos;
    }
    summary.push_back(c);
  }
  return summary;
}

}  // namespace

std::optional<GitOid> CommitTree(std::string_view raw) {
  GitOid tree;
  if (!TakeIdLine(&raw, "tree ", &tree)) return std::nullopt;
  return tree;
}

std::optional<PlainCommit> ParsePlainCommit(std::string_view raw, bool with_message) {
  PlainCommit commit;
  std::string_view rest = raw;
  if (!TakeIdLine(&rest, "tree ", &commit.tree)) return std::nullopt;
  GitOid parent;
  while (TakeIdLine(&rest, "parent ", &parent)) {
  }
  if (!TakeSignature(&rest, "author ", &commit)) return std::nullopt;
  // libgit2 skips further author lines; they are left to it.
  if (rest.substr(0, 7) == "author ") return std::nullopt;
  if (!TakeSignature(&rest, "committer ", nullptr)) return std::nullopt;
  std::string_view message = MessageOf(rest);
  while (!message.empty() && message.front() == '\n') message.remove_prefix(1);
  commit.summary = SummaryOf(message);
  if (with_message) commit.message.assign(message);
  return commit;
}

}  // namespace leaksweep
