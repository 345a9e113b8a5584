#include <iomanip>
#include <iostream>

#include "leaksweep/cli/commands.h"
#include "leaksweep/cli/common.h"
#include "leaksweep/match/scanner.h"
#include "leaksweep/pipeline/findings.h"
#include "leaksweep/rules/loader.h"

namespace leaksweep {
namespace {

// True when scanning `text` yields a finding of `rule`: for a decoder rule, any finding of a
// value it decoded.
bool FindsRule(Scanner& scanner, const std::string& text, const Rule& rule, const Policy& policy,
               const FingerprintKey& key, std::string* problem) {
  std::string_view view = text;
  std::string storage;
  Result<TextScan> scan = ScanText(scanner, &view, &storage);
  if (!scan.ok()) {
    *problem = scan.status().message();
    return false;
  }
  FileFindings findings =
      MakeFindings(scanner.engine().rules(), view, scan.value(), "example", policy, key);
  for (const Finding& finding : findings.findings) {
    bool decoded_by_rule = rule.decode != Decoder::kNone && !finding.encoding.empty();
    if (finding.rule_id == rule.id || decoded_by_rule) return true;
  }
  return false;
}

}  // namespace

RulesCommand::RulesCommand(CLI::App& parent) {
  command_ = parent.add_subcommand("rules", "List or check signature rules");
  command_->require_subcommand(1);
  list_ = command_->add_subcommand("list", "List the loaded rules");
  list_->add_option("--rules", rule_paths_, "Extra rule file or directory (repeatable)");
  check_ = command_->add_subcommand(
      "check", "Load, compile and run every example and negative example through the engine");
  check_->add_option("dir", check_dir_, "Rule directory to check (default: the shipped rules)");
  check_->add_flag("--no-cache", no_cache_, "Do not read or write the compiled-rules cache");
}

int RulesCommand::Run() { return list_->parsed() ? List() : Check(); }

int RulesCommand::List() {
  Result<RuleSet> rules = LoadRuleSet(rule_paths_, {});
  if (!rules.ok()) {
    std::cerr << "leaksweep: " << rules.status().message() << "\n";
    return kExitUsage;
  }
  for (const Rule& rule : rules->rules()) {
    std::cout << std::left << std::setw(36) << rule.id << std::setw(8) << ToString(rule.category)
              << std::setw(10) << ToString(rule.severity) << rule.name << "\n";
  }
  std::cout << rules->size() << " rules\n";
  return kExitClean;
}

int RulesCommand::Check() {
  std::filesystem::path dir =
      check_dir_.empty() ? DefaultSignaturesDir() : std::filesystem::path(check_dir_);
  Result<RuleSet> rules = LoadRules({dir});
  if (!rules.ok()) {
    std::cerr << "leaksweep: " << rules.status().message() << "\n";
    return kExitUsage;
  }
  Result<std::shared_ptr<const Engine>> engine = BuildEngine(rules.value(), !no_cache_);
  if (!engine.ok()) {
    std::cerr << "leaksweep: " << engine.status().message() << "\n";
    return kExitUsage;
  }
  std::cout << "checking rules in " << dir.string() << "\n";
  Scanner scanner(engine.value());
  Policy no_suppression;
  FingerprintKey key("rules-check");
  size_t failures = 0, examples = 0, negatives = 0;
  for (const Rule& rule : engine.value()->rules().rules()) {
    std::string where =
        rule.source_file + ":" + std::to_string(rule.source_line) + ": rule '" + rule.id + "': ";
    for (size_t i = 0; i < rule.examples.size(); ++i, ++examples) {
      std::string problem;
      if (!FindsRule(scanner, rule.examples[i], rule, no_suppression, key, &problem)) {
        std::cout << "FAIL " << where << "example " << i + 1 << " is not found"
                  << (problem.empty() ? "" : " (" + problem + ")") << "\n";
        ++failures;
      }
    }
    for (size_t i = 0; i < rule.negative_examples.size(); ++i, ++negatives) {
      std::string problem;
      if (FindsRule(scanner, rule.negative_examples[i], rule, no_suppression, key, &problem)) {
        std::cout << "FAIL " << where << "negative example " << i + 1 << " is found\n";
        ++failures;
      }
    }
  }
  std::cout << rules->size() << " rules, " << examples << " examples, " << negatives
            << " negative examples: "
            << (failures == 0 ? "all passed" : std::to_string(failures) + " failed") << "\n";
  return failures == 0 ? kExitClean : kExitFindings;
}

}  // namespace leaksweep
