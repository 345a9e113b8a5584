// Turning a buffer's matches into reportable findings: positions, snippets, redaction,
// fingerprints, and the user's suppressions. Pure functions of their inputs; thread-safe.
#ifndef LEAKSWEEP_PIPELINE_FINDINGS_H_
#define LEAKSWEEP_PIPELINE_FINDINGS_H_

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "leaksweep/core/finding.h"
#include "leaksweep/core/report_data.h"
#include "leaksweep/core/sha256.h"
#include "leaksweep/core/status.h"
#include "leaksweep/match/engine.h"
#include "leaksweep/match/scanner.h"
#include "leaksweep/policy/policy.h"

namespace leaksweep {

// The key for PII fingerprints. PII values such as SSNs are short enough that a plain hash
// could be reversed by trying every value, so their fingerprints are HMACs under this key.
// Teams that share baselines share the key via LEAKSWEEP_FINGERPRINT_KEY.
class FingerprintKey {
 public:
  explicit FingerprintKey(std::string key) : key_(std::move(key)), mac_(key_) {}
  // $LEAKSWEEP_FINGERPRINT_KEY, else the key file in $XDG_CONFIG_HOME/leaksweep (or
  // ~/.config/leaksweep), created with 32 random bytes (0600, directory 0700) on first use.
  static Result<FingerprintKey> Load();
  const std::string& key() const { return key_; }
  const HmacSha256Key& mac() const { return mac_; }

 private:
  std::string key_;
  HmacSha256Key mac_;
};

// Secrets: SHA-256 of (rule id, value). PII: HMAC-SHA-256 under `key`. 32 hex digits.
std::string Fingerprint(Category category, std::string_view rule_id, std::string_view value,
                        const FingerprintKey& key);

// A short prefix and "…": at most 4 characters of a secret, 2 of PII, never more than a
// quarter of the value.
std::string Redact(std::string_view value, Category category);

// A value found inside what a decoder rule's match decoded to.
struct DecodedValue {
  size_t outer = 0;       // index into TextScan::matches of the decoder rule's match
  size_t rule_index = 0;  // the rule that found the value in the decoded text
  std::string value;
  bool test_value = false;
};

// Everything found in one text.
struct TextScan {
  std::vector<Match> matches;
  std::vector<DecodedValue> decoded;
  bool truncated = false;
  std::vector<size_t> rules_over_limit;
};

// Scans `*text`: matches are found on the bytes as they are, and only a text with matches is
// checked for UTF-8 — one that is not is read as Latin-1 into `*storage`, `*text` is pointed at
// it and it is scanned again, since reports need UTF-8 and positions count characters. Then the
// values of decoder rules are decoded and their line, with the decoded text in place of the
// encoded one, is scanned too (one level deep). `reuse` applies to the first scan, of the bytes
// as they are (see ScanReuse).
Result<TextScan> ScanText(Scanner& scanner, std::string_view* text, std::string* storage,
                          const ScanReuse& reuse = {});

struct FileFindings {
  std::vector<Finding> findings;  // sorted by position, then rule id
  ScanStats suppressed;           // only the suppressed_* counts are set
};

// `data` is the scanned text, `scan` what ScanText found in it.
FileFindings MakeFindings(const RuleSet& rules, std::string_view data, const TextScan& scan,
                          const std::string& path, const Policy& policy, const FingerprintKey& key);

// What scanning one input (a file, a blob, a message) produced.
struct TextResult {
  bool scanned = false;
  uint64_t bytes = 0;
  FileFindings findings;
  std::optional<SkippedFile> skipped;
  std::vector<ScanError> errors;
};

// Adds a result's counts, skip and errors to `summary` and hands each finding to `on_finding`.
void Absorb(TextResult& result, ScanSummary& summary,
            const std::function<void(Finding&&)>& on_finding);

// Marks a scan stopped early (interrupted): the flag, and a note every report format shows.
void MarkIncomplete(ScanSummary* summary);

// ScanText then MakeFindings, for one text (a file's, a blob's, a commit message's): the step
// every input shares. Problems on the way (a failed scan, truncated results, a rule over its
// match limit) are appended to `errors` under `path`; they never hold scanned content.
FileFindings FindInText(Scanner& scanner, std::string_view text, const std::string& path,
                        const Policy& policy, const FingerprintKey& key,
                        std::vector<ScanError>* errors, const ScanReuse& reuse = {});

}  // namespace leaksweep

#endif  // LEAKSWEEP_PIPELINE_FINDINGS_H_
