// SPDX-License-Identifier: Apache-2.0
// AssumeRole as STS does it (aws-semantics §1.3, §3, §4, §5): parameter validation, the derived
// request context, the AssumeRole / TagSession / SetSourceIdentity checks, durations, and the
// session that results. Chains run hop by hop with what carries over.
#include <algorithm>
#include <cctype>

#include "match/condition_ops.h"
#include "sts/internal.h"
#include "trustsim/arn.h"

namespace trustsim {
namespace {

using match::foldCase;

// AWS: `\w` in STS patterns is [A-Za-z0-9_].
bool matchesCharset(std::string_view s, std::string_view extra) {
  return std::all_of(s.begin(), s.end(), [&](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || extra.find(c) != std::string_view::npos;
  });
}

// Collects STS ValidationError texts: `1 validation error detected: Value 'x' at 'roleSessionName'
// failed to satisfy constraint: Member must ...` (several joined by `; `).
class Validator {
 public:
  void pattern(std::string_view field, std::string_view value, std::string_view extra, std::string_view shown) {
    if (!matchesCharset(value, extra)) {
      add(field, value, "Member must satisfy regular expression pattern: " + std::string(shown));
    }
  }
  void length(std::string_view field, std::string_view value, std::size_t min, std::size_t max) {
    if (value.size() < min) add(field, value, "Member must have length greater than or equal to " + std::to_string(min));
    if (value.size() > max) add(field, value, "Member must have length less than or equal to " + std::to_string(max));
  }
  void add(std::string_view field, std::string_view value, const std::string& constraint) {
    errors_.push_back("Value '" + std::string(value) + "' at '" + std::string(field) +
                      "' failed to satisfy constraint: " + constraint);
  }
  bool ok() const { return errors_.empty(); }
  std::string message() const {
    std::string out = std::to_string(errors_.size()) + (errors_.size() == 1 ? " validation error" : " validation errors") + " detected: ";
    for (std::size_t i = 0; i < errors_.size(); ++i) out += (i ? "; " : "") + errors_[i];
    return out;
  }

 private:
  std::vector<std::string> errors_;
};

constexpr std::string_view kNamePattern = R"([\w+=,.@-]*)";
constexpr std::string_view kExternalIdPattern = R"([\w+=,.@:\/-]*)";

}  // namespace

AssumeResult Simulator::assume(const Identity& first, const std::vector<AssumeParams>& hops,
                               const SimOptions& options) const {
  return assume(first, std::span<const AssumeParams>(hops), options);
}

AssumeResult Simulator::assume(const Identity& first, std::span<const AssumeParams> hops,
                               const SimOptions& options) const {
  const Impl& m = *impl_;
  AssumeResult result;
  Identity caller = first;
  for (const AssumeParams& p : hops) {
    HopResult hop;
    hop.role_arn = p.role_arn;
    hop.caller_arn = caller.caller.arn;
    std::vector<std::string>* trace = options.trace ? &hop.trace : nullptr;
    const auto finish = [&](CallStatus status) {
      hop.status = status;
      result.status = status;
      result.hops.push_back(std::move(hop));
      return result;
    };
    const auto denied = [&](std::string action, std::string reason = {}) {
      hop.failed_action = action;
      hop.message = accessDeniedMessage(caller.caller.arn, action, p.role_arn);
      hop.reason = std::move(reason);
      return finish(CallStatus::AccessDenied);
    };
    const bool saml = caller.caller.kind == Caller::Kind::IdentityProvider &&
                      caller.caller.arn.find(":saml-provider/") != std::string::npos;
    const std::string action = caller.caller.kind == Caller::Kind::IdentityProvider
                                   ? (saml ? "sts:AssumeRoleWithSAML" : "sts:AssumeRoleWithWebIdentity")
                                   : "sts:AssumeRole";
    const bool chaining = caller.caller.kind == Caller::Kind::RoleSession;
    // RoleSessionName is the caller's choice; when none is given, a user's name (when STS would
    // accept it) or `trustsim`.
    std::string default_name = "trustsim";
    if (caller.caller.kind == Caller::Kind::User) {
      const std::string user = caller.caller.arn.substr(caller.caller.arn.rfind('/') + 1);
      if (user.size() >= 2 && user.size() <= 64 && matchesCharset(user, "+=,.@-")) default_name = user;
    }
    const std::string session_name = p.session_name.value_or(default_name);

    // 1. Parameter validation (aws-semantics §1.3): ValidationError, never AccessDenied.
    Validator v;
    v.length("roleSessionName", session_name, 2, 64);
    v.pattern("roleSessionName", session_name, "+=,.@-", kNamePattern);
    if (p.external_id) {
      v.length("externalId", *p.external_id, 2, 1224);
      v.pattern("externalId", *p.external_id, "+=,.@:/-", kExternalIdPattern);
    }
    if (p.source_identity) {
      v.length("sourceIdentity", *p.source_identity, 2, 64);
      v.pattern("sourceIdentity", *p.source_identity, "+=,.@-", kNamePattern);
      if (foldCase(*p.source_identity).rfind("aws:", 0) == 0) {
        v.add("sourceIdentity", *p.source_identity, "Member must not start with 'aws:'");
      }
    }
    if (p.duration_seconds) {
      if (*p.duration_seconds < 900) v.add("durationSeconds", std::to_string(*p.duration_seconds), "Member must have value greater than or equal to 900");
      if (*p.duration_seconds > 43200) v.add("durationSeconds", std::to_string(*p.duration_seconds), "Member must have value less than or equal to 43200");
    }
    if (p.tags.size() > 50) v.add("tags", std::to_string(p.tags.size()) + " tags", "Member must have length less than or equal to 50");
    for (const Tag& t : p.tags) {
      v.length("tags.member.key", t.key, 1, 128);
      v.length("tags.member.value", t.value, 0, 256);
      if (foldCase(t.key).rfind("aws:", 0) == 0) v.add("tags.member.key", t.key, "Member must not start with 'aws:'");
    }
    if (p.transitive_tag_keys.size() > 50) v.add("transitiveTagKeys", std::to_string(p.transitive_tag_keys.size()) + " keys", "Member must have length less than or equal to 50");
    if (!v.ok()) {
      hop.message = v.message();
      return finish(CallStatus::ValidationError);
    }
    for (const std::string& k : p.transitive_tag_keys) {
      const bool passed = std::any_of(p.tags.begin(), p.tags.end(), [&](const Tag& t) { return foldCase(t.key) == foldCase(k); });
      if (!passed) {
        // MODEL: STS rejects transitive keys that name no passed tag; the exact text is ours.
        hop.message = "1 validation error detected: Value '" + k + "' at 'transitiveTagKeys' failed to satisfy constraint: the key must be one of the session tags passed";
        return finish(CallStatus::ValidationError);
      }
    }

    // 2. Callers STS refuses outright, and roles that are not there.
    if (caller.caller.kind == Caller::Kind::Root) {
      hop.failed_action = action;
      hop.message = "Roles may not be assumed by root accounts.";  // AWS: fixed text
      return finish(CallStatus::AccessDenied);
    }
    const Role* role = findRole(p.role_arn);
    if (role == nullptr) {
      // AWS: STS does not disclose whether a role exists: the same AccessDenied as a refusal.
      if (trace) trace->push_back("the role `" + p.role_arn + "` is not in the input");
      return denied(action, "the role is not in the input");
    }
    if (role->arn != p.role_arn && trace) {
      trace->push_back("the role is named `" + role->arn + "` in the input (path or case differ)");
    }

    // 3. The request context (aws-semantics §3.4).
    Request req;
    req.principal = caller.caller.arn;
    req.resource = role->arn;
    m.addPrincipalKeys(req.context, caller);
    m.addResourceKeys(req.context, role->account, role->tags, true);
    req.context.set("sts:RoleSessionName", session_name);
    if (p.external_id) req.context.set("sts:ExternalId", *p.external_id);
    // AWS: an inherited source identity is presented again on every hop and cannot change.
    const std::optional<std::string> inherited_si = caller.source_identity;
    const std::optional<std::string> si = inherited_si ? inherited_si : p.source_identity;
    if (si) req.context.set("sts:SourceIdentity", *si);
    // AWS: inherited transitive tags are presented again; with passed tags they form the request.
    std::vector<Tag> inherited_tags;
    for (const Tag& t : caller.session_tags) {
      if (std::find_if(caller.transitive_keys.begin(), caller.transitive_keys.end(),
                       [&](const std::string& k) { return foldCase(k) == foldCase(t.key); }) != caller.transitive_keys.end()) {
        inherited_tags.push_back(t);
      }
    }
    std::vector<Tag> request_tags = inherited_tags;
    request_tags.insert(request_tags.end(), p.tags.begin(), p.tags.end());
    if (!request_tags.empty()) {
      std::vector<std::string> keys;
      for (const Tag& t : request_tags) {
        req.context.set("aws:RequestTag/" + t.key, t.value);
        keys.push_back(t.key);
      }
      req.context.setMulti("aws:TagKeys", keys);
    }
    if (!p.transitive_tag_keys.empty()) req.context.setMulti("sts:TransitiveTagKeys", p.transitive_tag_keys);
    if (p.mfa) {
      req.context.set("aws:MultiFactorAuthPresent", "true");
      req.context.set("aws:MultiFactorAuthAge", "0");
    }
    for (const auto& [k, val] : p.environment) req.context.set(k, val);

    // 4. Authorization: AssumeRole, then TagSession, then SetSourceIdentity (aws-semantics §4.3).
    PolicySet set = m.callerPolicies(caller);
    set.resource = &role->trust_policy;
    m.addRcps(set, role->account, caller);
    const auto check = [&](const std::string& act, PolicySet::CallerSide side) {
      PolicySet s = set;
      if (s.caller_side != PolicySet::CallerSide::Unknown) s.caller_side = side;
      req.action = act;
      CallCheck c{act, evaluate(req, caller.caller, s, EvalOptions{options.trace})};
      if (trace) {
        trace->push_back("check " + act + ":");
        for (const std::string& line : c.decision.trace) trace->push_back("  " + line);
      }
      hop.checks.push_back(std::move(c));
      return hop.checks.back().decision.outcome == Outcome::Allowed;
    };
    if (!check(action, PolicySet::CallerSide::Normal)) {
      return denied(action, awsReason(hop.checks.back().decision, action));
    }
    if (!request_tags.empty()) {
      // AWS: inherited tags need sts:TagSession on both sides, same account or not.
      const auto side = inherited_tags.empty() ? PolicySet::CallerSide::Normal : PolicySet::CallerSide::Required;
      if (!check("sts:TagSession", side)) {
        return denied("sts:TagSession", awsReason(hop.checks.back().decision, "sts:TagSession"));
      }
    }
    if (si) {
      if (inherited_si && p.source_identity && *p.source_identity != *inherited_si) {
        // AWS: the source identity is immutable for the life of the chain.
        if (trace) trace->push_back("source identity `" + *inherited_si + "` is inherited and cannot change to `" + *p.source_identity + "`");
        return denied("sts:SetSourceIdentity", "the source identity cannot be changed along a chain");
      }
      // AWS: an inherited source identity needs sts:SetSourceIdentity on both sides.
      const auto side = inherited_si ? PolicySet::CallerSide::Required : PolicySet::CallerSide::Normal;
      if (!check("sts:SetSourceIdentity", side)) {
        return denied("sts:SetSourceIdentity", awsReason(hop.checks.back().decision, "sts:SetSourceIdentity"));
      }
    }

    // 5. Duration (aws-semantics §5.2).
    const int duration = p.duration_seconds.value_or(3600);
    if (chaining && duration > 3600) {
      hop.message = "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.";
      return finish(CallStatus::ValidationError);
    }
    if (duration > role->max_session_duration) {
      hop.message = "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.";
      return finish(CallStatus::ValidationError);
    }
    // 6. Tag merge: a passed key may not restate an inherited transitive key (aws-semantics §5.3).
    for (const Tag& t : p.tags) {
      for (const Tag& it : inherited_tags) {
        if (foldCase(it.key) == foldCase(t.key)) {
          hop.message = "1 validation error detected: the session tag '" + t.key +
                        "' was passed with a key that is already a transitive tag of the calling session";
          return finish(CallStatus::ValidationError);
        }
      }
    }

    // 7. The new session.
    Identity next = m.sessionOf(*role, session_name);
    next.chained = chaining;
    next.mfa = p.mfa || (options.chained_mfa_carries_over && caller.mfa);
    next.source_identity = si;
    next.session_tags = request_tags;
    next.transitive_keys.clear();
    for (const Tag& t : inherited_tags) next.transitive_keys.push_back(t.key);
    for (const std::string& k : p.transitive_tag_keys) next.transitive_keys.push_back(k);
    next.session_policy = p.session_policy;
    next.duration_seconds = duration;
    hop.message.clear();
    hop.status = CallStatus::Allowed;
    hop.session = next;
    caller = std::move(next);
    result.hops.push_back(std::move(hop));
    result.status = CallStatus::Allowed;
  }
  return result;
}

}  // namespace trustsim
