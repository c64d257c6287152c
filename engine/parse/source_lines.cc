// SPDX-License-Identifier: Apache-2.0
// JSON: nlohmann's SAX parser over an iterator that publishes how far it has read, so each event
// knows its line. YAML: the YAML reader records yaml-cpp's marks while it converts.
#include "parse/source_lines.h"

#include <iterator>
#include <nlohmann/json.hpp>
#include <vector>

#include "parse/json_reader.h"
#include "parse/yaml_reader.h"

namespace trustsim::parse {
namespace {

using nlohmann::json;

// A char iterator that writes its position to a shared slot (nlohmann copies iterators).
struct PublishingIterator {
  using iterator_category = std::forward_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;
  const char* p = nullptr;
  const char** shared = nullptr;
  reference operator*() const { return *p; }
  PublishingIterator& operator++() {
    *shared = ++p;
    return *this;
  }
  PublishingIterator operator++(int) {
    PublishingIterator old = *this;
    ++*this;
    return old;
  }
  bool operator==(const PublishingIterator& o) const { return p == o.p; }
  bool operator!=(const PublishingIterator& o) const { return p != o.p; }
};

// Records the line of every value; builds no DOM.
class LineIndexer : public nlohmann::json_sax<json> {
 public:
  LineIndexer(SourceLines& out, const char* const* position, const char* begin)
      : out_(out), position_(position), begin_(begin), scanned_(begin) {}

  bool null() override { return scalar(false); }
  bool boolean(bool) override { return scalar(false); }
  bool number_integer(number_integer_t) override { return scalar(true); }
  bool number_unsigned(number_unsigned_t) override { return scalar(true); }
  bool number_float(number_float_t, const string_t&) override { return scalar(true); }
  bool string(string_t&) override { return scalar(false); }
  bool binary(binary_t&) override { return scalar(false); }
  bool start_object(std::size_t) override { return open(true); }
  bool start_array(std::size_t) override { return open(false); }
  bool end_object() override { return close(); }
  bool end_array() override { return close(); }
  bool key(string_t& k) override {
    Frame& f = stack_.back();
    f.key = pointerAppend(f.pointer, k);
    out_.add(f.key, currentLine(false));
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
    return false;
  }

 private:
  struct Frame {
    bool object = false;
    std::string pointer;
    std::string key;  // objects: pointer of the member being read
    std::size_t count = 0;
  };

  // The line the reader is on. A number is only known to end when the reader has seen the next
  // character, which may be a newline: `lookahead` steps back over it.
  int currentLine(bool lookahead) {
    const char* here = *position_;
    while (scanned_ < here) {
      if (*scanned_ == '\n') ++line_;
      ++scanned_;
    }
    return lookahead && here != begin_ && here[-1] == '\n' ? line_ - 1 : line_;
  }

  // The pointer of the value about to be read, recording array elements' lines.
  std::string valuePointer(bool lookahead) {
    if (stack_.empty()) return "";
    Frame& f = stack_.back();
    if (f.object) return f.key;
    std::string p = pointerAppend(f.pointer, f.count++);
    out_.add(p, currentLine(lookahead));
    return p;
  }

  bool scalar(bool lookahead) {
    valuePointer(lookahead);
    return true;
  }
  bool open(bool object) {
    std::string p = valuePointer(false);
    if (stack_.empty()) out_.add("", currentLine(false));
    stack_.push_back(Frame{object, std::move(p), {}, 0});
    return true;
  }
  bool close() {
    stack_.pop_back();
    return true;
  }

  SourceLines& out_;
  const char* const* position_;
  const char* begin_;
  const char* scanned_;
  int line_ = 1;
  std::vector<Frame> stack_;
};

}  // namespace

SourceLines SourceLines::of(std::string_view text) {
  SourceLines out;
  if (looksLikeYaml(text)) {
    if (!readYaml(text, "", &out)) return SourceLines{};
    return out;
  }
  const char* position = text.data();
  LineIndexer indexer(out, &position, text.data());
  PublishingIterator first{text.data(), &position};
  PublishingIterator last{text.data() + text.size(), &position};
  try {
    if (!json::sax_parse(first, last, &indexer, json::input_format_t::json, true))
      return SourceLines{};
  } catch (const std::exception&) {  // INVARIANT: the text was parsed once already; a backstop
    return SourceLines{};
  }
  return out;
}

int SourceLines::line(std::string_view pointer) const {
  std::string p(pointer);
  while (true) {
    const auto it = lines_.find(p);
    if (it != lines_.end()) return it->second;
    if (p.empty()) return 0;
    p.erase(p.rfind('/'));
  }
}

}  // namespace trustsim::parse
