#include "leaksweep/policy/policy.h"

#include "leaksweep/regex/pcre2.h"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace leaksweep {
namespace fs = std::filesystem;
namespace {

Result<std::string> ReadText(const fs::path& path, const char* what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Error(path.string() + ": cannot read " + what);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::string Where(const std::string& source, const YAML::Mark& mark) {
  return source + ":" + std::to_string(mark.line + 1);
}

Status ReadStringList(const YAML::Node& node, const std::string& key, const std::string& source,
                      std::vector<std::string>* out) {
  if (!node.IsSequence())
    return Status::Error(Where(source, node.Mark()) + ": '" + key + "' must be a list");
  for (const auto& item : node) {
    if (!item.IsScalar()) {
      return Status::Error(Where(source, item.Mark()) + ": '" + key + "' items must be strings");
    }
    out->push_back(item.as<std::string>());
  }
  return Status::Ok();
}

void AddFingerprints(const nlohmann::json& report, std::unordered_set<std::string>* out) {
  auto add_one = [&](const nlohmann::json& finding) {
    if (finding.is_object() && finding.contains("fingerprint") &&
        finding["fingerprint"].is_string()) {
      out->insert(finding["fingerprint"].get<std::string>());
    }
  };
  if (report.is_object() && report.contains("findings") && report["findings"].is_array()) {
    for (const auto& finding : report["findings"]) add_one(finding);
  } else {
    add_one(report);  // one JSONL line
  }
}

}  // namespace

Result<ProjectConfig> ParseProjectConfig(const std::string& yaml_text, const std::string& source) {
  ProjectConfig config;
  try {
    YAML::Node root = YAML::Load(yaml_text);
    if (root.IsNull()) return config;
    if (!root.IsMap()) return Status::Error(source + ":1: the config file must be a mapping");
    for (const auto& entry : root) {
      std::string key = entry.first.as<std::string>();
      std::vector<std::string>* target = key == "disable_rules"  ? &config.disable_rules
                                         : key == "skip_paths"   ? &config.skip_paths
                                         : key == "allow_values" ? &config.allow_values
                                                                 : nullptr;
      if (target == nullptr) {
        return Status::Error(Where(source, entry.first.Mark()) + ": unknown field '" + key +
                             "' (known: disable_rules, skip_paths, allow_values)");
      }
      if (Status s = ReadStringList(entry.second, key, source, target); !s.ok()) return s;
    }
  } catch (const YAML::Exception& e) {
    return Status::Error(Where(source, e.mark) + ": invalid YAML: " + e.msg);
  }
  return config;
}

Result<ProjectConfig> LoadProjectConfig(const fs::path& file) {
  Result<std::string> text = ReadText(file, "config file");
  if (!text.ok()) return text.status();
  return ParseProjectConfig(text.value(), file.string());
}

Result<std::unordered_set<std::string>> LoadBaseline(const fs::path& file) {
  Result<std::string> text = ReadText(file, "baseline");
  if (!text.ok()) return text.status();
  std::unordered_set<std::string> fingerprints;
  nlohmann::json whole = nlohmann::json::parse(text.value(), nullptr, /*allow_exceptions=*/false);
  if (!whole.is_discarded()) {
    AddFingerprints(whole, &fingerprints);
    return fingerprints;
  }
  std::istringstream lines(text.value());
  std::string line;
  for (int number = 1; std::getline(lines, line); ++number) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    nlohmann::json parsed = nlohmann::json::parse(line, nullptr, false);
    if (parsed.is_discarded()) {
      return Status::Error(file.string() + ":" + std::to_string(number) +
                           ": baseline is neither a JSON report nor JSONL");
    }
    AddFingerprints(parsed, &fingerprints);
  }
  return fingerprints;
}

bool HasInlineAllow(std::string_view line) {
  return line.find("leaksweep:allow") != std::string_view::npos ||
         line.find("gitleaks:allow") != std::string_view::npos ||
         line.find("pragma: allowlist secret") != std::string_view::npos;
}

struct Policy::AllowPatterns {
  std::vector<Pcre2Code> programs;
  bool Allows(std::string_view value) const {
    for (const Pcre2Code& owned : programs) {
      pcre2_code* program = owned.get();
      // Match data per call: allow patterns run once per finding, not per byte.
      pcre2_match_data* data = pcre2_match_data_create_from_pattern(program, nullptr);
      int rc = pcre2_match(program, reinterpret_cast<PCRE2_SPTR>(value.data()), value.size(), 0, 0,
                           data, nullptr);
      pcre2_match_data_free(data);
      if (rc >= 0) return true;
    }
    return false;
  }
};

Policy::Policy() : allow_(std::make_shared<AllowPatterns>()) {}
Policy::~Policy() = default;
Policy::Policy(Policy&&) noexcept = default;
Policy& Policy::operator=(Policy&&) noexcept = default;

Result<Policy> Policy::Make(const ProjectConfig& config,
                            std::unordered_set<std::string> baseline_fingerprints) {
  auto allow = std::make_shared<AllowPatterns>();
  for (const std::string& pattern : config.allow_values) {
    Result<Pcre2Code> program = CompilePcre2(pattern, 0);
    if (!program.ok()) {
      return Status::Error("allow_values pattern '" + pattern + "' does not compile " +
                           program.status().message());
    }
    allow->programs.push_back(std::move(program).value());
  }
  Policy policy;
  policy.allow_ = std::move(allow);
  policy.baseline_ = std::move(baseline_fingerprints);
  return policy;
}

Suppression Policy::Check(const Finding& finding, bool line_allows) const {
  if (line_allows) return Suppression::kInline;
  if (allow_->Allows(finding.value)) return Suppression::kConfig;
  if (baseline_.count(finding.fingerprint) != 0) return Suppression::kBaseline;
  return Suppression::kNone;
}

}  // namespace leaksweep
