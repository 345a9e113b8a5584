// Walking a checkout: which files to scan, in a deterministic order.
//
// Walk() visits each root (a file or a directory) and, below directories, every entry in
// byte-wise sorted order, so the same tree always yields the same sequence. It never follows
// symlinks (a link can point out of the scanned root or form a loop; a link's target inside the
// root is visited on its own), skips `.git` directories, and reports FIFOs, sockets and devices
// as skipped without opening them. Errors (unreadable directory, vanished entry) are reported
// through the visitor and the walk goes on.
#ifndef LEAKSWEEP_INPUT_WALKER_H_
#define LEAKSWEEP_INPUT_WALKER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "leaksweep/core/report_data.h"
#include "leaksweep/input/glob.h"

namespace leaksweep {

struct WalkOptions {
  std::vector<Glob> include;  // when non-empty, only files matching one of these
  std::vector<Glob> exclude;  // files and directories matching one of these are left out
};

// A file to scan. `path` is what reports show: the root as given, joined with the relative path
// (a root of "." is dropped, so "./src/a.c" reads "src/a.c").
struct WalkedFile {
  std::string path;
  std::string relative;  // relative to its root, for globs; the file name when root is a file
};

class WalkVisitor {
 public:
  virtual ~WalkVisitor() = default;
  // Return false to stop the walk (e.g. on interruption).
  virtual bool OnFile(WalkedFile file) = 0;
  virtual void OnSkip(SkippedFile skipped) = 0;
  virtual void OnError(ScanError error) = 0;
};

void Walk(const std::vector<std::string>& roots, const WalkOptions& options, WalkVisitor& visitor);

}  // namespace leaksweep

#endif  // LEAKSWEEP_INPUT_WALKER_H_
