// SPDX-License-Identifier: Apache-2.0
// A request to authorize: who calls, what action on which resource, with which context keys.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <unordered_map>
#include <vector>

namespace trustsim {

// A context key's value: one string, or a set for a multivalued key (`aws:TagKeys`). A
// single-valued key never resolves as a set and a multivalued key never as a policy variable.
struct ContextValue {
  std::vector<std::string> values;
  bool multivalued = false;
};

// Request context. Key names compare case-insensitively (aws-semantics §7.5).
class RequestContext {
 public:
  void set(std::string_view key, std::string value);
  void setMulti(std::string_view key, std::vector<std::string> values);
  void erase(std::string_view key);
  // `folded_key` must already be lower case.
  const ContextValue* find(const std::string& folded_key) const;
  const std::vector<std::pair<std::string, ContextValue>>& entries() const { return entries_; }
  bool empty() const { return entries_.empty(); }

 private:
  ContextValue& slot(std::string folded_key);
  // Folded key → value. A request carries a few dozen keys: a flat list searched in order is
  // cheaper to build, search and drop than a hash table (the simulator builds one per call).
  std::vector<std::pair<std::string, ContextValue>> entries_;
};

struct Request {
  std::string principal;  // caller: ARN, service principal or identity provider
  std::string action;     // `service:Action`
  std::string resource;   // full ARN, or `*` for actions without resources
  RequestContext context;
  std::optional<std::string> principal_account;  // defaults to the principal ARN's account
  std::optional<std::string> resource_account;   // defaults to the resource ARN's account
};

// Who is calling, as the evaluator needs to know it (derived from Request::principal).
struct Caller {
  enum class Kind {
    User,
    RoleSession,
    Role,  // the entity-level view of a role (its sessions' identity policies)
    FederatedUser,
    Root,
    Service,
    IdentityProvider,
    Anonymous,
  };
  Kind kind = Kind::Anonymous;
  std::string arn;  // the principal as given
  std::string partition;
  std::string account;
  std::string role_name;     // RoleSession, Role
  std::string session_name;  // RoleSession
  std::string role_arn;      // RoleSession: the role's ARN with its path, when the model knows it
  bool hasAccount() const { return !account.empty(); }
};
std::string_view toString(Caller::Kind kind);

// Reads a caller from the forms of eval-case-format.md; nullopt when it is none of them.
// `action` tells identity providers (AssumeRoleWithSAML/WebIdentity) from service principals.
std::optional<Caller> parseCaller(std::string_view principal, std::string_view action);

}  // namespace trustsim
