// SPDX-License-Identifier: Apache-2.0
// Request context storage and reading a caller from its principal string.
#include "trustsim/request.h"

#include "match/condition_ops.h"
#include "trustsim/arn.h"

namespace trustsim {

ContextValue& RequestContext::slot(std::string folded_key) {
  for (auto& [k, v] : entries_) {
    if (k == folded_key) return v;
  }
  if (entries_.empty()) entries_.reserve(32);
  return entries_.emplace_back(std::move(folded_key), ContextValue{}).second;
}

void RequestContext::set(std::string_view key, std::string value) {
  ContextValue& v = slot(match::foldCase(key));
  v.values.clear();
  v.values.push_back(std::move(value));
  v.multivalued = false;
}

void RequestContext::setMulti(std::string_view key, std::vector<std::string> values) {
  slot(match::foldCase(key)) = ContextValue{std::move(values), true};
}

void RequestContext::erase(std::string_view key) {
  const std::string folded = match::foldCase(key);
  std::erase_if(entries_, [&](const auto& e) { return e.first == folded; });
}

const ContextValue* RequestContext::find(const std::string& folded_key) const {
  for (const auto& [k, v] : entries_) {
    if (k == folded_key) return &v;
  }
  return nullptr;
}

std::string_view toString(Caller::Kind kind) {
  switch (kind) {
    case Caller::Kind::User:
      return "user";
    case Caller::Kind::RoleSession:
      return "role-session";
    case Caller::Kind::Role:
      return "role";
    case Caller::Kind::FederatedUser:
      return "federated-user";
    case Caller::Kind::Root:
      return "root";
    case Caller::Kind::Service:
      return "service";
    case Caller::Kind::IdentityProvider:
      return "identity-provider";
    case Caller::Kind::Anonymous:
      return "anonymous";
  }
  return "anonymous";
}

std::optional<Caller> parseCaller(std::string_view principal, std::string_view action) {
  Caller c;
  c.arn = std::string(principal);
  if (principal == "*" || principal == "anonymous") {
    c.kind = Caller::Kind::Anonymous;
    return c;
  }
  const std::string folded_action = match::foldCase(action);
  const bool web_or_saml = folded_action == "sts:assumerolewithsaml" ||
                           folded_action == "sts:assumerolewithwebidentity";
  const auto arn = Arn::parse(principal);
  if (!arn) {
    // Service principals and identity providers by name (`ec2.amazonaws.com`,
    // `accounts.google.com`, `cognito-identity.amazonaws.com`).
    if (principal.empty() || principal.find_first_of(" /*?") != std::string_view::npos ||
        principal.find('.') == std::string_view::npos) {
      return std::nullopt;
    }
    const bool service = principal.size() > 14 &&
                         (principal.substr(principal.size() - 14) == ".amazonaws.com" ||
                          principal.find(".amazonaws.com.cn") != std::string_view::npos);
    c.kind = (web_or_saml || !service) ? Caller::Kind::IdentityProvider : Caller::Kind::Service;
    return c;
  }
  if (!isKnownPartition(arn->partition) || !isAccountId(arn->account)) {
    return std::nullopt;
  }
  c.partition = arn->partition;
  c.account = arn->account;
  const std::string& r = arn->resource;
  if (arn->service == "iam") {
    if (r == "root") {
      c.kind = Caller::Kind::Root;
    } else if (r.rfind("user/", 0) == 0 && r.size() > 5) {
      c.kind = Caller::Kind::User;
    } else if (r.rfind("role/", 0) == 0 && r.size() > 5) {
      c.kind = Caller::Kind::Role;
      c.role_name = r.substr(r.rfind('/') + 1);
    } else if (r.rfind("saml-provider/", 0) == 0 || r.rfind("oidc-provider/", 0) == 0) {
      c.kind = Caller::Kind::IdentityProvider;
      c.account.clear();
      c.partition.clear();
    } else {
      return std::nullopt;
    }
    return c;
  }
  if (arn->service == "sts") {
    if (r.rfind("assumed-role/", 0) == 0) {
      const std::string rest = r.substr(13);
      const std::size_t slash = rest.find('/');
      if (slash == std::string::npos || slash == 0 || slash + 1 == rest.size()) {
        return std::nullopt;
      }
      c.kind = Caller::Kind::RoleSession;
      c.role_name = rest.substr(0, slash);
      c.session_name = rest.substr(slash + 1);
      return c;
    }
    if (r.rfind("federated-user/", 0) == 0 && r.size() > 15) {
      c.kind = Caller::Kind::FederatedUser;
      return c;
    }
  }
  return std::nullopt;
}

}  // namespace trustsim
