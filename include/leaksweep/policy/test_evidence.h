// Evidence that a finding is test or example data rather than a live value.
//
// Evidence lowers a finding's confidence and marks it `likely_test`; it never removes a finding,
// because real secrets are committed to test fixtures too.
#ifndef LEAKSWEEP_POLICY_TEST_EVIDENCE_H_
#define LEAKSWEEP_POLICY_TEST_EVIDENCE_H_

#include <string_view>

namespace leaksweep {

// A directory named like test, tests, __tests__, spec, fixtures, testdata, examples, samples,
// mocks or demo anywhere in the path, or a test file name (foo_test.go, test_foo.py,
// foo.spec.ts, foo.test.js, FooTest.java).
bool IsTestPath(std::string_view path);

// A word such as example, dummy, fake, sample, mock, placeholder or test on the line (as a
// whole word; "_" and "-" separate words, so test_login counts and latest does not).
bool HasTestWords(std::string_view line);

}  // namespace leaksweep

#endif  // LEAKSWEEP_POLICY_TEST_EVIDENCE_H_
