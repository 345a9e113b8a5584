#include "leaksweep/input/walker.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "long_path.h"

namespace leaksweep {
namespace {

enum class EntryKind { kFile, kDirectory, kSymlink, kSpecial, kUnknown };

EntryKind KindOf(mode_t mode) {
  if (S_ISREG(mode)) return EntryKind::kFile;
  if (S_ISDIR(mode)) return EntryKind::kDirectory;
  if (S_ISLNK(mode)) return EntryKind::kSymlink;
  return EntryKind::kSpecial;
}

// Walks depth-first in sorted order without recursion (a hostile tree may nest directories
// tens of thousands deep). The current path lives in one buffer that grows and shrinks as the
// walk descends and returns, so a deep tree costs memory in its depth, not its depth squared.
// Directories are opened relative to their parent's fd while it is open, so paths longer than
// PATH_MAX are walked too.
class TreeWalker {
 public:
  TreeWalker(const WalkOptions& options, WalkVisitor& visitor)
      : options_(options), visitor_(visitor) {}

  // Returns false when the visitor asked to stop.
  bool WalkRoot(const std::string& root) {
    if (root == "-") return visitor_.OnFile({"-", "-"});
    struct stat info;
    if (lstat(root.c_str(), &info) != 0) {
      visitor_.OnError({root, std::string("cannot access: ") + std::strerror(errno)});
      return true;
    }
    // A root the user named explicitly may itself be a symlink: follow that one.
    if (S_ISLNK(info.st_mode) && stat(root.c_str(), &info) != 0) {
      visitor_.OnError({root, std::string("broken symlink: ") + std::strerror(errno)});
      return true;
    }
    std::string display = root;
    while (display.size() > 1 && display.back() == '/') display.pop_back();
    while (display.size() > 2 && display.compare(0, 2, "./") == 0) display.erase(0, 2);
    switch (KindOf(info.st_mode)) {
      case EntryKind::kDirectory:
        return WalkTree(display);
      case EntryKind::kFile: {
        std::string name =
            display.substr(display.rfind('/') == std::string::npos ? 0 : display.rfind('/') + 1);
        return visitor_.OnFile({display, name});
      }
      default:
        visitor_.OnSkip({display, SkipReason::kSpecialFile});
        return true;
    }
  }

 private:
  struct Entry {
    std::string name;
    EntryKind kind;
  };

  // A directory being walked: its sorted entries, the next one to visit, and where its part of
  // the path buffers ends.
  struct Frame {
    std::vector<Entry> entries;
    size_t next = 0;
    size_t path_length = 0;
    size_t relative_length = 0;
    int fd = -1;  // open while the frame is among the deepest kKeptDirectoryFds
  };

  // Enough to descend in O(1) per level; shallower ancestors are reopened only if needed.
  static constexpr size_t kKeptDirectoryFds = 64;

  bool WalkTree(const std::string& root) {
    path_ = root == "." ? "" : root;  // "./src/a.c" reads "src/a.c"
    relative_.clear();
    std::vector<Frame> stack;
    Frame first;
    first.fd = OpenLongPath(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NONBLOCK);
    if (first.fd < 0) {
      visitor_.OnError({root, std::string("cannot open directory: ") + std::strerror(errno)});
      return true;
    }
    first.path_length = path_.size();
    ReadEntries(first.fd, &first.entries);
    stack.push_back(std::move(first));
    bool keep_going = true;
    while (!stack.empty() && keep_going) {
      Frame& top = stack.back();
      if (top.next == top.entries.size()) {
        if (top.fd >= 0) close(top.fd);
        stack.pop_back();
        continue;
      }
      const Entry& entry = top.entries[top.next++];
      path_.resize(top.path_length);
      relative_.resize(top.relative_length);
      if (!path_.empty() && path_.back() != '/') path_ += '/';
      path_ += entry.name;
      if (!relative_.empty()) relative_ += '/';
      relative_ += entry.name;
      if (entry.kind == EntryKind::kDirectory) {
        if (entry.name == ".git" || MatchesAny(options_.exclude, relative_)) continue;
        Descend(&stack, entry.name);
        continue;
      }
      keep_going = VisitLeaf(entry.kind);
    }
    for (Frame& frame : stack) {
      if (frame.fd >= 0) close(frame.fd);
    }
    return keep_going;
  }

  // Opens the directory `name` inside the top frame and pushes it.
  void Descend(std::vector<Frame>* stack, const std::string& name) {
    int parent_fd = DirectoryFd(stack, stack->size() - 1);
    Frame child;
    child.fd = parent_fd < 0 ? -1
                             : openat(parent_fd, name.c_str(),
                                      O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (child.fd < 0) {
      if (errno == ELOOP || errno == ENOTDIR) {  // swapped for a symlink or file since listed
        visitor_.OnSkip({path_, SkipReason::kSymlink});
      } else {
        visitor_.OnError({path_, std::string("cannot open directory: ") + std::strerror(errno)});
      }
      return;
    }
    child.path_length = path_.size();
    child.relative_length = relative_.size();
    ReadEntries(child.fd, &child.entries);
    stack->push_back(std::move(child));
    if (stack->size() > kKeptDirectoryFds) {
      Frame& old = (*stack)[stack->size() - 1 - kKeptDirectoryFds];
      if (old.fd >= 0) {
        close(old.fd);
        old.fd = -1;
      }
    }
  }

  // The fd of stack[index], reopened from its nearest open ancestor when it was closed.
  int DirectoryFd(std::vector<Frame>* stack, size_t index) {
    Frame& frame = (*stack)[index];
    if (frame.fd >= 0) return frame.fd;
    size_t ancestor = index;
    while (ancestor > 0 && (*stack)[ancestor].fd < 0) --ancestor;
    int fd = (*stack)[ancestor].fd;
    if (fd < 0) return -1;
    // The components between the ancestor and this frame, from the path buffer.
    std::string below = path_.substr(0, frame.path_length).substr((*stack)[ancestor].path_length);
    while (!below.empty() && below.front() == '/') below.erase(0, 1);
    size_t begin = 0;
    while (begin < below.size()) {
      size_t end = below.find('/', begin);
      if (end == std::string::npos) end = below.size();
      std::string name = below.substr(begin, end - begin);
      int next =
          openat(fd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
      if (fd != (*stack)[ancestor].fd) close(fd);
      if (next < 0) return -1;
      fd = next;
      begin = end + 1;
    }
    frame.fd = fd;
    return fd;
  }

  bool VisitLeaf(EntryKind kind) {
    if (MatchesAny(options_.exclude, relative_)) return true;
    switch (kind) {
      case EntryKind::kFile:
        if (!options_.include.empty() && !MatchesAny(options_.include, relative_)) return true;
        return visitor_.OnFile({path_, relative_});
      case EntryKind::kSymlink:
        visitor_.OnSkip({path_, SkipReason::kSymlink});
        return true;
      case EntryKind::kUnknown:
        return true;  // vanished before it could be examined (reported by ReadEntries)
      default:
        visitor_.OnSkip({path_, SkipReason::kSpecialFile});
        return true;
    }
  }

  // Lists a directory (entries sorted by name); entries whose type the file system does not
  // report are examined with fstatat, never following a link.
  void ReadEntries(int dir_fd, std::vector<Entry>* entries) {
    int list_fd = dup(dir_fd);  // fdopendir takes ownership; the frame keeps its own fd
    DIR* dir = list_fd < 0 ? nullptr : fdopendir(list_fd);
    if (dir == nullptr) {
      if (list_fd >= 0) close(list_fd);
      visitor_.OnError(
          {DirectoryName(), std::string("cannot open directory: ") + std::strerror(errno)});
      return;
    }
    errno = 0;
    while (dirent* entry = readdir(dir)) {
      std::string name = entry->d_name;
      if (name == "." || name == "..") continue;
      entries->push_back({std::move(name), KindOfEntry(dir_fd, *entry)});
      errno = 0;
    }
    if (errno != 0) {
      visitor_.OnError(
          {DirectoryName(), std::string("error reading directory: ") + std::strerror(errno)});
    }
    closedir(dir);
    std::sort(entries->begin(), entries->end(),
              [](const Entry& a, const Entry& b) { return a.name < b.name; });
  }

  EntryKind KindOfEntry(int dir_fd, const dirent& entry) {
    switch (entry.d_type) {
      case DT_REG:
        return EntryKind::kFile;
      case DT_DIR:
        return EntryKind::kDirectory;
      case DT_LNK:
        return EntryKind::kSymlink;
      case DT_UNKNOWN:
        break;
      default:
        return EntryKind::kSpecial;
    }
    struct stat info;
    if (fstatat(dir_fd, entry.d_name, &info, AT_SYMLINK_NOFOLLOW) != 0) {
      std::string where = path_.empty() ? entry.d_name : path_ + "/" + entry.d_name;
      visitor_.OnError({where, std::string("cannot access: ") + std::strerror(errno)});
      return EntryKind::kUnknown;
    }
    return KindOf(info.st_mode);
  }

  // The directory being listed, for messages (the root "." has an empty path_).
  std::string DirectoryName() const { return path_.empty() ? "." : path_; }

  const WalkOptions& options_;
  WalkVisitor& visitor_;
  std::string path_;      // the entry being visited, as reports show it
  std::string relative_;  // the same, relative to the root (for globs)
};

}  // namespace

void Walk(const std::vector<std::string>& roots, const WalkOptions& options, WalkVisitor& visitor) {
  TreeWalker walker(options, visitor);
  for (const std::string& root : roots) {
    if (!walker.WalkRoot(root)) return;
  }
}

}  // namespace leaksweep
