// SPDX-License-Identifier: Apache-2.0
// The one place JSON text becomes nlohmann::json: strict (duplicate keys, nesting depth, UTF-8)
// and with errors that name the line, column and JSON pointer.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "trustsim/result.h"

namespace trustsim::parse {

struct JsonReadOptions {
  std::size_t max_depth = 256;  // policies nest 5 deep; dumps about 10
  bool allow_duplicate_keys = false;
};

// Codes: json.empty, json.syntax, json.invalid_utf8, json.duplicate_key, json.too_deep.
Result<nlohmann::json> readJson(std::string_view text, const std::string& file,
                                const JsonReadOptions& options = {});

// Appends one reference token to a JSON pointer, escaping `~` and `/` (RFC 6901).
std::string pointerAppend(const std::string& base, std::string_view token);
std::string pointerAppend(const std::string& base, std::size_t index);

// A short description of a JSON value's type for messages: `a string`, `an array`, ...
std::string_view describeType(const nlohmann::json& value);

}  // namespace trustsim::parse
