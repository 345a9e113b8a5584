// LineUp (and AdoptLineUp, given its lineup) against a parse from scratch: random trees (names and ids holding the bytes that
// delimit entries: spaces, NULs, digits), changed by random edits, must come out with exactly
// the entry starts a full parse gives, and the stretches it takes over unparsed must be byte for
// byte the last version's. Malformed versions must be refused exactly when a full parse
// refuses them.
#include "input/tree_entries.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace leaksweep {
namespace {

struct Entry {
  std::string mode;
  std::string name;
  std::string id;  // 20 bytes
};

std::string Serialize(const std::vector<Entry>& entries) {
  std::string raw;
  for (const Entry& e : entries) raw += e.mode + " " + e.name + std::string(1, '\0') + e.id;
  return raw;
}

// The entry starts of a parse from scratch (then the size), or nullopt when malformed.
std::optional<std::vector<uint32_t>> FullParse(const std::string& raw) {
  std::vector<uint32_t> starts;
  const char* p = raw.data();
  const char* end = p + raw.size();
  while (p < end) {
    RawTreeEntry entry;
    starts.push_back(static_cast<uint32_t>(p - raw.data()));
    p = ParseEntryAt(p, end, &entry);
    if (p == nullptr) return std::nullopt;
  }
  starts.push_back(static_cast<uint32_t>(raw.size()));
  return starts;
}

class Random {
 public:
  size_t Below(size_t n) {
    state_ ^= state_ << 13;
    state_ ^= state_ >> 7;
    state_ ^= state_ << 17;
    return static_cast<size_t>(state_ % n);
  }
  Entry MakeEntry() {
    static const char* const kModes[] = {"100644", "40000", "100755", "120000", "160000", "644"};
    Entry e;
    e.mode = kModes[Below(6)];
    static const char kNameBytes[] = "ab0 .\x01z";
    for (size_t n = 1 + Below(12); n > 0; --n) e.name.push_back(kNameBytes[Below(7)]);
    static const char kIdBytes[] = {'\0', ' ', '1', '4', '0', 'x', '\xff'};
    for (int i = 0; i < 20; ++i)
      e.id.push_back(Below(3) == 0 ? kIdBytes[Below(7)] : char(Below(256)));
    return e;
  }

 private:
  uint64_t state_ = 0x2545f4914f6cdd1dull;
};

// `count` random entries (into `entries`), and their version parsed from scratch.
TreeVersion RandomTree(Random& random, int count, std::vector<Entry>* entries) {
  for (int n = 0; n < count; ++n) entries->push_back(random.MakeEntry());
  TreeVersion version;
  TreeLineUp lineup;
  REQUIRE(LineUp(nullptr, Serialize(*entries), nullptr, &version, &lineup));
  return version;
}

// Checks `next` (made by LineUp from `last`) against a parse from scratch of `raw`.
void CheckAgainstFullParse(const TreeVersion& last, const std::string& raw) {
  TreeVersion next;
  TreeLineUp lineup;
  std::optional<std::vector<uint32_t>> full = FullParse(raw);
  bool accepted = LineUp(&last, raw, nullptr, &next, &lineup);
  REQUIRE(accepted == full.has_value());
  if (!accepted) return;
  CHECK(next.raw == raw);
  CHECK(next.starts == *full);
  // Another thread given this lineup builds the very same version, and one that cannot be
  // these versions' is refused.
  TreeVersion adopted;
  REQUIRE(AdoptLineUp(last, raw, nullptr, lineup, &adopted));
  CHECK(adopted.raw == raw);
  CHECK(adopted.starts == next.starts);
  TreeLineUp too_long{lineup.front + 1, last.count() - lineup.front};
  CHECK_FALSE(AdoptLineUp(last, raw, nullptr, too_long, &adopted));
  REQUIRE(lineup.front + lineup.back <= std::min(last.count(), next.count()));
  for (size_t i = 0; i < lineup.front; ++i) {  // the same bytes at the same place
    CHECK(next.starts[i] == last.starts[i]);
    CHECK(raw.compare(next.starts[i], next.starts[i + 1] - next.starts[i], last.raw, last.starts[i],
                      last.starts[i + 1] - last.starts[i]) == 0);
  }
  for (size_t k = 1; k <= lineup.back; ++k) {  // the same bytes, counted from the end
    size_t i = next.count() - k, j = last.count() - k;
    CHECK(raw.compare(next.starts[i], next.starts[i + 1] - next.starts[i], last.raw, last.starts[j],
                      last.starts[j + 1] - last.starts[j]) == 0);
  }
}

TEST_CASE("a version lined up with the last one parses exactly as from scratch") {
  Random random;
  for (int round = 0; round < 3000; ++round) {
    std::vector<Entry> entries;
    for (size_t n = random.Below(40); n > 0; --n) entries.push_back(random.MakeEntry());
    TreeVersion last;
    TreeLineUp lineup;
    REQUIRE(LineUp(nullptr, Serialize(entries), nullptr, &last, &lineup));
    CHECK(lineup.front == 0);
    CHECK(lineup.back == 0);
    REQUIRE(last.count() == entries.size());
    for (size_t edits = 1 + random.Below(3); edits > 0; --edits) {
      size_t at = random.Below(entries.size() + 1);
      switch (random.Below(4)) {
        case 0:
          entries.insert(entries.begin() + static_cast<ptrdiff_t>(at), random.MakeEntry());
          break;
        case 1:
          if (at < entries.size()) entries.erase(entries.begin() + static_cast<ptrdiff_t>(at));
          break;
        case 2:
          if (at < entries.size()) entries[at].id[random.Below(20)] ^= 1;
          break;
        default:
          if (at < entries.size()) entries[at] = random.MakeEntry();
      }
    }
    std::string raw = Serialize(entries);
    CheckAgainstFullParse(last, raw);
    // The same, damaged: a byte cut off or changed somewhere.
    if (!raw.empty()) {
      std::string damaged = raw;
      if (random.Below(2) == 0) {
        damaged.resize(random.Below(raw.size()));
      } else {
        damaged[random.Below(raw.size())] = "\0 x9"[random.Below(4)];
      }
      CheckAgainstFullParse(last, damaged);
    }
  }
}

TEST_CASE("one changed entry is the only one parsed again") {
  Random random;
  std::vector<Entry> entries;
  const TreeVersion last = RandomTree(random, 50, &entries);
  TreeLineUp lineup;
  for (size_t changed : {size_t{0}, size_t{17}, size_t{49}}) {
    std::vector<Entry> edited = entries;
    edited[changed].id[0] ^= 0x40;  // the id's first byte: nothing after the name matches
    TreeVersion next;
    REQUIRE(LineUp(&last, Serialize(edited), nullptr, &next, &lineup));
    CHECK(lineup.front == changed);
    CHECK(lineup.back == 49 - changed);
  }
  std::vector<Entry> longer = entries;
  longer.push_back(random.MakeEntry());  // appended: everything before it is taken over
  TreeVersion next;
  REQUIRE(LineUp(&last, Serialize(longer), nullptr, &next, &lineup));
  CHECK(lineup.front == 50);
  CHECK(lineup.back == 0);
}

TEST_CASE("a version whose bytes have an owner keeps the owner, not a copy") {
  Random random;
  std::vector<Entry> entries;
  const TreeVersion last = RandomTree(random, 10, &entries);
  TreeLineUp lineup;
  entries[4].id[3] ^= 1;
  auto bytes = std::make_shared<std::string>(Serialize(entries));
  const std::string expected = *bytes;
  TreeVersion next;
  REQUIRE(LineUp(&last, *bytes, bytes, &next, &lineup));
  CHECK(static_cast<const void*>(next.raw.data()) == static_cast<const void*>(bytes->data()));
  bytes.reset();  // the version's owner keeps them (AddressSanitizer would catch it otherwise)
  CHECK(next.raw == expected);
  CHECK(next.starts == *FullParse(expected));
  TreeVersion after;
  REQUIRE(LineUp(&next, expected, nullptr, &after, &lineup));
  CHECK(lineup.front + lineup.back == 10);
}

}  // namespace
}  // namespace leaksweep
