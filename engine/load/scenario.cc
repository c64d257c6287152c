// SPDX-License-Identifier: Apache-2.0
// The scenario loader: every key is known, every reference resolves, every policy is validated
// as an authored document (refused when AWS would refuse it).
#include "load/scenario.h"

#include <filesystem>
#include <functional>
#include <set>

#include "match/condition_ops.h"
#include "parse/json_reader.h"
#include "parse/policy_parser.h"
#include "parse/yaml_reader.h"
#include "trustsim/arn.h"

namespace trustsim::load {
namespace {

using nlohmann::json;
using parse::pointerAppend;

const std::set<std::string, std::less<>> kTopKeys = {
    "format", "name", "description", "why", "accounts", "organization", "policies", "groups", "users",
    "roles", "resources", "identityProviders", "vendors", "expect", "variants", "lesson"};

std::string syntheticId(std::string_view prefix, const std::string& arn) {
  // A stable stand-in for AWS's unique ids (aws:userid) when the scenario gives none.
  std::size_t h = std::hash<std::string>{}(arn);
  static const char* kDigits = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  std::string out(prefix);
  for (int i = 0; i < 17; ++i) {
    out.push_back(kDigits[h % 32]);
    h /= 32;
    if (h == 0) h = std::hash<std::string>{}(out);
  }
  return out;
}

class ScenarioLoader {
 public:
  ScenarioLoader(const std::string& path, const FileReader& read) : path_(path), read_(read) {}

  Result<World> run(const json& doc) {
    if (!doc.is_object()) {
      error("scenario.wrong_type", "a scenario is an object", "");
      return errors_;
    }
    for (const auto& [key, value] : doc.items()) {
      if (kTopKeys.find(key) == kTopKeys.end()) {
        error("scenario.unknown_key", "unknown scenario key `" + key + "`", pointerAppend("", key));
      }
    }
    if (const auto f = doc.find("format"); f != doc.end() && *f != "trustsim-scenario/1") {
      error("scenario.unknown_format", "unsupported format " + f->dump() + " (expected \"trustsim-scenario/1\")", "/format");
    }
    accounts(doc);
    vendors(doc);
    policies(doc);
    forEach(doc, "groups", [&](const json& g, const std::string& w) { group(g, w); });
    forEach(doc, "users", [&](const json& u, const std::string& w) { user(u, w); });
    forEach(doc, "roles", [&](const json& r, const std::string& w) { role(r, w); });
    forEach(doc, "resources", [&](const json& r, const std::string& w) { resource(r, w); });
    forEach(doc, "identityProviders", [&](const json& p, const std::string& w) { provider(p, w); });
    if (const auto o = doc.find("organization"); o != doc.end()) organization(*o, "/organization");
    checkReferences();
    if (hasErrors(errors_)) return errors_;
    world_.diagnostics.insert(world_.diagnostics.end(), errors_.begin(), errors_.end());
    return std::move(world_);
  }

 private:
  void error(std::string code, std::string message, const std::string& where) {
    errors_.push_back(Diagnostic{std::move(code), std::move(message), where, path_, Severity::Error});
  }
  Origin origin(const std::string& where) const { return Origin{path_, where}; }

  // Checks an object's keys against `allowed`.
  bool object(const json& v, const std::string& where, std::initializer_list<std::string_view> allowed,
              std::string_view what) {
    if (!v.is_object()) {
      error("scenario.wrong_type", std::string(what) + " must be an object, not " + std::string(parse::describeType(v)), where);
      return false;
    }
    for (const auto& [key, value] : v.items()) {
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
        std::string list;
        for (std::string_view a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
        error("scenario.unknown_key", "unknown key `" + key + "` in " + std::string(what) + " (known: " + list + ")",
              pointerAppend(where, key));
      }
    }
    return true;
  }

  void forEach(const json& doc, const char* key, const std::function<void(const json&, const std::string&)>& f) {
    const auto it = doc.find(key);
    if (it == doc.end()) return;
    const std::string w = pointerAppend("", key);
    if (!it->is_array()) {
      error("scenario.wrong_type", std::string("`") + key + "` must be an array", w);
      return;
    }
    for (std::size_t i = 0; i < it->size(); ++i) f((*it)[i], pointerAppend(w, i));
  }

  std::optional<std::string> str(const json& obj, const char* key, const std::string& where, bool required) {
    const auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) {
      if (required) error("scenario.missing_key", std::string("missing `") + key + "`", where);
      return std::nullopt;
    }
    if (!it->is_string()) {
      error("scenario.wrong_type", std::string("`") + key + "` must be a string", pointerAppend(where, key));
      return std::nullopt;
    }
    return it->get<std::string>();
  }

  bool boolean(const json& obj, const char* key, const std::string& where, bool fallback) {
    const auto it = obj.find(key);
    if (it == obj.end()) return fallback;
    if (!it->is_boolean()) {
      error("scenario.wrong_type", std::string("`") + key + "` must be true or false", pointerAppend(where, key));
      return fallback;
    }
    return it->get<bool>();
  }

  std::vector<std::string> strings(const json& obj, const char* key, const std::string& where) {
    std::vector<std::string> out;
    const auto it = obj.find(key);
    if (it == obj.end()) return out;
    const std::string w = pointerAppend(where, key);
    if (it->is_string()) {
      out.push_back(it->get<std::string>());
      return out;
    }
    if (!it->is_array()) {
      error("scenario.wrong_type", std::string("`") + key + "` must be a list of strings", w);
      return out;
    }
    for (std::size_t i = 0; i < it->size(); ++i) {
      if ((*it)[i].is_string()) {
        out.push_back((*it)[i].get<std::string>());
      } else {
        error("scenario.wrong_type", std::string("`") + key + "` entries must be strings", pointerAppend(w, i));
      }
    }
    return out;
  }

  std::vector<Tag> tags(const json& obj, const std::string& where) {
    std::vector<Tag> out;
    const auto it = obj.find("tags");
    if (it == obj.end()) return out;
    if (!it->is_object()) {
      error("scenario.wrong_type", "`tags` must be an object of key: value", where + "/tags");
      return out;
    }
    for (const auto& [k, v] : it->items()) {
      if (!v.is_string()) {
        error("scenario.wrong_type", "tag values are strings", pointerAppend(where + "/tags", k));
        continue;
      }
      out.push_back(Tag{k, v.get<std::string>()});
    }
    return out;
  }

  std::optional<NamedPolicy> policyValue(const json& v, PolicyKind kind, const std::string& name, const std::string& where) {
    PolicyValueContext ctx{path_, read_, errors_};
    auto p = readPolicyValue(v, kind, name, where, ctx);
    if (p && !p->policy.valid) {
      for (const Diagnostic& d : p->policy.diagnostics) errors_.push_back(d);
      return std::nullopt;
    }
    if (p) {
      for (const Diagnostic& d : p->policy.diagnostics) world_.diagnostics.push_back(d);
    }
    return p;
  }

  std::vector<NamedPolicy> inlinePolicies(const json& obj, const std::string& where) {
    std::vector<NamedPolicy> out;
    const auto it = obj.find("policies");
    if (it == obj.end()) return out;
    const std::string w = where + "/policies";
    if (!it->is_array()) {
      error("scenario.wrong_type", "`policies` must be an array of {name, document}", w);
      return out;
    }
    for (std::size_t i = 0; i < it->size(); ++i) {
      const json& p = (*it)[i];
      const std::string pw = pointerAppend(w, i);
      if (!object(p, pw, {"name", "document"}, "an inline policy")) continue;
      const std::string name = str(p, "name", pw, false).value_or("inline-" + std::to_string(i));
      if (!p.contains("document")) {
        error("scenario.missing_key", "missing `document`", pw);
        continue;
      }
      if (auto np = policyValue(p["document"], PolicyKind::Identity, name, pw + "/document")) out.push_back(std::move(*np));
    }
    return out;
  }

  // An IAM entity ARN of the given type; fills account, name and path.
  bool entityArn(const std::string& arn, std::string_view type, const std::string& where, std::string& account,
                 std::string& name, std::string& path) {
    const auto a = Arn::parse(arn);
    const std::string prefix = std::string(type) + "/";
    if (!a || a->service != "iam" || !isAccountId(a->account) || a->resource.rfind(prefix, 0) != 0 ||
        a->resource.size() == prefix.size() || a->resource.back() == '/' || !isKnownPartition(a->partition)) {
      error("scenario.invalid_arn", "`" + arn + "` is not an IAM " + std::string(type) + " ARN (arn:aws:iam::ACCOUNT:" +
                                        std::string(type) + "/[path/]NAME)", where);
      return false;
    }
    account = a->account;
    const std::string rest = a->resource.substr(prefix.size());
    const std::size_t slash = rest.rfind('/');
    name = slash == std::string::npos ? rest : rest.substr(slash + 1);
    path = slash == std::string::npos ? "/" : "/" + rest.substr(0, slash + 1);
    const bool name_ok = !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || std::string_view("_+=,.@-").find(c) != std::string_view::npos;
    });
    if (!name_ok) {
      error("scenario.invalid_name", "`" + name + "` is not a valid IAM name (1-64 characters of letters, digits and _+=,.@-)", where);
      return false;
    }
    noteAccount(account);
    return true;
  }

  void noteAccount(const std::string& id) { used_accounts_.insert(id); }

  void accounts(const json& doc) {
    forEach(doc, "accounts", [&](const json& a, const std::string& w) {
      if (!object(a, w, {"id", "name", "owned", "partition"}, "an account")) return;
      Account acc;
      acc.id = str(a, "id", w, true).value_or("");
      if (!acc.id.empty() && !isAccountId(acc.id)) error("scenario.invalid_account", "`" + acc.id + "` is not a 12-digit account id", w + "/id");
      acc.name = str(a, "name", w, false).value_or("");
      acc.ours = boolean(a, "owned", w, true);
      acc.partition = str(a, "partition", w, false).value_or("aws");
      acc.origin = origin(w);
      if (world_.accounts.count(acc.id)) error("scenario.duplicate", "account `" + acc.id + "` is listed twice", w);
      world_.accounts[acc.id] = acc;
    });
  }

  void vendors(const json& doc) {
    forEach(doc, "vendors", [&](const json& v, const std::string& w) {
      if (!object(v, w, {"name", "account", "accounts", "principals", "externalId", "sessionName", "description"}, "a vendor")) return;
      Vendor vendor;
      vendor.name = str(v, "name", w, true).value_or("");
      vendor.accounts = strings(v, "accounts", w);
      if (auto a = str(v, "account", w, false)) vendor.accounts.push_back(*a);
      if (vendor.accounts.empty()) error("scenario.missing_key", "a vendor needs `account` or `accounts`", w);
      for (const std::string& a : vendor.accounts) {
        if (!isAccountId(a)) error("scenario.invalid_account", "`" + a + "` is not a 12-digit account id", w);
        vendor_accounts_.insert(a);
      }
      vendor.principals = strings(v, "principals", w);
      vendor.session_name = str(v, "sessionName", w, false);
      if (const auto e = v.find("externalId"); e != v.end()) {
        const std::string ew = w + "/externalId";
        if (object(*e, ew, {"issuedBy", "value"}, "`externalId`")) {
          const std::string by = str(*e, "issuedBy", ew, true).value_or("");
          if (by == "vendor") {
            vendor.external_id_issuer = Vendor::ExternalIdIssuer::Vendor;
          } else if (by == "customer") {
            vendor.external_id_issuer = Vendor::ExternalIdIssuer::Customer;
          } else if (!by.empty()) {
            error("scenario.invalid_value", "`issuedBy` is `vendor` or `customer`, not `" + by + "`", ew + "/issuedBy");
          }
          vendor.external_id = str(*e, "value", ew, false);
        }
      }
      vendor.origin = origin(w);
      world_.vendors.push_back(std::move(vendor));
    });
  }

  void policies(const json& doc) {
    forEach(doc, "policies", [&](const json& p, const std::string& w) {
      if (!object(p, w, {"arn", "document", "description"}, "a managed policy")) return;
      const std::string arn = str(p, "arn", w, true).value_or("");
      const auto a = Arn::parse(arn);
      if (!a || a->service != "iam" || a->resource.rfind("policy/", 0) != 0 || (a->account != "aws" && !isAccountId(a->account))) {
        error("scenario.invalid_arn", "`" + arn + "` is not a managed policy ARN (arn:aws:iam::ACCOUNT:policy/NAME or arn:aws:iam::aws:policy/NAME)", w + "/arn");
        return;
      }
      if (a->account != "aws") noteAccount(a->account);
      if (!p.contains("document")) {
        error("scenario.missing_key", "missing `document`", w);
        return;
      }
      const std::string name = a->resource.substr(a->resource.rfind('/') + 1);
      if (auto np = policyValue(p["document"], PolicyKind::Identity, name, w + "/document")) {
        if (world_.policies.count(arn)) error("scenario.duplicate", "policy `" + arn + "` is defined twice", w);
        world_.policies[arn] = ManagedPolicy{arn, std::move(*np), origin(w)};
      }
    });
  }

  void group(const json& g, const std::string& w) {
    if (!object(g, w, {"arn", "id", "policies", "managedPolicies"}, "a group")) return;
    Group grp;
    grp.arn = str(g, "arn", w, true).value_or("");
    if (!entityArn(grp.arn, "group", w + "/arn", grp.account, grp.name, grp.path)) return;
    grp.id = str(g, "id", w, false).value_or(syntheticId("AGPA", grp.arn));
    grp.inline_policies = inlinePolicies(g, w);
    grp.managed_policies = strings(g, "managedPolicies", w);
    refs(grp.managed_policies, w + "/managedPolicies");
    grp.origin = origin(w);
    if (world_.groups.count(grp.arn)) error("scenario.duplicate", "group `" + grp.arn + "` is defined twice", w);
    world_.groups[grp.arn] = std::move(grp);
  }

  void user(const json& u, const std::string& w) {
    if (!object(u, w, {"arn", "id", "groups", "policies", "managedPolicies", "permissionsBoundary", "tags", "mfa"}, "a user")) return;
    User usr;
    usr.arn = str(u, "arn", w, true).value_or("");
    if (!entityArn(usr.arn, "user", w + "/arn", usr.account, usr.name, usr.path)) return;
    usr.id = str(u, "id", w, false).value_or(syntheticId("AIDA", usr.arn));
    usr.groups = strings(u, "groups", w);
    for (std::size_t i = 0; i < usr.groups.size(); ++i) group_refs_.push_back({usr.account, usr.groups[i], w + "/groups"});
    usr.inline_policies = inlinePolicies(u, w);
    usr.managed_policies = strings(u, "managedPolicies", w);
    refs(usr.managed_policies, w + "/managedPolicies");
    usr.permissions_boundary = str(u, "permissionsBoundary", w, false);
    if (usr.permissions_boundary) refs({*usr.permissions_boundary}, w + "/permissionsBoundary");
    usr.tags = tags(u, w);
    usr.mfa = boolean(u, "mfa", w, false);
    usr.origin = origin(w);
    if (world_.users.count(usr.arn)) error("scenario.duplicate", "user `" + usr.arn + "` is defined twice", w);
    world_.users[usr.arn] = std::move(usr);
  }

  void role(const json& r, const std::string& w) {
    if (!object(r, w, {"arn", "id", "trustPolicy", "policies", "managedPolicies", "permissionsBoundary", "tags",
                       "maxSessionDuration", "description"}, "a role")) return;
    Role role;
    role.arn = str(r, "arn", w, true).value_or("");
    if (!entityArn(role.arn, "role", w + "/arn", role.account, role.name, role.path)) return;
    role.id = str(r, "id", w, false).value_or(syntheticId("AROA", role.arn));
    role.service_linked = role.path.rfind("/aws-service-role/", 0) == 0;
    if (!r.contains("trustPolicy")) {
      error("scenario.missing_key", "a role needs `trustPolicy`", w);
    } else if (auto tp = policyValue(r["trustPolicy"], PolicyKind::Trust, role.name + " trust policy", w + "/trustPolicy")) {
      role.trust_policy = std::move(*tp);
    }
    role.inline_policies = inlinePolicies(r, w);
    role.managed_policies = strings(r, "managedPolicies", w);
    refs(role.managed_policies, w + "/managedPolicies");
    role.permissions_boundary = str(r, "permissionsBoundary", w, false);
    if (role.permissions_boundary) refs({*role.permissions_boundary}, w + "/permissionsBoundary");
    role.tags = tags(r, w);
    if (const auto d = r.find("maxSessionDuration"); d != r.end()) {
      // AWS: MaxSessionDuration is 3600 to 43200 seconds.
      if (!d->is_number_integer() || d->get<long long>() < 3600 || d->get<long long>() > 43200) {
        error("scenario.invalid_value", "`maxSessionDuration` is a whole number of seconds from 3600 to 43200", w + "/maxSessionDuration");
      } else {
        role.max_session_duration = d->get<int>();
      }
    }
    role.origin = origin(w);
    // AWS: role names are unique per account, ignoring case.
    for (const auto& [arn, other] : world_.roles) {
      if (other.account == role.account && parse_fold(other.name) == parse_fold(role.name)) {
        error("scenario.duplicate", "role `" + role.name + "` exists twice in account " + role.account + " (names are unique ignoring case)", w);
      }
    }
    world_.roles[role.arn] = std::move(role);
  }

  static std::string parse_fold(std::string s) { return match::foldCase(s); }

  void resource(const json& r, const std::string& w) {
    if (!object(r, w, {"arn", "account", "policy", "tags", "description"}, "a resource")) return;
    Resource res;
    res.arn = str(r, "arn", w, true).value_or("");
    const auto a = Arn::parse(res.arn);
    if (!a) {
      error("scenario.invalid_arn", "`" + res.arn + "` is not an ARN", w + "/arn");
      return;
    }
    res.account = str(r, "account", w, false).value_or(a->account);
    if (!isAccountId(res.account)) {
      error("scenario.missing_key", "the resource ARN names no account: give `account`", w);
      return;
    }
    noteAccount(res.account);
    if (const auto p = r.find("policy"); p != r.end() && !p->is_null()) {
      res.policy = policyValue(*p, PolicyKind::Resource, a->resource + " policy", w + "/policy");
    }
    res.tags = tags(r, w);
    res.origin = origin(w);
    world_.resources[res.arn] = std::move(res);
  }

  void provider(const json& p, const std::string& w) {
    if (!object(p, w, {"arn"}, "an identity provider")) return;
    IdentityProvider idp;
    idp.arn = str(p, "arn", w, true).value_or("");
    const auto a = Arn::parse(idp.arn);
    if (!a || a->service != "iam" || (a->resource.rfind("saml-provider/", 0) != 0 && a->resource.rfind("oidc-provider/", 0) != 0)) {
      error("scenario.invalid_arn", "`" + idp.arn + "` is not a saml-provider or oidc-provider ARN", w + "/arn");
      return;
    }
    idp.account = a->account;
    idp.origin = origin(w);
    world_.identity_providers[idp.arn] = std::move(idp);
  }

  void organization(const json& o, const std::string& w) {
    if (!object(o, w, {"id", "managementAccount", "scpsEnabled", "rcpsEnabled", "policies", "root"}, "`organization`")) return;
    Organization org;
    org.id = str(o, "id", w, true).value_or("");
    org.management_account = str(o, "managementAccount", w, false).value_or("");
    org.scps_enabled = boolean(o, "scpsEnabled", w, true);
    org.rcps_enabled = boolean(o, "rcpsEnabled", w, true);
    org.origin = origin(w);
    if (const auto ps = o.find("policies"); ps != o.end()) {
      if (!ps->is_array()) {
        error("scenario.wrong_type", "`policies` must be an array", w + "/policies");
      } else {
        for (std::size_t i = 0; i < ps->size(); ++i) {
          const json& p = (*ps)[i];
          const std::string pw = pointerAppend(w + "/policies", i);
          if (!object(p, pw, {"id", "name", "type", "document", "description"}, "an organization policy")) continue;
          const std::string name = str(p, "name", pw, true).value_or("");
          const std::string type = str(p, "type", pw, true).value_or("");
          if (type != "scp" && type != "rcp") {
            error("scenario.invalid_value", "`type` is `scp` or `rcp`", pw + "/type");
            continue;
          }
          if (!p.contains("document")) {
            error("scenario.missing_key", "missing `document`", pw);
            continue;
          }
          auto np = policyValue(p["document"], type == "scp" ? PolicyKind::Scp : PolicyKind::Rcp, name, pw + "/document");
          if (!np) continue;
          org.policies[name] = *np;
          if (auto id = str(p, "id", pw, false)) org.policies[*id] = std::move(*np);
        }
      }
    }
    const auto root = o.find("root");
    if (root == o.end()) {
      error("scenario.missing_key", "an organization needs `root`", w);
    } else {
      orgNode(*root, w + "/root", "", org, 0);
      org.root = org_root_;
    }
    if (!org.policies.count("FullAWSAccess")) {
      // The AWS-managed SCP, for the nodes that have it by default.
      auto full = parse::parsePolicy(json::parse(R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]})"),
                                     {PolicyKind::Scp, PolicyOrigin::Authored, "", ""});
      org.policies["FullAWSAccess"] = NamedPolicy{"FullAWSAccess", std::move(full)};
    }
    if (!org.management_account.empty()) {
      if (!isAccountId(org.management_account)) error("scenario.invalid_account", "`managementAccount` is a 12-digit account id", w + "/managementAccount");
      noteAccount(org.management_account);
      if (!org.nodes.count(org.management_account)) {
        error("scenario.unknown_reference", "the management account " + org.management_account + " is not placed in the organization tree", w + "/managementAccount");
      }
    }
    for (const auto& [id, node] : org.nodes) {
      for (const auto* list : {&node.scps, &node.rcps}) {
        for (const std::string& pid : *list) {
          if (!org.policies.count(pid)) error("scenario.unknown_reference", "organization policy `" + pid + "` attached to `" + id + "` is not defined under organization.policies", w);
        }
      }
    }
    world_.organization = std::move(org);
  }

  void orgNode(const json& n, const std::string& w, const std::string& parent, Organization& org, int depth) {
    if (!object(n, w, {"id", "name", "scps", "rcps", "accounts", "children"}, "an organization node")) return;
    // AWS: OUs nest at most five levels below the root.
    if (depth > 5) {
      error("scenario.invalid_value", "organizational units nest at most 5 levels below the root", w);
      return;
    }
    OrgNode node;
    node.id = str(n, "id", w, true).value_or("");
    node.name = str(n, "name", w, false).value_or(node.id);
    node.parent = parent;
    node.scps = strings(n, "scps", w);
    node.rcps = strings(n, "rcps", w);
    // AWS: FullAWSAccess is attached to every root, OU and account unless someone detached it;
    // a node that does not list `scps` has it (`"scps": []` means none at all).
    if (!n.contains("scps")) node.scps = {"FullAWSAccess"};
    if (parent.empty()) org_root_ = node.id;
    if (org.nodes.count(node.id)) error("scenario.duplicate", "organization node `" + node.id + "` appears twice", w);
    const std::string id = node.id;
    org.nodes[id] = node;
    if (const auto accts = n.find("accounts"); accts != n.end()) {
      if (!accts->is_array()) {
        error("scenario.wrong_type", "`accounts` must be an array", w + "/accounts");
      } else {
        for (std::size_t i = 0; i < accts->size(); ++i) {
          const json& a = (*accts)[i];
          const std::string aw = pointerAppend(w + "/accounts", i);
          OrgNode leaf;
          if (a.is_string()) {
            leaf.id = a.get<std::string>();
            leaf.scps = {"FullAWSAccess"};
          } else if (object(a, aw, {"id", "scps", "rcps"}, "an organization account")) {
            leaf.id = str(a, "id", aw, true).value_or("");
            leaf.scps = a.contains("scps") ? strings(a, "scps", aw) : std::vector<std::string>{"FullAWSAccess"};
            leaf.rcps = strings(a, "rcps", aw);
          } else {
            continue;
          }
          if (!isAccountId(leaf.id)) {
            error("scenario.invalid_account", "`" + leaf.id + "` is not a 12-digit account id", aw);
            continue;
          }
          if (org.nodes.count(leaf.id)) error("scenario.duplicate", "account `" + leaf.id + "` appears twice in the organization", aw);
          leaf.name = leaf.id;
          leaf.parent = id;
          org.nodes[leaf.id] = leaf;
          // AWS: the accounts of the organization are ours.
          auto& acc = world_.accounts[leaf.id];
          if (acc.id.empty()) {
            acc.id = leaf.id;
            acc.ours = true;
            acc.origin = origin(aw);
          }
        }
      }
    }
    if (const auto kids = n.find("children"); kids != n.end()) {
      if (!kids->is_array()) {
        error("scenario.wrong_type", "`children` must be an array", w + "/children");
      } else {
        for (std::size_t i = 0; i < kids->size(); ++i) orgNode((*kids)[i], pointerAppend(w + "/children", i), id, org, depth + 1);
      }
    }
  }

  void refs(const std::vector<std::string>& arns, const std::string& where) {
    for (const std::string& a : arns) policy_refs_.push_back({a, where});
  }

  void checkReferences() {
    for (const auto& [arn, where] : policy_refs_) {
      if (!world_.policies.count(arn)) {
        error("scenario.unknown_reference",
              "managed policy `" + arn + "` is not defined: add it under `policies` with its document" +
                  (arn.find(":iam::aws:policy/") != std::string::npos ? " (AWS-managed documents are not built in)" : ""),
              where);
      }
    }
    for (const GroupRef& g : group_refs_) {
      bool found = false;
      for (const auto& [arn, grp] : world_.groups) found |= grp.account == g.account && grp.name == g.name;
      if (!found) error("scenario.unknown_reference", "group `" + g.name + "` is not defined in account " + g.account, g.where);
    }
    // Accounts that hold entities are modelled; they are ours unless described as a vendor's.
    for (const std::string& id : used_accounts_) {
      if (world_.accounts.count(id)) continue;
      Account acc;
      acc.id = id;
      acc.ours = vendor_accounts_.count(id) == 0;
      world_.accounts[id] = acc;
    }
    for (const std::string& id : vendor_accounts_) {
      if (world_.accounts.count(id) && world_.accounts[id].ours && world_.accounts[id].origin.file.empty()) {
        world_.accounts[id].ours = false;
      }
    }
  }

  struct GroupRef {
    std::string account, name, where;
  };
  const std::string& path_;
  const FileReader& read_;
  World world_;
  Diagnostics errors_;
  std::set<std::string> used_accounts_, vendor_accounts_;
  std::vector<std::pair<std::string, std::string>> policy_refs_;
  std::vector<GroupRef> group_refs_;
  std::string org_root_;
};

}  // namespace

bool looksLikeScenario(const nlohmann::json& doc) {
  if (!doc.is_object()) return false;
  if (const auto f = doc.find("format"); f != doc.end() && f->is_string()) {
    return f->get<std::string>().rfind("trustsim-scenario/", 0) == 0;
  }
  for (const char* k : {"roles", "users", "accounts", "organization", "vendors"}) {
    if (doc.contains(k)) return true;
  }
  return false;
}

std::optional<NamedPolicy> readPolicyValue(const nlohmann::json& value, PolicyKind kind, const std::string& name,
                                           const std::string& where, PolicyValueContext& ctx) {
  const auto fail = [&](std::string code, std::string message, const std::string& w) {
    ctx.errors.push_back(Diagnostic{std::move(code), std::move(message), w, ctx.path, Severity::Error});
    return std::nullopt;
  };
  std::string file = ctx.path;
  std::string base = where;
  json parsed;
  const json* doc = &value;
  if (value.is_object() && value.contains("file") && !value.contains("Statement")) {
    if (value.size() != 1 || !value["file"].is_string()) {
      return fail("scenario.wrong_type", "a policy file reference is {\"file\": \"relative/path.json\"}", where);
    }
    namespace fs = std::filesystem;
    const fs::path rel = value["file"].get<std::string>();
    file = (rel.is_absolute() ? rel : fs::path(ctx.path).parent_path() / rel).lexically_normal().string();
    std::string read_error;
    const auto text = ctx.read(file, read_error);
    if (!text) return fail("scenario.missing_file", "cannot read policy file `" + file + "`: " + read_error, where + "/file");
    auto r = parse::looksLikeYaml(*text) ? parse::readYaml(*text, file) : parse::readJson(*text, file);
    if (!r) {
      ctx.errors.insert(ctx.errors.end(), r.error().begin(), r.error().end());
      return std::nullopt;
    }
    parsed = std::move(r).value();
    doc = &parsed;
    base.clear();  // pointers now point into the policy file
  } else if (value.is_string()) {
    auto r = parse::readJson(value.get<std::string>(), ctx.path);
    if (!r) {
      for (Diagnostic d : r.error()) {
        d.where = where + (d.where.empty() ? "" : " (inside the string at " + d.where + ")");
        ctx.errors.push_back(std::move(d));
      }
      return std::nullopt;
    }
    parsed = std::move(r).value();
    doc = &parsed;
  }
  NamedPolicy np;
  np.name = name;
  np.policy = parse::parsePolicy(*doc, {kind, PolicyOrigin::Authored, file, base});
  return np;
}

Result<World> loadScenario(const nlohmann::json& doc, const std::string& path, const FileReader& read) {
  return ScenarioLoader(path, read).run(doc);
}

}  // namespace trustsim::load
