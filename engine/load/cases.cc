// SPDX-License-Identifier: Apache-2.0
// The request-case loader: case structure is checked strictly here; policy documents go to the
// policy parser with the kind their position implies.
#include "trustsim/cases.h"

#include <set>

#include "parse/json_reader.h"
#include "parse/policy_parser.h"
#include "trustsim/arn.h"

namespace trustsim {
namespace {

using nlohmann::json;
using parse::pointerAppend;

class CaseLoader {
 public:
  explicit CaseLoader(const std::string& file) : file_(file) {}

  Result<std::vector<RequestCase>> run(const json& doc) {
    const json* cases = nullptr;
    std::string base;
    if (doc.is_array()) {
      cases = &doc;
    } else if (doc.is_object() && doc.contains("cases")) {
      if (const auto f = doc.find("format"); f != doc.end() && *f != "trustsim-cases/1") {
        error("case.unknown_format", "unsupported format " + f->dump() + " (expected \"trustsim-cases/1\")", "/format");
      }
      cases = &doc["cases"];
      base = "/cases";
      if (!cases->is_array()) {
        error("case.wrong_type", "`cases` must be an array", base);
        return diags_;
      }
    } else if (doc.is_object() && doc.contains("request")) {
      RequestCase c = one(doc, "");
      if (hasErrors(diags_)) return diags_;
      return std::vector<RequestCase>{std::move(c)};
    } else {
      error("case.wrong_type", "a case file is an object with `cases`, an array of cases, or one case", "");
      return diags_;
    }
    std::vector<RequestCase> out;
    out.reserve(cases->size());
    std::set<std::string> ids;
    for (std::size_t i = 0; i < cases->size(); ++i) {
      const std::string where = pointerAppend(base, i);
      RequestCase c = one((*cases)[i], where);
      if (!c.id.empty() && !ids.insert(c.id).second) {
        error("case.duplicate_id", "case id `" + c.id + "` is used twice", where + "/id");
      }
      out.push_back(std::move(c));
    }
    if (hasErrors(diags_)) return diags_;
    return out;
  }

 private:
  void error(std::string code, std::string message, std::string where) {
    diags_.push_back(Diagnostic{std::move(code), std::move(message), std::move(where), file_, Severity::Error});
  }

  const json* field(const json& obj, const char* name, const std::string& where, bool required,
                    bool (json::*check)() const noexcept, const char* type) {
    const auto it = obj.find(name);
    if (it == obj.end() || (it->is_null() && !required)) {
      if (required) error("case.missing_field", std::string("missing `") + name + "`", where);
      return nullptr;
    }
    if (!((*it).*check)()) {
      error("case.wrong_type", std::string("`") + name + "` must be " + type + ", not " +
                                   std::string(parse::describeType(*it)),
            pointerAppend(where, name));
      return nullptr;
    }
    return &*it;
  }

  std::optional<NamedPolicy> policy(const json& v, PolicyKind kind, const std::string& where,
                                    const std::string& default_name) {
    NamedPolicy np;
    np.name = default_name;
    const json* doc = &v;
    std::string doc_where = where;
    json parsed;
    if (v.is_object() && v.contains("policy") && !v.contains("Statement")) {
      if (const auto n = v.find("name"); n != v.end()) {
        if (n->is_string()) {
          np.name = n->get<std::string>();
        } else {
          error("case.wrong_type", "`name` must be a string", where + "/name");
        }
      }
      doc = &v["policy"];
      doc_where = where + "/policy";
    }
    if (doc->is_string()) {
      // A policy given as JSON text (as AWS APIs return it).
      auto r = parse::readJson(doc->get<std::string>(), file_);
      if (!r) {
        for (Diagnostic d : r.error()) {
          d.where = doc_where + (d.where.empty() ? "" : " (inside the string at " + d.where + ")");
          diags_.push_back(std::move(d));
        }
        return std::nullopt;
      }
      parsed = std::move(r).value();
      doc = &parsed;
    }
    np.policy = parse::parsePolicy(*doc, {kind, PolicyOrigin::Authored, file_, doc_where});
    return np;
  }

  std::vector<NamedPolicy> policyList(const json& c, const char* name, PolicyKind kind,
                                      const std::string& where) {
    std::vector<NamedPolicy> out;
    const json* list = field(c, name, where, false, &json::is_array, "an array");
    if (list == nullptr) return out;
    for (std::size_t i = 0; i < list->size(); ++i) {
      const std::string w = pointerAppend(pointerAppend(where, name), i);
      if (auto p = policy((*list)[i], kind, w, std::string(name) + "[" + std::to_string(i) + "]")) {
        out.push_back(std::move(*p));
      }
    }
    return out;
  }

  std::vector<std::vector<NamedPolicy>> levels(const json& c, const char* name, PolicyKind kind,
                                               const std::string& where) {
    std::vector<std::vector<NamedPolicy>> out;
    const json* list = field(c, name, where, false, &json::is_array, "an array of levels");
    if (list == nullptr) return out;
    for (std::size_t i = 0; i < list->size(); ++i) {
      const std::string lw = pointerAppend(pointerAppend(where, name), i);
      const json& level = (*list)[i];
      if (!level.is_object()) {
        error("case.wrong_type", "a level is an object `{orgIdentifier, policies}`", lw);
        continue;
      }
      std::string org = "level" + std::to_string(i);
      if (const json* id = field(level, "orgIdentifier", lw, false, &json::is_string, "a string")) {
        org = id->get<std::string>();
      }
      std::vector<NamedPolicy> level_policies;
      if (const json* ps = field(level, "policies", lw, true, &json::is_array, "an array")) {
        for (std::size_t k = 0; k < ps->size(); ++k) {
          const std::string pw = pointerAppend(lw + "/policies", k);
          if (auto p = policy((*ps)[k], kind, pw, org + "[" + std::to_string(k) + "]")) {
            level_policies.push_back(std::move(*p));
          }
        }
      }
      out.push_back(std::move(level_policies));
    }
    return out;
  }

  RequestCase one(const json& c, const std::string& where) {
    RequestCase rc;
    rc.where = where;
    if (!c.is_object()) {
      error("case.wrong_type", "a case must be an object, not " + std::string(parse::describeType(c)), where);
      return rc;
    }
    if (const json* id = field(c, "id", where, true, &json::is_string, "a string")) {
      rc.id = id->get<std::string>();
    }
    if (const json* d = field(c, "description", where, false, &json::is_string, "a string")) {
      rc.description = d->get<std::string>();
    }
    const json* req = field(c, "request", where, true, &json::is_object, "an object");
    const std::string rw = where + "/request";
    if (req != nullptr) {
      for (const char* name : {"principal", "action", "resource"}) {
        if (const json* v = field(*req, name, rw, true, &json::is_string, "a string")) {
          std::string s = v->get<std::string>();
          if (std::string_view(name) == "principal") rc.request.principal = std::move(s);
          else if (std::string_view(name) == "action") rc.request.action = std::move(s);
          else rc.request.resource = std::move(s);
        }
      }
      if (!rc.request.principal.empty() &&
          !parseCaller(rc.request.principal, rc.request.action)) {
        error("case.invalid_principal",
              "`" + rc.request.principal + "` is not a caller: an IAM user, role, assumed-role "
              "session, federated user or root ARN, a service principal or an identity provider",
              rw + "/principal");
      }
      if (const json* ctx = field(*req, "context", rw, false, &json::is_object, "an object")) {
        for (const auto& [key, value] : ctx->items()) {
          const std::string kw = pointerAppend(rw + "/context", key);
          if (value.is_array()) {
            std::vector<std::string> values;
            for (std::size_t i = 0; i < value.size(); ++i) {
              if (auto s = scalar(value[i], pointerAppend(kw, i))) values.push_back(std::move(*s));
            }
            rc.request.context.setMulti(key, std::move(values));
          } else if (auto s = scalar(value, kw)) {
            rc.request.context.set(key, std::move(*s));
          }
        }
      }
    }
    const bool trust = isRoleTrustAction(rc.request.action) && isRoleArn(rc.request.resource);
    rc.identity = policyList(c, "identityPolicies", PolicyKind::Identity, where);
    if (const auto it = c.find("resourcePolicy"); it != c.end() && !it->is_null()) {
      rc.resource = policy(*it, trust ? PolicyKind::Trust : PolicyKind::Resource,
                           where + "/resourcePolicy", trust ? "TrustPolicy" : "ResourcePolicy");
    }
    rc.scp_levels = levels(c, "serviceControlPolicies", PolicyKind::Scp, where);
    rc.rcp_levels = levels(c, "resourceControlPolicies", PolicyKind::Rcp, where);
    auto boundaries = policyList(c, "permissionBoundaries", PolicyKind::Boundary, where);
    if (boundaries.size() > 1) {
      error("case.too_many_boundaries", "a caller has at most one permissions boundary", where + "/permissionBoundaries");
    } else if (boundaries.size() == 1) {
      rc.boundary = std::move(boundaries[0]);
    }
    if (const auto it = c.find("sessionPolicy"); it != c.end() && !it->is_null()) {
      rc.session = policy(*it, PolicyKind::Session, where + "/sessionPolicy", "SessionPolicy");
    }
    for (const char* name : {"resourceAccount", "principalAccount"}) {
      if (const json* v = field(c, name, where, false, &json::is_string, "a string")) {
        const std::string s = v->get<std::string>();
        if (!isAccountId(s)) {
          error("case.invalid_account", "`" + s + "` is not a 12-digit account id", pointerAppend(where, name));
        }
        (std::string_view(name) == "resourceAccount" ? rc.request.resource_account
                                                     : rc.request.principal_account) = s;
      }
    }
    if (const json* e = field(c, "expected", where, false, &json::is_string, "a string")) {
      rc.expected = parseOutcome(e->get<std::string>());
      if (!rc.expected) {
        error("case.invalid_expected",
              "`expected` must be allowed, explicitDeny, implicitDeny or invalidPolicy, not `" +
                  e->get<std::string>() + "`",
              where + "/expected");
      }
    }
    return rc;
  }

  std::optional<std::string> scalar(const json& v, const std::string& where) {
    if (v.is_string()) return v.get<std::string>();
    if (v.is_boolean()) return std::string(v.get<bool>() ? "true" : "false");
    if (v.is_number()) return v.dump();
    error("case.wrong_type", "context values are strings (or arrays of strings), not " +
                                 std::string(parse::describeType(v)), where);
    return std::nullopt;
  }

  const std::string& file_;
  Diagnostics diags_;
};

}  // namespace

std::optional<Outcome> parseOutcome(std::string_view text) {
  for (Outcome o : {Outcome::Allowed, Outcome::ExplicitDeny, Outcome::ImplicitDeny, Outcome::InvalidPolicy}) {
    if (toString(o) == text) return o;
  }
  return std::nullopt;
}

PolicySet RequestCase::policySet() const {
  PolicySet set;
  for (const NamedPolicy& p : identity) set.identity.push_back(&p);
  set.resource = resource ? &*resource : nullptr;
  for (const auto& level : scp_levels) {
    set.scp_levels.emplace_back();
    for (const NamedPolicy& p : level) set.scp_levels.back().push_back(&p);
  }
  for (const auto& level : rcp_levels) {
    set.rcp_levels.emplace_back();
    for (const NamedPolicy& p : level) set.rcp_levels.back().push_back(&p);
  }
  set.boundary = boundary ? &*boundary : nullptr;
  set.session = session ? &*session : nullptr;
  return set;
}

Result<std::vector<RequestCase>> loadCases(std::string_view text, const std::string& file) {
  parse::JsonReadOptions options;
  auto doc = parse::readJson(text, file, options);
  if (!doc) return doc.error();
  return CaseLoader(file).run(doc.value());
}

}  // namespace trustsim
