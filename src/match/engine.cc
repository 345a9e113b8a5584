#include "leaksweep/match/engine.h"

#include <cstdlib>

#include "cache.h"
#include "compiled.h"

namespace leaksweep {
namespace fs = std::filesystem;
namespace {

std::string RuleLocation(const Rule& rule) {
  return rule.source_file + ":" + std::to_string(rule.source_line) + ": rule '" + rule.id + "': ";
}

Status CompileConfirmers(const RuleSet& rules, Engine::Compiled* compiled) {
  for (const Rule& rule : rules.rules()) {
    Result<Pcre2Code> program = CompilePcre2(rule.pattern, kPcre2Flags);
    if (!program.ok()) {
      return Status::Error(RuleLocation(rule) + "pattern does not compile in PCRE2 " +
                           program.status().message());
    }
    // JIT is an optimisation: the interpreter gives the same results where JIT is unavailable.
    pcre2_jit_compile(program->get(), PCRE2_JIT_COMPLETE);
    uint32_t captures = 0;
    pcre2_pattern_info(program->get(), PCRE2_INFO_CAPTURECOUNT, &captures);
    compiled->max_capture_count = std::max(compiled->max_capture_count, captures);
    compiled->programs.push_back(std::move(program).value());
  }
  return Status::Ok();
}

Result<hs_database_t*> CompileDatabase(const RuleSet& rules) {
  std::vector<const char*> expressions;
  std::vector<unsigned> flags, ids;
  for (size_t i = 0; i < rules.size(); ++i) {
    expressions.push_back(rules.at(i).StageOnePattern().c_str());
    flags.push_back(kHyperscanFlags);
    ids.push_back(static_cast<unsigned>(i));
  }
  hs_database_t* database = nullptr;
  hs_compile_error_t* error = nullptr;
  hs_error_t status = hs_compile_multi(expressions.data(), flags.data(), ids.data(),
                                       static_cast<unsigned>(expressions.size()), HS_MODE_BLOCK,
                                       nullptr, &database, &error);
  if (status == HS_SUCCESS) return database;
  std::string message = error != nullptr ? error->message : "unknown error";
  int expression = error != nullptr ? error->expression : -1;
  hs_free_compile_error(error);
  if (expression >= 0 && static_cast<size_t>(expression) < rules.size()) {
    return Status::Error(RuleLocation(rules.at(expression)) +
                         "pattern does not compile in Hyperscan: " + message);
  }
  return Status::Error("cannot compile the rule database: " + message);
}

}  // namespace

Engine::Engine(RuleSet rules, std::unique_ptr<Compiled> compiled, bool from_cache)
    : rules_(std::move(rules)), compiled_(std::move(compiled)), loaded_from_cache_(from_cache) {}

Engine::~Engine() = default;

Result<std::shared_ptr<const Engine>> Engine::Build(RuleSet rules, const EngineOptions& options) {
  if (rules.size() == 0) return Status::Error("no rules to scan with");
  auto compiled = std::make_unique<Compiled>();
  if (Status s = CompileConfirmers(rules, compiled.get()); !s.ok()) return s;

  std::string key = DatabaseCacheKey(rules);
  compiled->database = LoadCachedDatabase(options.cache_dir, key);
  bool from_cache = compiled->database != nullptr;
  if (!from_cache) {
    Result<hs_database_t*> database = CompileDatabase(rules);
    if (!database.ok()) return database.status();
    compiled->database = database.value();
    StoreCachedDatabase(options.cache_dir, key, compiled->database);
  }
  return std::shared_ptr<const Engine>(
      new Engine(std::move(rules), std::move(compiled), from_cache));
}

fs::path DefaultCacheDir() {
  if (const char* dir = std::getenv("LEAKSWEEP_CACHE_DIR"); dir && *dir) return dir;
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg)
    return fs::path(xdg) / "leaksweep";
  if (const char* home = std::getenv("HOME"); home && *home) {
    return fs::path(home) / ".cache" / "leaksweep";
  }
  return {};
}

}  // namespace leaksweep
