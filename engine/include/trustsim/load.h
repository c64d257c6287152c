// SPDX-License-Identifier: Apache-2.0
// Reading worlds from the files users have: scenario files (JSON or YAML), AWS dumps
// (`get-account-authorization-details`, organisation files), detected by content and merged.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "trustsim/result.h"
#include "trustsim/world.h"

namespace trustsim {

// Reads a file's text. The engine does no I/O of its own: the CLI passes the file system, tests
// pass a map. Returns nullopt with `error` set when the file cannot be read. Called from several
// threads at once when a world has several files.
using FileReader = std::function<std::optional<std::string>(const std::string& path, std::string& error)>;

enum class InputKind { Scenario, Gaad, Organization, Terraform, CloudFormation, RequestCases, Unknown };
std::string_view toString(InputKind kind);

// One input file, read and classified by content (`format` field, or the shape of AWS output).
struct LoadedInput {
  std::string path;
  InputKind kind = InputKind::Unknown;
};

// Which world a Terraform plan stands for: the state before it (`prior_state`) or the state it
// plans (`resource_changes` after the change). State files and other inputs have one world only.
enum class PlanSide { Before, After };

// What inputs that do not say it themselves need to become a world: infrastructure code (Terraform
// plans and state, CloudFormation templates) names neither its account nor its region.
struct LoadOptions {
  std::string account;    // --account: the 12-digit account resources land in (empty: unknown)
  std::string partition = "aws";
  std::string region = "us-east-1";
  std::string stack_name;  // CloudFormation `AWS::StackName`
  std::map<std::string, std::string> parameters;  // CloudFormation `--parameter KEY=VALUE`
  unsigned threads = 0;  // files read at once (0: one per core); the result does not depend on it
  PlanSide plan_side = PlanSide::After;  // Terraform plans: `trustsim diff --plan` loads both
};

// Loads and merges every file into one world; later files win for the same entity (warning).
// Every error of every file is reported (codes `input.*`, `json.*`, `yaml.*`, `scenario.*`,
// `gaad.*`, `org.*`). Request-case files are refused here (they are not worlds).
Result<World> loadWorld(const std::vector<std::string>& paths, const FileReader& read,
                        const LoadOptions& options = {});

// Loads one scenario document given as text (JSON or YAML); `path` names it in diagnostics and
// anchors relative policy file references.
Result<World> loadScenarioText(const std::string& text, const std::string& path, const FileReader& read);

}  // namespace trustsim
