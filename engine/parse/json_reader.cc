// SPDX-License-Identifier: Apache-2.0
// A DOM-building SAX handler over nlohmann's iterative parser. It tracks the JSON pointer of the
// value being read, so duplicate keys, nesting limits and syntax errors are reported where they are.
#include "parse/json_reader.h"

#include <algorithm>
#include <vector>

#include "parse/json_view.h"

#include <vector>

namespace trustsim::parse {
namespace {

using nlohmann::json;

class StrictDomBuilder : public nlohmann::json_sax<json> {
 public:
  StrictDomBuilder(json& root, const JsonReadOptions& options) : root_(root), options_(options) {}

  bool null() override { return put(json(nullptr)); }
  bool boolean(bool v) override { return put(json(v)); }
  bool number_integer(number_integer_t v) override { return put(json(v)); }
  bool number_unsigned(number_unsigned_t v) override { return put(json(v)); }
  bool number_float(number_float_t v, const string_t&) override { return put(json(v)); }
  bool string(string_t& v) override { return put(json(std::move(v))); }
  bool binary(binary_t& v) override { return put(json::binary(std::move(v))); }

  bool start_object(std::size_t) override { return open(json::object()); }
  bool end_object() override { return close(); }
  bool start_array(std::size_t) override { return open(json::array()); }
  bool end_array() override { return close(); }

  bool key(string_t& k) override {
    Frame& f = stack_.back();
    if (!options_.allow_duplicate_keys && f.value->contains(k)) {
      fail("json.duplicate_key", "duplicate key `" + k + "`", pointerAppend(containerPointer(), k));
      return false;
    }
    f.key = std::move(k);
    f.have_key = true;
    return true;
  }

  bool parse_error(std::size_t position, const std::string&,
                   const nlohmann::detail::exception& ex) override {
    if (!failed_) {
      const std::string what = ex.what();
      const bool utf8 = what.find("UTF-8") != std::string::npos;
      error_position_ = position;
      nlohmann_position_ = true;
      std::string message = what;
      // nlohmann's messages start with "[json.exception.parse_error.101] parse error at line..."
      const std::size_t colon = message.find(": ");
      if (colon != std::string::npos) {
        message = message.substr(colon + 2);
      }
      has_position_ = true;
      fail(utf8 ? "json.invalid_utf8" : "json.syntax", message, pointer());
    }
    return false;
  }

  // The reader's position when a handler-detected error happened (set by the input iterator).
  void trackPosition(const char* const* position, const char* begin) {
    position_ = position;
    begin_ = begin;
  }
  bool failed() const { return failed_; }
  bool nlohmannPosition() const { return nlohmann_position_; }
  const Diagnostic& diagnostic() const { return diagnostic_; }
  bool hasPosition() const { return has_position_; }
  std::size_t errorPosition() const { return error_position_; }

 private:
  struct Frame {
    json* value;
    std::string key;        // objects: the pending key
    std::size_t count;      // arrays: elements so far
    bool have_key = false;  // objects: a key was read and its value is pending
  };

  // The pointer of the innermost open container.
  std::string containerPointer() const {
    std::string p;
    for (std::size_t i = 0; i + 1 < stack_.size(); ++i) {
      const Frame& f = stack_[i];
      p = f.value->is_object() ? pointerAppend(p, f.key) : pointerAppend(p, f.count);
    }
    return p;
  }

  // The pointer of the value about to be read (the object itself when a key is expected).
  std::string pointer() const {
    if (stack_.empty()) return "";
    const Frame& top = stack_.back();
    if (top.value->is_object() && !top.have_key) return containerPointer();
    const std::string c = containerPointer();
    return top.value->is_object() ? pointerAppend(c, top.key) : pointerAppend(c, top.count);
  }

  json* slot(json&& v) {
    if (stack_.empty()) {
      root_ = std::move(v);
      return &root_;
    }
    Frame& f = stack_.back();
    if (f.value->is_object()) {
      return &((*f.value)[f.key] = std::move(v));
    }
    f.value->push_back(std::move(v));
    return &f.value->back();
  }

  bool put(json&& v) {
    slot(std::move(v));
    advance();
    return true;
  }

  void advance() {
    if (stack_.empty()) return;
    Frame& f = stack_.back();
    if (f.value->is_array()) {
      ++f.count;
    } else {
      f.have_key = false;
    }
  }

  bool open(json&& v) {
    if (stack_.size() >= options_.max_depth) {
      fail("json.too_deep",
           "nesting deeper than " + std::to_string(options_.max_depth) + " levels", pointer());
      return false;
    }
    json* p = slot(std::move(v));
    stack_.push_back(Frame{p, {}, 0});
    return true;
  }

  bool close() {
    stack_.pop_back();
    advance();
    return true;
  }

  void fail(std::string code, std::string message, std::string where) {
    failed_ = true;
    if (position_ != nullptr && !has_position_) {
      error_position_ = static_cast<std::size_t>(*position_ - begin_);
      has_position_ = true;
    }
    diagnostic_ = Diagnostic{std::move(code), std::move(message), std::move(where), {},
                             Severity::Error};
  }

  json& root_;
  const JsonReadOptions& options_;
  std::vector<Frame> stack_;
  bool failed_ = false;
  bool has_position_ = false;
  bool nlohmann_position_ = false;
  const char* const* position_ = nullptr;
  const char* begin_ = nullptr;
  std::size_t error_position_ = 0;
  Diagnostic diagnostic_;
};

// A char iterator that publishes how far the parser has read, so errors found by the handler
// (duplicate keys, depth) can name a line and column too.
struct TrackingIterator {
  using iterator_category = std::forward_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;
  const char* p = nullptr;
  const char** shared = nullptr;
  reference operator*() const { return *p; }
  TrackingIterator& operator++() {
    *shared = ++p;
    return *this;
  }
  TrackingIterator operator++(int) {
    TrackingIterator old = *this;
    ++*this;
    return old;
  }
  bool operator==(const TrackingIterator& o) const { return p == o.p; }
  bool operator!=(const TrackingIterator& o) const { return p != o.p; }
};

}  // namespace

std::string pointerAppend(const std::string& base, std::string_view token) {
  std::string out = base;
  out.reserve(base.size() + token.size() + 1);
  out.push_back('/');
  for (char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string pointerAppend(const std::string& base, std::size_t index) {
  return base + "/" + std::to_string(index);
}

std::string_view describeType(const nlohmann::json& value) {
  switch (value.type()) {
    case json::value_t::null:
      return "null";
    case json::value_t::object:
      return "an object";
    case json::value_t::array:
      return "an array";
    case json::value_t::string:
      return "a string";
    case json::value_t::boolean:
      return "a boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float:
      return "a number";
    case json::value_t::binary:
      return "binary data";
    case json::value_t::discarded:
      return "nothing";
  }
  return "a value";
}

Result<nlohmann::json> finishError(const StrictDomBuilder& builder, std::string_view text, const std::string& file) {
  Diagnostic d = builder.diagnostic();
  d.file = file;
  if (builder.hasPosition()) {
    // Replace nlohmann's position text with line:column of the byte offset, computed here.
    std::size_t line = 1, column = 1;
    const std::size_t end = std::min(builder.errorPosition(), text.size());
    for (std::size_t i = 0; i + 1 < end; ++i) {
      if (text[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    std::string msg = d.message;
    const std::size_t syntax = msg.find("syntax error while parsing value - ");
    if (syntax != std::string::npos) {
      msg = msg.substr(syntax + 35);
    }
    d.message = builder.nlohmannPosition()
                    ? "invalid JSON at line " + std::to_string(line) + ", column " + std::to_string(column) + ": " + msg
                    : msg + " (line " + std::to_string(line) + ", column " + std::to_string(column) + ")";
  }
  return Diagnostics{std::move(d)};
}


Result<nlohmann::json> readJson(std::string_view text, const std::string& file,
                                const JsonReadOptions& options) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) {
    return Diagnostics{Diagnostic{"json.empty", "no JSON document (the input is empty)", "", file,
                                  Severity::Error}};
  }
  json root;
  StrictDomBuilder builder(root, options);
  bool ok = false;
  try {
    ok = json::sax_parse(text.data(), text.data() + text.size(), &builder, json::input_format_t::json, true);
    if (!ok && builder.failed() && !builder.hasPosition()) {
      // A handler error (duplicate key, depth): parse again, tracking the reader's position, to
      // name its line and column. Errors are rare; the fast path pays nothing for this.
      root = json();
      StrictDomBuilder again(root, options);
      const char* position = text.data();
      again.trackPosition(&position, text.data());
      TrackingIterator first{text.data(), &position};
      TrackingIterator last{text.data() + text.size(), &position};
      json::sax_parse(first, last, &again, json::input_format_t::json, true);
      return finishError(again, text, file);
    }
  } catch (const std::exception& ex) {  // INVARIANT: the SAX handler reports; this is a backstop
    return Diagnostics{Diagnostic{"json.syntax", ex.what(), "", file, Severity::Error}};
  }
  if (ok && !builder.failed()) {
    return root;
  }
  return finishError(builder, text, file);
}

namespace {

// The rules simdjson does not check: no object repeats a key, nesting stays within the limit.
// `depth` counts the containers around `e`, as the strict reader does.
bool strictlyWellFormed(simdjson::dom::element e, std::size_t depth, const JsonReadOptions& options,
                        std::vector<std::string_view>& keys) {
  simdjson::dom::object object;
  simdjson::dom::array array;
  const bool is_object = e.get(object) == simdjson::SUCCESS;
  const bool is_array = !is_object && e.get(array) == simdjson::SUCCESS;
  if ((is_object || is_array) && depth >= options.max_depth) return false;
  if (is_object) {
    if (options.allow_duplicate_keys) {
      for (const simdjson::dom::key_value_pair kv : object) {
        if (!strictlyWellFormed(kv.value, depth + 1, options, keys)) return false;
      }
      return true;
    }
    const std::size_t first = keys.size();
    for (const simdjson::dom::key_value_pair kv : object) keys.push_back(kv.key);
    std::sort(keys.begin() + static_cast<long>(first), keys.end());
    const bool unique = std::adjacent_find(keys.begin() + static_cast<long>(first), keys.end()) == keys.end();
    keys.resize(first);
    if (!unique) return false;
    for (const simdjson::dom::key_value_pair kv : object) {
      if (!strictlyWellFormed(kv.value, depth + 1, options, keys)) return false;
    }
    return true;
  }
  if (is_array) {
    for (const simdjson::dom::element v : array) {
      if (!strictlyWellFormed(v, depth + 1, options, keys)) return false;
    }
  }
  return true;
}

}  // namespace

std::optional<SimdView> FastJsonReader::read(std::string_view text, const JsonReadOptions& options) {
  // A byte-order mark or an empty text: the strict reader says what it makes of them.
  if (text.empty() || text.substr(0, 3) == "\xEF\xBB\xBF") return std::nullopt;
  if (capacity_ < text.size() || capacity_ > 4 * text.size() + 4096) {
    capacity_ = text.size();
    buffer_ = std::make_unique_for_overwrite<char[]>(capacity_ + simdjson::SIMDJSON_PADDING);
  }
  // simdjson reads past the end of the text (never into the document): zeroed padding.
  std::copy(text.begin(), text.end(), buffer_.get());
  std::fill_n(buffer_.get() + text.size(), simdjson::SIMDJSON_PADDING, '\0');
  simdjson::dom::element root;
  if (parser_.parse(buffer_.get(), text.size(), false).get(root) != simdjson::SUCCESS) return std::nullopt;
  std::vector<std::string_view> keys;
  if (!strictlyWellFormed(root, 0, options, keys)) return std::nullopt;
  return SimdView(root);
}

}  // namespace trustsim::parse
