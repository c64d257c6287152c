// SPDX-License-Identifier: Apache-2.0
// YAML text → nlohmann::json, so scenario files may be YAML (comments for workshop material).
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "trustsim/result.h"

namespace trustsim::parse {

// Plain (unquoted) scalars `true`/`false`, integers, decimals and `null`/`~` become JSON
// booleans, numbers and null; everything else is a string. Codes: yaml.syntax (with line and
// column), yaml.duplicate_key, yaml.too_deep, yaml.too_large (alias expansion), yaml.unsupported.
Result<nlohmann::json> readYaml(std::string_view text, const std::string& file);

// True when the text looks like YAML rather than JSON (first non-space character is not `{`/`[`).
bool looksLikeYaml(std::string_view text);

}  // namespace trustsim::parse
