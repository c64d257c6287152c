// SPDX-License-Identifier: Apache-2.0
// The policy grammar (aws-semantics §2, §6, §7, §8) as validation rules, per policy kind.
#include "parse/policy_parser.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "match/condition_ops.h"
#include "parse/json_reader.h"
#include "parse/json_view.h"
#include "trustsim/arn.h"

namespace trustsim::parse {
namespace {

bool hasWildcard(std::string_view s) { return s.find_first_of("*?") != std::string_view::npos; }

bool isIamKind(PolicyKind k) { return k != PolicyKind::Resource; }

bool takesPrincipal(PolicyKind k) {
  return k == PolicyKind::Trust || k == PolicyKind::Resource || k == PolicyKind::Rcp;
}

template <typename J>
class Parser {
 public:
  explicit Parser(const PolicyParseOptions& options) : opt_(options) {
    policy_.kind = options.kind;
    policy_.origin = options.origin;
    policy_.file = options.file;
  }

  Policy run(const J& doc) {
    if (!doc.isObject()) {
      error("parse.not_object", "a policy must be a JSON object, not " + std::string(describeType(doc)), "");
      return finish();
    }
    doc.forEachMember([&](std::string_view key, const J& value) {
      if (key == "Version") {
        if (!value.isString()) {
          error("parse.wrong_type", "`Version` must be a string", "/Version");
        } else {
          policy_.version = std::string(value.string());
          if (*policy_.version != "2012-10-17" && *policy_.version != "2008-10-17") {
            error("parse.invalid_version",
                  "`Version` must be `2012-10-17` or `2008-10-17`, not `" + *policy_.version + "`",
                  "/Version");
          }
        }
      } else if (key == "Id") {
        if (!value.isString()) {
          error("parse.wrong_type", "`Id` must be a string", "/Id");
        } else {
          policy_.id = std::string(value.string());
        }
      } else if (key != "Statement") {
        error("parse.unknown_element", "unknown policy element `" + std::string(key) + "`", pointerAppend("", key));
      }
    });
    // AWS: without Version 2012-10-17, `${...}` is plain text.
    policy_.variables = policy_.version && *policy_.version == "2012-10-17";
    if (policy_.kind == PolicyKind::Rcp && policy_.version != "2012-10-17") {
      error("parse.invalid_version", "a resource control policy needs `Version` `2012-10-17`",
            "/Version");
    }
    const auto it = doc.find("Statement");
    if (!it) {
      error("parse.missing_statement", "the policy has no `Statement`", "");
    } else if (it->isObject()) {
      statement(*it, 0, "/Statement");
    } else if (it->isArray()) {
      if (it->empty()) {
        warning("parse.empty_statement", "`Statement` is an empty list", "/Statement");
      }
      it->forEachElement([&](std::size_t i, const J& s) {
        const std::string where = pointerAppend("/Statement", i);
        if (!s.isObject()) {
          error("parse.wrong_type", "a statement must be an object, not " + std::string(describeType(s)), where);
          return;
        }
        statement(s, i, where);
      });
    } else {
      error("parse.wrong_type", "`Statement` must be an object or an array", "/Statement");
    }
    return finish();
  }

 private:
  Policy finish() {
    policy_.valid = !(opt_.origin == PolicyOrigin::Authored && hasErrors(policy_.diagnostics));
    return std::move(policy_);
  }

  void add(Severity severity, std::string code, std::string message, const std::string& where) {
    if (severity == Severity::Error && opt_.origin == PolicyOrigin::Dump) {
      severity = Severity::Warning;  // AWS accepted it (aws-semantics §6.7): diagnose, evaluate
    }
    policy_.diagnostics.push_back(Diagnostic{std::move(code), std::move(message),
                                             opt_.base_pointer + where, opt_.file, severity});
  }
  void error(std::string code, std::string message, const std::string& where) {
    add(Severity::Error, std::move(code), std::move(message), where);
  }
  void warning(std::string code, std::string message, const std::string& where) {
    add(Severity::Warning, std::move(code), std::move(message), where);
  }

  // A string or a non-empty array of strings.
  std::vector<std::pair<std::string, std::string>> stringList(const J& v, const std::string& where,
                                                             std::string_view element) {
    std::vector<std::pair<std::string, std::string>> out;
    if (v.isString()) {
      out.emplace_back(std::string(v.string()), where);
    } else if (v.isArray()) {
      if (v.empty()) {
        error("parse.empty_list", "`" + std::string(element) + "` is an empty list", where);
      }
      v.forEachElement([&](std::size_t i, const J& e) {
        const std::string w = pointerAppend(where, i);
        if (e.isString()) {
          out.emplace_back(std::string(e.string()), w);
        } else {
          error("parse.wrong_type",
                "`" + std::string(element) + "` entries must be strings, not " + std::string(describeType(e)), w);
        }
      });
    } else {
      error("parse.wrong_type",
            "`" + std::string(element) + "` must be a string or an array of strings, not " +
                std::string(describeType(v)),
            where);
    }
    return out;
  }

  void statement(const J& s, std::size_t index, const std::string& where) {
    Statement st;
    st.index = index;
    st.where = opt_.base_pointer + where;
    static const std::set<std::string, std::less<>> kElements = {
        "Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction",
        "Resource", "NotResource", "Condition"};
    s.forEachMember([&](std::string_view key, const J&) {
      if (kElements.find(key) == kElements.end()) {
        error("parse.unknown_element", "unknown statement element `" + std::string(key) + "`", pointerAppend(where, key));
      }
    });
    if (const auto it = s.find("Sid")) {
      if (!it->isString()) {
        error("parse.wrong_type", "`Sid` must be a string", where + "/Sid");
      } else {
        st.sid = std::string(it->string());
        if (!st.sid->empty() && !sids_.insert(*st.sid).second) {
          error("parse.duplicate_sid", "statement id `" + *st.sid + "` is used twice", where + "/Sid");
        }
        if (isIamKind(opt_.kind) &&
            !std::all_of(st.sid->begin(), st.sid->end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)); })) {
          warning("parse.sid_characters", "IAM statement ids hold only letters and digits: `" + *st.sid + "`",
                  where + "/Sid");
        }
      }
    }
    if (const auto it = s.find("Effect"); !it) {
      error("parse.missing_effect", "the statement has no `Effect`", where);
    } else if (!it->isString() || (it->string() != "Allow" && it->string() != "Deny")) {
      error("parse.invalid_effect",
            "`Effect` must be `Allow` or `Deny`" +
                (it->isString() ? ", not `" + std::string(it->string()) + "`" : std::string()),
            where + "/Effect");
    } else {
      st.effect = it->string() == "Allow" ? Effect::Allow : Effect::Deny;
    }
    principals(s, st, where);
    actions(s, st, where);
    resources(s, st, where);
    if (const auto it = s.find("Condition")) {
      conditions(*it, st, where + "/Condition");
    }
    policy_.statements.push_back(std::move(st));
  }

  void principals(const J& s, Statement& st, const std::string& where) {
    const auto principal = s.find("Principal");
    const auto not_principal = s.find("NotPrincipal");
    const bool has_p = principal.has_value();
    const bool has_np = not_principal.has_value();
    const PolicyKind k = opt_.kind;
    if (!takesPrincipal(k)) {
      if (has_p || has_np) {
        error("parse.principal_not_allowed",
              "a " + std::string(toString(k)) + " policy cannot have `" +
                  (has_p ? "Principal" : "NotPrincipal") + "`",
              where + (has_p ? "/Principal" : "/NotPrincipal"));
      }
      return;
    }
    if (has_p && has_np) {
      error("parse.principal_and_not_principal", "a statement cannot have both `Principal` and `NotPrincipal`", where);
    }
    if (!has_p && !has_np) {
      error("parse.missing_principal", "a " + std::string(toString(k)) + " policy statement needs `Principal`", where);
      return;
    }
    if (has_np) {
      if (k == PolicyKind::Trust) {
        // AWS: NotPrincipal is not supported in role trust policies.
        error("parse.not_principal_in_trust_policy", "a role trust policy cannot use `NotPrincipal`",
              where + "/NotPrincipal");
      } else if (k == PolicyKind::Rcp) {
        error("parse.not_principal_in_rcp", "a resource control policy cannot use `NotPrincipal`",
              where + "/NotPrincipal");
      } else if (const auto e = s.find("Effect"); st.effect == Effect::Allow && e && e->isString() && e->string() == "Allow") {
        // AWS: Allow with NotPrincipal is not supported.
        error("parse.allow_with_not_principal", "`NotPrincipal` is only supported with `Deny`",
              where + "/NotPrincipal");
      }
    }
    const std::string elem = has_p ? "Principal" : "NotPrincipal";
    const J& v = has_p ? *principal : *not_principal;
    st.principal.present = true;
    st.principal.negated = !has_p;
    const std::string pw = where + "/" + elem;
    if (v.isString()) {
      if (v.string() != "*") {
        error("parse.invalid_principal", "`" + elem + "` as a string must be `*`; name principals as {\"AWS\": ...}", pw);
      }
      st.principal.entries.push_back(PrincipalEntry{PrincipalEntry::Type::Any, "*", "", "", "", "", pw});
    } else if (v.isObject()) {
      if (v.empty()) {
        error("parse.empty_list", "`" + elem + "` names no principal", pw);
      }
      v.forEachMember([&](std::string_view type_view, const J& values) {
        const std::string type(type_view);
        const std::string tw = pointerAppend(pw, type);
        if (type != "AWS" && type != "Service" && type != "Federated" && type != "CanonicalUser") {
          error("parse.invalid_principal_type",
                "principal type must be `AWS`, `Service`, `Federated` or `CanonicalUser`, not `" + type + "`", tw);
          return;
        }
        for (const auto& [text, w] : stringList(values, tw, elem)) {
          st.principal.entries.push_back(principalEntry(type, text, w));
        }
      });
    } else {
      error("parse.wrong_type", "`" + elem + "` must be `*` or an object", pw);
    }
    if (k == PolicyKind::Rcp && has_p &&
        !(st.principal.entries.size() == 1 && st.principal.entries[0].type == PrincipalEntry::Type::Any &&
          v.isString())) {
      // AWS: an RCP's Principal must be "*".
      error("parse.rcp_principal", "a resource control policy's `Principal` must be `\"*\"`", pw);
    }
  }

  PrincipalEntry principalEntry(const std::string& type, const std::string& text, const std::string& where) {
    using T = PrincipalEntry::Type;
    PrincipalEntry e;
    e.value = text;
    e.where = opt_.base_pointer + where;
    if (type == "Service") {
      e.type = T::Service;
      if (text.empty() || hasWildcard(text) || text.find(' ') != std::string::npos) {
        error("parse.invalid_principal", "`" + text + "` is not a service principal", where);
        e.type = T::Invalid;
      }
      return e;
    }
    if (type == "Federated") {
      e.type = T::Federated;
      if (text.empty() || hasWildcard(text)) {
        error("parse.invalid_principal", "`" + text + "` is not an identity provider", where);
        e.type = T::Invalid;
      }
      return e;
    }
    if (type == "CanonicalUser") {
      e.type = T::CanonicalUser;
      return e;
    }
    // AWS entries.
    if (text == "*") {
      e.type = T::Any;
      return e;
    }
    if (hasWildcard(text)) {
      // AWS: no partial wildcards in Principal; only the whole value "*".
      error("parse.principal_wildcard",
            "`" + text + "`: a principal cannot contain a wildcard except as the whole value `*`; "
            "use `\"AWS\": \"*\"` with an `ArnLike` condition on `aws:PrincipalArn`",
            where);
      e.type = T::Invalid;
      return e;
    }
    if (isAccountId(text)) {
      e.type = T::Account;
      e.account = text;
      return e;
    }
    if ((text.rfind("AIDA", 0) == 0 || text.rfind("AROA", 0) == 0) && text.size() >= 16 &&
        std::all_of(text.begin(), text.end(), [](char c) { return std::isupper(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)); })) {
      e.type = T::UniqueId;
      warning("principal.unique_id",
              "`" + text + "` is a bare unique id: the entity it named was deleted, so it matches "
              "nothing unless an entity still holds that id",
              where);
      return e;
    }
    const auto arn = Arn::parse(text);
    if (!arn) {
      error("parse.invalid_principal", "`" + text + "` is not an account id, an ARN or `*`", where);
      e.type = T::Invalid;
      return e;
    }
    e.partition = arn->partition;
    e.account = arn->account;
    const std::string& r = arn->resource;
    const bool partition_ok = isKnownPartition(arn->partition);
    if (!partition_ok || !isAccountId(arn->account) || !arn->region.empty()) {
      error("parse.invalid_arn", "`" + text + "` is not a valid principal ARN (partition, empty region, 12-digit account)", where);
      e.type = T::Invalid;
      return e;
    }
    if (arn->service == "iam") {
      if (r == "root") {
        e.type = T::Account;
      } else if (r.rfind("user/", 0) == 0 && r.size() > 5 && r.back() != '/') {
        e.type = T::User;
        e.name = r.substr(r.rfind('/') + 1);
      } else if (r.rfind("role/", 0) == 0 && r.size() > 5 && r.back() != '/') {
        e.type = T::Role;
        e.name = r.substr(r.rfind('/') + 1);
      } else {
        error("parse.invalid_principal",
              "`" + text + "`: an IAM principal ARN names `root`, a `user/` or a `role/`", where);
        e.type = T::Invalid;
      }
      return e;
    }
    if (arn->service == "sts") {
      if (r.rfind("assumed-role/", 0) == 0) {
        const std::string rest = r.substr(13);
        const std::size_t slash = rest.find('/');
        if (slash == std::string::npos || slash == 0 || slash + 1 == rest.size() ||
            rest.find('/', slash + 1) != std::string::npos) {
          error("parse.invalid_principal",
                "`" + text + "`: an assumed-role principal is `assumed-role/ROLE/SESSION`", where);
          e.type = T::Invalid;
          return e;
        }
        e.type = T::Session;
        e.name = rest.substr(0, slash);
        e.session = rest.substr(slash + 1);
        const bool name_ok =
            e.session.size() >= 2 && e.session.size() <= 64 &&
            std::all_of(e.session.begin(), e.session.end(), [](char c) {
              return std::isalnum(static_cast<unsigned char>(c)) || std::string_view("_+=,.@-").find(c) != std::string_view::npos;
            });
        if (!name_ok) {
          // AWS: session names are 2-64 characters of [\w+=,.@-]; STS never issues another.
          warning("principal.unmatchable_session",
                  "session name `" + e.session + "` can never be issued by STS (2-64 characters of "
                  "letters, digits and _+=,.@-), so this principal matches nothing",
                  where);
        }
        return e;
      }
      if (r.rfind("federated-user/", 0) == 0 && r.size() > 15) {
        e.type = T::FederatedUser;
        e.name = r.substr(15);
        return e;
      }
    }
    error("parse.invalid_principal", "`" + text + "` is not a principal ARN (root, user, role, assumed-role or federated-user)", where);
    e.type = T::Invalid;
    return e;
  }

  void actions(const J& s, Statement& st, const std::string& where) {
    const auto action = s.find("Action"), not_action = s.find("NotAction");
    const bool a = action.has_value(), na = not_action.has_value();
    if (a && na) {
      error("parse.action_and_not_action", "a statement cannot have both `Action` and `NotAction`", where);
    }
    if (!a && !na) {
      error("parse.missing_action", "the statement has no `Action` or `NotAction`", where);
      return;
    }
    if (na && opt_.kind == PolicyKind::Rcp) {
      error("parse.not_action_in_rcp", "a resource control policy cannot use `NotAction`", where + "/NotAction");
    }
    const std::string elem = a ? "Action" : "NotAction";
    st.action.negated = !a;
    for (const auto& [text, w] : stringList(a ? *action : *not_action, where + "/" + elem, elem)) {
      const std::size_t colon = text.find(':');
      const bool ok =
          text == "*" ||
          (colon != std::string::npos && colon > 0 && colon + 1 < text.size() &&
           std::all_of(text.begin(), text.begin() + static_cast<long>(colon),
                       [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '*' || c == '?'; }) &&
           text.find(':', colon + 1) == std::string::npos &&
           std::all_of(text.begin() + static_cast<long>(colon) + 1, text.end(), [](char c) {
             return std::isalnum(static_cast<unsigned char>(c)) || c == '*' || c == '?' || c == '-' || c == '_';
           }));
      if (!ok) {
        error("parse.invalid_action", "`" + text + "` is not an action (`service:Action` or `*`)", w);
        continue;
      }
      st.action.raw.push_back(text);
      st.action.patterns.push_back(Wildcard::compile(text, Wildcard::Mode::Folded));
    }
  }

  void resources(const J& s, Statement& st, const std::string& where) {
    const auto resource = s.find("Resource"), not_resource = s.find("NotResource");
    const bool r = resource.has_value(), nr = not_resource.has_value();
    if (opt_.kind == PolicyKind::Trust) {
      if (r || nr) {
        // AWS: MalformedPolicyDocument: Has prohibited field Resource (the resource is the role).
        error("parse.resource_in_trust_policy",
              "a role trust policy cannot have `" + std::string(r ? "Resource" : "NotResource") + "`: the resource is the role itself",
              where + (r ? "/Resource" : "/NotResource"));
      }
      return;
    }
    if (r && nr) {
      error("parse.resource_and_not_resource", "a statement cannot have both `Resource` and `NotResource`", where);
    }
    if (!r && !nr) {
      if (opt_.kind != PolicyKind::Scp) {
        error("parse.missing_resource", "the statement has no `Resource` or `NotResource`", where);
      }
      return;  // MODEL: an SCP statement without Resource applies to every resource
    }
    const std::string elem = r ? "Resource" : "NotResource";
    st.resource.present = true;
    st.resource.negated = !r;
    for (const auto& [text, w] : stringList(r ? *resource : *not_resource, where + "/" + elem, elem)) {
      if (text != "*" && text.rfind("arn:", 0) != 0) {
        error("parse.invalid_resource", "`" + text + "` is not an ARN or `*`", w);
        continue;
      }
      if (text != "*" && std::count(text.begin(), text.end(), ':') < 5 && text.back() != '*') {
        warning("parse.short_resource", "`" + text + "` has fewer than six ARN fields and matches nothing", w);
      }
      if (const auto arn = Arn::parse(text); arn && hasWildcard(arn->service)) {
        warning("parse.service_wildcard", "`" + text + "`: a wildcard in the service field", w);
      }
      ResourcePattern p;
      p.raw = text;
      p.value = match::parseTemplate(text, policy_.variables);
      if (!p.value.hasVariables()) {
        p.compiled = Wildcard::compile(text, Wildcard::Mode::ResourceArn);
        p.value.parts.clear();
      }
      st.resource.patterns.push_back(std::move(p));
    }
  }

  void conditions(const J& c, Statement& st, const std::string& where) {
    if (!c.isObject()) {
      error("parse.wrong_type", "`Condition` must be an object", where);
      return;
    }
    c.forEachMember([&](std::string_view op_view, const J& block) {
      const std::string op_name(op_view);
      const std::string ow = pointerAppend(where, op_name);
      const auto found = match::lookupOperator(op_name);
      if (!found) {
        error("parse.unknown_condition_operator", "unknown condition operator `" + op_name + "`", ow);
        return;
      }
      const ConditionOperator& op = found->op;
      if (!found->case_exact) {
        warning("parse.operator_case", "condition operator `" + op_name + "` is not spelled as AWS spells it", ow);
      }
      if (op.family == OperatorFamily::Null && (op.if_exists || op.set != SetQualifier::None)) {
        error("parse.invalid_condition_operator", "`Null` takes neither `IfExists` nor a set qualifier: `" + op_name + "`", ow);
        return;
      }
      if (!block.isObject()) {
        error("parse.wrong_type", "condition operator `" + op_name + "` must map keys to values", ow);
        return;
      }
      block.forEachMember([&](std::string_view key_view, const J& values) {
        const std::string key(key_view);
        const std::string kw = pointerAppend(ow, key);
        if (key.empty()) {
          error("parse.invalid_condition_key", "empty condition key", kw);
          return;
        }
        ConditionClause clause;
        clause.op = op;
        clause.key = key;
        clause.folded_key = match::foldCase(key);
        clause.where = opt_.base_pointer + kw;
        const auto one = [&](const J& v, const std::string& vw) {
          ConditionValue cv;
          if (v.isString()) {
            cv.raw = std::string(v.string());
          } else if (v.isBool()) {
            cv.raw = v.boolean() ? "true" : "false";
          } else if (v.isNumber()) {
            cv.raw = v.numberText();
          } else {
            error("parse.invalid_condition_value",
                  "condition values are strings, numbers or booleans, not " + std::string(describeType(v)), vw);
            return;
          }
          conditionValue(op, cv, vw);
          clause.values.push_back(std::move(cv));
        };
        if (values.isArray()) {
          if (values.empty()) {
            error("parse.empty_list", "condition key `" + key + "` has no values", kw);
          }
          values.forEachElement([&](std::size_t i, const J& v) { one(v, pointerAppend(kw, i)); });
        } else {
          one(values, kw);
        }
        st.conditions.push_back(std::move(clause));
      });
    });
  }

  void conditionValue(const ConditionOperator& op, ConditionValue& cv, const std::string& where) {
    if (policy_.variables && match::familyTakesVariables(op.family)) {
      cv.value = match::parseTemplate(cv.raw, true);
      cv.has_variables = cv.value.hasVariables();
    }
    match::compileConditionValue(op.family, cv);
    if (cv.has_variables) {
      return;
    }
    const auto bad = [&](std::string_view what) {
      error("parse.invalid_condition_value",
            "`" + cv.raw + "` is not " + std::string(what) + " (operator `" + op.name + "`)", where);
    };
    switch (op.family) {
      case OperatorFamily::Numeric:
        if (!cv.valid) bad("a number");
        break;
      case OperatorFamily::Date:
        if (!cv.valid) bad("a date (ISO 8601 or epoch seconds)");
        break;
      case OperatorFamily::Bool:
      case OperatorFamily::Null:
        if (!cv.valid) {
          bad("`true` or `false`");
        } else if (cv.raw != "true" && cv.raw != "false") {
          warning("parse.bool_case", "boolean `" + cv.raw + "` is accepted, but AWS writes `true`/`false`", where);
        }
        break;
      case OperatorFamily::Binary:
        if (!cv.valid) bad("base64");
        break;
      case OperatorFamily::IpAddress:
        if (!cv.valid) {
          bad("an IP address or CIDR range");
        } else if (cv.network.v6 && cv.raw.find('/') == std::string::npos) {
          warning("parse.bare_ipv6", "bare IPv6 address `" + cv.raw + "` is read as /128", where);
        }
        break;
      case OperatorFamily::Arn:
        if (!cv.arn_ok) {
          warning("parse.short_arn", "`" + cv.raw + "` has fewer than six ARN fields: the Arn operators never match it", where);
        }
        break;
      case OperatorFamily::StringEquals:
      case OperatorFamily::StringEqualsIgnoreCase:
      case OperatorFamily::StringLike:
        break;
    }
  }

  const PolicyParseOptions& opt_;
  Policy policy_;
  std::set<std::string> sids_;
};

}  // namespace

Policy parsePolicy(const nlohmann::json& document, const PolicyParseOptions& options) {
  return Parser<NlohmannView>(options).run(NlohmannView(document));
}

Policy parsePolicyView(const NlohmannView& document, const PolicyParseOptions& options) {
  return Parser<NlohmannView>(options).run(document);
}

Policy parsePolicyView(const SimdView& document, const PolicyParseOptions& options) {
  return Parser<SimdView>(options).run(document);
}

}  // namespace trustsim::parse

namespace trustsim {

std::string_view toString(PolicyKind kind) {
  switch (kind) {
    case PolicyKind::Identity:
      return "identity";
    case PolicyKind::Trust:
      return "role trust";
    case PolicyKind::Resource:
      return "resource";
    case PolicyKind::Boundary:
      return "permissions boundary";
    case PolicyKind::Session:
      return "session";
    case PolicyKind::Scp:
      return "service control";
    case PolicyKind::Rcp:
      return "resource control";
  }
  return "unknown";
}

std::string_view toString(Effect effect) {
  switch (effect) {
    case Effect::Allow:
      return "Allow";
    case Effect::Deny:
      return "Deny";
  }
  return "Allow";
}

bool hasErrors(const Diagnostics& diagnostics) {
  return std::any_of(diagnostics.begin(), diagnostics.end(),
                     [](const Diagnostic& d) { return d.severity == Severity::Error; });
}

namespace {

// `text` cut to about `max` bytes: its head and tail around a note of what was left out, on UTF-8
// character boundaries. Diagnostics quote input, and input can be a 50 MB string.
std::string elide(std::string_view text, std::size_t max) {
  if (text.size() <= max) return std::string(text);
  const auto boundary = [&](std::size_t i) {
    while (i > 0 && i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) --i;
    return i;
  };
  const std::size_t head = boundary(max * 2 / 3);
  const std::size_t tail = boundary(text.size() - max / 3);
  return std::string(text.substr(0, head)) + "...(" + std::to_string(tail - head) + " bytes)..." +
         std::string(text.substr(tail));
}

// The message with every `quoted` span longer than kQuoteMax elided, then the whole capped.
std::string shortMessage(const std::string& message) {
  constexpr std::size_t kQuoteMax = 200, kMessageMax = 2000;
  if (message.size() <= kQuoteMax) return message;
  std::string out;
  std::size_t at = 0;
  while (at < message.size()) {
    const std::size_t open = message.find('`', at);
    const std::size_t close = open == std::string::npos ? open : message.find('`', open + 1);
    if (close == std::string::npos) break;
    out.append(message, at, open + 1 - at);
    out += elide(std::string_view(message).substr(open + 1, close - open - 1), kQuoteMax);
    out += '`';
    at = close + 1;
  }
  out.append(message, std::min(at, message.size()), std::string::npos);
  return elide(out, kMessageMax);
}

}  // namespace

std::string formatDiagnostic(const Diagnostic& d) {
  std::string out;
  if (!d.file.empty()) {
    out += d.file;
    out += ":";
  }
  if (!d.where.empty()) {
    out += elide(d.where, 1000);  // keys are input too
    out += ":";
  }
  if (!out.empty()) {
    out += " ";
  }
  out += d.severity == Severity::Warning ? "warning: " : "error: ";
  out += shortMessage(d.message);
  out += " [" + d.code + "]";
  return out;
}

Result<Policy> parsePolicyText(std::string_view text, PolicyKind kind, PolicyOrigin origin,
                               const std::string& file) {
  auto json = parse::readJson(text, file);
  if (!json) {
    return json.error();
  }
  Policy p = parse::parsePolicy(json.value(), {kind, origin, file, ""});
  if (!p.valid) {
    return p.diagnostics;
  }
  return p;
}

}  // namespace trustsim
