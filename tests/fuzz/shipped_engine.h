// The engine of every shipped rule (signatures/, or $LEAKSWEEP_SIGNATURES_DIR), for the fuzz
// targets that scan. Not cached: a cache hit would skip the code that builds it.
#ifndef LEAKSWEEP_TESTS_FUZZ_SHIPPED_ENGINE_H_
#define LEAKSWEEP_TESTS_FUZZ_SHIPPED_ENGINE_H_

#include <memory>

#include "fuzz_util.h"
#include "leaksweep/match/engine.h"
#include "leaksweep/rules/loader.h"

namespace leaksweep::fuzz {

inline std::shared_ptr<const Engine> BuildShippedEngine() {
  Result<RuleSet> rules = LoadRules({DefaultSignaturesDir()});
  if (!rules.ok()) Fail("cannot load the shipped rules: " + rules.status().message());
  Result<std::shared_ptr<const Engine>> engine =
      Engine::Build(std::move(rules).value(), EngineOptions{});
  if (!engine.ok()) Fail("cannot build the engine: " + engine.status().message());
  return engine.value();
}

}  // namespace leaksweep::fuzz

#endif  // LEAKSWEEP_TESTS_FUZZ_SHIPPED_ENGINE_H_
