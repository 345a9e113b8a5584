// ScanReuse: a scan that builds on an earlier buffer's memo must find exactly what a scan from
// scratch finds, whatever the edit. Texts are made of every shipped rule's examples and negative
// examples, edited at random the way git deltas rebuild a file: copied ranges of the earlier
// version (also moved or repeated) and inserts, cutting through values and their context.
#include <doctest/doctest.h>

#include <random>

#include "leaksweep/match/engine.h"
#include "leaksweep/match/scanner.h"
#include "leaksweep/rules/loader.h"
#include "match/compiled.h"
#include "shipped_engine.h"

using namespace leaksweep;

namespace {

struct Edited {
  std::string text;
  std::vector<CopiedRange> copies;
};

class TextMaker {
 public:
  TextMaker(const RuleSet& rules, uint32_t seed) : random_(seed) {
    for (const Rule& rule : rules.rules()) {
      for (const std::string& text : rule.examples) pieces_.push_back(text);
      for (const std::string& text : rule.negative_examples) pieces_.push_back(text);
    }
    for (const char* filler : {"int main() { return 0; }", "# comment", "", "    }", "x = 1",
                               "password:", "api_key = ", "\"", "-----", "user@", "Bearer "}) {
      pieces_.push_back(filler);
    }
  }

  std::string Text(size_t pieces) {
    std::string text;
    for (size_t i = 0; i < pieces; ++i) text += Piece() + Separator();
    return text;
  }

  // A new version of `text`: runs of it copied (mostly in order, sometimes from elsewhere),
  // pieces deleted, and inserts of whole pieces or of a few characters.
  Edited Edit(const std::string& text) {
    source_ = &text;
    Edited edited;
    size_t at = 0;
    while (at < text.size()) {
      uint32_t op = Below(100);
      if (op < 55) {
        size_t length = std::min<size_t>(text.size() - at, 1 + Below(Below(4) == 0 ? 4000 : 300));
        Copy(at, length, &edited);
        at += length;
      } else if (op < 65) {
        at += 1 + Below(60);
      } else if (op < 80) {
        edited.text += Piece() + Separator();
      } else if (op < 92) {
        for (uint32_t n = 1 + Below(4); n-- > 0;) edited.text += Character();
      } else {
        size_t from = Below(static_cast<uint32_t>(text.size()));
        Copy(from, std::min<size_t>(text.size() - from, 1 + Below(500)), &edited);
      }
    }
    return edited;
  }

 private:
  void Copy(size_t from, size_t length, Edited* edited) {
    CopiedRange range{edited->text.size(), from, length};
    if (!edited->copies.empty()) {
      CopiedRange& last = edited->copies.back();
      if (last.to + last.length == range.to && last.from + last.length == range.from) {
        last.length += length;
        range.length = 0;
      }
    }
    if (range.length > 0) edited->copies.push_back(range);
    edited->text.append(source_->substr(from, length));
  }

  uint32_t Below(uint32_t n) { return n == 0 ? 0 : random_() % n; }
  std::string Piece() { return pieces_[Below(static_cast<uint32_t>(pieces_.size()))]; }
  std::string Separator() {
    static const char* kSeparators[] = {"\n", "\n", "\n", " ", "\n\n", "\r\n", "\"\n", ": "};
    return kSeparators[Below(8)];
  }
  char Character() {
    static const char kCharacters[] = "aZ09_-=:\"' \n/+.@";
    return kCharacters[Below(sizeof kCharacters - 1)];
  }

  std::mt19937 random_;
  std::vector<std::string> pieces_;
  const std::string* source_ = nullptr;  // the text being edited
};

// An engine of the rules given as (id, pattern), each with placeholder examples.
std::shared_ptr<const Engine> EngineOf(
    const std::vector<std::pair<std::string, std::string>>& id_patterns) {
  std::string file = "rules:\n";
  for (const auto& [id, pattern] : id_patterns) {
    file += "  - id: " + id + "\n    name: " + id + "\n    category: secret\n    severity: high\n" +
            "    pattern: '" + pattern + "'\n    examples: ['x']\n    negative_examples: ['y']\n";
  }
  auto rules = ParseRuleFile(file, "rules.yaml");
  REQUIRE_MESSAGE(rules.ok(), rules.status().message());
  auto engine = Engine::Build(RuleSet(std::move(rules).value()), {});
  REQUIRE(engine.ok());
  return engine.value();
}

}  // namespace

TEST_CASE(
    "a scan built on an earlier version's memo finds exactly what a scan from scratch finds") {
  std::shared_ptr<const Engine> engine = leaksweep::testing::ShippedEngine();
  Scanner from_scratch(engine);
  Scanner reusing(engine);
  TextMaker maker(engine->rules(), 20261129);

  size_t compared = 0;
  for (int history = 0; history < 60; ++history) {
    std::string text = maker.Text(20 + history % 40);
    ScanMemo memo;
    REQUIRE(reusing.Scan(text, {nullptr, {}, &memo}).ok());
    for (int version = 0; version < 6; ++version) {
      Edited edited = maker.Edit(text);
      ScanMemo next;
      auto expected = from_scratch.Scan(edited.text);
      auto got = reusing.Scan(edited.text, {&memo, edited.copies, &next});
      REQUIRE(expected.ok());
      REQUIRE(got.ok());
      INFO("history ", history, ", version ", version);
      CHECK(got->matches == expected->matches);
      CHECK(got->truncated == expected->truncated);
      CHECK(got->rules_over_limit == expected->rules_over_limit);
      ++compared;
      text = std::move(edited.text);
      memo = std::move(next);
    }
  }
  const ScannerCounters& counters = reusing.counters();
  MESSAGE(compared, " versions; searches reused ", counters.searches_reused, ", run ",
          counters.searches_run, "; narrow bytes ", counters.narrow_bytes, " of ", counters.bytes);
  CHECK(counters.scans_from_memo >= compared * 9 / 10);
  CHECK(counters.searches_reused > 0);
  CHECK(counters.narrow_bytes < counters.bytes);
}

TEST_CASE("copied ranges that do not fit the buffers are ignored, not trusted") {
  std::shared_ptr<const Engine> engine = leaksweep::testing::ShippedEngine();
  Scanner scanner(engine);
  std::string before = "token ghp_" + std::string(36, 'a') + "\n" + std::string(200, 'x');
  ScanMemo memo;
  REQUIRE(scanner.Scan(before, {nullptr, {}, &memo}).ok());
  CHECK(memo.usable());
  std::string after = std::string(200, 'x') + "\nnothing here\n";
  auto expected = scanner.Scan(after);
  for (std::vector<CopiedRange> copies :
       {std::vector<CopiedRange>{{0, 0, after.size() + 1}},      // past the buffer's end
        std::vector<CopiedRange>{{0, before.size() - 10, 100}},  // past the base's end
        std::vector<CopiedRange>{{50, 0, 100}, {40, 0, 20}}}) {  // out of order
    auto got = scanner.Scan(after, {&memo, copies, nullptr});
    REQUIRE(got.ok());
    CHECK(got->matches == expected->matches);
  }
  CHECK(scanner.counters().scans_from_memo == 0);
}

// Rules whose matches run over whole lines of any length (Engine::Compiled's line-bounded
// rules): their ends on lines an edit left alone come from the memo, and only the lines around
// each edit are scanned. Long lines (the memo's stretches then merge) and values split across
// line feeds and edits are the cases to get right.
TEST_CASE("line-bounded rules: a scan from a memo finds exactly what a scan from scratch finds") {
  std::shared_ptr<const Engine> engine =
      EngineOf({{"lines0", "[a-z_]*key:[ \\t]*([A-Z]{6,})"},
                {"lines1", "(?:^|[^a-z])[a-z_]*secret=([a-z0-9]{8,})"},
                {"lines2", "[a-z]*begin[^a-z]{0,2}end([a-z]{4,})"},
                {"narrow", "\\btk_[a-z0-9]{8}\\b"}});
  const Engine::Compiled& compiled = engine->compiled();
  // A leading repeat that may match nothing leaves no bounded prefix: not narrow.
  REQUIRE(compiled.lines != nullptr);
  CHECK(compiled.wide == nullptr);
  CHECK(compiled.line_feeds == 2);
  Scanner from_scratch(engine);
  Scanner reusing(engine);

  std::mt19937 random(20261129);
  auto below = [&](size_t n) { return static_cast<size_t>(random() % n); };
  const std::vector<std::string> pieces = {"key: ABCDEFGH",
                                           "key:\tQWERTYUIOP",
                                           "x secret=abcdefgh12",
                                           "secret=",
                                           "abcdefghij",
                                           "begin\nendvalue",
                                           "begin\n\nendabcd",
                                           "begin12endxyzw",
                                           "tk_abcd1234",
                                           "end",
                                           "begin",
                                           "\n",
                                           "\n\n",
                                           "  ",
                                           "filler text here",
                                           std::string(300, 'z'),
                                           std::string(700, 'q')};
  auto text_of = [&](size_t count) {
    std::string text;
    for (size_t i = 0; i < count; ++i)
      text += pieces[below(pieces.size())] + (below(3) ? "\n" : " ");
    return text;
  };
  size_t compared = 0;
  for (int history = 0; history < 40; ++history) {
    std::string text = text_of(60 + below(200));
    ScanMemo memo;
    REQUIRE(reusing.Scan(text, {nullptr, {}, &memo}).ok());
    for (int version = 0; version < 6; ++version) {
      // Long copies, mostly in order, and inserts of pieces or single characters between them.
      std::string edited;
      std::vector<CopiedRange> copies;
      for (size_t at = 0; at < text.size();) {
        size_t op = below(10);
        if (op < 6) {
          size_t length = std::min(text.size() - at, 1 + below(2500));
          copies.push_back({edited.size(), at, length});
          edited.append(text, at, length);
          at += length;
        } else if (op < 7) {
          at += 1 + below(40);
        } else if (op < 9) {
          edited += pieces[below(pieces.size())];
        } else {
          edited += "\nab=:zE"[below(7)];
        }
      }
      ScanMemo next;
      auto expected = from_scratch.Scan(edited);
      auto got = reusing.Scan(edited, {&memo, copies, &next});
      REQUIRE(expected.ok());
      REQUIRE(got.ok());
      INFO("history ", history, ", version ", version);
      CHECK(got->matches == expected->matches);
      CHECK(got->truncated == expected->truncated);
      ++compared;
      text = std::move(edited);
      memo = std::move(next);
    }
  }
  const ScannerCounters& counters = reusing.counters();
  MESSAGE(compared, " versions; line-bounded bytes ", counters.line_bytes, " of ", counters.bytes);
  CHECK(counters.scans_from_memo >= compared * 9 / 10);

  // One line edited in a long file: only the lines around it are scanned again.
  std::string file;
  for (int line = 0; line < 2000; ++line) file += "line " + std::to_string(line) + " secret=\n";
  ScanMemo memo;
  REQUIRE(reusing.Scan(file, {nullptr, {}, &memo}).ok());
  size_t middle = file.find("line 1000 ");
  std::string edited = file.substr(0, middle) + "x secret=abcdefgh12" + file.substr(middle);
  std::vector<CopiedRange> copies = {{0, 0, middle}, {middle + 19, middle, file.size() - middle}};
  uint64_t line_bytes = reusing.counters().line_bytes;
  auto got = reusing.Scan(edited, {&memo, copies, nullptr});
  REQUIRE(got.ok());
  CHECK(got->matches == from_scratch.Scan(edited)->matches);
  REQUIRE(got->matches.size() == 1);
  // Three lines either side (matches here hold up to two line feeds), of about 39,000 bytes.
  CHECK(reusing.counters().line_bytes - line_bytes < 400);

  // A match that starts in an edit and runs two lines into the copy after it: the copy's ends
  // are trusted only from the third line feed in it on.
  std::string lines;
  for (int line = 0; line < 300; ++line) lines += "filler " + std::to_string(line) + "\n";
  std::string base = lines + "zzin\n\nendabcdzz\n" + lines;
  REQUIRE(reusing.Scan(base, {nullptr, {}, &memo}).ok());
  size_t split = base.find("in\n\nend");
  std::string inserted = base.substr(0, split) + "beg" + base.substr(split);
  copies = {{0, 0, split}, {split + 3, split, base.size() - split}};
  got = reusing.Scan(inserted, {&memo, copies, nullptr});
  REQUIRE(got.ok());
  REQUIRE(got->matches.size() == 1);
  CHECK(got->matches == from_scratch.Scan(inserted)->matches);
}

// Line-bounded and wide rules together: a scan from scratch runs them in one database, a scan
// from a memo runs them apart. Both find the same.
TEST_CASE("line-bounded and wide rules together: from a memo as from scratch") {
  std::shared_ptr<const Engine> engine =
      EngineOf({{"lines", "[a-z_]*secret=([a-z0-9]{8,})"}, {"wide", "[a-z]*start\\s+([A-Z]{6,})"}});
  const Engine::Compiled& compiled = engine->compiled();
  REQUIRE(compiled.lines != nullptr);
  REQUIRE(compiled.wide != nullptr);
  CHECK(compiled.not_narrow() == compiled.lines_and_wide);
  Scanner from_scratch(engine);
  Scanner reusing(engine);
  std::string base;
  for (int line = 0; line < 400; ++line) base += "line " + std::to_string(line) + "\n";
  std::string text = base + "x secret=abcdefgh12\nstart\n\n  QWERTYU\n" + base;
  ScanMemo memo;
  REQUIRE(reusing.Scan(text, {nullptr, {}, &memo}).ok());
  size_t at = text.find("start");
  std::string edited = text.substr(0, at) + "restart" + text.substr(at + 5);
  std::vector<CopiedRange> copies = {{0, 0, at}, {at + 7, at + 5, text.size() - at - 5}};
  auto expected = from_scratch.Scan(edited);
  auto got = reusing.Scan(edited, {&memo, copies, nullptr});
  REQUIRE(expected.ok());
  REQUIRE(got.ok());
  CHECK(expected->matches.size() == 2);
  CHECK(got->matches == expected->matches);
}
