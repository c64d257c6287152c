// SPDX-License-Identifier: Apache-2.0
// Request-case files (docs/eval-case-format.md): one authorization request plus every policy that
// applies to it, the unit `trustsim eval` and the corpus under tests/corpus/ work in.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "trustsim/decision.h"
#include "trustsim/evaluate.h"
#include "trustsim/request.h"
#include "trustsim/result.h"

namespace trustsim {

struct RequestCase {
  std::string id;
  std::string description;
  std::string where;  // JSON pointer of the case in its file (`/cases/3`)
  Request request;
  std::vector<NamedPolicy> identity;
  std::optional<NamedPolicy> resource;
  std::vector<std::vector<NamedPolicy>> scp_levels;
  std::vector<std::vector<NamedPolicy>> rcp_levels;
  std::optional<NamedPolicy> boundary;
  std::optional<NamedPolicy> session;
  std::optional<Outcome> expected;

  // A view over this case's policies; valid while the case is neither moved nor changed.
  PolicySet policySet() const;
};

// Reads a case file: `{"format": "trustsim-cases/1", "cases": [...]}`, a bare array of cases, or
// one case object. Structural problems are input errors, all reported (codes `json.*`, `case.*`);
// a policy AWS would reject is not: it is kept, and evaluating the case yields `invalidPolicy`.
Result<std::vector<RequestCase>> loadCases(std::string_view text, const std::string& file);

// Reads `allowed`, `explicitDeny`, `implicitDeny`, `invalidPolicy`.
std::optional<Outcome> parseOutcome(std::string_view text);

}  // namespace trustsim
