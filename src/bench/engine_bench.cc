// leaksweep-engine-bench: measures the parts of a checkout scan in isolation.
//
//   leaksweep-engine-bench --mode read|hyperscan|engine [--rules DIR] [--repeat N] [--cpu-time]
//                          TREE
//
//   read       walk TREE and read every file (ReadFileForScan, 32 MiB max, binary skipped);
//              times walk + read: the floor of any checkout scan.
//   hyperscan  preload every file (not timed), then time hs_scan of the bare compiled databases
//              over every buffer, one thread, no-op callback: the engine's ceiling. Times
//              the narrow, line-bounded and wide databases apart too (Engine::Compiled).
//   engine     preload, then time Scanner::Scan over every buffer (stage one + two).
//
// Prints one line of JSON: {"mode", "files", "bytes", "seconds", "mb_per_s", ...}. With
// --repeat N the timed part runs N times and the best (minimum) time is reported. With
// --cpu-time the times are the thread's CPU time, for comparing rule sets on a busy machine.
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "compiled.h"
#include "leaksweep/input/file_reader.h"
#include "leaksweep/input/walker.h"
#include "leaksweep/match/engine.h"
#include "leaksweep/match/scanner.h"
#include "leaksweep/rules/loader.h"

namespace leaksweep {
namespace {

using Clock = std::chrono::steady_clock;

// Collects file paths in walk order.
class PathCollector : public WalkVisitor {
 public:
  bool OnFile(WalkedFile file) override {
    paths.push_back(std::move(file.path));
    return true;
  }
  void OnSkip(SkippedFile) override { ++skipped; }
  void OnError(ScanError) override { ++errors; }
  std::vector<std::string> paths;
  size_t skipped = 0;
  size_t errors = 0;
};

// Reads files as they are walked, reusing one buffer, like a worker does.
class ReadingVisitor : public WalkVisitor {
 public:
  bool OnFile(WalkedFile file) override {
    ReadResult read = ReadFileForScan(file.path, options_, &buffer_);
    if (read.outcome == ReadOutcome::kRead) {
      ++files;
      bytes += read.text.size();
    } else {
      ++skipped;
    }
    return true;
  }
  void OnSkip(SkippedFile) override { ++skipped; }
  void OnError(ScanError) override { ++skipped; }
  uint64_t files = 0, bytes = 0, skipped = 0;

 private:
  ReadOptions options_;
  std::string buffer_;
};

int NoOpMatch(unsigned int, unsigned long long, unsigned long long, unsigned int, void* context) {
  ++*static_cast<uint64_t*>(context);
  return 0;
}

// Wall-clock seconds, or with `cpu_time` this thread's CPU seconds: steadier than wall time
// when other work shares the machine (the scan is one thread and does no I/O while timed).
double Seconds(bool cpu_time) {
  if (cpu_time) {
    timespec now;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return static_cast<double>(now.tv_sec) + now.tv_nsec / 1e9;
  }
  return std::chrono::duration<double>(Clock::now().time_since_epoch()).count();
}

int Usage() {
  std::fprintf(stderr,
               "usage: leaksweep-engine-bench --mode read|hyperscan|engine [--rules DIR] "
               "[--repeat N] [--cpu-time] TREE\n");
  return 2;
}

void PrintResult(const char* mode, uint64_t files, uint64_t bytes, double seconds,
                 const std::string& extra) {
  std::printf(
      "{\"mode\":\"%s\",\"files\":%llu,\"bytes\":%llu,\"seconds\":%.6f,\"mb_per_s\":%.2f%s}\n",
      mode, static_cast<unsigned long long>(files), static_cast<unsigned long long>(bytes), seconds,
      seconds > 0 ? bytes / 1e6 / seconds : 0.0, extra.c_str());
}

int Run(int argc, char** argv) {
  std::string mode, tree;
  std::vector<std::filesystem::path> rule_paths = {DefaultSignaturesDir()};
  int repeat = 1;
  bool cpu_time = false;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--mode" && i + 1 < argc) {
      mode = argv[++i];
    } else if (arg == "--rules" && i + 1 < argc) {
      rule_paths.emplace_back(argv[++i]);
    } else if (arg == "--cpu-time") {
      cpu_time = true;
    } else if (arg == "--repeat" && i + 1 < argc) {
      repeat = std::max(1, std::atoi(argv[++i]));
    } else if (!arg.empty() && arg[0] == '-') {
      return Usage();
    } else if (tree.empty()) {
      tree = arg;
    } else {
      return Usage();
    }
  }
  if (tree.empty() || (mode != "read" && mode != "hyperscan" && mode != "engine")) return Usage();

  if (mode == "read") {
    double best = 0;
    ReadingVisitor last;
    for (int r = 0; r < repeat; ++r) {
      ReadingVisitor visitor;
      double start = Seconds(cpu_time);
      Walk({tree}, WalkOptions{}, visitor);
      double seconds = Seconds(cpu_time) - start;
      if (r == 0 || seconds < best) best = seconds;
      last = visitor;
    }
    PrintResult("read", last.files, last.bytes, best,
                ",\"skipped\":" + std::to_string(last.skipped));
    return 0;
  }

  Result<RuleSet> rules = LoadRules(rule_paths);
  if (!rules.ok()) {
    std::fprintf(stderr, "leaksweep-engine-bench: %s\n", rules.status().message().c_str());
    return 2;
  }
  size_t rule_count = rules->size();
  EngineOptions engine_options;
  engine_options.cache_dir = DefaultCacheDir();
  Result<std::shared_ptr<const Engine>> engine =
      Engine::Build(std::move(rules).value(), engine_options);
  if (!engine.ok()) {
    std::fprintf(stderr, "leaksweep-engine-bench: %s\n", engine.status().message().c_str());
    return 2;
  }

  // Preload (not timed).
  PathCollector collector;
  Walk({tree}, WalkOptions{}, collector);
  std::vector<std::string> buffers;
  buffers.reserve(collector.paths.size());
  uint64_t bytes = 0;
  ReadOptions read_options;
  std::string buffer;
  for (const std::string& path : collector.paths) {
    ReadResult read = ReadFileForScan(path, read_options, &buffer);
    if (read.outcome != ReadOutcome::kRead) continue;
    bytes += read.text.size();
    buffers.emplace_back(read.text);
  }

  std::string extra = ",\"rules\":" + std::to_string(rule_count);
  double best = 0;
  if (mode == "hyperscan") {
    const Engine::Compiled& compiled = engine.value()->compiled();
    hs_scratch_t* scratch = nullptr;
    // What a scan from scratch runs (the narrow database, then the others together), then the
    // line-bounded and wide rules apart.
    const hs_database_t* databases[4] = {compiled.narrow, compiled.not_narrow(), compiled.lines,
                                         compiled.wide};
    for (const hs_database_t* database : databases) {
      if (database != nullptr && hs_alloc_scratch(database, &scratch) != HS_SUCCESS) {
        std::fprintf(stderr, "leaksweep-engine-bench: cannot allocate Hyperscan scratch\n");
        return 2;
      }
    }
    // Each database timed on its own: the narrow and line-bounded ones are what a scan from a
    // memo runs over the edited stretches only, the wide one runs over every byte of every
    // version.
    uint64_t hits = 0;
    double best_split[4] = {0, 0, 0, 0};
    for (int r = 0; r < repeat; ++r) {
      hits = 0;
      double seconds[4] = {0, 0, 0, 0};
      for (int d = 0; d < 4; ++d) {
        if (databases[d] == nullptr) continue;
        double start = Seconds(cpu_time);
        for (const std::string& data : buffers) {
          uint64_t ignored = 0;  // the split repeats the hits of the first two
          hs_scan(databases[d], data.data(), static_cast<unsigned>(data.size()), 0, scratch,
                  NoOpMatch, d < 2 ? &hits : &ignored);
        }
        seconds[d] = Seconds(cpu_time) - start;
      }
      double total = seconds[0] + seconds[1];
      if (r == 0 || total < best) {
        best = total;
        std::copy(seconds, seconds + 4, best_split);
      }
    }
    char split[128];
    std::snprintf(split, sizeof split,
                  ",\"narrow_seconds\":%.6f,\"line_seconds\":%.6f,\"wide_seconds\":%.6f",
                  best_split[0], best_split[2], best_split[3]);
    extra += split;
    hs_free_scratch(scratch);
    extra += ",\"stage_one_hits\":" + std::to_string(hits);
  } else {
    Scanner scanner(engine.value());
    uint64_t matches = 0, errors = 0;
    for (int r = 0; r < repeat; ++r) {
      matches = errors = 0;
      double start = Seconds(cpu_time);
      for (const std::string& data : buffers) {
        Result<BufferMatches> result = scanner.Scan(data);
        if (result.ok()) {
          matches += result->matches.size();
        } else {
          ++errors;
        }
      }
      double seconds = Seconds(cpu_time) - start;
      if (r == 0 || seconds < best) best = seconds;
    }
    extra += ",\"matches\":" + std::to_string(matches) + ",\"errors\":" + std::to_string(errors);
  }
  PrintResult(mode.c_str(), buffers.size(), bytes, best, extra);
  return 0;
}

}  // namespace
}  // namespace leaksweep

int main(int argc, char** argv) { return leaksweep::Run(argc, argv); }
