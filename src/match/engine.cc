#include "leaksweep/match/engine.h"

#include <climits>
#include <cstdint>
#include <cstdlib>
#include <optional>

#include "bounded_prefix.h"
#include "cache.h"
#include "compiled.h"
#include "line_feeds.h"

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
    // PCRE2 counts characters (bytes here: no UTF mode); two more cover a multiline ^ or $ at
    // a line break, which PCRE2 checks without counting it as a lookbehind.
    uint32_t lookbehind = 0;
    pcre2_pattern_info(program->get(), PCRE2_INFO_MAXLOOKBEHIND, &lookbehind);
    compiled->lookbehind.push_back(size_t{lookbehind} + 2);
    compiled->programs.push_back(std::move(program).value());
  }
  return Status::Ok();
}

// Hyperscan's widths of the patterns an Engine is built from. Measuring them is most of a
// start-up whose databases come from the cache (the shipped rules: about 500 patterns, 0.09 s
// of 0.22 s), so what was measured is kept in the cache too.
class WidthGauge {
 public:
  explicit WidthGauge(fs::path cache_dir)
      : cache_dir_(std::move(cache_dir)), cached_(LoadCachedWidths(cache_dir_)) {}

  // The shortest and longest match `pattern` can make; nullopt when Hyperscan cannot analyse
  // it (PCRE2-only syntax such as lookarounds).
  std::optional<MatchWidths> Measure(const std::string& pattern) {
    if (auto it = used_.find(pattern); it != used_.end()) return it->second;
    auto cached = cached_.find(pattern);
    std::optional<MatchWidths> widths =
        cached != cached_.end() ? cached->second : MeasureWithHyperscan(pattern);
    if (cached == cached_.end()) ++measured_;
    used_.emplace(pattern, widths);
    return widths;
  }

  // Stores the widths this build used, unless the cache held exactly those: the file then
  // describes the last rule set, and never grows with every rule set ever built. Returns
  // whether every width came from the cache.
  bool Save() const {
    if (measured_ > 0 || used_.size() != cached_.size()) StoreCachedWidths(cache_dir_, used_);
    return measured_ == 0;
  }

 private:
  static std::optional<MatchWidths> MeasureWithHyperscan(const std::string& pattern) {
    hs_expr_info_t* info = nullptr;
    hs_compile_error_t* error = nullptr;
    if (hs_expression_info(pattern.c_str(), kHyperscanFlags, &info, &error) != HS_SUCCESS) {
      hs_free_compile_error(error);
      return std::nullopt;
    }
    MatchWidths widths{info->min_width, info->max_width};
    std::free(info);  // allocated with Hyperscan's default allocator (malloc)
    return widths;
  }

  fs::path cache_dir_;
  WidthsByPattern cached_;
  WidthsByPattern used_;
  size_t measured_ = 0;  // patterns not found in the cache
};

bool IsNarrow(const std::optional<MatchWidths>& widths) {
  return widths && widths->max <= Engine::Compiled::kNarrowWidth;
}

// A bounded prefix shorter than this is too common a string to be worth a PCRE2 search at
// each of its matches: the rule keeps its unbounded stage-one pattern.
constexpr unsigned kMinPrefixWidth = 4;

// A stage-one pattern and its widths per Hyperscan (nullopt: it cannot tell).
struct StageOne {
  std::string pattern;
  std::optional<MatchWidths> widths;
};

// What stage one runs for `rule`: its own stage-one pattern, or, when that is wide, a narrow
// prefix of it that stage two's window still covers (see bounded_prefix.h). `pattern_widths`:
// those of rule.pattern, which the caller measured already.
StageOne ChooseStageOne(const Rule& rule, const std::optional<MatchWidths>& pattern_widths,
                        size_t window, WidthGauge& gauge) {
  StageOne own{rule.StageOnePattern(),
               rule.prefilter.empty() ? pattern_widths : gauge.Measure(rule.prefilter)};
  if (IsNarrow(own.widths)) return own;
  std::optional<std::string> prefix = BoundedPrefix(own.pattern);
  if (!prefix) return own;
  std::optional<MatchWidths> widths = gauge.Measure(*prefix);
  if (!IsNarrow(widths) || widths->min < kMinPrefixWidth || widths->max > window) return own;
  return {std::move(*prefix), widths};
}

// Each rule's stage-two window and stage-one pattern, how far its stage-one matches reach
// (see Compiled), the longest narrow stage-one match and the most line feeds in a line-bounded
// one. A stage-one pattern Hyperscan cannot analyse counts as wide; compiling it reports the
// error.
void ClassifyStageOne(const RuleSet& rules, WidthGauge& gauge, Engine::Compiled* compiled) {
  using Reach = Engine::Compiled::Reach;
  for (size_t i = 0; i < rules.size(); ++i) {
    const Rule& rule = rules.at(i);
    std::optional<MatchWidths> widths = gauge.Measure(rule.pattern);
    bool bounded = widths && widths->max != UINT_MAX;
    size_t window =
        std::min<size_t>(rule.max_match_length, bounded ? std::max(widths->max, 1u) : SIZE_MAX);
    compiled->window.push_back(window);
    StageOne stage_one = ChooseStageOne(rule, widths, window, gauge);
    Reach reach = Reach::kWide;
    if (IsNarrow(stage_one.widths)) {
      reach = Reach::kNarrow;
      compiled->narrow_width = std::max<size_t>(compiled->narrow_width, stage_one.widths->max);
    } else if (std::optional<size_t> line_feeds = MaxLineFeeds(stage_one.pattern);
               stage_one.widths && line_feeds && *line_feeds <= Engine::Compiled::kMaxLineFeeds) {
      reach = Reach::kLines;
      compiled->line_feeds = std::max(compiled->line_feeds, *line_feeds);
    }
    compiled->reach.push_back(reach);
    compiled->stage_one.push_back(std::move(stage_one.pattern));
  }
}

// Rules that declare prefilter_in_match: their pattern must match within one line, with no
// assertion that a shortened subject would change (\z, \Z, \G).
Status CheckLinesOnly(const RuleSet& rules, Engine::Compiled* compiled) {
  for (const Rule& rule : rules.rules()) {
    compiled->lines_only.push_back(rule.prefilter_in_match);
    if (!rule.prefilter_in_match) continue;
    bool one_line = MaxLineFeeds(rule.pattern) == 0u;
    for (std::string_view escape : {"\\z", "\\Z", "\\G"}) {
      if (rule.pattern.find(escape) != std::string::npos) one_line = false;
    }
    if (!one_line) {
      return Status::Error(RuleLocation(rule) +
                           "prefilter_in_match needs a pattern that matches within one line "
                           "(no line feed in any match, no \\z, \\Z or \\G)");
    }
  }
  return Status::Ok();
}

Result<hs_database_t*> CompileDatabase(const RuleSet& rules, const Engine::Compiled& compiled,
                                       const std::vector<unsigned>& ids) {
  std::vector<const char*> expressions;
  std::vector<unsigned> flags;
  for (unsigned id : ids) {
    expressions.push_back(compiled.stage_one[id].c_str());
    flags.push_back(kHyperscanFlags);
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
  if (expression >= 0 && static_cast<size_t>(expression) < ids.size()) {
    return Status::Error(RuleLocation(rules.at(ids[expression])) +
                         "pattern does not compile in Hyperscan: " + message);
  }
  return Status::Error("cannot compile the rule database: " + message);
}

// The database of the rules `ids`, from the cache or compiled (and then cached).
Result<hs_database_t*> LoadOrCompile(const RuleSet& rules, const Engine::Compiled& compiled,
                                     const std::vector<unsigned>& ids, const fs::path& cache_dir,
                                     bool* from_cache) {
  if (ids.empty()) return static_cast<hs_database_t*>(nullptr);
  std::string key = DatabaseCacheKey(compiled.stage_one, ids);
  if (hs_database_t* cached = LoadCachedDatabase(cache_dir, key)) return cached;
  *from_cache = false;
  Result<hs_database_t*> database = CompileDatabase(rules, compiled, ids);
  if (database.ok()) StoreCachedDatabase(cache_dir, key, database.value());
  return database;
}

}  // namespace

Engine::Engine(RuleSet rules, std::unique_ptr<Compiled> compiled, bool from_cache)
    : rules_(std::move(rules)), compiled_(std::move(compiled)), loaded_from_cache_(from_cache) {}

Engine::~Engine() = default;

Result<std::shared_ptr<const Engine>> Engine::Build(RuleSet rules, const EngineOptions& options) {
  if (rules.size() == 0) return Status::Error("no rules to scan with");
  auto compiled = std::make_unique<Compiled>();
  if (Status s = CompileConfirmers(rules, compiled.get()); !s.ok()) return s;

  WidthGauge gauge(options.cache_dir);
  ClassifyStageOne(rules, gauge, compiled.get());
  bool from_cache = gauge.Save();
  if (Status s = CheckLinesOnly(rules, compiled.get()); !s.ok()) return s;
  using Reach = Compiled::Reach;
  struct Part {
    hs_database_t** database;
    bool lines, wide;  // whether it holds those rules (neither: the narrow ones)
  };
  for (Part part :
       {Part{&compiled->narrow, false, false}, Part{&compiled->lines, true, false},
        Part{&compiled->wide, false, true}, Part{&compiled->lines_and_wide, true, true}}) {
    std::vector<unsigned> ids;
    size_t line_rules = 0;
    for (unsigned i = 0; i < rules.size(); ++i) {
      Reach reach = compiled->reach[i];
      bool holds = reach == Reach::kLines  ? part.lines
                   : reach == Reach::kWide ? part.wide
                                           : !part.lines && !part.wide;
      if (holds) ids.push_back(i);
      if (holds && reach == Reach::kLines) ++line_rules;
    }
    // Both kinds or none: one kind alone is already a database of its own (not_narrow()).
    bool mixed = line_rules > 0 && line_rules < ids.size();
    if (part.lines && part.wide && !mixed) continue;
    Result<hs_database_t*> database =
        LoadOrCompile(rules, *compiled, ids, options.cache_dir, &from_cache);
    if (!database.ok()) return database.status();
    *part.database = database.value();
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
