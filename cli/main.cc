// SPDX-License-Identifier: Apache-2.0
// The `trustsim` program: CLI11 wiring only; every subcommand is a handler in commands.cc.
#include <iostream>
#include <map>

#include <CLI/CLI.hpp>

#include "commands.h"

namespace {

const std::map<std::string, trustsim::cli::Format> kFormats = {
    {"text", trustsim::cli::Format::Text}, {"json", trustsim::cli::Format::Json}};

void addEvalCommand(CLI::App& app, trustsim::cli::EvalOptions& opts, int& result) {
  CLI::App* cmd = app.add_subcommand(
      "eval", "Decide request cases (docs/eval-case-format.md) the way AWS would");
  cmd->add_option("FILE", opts.file, "case file, or - for standard input")->required();
  cmd->add_option("--format", opts.format, "output format: text or json (JSON Lines)")
      ->transform(CLI::CheckedTransformer(kFormats, CLI::ignore_case));
  cmd->add_flag("--explain", opts.explain, "print a step-by-step trace of every decision");
  cmd->add_flag("--expect", opts.expect,
                "compare each case's `expected` decision; exit 2 on any difference");
  cmd->callback([&]() { result = trustsim::cli::runEval(opts, std::cin, std::cout, std::cerr); });
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"trustsim: offline AWS trust-policy simulator and test harness"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "trustsim 0.1.0");
  int result = trustsim::cli::kOk;
  trustsim::cli::EvalOptions eval_options;
  addEvalCommand(app, eval_options, result);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : trustsim::cli::kInputError;
  }
  return result;
}
