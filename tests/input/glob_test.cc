#include "leaksweep/input/glob.h"

#include <doctest/doctest.h>

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
