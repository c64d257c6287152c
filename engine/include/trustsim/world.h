// SPDX-License-Identifier: Apache-2.0
// The world: organisations, accounts, principals, roles, policies and resources, loaded from
// scenario files and AWS dumps. Plain values; build a Simulator (sts.h) to ask questions of it.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "trustsim/evaluate.h"
#include "trustsim/policy.h"
#include "trustsim/result.h"

namespace trustsim {

// Where an entity came from, so findings and errors can point at what the user edits.
struct Origin {
  Origin() = default;
  Origin(std::string file_, std::string where_, std::string address_ = {}, int line_ = 0)
      : file(std::move(file_)), where(std::move(where_)), address(std::move(address_)), line(line_) {}
  std::string file;
  std::string where;    // JSON pointer inside the file
  std::string address;  // infrastructure code: Terraform resource address, CloudFormation logical ID
  int line = 0;         // 1-based line of `where` in the file when known (0: unknown)
};

struct Tag {
  std::string key;
  std::string value;
};

// A managed policy: customer-managed (`arn:aws:iam::ACCT:policy/...`) or AWS-managed
// (`arn:aws:iam::aws:policy/...`). Only the default version is kept.
struct ManagedPolicy {
  std::string arn;
  NamedPolicy document;  // name = the policy name
  Origin origin;
};

struct User {
  std::string arn;  // arn:aws:iam::ACCT:user/path/name
  std::string account;
  std::string name;
  std::string path = "/";
  std::string id;  // AIDA...
  std::vector<std::string> groups;  // group names in the same account
  std::vector<NamedPolicy> inline_policies;
  std::vector<std::string> managed_policies;  // ARNs
  std::optional<std::string> permissions_boundary;  // ARN
  std::vector<Tag> tags;
  bool mfa = false;  // has an MFA device (calls may then carry MFA)
  Origin origin;
};

struct Group {
  std::string arn;
  std::string account;
  std::string name;
  std::string path = "/";
  std::string id;
  std::vector<NamedPolicy> inline_policies;
  std::vector<std::string> managed_policies;
  Origin origin;
};

struct Role {
  std::string arn;  // with path
  std::string account;
  std::string name;
  std::string path = "/";
  std::string id;  // AROA...
  NamedPolicy trust_policy;
  std::vector<NamedPolicy> inline_policies;
  std::vector<std::string> managed_policies;
  std::optional<std::string> permissions_boundary;
  std::vector<Tag> tags;
  int max_session_duration = 3600;  // seconds; GAAD does not carry it (aws-semantics §10.1)
  bool service_linked = false;      // path /aws-service-role/
  Origin origin;
};

// Any resource with a resource-based policy (bucket, key, queue, topic, secret...).
struct Resource {
  std::string arn;
  std::string account;  // S3 ARNs name no account: given explicitly
  std::optional<NamedPolicy> policy;
  std::vector<Tag> tags;
  Origin origin;
};

struct IdentityProvider {
  std::string arn;  // arn:aws:iam::ACCT:saml-provider/NAME or oidc-provider/HOST/PATH
  std::string account;
  Origin origin;
};

// A third party (a vendor) that calls into our accounts.
struct Vendor {
  std::string name;
  std::vector<std::string> accounts;
  std::vector<std::string> principals;  // the ARNs it calls from, when known
  enum class ExternalIdIssuer { Unknown, Vendor, Customer };
  ExternalIdIssuer external_id_issuer = ExternalIdIssuer::Unknown;
  std::optional<std::string> external_id;   // the value it sends for us
  std::optional<std::string> session_name;  // the RoleSessionName it uses
  Origin origin;
};

struct Account {
  std::string id;
  std::string name;
  std::string partition = "aws";
  bool ours = false;  // an account of the organisation, marked owned, or loaded from a dump
  Origin origin;
};

// One level of an AWS Organization: the root, an OU or an account.
struct OrgNode {
  std::string id;  // r-..., ou-..., or the account id
  std::string name;
  std::string parent;  // empty for the root
  std::vector<std::string> scps;  // policy ids or names attached at this level
  std::vector<std::string> rcps;
};

struct Organization {
  std::string id;  // o-...
  std::string management_account;
  std::string root;  // r-...
  bool scps_enabled = true;
  bool rcps_enabled = false;
  std::map<std::string, OrgNode> nodes;         // by id; accounts are nodes too
  std::map<std::string, NamedPolicy> policies;  // SCPs and RCPs by id (and name)
  Origin origin;
};

// A change that an input makes to what the inputs before it define. Infrastructure code changes
// entities it does not describe itself: a Terraform plan deletes a role that a dump also lists, or
// attaches a policy to a role created outside Terraform, or attaches an SCP in an organisation
// that an organisation file describes. mergeWorld applies the edits of `other` to `into`
// (removals first, then additions); an addition whose target is not there is a warning
// (`input.unresolved_target`).
struct WorldEdit {
  enum class Op {
    Remove,         // the entity `name` (an ARN; for OrgPolicy a policy id) is deleted
    Attach,         // managed policy `item` (an ARN) is attached to principal `name`
    Detach,         // ... and detached
    PutInline,      // inline policy `policy` (named `item`) is set on principal `name`
    DeleteInline,   // inline policy `item` is removed from principal `name`
    JoinGroup,      // user `name` joins group `item`
    LeaveGroup,     // user `name` leaves group `item`
    PutOrgPolicy,   // SCP/RCP `policy` is defined under the id `item`
    AttachOrgPolicy,  // organisation policy `item` is attached to root, OU or account `name`
    DetachOrgPolicy,  // ... and detached
  };
  enum class Target { Role, User, Group, ManagedPolicy, Resource, IdentityProvider, OrgPolicy, Organization };
  Op op = Op::Remove;
  Target target = Target::Role;
  std::string account;  // principals: the account of `name`
  std::string name;     // principals: the IAM name (matched ignoring case); Remove: the ARN or id
  std::string item;
  std::optional<NamedPolicy> policy;  // PutInline, PutOrgPolicy
  Origin origin;        // the input that makes the change (its address names the resource)
  std::string subject;  // for messages: what the change is, e.g. "attaches `ARN` to role `R`"
};

struct World {
  std::map<std::string, Account> accounts;  // by id
  std::map<std::string, User> users;        // by ARN
  std::map<std::string, Group> groups;      // by ARN
  std::map<std::string, Role> roles;        // by ARN
  std::map<std::string, ManagedPolicy> policies;  // by ARN
  std::map<std::string, Resource> resources;      // by ARN
  std::map<std::string, IdentityProvider> identity_providers;  // by ARN
  std::vector<Vendor> vendors;
  std::optional<Organization> organization;
  Diagnostics diagnostics;  // warnings gathered while loading (dump policies AWS accepted, ...)
  std::vector<WorldEdit> edits;  // changes to earlier inputs (consumed by mergeWorld)
};

// Merges `other` into `into`; entities already present are replaced (later files win), with a
// warning. Accounts merge their `ours` flags. The edits of `other` are applied to `into` first
// (see WorldEdit); `into.edits` stays empty.
void mergeWorld(World& into, World&& other);

}  // namespace trustsim
