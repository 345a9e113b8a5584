#include "leaksweep/rules/rule.h"

#include "leaksweep/core/sha256.h"

namespace leaksweep {
namespace {

// Adds a length-prefixed field so that digests of different field splits never collide.
void AddField(Sha256& hash, std::string_view field) {
  hash.Update(std::to_string(field.size()));
  hash.Update(":");
  hash.Update(field);
}

}  // namespace

RuleInfo Rule::Info() const {
  return RuleInfo{id, name, category, severity, description, references};
}

RuleSet::RuleSet(std::vector<Rule> rules) : rules_(std::move(rules)) {
  Sha256 hash;
  for (const Rule& rule : rules_) {
    AddField(hash, rule.id);
    AddField(hash, rule.pattern);
    AddField(hash, rule.prefilter);
    AddField(hash, ToString(rule.category));
    AddField(hash, ToString(rule.severity));
    AddField(hash, ToString(rule.confidence));
    AddField(hash, std::to_string(rule.max_match_length));
    AddField(hash, rule.decode == Decoder::kBase64 ? "base64" : "");
    for (const auto& keyword : rule.keywords) AddField(hash, keyword);
    hash.Update("!");
    for (const auto& keyword : rule.exclude_keywords) AddField(hash, keyword);
    for (const auto& validator : rule.validators) {
      AddField(hash, validator.name);
      for (const auto& [key, value] : validator.params) {
        AddField(hash, key);
        AddField(hash, value);
      }
    }
    hash.Update(";");
  }
  digest_ = ToHex(hash.Finish());
}

std::vector<RuleInfo> RuleSet::Infos() const {
  std::vector<RuleInfo> infos;
  infos.reserve(rules_.size());
  for (const Rule& rule : rules_) infos.push_back(rule.Info());
  return infos;
}

}  // namespace leaksweep
