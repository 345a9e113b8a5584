#include "leaksweep/match/scanner.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>

#include "compiled.h"
#include "keyword_context.h"

namespace leaksweep {
namespace {

// Bounds on PCRE2's backtracking, so a pathological user pattern is reported, not a hang.
constexpr uint32_t kPcre2MatchLimit = 1'000'000;
constexpr uint32_t kPcre2DepthLimit = 10'000;

// A kept stage-one end, standing also for the ends thinning dropped before it, from `first`.
struct Candidate {
  uint32_t rule_index;
  size_t end;
  size_t first;  // the earliest end it stands for (== end when it stands for itself only)
  auto operator<=>(const Candidate&) const = default;
};

// What stage one keeps per rule while Hyperscan runs.
struct RuleCandidates {
  size_t last_kept = 0;      // the latest end kept
  size_t pending = 0;        // the latest end dropped since then (0: none)
  size_t pending_first = 0;  // the earliest end dropped since then
  size_t kept = 0;
};

// Memo caps: past them a buffer's memo is not kept (its scan is unaffected).
constexpr size_t kMemoMaxEnds = size_t{1} << 16;
constexpr size_t kMemoMaxSearches = size_t{1} << 16;

// Hyperscan's assertions (\b, ^, $) look one byte past a match at either side; one more is
// slack. A narrow rule's end at `e` therefore depends only on the bytes
// [e - narrow_width - kAssertionContext, e + kAssertionContext).
constexpr size_t kAssertionContext = 2;

// An edited stretch of a buffer scanned from a memo, as laid into the joined buffer that one
// Hyperscan call runs over (see Scanner::GatherNarrowEnds).
struct Stretch {
  size_t joined;  // where its bytes start in the joined buffer
  size_t begin;   // ... and in the scanned buffer
  size_t lo, hi;  // the ends (inclusive, offsets in the scanned buffer) it is scanned for
};

struct HyperscanContext {
  std::vector<Candidate>* candidates;
  std::vector<RuleCandidates>* per_rule;
  const RuleSet* rules;
  size_t limit;
  size_t per_rule_limit;
  bool truncated = false;
  bool stopped = false;  // the candidate cap was reached: stage one is over
  // Raw (unthinned) ends, recorded for a memo or gathered from the edited parts of a buffer;
  // with `record_only`, only those of the rules it marks.
  std::vector<ScanMemo::StageOneEnd>* raw = nullptr;
  const std::vector<bool>* record_only = nullptr;
  size_t raw_limit = 0;
  bool raw_overflow = false;
  // Gathering only (a scan of an edited buffer's stretches laid end to end): each end is moved
  // back to the scanned buffer and kept only when its stretch is scanned for it; thinning
  // happens once all ends are in.
  const std::vector<Stretch>* stretches = nullptr;
};

// Adds candidate `end` (standing for the ends from `first`) of `rule`; false when the candidate
// cap is reached.
bool Keep(HyperscanContext* ctx, RuleCandidates& rule, unsigned int id, size_t end, size_t first) {
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
  ctx->candidates->push_back({id, end, first});
  return true;
}

// Candidates are thinned per rule: of the ends within a quarter of max_match_length after a
// kept end, only the last is kept, standing for the dropped ones too (its search starts before
// the first of them), so a dense stretch costs two searches per quarter instead of one per end.
// (A pattern ending in a repeated class reports an end at every byte of a long run of it; a
// prefilter ending in a class of common characters, at most bytes of a line.) Without thinning,
// each of hundreds of ends re-searched the same text ahead, and one expensive start position
// there was paid for hundreds of times. Ends of one rule come in ascending order; false stops
// stage one.
bool Offer(HyperscanContext* ctx, unsigned int id, size_t end) {
  RuleCandidates& rule = (*ctx->per_rule)[id];
  size_t stride = std::max<size_t>(1, ctx->rules->at(id).max_match_length / 4);
  if (rule.kept > 0 && end - rule.last_kept < stride) {
    if (rule.pending <= rule.last_kept) rule.pending_first = end;
    rule.pending = end;
    return true;
  }
  if (rule.pending > rule.last_kept && !Keep(ctx, rule, id, rule.pending, rule.pending_first)) {
    return false;
  }
  rule.pending = 0;
  return Keep(ctx, rule, id, end, end);
}

bool EndsBefore(const ScanMemo::StageOneEnd& a, const ScanMemo::StageOneEnd& b) {
  return a.end < b.end;
}

bool Record(HyperscanContext* ctx, unsigned int id, size_t end) {
  if (ctx->raw->size() >= ctx->raw_limit) {
    ctx->raw_overflow = true;
    return false;
  }
  ctx->raw->push_back({id, end});
  return true;
}

int OnHyperscanMatch(unsigned int id, unsigned long long /*from*/, unsigned long long to,
                     unsigned int /*flags*/, void* context) {
  auto* ctx = static_cast<HyperscanContext*>(context);
  size_t end = static_cast<size_t>(to);
  if (ctx->stretches != nullptr) {
    // The stretch holding the match's last byte (the first one starts at 0).
    auto it = std::upper_bound(ctx->stretches->begin(), ctx->stretches->end(), end - 1,
                               [](size_t at, const Stretch& s) { return at < s.joined; });
    const Stretch& stretch = *std::prev(it);
    end = end - stretch.joined + stretch.begin;
    if (end < stretch.lo || end > stretch.hi) return 0;
    return Record(ctx, id, end) ? 0 : 1;  // 1 stops the scan
  }
  if (ctx->raw != nullptr && !ctx->raw_overflow &&
      (ctx->record_only == nullptr || (*ctx->record_only)[id])) {
    Record(ctx, id, end);
  }
  if (Offer(ctx, id, end)) return 0;
  ctx->stopped = true;  // the candidate cap is reached
  return 1;             // stops the scan
}

// The last dropped end of each rule, once the scan is over (see Offer).
void KeepPendingEnds(HyperscanContext* ctx) {
  for (unsigned int id = 0; id < ctx->per_rule->size(); ++id) {
    RuleCandidates& rule = (*ctx->per_rule)[id];
    if (rule.pending > rule.last_kept && !Keep(ctx, rule, id, rule.pending, rule.pending_first)) {
      return;
    }
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
  std::vector<Candidate> candidates;            // reused between buffers
  std::vector<RuleCandidates> per_rule;         // one per rule, reset for each buffer
  std::vector<ScanMemo::StageOneEnd> gathered;  // one database's ends of an edited buffer
  std::vector<bool> is_line_rule;               // per rule: line-bounded (Engine::Compiled)
  std::vector<Stretch> stretches;               // its edited stretches ...
  std::string joined;                           // ... laid end to end
  bool scratch_failed = false;

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
  // One scratch serves every database once allocated for each.
  for (const hs_database_t* database :
       {compiled.narrow, compiled.lines, compiled.wide, compiled.lines_and_wide}) {
    if (database != nullptr && hs_alloc_scratch(database, &state_->scratch) != HS_SUCCESS) {
      state_->scratch_failed = true;
    }
  }
  for (Engine::Compiled::Reach reach : compiled.reach) {
    state_->is_line_rule.push_back(reach == Engine::Compiled::Reach::kLines);
  }
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

size_t ScanMemo::bytes() const {
  return sizeof(ScanMemo) + (ends_.capacity() + line_ends_.capacity()) * sizeof(StageOneEnd) +
         searches_.capacity() * sizeof(Search);
}

namespace {

// Maps stretches of an edited buffer to the same bytes in the buffer it was made from.
class CopyMap {
 public:
  explicit CopyMap(std::span<const CopiedRange> copies) : copies_(copies) {}

  // Whether `copies` fit buffers of these sizes, in order and without overlaps.
  static bool Valid(std::span<const CopiedRange> copies, size_t size, size_t base_size) {
    size_t next = 0;
    for (const CopiedRange& c : copies) {
      if (c.to < next || c.length > size - std::min(size, c.to) || c.to > size ||
          c.from > base_size || c.length > base_size - c.from) {
        return false;
      }
      next = c.to + c.length;
    }
    return true;
  }

  // When [lo, hi) lies inside one copied range: what to add to an offset to get the base's.
  std::optional<ptrdiff_t> ShiftFor(size_t lo, size_t hi) const {
    auto it = std::upper_bound(copies_.begin(), copies_.end(), lo,
                               [](size_t at, const CopiedRange& c) { return at < c.to; });
    if (it == copies_.begin()) return std::nullopt;
    const CopiedRange& c = *std::prev(it);
    if (hi > c.to + c.length) return std::nullopt;
    return static_cast<ptrdiff_t>(c.from) - static_cast<ptrdiff_t>(c.to);
  }

 private:
  std::span<const CopiedRange> copies_;
};

size_t Shifted(size_t offset, ptrdiff_t shift) {
  return static_cast<size_t>(static_cast<ptrdiff_t>(offset) + shift);
}

// The searches an earlier buffer's scan made, and how to find them from the edited buffer.
struct EarlierSearches {
  const CopyMap* map = nullptr;
  std::span<const ScanMemo::Search> searches;  // of one rule, ascending `from`
};

// Stage two for one rule: confirms its candidates (ascending) with PCRE2.
//
// Each search starts no earlier than where the previous one stopped and at most the rule's
// window before the first end the candidate stands for, and the subject ends at most the
// window after the candidate, so the work per candidate is bounded and a buffer dense with
// candidates stays linear. The window is max_match_length, or the longest match the rule's
// pattern can make when that is shorter (Engine::Compiled::window): a token rule's searches
// then cover a few dozen bytes, not two KiB. A rule whose prefilter lies inside every match of
// a one-line pattern (Rule::prefilter_in_match) is searched on the candidate's lines only:
// every match it can find there holds one of the candidate's prefilter matches, so lies on
// those lines; a match elsewhere is another candidate's.
//
// A search's outcome depends only on the bytes from `lookbehind` before its start to the end
// of its subject. When those bytes were copied unchanged from an earlier buffer whose scan
// made the same search, its outcome is taken from there instead of running PCRE2 again.
class Confirmer {
 public:
  Confirmer(std::string_view data, const Rule& rule, uint32_t rule_index, pcre2_code* program,
            size_t lookbehind, size_t window, pcre2_match_data* match_data,
            pcre2_match_context* context)
      : data_(data),
        rule_(rule),
        rule_index_(rule_index),
        program_(program),
        lookbehind_(lookbehind),
        window_(window),
        match_data_(match_data),
        context_(context) {}

  void Reuse(EarlierSearches earlier) { earlier_ = earlier; }
  void SearchLinesOnly() { lines_only_ = true; }
  void Count(ScannerCounters* counters) { counters_ = counters; }
  void Record(std::vector<ScanMemo::Search>* searches) { record_ = searches; }

  // Returns false when PCRE2 hit its match or depth limit on this rule.
  bool Confirm(const Candidate& candidate, std::vector<Match>* out) {
    const size_t candidate_end = candidate.end;
    while (candidate_end > scan_pos_) {
      size_t from = std::max(scan_pos_, candidate.first > window_ ? candidate.first - window_ : 0);
      size_t subject_end = std::min(data_.size(), candidate_end + window_);
      if (lines_only_) NarrowToLines(candidate, &from, &subject_end);
      ScanMemo::Search found = Search(from, subject_end);
      if (record_ != nullptr) record_->push_back(found);
      if (found.kind != ScanMemo::Search::kMatch) {
        scan_pos_ = candidate_end;
        return found.kind == ScanMemo::Search::kNoMatch;
      }
      if (found.start > candidate_end) {
        // A match of a later candidate, which may run past this subject's end and be cut
        // short there: the later candidate's own search finds it whole.
        scan_pos_ = candidate_end;
        return true;
      }
      Match match;
      match.rule_index = rule_index_;
      match.start = found.start;
      match.end = found.end;
      match.value_start = found.value_start;
      match.value_end = found.value_end;
      scan_pos_ = std::max(match.end, match.start + 1);
      if (match.value_end > match.value_start && Accepts(rule_, data_, &match))
        out->push_back(match);
    }
    return true;
  }

 private:
  ScanMemo::Search Search(size_t from, size_t subject_end) {
    if (std::optional<ScanMemo::Search> earlier = Earlier(from, subject_end)) {
      ++counters_->searches_reused;
      return *earlier;
    }
    ++counters_->searches_run;
    ScanMemo::Search found;
    found.rule_index = rule_index_;
    found.from = from;
    found.subject_end = subject_end;
    int rc = pcre2_match(program_, reinterpret_cast<PCRE2_SPTR>(data_.data()), subject_end, from, 0,
                         match_data_, context_);
    if (rc < 0) {
      bool no_match = rc == PCRE2_ERROR_NOMATCH || rc == PCRE2_ERROR_PARTIAL;
      found.kind = no_match ? ScanMemo::Search::kNoMatch : ScanMemo::Search::kOverLimit;
      return found;
    }
    PCRE2_SIZE* ovector = pcre2_get_ovector_pointer(match_data_);
    found.kind = ScanMemo::Search::kMatch;
    found.start = ovector[0];
    found.end = ovector[1];
    bool has_group = rc >= 2 && ovector[2] != PCRE2_UNSET && ovector[3] > ovector[2];
    found.value_start = has_group ? ovector[2] : found.start;
    found.value_end = has_group ? ovector[3] : found.end;
    return found;
  }

  // The same search in the earlier buffer, moved to this one; nullopt when there is none.
  std::optional<ScanMemo::Search> Earlier(size_t from, size_t subject_end) const {
    if (earlier_.map == nullptr || earlier_.searches.empty() || from < lookbehind_) {
      return std::nullopt;
    }
    std::optional<ptrdiff_t> shift = earlier_.map->ShiftFor(from - lookbehind_, subject_end);
    if (!shift) return std::nullopt;
    size_t base_from = Shifted(from, *shift);
    auto it = std::lower_bound(earlier_.searches.begin(), earlier_.searches.end(), base_from,
                               [](const ScanMemo::Search& s, size_t at) { return s.from < at; });
    if (it == earlier_.searches.end() || it->from != base_from ||
        it->subject_end != Shifted(subject_end, *shift)) {
      return std::nullopt;
    }
    ScanMemo::Search found = *it;
    found.from = from;
    found.subject_end = subject_end;
    if (found.kind == ScanMemo::Search::kMatch) {
      found.start = Shifted(found.start, -*shift);
      found.end = Shifted(found.end, -*shift);
      found.value_start = Shifted(found.value_start, -*shift);
      found.value_end = Shifted(found.value_end, -*shift);
    }
    return found;
  }

  std::string_view data_;
  // From the start of the line holding the first end's last byte to the line feed after the
  // candidate's end (kept: assertions look at it), within the window.
  void NarrowToLines(const Candidate& candidate, size_t* from, size_t* subject_end) const {
    size_t last_byte = candidate.first > 0 ? candidate.first - 1 : 0;
    if (last_byte > *from) {
      const void* line_feed = memrchr(data_.data() + *from, '\n', last_byte - *from);
      if (line_feed != nullptr) {
        *from = static_cast<size_t>(static_cast<const char*>(line_feed) - data_.data()) + 1;
      }
    }
    if (candidate.end < *subject_end) {
      const void* line_feed =
          std::memchr(data_.data() + candidate.end, '\n', *subject_end - candidate.end);
      if (line_feed != nullptr) {
        *subject_end = static_cast<size_t>(static_cast<const char*>(line_feed) - data_.data()) + 1;
      }
    }
  }

  const Rule& rule_;
  uint32_t rule_index_;
  pcre2_code* program_;
  size_t lookbehind_;
  size_t window_;
  pcre2_match_data* match_data_;
  pcre2_match_context* context_;
  EarlierSearches earlier_;
  std::vector<ScanMemo::Search>* record_ = nullptr;
  ScannerCounters* counters_ = nullptr;
  size_t scan_pos_ = 0;
  bool lines_only_ = false;
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

// A copied range whose inside is shorter than this is scanned with the edits around it: taking
// its ends from the memo would save less scanning than the context bytes laid around the
// stretches on either side of it cost, and a stretch more to look up for every end.
constexpr size_t kMinTrustedEnds = 256;

// How far back from a stage-one end of one database the bytes it depends on start (see
// Engine::Compiled): a fixed number of bytes for the narrow rules, a number of lines for the
// line-bounded ones.
struct EndReach {
  Engine::Compiled::Reach kind;
  size_t bytes = 0;       // kNarrow: narrow_width + kAssertionContext
  size_t line_feeds = 0;  // kLines: the most a match holds
};

// The ends (inclusive) inside copied range `c` of `data` that come from the earlier buffer:
// those whose match, with its context, lies in the copy. Offsets in the edited buffer; nullopt
// when the copy is too short to be worth it.
std::optional<std::pair<size_t, size_t>> TrustedEnds(const EndReach& reach, std::string_view data,
                                                     const CopiedRange& c) {
  if (c.length < reach.bytes + kAssertionContext + kMinTrustedEnds) return std::nullopt;
  size_t last = c.to + c.length - kAssertionContext;
  if (reach.kind != Engine::Compiled::Reach::kLines) {
    return std::pair<size_t, size_t>{c.to + reach.bytes, last};
  }
  // A match ending at e holds at most line_feeds line feeds, so it starts after the
  // (line_feeds + 1)-th one before e; its context starts a byte before that. Both lie in the
  // copy when that many line feeds come between the copy's start (and a byte) and e.
  size_t at = c.to + kAssertionContext - 1;
  for (size_t found = 0; found <= reach.line_feeds; ++found) {
    if (at >= last) return std::nullopt;
    const void* line_feed = std::memchr(data.data() + at, '\n', last - at);
    if (line_feed == nullptr) return std::nullopt;
    at = static_cast<size_t>(static_cast<const char*>(line_feed) - data.data()) + 1;
  }
  if (at + kMinTrustedEnds > last) return std::nullopt;
  return std::pair<size_t, size_t>{at, last};
}

// The ends (inclusive) of the stretches of an edited buffer whose ends must be found by
// scanning: all those TrustedEnds leaves out (ends run from 1 to size).
std::vector<std::pair<size_t, size_t>> EditedEnds(const EndReach& reach, std::string_view data,
                                                  std::span<const CopiedRange> copies) {
  std::vector<std::pair<size_t, size_t>> edited;
  size_t next = 1;  // the first end not yet placed
  for (const CopiedRange& c : copies) {
    std::optional<std::pair<size_t, size_t>> trusted = TrustedEnds(reach, data, c);
    if (!trusted) continue;
    if (next < trusted->first) edited.push_back({next, trusted->first - 1});
    next = trusted->second + 1;
  }
  if (next <= data.size()) edited.push_back({next, data.size()});
  return edited;
}

// Where the bytes that the ends from `lo` on depend on start. For line-bounded rules: a byte
// before the (line_feeds + 1)-th line feed before `lo`, searched no further back than `floor`
// (the end of the stretch before, or 0): `floor` when there are not that many after it.
size_t StretchBegin(const EndReach& reach, std::string_view data, size_t lo, size_t floor) {
  if (reach.kind != Engine::Compiled::Reach::kLines) return lo > reach.bytes ? lo - reach.bytes : 0;
  size_t at = lo;  // line feeds are looked for below it
  for (size_t found = 0; found <= reach.line_feeds; ++found) {
    if (at <= floor) return floor;
    const void* line_feed = memrchr(data.data() + floor, '\n', at - floor);
    if (line_feed == nullptr) return floor;
    at = static_cast<size_t>(static_cast<const char*>(line_feed) - data.data());
  }
  return at + 1 >= floor + kAssertionContext ? at + 1 - kAssertionContext : floor;
}

}  // namespace

// How one buffer is scanned: from scratch, or from an earlier buffer's memo.
struct Scanner::Plan {
  const ScanMemo* base = nullptr;  // null: from scratch
  std::span<const CopiedRange> copies;
};

namespace {

// Runs `database` over data[begin, end) into `context`; false (with `error`) when Hyperscan
// fails, not when the callback stopped it.
bool RunHyperscan(const hs_database_t* database, std::string_view data, size_t begin, size_t end,
                  hs_scratch_t* scratch, HyperscanContext* context, std::string* error) {
  // Hyperscan takes 32-bit lengths; callers cap buffers well below that (--max-file-size).
  hs_error_t status = hs_scan(database, data.data() + begin, static_cast<unsigned>(end - begin), 0,
                              scratch, OnHyperscanMatch, context);
  if (status == HS_SUCCESS || status == HS_SCAN_TERMINATED) return true;
  *error = "Hyperscan scan failed (error " + std::to_string(status) + ")";
  return false;
}

}  // namespace

// The narrow or line-bounded rules' database, the memo's list of its raw ends and the counter
// of bytes it was run over.
struct Scanner::EndSource {
  Engine::Compiled::Reach kind;
  const hs_database_t* database;
  std::vector<ScanMemo::StageOneEnd> ScanMemo::*memo_ends;
  uint64_t ScannerCounters::*counter;
};

bool Scanner::GatherEnds(std::string_view data, const Plan& plan, const EndSource& source,
                         bool* too_many, std::string* error) {
  const Engine::Compiled& compiled = engine_->compiled();
  const Engine::Compiled::Reach kind = source.kind;
  const EndReach reach{
      kind,
      kind == Engine::Compiled::Reach::kNarrow ? compiled.narrow_width + kAssertionContext : 0,
      compiled.line_feeds};
  std::vector<ScanMemo::StageOneEnd>& gathered = state_->gathered;
  gathered.clear();
  const std::vector<ScanMemo::StageOneEnd>& earlier = plan.base->*source.memo_ends;
  for (const CopiedRange& c : plan.copies) {
    std::optional<std::pair<size_t, size_t>> trusted = TrustedEnds(reach, data, c);
    if (!trusted) continue;
    size_t first = trusted->first - c.to + c.from, last = trusted->second - c.to + c.from;
    auto it =
        std::lower_bound(earlier.begin(), earlier.end(), first,
                         [](const ScanMemo::StageOneEnd& e, size_t at) { return e.end < at; });
    for (; it != earlier.end() && it->end <= last; ++it) {
      gathered.push_back({it->rule_index, it->end - c.from + c.to});
    }
  }
  // The edited stretches, each with the bytes its ends depend on, laid end to end and scanned
  // in one call (a call costs about as much as a few hundred bytes). An end kept for a stretch
  // has its whole match and context inside that stretch, so what comes before or after it in
  // the joined buffer cannot change it. Line-bounded stretches that would overlap continue the
  // one before instead: the joined bytes then run on as in the buffer, and each byte is
  // searched for line feeds once however long its line.
  std::vector<Stretch>& stretches = state_->stretches;
  std::string& joined = state_->joined;
  stretches.clear();
  joined.clear();
  size_t joined_up_to = 0;  // where the bytes last laid end in the buffer
  for (auto [lo, hi] : EditedEnds(reach, data, plan.copies)) {
    size_t begin = StretchBegin(reach, data, lo, joined_up_to);
    if (kind == Engine::Compiled::Reach::kLines && !stretches.empty()) {
      begin = std::max(begin, joined_up_to);
    }
    size_t end = std::min(data.size(), hi + kAssertionContext);
    if (end <= begin) continue;  // no byte, so no end to keep
    stretches.push_back({joined.size(), begin, lo, hi});
    joined.append(data.substr(begin, end - begin));
    joined_up_to = end;
  }
  counters_.*source.counter += joined.size();
  if (joined.size() > UINT32_MAX) {  // past what one Hyperscan call takes: scan from scratch
    *too_many = true;
    return true;
  }
  HyperscanContext context{};
  context.raw = &gathered;
  context.raw_limit = limits_.max_candidates;
  context.stretches = &stretches;
  if (!joined.empty() &&
      !RunHyperscan(source.database, joined, 0, joined.size(), state_->scratch, &context, error)) {
    return false;
  }
  *too_many = context.raw_overflow;
  std::sort(gathered.begin(), gathered.end(), [](const auto& a, const auto& b) {
    return EndsBefore(a, b) || (a.end == b.end && a.rule_index < b.rule_index);
  });
  return true;
}

bool Scanner::FindCandidates(std::string_view data, const Plan& plan, ScanMemo* memo,
                             bool* truncated, std::string* error) {
  const Engine::Compiled& compiled = engine_->compiled();
  state_->candidates.clear();
  state_->per_rule.assign(engine_->rules().size(), RuleCandidates{});
  HyperscanContext context{&state_->candidates, &state_->per_rule, &engine_->rules(),
                           limits_.max_candidates, limits_.max_candidates_per_rule};
  if (plan.base == nullptr) {
    // From scratch: the narrow database, then the others together, the narrow and
    // line-bounded rules' raw ends recorded for a memo as they come.
    struct Pass {
      const hs_database_t* database;
      std::vector<ScanMemo::StageOneEnd>* recorded;
      const std::vector<bool>* record_only;
      uint64_t* counter;
    };
    const Pass passes[] = {{compiled.narrow, memo != nullptr ? &memo->ends_ : nullptr, nullptr,
                            &counters_.narrow_bytes},
                           {compiled.not_narrow(), memo != nullptr ? &memo->line_ends_ : nullptr,
                            &state_->is_line_rule, &counters_.line_bytes}};
    context.raw_limit = kMemoMaxEnds;
    for (const Pass& pass : passes) {
      if (pass.database == nullptr || context.stopped) continue;
      context.raw = pass.recorded;
      context.record_only = pass.record_only;
      *pass.counter += data.size();
      if (!RunHyperscan(pass.database, data, 0, data.size(), state_->scratch, &context, error)) {
        return false;
      }
      // A later scan looks ends up by offset: keep them ascending whatever order Hyperscan used.
      if (pass.recorded != nullptr &&
          !std::is_sorted(pass.recorded->begin(), pass.recorded->end(), EndsBefore)) {
        std::stable_sort(pass.recorded->begin(), pass.recorded->end(), EndsBefore);
      }
    }
    context.raw = nullptr;
  } else {
    // From a memo: the narrow and line-bounded rules' ends gathered from it and the edits,
    // then the wide rules over the whole buffer.
    const EndSource sources[] = {{Engine::Compiled::Reach::kNarrow, compiled.narrow,
                                  &ScanMemo::ends_, &ScannerCounters::narrow_bytes},
                                 {Engine::Compiled::Reach::kLines, compiled.lines,
                                  &ScanMemo::line_ends_, &ScannerCounters::line_bytes}};
    for (const EndSource& source : sources) {
      if (source.database == nullptr || context.stopped) continue;
      bool too_many = false;
      if (!GatherEnds(data, plan, source, &too_many, error)) return false;
      if (too_many) {
        *truncated = true;  // too dense to gather: the caller scans from scratch
        return true;
      }
      for (const ScanMemo::StageOneEnd& e : state_->gathered) {
        if (!Offer(&context, e.rule_index, e.end)) {
          context.stopped = true;
          break;
        }
      }
      std::vector<ScanMemo::StageOneEnd>* recorded =
          memo != nullptr ? &(memo->*source.memo_ends) : nullptr;
      if (recorded != nullptr && state_->gathered.size() <= kMemoMaxEnds) {
        recorded->assign(state_->gathered.begin(), state_->gathered.end());
      } else if (recorded != nullptr) {
        context.raw_overflow = true;
      }
    }
    if (compiled.wide != nullptr && !context.stopped) {
      if (!RunHyperscan(compiled.wide, data, 0, data.size(), state_->scratch, &context, error)) {
        return false;
      }
    }
  }
  if (!context.stopped) KeepPendingEnds(&context);
  *truncated = context.truncated;
  if (memo != nullptr && context.raw_overflow) memo->complete_ = false;
  return true;
}

Result<BufferMatches> Scanner::Scan(std::string_view data, const ScanReuse& reuse) {
  BufferMatches result;
  const Engine::Compiled& compiled = engine_->compiled();
  if (state_->scratch_failed || state_->match_data == nullptr) {
    return Status::Error("cannot allocate scanner memory");
  }
  Plan plan;
  if (reuse.base != nullptr && reuse.base->complete_ &&
      CopyMap::Valid(reuse.copies, data.size(), reuse.base->size_)) {
    plan.base = reuse.base;
    plan.copies = reuse.copies;
  }
  ScanMemo* memo = reuse.memo;
  if (memo != nullptr) {
    memo->ends_.clear();
    memo->line_ends_.clear();
    memo->searches_.clear();
    memo->size_ = data.size();
    memo->complete_ = true;
  }
  std::string error;
  if (!FindCandidates(data, plan, memo, &result.truncated, &error)) return Status::Error(error);
  if (plan.base != nullptr && !result.truncated) ++counters_.scans_from_memo;
  if (result.truncated && plan.base != nullptr) {
    // Limits apply in the order a scan from scratch meets candidates: scan from scratch.
    return Scan(data, ScanReuse{nullptr, {}, memo});
  }
  counters_.bytes += data.size();
  if (memo != nullptr && result.truncated) memo->complete_ = false;

  std::vector<Candidate>& candidates = state_->candidates;
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
  const RuleSet& rules = engine_->rules();
  CopyMap map(plan.copies);
  std::span<const ScanMemo::Search> earlier;
  if (plan.base != nullptr) earlier = plan.base->searches_;
  for (size_t i = 0; i < candidates.size();) {
    uint32_t rule_index = candidates[i].rule_index;
    Confirmer confirmer(data, rules.at(rule_index), rule_index, compiled.programs[rule_index].get(),
                        compiled.lookbehind[rule_index], compiled.window[rule_index],
                        state_->match_data, state_->match_context);
    confirmer.Count(&counters_);
    if (compiled.lines_only[rule_index]) confirmer.SearchLinesOnly();
    if (plan.base != nullptr) {
      auto [first, last] =
          std::equal_range(earlier.begin(), earlier.end(), ScanMemo::Search{rule_index},
                           [](const ScanMemo::Search& a, const ScanMemo::Search& b) {
                             return a.rule_index < b.rule_index;
                           });
      confirmer.Reuse({&map, std::span<const ScanMemo::Search>(first, last)});
    }
    if (memo != nullptr && memo->searches_.size() < kMemoMaxSearches) {
      confirmer.Record(&memo->searches_);
    } else if (memo != nullptr) {
      memo->complete_ = false;
    }
    bool within_limits = true;
    for (; i < candidates.size() && candidates[i].rule_index == rule_index; ++i) {
      within_limits = confirmer.Confirm(candidates[i], &result.matches) && within_limits;
    }
    if (!within_limits) result.rules_over_limit.push_back(rule_index);
    if (memo != nullptr && memo->searches_.size() > kMemoMaxSearches) memo->complete_ = false;
    if (result.matches.size() > limits_.max_matches) {
      result.truncated = true;
      if (memo != nullptr) memo->complete_ = false;  // the later rules' searches are missing
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
