// SPDX-License-Identifier: Apache-2.0
// WorldEdits applied to a world: removals, attachments, inline policies, group membership and
// organisation policies, each found by the names infrastructure code uses.
#include "load/world_edits.h"

#include <algorithm>

#include "match/condition_ops.h"

namespace trustsim::load {
namespace {

using Op = WorldEdit::Op;
using Target = WorldEdit::Target;

std::string folded(std::string_view s) { return match::foldCase(s); }

bool subtractive(Op op) {
  switch (op) {
    case Op::Remove:
    case Op::Detach:
    case Op::DeleteInline:
    case Op::LeaveGroup:
    case Op::DetachOrgPolicy:
      return true;
    case Op::Attach:
    case Op::PutInline:
    case Op::JoinGroup:
    case Op::PutOrgPolicy:
    case Op::AttachOrgPolicy:
      return false;
  }
  return false;
}

// AWS: IAM names are unique per account ignoring case.
template <typename Map>
auto* findNamed(Map& map, const std::string& account, const std::string& name) {
  const std::string want = folded(name);
  for (auto& [arn, entity] : map) {
    if (entity.account == account && folded(entity.name) == want) return &entity;
  }
  return static_cast<typename Map::mapped_type*>(nullptr);
}

template <typename T>
void eraseValue(std::vector<T>& v, const T& value) {
  v.erase(std::remove(v.begin(), v.end(), value), v.end());
}

template <typename T>
void addValue(std::vector<T>& v, const T& value) {
  if (std::find(v.begin(), v.end(), value) == v.end()) v.push_back(value);
}

void putInline(std::vector<NamedPolicy>& policies, const NamedPolicy& policy) {
  for (NamedPolicy& p : policies) {
    if (p.name == policy.name) {
      p = policy;
      return;
    }
  }
  policies.push_back(policy);
}

void deleteInline(std::vector<NamedPolicy>& policies, const std::string& name) {
  policies.erase(std::remove_if(policies.begin(), policies.end(),
                                [&](const NamedPolicy& p) { return p.name == name; }),
                 policies.end());
}

// Managed policies and inline policies of the principal the edit names; false when absent.
bool editPrincipal(World& world, const WorldEdit& e) {
  const auto apply = [&](auto* entity) {
    if (entity == nullptr) return false;
    switch (e.op) {
      case Op::Attach:
        addValue(entity->managed_policies, e.item);
        break;
      case Op::Detach:
        eraseValue(entity->managed_policies, e.item);
        break;
      case Op::PutInline:
        if (e.policy) putInline(entity->inline_policies, *e.policy);
        break;
      case Op::DeleteInline:
        deleteInline(entity->inline_policies, e.item);
        break;
      case Op::Remove:
      case Op::JoinGroup:
      case Op::LeaveGroup:
      case Op::PutOrgPolicy:
      case Op::AttachOrgPolicy:
      case Op::DetachOrgPolicy:
        break;  // INVARIANT: applyOne sends only principal edits here
    }
    return true;
  };
  switch (e.target) {
    case Target::Role:
      return apply(findNamed(world.roles, e.account, e.name));
    case Target::User:
      return apply(findNamed(world.users, e.account, e.name));
    case Target::Group:
      return apply(findNamed(world.groups, e.account, e.name));
    case Target::ManagedPolicy:
    case Target::Resource:
    case Target::IdentityProvider:
    case Target::OrgPolicy:
    case Target::Organization:
      return false;
  }
  return false;
}

bool editMembership(World& world, const WorldEdit& e) {
  User* user = findNamed(world.users, e.account, e.name);
  if (user == nullptr) return false;
  const std::string want = folded(e.item);
  std::vector<std::string>& groups = user->groups;
  groups.erase(std::remove_if(groups.begin(), groups.end(),
                              [&](const std::string& g) { return folded(g) == want; }),
               groups.end());
  // AWS: a user's group list names groups of its own account.
  if (e.op == Op::JoinGroup) groups.push_back(e.item);
  return true;
}

bool remove(World& world, const WorldEdit& e) {
  switch (e.target) {
    case Target::Role:
      return world.roles.erase(e.name) > 0;
    case Target::User:
      return world.users.erase(e.name) > 0;
    case Target::Group: {
      const auto it = world.groups.find(e.name);
      if (it == world.groups.end()) return false;
      for (auto& [arn, user] : world.users) {
        if (user.account == it->second.account) eraseValue(user.groups, it->second.name);
      }
      world.groups.erase(it);
      return true;
    }
    case Target::ManagedPolicy:
      return world.policies.erase(e.name) > 0;
    case Target::Resource:
      return world.resources.erase(e.name) > 0;
    case Target::IdentityProvider:
      return world.identity_providers.erase(e.name) > 0;
    case Target::OrgPolicy:
      if (!world.organization || world.organization->policies.erase(e.name) == 0) return false;
      for (auto& [id, node] : world.organization->nodes) {
        eraseValue(node.scps, e.name);
        eraseValue(node.rcps, e.name);
      }
      return true;
    case Target::Organization:
      return false;
  }
  return false;
}

bool editOrganization(World& world, const WorldEdit& e) {
  if (!world.organization) return false;
  Organization& org = *world.organization;
  if (e.op == Op::PutOrgPolicy) {
    if (e.policy) org.policies[e.item] = *e.policy;
    return true;
  }
  const auto node = org.nodes.find(e.name);
  const auto policy = org.policies.find(e.item);
  if (node == org.nodes.end()) return false;
  if (e.op == Op::DetachOrgPolicy) {
    eraseValue(node->second.scps, e.item);
    eraseValue(node->second.rcps, e.item);
    return true;
  }
  if (policy == org.policies.end()) return false;
  addValue(policy->second.policy.kind == PolicyKind::Rcp ? node->second.rcps : node->second.scps,
           e.item);
  return true;
}

bool applyOne(World& world, const WorldEdit& e) {
  switch (e.op) {
    case Op::Remove:
      return remove(world, e);
    case Op::Attach:
    case Op::Detach:
    case Op::PutInline:
    case Op::DeleteInline:
      return editPrincipal(world, e);
    case Op::JoinGroup:
    case Op::LeaveGroup:
      return editMembership(world, e);
    case Op::PutOrgPolicy:
    case Op::AttachOrgPolicy:
    case Op::DetachOrgPolicy:
      return editOrganization(world, e);
  }
  return false;
}

std::string unresolvedReason(const World& world, const WorldEdit& e) {
  if (e.op == Op::AttachOrgPolicy) {
    if (!world.organization) {
      return "no input before it describes the organisation (load an organization file or a "
             "scenario with "
             "`organization` before the plan)";
    }
    if (!world.organization->nodes.contains(e.name))
      return "`" + e.name + "` is not a root, OU or account of the organisation";
    return "the organisation has no policy `" + e.item + "`";
  }
  return "neither this input nor an input before it defines it";
}

}  // namespace

void applyEdits(World& world, const std::vector<WorldEdit>& edits,
                std::vector<WorldEdit>* unresolved) {
  for (const bool pass_subtractive : {true, false}) {
    for (const WorldEdit& e : edits) {
      if (subtractive(e.op) != pass_subtractive || applyOne(world, e)) continue;
      if (unresolved != nullptr) {
        unresolved->push_back(e);
      } else if (!subtractive(e.op) && e.op != Op::PutOrgPolicy) {
        // A removal that finds nothing has nothing to do; an addition that finds nothing is lost.
        world.diagnostics.push_back(Diagnostic{"input.unresolved_target",
                                               "`" + e.origin.address + "` " + e.subject +
                                                   ", but " + unresolvedReason(world, e) +
                                                   ": the change is not applied",
                                               e.origin.where, e.origin.file, Severity::Warning});
      }
    }
  }
}

}  // namespace trustsim::load
