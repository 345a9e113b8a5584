#include "leaksweep/policy/test_evidence.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

namespace leaksweep {
namespace {

constexpr std::array<std::string_view, 20> kTestDirectories = {
    "test",     "tests",     "__tests__", "spec",      "specs",   "fixture",  "fixtures",
    "testdata", "test-data", "test_data", "testing",   "example", "examples", "sample",
    "samples",  "mock",      "mocks",     "__mocks__", "demo",    "demos"};

constexpr std::array<std::string_view, 14> kTestWords = {
    "example", "examples", "dummy",   "fake",        "sample",  "samples", "mock",
    "test",    "tests",    "testing", "placeholder", "fixture", "sandbox", "lorem"};

std::string Lower(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return lower;
}

template <size_t N>
bool IsOneOf(const std::string& word, const std::array<std::string_view, N>& words) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

template <size_t N>
bool IsOneOf(std::string_view word, const std::array<std::string_view, N>& words) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

bool IsTestFileName(std::string_view name, std::string_view original) {
  auto ends_with = [&](std::string_view suffix) {
    size_t dot = name.rfind('.');
    std::string_view stem = dot == std::string_view::npos ? name : name.substr(0, dot);
    return stem.size() >= suffix.size() && stem.substr(stem.size() - suffix.size()) == suffix;
  };
  if (name.rfind("test_", 0) == 0 || ends_with("_test") || ends_with(".test") ||
      ends_with(".spec") || ends_with("_spec")) {
    return true;
  }
  // JUnit style: FooTest.java, FooTests.cs (case matters: "Latest.java" is not a test).
  size_t dot = original.rfind('.');
  std::string_view stem = dot == std::string_view::npos ? original : original.substr(0, dot);
  return (stem.size() > 4 && stem.substr(stem.size() - 4) == "Test") ||
         (stem.size() > 5 && stem.substr(stem.size() - 5) == "Tests");
}

}  // namespace

bool IsTestPath(std::string_view path) {
  std::string lower = Lower(path);
  size_t start = 0;
  while (start <= lower.size()) {
    size_t end = lower.find('/', start);
    if (end == std::string::npos) {
      return IsTestFileName(std::string_view(lower).substr(start), path.substr(start));
    }
    if (IsOneOf(std::string_view(lower).substr(start, end - start), kTestDirectories)) return true;
    start = end + 1;
  }
  return false;
}

bool HasTestWords(std::string_view line) {
  line = line.substr(0, 4096);
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && !std::isalpha(static_cast<unsigned char>(line[i]))) ++i;
    size_t start = i;
    // A word ends at a non-letter or where camelCase starts a new one (dummyToken, FakeKey).
    while (i < line.size() && std::isalpha(static_cast<unsigned char>(line[i]))) {
      ++i;
      bool camel_break = i < line.size() && std::isupper(static_cast<unsigned char>(line[i])) &&
                         std::islower(static_cast<unsigned char>(line[i - 1]));
      if (camel_break) break;
    }
    if (i > start && IsOneOf(Lower(line.substr(start, i - start)), kTestWords)) return true;
  }
  return false;
}

}  // namespace leaksweep
