// Private to the input module: opening paths longer than the kernel accepts in one call.
//
// A hostile tree can nest directories thousands deep, so a file's path outgrows PATH_MAX and
// open() fails with ENAMETOOLONG. OpenLongPath() then walks the path a component at a time
// with openat(), never following a symlink on the way (O_NOFOLLOW on every step), so a deep
// file is still read, and a directory swapped for a symlink mid-scan cannot lead out of the tree.
#ifndef LEAKSWEEP_SRC_INPUT_LONG_PATH_H_
#define LEAKSWEEP_SRC_INPUT_LONG_PATH_H_

#include <string>

namespace leaksweep {

// open(path, flags), falling back to a component-wise openat() walk when the path is too long.
// Returns the fd, or -1 with errno set.
int OpenLongPath(const std::string& path, int flags);

}  // namespace leaksweep

#endif  // LEAKSWEEP_SRC_INPUT_LONG_PATH_H_
