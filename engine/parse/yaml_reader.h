// SPDX-License-Identifier: Apache-2.0
// YAML text → nlohmann::json, so scenario files may be YAML (comments for workshop material).
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "parse/source_lines.h"
#include "trustsim/result.h"

namespace trustsim::parse {

// Plain (unquoted) scalars `true`/`false`, integers, decimals and `null`/`~` become JSON
// booleans, numbers and null; everything else is a string. CloudFormation's short-form tags
// become their long forms (`!Ref X` → {"Ref": "X"}, `!GetAtt A.B` → {"Fn::GetAtt": ["A", "B"]},
// `!Sub`, `!If`, `!Equals`, ... → {"Fn::Sub": ...}): the kind of a document is only known once it
// is read, and no other input of ours has tags. Any other application tag (`!Foo`) is an error
// rather than silently dropped. Codes: yaml.syntax (with line and column), yaml.duplicate_key,
// yaml.too_deep, yaml.too_large (alias expansion), yaml.unsupported, yaml.unknown_tag.
// `lines`, when given, receives the line of every value (SourceLines::of uses it).
Result<nlohmann::json> readYaml(std::string_view text, const std::string& file, SourceLines* lines = nullptr);

// True when the text looks like YAML rather than JSON (first non-space character is not `{`/`[`).
bool looksLikeYaml(std::string_view text);

}  // namespace trustsim::parse
