#ifndef LEAKSWEEP_CORE_VERSION_H_
#define LEAKSWEEP_CORE_VERSION_H_

namespace leaksweep {
inline constexpr const char* kVersion = "0.1.0";
}  // namespace leaksweep

#endif  // LEAKSWEEP_CORE_VERSION_H_
