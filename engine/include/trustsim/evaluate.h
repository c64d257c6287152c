// SPDX-License-Identifier: Apache-2.0
// Deciding one request the way AWS does (aws-semantics §3, §6): identity policies, the resource
// policy (a role's trust policy for sts: role actions), SCP levels of the caller's account, RCP
// levels of the resource's account, the caller's permissions boundary and session policy.
#pragma once

#include <string>
#include <vector>

#include "trustsim/decision.h"
#include "trustsim/policy.h"
#include "trustsim/request.h"

namespace trustsim {

struct NamedPolicy {
  std::string name;
  Policy policy;
};

// The policies that apply to one request. Pointers are borrowed: the owner (a case, a world)
// outlives every evaluation.
struct PolicySet {
  std::vector<const NamedPolicy*> identity;
  const NamedPolicy* resource = nullptr;
  std::vector<std::vector<const NamedPolicy*>> scp_levels;  // root first, account last
  std::vector<std::vector<const NamedPolicy*>> rcp_levels;  // RCPFullAWSAccess implied per level
  const NamedPolicy* boundary = nullptr;
  const NamedPolicy* session = nullptr;
  // How the caller's own policies (identity, boundary, session policy) count.
  enum class CallerSide {
    Normal,    // AWS's rules: some same-account resource grants bypass them
    Required,  // they must allow even when a same-account grant names the caller directly
               // (inherited source identity and session tags when chaining, aws-semantics §4)
    Unknown,   // the caller's account is outside the model: assumed to allow (reported in trace)
  };
  CallerSide caller_side = CallerSide::Normal;
};

struct EvalOptions {
  bool trace = false;  // fill Decision::trace with a step-by-step account
};

// True for the STS actions whose resource policy is the role's trust policy.
bool isRoleTrustAction(std::string_view action);

// Decides `request` against `policies`. Total: never fails; an invalid policy in the set yields
// Outcome::InvalidPolicy with its diagnostics.
Decision evaluate(const Request& request, const PolicySet& policies, const EvalOptions& options = {});

// As above with the caller already parsed (the hot path of world simulations).
Decision evaluate(const Request& request, const Caller& caller, const PolicySet& policies,
                  const EvalOptions& options = {});

}  // namespace trustsim
