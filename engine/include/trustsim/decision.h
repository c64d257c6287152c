// SPDX-License-Identifier: Apache-2.0
// The answer to one request: the outcome, the statements that decided it, and an optional trace.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "trustsim/policy.h"
#include "trustsim/result.h"

namespace trustsim {

enum class Outcome { Allowed, ExplicitDeny, ImplicitDeny, InvalidPolicy };
std::string_view toString(Outcome outcome);  // allowed, explicitDeny, implicitDeny, invalidPolicy

// The policy types of one request, in the words AWS uses in AccessDenied reasons.
enum class PolicyType {
  Identity,
  Trust,      // the role trust policy (resource policy of an sts: role action)
  Resource,   // any other resource-based policy
  Boundary,
  Session,
  Scp,
  Rcp,
};
std::string_view toString(PolicyType type);  // identity, trust, resource, boundary, ...

// One statement that took part in a decision.
struct StatementRef {
  std::string policy;  // the policy's name
  PolicyType type = PolicyType::Identity;
  std::size_t index = 0;
  std::optional<std::string> sid;
  Effect effect = Effect::Allow;
  std::string where;  // JSON pointer of the statement inside its policy
  friend bool operator==(const StatementRef&, const StatementRef&) = default;
};

struct Decision {
  Outcome outcome = Outcome::ImplicitDeny;
  // Allowed: the Allow statements of the grant path. ExplicitDeny: every applicable Deny.
  std::vector<StatementRef> decided_by;
  // ImplicitDeny: the first policy type that lacked an Allow (AWS names one in its message).
  std::optional<PolicyType> missing_allow;
  std::string_view reason;          // one sentence, for people (static text)
  std::vector<std::string> trace;   // filled when asked for
  Diagnostics diagnostics;          // InvalidPolicy errors, evaluation warnings
};

// AWS's reason suffix for an AccessDenied message (aws-semantics §4.4), e.g.
// `because no role trust policy allows the sts:AssumeRole action`; empty when allowed.
std::string awsReason(const Decision& decision, std::string_view action);

}  // namespace trustsim
