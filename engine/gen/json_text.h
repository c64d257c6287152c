// SPDX-License-Identifier: Apache-2.0
// A streaming JSON writer for the generator: appends to a string in the layout of Python's
// `json.dumps(indent=N)` (the AWS CLI uses 4, jq 2), keys in the order written. No DOM.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace trustsim::gen {

class JsonText {
 public:
  JsonText(std::string& out, int indent) : out_(out), indent_(indent) {}

  void beginObject() { open('{'); }
  void endObject() { close('}'); }
  void beginArray() { open('['); }
  void endArray() { close(']'); }

  // In an object: the next value's key.
  void key(std::string_view k) {
    item();
    quote(k);
    out_ += ": ";
    keyed_ = true;
  }
  void string(std::string_view v) {
    item();
    quote(v);
  }
  void number(std::uint64_t v) {
    item();
    out_ += std::to_string(v);
  }
  void boolean(bool v) {
    item();
    out_ += v ? "true" : "false";
  }
  // key + value shorthands
  void field(std::string_view k, std::string_view v) {
    key(k);
    string(v);
  }
  void field(std::string_view k, const char* v) { field(k, std::string_view(v)); }
  void field(std::string_view k, const std::string& v) { field(k, std::string_view(v)); }
  void fieldNumber(std::string_view k, std::uint64_t v) {
    key(k);
    number(v);
  }
  void fieldBool(std::string_view k, bool v) {
    key(k);
    boolean(v);
  }
  // `"k": []` or `"k": ["a", ...]` (one string per line, as the CLI prints lists)
  void fieldStrings(std::string_view k, const std::vector<std::string>& values) {
    key(k);
    beginArray();
    for (const std::string& v : values) string(v);
    endArray();
  }

  // JSON string escaping as Python's json module does with ensure_ascii=False: the two
  // mandatory escapes, the short forms for common controls, \u00XX for the other controls.
  static void escapeInto(std::string& out, std::string_view s) {
    static constexpr char kHex[] = "0123456789abcdef";
    for (char c : s) {
      const auto u = static_cast<unsigned char>(c);
      switch (c) {
        case '"':
          out += "\\\"";
          break;
        case '\\':
          out += "\\\\";
          break;
        case '\n':
          out += "\\n";
          break;
        case '\r':
          out += "\\r";
          break;
        case '\t':
          out += "\\t";
          break;
        case '\b':
          out += "\\b";
          break;
        case '\f':
          out += "\\f";
          break;
        default:
          if (u < 0x20) {
            out += "\\u00";
            out += kHex[u >> 4];
            out += kHex[u & 15];
          } else {
            out += c;
          }
      }
    }
  }

 private:
  struct Level {
    bool empty = true;
  };

  // Before a value or a key: the separator and the indentation of a new line.
  void item() {
    if (keyed_) {  // the value of `"key": `
      keyed_ = false;
      return;
    }
    if (levels_.empty()) return;
    Level& l = levels_.back();
    if (!l.empty) out_ += ',';
    l.empty = false;
    newline(levels_.size());
  }
  void open(char c) {
    item();
    out_ += c;
    levels_.push_back(Level{});
  }
  void close(char c) {
    const bool empty = levels_.back().empty;
    levels_.pop_back();
    if (!empty) newline(levels_.size());
    out_ += c;
  }
  void newline(std::size_t depth) {
    out_ += '\n';
    out_.append(depth * static_cast<std::size_t>(indent_), ' ');
  }
  void quote(std::string_view s) {
    out_ += '"';
    // Fast path: nearly every string the generator writes needs no escape.
    bool plain = true;
    for (char c : s) {
      if (c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20) {
        plain = false;
        break;
      }
    }
    if (plain) {
      out_ += s;
    } else {
      escapeInto(out_, s);
    }
    out_ += '"';
  }

  std::string& out_;
  int indent_;
  std::vector<Level> levels_;
  bool keyed_ = false;
};

}  // namespace trustsim::gen
