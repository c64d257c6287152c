// SPDX-License-Identifier: Apache-2.0
// The Simulator facade: indexes over the World, principal resolution, the policies that apply to
// a caller and a resource, and the request context AWS would derive (aws-semantics §3.4).
#include "trustsim/simulator.h"

#include <algorithm>

#include "match/condition_ops.h"
#include "sts/internal.h"
#include "trustsim/arn.h"

namespace trustsim {

using match::foldCase;

Simulator::Simulator(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Simulator::Simulator(Simulator&&) noexcept = default;
Simulator& Simulator::operator=(Simulator&&) noexcept = default;
Simulator::~Simulator() = default;

const World& Simulator::world() const { return impl_->world; }
const Diagnostics& Simulator::warnings() const { return impl_->warnings; }

namespace {

std::string roleKey(std::string_view partition, std::string_view account, std::string_view name) {
  return std::string(partition) + "|" + std::string(account) + "|" + foldCase(name);
}

void warn(Diagnostics& out, std::string code, std::string message, const Origin& origin) {
  out.push_back(Diagnostic{std::move(code), std::move(message), origin.where, origin.file, Severity::Warning});
}

}  // namespace

Result<Simulator> Simulator::build(World world) {
  auto impl = std::make_unique<Impl>();
  impl->world = std::move(world);
  Impl& m = *impl;
  World& w = m.world;
  m.warnings = w.diagnostics;

  for (const auto& [arn, role] : w.roles) {
    const auto a = ArnView::parse(arn);
    m.roles_by_key[roleKey(a ? a->partition : "aws", role.account, role.name)] = &role;
  }
  std::map<std::string, const Group*> groups_by_key;
  for (const auto& [arn, group] : w.groups) {
    groups_by_key[group.account + "|" + group.name] = &group;
  }
  const auto managed = [&](const std::string& arn, const Origin& origin, std::vector<const NamedPolicy*>& out) {
    const auto it = w.policies.find(arn);
    if (it == w.policies.end()) {
      warn(m.warnings, "world.unresolved_policy",
           "managed policy `" + arn + "` is not in the input: it is left out of the evaluation", origin);
      return;
    }
    out.push_back(&it->second.document);
  };
  const auto boundary = [&](const std::optional<std::string>& arn, const Origin& origin) -> const NamedPolicy* {
    if (!arn) return nullptr;
    const auto it = w.policies.find(*arn);
    if (it == w.policies.end()) {
      // MODEL: an unknown boundary is ignored (over-approximates access) with a warning.
      warn(m.warnings, "world.unresolved_boundary",
           "permissions boundary `" + *arn + "` is not in the input: it is not applied", origin);
      return nullptr;
    }
    return &it->second.document;
  };
  for (const auto& [arn, user] : w.users) {
    EntityPolicies& ep = m.user_policies[&user];
    for (const NamedPolicy& p : user.inline_policies) ep.identity.push_back(&p);
    for (const std::string& a : user.managed_policies) managed(a, user.origin, ep.identity);
    for (const std::string& g : user.groups) {
      const auto it = groups_by_key.find(user.account + "|" + g);
      if (it == groups_by_key.end()) {
        warn(m.warnings, "world.unknown_group", "user `" + arn + "` is in group `" + g + "`, which is not in the input", user.origin);
        continue;
      }
      for (const NamedPolicy& p : it->second->inline_policies) ep.identity.push_back(&p);
      for (const std::string& a : it->second->managed_policies) managed(a, it->second->origin, ep.identity);
    }
    ep.boundary = boundary(user.permissions_boundary, user.origin);
  }
  for (const auto& [arn, role] : w.roles) {
    EntityPolicies& ep = m.role_policies[&role];
    for (const NamedPolicy& p : role.inline_policies) ep.identity.push_back(&p);
    for (const std::string& a : role.managed_policies) managed(a, role.origin, ep.identity);
    ep.boundary = boundary(role.permissions_boundary, role.origin);
  }
  if (w.organization) {
    const Organization& org = *w.organization;
    for (const auto& [id, node] : org.nodes) {
      if (!isAccountId(id)) continue;
      // Path root → OUs → account (aws-semantics §10.2).
      std::vector<const OrgNode*> path;
      for (const OrgNode* n = &node; n != nullptr;) {
        path.push_back(n);
        if (path.size() > 8 || n->parent.empty()) break;
        const auto p = org.nodes.find(n->parent);
        n = p == org.nodes.end() ? nullptr : &p->second;
      }
      std::reverse(path.begin(), path.end());
      std::string paths = org.id + "/";
      for (const OrgNode* n : path) {
        if (n != &node) paths += n->id + "/";
      }
      m.org_paths[id] = paths;
      const auto levels = [&](bool scp) {
        std::vector<std::vector<const NamedPolicy*>> out;
        for (const OrgNode* n : path) {
          out.emplace_back();
          for (const std::string& pid : scp ? n->scps : n->rcps) {
            const auto it = org.policies.find(pid);
            if (it == org.policies.end()) {
              warn(m.warnings, "world.unresolved_org_policy", "organization policy `" + pid + "` attached to `" + n->id + "` is not in the input", org.origin);
              continue;
            }
            out.back().push_back(&it->second);
          }
        }
        return out;
      };
      // AWS: SCPs and RCPs do not affect the management account.
      if (id != org.management_account) {
        if (org.scps_enabled) m.scp_levels[id] = levels(true);
        if (org.rcps_enabled) m.rcp_levels[id] = levels(false);
      }
    }
  }
  return Simulator(std::move(impl));
}

const Role* Simulator::findRole(std::string_view arn) const {
  const auto a = ArnView::parse(arn);
  if (!a || a->service != "iam" || a->resource.substr(0, 5) != "role/") return nullptr;
  return impl_->findRole(a->partition, a->account, roleNameOfResource(a->resource));
}

const Role* Simulator::Impl::findRole(std::string_view partition, std::string_view account,
                                      std::string_view name) const {
  const auto it = roles_by_key.find(roleKey(partition, account, name));
  return it == roles_by_key.end() ? nullptr : it->second;
}

bool Simulator::Impl::isOurs(std::string_view account) const {
  const auto it = world.accounts.find(std::string(account));
  return it != world.accounts.end() && it->second.ours;
}

Identity Simulator::Impl::sessionOf(const Role& role, const std::string& session_name) const {
  Identity id;
  const auto a = ArnView::parse(role.arn);
  const std::string partition(a ? a->partition : "aws");
  id.caller.kind = Caller::Kind::RoleSession;
  // AWS: a session ARN is in the role's account, under sts, and drops the role's path.
  id.caller.arn = "arn:" + partition + ":sts::" + role.account + ":assumed-role/" + role.name + "/" + session_name;
  id.caller.partition = partition;
  id.caller.account = role.account;
  id.caller.role_name = role.name;
  id.caller.session_name = session_name;
  id.caller.role_arn = role.arn;
  id.role = &role;
  id.principal_arn = role.arn;
  id.user_id = (role.id.empty() ? "AROA" + role.name : role.id) + ":" + session_name;
  id.temporary = true;
  id.duration_seconds = 3600;
  return id;
}

Result<Identity> Simulator::identity(std::string_view principal, const std::string& session_name) const {
  const Impl& m = *impl_;
  const auto fail = [&](std::string code, std::string message) {
    return Result<Identity>(Diagnostics{Diagnostic{std::move(code), std::move(message), "--as", {}, Severity::Error}});
  };
  std::string text(principal);
  if (text.rfind("vendor:", 0) == 0) {
    const std::string name = text.substr(7);
    for (const Vendor& v : m.world.vendors) {
      if (foldCase(v.name) != foldCase(name)) continue;
      if (!v.principals.empty()) {
        return identity(v.principals.front(), v.session_name.value_or(session_name));
      }
      if (!v.accounts.empty()) {
        return identity("arn:aws:iam::" + v.accounts.front() + ":role/" + v.name, v.session_name.value_or(session_name));
      }
    }
    return fail("identity.unknown", "no vendor named `" + name + "` in the input");
  }
  if (isAccountId(text)) text = "arn:aws:iam::" + text + ":root";
  std::string session_default = session_name;
  if (session_name == "trustsim") {
    // A vendor's principal calls with the session name the vendor uses, when the input says.
    for (const Vendor& v : m.world.vendors) {
      if (v.session_name && std::find(v.principals.begin(), v.principals.end(), text) != v.principals.end()) {
        session_default = *v.session_name;
      }
    }
  }
  const auto caller = parseCaller(text, "sts:AssumeRole");
  if (!caller) {
    return fail("identity.invalid", "`" + text + "` is not a principal: give a user, role or assumed-role ARN, an account id, a service principal, an identity provider ARN or vendor:NAME");
  }
  Identity id;
  id.caller = *caller;
  switch (caller->kind) {
    case Caller::Kind::Service:
    case Caller::Kind::IdentityProvider:
    case Caller::Kind::Anonymous:
      return id;
    case Caller::Kind::Root:
      id.principal_arn = caller->arn;
      id.user_id = caller->account;
      return id;
    case Caller::Kind::User: {
      const auto it = m.world.users.find(caller->arn);
      if (it == m.world.users.end()) break;
      id.user = &it->second;
      id.principal_arn = caller->arn;
      id.user_id = it->second.id.empty() ? "AIDA" + it->second.name : it->second.id;
      return id;
    }
    case Caller::Kind::Role:
    case Caller::Kind::RoleSession: {
      const Role* role = m.findRole(caller->partition, caller->account, caller->role_name);
      if (role == nullptr) break;
      if (caller->kind == Caller::Kind::Role && role->arn != caller->arn) {
        return fail("identity.unknown", "`" + caller->arn + "` does not match the modelled role `" + role->arn + "` (path or case differ)");
      }
      return m.sessionOf(*role, caller->kind == Caller::Kind::RoleSession ? caller->session_name : session_default);
    }
    case Caller::Kind::FederatedUser:
      id.principal_arn = caller->arn;
      id.user_id = caller->account + ":" + caller->arn.substr(caller->arn.rfind('/') + 1);
      id.temporary = true;
      break;
  }
  // Not in the model.
  if (m.isOurs(caller->account)) {
    return fail("identity.unknown", "`" + caller->arn + "` is not in the input, and its account " + caller->account + " is one we model");
  }
  // MODEL: a principal of an account outside the model; its own account's policies are unknown
  // and assumed to allow what it asks (the third party controls them).
  id.external = true;
  if (caller->kind == Caller::Kind::Role || caller->kind == Caller::Kind::RoleSession) {
    const std::string sess = caller->kind == Caller::Kind::RoleSession ? caller->session_name : session_default;
    id.caller.kind = Caller::Kind::RoleSession;
    id.caller.session_name = sess;
    id.caller.arn = "arn:" + caller->partition + ":sts::" + caller->account + ":assumed-role/" + caller->role_name + "/" + sess;
    id.principal_arn = caller->kind == Caller::Kind::Role
                           ? caller->arn
                           : "arn:" + caller->partition + ":iam::" + caller->account + ":role/" + caller->role_name;
    id.user_id = "AROA-" + caller->role_name + ":" + sess;
    id.temporary = true;
  } else if (caller->kind == Caller::Kind::User) {
    id.principal_arn = caller->arn;
    id.user_id = "AIDA-" + caller->arn.substr(caller->arn.rfind('/') + 1);
  }
  return id;
}

PolicySet Simulator::callerPolicies(const Identity& who) const { return impl_->callerPolicies(who); }

PolicySet Simulator::Impl::callerPolicies(const Identity& id) const {
  PolicySet set;
  if (id.external) {
    set.caller_side = PolicySet::CallerSide::Unknown;
  }
  const EntityPolicies* ep = nullptr;
  if (id.user != nullptr) {
    const auto it = user_policies.find(id.user);
    ep = it == user_policies.end() ? nullptr : &it->second;
  } else if (id.role != nullptr) {
    const auto it = role_policies.find(id.role);
    ep = it == role_policies.end() ? nullptr : &it->second;
  }
  if (ep != nullptr) {
    set.identity = ep->identity;
    set.boundary = ep->boundary;
  }
  set.session = id.session_policy ? &*id.session_policy : nullptr;
  const bool service_linked = id.role != nullptr && id.role->service_linked;
  const bool signed_iam = id.caller.hasAccount() && id.caller.kind != Caller::Kind::IdentityProvider;
  // AWS: SCPs govern principals of member accounts, never service-linked roles.
  if (signed_iam && !service_linked) {
    const auto it = scp_levels.find(id.caller.account);
    if (it != scp_levels.end()) set.scp_levels = it->second;
  }
  return set;
}

void Simulator::Impl::addRcps(PolicySet& set, const std::string& resource_account, const Identity& who) const {
  // AWS: RCPs are skipped for service-linked-role callers and the management account.
  if (who.role != nullptr && who.role->service_linked) return;
  const auto it = rcp_levels.find(resource_account);
  if (it != rcp_levels.end()) set.rcp_levels = it->second;
}

namespace {

void setTags(RequestContext& ctx, std::string_view prefix, const std::vector<Tag>& tags) {
  for (const Tag& t : tags) ctx.set(std::string(prefix) + t.key, t.value);
}

// Role tags overlaid by session tags; keys compare case-insensitively (aws-semantics §5.3).
std::vector<Tag> overlay(const std::vector<Tag>& base, const std::vector<Tag>& top) {
  std::vector<Tag> out = base;
  for (const Tag& t : top) {
    const auto it = std::find_if(out.begin(), out.end(), [&](const Tag& o) { return foldCase(o.key) == foldCase(t.key); });
    if (it != out.end()) {
      *it = t;
    } else {
      out.push_back(t);
    }
  }
  return out;
}

}  // namespace

void Simulator::Impl::addPrincipalKeys(RequestContext& ctx, const Identity& id) const {
  const Caller& c = id.caller;
  if (c.kind == Caller::Kind::Service) {
    ctx.set("aws:PrincipalIsAWSService", "true");
    ctx.set("aws:PrincipalServiceName", c.arn);
    return;
  }
  if (c.kind == Caller::Kind::IdentityProvider || c.kind == Caller::Kind::Anonymous) {
    return;  // unsigned requests carry no principal keys
  }
  ctx.set("aws:PrincipalArn", id.principal_arn);
  ctx.set("aws:PrincipalAccount", c.account);
  ctx.set("aws:PrincipalIsAWSService", "false");
  ctx.set("aws:userid", id.user_id);
  switch (c.kind) {
    case Caller::Kind::User:
      ctx.set("aws:PrincipalType", "User");
      ctx.set("aws:username", id.user != nullptr ? id.user->name : c.arn.substr(c.arn.rfind('/') + 1));
      if (id.user != nullptr) setTags(ctx, "aws:PrincipalTag/", id.user->tags);
      break;
    case Caller::Kind::RoleSession:
    case Caller::Kind::Role:
      ctx.set("aws:PrincipalType", "AssumedRole");
      setTags(ctx, "aws:PrincipalTag/", overlay(id.role != nullptr ? id.role->tags : std::vector<Tag>{}, id.session_tags));
      break;
    case Caller::Kind::FederatedUser:
      ctx.set("aws:PrincipalType", "FederatedUser");
      break;
    case Caller::Kind::Root:
      ctx.set("aws:PrincipalType", "Account");
      break;
    case Caller::Kind::Service:
    case Caller::Kind::IdentityProvider:
    case Caller::Kind::Anonymous:
      break;
  }
  if (const auto it = org_paths.find(c.account); it != org_paths.end() && world.organization) {
    ctx.set("aws:PrincipalOrgID", world.organization->id);
    ctx.setMulti("aws:PrincipalOrgPaths", {it->second});
  }
  // AWS: MultiFactorAuthPresent is present for temporary credentials, and for long-term keys
  // only when MFA was used.
  if (id.temporary) {
    ctx.set("aws:MultiFactorAuthPresent", id.mfa ? "true" : "false");
  } else if (id.mfa) {
    ctx.set("aws:MultiFactorAuthPresent", "true");
  }
  if (id.mfa) ctx.set("aws:MultiFactorAuthAge", "0");
  if (id.source_identity) ctx.set("aws:SourceIdentity", *id.source_identity);
  ctx.set("aws:SecureTransport", "true");
  // MODEL: requests go to the global STS endpoint unless the scenario says otherwise.
  ctx.set("aws:RequestedRegion", "us-east-1");
}

void Simulator::Impl::addResourceKeys(RequestContext& ctx, const std::string& account, const std::vector<Tag>& tags,
                                      bool iam_role) const {
  if (!account.empty()) ctx.set("aws:ResourceAccount", account);
  if (const auto it = org_paths.find(account); it != org_paths.end() && world.organization) {
    ctx.set("aws:ResourceOrgID", world.organization->id);
    ctx.setMulti("aws:ResourceOrgPaths", {it->second});
  }
  setTags(ctx, "aws:ResourceTag/", tags);
  if (iam_role) setTags(ctx, "iam:ResourceTag/", tags);
}

SimulateResult Simulator::simulate(const Identity& who, const std::string& action, const std::string& resource,
                                   const std::vector<std::pair<std::string, std::string>>& context,
                                   const SimOptions& options) const {
  const Impl& m = *impl_;
  SimulateResult out;
  Request& r = out.request;
  r.principal = who.caller.arn;
  r.action = action;
  r.resource = resource;
  m.addPrincipalKeys(r.context, who);
  PolicySet set = m.callerPolicies(who);
  std::string resource_account;
  const auto arn = ArnView::parse(resource);
  if (arn) resource_account = std::string(arn->account);
  const Role* role = findRole(resource);
  if (role != nullptr && isRoleTrustAction(action)) {
    set.resource = &role->trust_policy;
    resource_account = role->account;
    m.addResourceKeys(r.context, resource_account, role->tags, true);
  } else if (const Resource* res = m.findResource(resource)) {
    if (res->policy) set.resource = &*res->policy;
    resource_account = res->account;
    m.addResourceKeys(r.context, resource_account, res->tags, false);
  } else {
    m.addResourceKeys(r.context, resource_account, role != nullptr ? role->tags : std::vector<Tag>{}, role != nullptr);
  }
  if (resource_account.empty() && who.caller.hasAccount()) {
    // MODEL: a resource that is not modelled and names no account (S3) is taken to be in the
    // caller's account; model it under `resources` to say otherwise.
    resource_account = who.caller.account;
    out.decision.diagnostics.push_back(Diagnostic{
        "simulate.assumed_resource_account",
        "`" + resource + "` names no account and is not in the input: it is taken to be in the caller's account " + resource_account,
        "--resource", {}, Severity::Warning});
  }
  if (!resource_account.empty()) r.resource_account = resource_account;
  m.addRcps(set, resource_account, who);
  for (const auto& [k, v] : context) r.context.set(k, v);
  Diagnostics notes = std::move(out.decision.diagnostics);
  out.decision = evaluate(r, who.caller, set, EvalOptions{options.trace});
  out.decision.diagnostics.insert(out.decision.diagnostics.begin(), notes.begin(), notes.end());
  if (out.decision.outcome != Outcome::Allowed) {
    out.message = accessDeniedMessage(who.caller.arn, action, resource);
  }
  return out;
}

const Resource* Simulator::Impl::findResource(const std::string& arn) const {
  if (const auto it = world.resources.find(arn); it != world.resources.end()) return &it->second;
  // An S3 object is governed by its bucket's policy.
  if (arn.rfind("arn:", 0) == 0) {
    const auto a = ArnView::parse(arn);
    if (a && a->service == "s3") {
      const std::string bucket = "arn:" + std::string(a->partition) + ":s3:::" +
                                 std::string(a->resource.substr(0, a->resource.find('/')));
      if (const auto it = world.resources.find(bucket); it != world.resources.end()) return &it->second;
    }
  }
  return nullptr;
}

std::string accessDeniedMessage(std::string_view caller_arn, std::string_view action, std::string_view resource) {
  return "User: " + std::string(caller_arn) + " is not authorized to perform: " + std::string(action) +
         " on resource: " + std::string(resource);
}

std::string_view toString(CallStatus status) {
  switch (status) {
    case CallStatus::Allowed:
      return "allowed";
    case CallStatus::AccessDenied:
      return "accessDenied";
    case CallStatus::ValidationError:
      return "validationError";
  }
  return "accessDenied";
}

}  // namespace trustsim
