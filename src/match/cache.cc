#include "cache.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "compiled.h"
#include "leaksweep/core/sha256.h"

namespace leaksweep {
namespace fs = std::filesystem;
namespace {

constexpr std::string_view kDatabaseMagic = "LSHSDB1\n";
constexpr std::string_view kWidthsMagic = "LSWIDTHS1\n";
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

// The payload of the cache file `name` in `dir`, when it has the magic line `magic` and its
// digest matches.
std::optional<std::string> LoadVerified(const fs::path& dir, const std::string& name,
                                        std::string_view magic) {
  std::string contents;
  if (dir.empty() || !ReadAll(dir / name, &contents)) return std::nullopt;
  if (contents.size() < magic.size() + kDigestSize ||
      std::string_view(contents).substr(0, magic.size()) != magic) {
    return std::nullopt;
  }
  std::string_view stored_digest(contents.data() + magic.size(), kDigestSize);
  std::string_view payload = std::string_view(contents).substr(magic.size() + kDigestSize);
  Sha256 hash;
  hash.Update(payload);
  Sha256::Digest digest = hash.Finish();
  if (std::memcmp(digest.data(), stored_digest.data(), kDigestSize) != 0) return std::nullopt;
  return std::string(payload);
}

// Writes `magic`, the payload's digest and `payload` to `dir`/`name`: under a temporary name
// first, then renamed over it, so that no reader sees half a file.
void StoreVerified(const fs::path& dir, const std::string& name, std::string_view magic,
                   std::string_view payload) {
  if (dir.empty()) return;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return;
  chmod(dir.c_str(), 0700);
  Sha256 hash;
  hash.Update(payload);
  Sha256::Digest digest = hash.Finish();
  std::string temp = (dir / (name + ".XXXXXX")).string();
  int fd = mkstemp(temp.data());  // mkstemp creates the file 0600
  if (fd < 0) return;
  bool ok =
      WriteAll(fd, magic) &&
      WriteAll(fd, std::string_view(reinterpret_cast<const char*>(digest.data()), kDigestSize)) &&
      WriteAll(fd, payload);
  ok = (close(fd) == 0) && ok;
  if (!ok || rename(temp.c_str(), (dir / name).c_str()) != 0) unlink(temp.c_str());
}

// One file per Hyperscan build and set of flags: the widths depend on nothing else.
std::string WidthsFileName() {
  Sha256 hash;
  hash.Update(hs_version());
  hash.Update(std::to_string(kHyperscanFlags));
  return "widths-" + ToHex(hash.Finish()) + ".txt";
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
  std::optional<std::string> payload = LoadVerified(dir, "hs-" + key + ".db", kDatabaseMagic);
  if (!payload) return nullptr;
  hs_database_t* database = nullptr;
  if (hs_deserialize_database(payload->data(), payload->size(), &database) != HS_SUCCESS) {
    return nullptr;
  }
  return database;
}

void StoreCachedDatabase(const fs::path& dir, const std::string& key,
                         const hs_database_t* database) {
  char* bytes = nullptr;
  size_t length = 0;
  if (dir.empty() || hs_serialize_database(database, &bytes, &length) != HS_SUCCESS) return;
  StoreVerified(dir, "hs-" + key + ".db", kDatabaseMagic, std::string_view(bytes, length));
  free(bytes);
}

WidthsByPattern LoadCachedWidths(const fs::path& dir) {
  std::optional<std::string> payload = LoadVerified(dir, WidthsFileName(), kWidthsMagic);
  WidthsByPattern widths;
  if (!payload) return widths;
  // Records: "<known> <min> <max> <pattern length>\n<pattern>\n", known being 0 or 1.
  std::string_view rest = *payload;
  while (!rest.empty()) {
    unsigned known = 0, length = 0;
    MatchWidths measured;
    int consumed = 0;
    std::string header(rest.substr(0, rest.find('\n') + 1));
    if (std::sscanf(header.c_str(), "%u %u %u %u\n%n", &known, &measured.min, &measured.max,
                    &length, &consumed) != 4 ||
        consumed != static_cast<int>(header.size()) || known > 1 ||
        rest.size() < header.size() + length + 1 || rest[header.size() + length] != '\n') {
      return {};
    }
    std::string pattern(rest.substr(header.size(), length));
    widths[std::move(pattern)] =
        known == 1 ? std::optional<MatchWidths>(measured) : std::optional<MatchWidths>();
    rest.remove_prefix(header.size() + length + 1);
  }
  return widths;
}

void StoreCachedWidths(const fs::path& dir, const WidthsByPattern& widths) {
  std::string payload;
  for (const auto& [pattern, measured] : widths) {
    MatchWidths shown = measured.value_or(MatchWidths{});
    payload += std::to_string(measured ? 1 : 0) + " " + std::to_string(shown.min) + " " +
               std::to_string(shown.max) + " " + std::to_string(pattern.size()) + "\n";
    payload.append(pattern).append(1, '\n');
  }
  StoreVerified(dir, WidthsFileName(), kWidthsMagic, payload);
}

}  // namespace leaksweep
