// ScanReuse: a scan that builds on an earlier buffer's memo must find exactly what a scan from
// scratch finds, whatever the edit. Texts are made of every shipped rule's examples and negative
// examples, edited at random the way git deltas rebuild a file: copied ranges of the earlier
// version (also moved or repeated) and inserts, cutting through values and their context.
#include <doctest/doctest.h>

#include <random>

#include "leaksweep/match/engine.h"
#include "leaksweep/match/scanner.h"
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
