// Loading signature files: YAML -> validated Rules. yaml-cpp stays inside this module.
//
// File format (one file per provider or PII family; a file holds a `rules:` list):
//     rules:
//       - id: github-classic-pat
//         name: GitHub personal access token (classic)
//         category: secret            # secret | pii
//         severity: high              # critical | high | medium | low | info
//         confidence: high            # optional: high | medium | low (default medium)
//         pattern: '\b(ghp_[A-Za-z0-9]{36})\b'
//         prefilter: 'ghp_'           # optional: simpler stage-one pattern (see rule.h)
//         keywords: [ghp_]            # optional
//         validators: [{name: entropy, min: 3.0}]   # optional
//         max_match_length: 1024      # optional
//         description: ...
//         references: [https://...]
//         examples: ['token = ghp_...']
//         negative_examples: ['ghp_EXAMPLE...']
// Every error names the file, the line and, when known, the rule id.
#ifndef LEAKSWEEP_RULES_LOADER_H_
#define LEAKSWEEP_RULES_LOADER_H_

#include <filesystem>
#include <string>
#include <vector>

#include "leaksweep/core/status.h"
#include "leaksweep/rules/rule.h"

namespace leaksweep {

// Parses one YAML document. `source_name` is used in error messages.
Result<std::vector<Rule>> ParseRuleFile(const std::string& yaml_text,
                                        const std::string& source_name);

// Loads every *.yaml / *.yml file below each path (a directory, searched recursively in sorted
// order, or a single file). A rule whose id was already loaded from an earlier path replaces
// it (so --rules DIR overrides shipped rules by id); a duplicate id within one path is an error.
// Patterns are compiled (and their errors reported with file, line and rule id) by the engine.
Result<RuleSet> LoadRules(const std::vector<std::filesystem::path>& paths);

// The directory of shipped signatures: $LEAKSWEEP_SIGNATURES_DIR, else
// <executable>/../share/leaksweep/signatures when it exists, else the source tree's copy.
std::filesystem::path DefaultSignaturesDir();

}  // namespace leaksweep

#endif  // LEAKSWEEP_RULES_LOADER_H_
