// The `human` format: findings grouped under their file as they arrive, then a summary.
//
// Everything that comes from scanned data or from the file system (paths, values, snippets,
// rule names, messages) goes through SanitizeForTerminal, so no byte of it reaches the
// terminal as a control character.
#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "terminal_sanitize.h"
#include "writers.h"

namespace leaksweep::report_internal {
namespace {

// Skipped files listed per reason; the full list is in the JSON report.
constexpr size_t kMaxSkippedListed = 10;

constexpr std::string_view kReset = "\x1b[0m";
constexpr std::string_view kBold = "\x1b[1m";
constexpr std::string_view kDim = "\x1b[2m";
constexpr std::string_view kRed = "\x1b[31m";
constexpr std::string_view kBoldRed = "\x1b[1;31m";
constexpr std::string_view kGreen = "\x1b[32m";
constexpr std::string_view kYellow = "\x1b[33m";
constexpr std::string_view kCyan = "\x1b[36m";

std::string_view SeverityColor(Severity severity) {
  switch (severity) {
    case Severity::kCritical:
      return kBoldRed;
    case Severity::kHigh:
      return kRed;
    case Severity::kMedium:
      return kYellow;
    case Severity::kLow:
      return kCyan;
    case Severity::kInfo:
      return kDim;
  }
  return kDim;
}

std::string UpperCase(std::string_view text) {
  std::string upper(text);
  for (char& c : upper) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return upper;
}

// "1 file", "2 files".
std::string Count(uint64_t n, std::string_view noun) {
  std::string text = std::to_string(n) + " " + std::string(noun);
  if (n != 1) text += 's';
  return text;
}

class HumanWriter : public ReportWriter {
 public:
  HumanWriter(std::ostream& out, const ReportOptions& options) : out_(out), options_(options) {}

  void AddFinding(const Finding& finding) override {
    if (!current_path_ || *current_path_ != finding.path) StartFile(finding.path);
    WriteFinding(finding);
    ++by_severity_[finding.severity];
    ++by_rule_[finding.rule_id];
    ++total_;
  }

  void Flush() override { out_.flush(); }

  void Finish(const ScanSummary& summary) override {
    if (total_ > 0) out_ << '\n';
    WriteTotals();
    WriteScanned(summary.stats, summary.item_noun);
    WriteSkipped(summary.skipped);
    WriteErrors(summary.errors);
    for (const std::string& note : summary.notes)
      out_ << "note: " << SanitizeForTerminal(note) << '\n';
    out_.flush();
  }

 private:
  // `text` wrapped in `color` when colour is on.
  std::string Paint(std::string_view color, std::string_view text) const {
    if (!options_.color) return std::string(text);
    return std::string(color) + std::string(text) + std::string(kReset);
  }

  void StartFile(const std::string& path) {
    if (current_path_) out_ << '\n';  // a blank line between files
    out_ << Paint(kBold, SanitizeForTerminal(path)) << '\n';
    current_path_ = path;
  }

  void WriteFinding(const Finding& finding) {
    std::string label = UpperCase(ToString(finding.severity));
    label.resize(std::max<size_t>(label.size(), 8), ' ');  // aligns the rule names
    out_ << "  " << Paint(SeverityColor(finding.severity), label) << ' '
         << SanitizeForTerminal(finding.rule_name) << " (" << SanitizeForTerminal(finding.rule_id)
         << ')';
    if (finding.start.line > 0) {  // line 0: the position is unknown
      out_ << " at " << finding.start.line << ':' << finding.start.column;
    }
    out_ << ", confidence " << ToString(finding.confidence)
         << (finding.likely_test ? ", likely test data" : "") << '\n';
    WriteField("value", ShownValue(finding, options_));
    WriteField("snippet", ShownSnippet(finding, options_));
    if (!finding.encoding.empty()) WriteField("encoding", finding.encoding);
    if (finding.git) WriteGit(*finding.git);
    WriteOtherLocations(finding.other_locations);
    WriteField("fingerprint", finding.fingerprint);
  }

  void WriteGit(const GitProvenance& git) {
    if (git.commit.empty()) {
      WriteField("blob", git.blob + " (not reachable from any ref)");
      return;
    }
    WriteField("commit", git.commit.substr(0, 12) + " " + git.date + " " + git.author_name + " <" +
                             git.author_email + ">: " + git.summary);
    WriteField("in HEAD", git.in_head ? "yes" : "no: removed, but still in history (rotate it)");
    if (git.paths > 1 || git.commits > 1) {
      WriteField("also", std::to_string(git.paths) + " paths, " + std::to_string(git.commits) +
                             " commits hold this blob");
    }
  }

  void WriteOtherLocations(const std::vector<FindingLocation>& locations) {
    constexpr size_t kShown = 5;
    for (size_t i = 0; i < locations.size() && i < kShown; ++i) {
      const FindingLocation& at = locations[i];
      WriteField(i == 0 ? "also at" : "",
                 at.path + ":" + std::to_string(at.start.line) +
                     (at.commit.empty() ? "" : " in " + at.commit.substr(0, 12)));
    }
    if (locations.size() > kShown) {
      WriteField(
          "", "… and " + std::to_string(locations.size() - kShown) + " more (see --format json)");
    }
  }

  void WriteField(std::string_view name, std::string_view text) {
    std::string label = name.empty() ? std::string() : std::string(name) + ":";
    label.resize(std::max<size_t>(label.size(), 12), ' ');
    out_ << "    " << Paint(kDim, label) << ' ' << SanitizeForTerminal(text) << '\n';
  }

  void WriteTotals() {
    if (total_ == 0) {
      out_ << Paint(kGreen, "No findings.") << '\n';
      return;
    }
    out_ << Paint(kBold, Count(total_, "finding")) << ':';
    const char* separator = " ";
    for (auto it = by_severity_.rbegin(); it != by_severity_.rend(); ++it) {  // highest first
      out_ << separator << it->second << ' '
           << Paint(SeverityColor(it->first), ToString(it->first));
      separator = ", ";
    }
    out_ << '\n';
    for (const auto& [rule_id, count] : RulesByCount()) {
      out_ << "  " << SanitizeForTerminal(rule_id) << ": " << count << '\n';
    }
  }

  // Most frequent first; ties by id so the order never depends on arrival.
  std::vector<std::pair<std::string, uint64_t>> RulesByCount() const {
    std::vector<std::pair<std::string, uint64_t>> rules(by_rule_.begin(), by_rule_.end());
    std::stable_sort(rules.begin(), rules.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    return rules;
  }

  void WriteScanned(const ScanStats& stats, const std::string& noun) {
    out_ << "Scanned " << Count(stats.files_scanned, noun) << " ("
         << Count(stats.bytes_scanned, "byte") << ").\n";
    const std::pair<uint64_t, std::string_view> suppressed[] = {
        {stats.suppressed_inline, "inline"},
        {stats.suppressed_config, "by config"},
        {stats.suppressed_baseline, "by baseline"},
    };
    bool any = false;
    for (const auto& [count, how] : suppressed) {
      if (count == 0) continue;
      out_ << (any ? ", " : "Suppressed: ") << count << ' ' << how;
      any = true;
    }
    if (any) out_ << ".\n";
  }

  void WriteSkipped(const std::vector<SkippedFile>& skipped) {
    if (skipped.empty()) return;
    std::map<SkipReason, std::vector<const std::string*>> by_reason;  // enum order: stable
    for (const SkippedFile& file : skipped) by_reason[file.reason].push_back(&file.path);
    out_ << "Skipped " << Count(skipped.size(), "file") << ":\n";
    for (const auto& [reason, paths] : by_reason) {
      out_ << "  " << ToString(reason) << ": " << paths.size() << '\n';
      const size_t listed = std::min(paths.size(), kMaxSkippedListed);
      for (size_t i = 0; i < listed; ++i) out_ << "    " << SanitizeForTerminal(*paths[i]) << '\n';
      if (paths.size() > listed) {
        out_ << "    … and " << paths.size() - listed << " more (see --format json)\n";
      }
    }
  }

  void WriteErrors(const std::vector<ScanError>& errors) {
    for (const ScanError& error : errors) {
      out_ << Paint(kRed, "error:") << ' ' << SanitizeForTerminal(error.path) << ": "
           << SanitizeForTerminal(error.message) << '\n';
    }
  }

  std::ostream& out_;
  ReportOptions options_;
  std::optional<std::string> current_path_;  // the file whose findings are being listed
  std::map<Severity, uint64_t> by_severity_;
  std::map<std::string, uint64_t> by_rule_;
  uint64_t total_ = 0;
};

}  // namespace

std::unique_ptr<ReportWriter> MakeHumanWriter(std::ostream& out, const ReportOptions& options) {
  return std::make_unique<HumanWriter>(out, options);
}

}  // namespace leaksweep::report_internal
