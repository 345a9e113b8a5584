// Reading one file's content safely, and turning it into text the engine can scan.
#ifndef LEAKSWEEP_INPUT_FILE_READER_H_
#define LEAKSWEEP_INPUT_FILE_READER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "leaksweep/core/report_data.h"

namespace leaksweep {

struct ReadOptions {
  uint64_t max_file_size = 32ull << 20;  // larger files are skipped as too large
  bool scan_binary = false;              // scan files that look binary
};

enum class ReadOutcome { kRead, kSkipped, kError };

struct ReadResult {
  ReadOutcome outcome = ReadOutcome::kRead;
  SkipReason skip_reason = SkipReason::kBinary;  // when kSkipped
  std::string error;                             // when kError; never contains file content
  // When kRead: the text to scan, pointing into the caller's storage; valid until the next
  // read into the same storage.
  std::string_view text;
};

// Reads `path` into `storage`, which is reused between calls: it only ever grows, so reading
// costs no reallocation or zero-filling once it is large enough. Opens with
// O_NOFOLLOW|O_NONBLOCK and checks it is a regular file before reading, so a FIFO or device
// swapped in after the walk is never read from. Text in UTF-16 with a byte-order mark is
// converted to UTF-8; a UTF-8 BOM is dropped. Other text is returned as it is (UTF-8 or not;
// see IsValidUtf8). Line endings (LF, CRLF) are kept. "-" reads standard input.
ReadResult ReadFileForScan(const std::string& path, const ReadOptions& options,
                           std::string* storage);

// Turns bytes read from anywhere (a file, a git blob) into the text to scan, as
// ReadFileForScan does: UTF-16 decoded (into `storage`), UTF-8 BOM dropped, binary skipped.
ReadResult PrepareText(std::string_view bytes, const ReadOptions& options, std::string* storage);

// True when `data` is well-formed UTF-8.
bool IsValidUtf8(std::string_view data);

// Reads bytes as Latin-1 (each byte is the code point of the same value) and returns UTF-8, so
// that text from a file that is not UTF-8 shows "Köln" rather than escaped bytes.
std::string Latin1ToUtf8(std::string_view data);

// True when the first 8 KiB hold a NUL byte (and the data is not UTF-16 with a BOM).
bool LooksBinary(std::string_view data);

// Converts UTF-16 (LE or BE) with a BOM to UTF-8; nullopt when `data` has no UTF-16 BOM.
// Unpaired surrogates become U+FFFD.
std::optional<std::string> DecodeUtf16WithBom(std::string_view data);

}  // namespace leaksweep

#endif  // LEAKSWEEP_INPUT_FILE_READER_H_
