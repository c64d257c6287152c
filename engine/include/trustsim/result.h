// SPDX-License-Identifier: Apache-2.0
// Diagnostics and Result<T>: how every stage reports bad input without exceptions.
#pragma once

#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace trustsim {

enum class Severity { Error, Warning };

// One problem in user input. `code` is stable and tested (e.g. `parse.invalid_arn`); `message` is
// for humans: lowercase, no final period, input in backticks. `where` is a JSON pointer into the
// input document (`/Statement/2/Condition/StringLike`); `file` names the input file when known.
struct Diagnostic {
  std::string code;
  std::string message;
  std::string where;
  std::string file;
  Severity severity = Severity::Error;
};
using Diagnostics = std::vector<Diagnostic>;

// True when any diagnostic is an error (warnings alone do not make input invalid).
bool hasErrors(const Diagnostics& diagnostics);

// "file:/pointer: message [code]" (the parts that are known).
std::string formatDiagnostic(const Diagnostic& d);

// Value-or-diagnostics. Member names follow std::expected so that C++23 is a rename.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}              // NOLINT: implicit by design
  Result(Diagnostics errors) : state_(std::move(errors)) {}  // NOLINT: implicit by design
  bool has_value() const { return state_.index() == 0; }
  explicit operator bool() const { return has_value(); }
  const T& value() const& { return std::get<0>(state_); }
  T& value() & { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  const Diagnostics& error() const& { return std::get<1>(state_); }

 private:
  std::variant<T, Diagnostics> state_;
};

}  // namespace trustsim
