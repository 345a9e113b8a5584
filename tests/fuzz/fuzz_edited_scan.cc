// Fuzz target: ScanReuse. A scan built on an earlier buffer's memo must return exactly what a
// scan from scratch returns, with every shipped rule (signatures/, or $LEAKSWEEP_SIGNATURES_DIR).
//
// The input is split at its first 0xFF byte: the earlier buffer, then an edit script that makes
// the new buffer the way a git delta does. Each script byte is an instruction:
//   0x00-0x7F  insert the next (byte & 0x3F) + 1 bytes of the script
//   0x80-0xFE  copy from the earlier buffer: offset and length from the next two bytes, scaled
//              to its size (bit 0x40 of the instruction: a long copy)
// The new buffer is scanned both ways and compared; then it is edited again by the same script
// from its own memo, so a memo made from a memo is checked too.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_util.h"
#include "leaksweep/match/engine.h"
#include "leaksweep/match/scanner.h"
#include "shipped_engine.h"

namespace leaksweep::fuzz {
namespace {

struct Setup {
  std::shared_ptr<const Engine> engine;
  std::unique_ptr<Scanner> from_scratch;
  std::unique_ptr<Scanner> reusing;
};

// Built once per process.
Setup& GetSetup() {
  static Setup* setup = [] {
    auto* s = new Setup;
    s->engine = BuildShippedEngine();
    s->from_scratch = std::make_unique<Scanner>(s->engine);
    s->reusing = std::make_unique<Scanner>(s->engine);
    return s;
  }();
  return *setup;
}

struct Edited {
  std::string text;
  std::vector<CopiedRange> copies;
};

Edited ApplyScript(std::string_view earlier, std::string_view script) {
  Edited edited;
  for (size_t i = 0; i < script.size();) {
    auto op = static_cast<uint8_t>(script[i++]);
    if (op < 0x80) {
      size_t n = std::min<size_t>((op & 0x3F) + 1, script.size() - i);
      edited.text.append(script.substr(i, n));
      i += n;
      continue;
    }
    if (earlier.empty() || i + 2 > script.size()) break;
    size_t offset = static_cast<uint8_t>(script[i]) * earlier.size() / 256;
    size_t scale = (op & 0x40) != 0 ? earlier.size() : 64;
    size_t length = 1 + static_cast<uint8_t>(script[i + 1]) * scale / 256;
    i += 2;
    length = std::min(length, earlier.size() - offset);
    CopiedRange range{edited.text.size(), offset, length};
    if (!edited.copies.empty()) {
      CopiedRange& last = edited.copies.back();
      if (last.to + last.length == range.to && last.from + last.length == range.from) {
        last.length += length;
        range.length = 0;
      }
    }
    if (range.length > 0) edited.copies.push_back(range);
    edited.text.append(earlier.substr(offset, length));
  }
  return edited;
}

void CheckSame(const BufferMatches& got, const BufferMatches& expected, const char* what) {
  FUZZ_CHECK(got.matches == expected.matches, std::string("matches differ ") + what);
  FUZZ_CHECK(got.truncated == expected.truncated, std::string("truncation differs ") + what);
  FUZZ_CHECK(got.rules_over_limit == expected.rules_over_limit,
             std::string("rules over limit differ ") + what);
}

}  // namespace
}  // namespace leaksweep::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace leaksweep;
  fuzz::Setup& setup = fuzz::GetSetup();
  std::string_view input(reinterpret_cast<const char*>(data), size);
  size_t split = input.find('\xFF');
  if (split == std::string_view::npos) return 0;
  std::string earlier(input.substr(0, split));
  std::string_view script = input.substr(split + 1);

  ScanMemo memo;
  if (!setup.reusing->Scan(earlier, {nullptr, {}, &memo}).ok()) return 0;
  for (const char* what : {"(from a scan from scratch)", "(from a memo made from a memo)"}) {
    fuzz::Edited edited = fuzz::ApplyScript(earlier, script);
    ScanMemo next;
    Result<BufferMatches> expected = setup.from_scratch->Scan(edited.text);
    Result<BufferMatches> got = setup.reusing->Scan(edited.text, {&memo, edited.copies, &next});
    FUZZ_CHECK(expected.ok() == got.ok(), std::string("one scan failed ") + what);
    if (!expected.ok()) return 0;
    fuzz::CheckSame(got.value(), expected.value(), what);
    earlier = std::move(edited.text);
    memo = std::move(next);
  }
  return 0;
}
