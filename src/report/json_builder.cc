#include "json_builder.h"

#include <cassert>

#include "json_escape.h"

namespace leaksweep::report_internal {

JsonBuilder JsonBuilder::ArrayElements(Style style, size_t depth) {
  JsonBuilder elements(style);
  // As if inside `depth` open containers, the innermost (the array) still empty: the first
  // element then gets no comma, and every element the indentation of its depth.
  elements.level_is_empty_.assign(depth, false);
  if (depth > 0) elements.level_is_empty_.back() = true;
  return elements;
}

JsonBuilder& JsonBuilder::Elements(const JsonBuilder& elements) {
  assert(!after_key_ && !level_is_empty_.empty() && level_is_empty_.back());
  assert(elements.style_ == style_ && elements.level_is_empty_.size() == level_is_empty_.size());
  out_ += elements.out_;
  level_is_empty_.back() = elements.level_is_empty_.back();
  return *this;
}

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
