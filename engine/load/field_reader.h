// SPDX-License-Identifier: Apache-2.0
// What the AWS dump loaders share: typed field access on AWS CLI output with errors that name
// the file and JSON pointer, under each loader's code prefix (`gaad.*`, `org.*`).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "parse/json_reader.h"
#include "parse/json_view.h"
#include "trustsim/result.h"

namespace trustsim::load {

// The JSON type a field must have.
enum class Want { String, Object, Array, Boolean, Integer, Document, Attachments };
std::string_view describe(Want want);

template <typename J>
bool is(const J& v, Want want) {
  switch (want) {
    case Want::String:
      return v.isString();
    case Want::Object:
      return v.isObject();
    case Want::Array:
      return v.isArray();
    case Want::Boolean:
      return v.isBool();
    case Want::Integer:
      return v.isInteger();
    case Want::Document:
      return v.isObject() || v.isString();
    case Want::Attachments:
      return v.isArray() || v.isObject();
  }
  return false;
}

inline bool is(const nlohmann::json& v, Want want) { return is(parse::NlohmannView(v), want); }

class FieldReader {
 protected:
  FieldReader(const std::string& file, std::string prefix) : file_(file), prefix_(std::move(prefix)) {}

  void add(Severity severity, std::string code, std::string message, std::string where) {
    diags_.push_back(Diagnostic{std::move(code), std::move(message), std::move(where), file_, severity});
  }
  void error(std::string code, std::string message, std::string where) {
    add(Severity::Error, std::move(code), std::move(message), std::move(where));
  }
  void warning(std::string code, std::string message, std::string where) {
    add(Severity::Warning, std::move(code), std::move(message), std::move(where));
  }

  // The value of `obj[name]` when present with the wanted type. A missing required field
  // (`<prefix>.missing_field`) and a wrong type (`<prefix>.wrong_type`) are errors; an optional
  // field may be absent or null.
  // Over either JSON view (parse/json_view.h).
  template <typename J>
  std::optional<J> field(const J& obj, const char* name, const std::string& where, Want want, bool required) {
    const std::optional<J> v = obj.find(name);
    if (!v || (v->isNull() && !required)) {
      if (required) {
        error(prefix_ + ".missing_field", std::string("missing `") + name + "`", parse::pointerAppend(where, name));
      }
      return std::nullopt;
    }
    if (!is(*v, want)) {
      error(prefix_ + ".wrong_type",
            std::string("`") + name + "` must be " + std::string(describe(want)) + ", not " +
                std::string(parse::describeType(*v)),
            parse::pointerAppend(where, name));
      return std::nullopt;
    }
    return v;
  }
  template <typename J>
  std::optional<std::string> text(const J& obj, const char* name, const std::string& where, bool required) {
    if (const auto v = field(obj, name, where, Want::String, required)) return std::string(v->string());
    return std::nullopt;
  }
  // The same over nlohmann::json.
  const nlohmann::json* field(const nlohmann::json& obj, const char* name, const std::string& where, Want want,
                              bool required) {
    const auto v = field(parse::NlohmannView(obj), name, where, want, required);
    return v ? &v->json() : nullptr;
  }
  std::optional<std::string> text(const nlohmann::json& obj, const char* name, const std::string& where,
                                  bool required) {
    return text(parse::NlohmannView(obj), name, where, required);
  }

  const std::string& file_;
  std::string prefix_;
  Diagnostics diags_;
};

}  // namespace trustsim::load
