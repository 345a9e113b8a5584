#include "leaksweep/rules/loader.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace leaksweep {
namespace fs = std::filesystem;
namespace {

constexpr std::string_view kRuleFields[] = {"id",
                                            "name",
                                            "category",
                                            "severity",
                                            "confidence",
                                            "pattern",
                                            "prefilter",
                                            "keywords",
                                            "validators",
                                            "max_match_length",
                                            "description",
                                            "references",
                                            "examples",
                                            "negative_examples",
                                            "decode",
                                            "exclude_keywords",
                                            "prefilter_in_match"};

// Where a YAML node sits, for messages: "file:line".
std::string Where(const std::string& source, const YAML::Node& node) {
  return source + ":" + std::to_string(node.Mark().line + 1);
}

// Errors carry file, line and (when known) rule id.
class RuleParser {
 public:
  RuleParser(const std::string& source, const YAML::Node& node) : source_(source), node_(node) {}

  Result<Rule> Parse() {
    if (!node_.IsMap()) return Fail(node_, "a rule must be a mapping");
    if (node_["id"] && node_["id"].IsScalar()) rule_.id = node_["id"].as<std::string>();
    for (const auto& entry : node_) {
      std::string key = entry.first.as<std::string>();
      if (std::find(std::begin(kRuleFields), std::end(kRuleFields), key) == std::end(kRuleFields)) {
        return Fail(entry.first, "unknown field '" + key + "'");
      }
    }
    rule_.source_file = source_;
    rule_.source_line = node_.Mark().line + 1;
    if (!RequireString("id", &rule_.id) || !RequireString("name", &rule_.name) ||
        !RequireString("pattern", &rule_.pattern) || !ParseEnums() || !ParseLists() ||
        !ParseValidators() || !ParseWindow() || !ParseDecode() || !ParsePrefilterInMatch() ||
        !CheckId()) {
      return Status::Error(error_);
    }
    return rule_;
  }

 private:
  Status Fail(const YAML::Node& at, const std::string& message) {
    error_ =
        Where(source_, at) + ": " + (rule_.id.empty() ? "" : "rule '" + rule_.id + "': ") + message;
    return Status::Error(error_);
  }
  bool FailBool(const YAML::Node& at, const std::string& message) {
    Fail(at, message);
    return false;
  }

  bool RequireString(const char* key, std::string* out) {
    YAML::Node field = node_[key];
    if (!field) return FailBool(node_, std::string("missing required field '") + key + "'");
    return ReadString(field, key, out);
  }
  bool OptionalString(const char* key, std::string* out) {
    YAML::Node field = node_[key];
    return !field || ReadString(field, key, out);
  }
  bool ReadString(const YAML::Node& field, const char* key, std::string* out) {
    if (!field.IsScalar()) return FailBool(field, std::string("'") + key + "' must be a string");
    *out = field.as<std::string>();
    return true;
  }
  bool StringList(const char* key, std::vector<std::string>* out) {
    YAML::Node field = node_[key];
    if (!field) return true;
    if (field.IsScalar()) field = YAML::Node(std::vector<std::string>{field.as<std::string>()});
    if (!field.IsSequence()) return FailBool(field, std::string("'") + key + "' must be a list");
    for (const auto& item : field) {
      if (!item.IsScalar())
        return FailBool(item, std::string("'") + key + "' items must be strings");
      out->push_back(item.as<std::string>());
    }
    return true;
  }

  template <typename Enum>
  bool EnumField(const char* key, std::optional<Enum> (*parse)(std::string_view), bool required,
                 Enum* out) {
    std::string text;
    if (!node_[key])
      return required ? FailBool(node_, std::string("missing required field '") + key + "'") : true;
    if (!ReadString(node_[key], key, &text)) return false;
    auto parsed = parse(text);
    if (!parsed) return FailBool(node_[key], std::string("invalid ") + key + " '" + text + "'");
    *out = *parsed;
    return true;
  }

  bool ParseEnums() {
    return EnumField("category", ParseCategory, true, &rule_.category) &&
           EnumField("severity", ParseSeverity, true, &rule_.severity) &&
           EnumField("confidence", ParseConfidence, false, &rule_.confidence);
  }

  bool ParseLists() {
    if (!OptionalString("description", &rule_.description) ||
        !OptionalString("prefilter", &rule_.prefilter) ||
        !StringList("keywords", &rule_.keywords) ||
        !StringList("exclude_keywords", &rule_.exclude_keywords) ||
        !StringList("references", &rule_.references) || !StringList("examples", &rule_.examples) ||
        !StringList("negative_examples", &rule_.negative_examples)) {
      return false;
    }
    if (rule_.examples.empty()) return FailBool(node_, "needs at least one example");
    if (rule_.negative_examples.empty()) {
      return FailBool(node_, "needs at least one negative example (negative_examples)");
    }
    for (auto* list : {&rule_.keywords, &rule_.exclude_keywords}) {
      for (auto& keyword : *list) {
        if (keyword.empty()) return FailBool(node_, "keywords must not be empty");
        std::transform(keyword.begin(), keyword.end(), keyword.begin(),
                       [](unsigned char c) { return std::tolower(c); });
      }
    }
    return true;
  }

  bool ParseValidators() {
    YAML::Node list = node_["validators"];
    if (!list) return true;
    if (!list.IsSequence()) return FailBool(list, "'validators' must be a list");
    for (const auto& item : list) {
      ValidatorSpec spec;
      if (item.IsScalar()) {
        spec.name = item.as<std::string>();
      } else if (item.IsMap() && item["name"] && item["name"].IsScalar()) {
        for (const auto& param : item) {
          std::string key = param.first.as<std::string>();
          if (key == "name") continue;
          if (!param.second.IsScalar())
            return FailBool(param.second, "validator parameters must be scalars");
          spec.params[key] = param.second.as<std::string>();
        }
        spec.name = item["name"].as<std::string>();
      } else {
        return FailBool(item, "a validator is a name or a mapping with 'name'");
      }
      Result<BoundValidator> bound = MakeValidator(spec.name, spec.params);
      if (!bound.ok()) return FailBool(item, bound.status().message());
      spec.accept = std::move(bound).value();
      rule_.validators.push_back(std::move(spec));
    }
    return true;
  }

  bool ParsePrefilterInMatch() {
    YAML::Node field = node_["prefilter_in_match"];
    if (!field) return true;
    if (!field.IsScalar() || (field.Scalar() != "true" && field.Scalar() != "false")) {
      return FailBool(field, "'prefilter_in_match' must be true or false");
    }
    rule_.prefilter_in_match = field.Scalar() == "true";
    if (rule_.prefilter_in_match && rule_.prefilter.empty()) {
      return FailBool(field, "'prefilter_in_match' needs a 'prefilter'");
    }
    return true;
  }

  bool ParseDecode() {
    std::string decode;
    if (!OptionalString("decode", &decode)) return false;
    if (decode.empty()) return true;
    if (decode != "base64") return FailBool(node_["decode"], "decode must be 'base64'");
    rule_.decode = Decoder::kBase64;
    return true;
  }

  bool ParseWindow() {
    YAML::Node field = node_["max_match_length"];
    if (!field) return true;
    try {
      long long value = field.as<long long>();
      if (value < 1 || value > (1 << 20))
        return FailBool(field, "max_match_length must be 1..1048576");
      rule_.max_match_length = static_cast<size_t>(value);
      return true;
    } catch (const YAML::Exception&) {
      return FailBool(field, "max_match_length must be a whole number");
    }
  }

  bool CheckId() {
    const std::string& id = rule_.id;
    bool valid =
        !id.empty() && std::islower(static_cast<unsigned char>(id.front())) && id.back() != '-';
    for (char c : id)
      valid = valid && (std::islower(static_cast<unsigned char>(c)) ||
                        std::isdigit(static_cast<unsigned char>(c)) || c == '-');
    return valid || FailBool(node_["id"], "id '" + id + "' must be kebab-case (a-z, 0-9, '-')");
  }

  const std::string& source_;
  const YAML::Node& node_;
  Rule rule_;
  std::string error_;
};

std::vector<fs::path> RuleFilesUnder(const fs::path& path, std::error_code& ec) {
  std::vector<fs::path> files;
  if (!fs::is_directory(path, ec)) {
    files.push_back(path);
    return files;
  }
  for (auto it = fs::recursive_directory_iterator(path, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    auto ext = it->path().extension();
    if (it->is_regular_file(ec) && (ext == ".yaml" || ext == ".yml")) files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

Result<std::string> ReadText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Error(path.string() + ": cannot read rule file");
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace

Result<std::vector<Rule>> ParseRuleFile(const std::string& yaml_text, const std::string& source) {
  YAML::Node root;
  try {
    root = YAML::Load(yaml_text);
  } catch (const YAML::Exception& e) {
    return Status::Error(source + ":" + std::to_string(e.mark.line + 1) +
                         ": invalid YAML: " + e.msg);
  }
  if (root.IsNull()) return std::vector<Rule>{};
  if (!root.IsMap() || !root["rules"] || !root["rules"].IsSequence()) {
    return Status::Error(source + ":" + std::to_string(root.Mark().line + 1) +
                         ": a signature file is a mapping with a 'rules:' list");
  }
  for (const auto& entry : root) {
    // A key need not be a scalar (`? [a, b]: x`): as<std::string>() would throw, and nothing
    // catches it out here, so the program ended (found by tests/fuzz/fuzz_rules_loader.cc).
    if (!entry.first.IsScalar()) {
      return Status::Error(Where(source, entry.first) + ": unknown top-level field (not a name)");
    }
    if (entry.first.as<std::string>() != "rules") {
      return Status::Error(Where(source, entry.first) + ": unknown top-level field '" +
                           entry.first.as<std::string>() + "'");
    }
  }
  std::vector<Rule> rules;
  try {
    for (const auto& node : root["rules"]) {
      Result<Rule> rule = RuleParser(source, node).Parse();
      if (!rule.ok()) return rule.status();
      rules.push_back(std::move(rule).value());
    }
  } catch (const YAML::Exception& e) {
    return Status::Error(source + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
  return rules;
}

Result<RuleSet> LoadRules(const std::vector<fs::path>& paths) {
  std::vector<Rule> rules;
  std::map<std::string, size_t> index_by_id;
  for (const fs::path& path : paths) {
    std::error_code ec;
    if (!fs::exists(path, ec))
      return Status::Error(path.string() + ": no such rule file or directory");
    std::vector<fs::path> files = RuleFilesUnder(path, ec);
    if (ec) return Status::Error(path.string() + ": " + ec.message());
    std::map<std::string, std::string> defined_here;  // id -> "file:line"
    for (const fs::path& file : files) {
      Result<std::string> text = ReadText(file);
      if (!text.ok()) return text.status();
      Result<std::vector<Rule>> parsed = ParseRuleFile(text.value(), file.string());
      if (!parsed.ok()) return parsed.status();
      for (Rule& rule : parsed.value()) {
        std::string here = rule.source_file + ":" + std::to_string(rule.source_line);
        if (auto seen = defined_here.find(rule.id); seen != defined_here.end()) {
          return Status::Error(here + ": rule '" + rule.id + "': duplicate id (first defined at " +
                               seen->second + ")");
        }
        defined_here[rule.id] = here;
        if (auto it = index_by_id.find(rule.id); it != index_by_id.end()) {
          rules[it->second] = std::move(rule);  // a later path overrides by id
        } else {
          index_by_id[rule.id] = rules.size();
          rules.push_back(std::move(rule));
        }
      }
    }
  }
  return RuleSet(std::move(rules));
}

fs::path DefaultSignaturesDir() {
  if (const char* env = std::getenv("LEAKSWEEP_SIGNATURES_DIR"); env && *env) return env;
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    fs::path installed =
        exe.parent_path().parent_path() / LEAKSWEEP_INSTALL_DATADIR / "leaksweep" / "signatures";
    if (fs::is_directory(installed, ec)) return installed;
  }
  return LEAKSWEEP_SOURCE_SIGNATURES;
}

}  // namespace leaksweep
