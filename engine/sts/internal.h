// SPDX-License-Identifier: Apache-2.0
// The Simulator's private state, shared by simulator.cc and assume.cc.
#pragma once

#include <map>
#include <unordered_map>
#include <string>
#include <vector>

#include "trustsim/simulator.h"

namespace trustsim {

struct EntityPolicies {
  std::vector<const NamedPolicy*> identity;  // inline + managed (+ the user's groups')
  const NamedPolicy* boundary = nullptr;
};

// INVARIANT: `world` is never modified after build(); every pointer below points into it.
struct Simulator::Impl {
  World world;
  Diagnostics warnings;
  std::unordered_map<std::string, const Role*> roles_by_key;  // partition|account|folded name
  std::map<const User*, EntityPolicies> user_policies;
  std::map<const Role*, EntityPolicies> role_policies;
  std::map<std::string, std::vector<std::vector<const NamedPolicy*>>> scp_levels;  // by account
  std::map<std::string, std::vector<std::vector<const NamedPolicy*>>> rcp_levels;  // by account
  std::map<std::string, std::string> org_paths;  // account → o-x/r-y/ou-a/

  const Role* findRole(std::string_view partition, std::string_view account, std::string_view name) const;
  const Resource* findResource(const std::string& arn) const;
  bool isOurs(std::string_view account) const;
  Identity sessionOf(const Role& role, const std::string& session_name) const;
  PolicySet callerPolicies(const Identity& id) const;
  void addRcps(PolicySet& set, const std::string& resource_account, const Identity& who) const;
  void addPrincipalKeys(RequestContext& ctx, const Identity& id) const;
  void addResourceKeys(RequestContext& ctx, const std::string& account, const std::vector<Tag>& tags,
                       bool iam_role) const;
};

}  // namespace trustsim
