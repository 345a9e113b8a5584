// Fuzz target: the project config (.leaksweep.yaml) and baseline loaders, and what consumes
// their output. The whole input is one text, read both ways:
//   - as a config: ParseProjectConfig, then Policy::Make (allow_values compiled with PCRE2 and
//     run on a few values) and every skip_paths glob matched against a few paths and against
//     the config's own strings (so paths come from the input too);
//   - as a baseline: LoadBaseline (a JSON report, or JSONL) from a file, then Policy::Make.
// Errors are fine; crashes, sanitizer reports and hangs (scripts/fuzz passes -timeout) are not.
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "fuzz_util.h"
#include "leaksweep/core/finding.h"
#include "leaksweep/input/glob.h"
#include "leaksweep/policy/policy.h"

namespace leaksweep::fuzz {
namespace {

void CheckPolicy(const Policy& policy, const std::vector<std::string>& values) {
  for (const std::string& value : values) {
    Finding finding;
    finding.value = value;
    finding.fingerprint = value;
    policy.Check(finding, /*line_allows=*/false);
  }
}

void FuzzConfig(const std::string& text) {
  Result<ProjectConfig> config = ParseProjectConfig(text, "fuzz.yaml");
  if (!config.ok()) {
    FUZZ_CHECK(!config.status().message().empty(), "an error without a message");
    return;
  }
  // Values and paths to try: fixed ones, plus every string the config holds.
  std::vector<std::string> samples = {"AKIAIOSFODNN7EXAMPLE", "src/app.py",
                                      "vendor/lib/jquery.min.js", "a/b/c/d/e/f/g/h/i/j/k/l/m.txt",
                                      ""};
  for (const auto* list : {&config->disable_rules, &config->skip_paths, &config->allow_values}) {
    for (const std::string& item : *list) {
      if (samples.size() < 16) samples.push_back(item);
    }
  }
  Result<Policy> policy = Policy::Make(config.value(), {});
  if (policy.ok()) CheckPolicy(policy.value(), samples);
  std::vector<Glob> globs;
  for (const std::string& pattern : config->skip_paths) globs.emplace_back(pattern);
  for (const std::string& path : samples) MatchesAny(globs, path);
}

void FuzzBaseline(const std::string& text) {
  // LoadBaseline reads a file; one scratch file per process, rewritten for each input.
  static const ScratchDir dir("leaksweep-fuzz-config");
  const std::filesystem::path file = dir.path() / "baseline.json";
  WriteFile(file, text);
  Result<std::unordered_set<std::string>> fingerprints = LoadBaseline(file);
  if (!fingerprints.ok()) {
    FUZZ_CHECK(!fingerprints.status().message().empty(), "an error without a message");
    return;
  }
  std::vector<std::string> samples(fingerprints->begin(), fingerprints->end());
  if (samples.size() > 8) samples.resize(8);
  Result<Policy> policy = Policy::Make(ProjectConfig{}, std::move(fingerprints).value());
  FUZZ_CHECK(policy.ok(), "a policy without allow_values must build");
  CheckPolicy(policy.value(), samples);
}

}  // namespace
}  // namespace leaksweep::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  leaksweep::fuzz::FuzzConfig(text);
  leaksweep::fuzz::FuzzBaseline(text);
  return 0;
}
