// SPDX-License-Identifier: Apache-2.0
// One read-only view of a JSON value over two representations, so that the policy parser and the
// dump loaders are written once:
//  - NlohmannView: nlohmann::json, the documents users write (scenarios, cases) and documents that
//    what-if patches edit;
//  - SimdView: simdjson's DOM (a tape, no allocation per value), for AWS dumps, which are large.
// Both have the same members; code templated on the view type must only use these.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>
#include <simdjson.h>

#include "parse/json_reader.h"

namespace trustsim::parse {

class NlohmannView {
 public:
  explicit NlohmannView(const nlohmann::json& v) : v_(&v) {}

  bool isObject() const { return v_->is_object(); }
  bool isArray() const { return v_->is_array(); }
  bool isString() const { return v_->is_string(); }
  bool isBool() const { return v_->is_boolean(); }
  bool isNumber() const { return v_->is_number(); }
  bool isInteger() const { return v_->is_number_integer(); }
  bool isNull() const { return v_->is_null(); }

  bool boolean() const { return v_->get<bool>(); }
  std::string_view string() const { return v_->get_ref<const std::string&>(); }
  // A number as nlohmann writes it (`10`, `1.5`): condition values compare as text.
  std::string numberText() const { return v_->dump(); }
  // Elements of an array or members of an object.
  std::size_t size() const { return v_->size(); }
  bool empty() const { return v_->empty(); }

  std::optional<NlohmannView> find(std::string_view key) const {
    const auto it = v_->find(key);
    if (it == v_->end()) return std::nullopt;
    return NlohmannView(*it);
  }
  // f(std::string_view key, NlohmannView value), in key order.
  template <typename F>
  void forEachMember(F&& f) const {
    for (const auto& [key, value] : v_->items()) f(std::string_view(key), NlohmannView(value));
  }
  // f(std::size_t index, NlohmannView value).
  template <typename F>
  void forEachElement(F&& f) const {
    for (std::size_t i = 0; i < v_->size(); ++i) f(i, NlohmannView((*v_)[i]));
  }

  const nlohmann::json& json() const { return *v_; }

 private:
  const nlohmann::json* v_;
};

class SimdView {
 public:
  explicit SimdView(simdjson::dom::element v) : v_(v) {}

  bool isObject() const { return v_.is<simdjson::dom::object>(); }
  bool isArray() const { return v_.is<simdjson::dom::array>(); }
  bool isString() const { return v_.is<std::string_view>(); }
  bool isBool() const { return v_.is<bool>(); }
  bool isNumber() const { return v_.is_number(); }
  bool isInteger() const { return v_.is_int64() || v_.is_uint64(); }
  bool isNull() const { return v_.is_null(); }

  bool boolean() const { return as<bool>(); }
  std::string_view string() const { return as<std::string_view>(); }
  std::string numberText() const {
    if (v_.is_int64()) return nlohmann::json(as<std::int64_t>()).dump();
    if (v_.is_uint64()) return nlohmann::json(as<std::uint64_t>()).dump();
    return nlohmann::json(as<double>()).dump();
  }
  std::size_t size() const {
    if (isArray()) return count(as<simdjson::dom::array>());
    if (isObject()) return count(as<simdjson::dom::object>());
    return 0;
  }
  bool empty() const { return size() == 0; }

  std::optional<SimdView> find(std::string_view key) const {
    simdjson::dom::element out;
    if (as<simdjson::dom::object>().at_key(key).get(out) != simdjson::SUCCESS) return std::nullopt;
    return SimdView(out);
  }
  template <typename F>
  void forEachMember(F&& f) const {
    for (const simdjson::dom::key_value_pair kv : as<simdjson::dom::object>()) f(kv.key, SimdView(kv.value));
  }
  template <typename F>
  void forEachElement(F&& f) const {
    std::size_t i = 0;
    for (const simdjson::dom::element e : as<simdjson::dom::array>()) f(i++, SimdView(e));
  }

 private:
  // The value as T; callers check the type first (a wrong type gives T's empty value).
  template <typename T>
  T as() const {
    T out{};
    if (v_.get(out) != simdjson::SUCCESS) return T{};
    return out;
  }
  // The tape stores sizes saturated at 2^24 - 1: count past that.
  template <typename T>
  static std::size_t count(const T& container) {
    const std::size_t n = container.size();
    if (n < 0xFFFFFF) return n;
    std::size_t m = 0;
    for (auto it = container.begin(); it != container.end(); ++it) ++m;
    return m;
  }

  simdjson::dom::element v_;
};

// The reader for large documents (dumps): simdjson's DOM under the strict reader's rules
// (duplicate keys, nesting depth, UTF-8). One per thread; a view lives until the next read.
class FastJsonReader {
 public:
  // The document, or nullopt when the text breaks a rule or simdjson refuses it: read it with
  // readJson then, whose diagnostics name line, column and pointer (and which decides).
  std::optional<SimdView> read(std::string_view text, const JsonReadOptions& options = {});

 private:
  simdjson::dom::parser parser_;
  std::unique_ptr<char[]> buffer_;  // the text and simdjson's padding
  std::size_t capacity_ = 0;
};

// `a string`, `an array`, ... for messages.
template <typename View>
std::string_view describeType(const View& v) {
  if (v.isObject()) return "an object";
  if (v.isArray()) return "an array";
  if (v.isString()) return "a string";
  if (v.isBool()) return "a boolean";
  if (v.isNumber()) return "a number";
  return "null";
}

}  // namespace trustsim::parse
