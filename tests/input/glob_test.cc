#include "leaksweep/input/glob.h"

#include <doctest/doctest.h>

#include <string>

using leaksweep::Glob;

TEST_CASE("globs without a slash match a name at any depth") {
  Glob min_js("*.min.js");
  CHECK(min_js.Matches("app.min.js"));
  CHECK(min_js.Matches("web/static/app.min.js"));
  CHECK_FALSE(min_js.Matches("app.js"));
  Glob vendor("vendor");
  CHECK(vendor.Matches("vendor/lib/a.c"));  // a matching directory covers its contents
  CHECK(vendor.Matches("src/vendor/a.c"));
  CHECK_FALSE(vendor.Matches("vendored/a.c"));
}

TEST_CASE("globs with a slash match from the root; ** crosses directories") {
  CHECK(Glob("src/*.c").Matches("src/a.c"));
  CHECK_FALSE(Glob("src/*.c").Matches("src/sub/a.c"));
  CHECK_FALSE(Glob("src/*.c").Matches("lib/src/a.c"));
  CHECK(Glob("src/**/*.c").Matches("src/a.c"));
  CHECK(Glob("src/**/*.c").Matches("src/x/y/a.c"));
  CHECK(Glob("**/test/*").Matches("a/b/test/file.py"));
  CHECK(Glob("docs/**").Matches("docs/a/b.md"));
  CHECK(Glob("/build/").Matches("build/out.txt"));
  CHECK(Glob("./build").Matches("build/out.txt"));
}

TEST_CASE("? and character classes") {
  CHECK(Glob("file?.txt").Matches("file1.txt"));
  CHECK_FALSE(Glob("file?.txt").Matches("file10.txt"));
  CHECK(Glob("[abc].txt").Matches("b.txt"));
  CHECK_FALSE(Glob("[!abc].txt").Matches("b.txt"));
  CHECK(Glob("[a-f]*.log").Matches("err.log"));
  CHECK(Glob("[.txt").Matches("[.txt"));  // unterminated class is literal
}

// Found by fuzzing (tests/fuzz/fuzz_config.cc): the backtracking matcher took exponential time
// on globs with many stars (minutes for this one), and a scanned repository's .leaksweep.yaml
// chooses its skip_paths. Matching is now linear in the glob times the path.
TEST_CASE("globs with many stars match in linear time") {
  const std::string name(200, 'a');
  CHECK_FALSE(Glob("*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b").Matches(name));
  CHECK(Glob("*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*").Matches(name));
  std::string deep;
  for (int i = 0; i < 300; ++i) deep += "d/";
  deep += "file.txt";
  CHECK_FALSE(Glob("**/**/**/**/**/**/**/**/**/**/x/**").Matches(deep));
  CHECK(Glob("**/**/**/**/**/**/**/**/**/**/*.txt").Matches(deep));
  CHECK(Glob("d/**/d/*/d/**/file.t?t").Matches(deep));
}

TEST_CASE("** forms: whole segments, any run, and the end") {
  CHECK(Glob("a/**/b").Matches("a/b"));
  CHECK(Glob("a/**/b").Matches("a/x/y/b"));
  CHECK_FALSE(Glob("a/**/b").Matches("a/xb"));
  CHECK(Glob("a/**b").Matches("a/x/yb"));  // not followed by '/': any run, '/' included
  CHECK(Glob("a**").Matches("a/x/y"));
  CHECK_FALSE(Glob("src/*c").Matches("src/a/c"));  // '*' stays within a directory
  CHECK(Glob("[]-a]x").Matches("^x"));  // ']' first in a class is literal; ']'-'a' is a range
}
