// A minimal streaming JSON writer: keys come out in the order they are written (which is what
// makes reports deterministic and diffable), strings go through AppendJsonString.
//
// Pretty style matches the usual 2-space layout (`"key": value`, one member per line, empty
// containers as `{}` / `[]`); compact style has no whitespace at all (JSON Lines).
#ifndef LEAKSWEEP_SRC_REPORT_JSON_BUILDER_H_
#define LEAKSWEEP_SRC_REPORT_JSON_BUILDER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace leaksweep::report_internal {

class JsonBuilder {
 public:
  enum class Style { kPretty, kCompact };

  explicit JsonBuilder(Style style) : style_(style) {}

  // A builder for the elements of an array that is written later, at nesting depth `depth`
  // (the top-level value's members are at depth 1): a long array is rendered as its elements
  // arrive, and spliced into its document with Elements() once the document is written.
  static JsonBuilder ArrayElements(Style style, size_t depth);

  JsonBuilder& BeginObject() { return Open('{'); }
  JsonBuilder& EndObject() { return Close('}'); }
  JsonBuilder& BeginArray() { return Open('['); }
  JsonBuilder& EndArray() { return Close(']'); }

  // Inside an object, each value is preceded by its key.
  JsonBuilder& Key(std::string_view key);

  JsonBuilder& String(std::string_view value);
  JsonBuilder& Uint(uint64_t value);
  JsonBuilder& Bool(bool value);
  // Splices the elements rendered by an ArrayElements() builder of the same style and depth
  // into the array open now, which must still be empty.
  JsonBuilder& Elements(const JsonBuilder& elements);

  // The text written so far; complete once every container is closed.
  const std::string& str() const { return out_; }

 private:
  // `json` must already be valid JSON text; private so that only the typed writers use it.
  JsonBuilder& Raw(std::string_view json);
  JsonBuilder& Open(char bracket);
  JsonBuilder& Close(char bracket);
  // Separator and indentation due before a value (or a key) at the current level.
  void BeforeElement();
  void NewlineAndIndent();

  Style style_;
  std::string out_;
  std::vector<bool> level_is_empty_;  // one entry per open container
  bool after_key_ = false;            // the next value completes a "key": pair
};

}  // namespace leaksweep::report_internal

#endif  // LEAKSWEEP_SRC_REPORT_JSON_BUILDER_H_
