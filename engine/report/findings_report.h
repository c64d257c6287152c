// SPDX-License-Identifier: Apache-2.0
// Findings rendered as text, JSON and SARIF 2.1.0 (for code-scanning tools).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "trustsim/findings.h"

namespace trustsim::report {

nlohmann::json findingJson(const Finding& f);
nlohmann::json findingsJson(const std::vector<Finding>& findings);
std::string findingsText(const std::vector<Finding>& findings);
// SARIF 2.1.0: one run, the rule metadata of every rule, one result per finding with a location at
// the policy file (region startLine: the entity's line when known, else 1) and the statement's JSON
// pointer (when the input was a file), and the resource address of infrastructure code as a
// logical location (`fullyQualifiedName`, kind `resource`).
nlohmann::json findingsSarif(const std::vector<Finding>& findings, const std::string& version);

}  // namespace trustsim::report
