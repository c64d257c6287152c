// SPDX-License-Identifier: Apache-2.0
// Principal matching: one function per principal form, no wildcards except the whole `*`.
#include "match/principal_match.h"

#include <algorithm>

namespace trustsim::match {
namespace {

// AWS: the preference when a statement names the caller several ways.
int rank(PrincipalMatch m) { return static_cast<int>(m); }

}  // namespace

std::string_view toString(PrincipalMatch match) {
  switch (match) {
    case PrincipalMatch::None:
      return "none";
    case PrincipalMatch::Account:
      return "account";
    case PrincipalMatch::Role:
      return "role";
    case PrincipalMatch::User:
      return "user";
    case PrincipalMatch::Session:
      return "session";
    case PrincipalMatch::FederatedUser:
      return "federated-user";
    case PrincipalMatch::Service:
      return "service";
    case PrincipalMatch::Federated:
      return "identity-provider";
    case PrincipalMatch::Any:
      return "any";
  }
  return "none";
}

PrincipalMatch matchPrincipalEntry(const PrincipalEntry& e, const Caller& c,
                                   std::string_view resource_partition, const RequestContext& ctx) {
  using T = PrincipalEntry::Type;
  using K = Caller::Kind;
  const bool aws_caller = c.kind == K::User || c.kind == K::RoleSession || c.kind == K::Role ||
                          c.kind == K::FederatedUser || c.kind == K::Root;
  // AWS: AssumeRole never crosses partitions; ARNs compare case-sensitively.
  const bool same_partition = e.partition == c.partition;
  switch (e.type) {
    case T::Any:
      return PrincipalMatch::Any;  // MODEL: "*" and {"AWS":"*"} match every caller kind
    case T::Account: {
      const std::string_view partition = e.partition.empty() ? resource_partition : e.partition;
      // AWS: an account principal delegates to the whole account, not only its root user.
      return aws_caller && c.account == e.account && c.partition == partition ? PrincipalMatch::Account
                                                                            : PrincipalMatch::None;
    }
    case T::User:
      return c.kind == K::User && c.arn == e.value ? PrincipalMatch::User : PrincipalMatch::None;
    case T::Role:
      // AWS: a role ARN names every session of the role; session ARNs drop the role's path, and
      // role names are unique per account, so (partition, account, name) identifies the role.
      if (c.kind == K::RoleSession && same_partition && c.account == e.account &&
          c.role_name == e.name) {
        // AWS: IAM stores the role's unique id, so only the ARN with the role's real path names
        // it; when the model knows the role, compare the whole ARN.
        return c.role_arn.empty() || c.role_arn == e.value ? PrincipalMatch::Role : PrincipalMatch::None;
      }
      return c.kind == K::Role && c.arn == e.value ? PrincipalMatch::Role : PrincipalMatch::None;
    case T::Session:
      return c.kind == K::RoleSession && c.arn == e.value ? PrincipalMatch::Session
                                                          : PrincipalMatch::None;
    case T::FederatedUser:
      return c.kind == K::FederatedUser && c.arn == e.value ? PrincipalMatch::FederatedUser
                                                            : PrincipalMatch::None;
    case T::UniqueId: {
      // AWS: a unique id names the entity holding it now; a deleted entity's id matches nothing.
      // Requests carry the holder's id in aws:userid (`AIDA...` or `AROA...:session`).
      static const std::string kUserId = "aws:userid";
      const ContextValue* v = ctx.find(kUserId);
      if (v == nullptr || v->values.size() != 1) {
        return PrincipalMatch::None;
      }
      const std::string& id = v->values[0];
      if (e.value.rfind("AIDA", 0) == 0) {
        return c.kind == K::User && id == e.value ? PrincipalMatch::User : PrincipalMatch::None;
      }
      const bool role_caller = c.kind == K::RoleSession || c.kind == K::Role;
      return role_caller && (id == e.value || id.rfind(e.value + ":", 0) == 0) ? PrincipalMatch::Role
                                                                               : PrincipalMatch::None;
    }
    case T::Service:
      return c.kind == K::Service && c.arn == e.value ? PrincipalMatch::Service : PrincipalMatch::None;
    case T::Federated:
      return c.kind == K::IdentityProvider && c.arn == e.value ? PrincipalMatch::Federated
                                                               : PrincipalMatch::None;
    case T::CanonicalUser:
    case T::Invalid:
      return PrincipalMatch::None;
  }
  return PrincipalMatch::None;
}

PrincipalMatch matchPrincipalSet(const PrincipalSet& set, const Caller& caller,
                                 std::string_view resource_partition, const RequestContext& ctx) {
  PrincipalMatch best = PrincipalMatch::None;
  for (const PrincipalEntry& e : set.entries) {
    const PrincipalMatch m = matchPrincipalEntry(e, caller, resource_partition, ctx);
    if (rank(m) > rank(best)) {
      best = m;
    }
  }
  return best;
}

bool namesEveryLayer(const PrincipalSet& set, const Caller& caller,
                     std::string_view resource_partition, const RequestContext& ctx) {
  bool any = false, account = false, self = false, role = false;
  for (const PrincipalEntry& e : set.entries) {
    switch (matchPrincipalEntry(e, caller, resource_partition, ctx)) {
      case PrincipalMatch::Any:
        any = true;
        break;
      case PrincipalMatch::Account:
        account = true;
        break;
      case PrincipalMatch::Role:
        role = true;
        break;
      case PrincipalMatch::User:
      case PrincipalMatch::Session:
      case PrincipalMatch::FederatedUser:
      case PrincipalMatch::Service:
      case PrincipalMatch::Federated:
        self = true;
        break;
      case PrincipalMatch::None:
        break;
    }
  }
  if (any) {
    return true;
  }
  switch (caller.kind) {
    case Caller::Kind::Service:
    case Caller::Kind::IdentityProvider:
      return self;
    case Caller::Kind::Anonymous:
      return false;
    case Caller::Kind::Root:
      return account;
    case Caller::Kind::Role:
      return account && role;
    case Caller::Kind::RoleSession:
      // AWS: list the session ARN, the role ARN and the account, or a parent layer is denied.
      return account && role && self;
    case Caller::Kind::User:
    case Caller::Kind::FederatedUser:
      return account && self;
  }
  return false;
}

}  // namespace trustsim::match
