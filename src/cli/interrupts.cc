#include "leaksweep/cli/interrupts.h"

#include <pthread.h>
#include <unistd.h>

#include <cstring>
#include <ctime>

namespace leaksweep {

InterruptWatcher::InterruptWatcher() {
  sigemptyset(&signals_);
  sigaddset(&signals_, SIGINT);
  sigaddset(&signals_, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals_, &previous_mask_);
  thread_ = std::thread([this] { Watch(); });
}

InterruptWatcher::~InterruptWatcher() {
  done_ = true;
  thread_.join();
  // A signal that arrived after the scan ended stays pending until here; the default action
  // would then kill the process before it exits with its code, so drop it.
  timespec zero{0, 0};
  while (sigtimedwait(&signals_, nullptr, &zero) > 0) {
  }
  pthread_sigmask(SIG_SETMASK, &previous_mask_, nullptr);
}

void InterruptWatcher::Watch() {
  // Polls so that the destructor can end the wait; 100 ms is how late a stop can be noticed.
  timespec interval{0, 100 * 1000 * 1000};
  while (!done_.load()) {
    int number = sigtimedwait(&signals_, nullptr, &interval);
    if (number <= 0) continue;
    if (stop_.load()) {
      static constexpr char kQuit[] = "\nleaksweep: interrupted again: quitting without a report\n";
      [[maybe_unused]] ssize_t ignored = write(STDERR_FILENO, kQuit, sizeof kQuit - 1);
      _exit(128 + number);
    }
    signal_ = number;
    stop_ = true;
    static constexpr char kStopping[] =
        "\nleaksweep: interrupted: writing the report of what was scanned so far (interrupt "
        "again to quit at once)\n";
    [[maybe_unused]] ssize_t ignored = write(STDERR_FILENO, kStopping, sizeof kStopping - 1);
  }
}

}  // namespace leaksweep
