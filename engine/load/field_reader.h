// SPDX-License-Identifier: Apache-2.0
// What the AWS dump loaders share: typed field access on AWS CLI output with errors that name
// the file and JSON pointer, under each loader's code prefix (`gaad.*`, `org.*`).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "parse/json_reader.h"
#include "trustsim/result.h"

namespace trustsim::load {

// The JSON type a field must have.
enum class Want { String, Object, Array, Boolean, Integer, Document, Attachments };
bool is(const nlohmann::json& v, Want want);
std::string_view describe(Want want);

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
  const nlohmann::json* field(const nlohmann::json& obj, const char* name, const std::string& where, Want want,
                              bool required);
  std::optional<std::string> text(const nlohmann::json& obj, const char* name, const std::string& where,
                                  bool required) {
    if (const nlohmann::json* v = field(obj, name, where, Want::String, required)) return v->get<std::string>();
    return std::nullopt;
  }

  const std::string& file_;
  std::string prefix_;
  Diagnostics diags_;
};

}  // namespace trustsim::load
