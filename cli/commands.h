// SPDX-License-Identifier: Apache-2.0
// One handler per subcommand. Handlers are plain functions that tests call in process; main.cc
// only wires them to CLI11.
#pragma once

#include <iosfwd>
#include <string>

namespace trustsim::cli {

// Exit codes across the CLI.
enum ExitCode : int {
  kOk = 0,          // success, allowed, all expectations met
  kInputError = 1,  // bad input or usage
  kDenied = 2,      // a denial or failed expectation, where the command is asked to judge
  kFindings = 3,    // findings at or above --fail-on
};

enum class Format { Text, Json };

struct EvalOptions {
  std::string file;  // path, or "-" for standard input
  Format format = Format::Text;
  bool explain = false;
  bool expect = false;
};
int runEval(const EvalOptions& options, std::istream& in, std::ostream& out, std::ostream& err);

// Reads a whole file (or standard input for "-"); false with a message in `error` otherwise.
bool readInput(const std::string& path, std::istream& in, std::string& text, std::string& error);

}  // namespace trustsim::cli
