#include "leaksweep/pipeline/findings.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "leaksweep/core/base64.h"
#include "leaksweep/core/sha256.h"
#include "leaksweep/input/file_reader.h"
#include "leaksweep/policy/test_evidence.h"

namespace leaksweep {
namespace fs = std::filesystem;
namespace {

constexpr size_t kSnippetContext = 80;  // bytes kept either side of a value on a long line
constexpr std::string_view kEllipsis = "…";

bool IsContinuationByte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// Moves `offset` back to the start of the UTF-8 character it falls in.
size_t CharStart(std::string_view data, size_t offset) {
  while (offset > 0 && offset < data.size() && IsContinuationByte(data[offset])) --offset;
  return offset;
}

uint32_t CountChars(std::string_view text) {
  return static_cast<uint32_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return !IsContinuationByte(c); }));
}

// Walks forward through `data` keeping the current line number and line start, so positions
// of sorted offsets cost one pass over the buffer.
class LineTracker {
 public:
  explicit LineTracker(std::string_view data) : data_(data) {}

  // REQUIRES: offsets passed in non-decreasing order.
  void AdvanceTo(size_t offset) {
    while (true) {
      const void* next = std::memchr(data_.data() + line_start_, '\n', offset - line_start_);
      if (next == nullptr) break;
      line_start_ = static_cast<const char*>(next) - data_.data() + 1;
      ++line_;
    }
  }
  uint32_t line() const { return line_; }
  size_t line_start() const { return line_start_; }

 private:
  std::string_view data_;
  uint32_t line_ = 1;
  size_t line_start_ = 0;
};

size_t LineEnd(std::string_view data, size_t from) {
  size_t end = data.find('\n', from);
  if (end == std::string_view::npos) end = data.size();
  if (end > from && data[end - 1] == '\r') --end;
  return end;
}

struct Located {
  const Match* match;
  size_t index;  // into the matches it was located from
  Position start, end;
  size_t line_start, line_end;  // the line the value starts on, without its line break
};

std::vector<Located> Locate(std::string_view data, const std::vector<Match>& matches) {
  std::vector<const Match*> by_start;
  for (const Match& m : matches) by_start.push_back(&m);
  std::sort(by_start.begin(), by_start.end(),
            [](const Match* a, const Match* b) { return a->value_start < b->value_start; });
  std::vector<Located> located;
  LineTracker start_lines(data);
  // Many values can share one long line (a minified file): its end and the characters counted
  // so far are kept, so each value costs its own length, not the line's.
  size_t line_start = std::string_view::npos, line_end = 0, counted_to = 0;
  uint32_t counted_chars = 0;
  for (const Match* m : by_start) {
    start_lines.AdvanceTo(m->value_start);
    if (start_lines.line_start() != line_start) {
      line_start = start_lines.line_start();
      line_end = LineEnd(data, line_start);
      counted_to = line_start;
      counted_chars = 0;
    }
    counted_chars += CountChars(data.substr(counted_to, m->value_start - counted_to));
    counted_to = m->value_start;
    Located entry{m, static_cast<size_t>(m - matches.data()), {}, {}, line_start, line_end};
    entry.start = {start_lines.line(), counted_chars + 1};
    // The end line: count line breaks inside the value (multi-line values such as PEM blocks).
    size_t last = m->value_end - 1;
    std::string_view value = data.substr(m->value_start, m->value_end - m->value_start);
    uint32_t breaks = static_cast<uint32_t>(std::count(value.begin(), value.end() - 1, '\n'));
    uint32_t end_column =
        breaks == 0 ? counted_chars + CountChars(value)
                    : CountChars(data.substr(data.rfind('\n', last - 1) + 1,
                                             m->value_end - (data.rfind('\n', last - 1) + 1)));
    entry.end = {start_lines.line() + breaks, end_column};
    located.push_back(entry);
  }
  return located;
}

// The part of the value's line shown in reports: the whole line when short, else the value
// with kSnippetContext bytes either side, cut at character boundaries.
struct SnippetWindow {
  size_t from, to;
  bool cut_left, cut_right;
};

SnippetWindow WindowFor(std::string_view data, const Located& at) {
  size_t value_end_on_line = std::min(at.match->value_end, at.line_end);
  size_t from = at.match->value_start > at.line_start + kSnippetContext
                    ? CharStart(data, at.match->value_start - kSnippetContext)
                    : at.line_start;
  size_t to = value_end_on_line + kSnippetContext < at.line_end
                  ? CharStart(data, value_end_on_line + kSnippetContext)
                  : at.line_end;
  return {from, to, from > at.line_start, to < at.line_end};
}

std::string Decorate(const SnippetWindow& window, std::string text) {
  return std::string(window.cut_left ? kEllipsis : "") + text +
         std::string(window.cut_right ? kEllipsis : "");
}

// The window's text with every value that overlaps it replaced by its redacted form.
std::string MaskedSnippet(const RuleSet& rules, std::string_view data, const SnippetWindow& window,
                          const std::vector<Located>& all) {
  std::string out;
  size_t pos = window.from;
  // `all` is sorted by value start: begin at the first value that can reach the window (the
  // one before it too, since a multi-line value may start earlier), stop past the window.
  auto first =
      std::lower_bound(all.begin(), all.end(), window.from,
                       [](const Located& l, size_t at) { return l.match->value_start < at; });
  if (first != all.begin()) --first;
  for (auto it = first; it != all.end() && it->match->value_start < window.to; ++it) {
    const Match& m = *it->match;
    if (m.value_end <= pos) continue;
    size_t mask_from = std::max(pos, m.value_start);
    out.append(data.substr(pos, mask_from - pos));
    std::string_view value = data.substr(m.value_start, m.value_end - m.value_start);
    out += Redact(value, rules.at(m.rule_index).category);
    pos = std::min(window.to, m.value_end);
  }
  if (pos < window.to) out.append(data.substr(pos, window.to - pos));
  return out;
}

Result<std::string> ReadOrCreateKeyFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (in) {
    std::stringstream text;
    text << in.rdbuf();
    std::string key = text.str();
    while (!key.empty() && (key.back() == '\n' || key.back() == '\r')) key.pop_back();
    if (!key.empty()) return key;
  }
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  chmod(path.parent_path().c_str(), 0700);
  std::ifstream random("/dev/urandom", std::ios::binary);
  unsigned char bytes[32];
  if (!random.read(reinterpret_cast<char*>(bytes), sizeof bytes)) {
    return Status::Error("cannot read /dev/urandom for a fingerprint key");
  }
  Sha256::Digest digest;
  std::copy(std::begin(bytes), std::end(bytes), digest.begin());
  std::string key = ToHex(digest);
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return Status::Error(path.string() + ": cannot create fingerprint key file");
  std::string line = key + "\n";
  bool ok = write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
  ok = close(fd) == 0 && ok;
  if (!ok) return Status::Error(path.string() + ": cannot write fingerprint key file");
  return key;
}

Confidence Lower(Confidence confidence) {
  return confidence == Confidence::kHigh ? Confidence::kMedium : Confidence::kLow;
}

}  // namespace

Result<FingerprintKey> FingerprintKey::Load() {
  if (const char* env = std::getenv("LEAKSWEEP_FINGERPRINT_KEY"); env && *env) {
    return FingerprintKey(env);
  }
  fs::path dir;
  if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg && *xdg) {
    dir = fs::path(xdg) / "leaksweep";
  } else if (const char* home = std::getenv("HOME"); home && *home) {
    dir = fs::path(home) / ".config" / "leaksweep";
  } else {
    return Status::Error("no HOME: set LEAKSWEEP_FINGERPRINT_KEY");
  }
  Result<std::string> key = ReadOrCreateKeyFile(dir / "fingerprint.key");
  if (!key.ok()) return key.status();
  return FingerprintKey(std::move(key).value());
}

std::string Fingerprint(Category category, std::string_view rule_id, std::string_view value,
                        const FingerprintKey& key) {
  std::string message = "leaksweep-fingerprint-v1";
  message.push_back('\0');
  message.append(rule_id);
  message.push_back('\0');
  message.append(value);
  Sha256::Digest digest;
  if (category == Category::kPii) {
    digest = key.mac().Mac(message);
  } else {
    Sha256 hash;
    hash.Update(message);
    digest = hash.Finish();
  }
  return ToHex(digest).substr(0, 32);
}

std::string Redact(std::string_view value, Category category) {
  size_t shown = std::min<size_t>(category == Category::kPii ? 2 : 4, value.size() / 4);
  // Never show a line break or cut a character in half.
  size_t newline = value.find_first_of("\r\n");
  if (newline != std::string_view::npos) shown = std::min(shown, newline);
  shown = CharStart(value, shown);
  return std::string(value.substr(0, shown)) + std::string(kEllipsis);
}

namespace {

// Decodes a decoder rule's value and scans its line with the decoded text in place of the
// encoded one, so that context on the line (a `password:` key) still counts.
void ScanDecoded(Scanner& scanner, std::string_view text, size_t outer, TextScan* scan) {
  const Match& m = scan->matches[outer];
  std::optional<std::string> decoded =
      DecodeBase64(text.substr(m.value_start, m.value_end - m.value_start));
  if (!decoded || !LooksLikeText(*decoded)) return;
  size_t line_start = text.rfind('\n', m.value_start == 0 ? 0 : m.value_start - 1);
  line_start = (line_start == std::string_view::npos || m.value_start == 0) ? 0 : line_start + 1;
  size_t line_end = LineEnd(text, m.value_end);
  std::string probe(text.substr(line_start, m.value_start - line_start));
  size_t decoded_start = probe.size();
  probe += *decoded;
  size_t decoded_end = probe.size();
  probe.append(text.substr(m.value_end, line_end - m.value_end));

  Result<BufferMatches> inner = scanner.Scan(probe);
  if (!inner.ok()) return;
  const RuleSet& rules = scanner.engine().rules();
  for (const Match& found : inner->matches) {
    bool inside = found.value_end > decoded_start && found.value_start < decoded_end;
    if (!inside || rules.at(found.rule_index).decode != Decoder::kNone) continue;
    scan->decoded.push_back({outer, found.rule_index,
                             probe.substr(found.value_start, found.value_end - found.value_start),
                             found.test_value});
  }
}

Finding BaseFinding(const Rule& rule, const Located& at, const std::string& path) {
  Finding finding;
  finding.rule_id = rule.id;
  finding.rule_name = rule.name;
  finding.category = rule.category;
  finding.severity = rule.severity;
  finding.confidence = rule.confidence;
  finding.path = path;
  finding.start = at.start;
  finding.end = at.end;
  return finding;
}

}  // namespace

Result<TextScan> ScanText(Scanner& scanner, std::string_view* text, std::string* storage,
                          const ScanReuse& reuse) {
  Result<BufferMatches> matches = scanner.Scan(*text, reuse);
  if (matches.ok() && !matches->matches.empty() && !IsValidUtf8(*text)) {
    *storage = Latin1ToUtf8(*text);
    *text = *storage;
    matches = scanner.Scan(*text);
  }
  if (!matches.ok()) return matches.status();
  TextScan scan;
  scan.matches = std::move(matches->matches);
  scan.truncated = matches->truncated;
  scan.rules_over_limit = std::move(matches->rules_over_limit);
  const RuleSet& rules = scanner.engine().rules();
  for (size_t i = 0; i < scan.matches.size(); ++i) {
    if (rules.at(scan.matches[i].rule_index).decode == Decoder::kBase64) {
      ScanDecoded(scanner, *text, i, &scan);
    }
  }
  return scan;
}

FileFindings MakeFindings(const RuleSet& rules, std::string_view data, const TextScan& scan,
                          const std::string& path, const Policy& policy,
                          const FingerprintKey& key) {
  FileFindings result;
  std::vector<Located> located = Locate(data, scan.matches);
  const bool test_path = IsTestPath(path);
  // Line-wide judgements, made once per line: many findings can share one long line.
  size_t judged_line = std::string_view::npos;
  bool line_allows = false, line_has_test_words = false;
  auto judge_line = [&](const Located& at) {
    if (at.line_start == judged_line) return;
    judged_line = at.line_start;
    std::string_view line = data.substr(at.line_start, at.line_end - at.line_start);
    line_allows = HasInlineAllow(line);
    line_has_test_words = HasTestWords(line);
  };
  auto emit = [&](Finding finding, const Located& at, bool test_value) {
    SnippetWindow window = WindowFor(data, at);
    finding.redacted_value = Redact(finding.value, finding.category);
    finding.snippet =
        Decorate(window, std::string(data.substr(window.from, window.to - window.from)));
    finding.redacted_snippet = Decorate(window, MaskedSnippet(rules, data, window, located));
    finding.fingerprint = Fingerprint(finding.category, finding.rule_id, finding.value, key);
    judge_line(at);
    finding.likely_test = test_value || test_path || line_has_test_words;
    if (finding.likely_test) finding.confidence = Lower(finding.confidence);
    switch (policy.Check(finding, line_allows)) {
      case Suppression::kInline:
        ++result.suppressed.suppressed_inline;
        break;
      case Suppression::kConfig:
        ++result.suppressed.suppressed_config;
        break;
      case Suppression::kBaseline:
        ++result.suppressed.suppressed_baseline;
        break;
      case Suppression::kNone:
        result.findings.push_back(std::move(finding));
        break;
    }
  };
  // Text that decoded to a finding is reported once, as what it decodes to: a rule that also
  // matched the encoded text itself (a generic `key: value` rule) would report it twice.
  auto decoded_here = [&](const Match& m) {
    for (const DecodedValue& decoded : scan.decoded) {
      const Match& outer = scan.matches[decoded.outer];
      if (m.value_start < outer.value_end && outer.value_start < m.value_end) return true;
    }
    return false;
  };
  for (const Located& at : located) {
    const Match& m = *at.match;
    const Rule& rule = rules.at(m.rule_index);
    if (rule.decode == Decoder::kNone) {
      if (decoded_here(m)) continue;
      Finding finding = BaseFinding(rule, at, path);
      finding.value = std::string(data.substr(m.value_start, m.value_end - m.value_start));
      emit(std::move(finding), at, m.test_value);
      continue;
    }
    for (const DecodedValue& decoded : scan.decoded) {
      if (decoded.outer != at.index) continue;
      Finding finding = BaseFinding(rules.at(decoded.rule_index), at, path);
      finding.value = decoded.value;
      finding.encoding = "base64";
      emit(std::move(finding), at, decoded.test_value);
    }
  }
  std::stable_sort(result.findings.begin(), result.findings.end(),
                   [](const Finding& a, const Finding& b) {
                     if (a.start != b.start) return a.start < b.start;
                     return a.rule_id < b.rule_id;
                   });
  return result;
}

FileFindings FindInText(Scanner& scanner, std::string_view text, const std::string& path,
                        const Policy& policy, const FingerprintKey& key,
                        std::vector<ScanError>* errors, const ScanReuse& reuse) {
  std::string converted;
  Result<TextScan> scan = ScanText(scanner, &text, &converted, reuse);
  if (!scan.ok()) {
    errors->push_back({path, scan.status().message()});
    return {};
  }
  const RuleSet& rules = scanner.engine().rules();
  if (scan->truncated) {
    errors->push_back({path, "too many matches: results are truncated"});
  }
  for (size_t rule_index : scan->rules_over_limit) {
    errors->push_back({path, "rule '" + rules.at(rule_index).id +
                                 "' hit the regular-expression match limit; some of its "
                                 "matches may be missed"});
  }
  return MakeFindings(rules, text, scan.value(), path, policy, key);
}

void MarkIncomplete(ScanSummary* summary) {
  summary->incomplete = true;
  summary->notes.push_back(
      "interrupted: the scan stopped early; these results are incomplete (scan again to finish)");
}

void Absorb(TextResult& result, ScanSummary& summary,
            const std::function<void(Finding&&)>& on_finding) {
  ScanStats& stats = summary.stats;
  if (result.scanned) {
    ++stats.files_scanned;
    stats.bytes_scanned += result.bytes;
  }
  stats.suppressed_inline += result.findings.suppressed.suppressed_inline;
  stats.suppressed_config += result.findings.suppressed.suppressed_config;
  stats.suppressed_baseline += result.findings.suppressed.suppressed_baseline;
  for (Finding& finding : result.findings.findings) on_finding(std::move(finding));
  if (result.skipped) summary.skipped.push_back(std::move(*result.skipped));
  for (ScanError& error : result.errors) summary.errors.push_back(std::move(error));
}

}  // namespace leaksweep
