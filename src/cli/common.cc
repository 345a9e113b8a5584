#include "leaksweep/cli/common.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <iostream>
#include <set>

#include "leaksweep/rules/loader.h"

namespace leaksweep {

Result<RuleSet> LoadRuleSet(const std::vector<std::string>& extra_rule_paths,
                            const std::vector<std::string>& disabled) {
  std::vector<std::filesystem::path> paths = {DefaultSignaturesDir()};
  for (const auto& path : extra_rule_paths) paths.emplace_back(path);
  Result<RuleSet> loaded = LoadRules(paths);
  if (!loaded.ok() || disabled.empty()) return loaded;

  std::set<std::string> to_disable(disabled.begin(), disabled.end());
  std::vector<Rule> kept;
  for (const Rule& rule : loaded->rules()) {
    if (to_disable.erase(rule.id) == 0) kept.push_back(rule);
  }
  for (const auto& unknown : to_disable) {
    std::cerr << "warning: disable_rules names an unknown rule '" << unknown << "'\n";
  }
  return RuleSet(std::move(kept));
}

Result<std::shared_ptr<const Engine>> BuildEngine(RuleSet rules, bool use_cache) {
  EngineOptions options;
  if (use_cache) options.cache_dir = DefaultCacheDir();
  return Engine::Build(std::move(rules), options);
}

Result<std::unique_ptr<ReportDestination>> ReportDestination::Open(const std::string& path) {
  auto destination = std::unique_ptr<ReportDestination>(new ReportDestination());
  destination->path_ = path;
  if (path.empty() || path == "-") {
    destination->stdout_ = &std::cout;
    destination->terminal_ = isatty(STDOUT_FILENO);
    return destination;
  }
  // Create (or take over) the file owner-only before anything is written to it.
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return Status::Error(path + ": cannot create report file");
  bool secured = fchmod(fd, 0600) == 0;
  close(fd);
  if (!secured) return Status::Error(path + ": cannot make report file owner-only");
  destination->file_.open(path, std::ios::binary | std::ios::trunc);
  if (!destination->file_) return Status::Error(path + ": cannot open report file");
  return destination;
}

Status ReportDestination::Close() {
  std::ostream& out = stream();
  out.flush();
  bool failed = !out;
  if (file_.is_open()) {
    file_.close();
    failed = failed || file_.fail();
  }
  if (failed) {
    return Status::Error((path_.empty() || path_ == "-" ? std::string("standard output") : path_) +
                         ": write failed");
  }
  return Status::Ok();
}

Result<uint64_t> ParseSize(const std::string& text) {
  size_t digits = 0;
  while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) ++digits;
  if (digits == 0 || digits > 15) return Status::Error("invalid size '" + text + "'");
  uint64_t value = std::stoull(text.substr(0, digits));
  std::string unit = text.substr(digits);
  std::transform(unit.begin(), unit.end(), unit.begin(),
                 [](unsigned char c) { return std::toupper(c); });
  if (unit == "" || unit == "B") return value;
  if (unit == "K" || unit == "KB" || unit == "KIB") return value << 10;
  if (unit == "M" || unit == "MB" || unit == "MIB") return value << 20;
  if (unit == "G" || unit == "GB" || unit == "GIB") return value << 30;
  return Status::Error("invalid size '" + text + "' (use a number with K, M or G)");
}

}  // namespace leaksweep
