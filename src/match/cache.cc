#include "cache.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <string_view>

#include "compiled.h"
#include "leaksweep/core/sha256.h"

namespace leaksweep {
namespace fs = std::filesystem;
namespace {

constexpr std::string_view kMagic = "LSHSDB1\n";
constexpr size_t kDigestSize = 32;

bool ReadAll(const fs::path& path, std::string* out) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) return false;
  struct stat info;
  bool ok = fstat(fd, &info) == 0 && S_ISREG(info.st_mode) && info.st_size < (1 << 30);
  if (ok) {
    out->resize(info.st_size);
    size_t done = 0;
    while (done < out->size()) {
      ssize_t n = read(fd, out->data() + done, out->size() - done);
      if (n <= 0) break;
      done += n;
    }
    ok = done == out->size();
  }
  close(fd);
  return ok;
}

bool WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = write(fd, data.data(), data.size());
    if (n <= 0) return false;
    data.remove_prefix(n);
  }
  return true;
}

}  // namespace

std::string DatabaseCacheKey(const std::vector<std::string>& patterns,
                             const std::vector<unsigned>& ids) {
  Sha256 hash;
  hash.Update(hs_version());
  hs_platform_info_t platform;
  if (hs_populate_platform(&platform) == HS_SUCCESS) {
    hash.Update(std::to_string(platform.tune) + "/" + std::to_string(platform.cpu_features));
  }
  hash.Update(std::to_string(kHyperscanFlags));
  for (unsigned id : ids) {
    const std::string& pattern = patterns.at(id);
    hash.Update(std::to_string(id) + "/" + std::to_string(pattern.size()) + ":");
    hash.Update(pattern);
  }
  return ToHex(hash.Finish());
}

hs_database_t* LoadCachedDatabase(const fs::path& dir, const std::string& key) {
  if (dir.empty()) return nullptr;
  std::string contents;
  if (!ReadAll(dir / ("hs-" + key + ".db"), &contents)) return nullptr;
  if (contents.size() <= kMagic.size() + kDigestSize ||
      std::string_view(contents).substr(0, kMagic.size()) != kMagic) {
    return nullptr;
  }
  std::string_view stored_digest(contents.data() + kMagic.size(), kDigestSize);
  std::string_view payload = std::string_view(contents).substr(kMagic.size() + kDigestSize);
  Sha256 hash;
  hash.Update(payload);
  Sha256::Digest digest = hash.Finish();
  if (std::memcmp(digest.data(), stored_digest.data(), kDigestSize) != 0) return nullptr;
  hs_database_t* database = nullptr;
  if (hs_deserialize_database(payload.data(), payload.size(), &database) != HS_SUCCESS) {
    return nullptr;
  }
  return database;
}

void StoreCachedDatabase(const fs::path& dir, const std::string& key,
                         const hs_database_t* database) {
  if (dir.empty()) return;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return;
  chmod(dir.c_str(), 0700);
  char* bytes = nullptr;
  size_t length = 0;
  if (hs_serialize_database(database, &bytes, &length) != HS_SUCCESS) return;
  std::string_view payload(bytes, length);
  Sha256 hash;
  hash.Update(payload);
  Sha256::Digest digest = hash.Finish();

  std::string temp = (dir / ("hs-" + key + ".db.XXXXXX")).string();
  int fd = mkstemp(temp.data());  // mkstemp creates the file 0600
  if (fd >= 0) {
    bool ok =
        WriteAll(fd, kMagic) &&
        WriteAll(fd, std::string_view(reinterpret_cast<const char*>(digest.data()), kDigestSize)) &&
        WriteAll(fd, payload);
    ok = (close(fd) == 0) && ok;
    if (!ok || rename(temp.c_str(), (dir / ("hs-" + key + ".db")).c_str()) != 0) {
      unlink(temp.c_str());
    }
  }
  free(bytes);
}

}  // namespace leaksweep
