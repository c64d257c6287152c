// SPDX-License-Identifier: Apache-2.0
// One function per rule, and a registry table. Rules read the world's trust statements (and the
// trust graph, for counts and chains); none of them guesses about what is outside the model.
#include <algorithm>
#include <atomic>
#include <iterator>
#include <map>
#include <set>

#include "data/vendors.h"
#include "match/condition_ops.h"
#include "trustsim/arn.h"
#include "util/parallel.h"
#include "trustsim/findings.h"

namespace trustsim {
namespace {

using match::foldCase;

const std::vector<RuleInfo> kRules = {
    {"public-trust", FindingSeverity::Critical, "role trusts any AWS principal",
     "The trust policy allows \"*\" (or {\"AWS\": \"*\"}) without a condition that restricts the caller to known "
     "principals, accounts or an organization: any AWS principal anywhere that allows itself sts:AssumeRole can use the role."},
    {"no-external-id", FindingSeverity::High, "third party trusted without an ExternalId",
     "A third-party account or principal is trusted without a StringEquals condition on sts:ExternalId: any customer of "
     "that third party can make it assume this role (confused deputy)."},
    {"weak-external-id", FindingSeverity::High, "ExternalId condition that does not pin a value",
     "The ExternalId condition can be met without the vendor-issued value: a wildcard, an IfExists or ForAllValues form, "
     "a negated or Null-only operator, an unconditioned sibling statement, or a short guessable value."},
    {"customer-chosen-external-id", FindingSeverity::Medium, "ExternalId chosen by the customer",
     "The third party lets its customers pick the ExternalId, so another customer can pick the same value and have the "
     "third party assume this role for them."},
    {"shared-external-id", FindingSeverity::Medium, "one ExternalId for several third parties",
     "The same ExternalId value is trusted for different third parties: the value no longer binds the role to one vendor's tenant."},
    {"service-without-source", FindingSeverity::Medium, "service principal without source pinning",
     "A service principal is trusted without aws:SourceArn / aws:SourceAccount / aws:SourceOrgID: the service could be used "
     "on behalf of another account (cross-service confused deputy)."},
    {"chain-to-admin", FindingSeverity::High, "chain across accounts to administrator rights",
     "A chain of AssumeRole calls that crosses accounts ends in a session with administrator-equivalent permissions that "
     "the starting principal does not have directly."},
    {"dangling-principal", FindingSeverity::Medium, "trust names a principal that does not exist",
     "The trust policy names a bare unique id (the named entity was deleted) or a principal that is not there; AWS breaks "
     "such trust silently, and a recreated entity of the same name does not get it back."},
    {"vendor-access-keys", FindingSeverity::High, "third party holds an IAM user's long-term keys",
     "A vendor calls as an IAM user of ours: its access keys never expire, are not bound to the vendor's tenant by an "
     "ExternalId, and leak with the vendor. A role the vendor assumes (with an ExternalId) replaces them."},
    {"account-root-trust", FindingSeverity::Low, "trust in a whole account",
     "The trust policy delegates to a whole account: every principal that account allows sts:AssumeRole can use the role."},
};

// AWS (aws-semantics §9.3, dated 2025-11): services that never send aws:SourceArn/SourceAccount
// when assuming a role, so requiring them would break the role.
const std::set<std::string> kServicesWithoutSourceKeys = {"ec2.amazonaws.com", "ec2.amazonaws.com.cn",
                                                          "edgelambda.amazonaws.com"};

const std::set<std::string> kCallerRestrictingKeys = {
    "aws:principalorgid", "aws:principalorgpaths", "aws:principalaccount", "aws:principalarn",
    "aws:sourceaccount",  "aws:sourcearn",         "aws:sourceorgid",      "aws:sourceorgpaths",
    "aws:userid",         "aws:principalservicename"};

const std::set<std::string> kSourceKeys = {"aws:sourcearn", "aws:sourceaccount", "aws:sourceorgid", "aws:sourceorgpaths"};

bool coversAssumeRole(const Statement& st) {
  for (const Wildcard& w : st.action.patterns) {
    if (w.matches("sts:assumerole")) return !st.action.negated;
  }
  return st.action.negated;
}

bool hasWildcard(std::string_view s) { return s.find_first_of("*?") != std::string_view::npos; }

// A condition clause that really restricts: positive, not IfExists, not ForAllValues.
bool pins(const ConditionClause& c) {
  return !c.op.negated && !c.op.if_exists && c.op.set != SetQualifier::ForAllValues &&
         c.op.family != OperatorFamily::Null;
}

struct Context {
  const TrustGraph& graph;
  const World& world;
  std::vector<Finding> out;

  bool ours(const std::string& account) const {
    const auto it = world.accounts.find(account);
    return it != world.accounts.end() && it->second.ours;
  }
  std::string vendor(const std::string& account) const { return data::vendorName(world, account).value_or(""); }

  Finding make(std::string_view rule, const Role& role, const Statement* st, std::string principal) const {
    Finding f;
    f.rule = std::string(rule);
    for (const RuleInfo& r : kRules) {
      if (r.id == rule) f.severity = r.severity;
    }
    f.resource = role.arn;
    f.principal = std::move(principal);
    if (st != nullptr) {
      f.statement = StatementRef{role.trust_policy.name, PolicyType::Trust, st->index, st->sid, st->effect, st->where};
    }
    f.file = role.trust_policy.policy.file.empty() ? role.origin.file : role.trust_policy.policy.file;
    f.address = role.origin.address;
    if (f.file == role.origin.file) f.line = role.origin.line;
    return f;
  }
};

// Third-party entries of a statement: accounts and principals of accounts that are not ours.
std::vector<const PrincipalEntry*> thirdParties(const Context& ctx, const Statement& st) {
  std::vector<const PrincipalEntry*> out;
  for (const PrincipalEntry& e : st.principal.entries) {
    using T = PrincipalEntry::Type;
    const bool aws_entity = e.type == T::Account || e.type == T::User || e.type == T::Role || e.type == T::Session ||
                            e.type == T::FederatedUser;
    if (aws_entity && !ctx.ours(e.account)) out.push_back(&e);
  }
  return out;
}

enum class IdStrength { None, Weak, Strong };

// How a statement's ExternalId conditions bind the call, and why a weak one is weak.
IdStrength externalIdStrength(const Statement& st, std::string& why, std::vector<std::string>& values) {
  IdStrength best = IdStrength::None;
  for (const ConditionClause& c : st.conditions) {
    if (c.folded_key != "sts:externalid") continue;
    std::string reason;
    if (c.op.negated) {
      reason = "`" + c.op.name + "` is true when no ExternalId is sent";
    } else if (c.op.if_exists) {
      reason = "`" + c.op.name + "` passes a call that sends no ExternalId";
    } else if (c.op.set == SetQualifier::ForAllValues) {
      reason = "`" + c.op.name + "` is vacuously true when no ExternalId is sent";
    } else if (c.op.family == OperatorFamily::Null) {
      reason = "`Null` only demands some ExternalId, not the vendor's";
    } else if (c.op.family == OperatorFamily::StringLike &&
               std::any_of(c.values.begin(), c.values.end(), [](const ConditionValue& v) { return hasWildcard(v.raw); })) {
      reason = "`StringLike` with a wildcard accepts ExternalIds the vendor never issued";
    } else if (std::any_of(c.values.begin(), c.values.end(), [](const ConditionValue& v) { return v.has_variables; })) {
      reason = "the ExternalId is compared with a policy variable the caller's side controls";
    }
    if (!reason.empty()) {
      if (best == IdStrength::None) {
        best = IdStrength::Weak;
        why = reason;
      }
      continue;
    }
    best = IdStrength::Strong;
    for (const ConditionValue& v : c.values) values.push_back(v.raw);
  }
  return best;
}

bool guessable(const std::string& value, const std::string& role_account) {
  if (value.size() < 8) return true;
  if (value == role_account) return true;  // the customer's own account id: not vendor-unique
  const std::string f = foldCase(value);
  static const std::set<std::string> kCommon = {"externalid", "external-id", "secret", "password", "changeme",
                                                "somesecretvalue", "some-secret-value", "12345678", "test1234"};
  if (kCommon.count(f)) return true;
  return std::all_of(value.begin(), value.end(), [&](char c) { return c == value[0]; });
}

void externalIdRules(Context& ctx) {
  // value → third-party accounts trusted with it
  std::map<std::string, std::map<std::string, std::pair<const Role*, const Statement*>>> by_value;
  for (const auto& [arn, role] : ctx.world.roles) {
    const auto& statements = role.trust_policy.policy.statements;
    // Third parties that some statement of this role binds with a strong ExternalId.
    std::set<std::string> strongly_bound;
    for (const Statement& st : statements) {
      if (st.effect != Effect::Allow || !coversAssumeRole(st)) continue;
      std::string why;
      std::vector<std::string> values;
      if (externalIdStrength(st, why, values) == IdStrength::Strong) {
        for (const PrincipalEntry* e : thirdParties(ctx, st)) strongly_bound.insert(e->account);
      }
    }
    for (const Statement& st : statements) {
      if (st.effect != Effect::Allow || !coversAssumeRole(st)) continue;
      const auto parties = thirdParties(ctx, st);
      if (parties.empty()) continue;
      std::string why;
      std::vector<std::string> values;
      const IdStrength strength = externalIdStrength(st, why, values);
      for (const PrincipalEntry* e : parties) {
        const std::string vendor = ctx.vendor(e->account);
        const std::string who = vendor.empty() ? "account " + e->account : vendor + " (" + e->account + ")";
        if (strength == IdStrength::None) {
          if (strongly_bound.count(e->account)) {
            Finding f = ctx.make("weak-external-id", role, &st, e->value);
            f.vendor = vendor;
            f.message = "another statement requires an ExternalId from " + who + ", but this one trusts it without one; "
                        "statements are OR-ed, so the ExternalId protects nothing";
            f.fix = "remove this statement, or add the same StringEquals sts:ExternalId condition to it";
            ctx.out.push_back(f);
          } else {
            Finding f = ctx.make("no-external-id", role, &st, e->value);
            f.vendor = vendor;
            f.message = who + " is trusted without an ExternalId: any of its customers can have it assume " + role.name;
            f.fix = "add \"Condition\": {\"StringEquals\": {\"sts:ExternalId\": \"<the value " +
                    (vendor.empty() ? std::string("the third party") : vendor) + " issued for you>\"}} to this statement";
            ctx.out.push_back(f);
          }
          continue;
        }
        if (strength == IdStrength::Weak) {
          Finding f = ctx.make("weak-external-id", role, &st, e->value);
          f.vendor = vendor;
          f.message = "the ExternalId condition for " + who + " does not pin the value: " + why;
          f.fix = "use \"StringEquals\": {\"sts:ExternalId\": \"<vendor-issued value>\"} (no IfExists, wildcard or set operator)";
          ctx.out.push_back(f);
          continue;
        }
        for (const std::string& v : values) {
          // One third party per vendor (a vendor may call from several accounts).
          by_value[v][vendor.empty() ? e->account : vendor] = {&role, &st};
          if (guessable(v, role.account)) {
            Finding f = ctx.make("weak-external-id", role, &st, e->value);
            f.vendor = vendor;
            f.severity = FindingSeverity::Medium;
            f.message = "the ExternalId `" + v + "` for " + who + " is short or guessable" +
                        (v == role.account ? " (it is this account's own id, which every customer knows)" : "");
            f.fix = "use the unique ExternalId the vendor generated for your tenant";
            ctx.out.push_back(f);
          }
        }
        // customer-chosen-external-id: the vendor lets customers pick the value.
        for (const Vendor& vd : ctx.world.vendors) {
          const bool same = std::find(vd.accounts.begin(), vd.accounts.end(), e->account) != vd.accounts.end();
          if (same && vd.external_id_issuer == Vendor::ExternalIdIssuer::Customer) {
            Finding f = ctx.make("customer-chosen-external-id", role, &st, e->value);
            f.vendor = vd.name;
            f.message = vd.name + " lets each customer choose the ExternalId, so uniqueness is not guaranteed: another " +
                        vd.name + " customer who learns or guesses this value can register " + role.name + " as theirs";
            f.fix = "use a long random value no one else can guess, and ask " + vd.name +
                    " to generate ExternalIds per customer; audit who else knows the value";
            ctx.out.push_back(f);
          }
        }
      }
    }
  }
  for (const auto& [value, accounts] : by_value) {
    if (accounts.size() < 2) continue;
    std::string list;
    for (const auto& [acct, where] : accounts) list += (list.empty() ? "" : ", ") + acct;
    for (const auto& [acct, where] : accounts) {
      Finding f = ctx.make("shared-external-id", *where.first, where.second, acct);
      f.vendor = ctx.vendor(acct);
      f.message = "ExternalId `" + value + "` is trusted for several third parties (" + list + ")";
      f.fix = "give each third party the ExternalId it issued; never reuse one value across vendors";
      ctx.out.push_back(f);
    }
  }
}

void publicTrust(Context& ctx) {
  for (const auto& [arn, role] : ctx.world.roles) {
    for (const Statement& st : role.trust_policy.policy.statements) {
      if (st.effect != Effect::Allow) continue;
      const bool any = std::any_of(st.principal.entries.begin(), st.principal.entries.end(),
                                   [](const PrincipalEntry& e) { return e.type == PrincipalEntry::Type::Any; });
      if (!any) continue;
      // A condition restricts the caller only when its values name something: `ArnLike
      // aws:PrincipalArn "*"` or an ARN whose account is a wildcard admits everyone.
      const auto names_something = [](const ConditionValue& v) {
        if (const auto arn = Arn::parse(v.raw)) return isAccountId(arn->account);
        const std::size_t wildcard = v.raw.find_first_of("*?");
        return wildcard == std::string::npos || wildcard >= 3;  // `o-abc/*` scopes; `*` does not
      };
      const bool restricted = std::any_of(st.conditions.begin(), st.conditions.end(), [&](const ConditionClause& c) {
        return kCallerRestrictingKeys.count(c.folded_key) && pins(c) &&
               std::all_of(c.values.begin(), c.values.end(), names_something);
      });
      if (restricted) continue;
      Finding f = ctx.make("public-trust", role, &st, "*");
      if (!st.conditions.empty()) {
        f.severity = FindingSeverity::High;
        f.message = "any AWS principal that meets the conditions (none restricts who the caller is; an ExternalId is "
                    "readable by anyone who can read the role) can assume " + role.name;
      } else {
        f.message = "any AWS principal in any account can assume " + role.name;
      }
      f.fix = "name the trusted principals, or add \"StringEquals\": {\"aws:PrincipalOrgID\": \"o-...\"} (or "
              "aws:PrincipalAccount / ArnLike aws:PrincipalArn) to this statement";
      ctx.out.push_back(f);
    }
  }
}

void serviceWithoutSource(Context& ctx) {
  for (const auto& [arn, role] : ctx.world.roles) {
    if (role.service_linked) continue;  // AWS: service-linked trust cannot be edited
    for (const Statement& st : role.trust_policy.policy.statements) {
      if (st.effect != Effect::Allow) continue;
      for (const PrincipalEntry& e : st.principal.entries) {
        if (e.type != PrincipalEntry::Type::Service || kServicesWithoutSourceKeys.count(e.value)) continue;
        bool pinned = false, if_exists = false;
        std::string other_account;
        for (const ConditionClause& c : st.conditions) {
          if (!kSourceKeys.count(c.folded_key)) continue;
          if (pins(c)) {
            pinned = true;
            for (const ConditionValue& v : c.values) {
              std::string account = c.folded_key == "aws:sourceaccount" ? v.raw : "";
              if (c.folded_key == "aws:sourcearn") {
                if (const auto arn = Arn::parse(v.raw)) account = arn->account;
              }
              if (isAccountId(account) && !ctx.ours(account)) other_account = account;
            }
          } else if (c.op.if_exists && !c.op.negated) {
            if_exists = true;
          }
        }
        if (pinned && other_account.empty()) continue;
        Finding f = ctx.make("service-without-source", role, &st, e.value);
        if (!other_account.empty()) {
          f.severity = FindingSeverity::High;
          f.message = e.value + " is pinned to account " + other_account + ", which is not ours";
          f.fix = "pin aws:SourceAccount to this account (" + role.account + ") and aws:SourceArn to the resource that uses the role";
        } else if (if_exists) {
          f.severity = FindingSeverity::Low;
          f.message = e.value + " is pinned only with an IfExists operator, which passes when the service sends no source keys";
          f.fix = "drop IfExists: use StringEquals aws:SourceAccount and ArnLike aws:SourceArn";
        } else {
          f.message = e.value + " can assume " + role.name + " on behalf of any resource, in any account";
          f.fix = "add \"Condition\": {\"StringEquals\": {\"aws:SourceAccount\": \"" + role.account +
                  "\"}, \"ArnLike\": {\"aws:SourceArn\": \"<the resource that uses the role>\"}}";
        }
        ctx.out.push_back(f);
      }
    }
  }
}

void danglingPrincipal(Context& ctx) {
  std::set<std::string> held;
  for (const auto& [a, r] : ctx.world.roles) held.insert(r.id);
  for (const auto& [a, u] : ctx.world.users) held.insert(u.id);
  for (const auto& [arn, role] : ctx.world.roles) {
    for (const Statement& st : role.trust_policy.policy.statements) {
      for (const PrincipalEntry& e : st.principal.entries) {
        using T = PrincipalEntry::Type;
        std::string why;
        if (e.type == T::UniqueId && !held.count(e.value)) {
          why = "`" + e.value + "` is a bare unique id: the entity it named was deleted, and a new one of the same name does not inherit the trust";
        } else if ((e.type == T::Role || e.type == T::User) && ctx.ours(e.account)) {
          // AWS: the ARN must name the entity exactly (path and case): IAM stores its unique id.
          const bool exists = e.type == T::Role ? ctx.world.roles.count(e.value) > 0 : ctx.world.users.count(e.value) > 0;
          if (!exists) why = "`" + e.value + "` is not in the input: the principal does not exist (or was not loaded)";
        } else if (e.type == T::Session) {
          const bool ok = e.session.size() >= 2 && e.session.size() <= 64 &&
                          std::all_of(e.session.begin(), e.session.end(), [](char c) {
                            return std::isalnum(static_cast<unsigned char>(c)) || std::string_view("_+=,.@-").find(c) != std::string_view::npos;
                          });
          if (!ok) why = "session name `" + e.session + "` can never be issued by STS, so this principal never matches";
        }
        if (why.empty()) continue;
        Finding f = ctx.make("dangling-principal", role, &st, e.value);
        f.message = why;
        f.fix = e.type == T::Session ? "replace the placeholder with the session name the vendor uses"
                                     : "re-save the trust policy naming the current principal's ARN, or remove the entry";
        ctx.out.push_back(f);
      }
    }
  }
}

void vendorAccessKeys(Context& ctx) {
  for (const Vendor& v : ctx.world.vendors) {
    for (const std::string& p : v.principals) {
      const auto u = ctx.world.users.find(p);
      if (u == ctx.world.users.end() || !ctx.ours(u->second.account)) continue;
      Finding f;
      f.rule = "vendor-access-keys";
      f.severity = FindingSeverity::High;
      f.resource = p;
      f.principal = p;
      f.vendor = v.name;
      f.file = v.origin.file;
      f.address = u->second.origin.address;
      f.message = v.name + " calls as our IAM user " + u->second.name + " with long-term access keys";
      f.fix = "create a role that trusts " + v.name + "'s account with the ExternalId it issues, move the user's "
              "permissions to it, then delete the user's access keys";
      ctx.out.push_back(f);
    }
  }
}

void accountRootTrust(Context& ctx) {
  const auto& nodes = ctx.graph.nodes();
  const auto& edges = ctx.graph.edges();
  for (const auto& [arn, role] : ctx.world.roles) {
    for (const Statement& st : role.trust_policy.policy.statements) {
      if (st.effect != Effect::Allow) continue;
      for (const PrincipalEntry& e : st.principal.entries) {
        if (e.type != PrincipalEntry::Type::Account) continue;
        Finding f = ctx.make("account-root-trust", role, &st, e.value);
        f.vendor = ctx.vendor(e.account);
        std::size_t count = 0;
        bool modelled = false;
        if (const auto target = ctx.graph.find(role.arn)) {
          for (const std::size_t i : ctx.graph.incoming(*target)) {
            const GraphNode& from = nodes[edges[i].from];
            if (from.account != e.account) continue;
            ++count;
            modelled = modelled || from.kind == GraphNode::Kind::User || from.kind == GraphNode::Kind::Role;
          }
        }
        if (ctx.ours(e.account)) {
          f.severity = FindingSeverity::Info;
          f.message = "account " + e.account + " is trusted as a whole: " + std::to_string(count) +
                      " of its modelled principals can use " + role.name;
        } else {
          f.message = (f.vendor.empty() ? "account " + e.account : f.vendor + " (" + e.account + ")") +
                      " is trusted as a whole: every principal it allows sts:AssumeRole can use " + role.name +
                      (modelled ? " (" + std::to_string(count) + " modelled)" : "");
        }
        f.fix = "name the principal that needs the role (its role ARN) instead of the account";
        ctx.out.push_back(f);
      }
    }
  }
}

// Administrator-equivalent: can rewrite IAM permissions of its own account.
bool adminEquivalent(const Simulator& sim, const Identity& who, const std::string& account) {
  static const std::vector<std::pair<std::string, std::string>> kProbes = {
      {"iam:PutRolePolicy", "role/trustsim-probe"}, {"iam:AttachRolePolicy", "role/trustsim-probe"},
      {"iam:CreatePolicyVersion", "policy/trustsim-probe"}, {"iam:PutUserPolicy", "user/trustsim-probe"}};
  for (const auto& [action, res] : kProbes) {
    if (sim.simulate(who, action, "arn:aws:iam::" + account + ":" + res, {}).decision.outcome == Outcome::Allowed) return true;
  }
  return false;
}

// Whether a session is administrator-equivalent in an account, remembered per role for the
// sessions that differ only by role (no tags, source identity or session policy, the default session
// name): chains from every caller end in the same few admin roles.
class AdminMemo {
 public:
  explicit AdminMemo(std::size_t nodes) : known_(nodes * 4) {}
  bool operator()(const Simulator& sim, std::size_t node, const Identity& session, const std::string& account) {
    const bool plain = session.session_tags.empty() && !session.source_identity && !session.session_policy &&
                       session.caller.session_name == "trustsim";
    if (!plain) return adminEquivalent(sim, session, account);
    std::atomic<signed char>& slot = known_[node * 4 + (session.mfa ? 2 : 0) + (session.chained ? 1 : 0)];
    signed char v = slot.load(std::memory_order_relaxed);
    if (v < 0) {  // not known yet; two threads may both compute it, with the same answer
      v = adminEquivalent(sim, session, account) ? 1 : 0;
      slot.store(v, std::memory_order_relaxed);
    }
    return v == 1;
  }

 private:
  struct Unknown : std::atomic<signed char> {
    Unknown() : std::atomic<signed char>(-1) {}
  };
  std::vector<Unknown> known_;
};

void chainToAdmin(Context& ctx) {
  const TrustGraph& g = ctx.graph;
  const Simulator& sim = g.simulator();
  AdminMemo admin(g.nodes().size());
  // Chains from different starting points are independent: searched on every core, reported in
  // node order.
  std::vector<std::vector<Finding>> found(g.nodes().size());
  util::parallelFor(g.nodes().size(), 0, [&](std::size_t s, unsigned) {
    std::optional<bool> start_admin;  // per account the start itself is admin in
    std::string start_admin_account;
    for (const Reached& r : g.reachableSessions(s)) {
      const Chain& c = r.chain;
      const std::size_t target = g.edges()[c.edges.back()].to;
      const GraphNode& t = g.nodes()[target];
      bool crosses = false;
      std::string account = g.nodes()[s].account;
      // Services and identity providers act in the account of the role they assume first.
      if (account.empty()) account = g.nodes()[g.edges()[c.edges.front()].to].account;
      for (std::size_t e : c.edges) {
        crosses = crosses || g.nodes()[g.edges()[e].to].account != account;
        account = g.nodes()[g.edges()[e].to].account;
      }
      if (!crosses) continue;
      if (!admin(sim, target, r.session, t.account)) continue;
      if (!start_admin || start_admin_account != t.account) {
        const Identity start = g.identityOf(s);
        start_admin = !start.caller.arn.empty() && !start.external && adminEquivalent(sim, start, t.account);
        start_admin_account = t.account;
      }
      if (*start_admin) continue;
      const Role* role = sim.findRole(t.id);
      if (role == nullptr) continue;
      const GraphEdge& last = g.edges()[c.edges.back()];
      Finding f = ctx.make("chain-to-admin", *role, nullptr, g.nodes()[s].id);
      if (!last.decided_by.empty()) f.statement = last.decided_by.front();
      f.vendor = g.nodes()[s].label;
      f.severity = g.nodes()[s].ours ? FindingSeverity::High : FindingSeverity::Critical;
      f.message = g.nodes()[s].id + " reaches administrator-equivalent " + role->name + " in account " + t.account +
                  " through " + std::to_string(c.edges.size()) + " hop(s) across accounts";
      f.fix = "narrow the trust policy of the first cross-account hop, or the permissions of " + role->name;
      found[s].push_back(std::move(f));
    }
  });
  for (auto& f : found) std::move(f.begin(), f.end(), std::back_inserter(ctx.out));
}

}  // namespace

std::string_view toString(FindingSeverity s) {
  switch (s) {
    case FindingSeverity::Info:
      return "info";
    case FindingSeverity::Low:
      return "low";
    case FindingSeverity::Medium:
      return "medium";
    case FindingSeverity::High:
      return "high";
    case FindingSeverity::Critical:
      return "critical";
  }
  return "info";
}

std::optional<FindingSeverity> parseFindingSeverity(std::string_view text) {
  for (FindingSeverity s : {FindingSeverity::Info, FindingSeverity::Low, FindingSeverity::Medium, FindingSeverity::High,
                            FindingSeverity::Critical}) {
    if (toString(s) == foldCase(text)) return s;
  }
  return std::nullopt;
}

const std::vector<RuleInfo>& findingRules() { return kRules; }

std::vector<Finding> audit(const TrustGraph& graph) {
  Context ctx{graph, graph.simulator().world(), {}};
  publicTrust(ctx);
  externalIdRules(ctx);
  serviceWithoutSource(ctx);
  danglingPrincipal(ctx);
  accountRootTrust(ctx);
  vendorAccessKeys(ctx);
  chainToAdmin(ctx);
  std::stable_sort(ctx.out.begin(), ctx.out.end(), [](const Finding& a, const Finding& b) {
    if (a.severity != b.severity) return a.severity > b.severity;
    if (a.rule != b.rule) return a.rule < b.rule;
    if (a.resource != b.resource) return a.resource < b.resource;
    const std::size_t ai = a.statement ? a.statement->index : 0, bi = b.statement ? b.statement->index : 0;
    if (ai != bi) return ai < bi;
    return a.principal < b.principal;
  });
  ctx.out.erase(std::unique(ctx.out.begin(), ctx.out.end()), ctx.out.end());
  return ctx.out;
}

}  // namespace trustsim
