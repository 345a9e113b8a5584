// The engine of every shipped rule (signatures/), for the match tests; built once per test
// program, uncached.
#ifndef LEAKSWEEP_TESTS_MATCH_SHIPPED_ENGINE_H_
#define LEAKSWEEP_TESTS_MATCH_SHIPPED_ENGINE_H_

#include <doctest/doctest.h>

#include <memory>

#include "leaksweep/match/engine.h"
#include "leaksweep/rules/loader.h"
#include "test_util.h"

namespace leaksweep::testing {

inline std::shared_ptr<const Engine> ShippedEngine() {
  static std::shared_ptr<const Engine> engine = [] {
    auto rules = LoadRules({SignaturesDir()});
    REQUIRE_MESSAGE(rules.ok(), rules.status().message());
    auto built = Engine::Build(std::move(rules).value(), {});
    REQUIRE_MESSAGE(built.ok(), built.status().message());
    return built.value();
  }();
  return engine;
}

}  // namespace leaksweep::testing

#endif  // LEAKSWEEP_TESTS_MATCH_SHIPPED_ENGINE_H_
