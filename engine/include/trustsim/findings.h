// SPDX-License-Identifier: Apache-2.0
// Audit findings (aws-semantics §9): trust a third party or a service could be tricked into
// using, public roles, broken trust, and chains that end in administrator rights. Each rule has a
// stable id; each finding names the exact statement and the smallest fix.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "trustsim/decision.h"
#include "trustsim/graph.h"

namespace trustsim {

enum class FindingSeverity { Info, Low, Medium, High, Critical };
std::string_view toString(FindingSeverity severity);  // info, low, medium, high, critical
std::optional<FindingSeverity> parseFindingSeverity(std::string_view text);

struct Finding {
  std::string rule;  // stable id: no-external-id, weak-external-id, ...
  FindingSeverity severity = FindingSeverity::Medium;
  std::string resource;   // the role (or resource) ARN
  std::string principal;  // the trusted principal as written
  std::string vendor;     // vendor name when known
  std::optional<StatementRef> statement;
  std::string file;       // where the policy was read from (empty when unknown)
  std::string address;    // infrastructure code: the resource address (Terraform) or logical ID
  int line = 0;           // 1-based line of the role or resource in `file` (0: unknown)
  std::string message;    // what is wrong and why it matters
  std::string fix;        // the smallest change that removes the finding
  friend bool operator==(const Finding&, const Finding&) = default;
};

// A rule's metadata (for SARIF and docs/findings.md).
struct RuleInfo {
  std::string_view id;
  FindingSeverity severity;  // default severity
  std::string_view title;
  std::string_view description;
};
const std::vector<RuleInfo>& findingRules();

// Runs every rule. Deterministic order: by severity (highest first), rule, resource, statement.
std::vector<Finding> audit(const TrustGraph& graph);

}  // namespace trustsim
