// SPDX-License-Identifier: Apache-2.0
// Principal / NotPrincipal matching (aws-semantics §2.2): which entry names the caller, and how.
#pragma once

#include <string_view>

#include "trustsim/policy.h"
#include "trustsim/request.h"

namespace trustsim::match {

// How a Principal element named the caller. The order is the order of preference when several
// entries match: earlier kinds bypass more of the caller's own policies (aws-semantics §6.3).
enum class PrincipalMatch {
  None,
  Account,        // account id or :root: delegation, the caller's identity policies decide
  Role,           // role ARN (caller is one of its sessions) or an AROA unique id
  User,           // user ARN or an AIDA unique id
  Session,        // exact assumed-role session ARN
  FederatedUser,  // exact federated-user ARN
  Service,        // service principal
  Federated,      // identity provider
  Any,            // "*"
};
std::string_view toString(PrincipalMatch match);

// `resource_partition` is the partition a bare account id is read in.
PrincipalMatch matchPrincipalEntry(const PrincipalEntry& entry, const Caller& caller,
                                   std::string_view resource_partition, const RequestContext& ctx);
// The most specific match over all entries (None when nothing matches).
PrincipalMatch matchPrincipalSet(const PrincipalSet& set, const Caller& caller,
                                 std::string_view resource_partition, const RequestContext& ctx);

// NotPrincipal exemption (aws-semantics §2.4): a caller escapes a Deny + NotPrincipal only when the
// list names every layer of its identity: the account, and the user, or the role and the session.
bool namesEveryLayer(const PrincipalSet& set, const Caller& caller,
                     std::string_view resource_partition, const RequestContext& ctx);

}  // namespace trustsim::match
