#include "leaksweep/regex/pcre2.h"

#include <string>

namespace leaksweep {

Result<Pcre2Code> CompilePcre2(std::string_view pattern, uint32_t options) {
  int error_code = 0;
  PCRE2_SIZE error_offset = 0;
  pcre2_code* code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(),
                                   options, &error_code, &error_offset, nullptr);
  if (code == nullptr) {
    PCRE2_UCHAR message[256];
    pcre2_get_error_message(error_code, message, sizeof message);
    return Status::Error("at offset " + std::to_string(error_offset) + ": " +
                         reinterpret_cast<const char*>(message));
  }
  return Pcre2Code(code);
}

}  // namespace leaksweep
