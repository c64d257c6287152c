// SPDX-License-Identifier: Apache-2.0
// decide(): statement applicability per policy type, then the AWS decision rules: explicit deny
// first, then the guardrails (SCP levels), then the grant paths for same- and cross-account calls.
#include "trustsim/evaluate.h"

#include <algorithm>
#include <array>

#include "match/condition_ops.h"
#include "match/principal_match.h"
#include "trustsim/arn.h"

namespace trustsim {
namespace {

using match::PrincipalMatch;

// AWS (dated 2025-11): services whose actions RCPs govern. Data, not logic: extend as AWS does.
constexpr std::array<std::string_view, 8> kRcpServices = {
    "s3", "sts", "sqs", "kms", "secretsmanager", "ecr", "aoss", "s3express"};

bool rcpGoverns(std::string_view folded_action) {
  const std::string_view service = folded_action.substr(0, folded_action.find(':'));
  return folded_action == "*" ||
         std::find(kRcpServices.begin(), kRcpServices.end(), service) != kRcpServices.end();
}

enum class Miss { None, Principal, Action, Resource, Condition };

// Static reason texts: a decision carries no allocated strings on the hot path.
std::string_view noAllow(PolicyType t) {
  switch (t) {
    case PolicyType::Identity:
      return "no identity-based policy allows the request";
    case PolicyType::Trust:
      return "no role trust policy statement allows the caller";
    case PolicyType::Resource:
      return "no resource-based policy statement allows the caller";
    case PolicyType::Boundary:
      return "the permissions boundary does not allow the request";
    case PolicyType::Session:
      return "no session policy allows the request";
    case PolicyType::Scp:
      return "a level of service control policies has no Allow for the request";
    case PolicyType::Rcp:
      return "no resource control policy allows the request";
  }
  return "";
}

struct View {
  const Request& request;
  const Caller& caller;
  std::string action;  // folded
  std::string resource_partition;
  bool has_boundary = false;
  bool trace = false;
};


bool resourceMatches(const ResourceSet& set, const Request& request) {
  if (!set.present) {
    return true;  // trust policies (the role is implied) and SCPs without Resource
  }
  bool any = false;
  for (const ResourcePattern& p : set.patterns) {
    if (p.value.parts.empty()) {
      any = p.compiled.matches(request.resource);
    } else {
      // AWS: a variable with no value makes this entry match no resource.
      const auto resolved = match::resolveTemplate(p.value, request.context);
      any = resolved &&
            Wildcard::compile(resolved->pieces(), Wildcard::Mode::ResourceArn).matches(request.resource);
    }
    if (any) {
      break;
    }
  }
  return set.negated ? !any : any;
}

// Checks one statement. For resource-type policies `principal_match` receives how the caller was
// named; `note` receives why a condition failed (trace only).
Miss checkStatement(const Statement& st, const View& v, bool with_principal, PrincipalMatch* pm,
                    std::string* note) {
  if (with_principal) {
    PrincipalMatch m;
    if (st.principal.negated) {
      // AWS: Deny + NotPrincipal applies to everyone not listed (every layer of the caller's
      // identity must be listed), and always to a caller with a permissions boundary.
      const bool exempt = !v.has_boundary && match::namesEveryLayer(st.principal, v.caller,
                                                                    v.resource_partition, v.request.context);
      m = exempt ? PrincipalMatch::None : PrincipalMatch::Any;
    } else {
      m = match::matchPrincipalSet(st.principal, v.caller, v.resource_partition, v.request.context);
    }
    if (m == PrincipalMatch::None) {
      return Miss::Principal;
    }
    if (pm != nullptr) {
      *pm = m;
    }
  }
  if (!st.action.matches(v.action)) {
    return Miss::Action;
  }
  if (!resourceMatches(st.resource, v.request)) {
    return Miss::Resource;
  }
  for (const ConditionClause& c : st.conditions) {
    std::string why;
    if (!match::evaluateClause(c, v.request.context, v.trace ? &why : nullptr)) {
      if (note != nullptr) {
        *note = "condition `" + c.op.name + "` on `" + c.key + "` is false (" + why + ")";
      }
      return Miss::Condition;
    }
  }
  return Miss::None;
}

std::string_view describe(Miss m) {
  switch (m) {
    case Miss::None:
      return "applies";
    case Miss::Principal:
      return "does not apply: the principal does not match";
    case Miss::Action:
      return "does not apply: the action does not match";
    case Miss::Resource:
      return "does not apply: the resource does not match";
    case Miss::Condition:
      return "does not apply";
  }
  return "";
}

// Pointers into the policies (which outlive the evaluation); StatementRefs, which copy strings,
// are made only for the statements that end up in the decision.
struct Applicable {
  const NamedPolicy* policy;
  const Statement* statement;
  PolicyType type;
  PrincipalMatch principal;
  StatementRef ref() const {
    return StatementRef{policy->name, type, statement->index, statement->sid, statement->effect,
                        statement->where};
  }
};

// The applicable statements of a group of policies of one type.
struct Scan {
  std::vector<Applicable> allows;
  std::vector<Applicable> denies;
  bool anyAllow() const { return !allows.empty(); }
};

void scanPolicy(const NamedPolicy& p, PolicyType type, const View& v, bool with_principal, Scan& out,
                std::vector<std::string>* trace) {
  for (const Statement& st : p.policy.statements) {
    PrincipalMatch pm = with_principal ? PrincipalMatch::None : PrincipalMatch::Any;
    std::string note;
    const Miss miss = checkStatement(st, v, with_principal, &pm, trace ? &note : nullptr);
    if (trace != nullptr) {
      std::string line = std::string(toString(type)) + " policy `" + p.name + "` statement " +
                         std::to_string(st.index) + (st.sid ? " (Sid `" + *st.sid + "`)" : "") + " " +
                         std::string(toString(st.effect)) + ": " + std::string(describe(miss));
      if (miss == Miss::Condition) {
        line += ": " + note;
      }
      if (miss == Miss::None && with_principal) {
        line += " (principal matched as " + std::string(match::toString(pm)) + ")";
      }
      trace->push_back(std::move(line));
    }
    if (miss != Miss::None) {
      continue;
    }
    (st.effect == Effect::Allow ? out.allows : out.denies).push_back({&p, &st, type, pm});
  }
}

void appendRefs(std::vector<StatementRef>& out, const Scan& scan, bool denies) {
  for (const Applicable& a : denies ? scan.denies : scan.allows) {
    out.push_back(a.ref());
  }
}

bool isFoldedRoleTrustAction(std::string_view a) {
  return a == "sts:assumerole" || a == "sts:assumerolewithsaml" ||
         a == "sts:assumerolewithwebidentity" || a == "sts:tagsession" ||
         a == "sts:setsourceidentity" || a == "sts:setcontext";
}

}  // namespace

bool isRoleTrustAction(std::string_view action) {
  return isFoldedRoleTrustAction(match::foldCase(action));
}

bool ActionSet::matches(const std::string& folded_action) const {
  const bool any = std::any_of(patterns.begin(), patterns.end(), [&](const Wildcard& w) { return w.matches(folded_action); });
  return negated ? !any : any;
}

Decision evaluate(const Request& request, const PolicySet& policies, const EvalOptions& options) {
  const auto caller = parseCaller(request.principal, request.action);
  if (!caller) {
    Decision d;
    d.outcome = Outcome::ImplicitDeny;
    d.reason = "the principal is not a caller trustsim recognises";
    d.diagnostics.push_back(Diagnostic{"eval.invalid_principal",
                                       "`" + request.principal + "` is not a caller trustsim recognises",
                                       "/request/principal", {},
                                       Severity::Error});
    return d;
  }
  return evaluate(request, *caller, policies, options);
}

Decision evaluate(const Request& request, const Caller& caller, const PolicySet& policies,
                  const EvalOptions& options) {
  Decision d;
  std::vector<std::string>* trace = options.trace ? &d.trace : nullptr;

  // 1. A policy AWS would reject decides nothing: the request is answered `invalidPolicy`.
  const auto check_valid = [&](const NamedPolicy* p) {
    if (p != nullptr && !p->policy.valid) {
      for (const Diagnostic& diag : p->policy.diagnostics) {
        if (diag.severity == Severity::Error) {
          d.diagnostics.push_back(diag);
        }
      }
    }
  };
  for (const NamedPolicy* p : policies.identity) check_valid(p);
  check_valid(policies.resource);
  check_valid(policies.boundary);
  check_valid(policies.session);
  for (const auto& level : policies.scp_levels) for (const NamedPolicy* p : level) check_valid(p);
  for (const auto& level : policies.rcp_levels) for (const NamedPolicy* p : level) check_valid(p);
  if (!d.diagnostics.empty()) {
    d.outcome = Outcome::InvalidPolicy;
    d.reason = "a policy of the request is one AWS would reject";
    return d;
  }

  View v{request, caller, match::foldCase(request.action), {}, policies.boundary != nullptr,
         options.trace};
  const auto resource_arn = ArnView::parse(request.resource);
  v.resource_partition = resource_arn ? std::string(resource_arn->partition)
                                      : (caller.partition.empty() ? "aws" : caller.partition);
  const bool trust = isFoldedRoleTrustAction(v.action) && resource_arn &&
                     resource_arn->service == "iam" && resource_arn->resource.substr(0, 5) == "role/";
  const bool kms_key = v.action.rfind("kms:", 0) == 0 && resource_arn &&
                       resource_arn->service == "kms" && resource_arn->resource.substr(0, 4) == "key/";
  const PolicyType resource_type = trust ? PolicyType::Trust : PolicyType::Resource;
  const std::string principal_account = request.principal_account.value_or(caller.account);
  // AWS: actions without resource-level permissions are requested on `*` in the caller's account.
  const std::string resource_account =
      request.resource_account ? *request.resource_account
      : resource_arn           ? std::string(resource_arn->account)
      : request.resource == "*" ? principal_account
                                : std::string();
  const bool same_account = !principal_account.empty() && principal_account == resource_account;
  if (resource_account.empty() && request.resource != "*" && caller.hasAccount()) {
    d.diagnostics.push_back(Diagnostic{
        "eval.unknown_resource_account",
        "the resource `" + request.resource + "` names no account, so the request is evaluated as "
        "cross-account; give `resourceAccount` to say who owns it",
        "/resourceAccount", {}, Severity::Warning});
  }
  if (trace) {
    trace->push_back("request: " + request.principal + " (" + std::string(toString(caller.kind)) +
                     ") → " + request.action + " on " + request.resource + "; " +
                     (same_account ? "same account" : "cross-account") +
                     (trust ? "; the resource policy is the role trust policy" : ""));
  }

  // 2. Applicable statements of every policy type.
  Scan identity, resource, boundary, session;
  std::vector<Scan> scps(policies.scp_levels.size()), rcps(policies.rcp_levels.size());
  for (const NamedPolicy* p : policies.identity) scanPolicy(*p, PolicyType::Identity, v, false, identity, trace);
  if (policies.resource) scanPolicy(*policies.resource, resource_type, v, true, resource, trace);
  if (policies.boundary) scanPolicy(*policies.boundary, PolicyType::Boundary, v, false, boundary, trace);
  if (policies.session) scanPolicy(*policies.session, PolicyType::Session, v, false, session, trace);
  const bool scp_applies = caller.hasAccount() && caller.kind != Caller::Kind::IdentityProvider;
  if (scp_applies) {
    for (std::size_t i = 0; i < scps.size(); ++i) {
      for (const NamedPolicy* p : policies.scp_levels[i]) scanPolicy(*p, PolicyType::Scp, v, false, scps[i], trace);
    }
  } else if (trace && !scps.empty()) {
    trace->push_back("service control policies: not applied (they govern principals of member accounts only)");
  }
  const bool rcp_applies = rcpGoverns(v.action);
  if (rcp_applies) {
    for (std::size_t i = 0; i < rcps.size(); ++i) {
      for (const NamedPolicy* p : policies.rcp_levels[i]) scanPolicy(*p, PolicyType::Rcp, v, true, rcps[i], trace);
    }
  } else if (trace && !rcps.empty()) {
    trace->push_back("resource control policies: not applied (the service of " + request.action + " does not support them)");
  }

  // 3. AWS: an explicit Deny in any policy ends the evaluation.
  for (const Scan* s : {&identity, &resource, &boundary, &session}) appendRefs(d.decided_by, *s, true);
  for (const Scan& s : scps) appendRefs(d.decided_by, s, true);
  for (const Scan& s : rcps) appendRefs(d.decided_by, s, true);
  if (!d.decided_by.empty()) {
    d.outcome = Outcome::ExplicitDeny;
    d.reason = "an explicit deny applies";
    return d;
  }

  const auto deny = [&](std::optional<PolicyType> missing, std::string_view reason) {
    d.outcome = Outcome::ImplicitDeny;
    d.missing_allow = missing;
    d.reason = reason;
    d.decided_by.clear();
    if (trace) trace->push_back("decision: implicit deny: " + std::string(reason));
    return d;
  };
  const auto allow = [&](std::string_view reason) {
    d.outcome = Outcome::Allowed;
    d.reason = reason;
    if (trace) trace->push_back("decision: allowed: " + std::string(reason));
    return d;
  };

  // 4. Callers STS refuses outright.
  if (trust && caller.kind == Caller::Kind::Root) {
    // AWS: "Roles may not be assumed by root accounts."
    return deny(std::nullopt, "roles may not be assumed by root accounts");
  }
  if (trust && caller.kind == Caller::Kind::FederatedUser) {
    // AWS: GetFederationToken sessions cannot call STS (except GetCallerIdentity).
    return deny(std::nullopt, "federated-user sessions cannot call AWS STS role actions");
  }

  // 5. AWS: every SCP level on the caller's account path must allow.
  for (std::size_t i = 0; scp_applies && i < scps.size(); ++i) {
    if (!scps[i].anyAllow()) {
      if (trace) trace->push_back("service control policies: level " + std::to_string(i) + " has no Allow");
      return deny(PolicyType::Scp, "a level of service control policies has no Allow for the request");
    }
  }

  // 6. Unsigned or service callers: only the resource policy (and RCPs) decide.
  if (caller.kind == Caller::Kind::Service || caller.kind == Caller::Kind::IdentityProvider ||
      caller.kind == Caller::Kind::Anonymous) {
    if (!resource.anyAllow()) {
      return deny(resource_type, noAllow(resource_type));
    }
    appendRefs(d.decided_by, resource, false);
    return allow(trust ? "the role trust policy allows the caller" : "the resource-based policy allows the caller");
  }

  // 7. The caller's side: identity ∧ boundary ∧ session policy.
  const bool root = caller.kind == Caller::Kind::Root;
  // AWS: the root user needs no identity policy in its own account (nor as the caller side of a
  // cross-account request); boundaries do not apply to it.
  const bool unknown = policies.caller_side == PolicySet::CallerSide::Unknown;
  if (unknown && trace) {
    trace->push_back("caller's account is outside the model: its own policies are assumed to allow");
  }
  const bool identity_ok = root || unknown || identity.anyAllow();
  const bool boundary_ok = root || unknown || policies.boundary == nullptr || boundary.anyAllow();
  // AWS: a federated-user session without a session policy has no permissions.
  const bool session_ok = policies.session != nullptr ? session.anyAllow()
                                                      : (unknown || caller.kind != Caller::Kind::FederatedUser);
  const auto caller_side_missing = [&]() -> std::optional<PolicyType> {
    if (!identity_ok) return PolicyType::Identity;
    if (!boundary_ok) return PolicyType::Boundary;
    if (!session_ok) return PolicyType::Session;
    return std::nullopt;
  };
  const auto add_caller_side = [&]() {
    appendRefs(d.decided_by, identity, false);
    appendRefs(d.decided_by, boundary, false);
    appendRefs(d.decided_by, session, false);
  };

  // A same-account grant that names the caller directly bypasses some of the caller's policies
  // (aws-semantics §6.3, with §3.2 for trust policies).
  const auto direct_ok = [&](PrincipalMatch m) {
    switch (m) {
      case PrincipalMatch::Any:
      case PrincipalMatch::Session:
      case PrincipalMatch::FederatedUser:
      case PrincipalMatch::Service:
      case PrincipalMatch::Federated:
        return true;
      case PrincipalMatch::User:
        // AWS: a user-ARN grant ignores the boundary, except in a role trust policy.
        return !trust || boundary_ok;
      case PrincipalMatch::Role:
        // AWS: a role-ARN grant still answers to the session's boundary and session policy.
        return boundary_ok && (policies.session == nullptr || session.anyAllow());
      case PrincipalMatch::Account:
      case PrincipalMatch::None:
        return false;
    }
    return false;
  };
  std::vector<StatementRef> direct_refs;
  for (const Applicable& a : resource.allows) {
    if (direct_ok(a.principal)) direct_refs.push_back(a.ref());
  }

  if (!same_account || policies.caller_side == PolicySet::CallerSide::Required) {
    // AWS: cross-account access needs both the resource policy and the caller's own account.
    if (!resource.anyAllow()) {
      return deny(resource_type, noAllow(resource_type));
    }
    if (const auto miss = caller_side_missing()) {
      return deny(*miss, noAllow(*miss));
    }
    appendRefs(d.decided_by, resource, false);
    add_caller_side();
    return allow(trust ? "cross-account: the role trust policy and the caller's own policies both allow"
                       : "cross-account: the resource-based policy and the caller's own policies both allow");
  }
  if (!direct_refs.empty()) {
    d.decided_by = direct_refs;
    if (!root && identity.anyAllow()) appendRefs(d.decided_by, identity, false);
    return allow(trust ? "the role trust policy names the caller directly"
                       : "the resource-based policy names the caller directly");
  }
  if (trust || kms_key) {
    // AWS: a role trust policy or KMS key policy must allow the caller itself; identity policies
    // count only when it allows the account.
    if (!resource.anyAllow()) {
      return deny(resource_type, noAllow(resource_type));
    }
  }
  if (const auto miss = caller_side_missing()) {
    return deny(*miss, noAllow(*miss));
  }
  appendRefs(d.decided_by, resource, false);
  add_caller_side();
  return allow(resource.anyAllow() ? "the caller's own policies allow and the resource-based policy allows the account"
                                     : "the caller's own policies allow");
}

std::string_view toString(Outcome outcome) {
  switch (outcome) {
    case Outcome::Allowed:
      return "allowed";
    case Outcome::ExplicitDeny:
      return "explicitDeny";
    case Outcome::ImplicitDeny:
      return "implicitDeny";
    case Outcome::InvalidPolicy:
      return "invalidPolicy";
  }
  return "implicitDeny";
}

std::string_view toString(PolicyType type) {
  switch (type) {
    case PolicyType::Identity:
      return "identity";
    case PolicyType::Trust:
      return "trust";
    case PolicyType::Resource:
      return "resource";
    case PolicyType::Boundary:
      return "boundary";
    case PolicyType::Session:
      return "session";
    case PolicyType::Scp:
      return "scp";
    case PolicyType::Rcp:
      return "rcp";
  }
  return "identity";
}

std::string awsReason(const Decision& d, std::string_view action) {
  const auto words = [](PolicyType t) -> std::string {
    switch (t) {
      case PolicyType::Identity:
        return "identity-based policy";
      case PolicyType::Trust:
        return "role trust policy";
      case PolicyType::Resource:
        return "resource-based policy";
      case PolicyType::Boundary:
        return "permissions boundary";
      case PolicyType::Session:
        return "session policy";
      case PolicyType::Scp:
        return "service control policy";
      case PolicyType::Rcp:
        return "resource control policy";
    }
    return "policy";
  };
  const auto article = [&](PolicyType t) -> std::string {
    switch (t) {
      case PolicyType::Identity:
        return "an identity-based policy";
      case PolicyType::Trust:
        return "the role trust policy";
      case PolicyType::Resource:
        return "a resource-based policy";
      case PolicyType::Boundary:
        return "a permissions boundary";
      case PolicyType::Session:
        return "a session policy";
      case PolicyType::Scp:
        return "a service control policy";
      case PolicyType::Rcp:
        return "a resource control policy";
    }
    return "a policy";
  };
  if (d.outcome == Outcome::ExplicitDeny && !d.decided_by.empty()) {
    return "with an explicit deny in " + article(d.decided_by.front().type);
  }
  if (d.outcome == Outcome::ImplicitDeny && d.missing_allow) {
    return "because no " + words(*d.missing_allow) + " allows the " + std::string(action) + " action";
  }
  return {};
}

}  // namespace trustsim
