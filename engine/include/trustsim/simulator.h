// SPDX-License-Identifier: Apache-2.0
// The facade over a World: resolve principals, simulate STS AssumeRole (single calls and chains)
// and any other request, exactly as AWS decides them (aws-semantics §3-§5).
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "trustsim/decision.h"
#include "trustsim/evaluate.h"
#include "trustsim/request.h"
#include "trustsim/result.h"
#include "trustsim/world.h"

namespace trustsim {

// Who is calling: an entity of the world (or outside it) plus the attributes of its session.
struct Identity {
  Caller caller;                  // kind, ARN as AWS shows it, account, role and session names
  const User* user = nullptr;     // IAM user (or the user behind a federated-user session)
  const Role* role = nullptr;     // the role behind a role session
  bool external = false;          // outside the model: its own account's policies are unknown
  std::string principal_arn;      // aws:PrincipalArn: user ARN, role ARN with path, or :root
  std::string user_id;            // aws:userid: AIDA..., AROA...:session, account id
  bool temporary = false;         // session credentials (aws:MultiFactorAuthPresent is present)
  bool chained = false;           // a session made by AssumeRole (next AssumeRole is chaining)
  bool mfa = false;
  std::optional<std::string> source_identity;
  std::vector<Tag> session_tags;           // passed and inherited session tags
  std::vector<std::string> transitive_keys;  // keys of session_tags that are transitive
  std::optional<NamedPolicy> session_policy;
  int duration_seconds = 0;       // sessions: granted duration
};

// One AssumeRole call's parameters (STS API names).
struct AssumeParams {
  std::string role_arn;
  std::optional<std::string> session_name;  // default: the user's name for IAM users, else `trustsim`
  std::optional<std::string> external_id;
  std::optional<std::string> source_identity;
  std::vector<Tag> tags;
  std::vector<std::string> transitive_tag_keys;
  std::optional<int> duration_seconds;
  bool mfa = false;  // SerialNumber and TokenCode passed
  std::optional<NamedPolicy> session_policy;
  // Environment keys the scenario supplies (aws:SourceIp, aws:CurrentTime, aws:SourceVpc, ...);
  // the simulator derives every other key (aws-semantics §3.4) and never invents one.
  std::vector<std::pair<std::string, std::string>> environment;
};

// How one STS call ended.
enum class CallStatus { Allowed, AccessDenied, ValidationError };
std::string_view toString(CallStatus status);  // allowed, accessDenied, validationError

// One authorization check made during a call (`sts:AssumeRole`, `sts:TagSession`, ...).
struct CallCheck {
  std::string action;
  Decision decision;
};

struct HopResult {
  std::string role_arn;
  std::string caller_arn;  // as AWS names the caller in messages (session ARN without path)
  CallStatus status = CallStatus::AccessDenied;
  std::string message;        // AWS's text, e.g. `User: ... is not authorized to perform: ...`
  std::string reason;         // AWS's optional reason suffix (`because no role trust policy ...`)
  std::string failed_action;  // the action that was refused
  std::vector<CallCheck> checks;
  std::optional<Identity> session;  // on success: the new session
  std::vector<std::string> trace;
};

struct AssumeResult {
  CallStatus status = CallStatus::AccessDenied;
  std::vector<HopResult> hops;  // stops at the first failure
  const HopResult& last() const { return hops.back(); }
};

struct SimulateResult {
  Decision decision;
  std::string message;  // AWS-shaped AccessDenied text when denied
  Request request;      // with the derived context
};

struct SimOptions {
  bool trace = false;
  // MODEL (aws-semantics §5.3): whether a chained session reports MFA when the call passes none.
  bool chained_mfa_carries_over = false;
};

class Simulator {
 public:
  // Resolves references (managed policies, groups, boundaries, org policies) and builds the
  // indexes. Unresolvable references in scenario input are errors (`world.*`); dumps only warn.
  static Result<Simulator> build(World world);
  Simulator(Simulator&&) noexcept;
  Simulator& operator=(Simulator&&) noexcept;
  ~Simulator();

  const World& world() const;
  const Diagnostics& warnings() const;

  // Reads `--as`: a user, role (a session named `session_name`), assumed-role session, root or
  // account id, service principal, identity provider, or `vendor:NAME`. A principal of an account
  // outside the model is `external`. Errors: `identity.unknown` (an account we model lacks it),
  // `identity.invalid`.
  Result<Identity> identity(std::string_view principal, const std::string& session_name = "trustsim") const;

  // AssumeRole (or AssumeRoleWithSAML/WebIdentity for identity providers) hop by hop.
  AssumeResult assume(const Identity& caller, const std::vector<AssumeParams>& hops,
                      const SimOptions& options = {}) const;
  // The same over hops the caller owns elsewhere (one hop without copying it into a vector).
  AssumeResult assume(const Identity& caller, std::span<const AssumeParams> hops, const SimOptions& options = {}) const;

  // Any request by `who`, with the resource's policy and both accounts' guardrails.
  SimulateResult simulate(const Identity& who, const std::string& action, const std::string& resource,
                          const std::vector<std::pair<std::string, std::string>>& context,
                          const SimOptions& options = {}) const;

  // The policies on the caller's side of a request by `who` (identity, boundary, session policy,
  // SCP levels of its account); pointers into the world.
  PolicySet callerPolicies(const Identity& who) const;

  // The role with this ARN (case-insensitive name match within its account), if modelled.
  const Role* findRole(std::string_view arn) const;

 private:
  struct Impl;
  explicit Simulator(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The AccessDenied text STS gives (aws-semantics §4.4), without the SDK's wrapper.
std::string accessDeniedMessage(std::string_view caller_arn, std::string_view action,
                                std::string_view resource);

}  // namespace trustsim
