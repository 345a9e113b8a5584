#include "long_path.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

namespace leaksweep {
namespace {

// Walks `path` from `start_fd`, one directory at a time; opens the last component with `flags`.
int OpenComponents(int start_fd, const std::string& path, int flags) {
  int dir_fd = start_fd;
  size_t begin = 0;
  while (true) {
    while (begin < path.size() && path[begin] == '/') ++begin;
    size_t end = path.find('/', begin);
    bool last = end == std::string::npos || path.find_first_not_of('/', end) == std::string::npos;
    std::string name = path.substr(begin, end == std::string::npos ? end : end - begin);
    int next = last ? openat(dir_fd, name.c_str(), flags)
                    : openat(dir_fd, name.c_str(),
                             O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    int saved = errno;
    if (dir_fd != start_fd) close(dir_fd);
    errno = saved;
    if (next < 0 || last) return next;
    dir_fd = next;
    begin = end;
  }
}

}  // namespace

int OpenLongPath(const std::string& path, int flags) {
  int fd = open(path.c_str(), flags);
  if (fd >= 0 || errno != ENAMETOOLONG || path.empty()) return fd;
  if (path[0] != '/') return OpenComponents(AT_FDCWD, path, flags);
  int root = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (root < 0) return -1;
  fd = OpenComponents(root, path, flags);
  int saved = errno;
  close(root);
  errno = saved;
  return fd;
}

}  // namespace leaksweep
