#include "json_builder.h"

#include "json_escape.h"

namespace leaksweep::report_internal {

JsonBuilder& JsonBuilder::Key(std::string_view key) {
  BeforeElement();
  AppendJsonString(out_, key);
  out_ += style_ == Style::kPretty ? ": " : ":";
  after_key_ = true;
  return *this;
}

JsonBuilder& JsonBuilder::String(std::string_view value) {
  BeforeElement();
  AppendJsonString(out_, value);
  return *this;
}

JsonBuilder& JsonBuilder::Uint(uint64_t value) { return Raw(std::to_string(value)); }

JsonBuilder& JsonBuilder::Bool(bool value) { return Raw(value ? "true" : "false"); }

JsonBuilder& JsonBuilder::Raw(std::string_view json) {
  BeforeElement();
  out_ += json;
  return *this;
}

JsonBuilder& JsonBuilder::Open(char bracket) {
  BeforeElement();
  out_ += bracket;
  level_is_empty_.push_back(true);
  return *this;
}

JsonBuilder& JsonBuilder::Close(char bracket) {
  const bool was_empty = level_is_empty_.back();
  level_is_empty_.pop_back();
  if (!was_empty) NewlineAndIndent();
  out_ += bracket;
  return *this;
}

void JsonBuilder::BeforeElement() {
  if (after_key_) {  // the value of a "key": pair follows the colon directly
    after_key_ = false;
    return;
  }
  if (level_is_empty_.empty()) return;  // the top-level value
  if (!level_is_empty_.back()) out_ += ',';
  level_is_empty_.back() = false;
  NewlineAndIndent();
}

void JsonBuilder::NewlineAndIndent() {
  if (style_ == Style::kCompact) return;
  out_ += '\n';
  out_.append(2 * level_is_empty_.size(), ' ');
}

}  // namespace leaksweep::report_internal
