#include "leaksweep/match/scanner.h"

#include <algorithm>
#include <cstring>

#include "compiled.h"
#include "keyword_context.h"

namespace leaksweep {
namespace {

// Bounds on PCRE2's backtracking, so a pathological user pattern is reported, not a hang.
constexpr uint32_t kPcre2MatchLimit = 1'000'000;
constexpr uint32_t kPcre2DepthLimit = 10'000;

struct Candidate {
  uint32_t rule_index;
  size_t end;
  auto operator<=>(const Candidate&) const = default;
};

// What stage one keeps per rule while Hyperscan runs.
struct RuleCandidates {
  size_t last_kept = 0;  // the latest end kept
  size_t pending = 0;    // the latest end dropped since then (0: none)
  size_t kept = 0;
};

struct HyperscanContext {
  std::vector<Candidate>* candidates;
  std::vector<RuleCandidates>* per_rule;
  const RuleSet* rules;
  size_t limit;
  size_t per_rule_limit;
  bool truncated = false;
};

// Adds candidate `end` of `rule`; false when the candidate cap is reached.
bool Keep(HyperscanContext* ctx, RuleCandidates& rule, unsigned int id, size_t end) {
  if (rule.kept >= ctx->per_rule_limit) {
    ctx->truncated = true;
    return true;  // this rule is past its own cap; the others go on
  }
  if (ctx->candidates->size() >= ctx->limit) {
    ctx->truncated = true;
    return false;
  }
  rule.last_kept = end;
  ++rule.kept;
  ctx->candidates->push_back({id, end});
  return true;
}

// Candidates are thinned per rule: of the ends within a quarter window after a kept end, only
// the last is kept. Stage two searches max_match_length either side of each kept end, so the
// kept ends still cover every dropped one ([first - window, last + window]), while a dense
// stretch costs two searches per quarter window instead of one per end. (A pattern ending in a
// repeated class reports an end at every byte of a long run of it; a prefilter ending in a class
// of common characters, at most bytes of a line.) Without thinning, each of hundreds of
// ends re-searched the same text ahead, and one expensive start position there was paid for
// hundreds of times.
int OnHyperscanMatch(unsigned int id, unsigned long long /*from*/, unsigned long long to,
                     unsigned int /*flags*/, void* context) {
  auto* ctx = static_cast<HyperscanContext*>(context);
  RuleCandidates& rule = (*ctx->per_rule)[id];
  size_t end = static_cast<size_t>(to);
  size_t stride = std::max<size_t>(1, ctx->rules->at(id).max_match_length / 4);
  if (rule.kept > 0 && end - rule.last_kept < stride) {
    rule.pending = end;
    return 0;
  }
  if (rule.pending > rule.last_kept && !Keep(ctx, rule, id, rule.pending)) return 1;
  rule.pending = 0;
  return Keep(ctx, rule, id, end) ? 0 : 1;  // 1 stops the scan: the candidate cap is reached
}

// The last dropped end of each rule, once the scan is over (see OnHyperscanMatch).
void KeepPendingEnds(HyperscanContext* ctx) {
  for (unsigned int id = 0; id < ctx->per_rule->size(); ++id) {
    RuleCandidates& rule = (*ctx->per_rule)[id];
    if (rule.pending > rule.last_kept && !Keep(ctx, rule, id, rule.pending)) return;
  }
}

// Applies keywords and validators; marks the match when a validator sees a test value.
bool Accepts(const Rule& rule, std::string_view data, Match* match) {
  std::string_view value = data.substr(match->value_start, match->value_end - match->value_start);
  if (!rule.keywords.empty() &&
      !KeywordNear(data, match->start, match->end, match->value_start, rule.keywords)) {
    return false;
  }
  if (!rule.exclude_keywords.empty() &&
      (KeywordOnLine(data, match->start, match->end, rule.exclude_keywords) ||
       ColumnNameHasKeyword(data, match->value_start, rule.exclude_keywords))) {
    return false;
  }
  for (const auto& validator : rule.validators) {
    Verdict verdict = validator.accept(value);
    if (verdict == Verdict::kReject) return false;
    if (verdict == Verdict::kTestValue) match->test_value = true;
  }
  return true;
}

}  // namespace

struct Scanner::State {
  hs_scratch_t* scratch = nullptr;
  pcre2_match_data* match_data = nullptr;
  pcre2_match_context* match_context = nullptr;
  pcre2_jit_stack* jit_stack = nullptr;
  std::vector<Candidate> candidates;     // reused between buffers
  std::vector<RuleCandidates> per_rule;  // one per rule, reset for each buffer

  ~State() {
    if (scratch != nullptr) hs_free_scratch(scratch);
    if (match_data != nullptr) pcre2_match_data_free(match_data);
    if (match_context != nullptr) pcre2_match_context_free(match_context);
    if (jit_stack != nullptr) pcre2_jit_stack_free(jit_stack);
  }
};

Scanner::Scanner(std::shared_ptr<const Engine> engine, ScanLimits limits)
    : engine_(std::move(engine)), limits_(limits), state_(std::make_unique<State>()) {
  const Engine::Compiled& compiled = engine_->compiled();
  hs_alloc_scratch(compiled.database, &state_->scratch);
  state_->match_data = pcre2_match_data_create(compiled.max_capture_count + 1, nullptr);
  state_->match_context = pcre2_match_context_create(nullptr);
  pcre2_set_match_limit(state_->match_context, kPcre2MatchLimit);
  pcre2_set_depth_limit(state_->match_context, kPcre2DepthLimit);
  state_->jit_stack = pcre2_jit_stack_create(32 * 1024, 1024 * 1024, nullptr);
  if (state_->jit_stack != nullptr) {
    pcre2_jit_stack_assign(state_->match_context, nullptr, state_->jit_stack);
  }
}

Scanner::~Scanner() = default;

namespace {

// Stage two for one rule: confirms its candidate ends (ascending) with PCRE2.
//
// Each search starts no earlier than where the previous one stopped and at most the rule's
// max_match_length before the candidate, and the subject ends at most max_match_length after
// it, so the work per candidate is bounded and a buffer dense with candidates stays linear.
class Confirmer {
 public:
  Confirmer(std::string_view data, const Rule& rule, uint32_t rule_index, pcre2_code* program,
            pcre2_match_data* match_data, pcre2_match_context* context)
      : data_(data),
        rule_(rule),
        rule_index_(rule_index),
        program_(program),
        match_data_(match_data),
        context_(context) {}

  // Returns false when PCRE2 hit its match or depth limit on this rule.
  bool Confirm(size_t candidate_end, std::vector<Match>* out) {
    const size_t window = rule_.max_match_length;
    while (candidate_end > scan_pos_) {
      size_t from = std::max(scan_pos_, candidate_end > window ? candidate_end - window : 0);
      size_t subject_end = std::min(data_.size(), candidate_end + window);
      int rc = pcre2_match(program_, reinterpret_cast<PCRE2_SPTR>(data_.data()), subject_end, from,
                           0, match_data_, context_);
      if (rc < 0) {
        scan_pos_ = candidate_end;
        return rc == PCRE2_ERROR_NOMATCH || rc == PCRE2_ERROR_PARTIAL;
      }
      PCRE2_SIZE* ovector = pcre2_get_ovector_pointer(match_data_);
      Match match;
      match.rule_index = rule_index_;
      match.start = ovector[0];
      match.end = ovector[1];
      bool has_group = rc >= 2 && ovector[2] != PCRE2_UNSET && ovector[3] > ovector[2];
      match.value_start = has_group ? ovector[2] : match.start;
      match.value_end = has_group ? ovector[3] : match.end;
      scan_pos_ = std::max(match.end, match.start + 1);
      if (match.value_end > match.value_start && Accepts(rule_, data_, &match))
        out->push_back(match);
    }
    return true;
  }

 private:
  std::string_view data_;
  const Rule& rule_;
  uint32_t rule_index_;
  pcre2_code* program_;
  pcre2_match_data* match_data_;
  pcre2_match_context* context_;
  size_t scan_pos_ = 0;
};

// Where several rules found the very same value, keep one: the rule of highest confidence (a
// provider's token rule beats a generic `password = "…"` rule), then the rule whose match is
// closest to the value itself, then the most severe, then the rule listed first. Decoder rules
// report nothing themselves, so they never compete with the others.
void DeduplicateSameValue(const RuleSet& rules, std::vector<Match>* matches) {
  auto context_length = [](const Match& m) {
    return (m.end - m.start) - (m.value_end - m.value_start);
  };
  auto is_decoder = [&](const Match& m) { return rules.at(m.rule_index).decode != Decoder::kNone; };
  std::sort(matches->begin(), matches->end(), [&](const Match& a, const Match& b) {
    if (a.value_start != b.value_start) return a.value_start < b.value_start;
    if (a.value_end != b.value_end) return a.value_end < b.value_end;
    if (is_decoder(a) != is_decoder(b)) return is_decoder(b);
    const Rule& ra = rules.at(a.rule_index);
    const Rule& rb = rules.at(b.rule_index);
    if (ra.confidence != rb.confidence) return ra.confidence > rb.confidence;
    if (context_length(a) != context_length(b)) return context_length(a) < context_length(b);
    if (ra.severity != rb.severity) return ra.severity > rb.severity;
    return a.rule_index < b.rule_index;
  });
  auto same_value = [&](const Match& a, const Match& b) {
    return a.value_start == b.value_start && a.value_end == b.value_end &&
           is_decoder(a) == is_decoder(b);
  };
  matches->erase(std::unique(matches->begin(), matches->end(), same_value), matches->end());
}

}  // namespace

Result<BufferMatches> Scanner::Scan(std::string_view data) {
  BufferMatches result;
  const Engine::Compiled& compiled = engine_->compiled();
  if (state_->scratch == nullptr || state_->match_data == nullptr) {
    return Status::Error("cannot allocate scanner memory");
  }
  std::vector<Candidate>& candidates = state_->candidates;
  candidates.clear();
  state_->per_rule.assign(engine_->rules().size(), RuleCandidates{});
  HyperscanContext context{&candidates, &state_->per_rule, &engine_->rules(),
                           limits_.max_candidates, limits_.max_candidates_per_rule};
  // Hyperscan takes 32-bit lengths; callers cap buffers well below that (--max-file-size).
  hs_error_t status = hs_scan(compiled.database, data.data(), static_cast<unsigned>(data.size()), 0,
                              state_->scratch, OnHyperscanMatch, &context);
  if (status != HS_SUCCESS && status != HS_SCAN_TERMINATED) {
    return Status::Error("Hyperscan scan failed (error " + std::to_string(status) + ")");
  }
  if (status == HS_SUCCESS) KeepPendingEnds(&context);
  result.truncated = context.truncated;

  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
  const RuleSet& rules = engine_->rules();
  for (size_t i = 0; i < candidates.size();) {
    uint32_t rule_index = candidates[i].rule_index;
    Confirmer confirmer(data, rules.at(rule_index), rule_index, compiled.programs[rule_index].get(),
                        state_->match_data, state_->match_context);
    bool within_limits = true;
    for (; i < candidates.size() && candidates[i].rule_index == rule_index; ++i) {
      within_limits = confirmer.Confirm(candidates[i].end, &result.matches) && within_limits;
    }
    if (!within_limits) result.rules_over_limit.push_back(rule_index);
    if (result.matches.size() > limits_.max_matches) {
      result.truncated = true;
      break;
    }
  }
  DeduplicateSameValue(rules, &result.matches);
  if (result.matches.size() > limits_.max_matches) {
    result.matches.resize(limits_.max_matches);
    result.truncated = true;
  }
  return result;
}

}  // namespace leaksweep
