// SPDX-License-Identifier: Apache-2.0
// A DOM-building SAX handler over nlohmann's iterative parser. It tracks the JSON pointer of the
// value being read, so duplicate keys, nesting limits and syntax errors are reported where they are.
#include "parse/json_reader.h"

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
      fail("json.duplicate_key", "duplicate key `" + k + "`", pointerAppend(pointer(), k));
      return false;
    }
    f.key = std::move(k);
    return true;
  }

  bool parse_error(std::size_t position, const std::string&,
                   const nlohmann::detail::exception& ex) override {
    if (!failed_) {
      const std::string what = ex.what();
      const bool utf8 = what.find("UTF-8") != std::string::npos;
      error_position_ = position;
      std::string message = what;
      // nlohmann's messages start with "[json.exception.parse_error.101] parse error at line..."
      const std::size_t colon = message.find(": ");
      if (colon != std::string::npos) {
        message = message.substr(colon + 2);
      }
      fail(utf8 ? "json.invalid_utf8" : "json.syntax", message, pointer());
      has_position_ = true;
    }
    return false;
  }

  bool failed() const { return failed_; }
  const Diagnostic& diagnostic() const { return diagnostic_; }
  bool hasPosition() const { return has_position_; }
  std::size_t errorPosition() const { return error_position_; }

 private:
  struct Frame {
    json* value;
    std::string key;    // objects: the pending key
    std::size_t count;  // arrays: elements so far
  };

  // The pointer of the value about to be read.
  std::string pointer() const {
    std::string p;
    for (const Frame& f : stack_) {
      p = f.value->is_object() ? pointerAppend(p, f.key) : pointerAppend(p, f.count);
    }
    return p;
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
    if (!stack_.empty() && stack_.back().value->is_array()) {
      ++stack_.back().count;
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
    diagnostic_ = Diagnostic{std::move(code), std::move(message), std::move(where), {},
                             Severity::Error};
  }

  json& root_;
  const JsonReadOptions& options_;
  std::vector<Frame> stack_;
  bool failed_ = false;
  bool has_position_ = false;
  std::size_t error_position_ = 0;
  Diagnostic diagnostic_;
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
    ok = json::sax_parse(text.begin(), text.end(), &builder, json::input_format_t::json, true);
  } catch (const std::exception& ex) {  // INVARIANT: the SAX handler reports; this is a backstop
    return Diagnostics{Diagnostic{"json.syntax", ex.what(), "", file, Severity::Error}};
  }
  if (ok && !builder.failed()) {
    return root;
  }
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
    d.message = "invalid JSON at line " + std::to_string(line) + ", column " +
                std::to_string(column) + ": " + msg;
  }
  return Diagnostics{std::move(d)};
}

}  // namespace trustsim::parse
