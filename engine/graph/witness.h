// SPDX-License-Identifier: Apache-2.0
// From a trust statement's conditions to a concrete AssumeRole call that meets them: the values a
// caller controls (ExternalId, session name, source identity, tags, MFA, source IP, time, claims of
// an identity provider). The simulator then judges the call; the witness only proposes it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "trustsim/graph.h"
#include "trustsim/policy.h"

namespace trustsim::graph {

struct Witness {
  AssumeParams params;
  std::vector<Requirement> requirements;
  std::optional<std::string> principal_arn;  // for callers outside the model: aws:PrincipalArn
  bool needs_mfa = false;
};

// `outside` is true when the caller's own keys (aws:PrincipalArn) are ours to choose: an external
// or synthetic caller. Returns nullopt when a condition cannot be met by any call.
std::optional<Witness> solve(const Statement& statement, bool outside);

// A string that a glob pattern matches: `*` → `x`, `?` → `x` (`${*}`-style literals are kept).
std::string expandGlob(std::string_view pattern);

}  // namespace trustsim::graph
