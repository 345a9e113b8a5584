// Stopping a scan cleanly on SIGINT or SIGTERM.
//
// An InterruptWatcher blocks both signals in the thread that creates it (threads it starts later
// inherit the mask, so no scan thread is ever interrupted mid-write) and waits for them on a
// thread of its own. The first signal sets stop(): the scan passes over what is left, and the
// report is written with what was scanned, marked incomplete. A second signal quits at once.
#ifndef LEAKSWEEP_CLI_INTERRUPTS_H_
#define LEAKSWEEP_CLI_INTERRUPTS_H_

#include <signal.h>

#include <atomic>
#include <thread>

namespace leaksweep {

class InterruptWatcher {
 public:
  InterruptWatcher();
  ~InterruptWatcher();
  InterruptWatcher(const InterruptWatcher&) = delete;
  InterruptWatcher& operator=(const InterruptWatcher&) = delete;

  const std::atomic<bool>* stop() const { return &stop_; }
  // The signal that stopped the scan, or 0.
  int signal_number() const { return signal_.load(); }

 private:
  void Watch();

  std::atomic<bool> stop_{false};
  std::atomic<int> signal_{0};
  std::atomic<bool> done_{false};
  sigset_t signals_;
  sigset_t previous_mask_;
  std::thread thread_;
};

}  // namespace leaksweep

#endif  // LEAKSWEEP_CLI_INTERRUPTS_H_
