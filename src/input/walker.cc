#include "leaksweep/input/walker.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace leaksweep {
namespace {

enum class EntryKind { kFile, kDirectory, kSymlink, kSpecial, kUnknown };

EntryKind KindOf(mode_t mode) {
  if (S_ISREG(mode)) return EntryKind::kFile;
  if (S_ISDIR(mode)) return EntryKind::kDirectory;
  if (S_ISLNK(mode)) return EntryKind::kSymlink;
  return EntryKind::kSpecial;
}

std::string Join(const std::string& base, const std::string& name) {
  if (base.empty() || base == ".") return name;
  return base.back() == '/' ? base + name : base + "/" + name;
}

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
        return WalkDirectory(display, "");
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

  bool WalkDirectory(const std::string& path, const std::string& relative) {
    std::vector<Entry> entries;
    if (!ReadEntries(path, &entries)) return true;
    for (const Entry& entry : entries) {
      std::string child_path = Join(path, entry.name);
      std::string child_relative = relative.empty() ? entry.name : relative + "/" + entry.name;
      if (!Visit(entry, child_path, child_relative)) return false;
    }
    return true;
  }

  bool Visit(const Entry& entry, const std::string& path, const std::string& relative) {
    EntryKind kind = entry.kind;
    if (kind == EntryKind::kUnknown) {
      struct stat info;
      if (lstat(path.c_str(), &info) != 0) {
        visitor_.OnError({path, std::string("cannot access: ") + std::strerror(errno)});
        return true;
      }
      kind = KindOf(info.st_mode);
    }
    if (kind == EntryKind::kDirectory && entry.name == ".git") return true;
    if (MatchesAny(options_.exclude, relative)) return true;
    switch (kind) {
      case EntryKind::kDirectory:
        return WalkDirectory(path, relative);
      case EntryKind::kFile:
        if (!options_.include.empty() && !MatchesAny(options_.include, relative)) return true;
        return visitor_.OnFile({path, relative});
      case EntryKind::kSymlink:
        visitor_.OnSkip({path, SkipReason::kSymlink});
        return true;
      default:
        visitor_.OnSkip({path, SkipReason::kSpecialFile});
        return true;
    }
  }

  bool ReadEntries(const std::string& path, std::vector<Entry>* entries) {
    DIR* dir = opendir(path.c_str());
    if (dir == nullptr) {
      visitor_.OnError({path, std::string("cannot open directory: ") + std::strerror(errno)});
      return false;
    }
    errno = 0;
    while (dirent* entry = readdir(dir)) {
      std::string name = entry->d_name;
      if (name == "." || name == "..") continue;
      EntryKind kind = EntryKind::kUnknown;
      switch (entry->d_type) {
        case DT_REG:
          kind = EntryKind::kFile;
          break;
        case DT_DIR:
          kind = EntryKind::kDirectory;
          break;
        case DT_LNK:
          kind = EntryKind::kSymlink;
          break;
        case DT_UNKNOWN:
          break;
        default:
          kind = EntryKind::kSpecial;
          break;
      }
      entries->push_back({std::move(name), kind});
    }
    if (errno != 0) {
      visitor_.OnError({path, std::string("error reading directory: ") + std::strerror(errno)});
    }
    closedir(dir);
    std::sort(entries->begin(), entries->end(),
              [](const Entry& a, const Entry& b) { return a.name < b.name; });
    return true;
  }

  const WalkOptions& options_;
  WalkVisitor& visitor_;
};

}  // namespace

void Walk(const std::vector<std::string>& roots, const WalkOptions& options, WalkVisitor& visitor) {
  TreeWalker walker(options, visitor);
  for (const std::string& root : roots) {
    if (!walker.WalkRoot(root)) return;
  }
}

}  // namespace leaksweep
