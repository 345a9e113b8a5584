#include "leaksweep/policy/test_evidence.h"

#include <doctest/doctest.h>

using leaksweep::HasTestWords;
using leaksweep::IsTestPath;

TEST_CASE("test paths") {
  for (const char* path :
       {"tests/a.py", "src/test/java/A.java", "a/__tests__/x.js", "spec/fixtures/keys.yaml",
        "pkg/foo_test.go", "test_app.py", "web/login.spec.ts", "web/login.test.js",
        "src/LoginTest.java", "docs/examples/config.yaml", "testdata/x"}) {
    CAPTURE(path);
    CHECK(IsTestPath(path));
  }
  for (const char* path : {"src/app.py", "latest/config.yaml", "contest/a.c", "src/Latest.java",
                           "attestation.go", "protest.txt"}) {
    CAPTURE(path);
    CHECK_FALSE(IsTestPath(path));
  }
}

TEST_CASE("test words on a line, as whole words") {
  CHECK(HasTestWords("api_key = 'abc'  # example key"));
  CHECK(HasTestWords("def test_login(): password = 'x'"));
  CHECK(HasTestWords("FAKE_TOKEN = 'x'"));
  CHECK(HasTestWords("dummy-secret: x"));
  CHECK(HasTestWords("dummyInstallationToken = 'x'"));
  CHECK(HasTestWords("SampleHubToken = 'x'"));
  CHECK_FALSE(HasTestWords("TESTAMENT = 'x'"));
  CHECK_FALSE(HasTestWords("latest_token = 'x'"));
  CHECK_FALSE(HasTestWords("attestation_key = 'x'"));
  CHECK_FALSE(HasTestWords("password = 'x'"));
}
