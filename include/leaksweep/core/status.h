// Status and Result<T>: errors as values.
//
// A Status is either OK (no message, costs nothing) or an error with a human-readable message
// that never contains a scanned secret or PII value. Result<T> holds either a value or an
// error Status. Neither throws; exceptions from third-party libraries stop at the adapter that
// meets them and become a Status.
#ifndef LEAKSWEEP_CORE_STATUS_H_
#define LEAKSWEEP_CORE_STATUS_H_

#include <optional>
#include <string>
#include <utility>

namespace leaksweep {

class Status {
 public:
  Status() = default;
  static Status Ok() { return Status(); }
  static Status Error(std::string message) { return Status(std::move(message)); }

  bool ok() const { return !message_.has_value(); }
  // REQUIRES: !ok()
  const std::string& message() const { return *message_; }

 private:
  explicit Status(std::string message) : message_(std::move(message)) {}
  std::optional<std::string> message_;
};

template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}          // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {}  // NOLINT: implicit by design

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  // REQUIRES: ok()
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace leaksweep

#endif  // LEAKSWEEP_CORE_STATUS_H_
