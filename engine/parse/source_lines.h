// SPDX-License-Identifier: Apache-2.0
// JSON pointer → line of the text it was read from, for inputs whose users edit them by line
// (CloudFormation templates): diagnostics and SARIF annotations name the line. Built on demand,
// only for such inputs, by a second pass over the text.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>

namespace trustsim::parse {

class SourceLines {
 public:
  // Indexes a JSON or YAML text (YAML when looksLikeYaml) with the pointers the readers give its
  // values: a YAML short-form tag `!Ref X` at `/a` is `/a` and `/a/Ref`, as readYaml converts it.
  // A text that does not parse gives an empty index (every line is then unknown).
  static SourceLines of(std::string_view text);

  // The 1-based line of `pointer`; for a pointer with no line of its own (a value an intrinsic
  // function computed, a statement inside a policy given as a string) the line of its nearest
  // ancestor that has one; 0 when nothing is known. An object member's line is its key's line.
  int line(std::string_view pointer) const;

  // Records the line of a pointer (the readers call this while they parse). The first record wins.
  void add(std::string pointer, int line) { lines_.emplace(std::move(pointer), line); }
  bool empty() const { return lines_.empty(); }

 private:
  std::unordered_map<std::string, int> lines_;
};

}  // namespace trustsim::parse
