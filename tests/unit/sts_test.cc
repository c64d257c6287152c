// SPDX-License-Identifier: Apache-2.0
// Simulator::assume and Simulator::simulate over small scenario worlds: who may assume a role,
// what each hop of a chain carries over, and the texts STS answers with (aws-semantics §1.2-§5).
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "test_util.h"
#include "trustsim/load.h"
#include "trustsim/simulator.h"

namespace trustsim {

// gtest prints call statuses by name (internal linkage: other test files may define their own).
static void PrintTo(CallStatus status, std::ostream* os) { *os << toString(status); }

namespace {

using nlohmann::json;

const std::string kA = "111111111111";  // ours: holds the roles being assumed
const std::string kB = "222222222222";  // ours: a second account (cross-account callers)
const std::string kC = "444444444444";  // ours, but outside the organization
const std::string kM = "333333333333";  // the organization's management account
const std::string kX = "999999999999";  // outside the model: no account entry, no entities
const std::string kOrgId = "o-a1b2c3d4e5";

std::string roleArn(const std::string& account, const std::string& name_with_path) {
  return "arn:aws:iam::" + account + ":role/" + name_with_path;
}
std::string userArn(const std::string& account, const std::string& name) {
  return "arn:aws:iam::" + account + ":user/" + name;
}

// --- Policy documents ----------------------------------------------------------------------------

json doc(json statements) {
  return {{"Version", "2012-10-17"}, {"Statement", std::move(statements)}};
}

json aws(json principal) { return {{"AWS", std::move(principal)}}; }

json trustStatement(json principal, json actions = "sts:AssumeRole", json condition = nullptr) {
  json s = {
      {"Effect", "Allow"}, {"Principal", std::move(principal)}, {"Action", std::move(actions)}};
  if (!condition.is_null()) {
    s["Condition"] = std::move(condition);
  }
  return s;
}

// A trust policy of one Allow statement.
json trust(json principal, json actions = "sts:AssumeRole", json condition = nullptr) {
  return doc(json::array(
      {trustStatement(std::move(principal), std::move(actions), std::move(condition))}));
}

json allow(json actions, json resources = "*") {
  return {{"Effect", "Allow"}, {"Action", std::move(actions)}, {"Resource", std::move(resources)}};
}

json deny(json actions, json resources = "*") {
  return {{"Effect", "Deny"}, {"Action", std::move(actions)}, {"Resource", std::move(resources)}};
}

// --- Worlds --------------------------------------------------------------------------------------

// A scenario document built entity by entity; build() loads it as a scenario file would be.
class Scenario {
 public:
  // `allows`: statements of one inline identity policy (none when empty).
  Scenario& role(const std::string& arn, json trust_policy, json allows = json::array(),
                 json extra = json::object()) {
    json r = {{"arn", arn}, {"trustPolicy", std::move(trust_policy)}};
    if (!allows.empty()) {
      r["policies"] = json::array({{{"name", "inline"}, {"document", doc(std::move(allows))}}});
    }
    r.update(extra);
    doc_["roles"].push_back(std::move(r));
    return *this;
  }
  Scenario& user(const std::string& arn, json allows = json::array(), json extra = json::object()) {
    json u = {{"arn", arn}};
    if (!allows.empty()) {
      u["policies"] = json::array({{{"name", "inline"}, {"document", doc(std::move(allows))}}});
    }
    u.update(extra);
    doc_["users"].push_back(std::move(u));
    return *this;
  }
  Scenario& organization(json org) {
    doc_["organization"] = std::move(org);
    return *this;
  }
  Simulator build() const {
    const FileReader no_files = [](const std::string&,
                                   std::string& error) -> std::optional<std::string> {
      error = "tests read no files";
      return std::nullopt;
    };
    auto world = loadScenarioText(doc_.dump(), "test.json", no_files);
    EXPECT_TRUE(world.has_value()) << (world ? "" : testing::dump(world.error())) << doc_.dump(2);
    auto sim = Simulator::build(world ? std::move(world).value() : World{});
    EXPECT_TRUE(sim.has_value());
    return std::move(sim).value();
  }

 private:
  json doc_ = {{"format", "trustsim-scenario/1"}, {"name", "sts-test"}, {"roles", json::array()}};
};

// An organization with every account directly under the root; FullAWSAccess is attached at the
// root and to each account, and `scps`/`rcps` name extra policies per account id.
json organization(const std::vector<std::string>& accounts,
                  const std::map<std::string, std::vector<std::string>>& scps,
                  const std::map<std::string, std::vector<std::string>>& rcps, json policies) {
  policies.push_back(
      {{"name", "FullAWSAccess"}, {"type", "scp"}, {"document", doc(json::array({allow("*")}))}});
  json members = json::array();
  for (const std::string& a : accounts) {
    json m = {{"id", a}, {"scps", json::array({"FullAWSAccess"})}, {"rcps", json::array()}};
    if (const auto it = scps.find(a); it != scps.end()) {
      for (const std::string& p : it->second) {
        m["scps"].push_back(p);
      }
    }
    if (const auto it = rcps.find(a); it != rcps.end()) {
      for (const std::string& p : it->second) {
        m["rcps"].push_back(p);
      }
    }
    members.push_back(std::move(m));
  }
  return {{"id", kOrgId},
          {"managementAccount", kM},
          {"policies", std::move(policies)},
          {"root",
           {{"id", "r-ab12"},
            {"scps", json::array({"FullAWSAccess"})},
            {"accounts", std::move(members)}}}};
}

// --- Calls ---------------------------------------------------------------------------------------

Identity who(const Simulator& sim, const std::string& principal,
             const std::string& session = "trustsim") {
  auto id = sim.identity(principal, session);
  EXPECT_TRUE(id.has_value()) << principal << ": " << (id ? "" : testing::dump(id.error()));
  return id ? id.value() : Identity{};
}

AssumeParams to(const std::string& role_arn) {
  AssumeParams p;
  p.role_arn = role_arn;
  return p;
}

AssumeResult run(const Simulator& sim, const std::string& as, const std::vector<AssumeParams>& hops,
                 const std::string& session = "trustsim") {
  return sim.assume(who(sim, as, session), hops);
}

// Every hop, for failure output.
std::string show(const AssumeResult& r) {
  std::string out = "status " + std::string(toString(r.status)) + "\n";
  for (std::size_t i = 0; i < r.hops.size(); ++i) {
    const HopResult& h = r.hops[i];
    out += "  hop " + std::to_string(i) + " " + std::string(toString(h.status)) + " " +
           h.failed_action + ": " + h.message + (h.reason.empty() ? "" : " [" + h.reason + "]") +
           "\n";
  }
  return out;
}

bool allowed(const AssumeResult& r) { return r.status == CallStatus::Allowed; }

// --- Same account vs cross account (§3.2) --------------------------------------------------------

TEST(StsTrust, SameAccountRoleArnTrustNeedsNoIdentityPolicy) {
  // AWS: same account, a trust policy naming the caller's role directly suffices on its own.
  const Simulator sim = Scenario()
                            .role(roleArn(kA, "Caller"), trust(aws(kA)))
                            .role(roleArn(kA, "Target"), trust(aws(roleArn(kA, "Caller"))))
                            .role(roleArn(kA, "Elsewhere"), trust(aws(roleArn(kA, "Other"))))
                            .role(roleArn(kA, "Other"), trust(aws(kA)))
                            .build();
  const AssumeResult ok = run(sim, roleArn(kA, "Caller"), {to(roleArn(kA, "Target"))});
  EXPECT_TRUE(allowed(ok)) << show(ok);
  const AssumeResult other = run(sim, roleArn(kA, "Caller"), {to(roleArn(kA, "Elsewhere"))});
  EXPECT_EQ(other.status, CallStatus::AccessDenied) << show(other);
}

TEST(StsTrust, SameAccountRootTrustNeedsIdentityAllow) {
  // AWS: an account principal delegates to the account: the caller needs an identity Allow too.
  const Simulator sim = Scenario()
                            .role(roleArn(kA, "Target"), trust(aws("arn:aws:iam::" + kA + ":root")))
                            .role(roleArn(kA, "Bare"), trust(aws(kA)))
                            .role(roleArn(kA, "Granted"), trust(aws(kA)),
                                  json::array({allow("sts:AssumeRole", roleArn(kA, "Target"))}))
                            .build();
  const AssumeResult bare = run(sim, roleArn(kA, "Bare"), {to(roleArn(kA, "Target"))});
  EXPECT_EQ(bare.status, CallStatus::AccessDenied) << show(bare);
  EXPECT_EQ(bare.last().reason,
            "because no identity-based policy allows the sts:AssumeRole action");
  const AssumeResult granted = run(sim, roleArn(kA, "Granted"), {to(roleArn(kA, "Target"))});
  EXPECT_TRUE(allowed(granted)) << show(granted);
}

TEST(StsTrust, CrossAccountNeedsTrustAndIdentityAllow) {
  // AWS: cross account, the trust policy and the caller's identity policy must both allow.
  const Simulator sim =
      Scenario()
          .role(roleArn(kA, "Target"),
                trust(aws(json::array({roleArn(kB, "Bare"), roleArn(kB, "Granted")}))))
          .role(roleArn(kA, "Closed"), trust(aws(roleArn(kB, "Bare"))))
          .role(roleArn(kB, "Bare"), trust(aws(kB)))
          .role(roleArn(kB, "Granted"), trust(aws(kB)),
                json::array({allow("sts:AssumeRole", roleArn(kA, "*"))}))
          .build();
  const AssumeResult bare = run(sim, roleArn(kB, "Bare"), {to(roleArn(kA, "Target"))});
  EXPECT_EQ(bare.status, CallStatus::AccessDenied) << show(bare);
  EXPECT_EQ(bare.last().reason,
            "because no identity-based policy allows the sts:AssumeRole action");
  const AssumeResult granted = run(sim, roleArn(kB, "Granted"), {to(roleArn(kA, "Target"))});
  EXPECT_TRUE(allowed(granted)) << show(granted);
  const AssumeResult untrusted = run(sim, roleArn(kB, "Granted"), {to(roleArn(kA, "Closed"))});
  EXPECT_EQ(untrusted.status, CallStatus::AccessDenied) << show(untrusted);
  EXPECT_EQ(untrusted.last().reason,
            "because no role trust policy allows the sts:AssumeRole action");
}

TEST(StsTrust, RoleArnPrincipalNamesTheRoleWithItsPath) {
  // AWS: a role ARN principal is compared with the role's canonical ARN, path included (IAM stores
  // it as the role's unique id and rejects an ARN no role has); only session ARNs drop the path.
  const Simulator sim = Scenario()
                            .role(roleArn(kA, "team/Caller"), trust(aws(kA)))
                            .role(roleArn(kA, "RightPath"), trust(aws(roleArn(kA, "team/Caller"))))
                            .role(roleArn(kA, "WrongPath"), trust(aws(roleArn(kA, "other/Caller"))))
                            .role(roleArn(kA, "NoPath"), trust(aws(roleArn(kA, "Caller"))))
                            .build();
  const AssumeResult ok = run(sim, roleArn(kA, "team/Caller"), {to(roleArn(kA, "RightPath"))});
  EXPECT_TRUE(allowed(ok)) << show(ok);
  // AWS: a role ARN principal names the role with its real path (IAM stores its unique id), so
  // `role/other/Caller` and `role/Caller` do not name `role/team/Caller` (aws-semantics §2.2).
  for (const char* role : {"WrongPath", "NoPath"}) {
    const AssumeResult r = run(sim, roleArn(kA, "team/Caller"), {to(roleArn(kA, role))});
    EXPECT_EQ(r.status, CallStatus::AccessDenied) << role << "\n" << show(r);
  }
}

// --- Special callers and principal forms (§1.2, §2.2, §2.5) --------------------------------------

TEST(StsRoot, RootUserCannotAssumeRoles) {
  // AWS: the root user cannot assume roles, whatever the trust policy says.
  const Simulator sim =
      Scenario()
          .role(roleArn(kA, "Target"), trust(aws(kA)))
          .user(userArn(kA, "alice"), json::array({allow("sts:AssumeRole", roleArn(kA, "Target"))}))
          .build();
  for (const std::string& root : {kA, "arn:aws:iam::" + kA + ":root"}) {
    const AssumeResult r = run(sim, root, {to(roleArn(kA, "Target"))});
    EXPECT_EQ(r.status, CallStatus::AccessDenied) << root << "\n" << show(r);
    EXPECT_EQ(r.last().message, "Roles may not be assumed by root accounts.") << root;
  }
  const AssumeResult user = run(sim, userArn(kA, "alice"), {to(roleArn(kA, "Target"))});
  EXPECT_TRUE(allowed(user)) << show(user);
}

TEST(StsSessionArn, SessionPrincipalAdmitsOnlyThatSessionName) {
  // AWS: an assumed-role session ARN principal matches only the session of that exact name,
  // case-sensitively.
  const Simulator sim = Scenario()
                            .role(roleArn(kA, "Caller"), trust(aws(kA)))
                            .role(roleArn(kA, "Target"),
                                  trust(aws("arn:aws:sts::" + kA + ":assumed-role/Caller/alice")))
                            .build();
  const AssumeResult alice = run(sim, roleArn(kA, "Caller"), {to(roleArn(kA, "Target"))}, "alice");
  EXPECT_TRUE(allowed(alice)) << show(alice);
  for (const char* other : {"Alice", "bob", "alice2"}) {
    const AssumeResult r = run(sim, roleArn(kA, "Caller"), {to(roleArn(kA, "Target"))}, other);
    EXPECT_EQ(r.status, CallStatus::AccessDenied) << other << "\n" << show(r);
  }
}

TEST(StsSessionArn, SessionArnDropsRolePath) {
  // AWS: a session ARN is arn:aws:sts::ROLE_ACCOUNT:assumed-role/NAME/SESSION, without the role's
  // path; aws:PrincipalArn of the session keeps the role ARN with its path.
  const std::string target = roleArn("987654321098", "access-server/X");
  const Simulator sim =
      Scenario()
          .user(userArn(kA, "alice"), json::array({allow("sts:AssumeRole", target)}))
          .role(target, trust(aws(userArn(kA, "alice"))))
          .build();
  AssumeParams p = to(target);
  p.session_name = "sess";
  const AssumeResult r = run(sim, userArn(kA, "alice"), {p});
  ASSERT_TRUE(allowed(r)) << show(r);
  ASSERT_TRUE(r.last().session.has_value());
  EXPECT_EQ(r.last().session->caller.arn, "arn:aws:sts::987654321098:assumed-role/X/sess");
  EXPECT_EQ(r.last().session->caller.account, "987654321098");
  EXPECT_EQ(r.last().session->principal_arn, target);
  EXPECT_EQ(who(sim, target, "s2").caller.arn, "arn:aws:sts::987654321098:assumed-role/X/s2");
}

TEST(StsMessage, AccessDeniedNamesSessionWithoutPathAndRoleWithPath) {
  // AWS: `User: <caller> is not authorized to perform: <action> on resource: <role>`, the caller
  // as its session ARN (no path), the role with its path. Seed 003 (Cloud Defense FAQ): the trust
  // policy lacks sts:SetSourceIdentity.
  const std::string server =
      roleArn("123456789012", "service-role/AccessServer-GetCredentialsFunctionServiceRole");
  const std::string target = roleArn("987654321098", "access-server/CloudWatchLogsReadOnlyAccess");
  const std::string client_id = "8dc4ebf8-4384-49d1-897f-1fcbf766ac9d";
  const json assume_with_external_id = trustStatement(
      aws(server), "sts:AssumeRole", {{"StringEquals", {{"sts:ExternalId", client_id}}}});
  const auto world = [&](bool set_source_identity) {
    json statements = json::array({assume_with_external_id});
    if (set_source_identity) {
      statements.push_back(trustStatement(aws(server), "sts:SetSourceIdentity"));
    }
    return Scenario()
        .role(server, trust({{"Service", "lambda.amazonaws.com"}}),
              json::array({allow({"sts:AssumeRole", "sts:SetSourceIdentity"},
                                 roleArn("987654321098", "access-server/*"))}))
        .role(target, doc(statements))
        .build();
  };
  AssumeParams p = to(target);
  p.external_id = client_id;
  p.source_identity = "jane@example.com";
  const Simulator without = world(false);
  const AssumeResult r = run(without, server, {p}, "AccessServer-GetCredentialsFunction");
  EXPECT_EQ(r.status, CallStatus::AccessDenied) << show(r);
  EXPECT_EQ(r.last().failed_action, "sts:SetSourceIdentity");
  EXPECT_EQ(
      r.last().message,
      "User: arn:aws:sts::123456789012:assumed-role/AccessServer-GetCredentialsFunctionServiceRole/"
      "AccessServer-GetCredentialsFunction is not authorized to perform: sts:SetSourceIdentity on "
      "resource: arn:aws:iam::987654321098:role/access-server/CloudWatchLogsReadOnlyAccess");
  const Simulator with = world(true);
  const AssumeResult fixed = run(with, server, {p}, "AccessServer-GetCredentialsFunction");
  EXPECT_TRUE(allowed(fixed)) << show(fixed);
}

// --- Source identity (§4.1, §5.3) ----------------------------------------------------------------

// alice → First (passes source identity `alice`) → Next. `next_trust_actions` are the actions
// Next's trust policy allows First; `first_allows` are First's own identity statements.
Simulator sourceIdentityChain(json next_trust_actions, json first_allows) {
  return Scenario()
      .user(userArn(kA, "alice"))
      .role(roleArn(kA, "First"),
            trust(aws(userArn(kA, "alice")), {"sts:AssumeRole", "sts:SetSourceIdentity"}),
            std::move(first_allows))
      .role(roleArn(kA, "Next"), trust(aws(roleArn(kA, "First")), std::move(next_trust_actions)))
      .role(roleArn(kA, "NoSetSourceIdentity"), trust(aws(userArn(kA, "alice"))))
      .build();
}

AssumeParams withSourceIdentity(const std::string& role,
                                std::optional<std::string> source_identity) {
  AssumeParams p = to(role);
  p.source_identity = std::move(source_identity);
  return p;
}

const json kMaySetSourceIdentity =
    json::array({allow("sts:SetSourceIdentity", roleArn(kA, "Next"))});
const json kBothActions = {"sts:AssumeRole", "sts:SetSourceIdentity"};

TEST(StsSourceIdentity, PassingOneRequiresSetSourceIdentityInTrust) {
  // AWS: passing SourceIdentity needs sts:SetSourceIdentity in the trust policy.
  const Simulator sim = sourceIdentityChain(kBothActions, kMaySetSourceIdentity);
  const AssumeResult refused = run(
      sim, userArn(kA, "alice"), {withSourceIdentity(roleArn(kA, "NoSetSourceIdentity"), "alice")});
  EXPECT_EQ(refused.status, CallStatus::AccessDenied) << show(refused);
  EXPECT_EQ(refused.last().failed_action, "sts:SetSourceIdentity");
  const AssumeResult plain =
      run(sim, userArn(kA, "alice"), {to(roleArn(kA, "NoSetSourceIdentity"))});
  EXPECT_TRUE(allowed(plain)) << show(plain);
  const AssumeResult trusted =
      run(sim, userArn(kA, "alice"), {withSourceIdentity(roleArn(kA, "First"), "alice")});
  EXPECT_TRUE(allowed(trusted)) << show(trusted);
}

TEST(StsSourceIdentity, InheritedOneNeedsSetSourceIdentityInNextTrust) {
  // AWS: a chained call re-presents the inherited source identity: the next trust policy must
  // allow sts:SetSourceIdentity although the caller passes none.
  const Simulator missing = sourceIdentityChain("sts:AssumeRole", kMaySetSourceIdentity);
  const AssumeResult r =
      run(missing, userArn(kA, "alice"),
          {withSourceIdentity(roleArn(kA, "First"), "alice"), to(roleArn(kA, "Next"))});
  ASSERT_EQ(r.hops.size(), 2u) << show(r);
  EXPECT_EQ(r.status, CallStatus::AccessDenied) << show(r);
  EXPECT_EQ(r.last().failed_action, "sts:SetSourceIdentity");
  const Simulator present = sourceIdentityChain(kBothActions, kMaySetSourceIdentity);
  const AssumeResult ok =
      run(present, userArn(kA, "alice"),
          {withSourceIdentity(roleArn(kA, "First"), "alice"), to(roleArn(kA, "Next"))});
  EXPECT_TRUE(allowed(ok)) << show(ok);
}

TEST(StsSourceIdentity, InheritedOneNeedsCallingRolePermissionEvenInSameAccount) {
  // AWS: chaining with a source identity needs sts:SetSourceIdentity in the calling role's own
  // permissions too, same account or not (stricter than §3.2).
  const Simulator bare = sourceIdentityChain(kBothActions, json::array());
  const AssumeResult r =
      run(bare, userArn(kA, "alice"),
          {withSourceIdentity(roleArn(kA, "First"), "alice"), to(roleArn(kA, "Next"))});
  ASSERT_EQ(r.hops.size(), 2u) << show(r);
  EXPECT_EQ(r.status, CallStatus::AccessDenied) << show(r);
  EXPECT_EQ(r.last().failed_action, "sts:SetSourceIdentity");
  EXPECT_EQ(r.last().reason,
            "because no identity-based policy allows the sts:SetSourceIdentity action");
  // Without a source identity the same hop needs no identity policy (direct same-account trust).
  const AssumeResult plain =
      run(bare, userArn(kA, "alice"), {to(roleArn(kA, "First")), to(roleArn(kA, "Next"))});
  EXPECT_TRUE(allowed(plain)) << show(plain);
}

TEST(StsSourceIdentity, IsImmutableAlongChain) {
  // AWS: the source identity cannot change for the life of the chain.
  const Simulator sim = sourceIdentityChain(kBothActions, kMaySetSourceIdentity);
  const AssumeResult changed = run(sim, userArn(kA, "alice"),
                                   {withSourceIdentity(roleArn(kA, "First"), "alice"),
                                    withSourceIdentity(roleArn(kA, "Next"), "bob")});
  ASSERT_EQ(changed.hops.size(), 2u) << show(changed);
  EXPECT_EQ(changed.status, CallStatus::AccessDenied) << show(changed);
  EXPECT_EQ(changed.last().failed_action, "sts:SetSourceIdentity");
  const AssumeResult same = run(sim, userArn(kA, "alice"),
                                {withSourceIdentity(roleArn(kA, "First"), "alice"),
                                 withSourceIdentity(roleArn(kA, "Next"), "alice")});
  EXPECT_TRUE(allowed(same)) << show(same);
}

TEST(StsSourceIdentity, CarriesOverToNextSession) {
  // AWS: the source identity carries over to every later session and shows as aws:SourceIdentity.
  const Simulator sim = sourceIdentityChain(kBothActions, kMaySetSourceIdentity);
  const AssumeResult r =
      run(sim, userArn(kA, "alice"),
          {withSourceIdentity(roleArn(kA, "First"), "alice"), to(roleArn(kA, "Next"))});
  ASSERT_TRUE(allowed(r)) << show(r);
  ASSERT_TRUE(r.last().session.has_value());
  EXPECT_EQ(r.last().session->source_identity, std::optional<std::string>("alice"));
  const SimulateResult s = sim.simulate(*r.last().session, "s3:ListAllMyBuckets", "*", {});
  const ContextValue* v = s.request.context.find("aws:sourceidentity");
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(v->values, std::vector<std::string>{"alice"});
}

// --- Session tags (§4.2, §5.3) -------------------------------------------------------------------

// alice → First (may pass tags) → Next, whose trust allows First `next_trust_actions`. First may
// itself call sts:TagSession on Next, so a refusal comes from Next's trust policy.
Simulator tagChain(json next_trust_actions) {
  return Scenario()
      .user(userArn(kA, "alice"))
      .role(roleArn(kA, "First"),
            trust(aws(userArn(kA, "alice")), {"sts:AssumeRole", "sts:TagSession"}),
            json::array({allow({"sts:AssumeRole", "sts:TagSession"}, roleArn(kA, "Next"))}))
      .role(roleArn(kA, "Next"), trust(aws(roleArn(kA, "First")), std::move(next_trust_actions)))
      .role(roleArn(kA, "NoTagSession"), trust(aws(userArn(kA, "alice"))))
      .build();
}

AssumeParams withTags(const std::string& role, std::vector<Tag> tags,
                      std::vector<std::string> transitive = {}) {
  AssumeParams p = to(role);
  p.tags = std::move(tags);
  p.transitive_tag_keys = std::move(transitive);
  return p;
}

const json kAssumeAndTag = {"sts:AssumeRole", "sts:TagSession"};

TEST(StsTagSession, PassingTagsRequiresTagSessionInTrust) {
  // AWS: passing session tags needs sts:TagSession in the trust policy.
  const Simulator sim = tagChain(kAssumeAndTag);
  const AssumeResult refused =
      run(sim, userArn(kA, "alice"), {withTags(roleArn(kA, "NoTagSession"), {{"team", "red"}})});
  EXPECT_EQ(refused.status, CallStatus::AccessDenied) << show(refused);
  EXPECT_EQ(refused.last().failed_action, "sts:TagSession");
  EXPECT_EQ(refused.last().message,
            "User: " + userArn(kA, "alice") +
                " is not authorized to perform: sts:TagSession on resource: " +
                roleArn(kA, "NoTagSession"));
  const AssumeResult ok =
      run(sim, userArn(kA, "alice"), {withTags(roleArn(kA, "First"), {{"team", "red"}})});
  ASSERT_TRUE(allowed(ok)) << show(ok);
  ASSERT_EQ(ok.last().session->session_tags.size(), 1u);
  EXPECT_EQ(ok.last().session->session_tags[0].key, "team");
  EXPECT_EQ(ok.last().session->session_tags[0].value, "red");
}

TEST(StsTagSession, InheritedTransitiveTagsNeedTagSessionInNextTrust) {
  // AWS: inherited transitive tags are presented again on the next hop, so its trust policy must
  // allow sts:TagSession; the error names sts:TagSession, not sts:AssumeRole.
  const std::vector<AssumeParams> hops = {
      withTags(roleArn(kA, "First"), {{"team", "red"}}, {"team"}), to(roleArn(kA, "Next"))};
  const Simulator missing = tagChain("sts:AssumeRole");
  const AssumeResult r = run(missing, userArn(kA, "alice"), hops);
  ASSERT_EQ(r.hops.size(), 2u) << show(r);
  EXPECT_EQ(r.status, CallStatus::AccessDenied) << show(r);
  EXPECT_EQ(r.last().failed_action, "sts:TagSession");
  EXPECT_EQ(r.last().message, "User: " + r.hops[0].session->caller.arn +
                                  " is not authorized to perform: sts:TagSession on resource: " +
                                  roleArn(kA, "Next"));
  const Simulator present = tagChain(kAssumeAndTag);
  const AssumeResult ok = run(present, userArn(kA, "alice"), hops);
  ASSERT_TRUE(allowed(ok)) << show(ok);
  const Identity& s = *ok.last().session;
  ASSERT_EQ(s.session_tags.size(), 1u);
  EXPECT_EQ(s.session_tags[0].key, "team");
  EXPECT_EQ(s.session_tags[0].value, "red");
  EXPECT_EQ(s.transitive_keys, std::vector<std::string>{"team"});
}

TEST(StsTagSession, NonTransitiveTagsDoNotCarryOver) {
  // AWS: only transitive session tags carry over to the next session.
  const Simulator sim = tagChain("sts:AssumeRole");
  const AssumeResult r =
      run(sim, userArn(kA, "alice"),
          {withTags(roleArn(kA, "First"), {{"team", "red"}}), to(roleArn(kA, "Next"))});
  ASSERT_TRUE(allowed(r)) << show(r);
  EXPECT_EQ(r.hops[0].session->session_tags.size(), 1u);
  EXPECT_TRUE(r.last().session->session_tags.empty());
  EXPECT_TRUE(r.last().session->transitive_keys.empty());
}

TEST(StsTagSession, PassingAnInheritedTransitiveKeyFails) {
  // AWS: a passed tag whose key equals an inherited transitive key (ignoring case) fails the call.
  const Simulator sim = tagChain(kAssumeAndTag);
  const AssumeParams first = withTags(roleArn(kA, "First"), {{"team", "red"}}, {"team"});
  for (const char* key : {"team", "TEAM"}) {
    const AssumeResult r =
        run(sim, userArn(kA, "alice"), {first, withTags(roleArn(kA, "Next"), {{key, "blue"}})});
    ASSERT_EQ(r.hops.size(), 2u) << key << "\n" << show(r);
    EXPECT_NE(r.status, CallStatus::Allowed) << key << "\n" << show(r);
  }
  const AssumeResult other =
      run(sim, userArn(kA, "alice"), {first, withTags(roleArn(kA, "Next"), {{"project", "x"}})});
  ASSERT_TRUE(allowed(other)) << show(other);
  EXPECT_EQ(other.last().session->session_tags.size(), 2u);
}

// --- Durations (§1.3, §5.2) ----------------------------------------------------------------------

// alice → Long (MaxSessionDuration 7200) → Longer (43200), both trusting directly.
Simulator durationWorld() {
  return Scenario()
      .user(userArn(kA, "alice"))
      .role(roleArn(kA, "Long"), trust(aws(userArn(kA, "alice"))), json::array(),
            {{"maxSessionDuration", 7200}})
      .role(roleArn(kA, "Longer"), trust(aws(roleArn(kA, "Long"))), json::array(),
            {{"maxSessionDuration", 43200}})
      .build();
}

AssumeParams lasting(const std::string& role, int seconds) {
  AssumeParams p = to(role);
  p.duration_seconds = seconds;
  return p;
}

TEST(StsDuration, ChainedHopIsLimitedToOneHour) {
  // AWS: a chained session lasts at most 3600 s, whatever the role's MaxSessionDuration.
  const Simulator sim = durationWorld();
  const AssumeResult r = run(sim, roleArn(kA, "Long"), {lasting(roleArn(kA, "Longer"), 3601)});
  EXPECT_EQ(r.status, CallStatus::ValidationError) << show(r);
  EXPECT_EQ(r.last().message,
            "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by "
            "role chaining.");
  const AssumeResult ok = run(sim, roleArn(kA, "Long"), {lasting(roleArn(kA, "Longer"), 3600)});
  EXPECT_TRUE(allowed(ok)) << show(ok);
  // The same limit on the second hop of a chain that starts with a user.
  const AssumeResult chain =
      run(sim, userArn(kA, "alice"),
          {lasting(roleArn(kA, "Long"), 7200), lasting(roleArn(kA, "Longer"), 7200)});
  ASSERT_EQ(chain.hops.size(), 2u) << show(chain);
  EXPECT_EQ(chain.status, CallStatus::ValidationError) << show(chain);
}

TEST(StsDuration, FirstHopIsLimitedByMaxSessionDuration) {
  // AWS: a first hop may ask for up to the role's MaxSessionDuration; the default is 3600 s.
  const Simulator sim = durationWorld();
  const AssumeResult r = run(sim, userArn(kA, "alice"), {lasting(roleArn(kA, "Long"), 7201)});
  EXPECT_EQ(r.status, CallStatus::ValidationError) << show(r);
  EXPECT_EQ(r.last().message,
            "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
  const AssumeResult ok = run(sim, userArn(kA, "alice"), {lasting(roleArn(kA, "Long"), 7200)});
  ASSERT_TRUE(allowed(ok)) << show(ok);
  EXPECT_EQ(ok.last().session->duration_seconds, 7200);
  const AssumeResult fallback = run(sim, userArn(kA, "alice"), {to(roleArn(kA, "Long"))});
  ASSERT_TRUE(allowed(fallback)) << show(fallback);
  EXPECT_EQ(fallback.last().session->duration_seconds, 3600);
}

TEST(StsDuration, MinimumIs900Seconds) {
  // AWS: DurationSeconds is at least 900 (a ValidationError below).
  const Simulator sim = durationWorld();
  const AssumeResult r = run(sim, userArn(kA, "alice"), {lasting(roleArn(kA, "Long"), 899)});
  EXPECT_EQ(r.status, CallStatus::ValidationError) << show(r);
  EXPECT_EQ(
      r.last().message.rfind("1 validation error detected: Value '899' at 'durationSeconds'", 0),
      0u)
      << r.last().message;
  const AssumeResult ok = run(sim, userArn(kA, "alice"), {lasting(roleArn(kA, "Long"), 900)});
  EXPECT_TRUE(allowed(ok)) << show(ok);
}

// --- Parameter validation (§1.3) -----------------------------------------------------------------

// alice may assume Open (source identity allowed); nobody may assume Closed.
Simulator validationWorld() {
  return Scenario()
      .user(userArn(kA, "alice"))
      .role(roleArn(kA, "Open"),
            trust(aws(userArn(kA, "alice")), {"sts:AssumeRole", "sts:SetSourceIdentity"}))
      .role(roleArn(kA, "Closed"), trust(aws(roleArn(kA, "Nobody"))))
      .role(roleArn(kA, "Nobody"), trust(aws(kA)))
      .build();
}

AssumeParams named(const std::string& role, const std::string& session) {
  AssumeParams p = to(role);
  p.session_name = session;
  return p;
}

std::string sessionNamePatternError(const std::string& value) {
  return "1 validation error detected: Value '" + value +
         "' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular "
         "expression pattern: "
         "[\\w+=,.@-]*";
}

TEST(StsValidation, SessionNameOutsideThePatternIsValidationError) {
  // AWS: RoleSessionName matches [\w+=,.@-]*: no space, no `:`; the error is a ValidationError.
  const Simulator sim = validationWorld();
  for (const std::string bad : {"a b", "a:b", "a/b"}) {
    const AssumeResult r = run(sim, userArn(kA, "alice"), {named(roleArn(kA, "Open"), bad)});
    EXPECT_EQ(r.status, CallStatus::ValidationError) << bad << "\n" << show(r);
    EXPECT_EQ(r.last().message, sessionNamePatternError(bad));
  }
  const AssumeResult ok =
      run(sim, userArn(kA, "alice"), {named(roleArn(kA, "Open"), "a_b+c=d,e.f@g-h")});
  EXPECT_TRUE(allowed(ok)) << show(ok);
}

TEST(StsValidation, SessionNameIsAtMost64Characters) {
  // AWS: RoleSessionName is 2-64 characters.
  const Simulator sim = validationWorld();
  const std::string long_name(65, 'x');
  const AssumeResult r = run(sim, userArn(kA, "alice"), {named(roleArn(kA, "Open"), long_name)});
  EXPECT_EQ(r.status, CallStatus::ValidationError) << show(r);
  EXPECT_EQ(r.last().message,
            "1 validation error detected: Value '" + long_name +
                "' at 'roleSessionName' failed to satisfy constraint: Member must have length "
                "less than or equal to 64");
  const AssumeResult ok =
      run(sim, userArn(kA, "alice"), {named(roleArn(kA, "Open"), std::string(64, 'x'))});
  EXPECT_TRUE(allowed(ok)) << show(ok);
  const AssumeResult short_name = run(sim, userArn(kA, "alice"), {named(roleArn(kA, "Open"), "x")});
  EXPECT_EQ(short_name.status, CallStatus::ValidationError) << show(short_name);
}

TEST(StsValidation, ExternalIdIsAtLeastTwoCharacters) {
  // AWS: ExternalId is 2-1224 characters.
  const Simulator sim = validationWorld();
  AssumeParams p = to(roleArn(kA, "Open"));
  p.external_id = "x";
  const AssumeResult r = run(sim, userArn(kA, "alice"), {p});
  EXPECT_EQ(r.status, CallStatus::ValidationError) << show(r);
  EXPECT_NE(r.last().message.find("at 'externalId'"), std::string::npos) << r.last().message;
  p.external_id = "xy";
  const AssumeResult ok = run(sim, userArn(kA, "alice"), {p});
  EXPECT_TRUE(allowed(ok)) << show(ok);
}

TEST(StsValidation, SourceIdentityMayNotStartWithAws) {
  // AWS: a SourceIdentity value must not start with `aws:`.
  const Simulator sim = validationWorld();
  const AssumeResult r =
      run(sim, userArn(kA, "alice"), {withSourceIdentity(roleArn(kA, "Open"), "aws:alice")});
  EXPECT_EQ(r.status, CallStatus::ValidationError) << show(r);
  EXPECT_NE(r.last().message.find("at 'sourceIdentity'"), std::string::npos) << r.last().message;
  const AssumeResult ok =
      run(sim, userArn(kA, "alice"), {withSourceIdentity(roleArn(kA, "Open"), "aws-alice")});
  EXPECT_TRUE(allowed(ok)) << show(ok);
}

TEST(StsValidation, ValidationPrecedesAuthorization) {
  // AWS: parameters are validated before any policy: a refused caller still gets ValidationError.
  const Simulator sim = validationWorld();
  const AssumeResult r = run(sim, userArn(kA, "alice"), {named(roleArn(kA, "Closed"), "a:b")});
  EXPECT_EQ(r.status, CallStatus::ValidationError) << show(r);
  EXPECT_EQ(r.last().message, sessionNamePatternError("a:b"));
  const AssumeResult valid = run(sim, userArn(kA, "alice"), {named(roleArn(kA, "Closed"), "ab")});
  EXPECT_EQ(valid.status, CallStatus::AccessDenied) << show(valid);
}

// --- Unique ids and recreated roles (§2.3) -------------------------------------------------------

const std::string kOldId = "AROAOLDDEPLOYER00001";
const std::string kNewId = "AROANEWDEPLOYER00002";

// A Target whose trust policy holds the stored form of a deleted Deployer (its bare unique id),
// and a Deployer whose id is `deployer_id`.
Simulator uniqueIdWorld(const std::string& deployer_id) {
  return Scenario()
      .role(roleArn(kA, "Deployer"), trust(aws(kA)), json::array(), {{"id", deployer_id}})
      .role(roleArn(kA, "Target"), trust(aws(kOldId)))
      .role(roleArn(kA, "ByCondition"),
            trust("*", "sts:AssumeRole",
                  {{"ArnEquals", {{"aws:PrincipalArn", roleArn(kA, "Deployer")}}}}))
      .build();
}

TEST(StsUniqueId, RecreatedRoleIsNotTrustedByOldUniqueId) {
  // AWS: a trust principal stored as a unique id names the entity that held it; a role recreated
  // with the same name gets a new id and is not trusted.
  const Simulator recreated = uniqueIdWorld(kNewId);
  const AssumeResult r = run(recreated, roleArn(kA, "Deployer"), {to(roleArn(kA, "Target"))});
  EXPECT_EQ(r.status, CallStatus::AccessDenied) << show(r);
  const Simulator original = uniqueIdWorld(kOldId);
  const AssumeResult ok = run(original, roleArn(kA, "Deployer"), {to(roleArn(kA, "Target"))});
  EXPECT_TRUE(allowed(ok)) << show(ok);
}

TEST(StsUniqueId, PrincipalArnConditionSurvivesRecreation) {
  // AWS: aws:PrincipalArn in a condition is never converted to an id, so it still matches a role
  // recreated with the same name.
  const Simulator recreated = uniqueIdWorld(kNewId);
  const AssumeResult r = run(recreated, roleArn(kA, "Deployer"), {to(roleArn(kA, "ByCondition"))});
  EXPECT_TRUE(allowed(r)) << show(r);
}

// --- Organizations: SCPs and RCPs (§3.1, §3.2, §6.6) ---------------------------------------------

const json kDenyAssumeRole = {{"name", "DenyAssumeRole"},
                              {"type", "scp"},
                              {"document", doc(json::array({deny("sts:AssumeRole")}))}};

// Caller roles in A, B and the management account M may all assume A/Target and B/Target; each
// holds an identity Allow. `scps`/`rcps` attach extra policies per account.
Simulator orgWorld(const std::map<std::string, std::vector<std::string>>& scps,
                   const std::map<std::string, std::vector<std::string>>& rcps = {},
                   json policies = json::array()) {
  policies.push_back(kDenyAssumeRole);
  Scenario s;
  for (const std::string& account : {kA, kB, kM}) {
    s.role(roleArn(account, "Caller"), trust(aws(account)),
           json::array({allow("sts:AssumeRole", "*")}));
  }
  const json callers = {roleArn(kA, "Caller"), roleArn(kB, "Caller"), roleArn(kM, "Caller"),
                        roleArn(kC, "Caller"), roleArn(kX, "Caller")};
  s.role(roleArn(kC, "Caller"), trust(aws(kC)), json::array({allow("sts:AssumeRole", "*")}));
  s.role(roleArn(kA, "Target"), trust(aws(callers)));
  s.role(roleArn(kB, "Target"), trust(aws(callers)));
  return s.organization(organization({kM, kA, kB}, scps, rcps, std::move(policies))).build();
}

TEST(StsOrganization, CallerAccountScpDenyBlocksAssumeRole) {
  // AWS: the SCPs of the caller's account apply to its AssumeRole calls.
  const Simulator blocked = orgWorld({{kB, {"DenyAssumeRole"}}});
  const AssumeResult r = run(blocked, roleArn(kB, "Caller"), {to(roleArn(kA, "Target"))});
  EXPECT_EQ(r.status, CallStatus::AccessDenied) << show(r);
  EXPECT_EQ(r.last().reason, "with an explicit deny in a service control policy");
  const Simulator open = orgWorld({});
  const AssumeResult ok = run(open, roleArn(kB, "Caller"), {to(roleArn(kA, "Target"))});
  EXPECT_TRUE(allowed(ok)) << show(ok);
}

TEST(StsOrganization, RoleAccountScpDoesNotRestrictOutsideCaller) {
  // AWS: the role account's SCPs govern its own principals, not an outside caller's AssumeRole.
  const Simulator sim = orgWorld({{kA, {"DenyAssumeRole"}}});
  const AssumeResult from_b = run(sim, roleArn(kB, "Caller"), {to(roleArn(kA, "Target"))});
  EXPECT_TRUE(allowed(from_b)) << show(from_b);
  const AssumeResult from_x = run(sim, roleArn(kX, "Caller"), {to(roleArn(kA, "Target"))});
  EXPECT_TRUE(allowed(from_x)) << show(from_x);
  // Near miss: A's own principals are held by it.
  const AssumeResult from_a = run(sim, roleArn(kA, "Caller"), {to(roleArn(kB, "Target"))});
  EXPECT_EQ(from_a.status, CallStatus::AccessDenied) << show(from_a);
}

TEST(StsOrganization, RoleAccountRcpAppliesToOutsideCallers) {
  // AWS: the role account's RCPs apply to every caller, other accounts included.
  const json only_org = {
      {"name", "OnlyOurOrg"},
      {"type", "rcp"},
      {"document",
       doc(json::array(
           {{{"Effect", "Deny"},
             {"Principal", "*"},
             {"Action", "sts:AssumeRole"},
             {"Resource", "*"},
             {"Condition", {{"StringNotEqualsIfExists", {{"aws:PrincipalOrgID", kOrgId}}}}}}}))}};
  const Simulator sim = orgWorld({}, {{kA, {"OnlyOurOrg"}}}, json::array({only_org}));
  for (const std::string& outsider : {roleArn(kX, "Caller"), roleArn(kC, "Caller")}) {
    const AssumeResult r = run(sim, outsider, {to(roleArn(kA, "Target"))});
    EXPECT_EQ(r.status, CallStatus::AccessDenied) << outsider << "\n" << show(r);
    EXPECT_EQ(r.last().reason, "with an explicit deny in a resource control policy") << outsider;
  }
  const AssumeResult member = run(sim, roleArn(kB, "Caller"), {to(roleArn(kA, "Target"))});
  EXPECT_TRUE(allowed(member)) << show(member);
  const AssumeResult elsewhere = run(sim, roleArn(kX, "Caller"), {to(roleArn(kB, "Target"))});
  EXPECT_TRUE(allowed(elsewhere)) << show(elsewhere);
}

TEST(StsOrganization, ManagementAccountIsExemptFromScps) {
  // AWS: SCPs do not affect the management account's principals.
  json org = organization({kM, kA, kB}, {}, {}, json::array({kDenyAssumeRole}));
  org["root"]["scps"].push_back("DenyAssumeRole");
  Scenario s;
  for (const std::string& account : {kM, kB}) {
    s.role(roleArn(account, "Caller"), trust(aws(account)),
           json::array({allow("sts:AssumeRole", "*")}));
  }
  s.role(roleArn(kA, "Target"),
         trust(aws(json::array({roleArn(kM, "Caller"), roleArn(kB, "Caller")}))));
  const Simulator sim = s.organization(org).build();
  const AssumeResult management = run(sim, roleArn(kM, "Caller"), {to(roleArn(kA, "Target"))});
  EXPECT_TRUE(allowed(management)) << show(management);
  const AssumeResult member = run(sim, roleArn(kB, "Caller"), {to(roleArn(kA, "Target"))});
  EXPECT_EQ(member.status, CallStatus::AccessDenied) << show(member);
}

// --- Derived request context (§3.4) --------------------------------------------------------------

TEST(StsContext, PrincipalArnOfSessionIsRoleArnWithPath) {
  // AWS: for a role session, aws:PrincipalArn is the role ARN with its path (not the session ARN).
  const std::string caller = roleArn(kA, "team/Caller");
  const auto on = [](const std::string& arn) {
    return trust("*", "sts:AssumeRole", {{"StringEquals", {{"aws:PrincipalArn", arn}}}});
  };
  const Simulator sim =
      Scenario()
          .role(caller, trust(aws(kA)))
          .role(roleArn(kA, "WithPath"), on(caller))
          .role(roleArn(kA, "WithoutPath"), on(roleArn(kA, "Caller")))
          .role(roleArn(kA, "BySession"), on("arn:aws:sts::" + kA + ":assumed-role/Caller/s"))
          .build();
  const AssumeResult ok = run(sim, caller, {to(roleArn(kA, "WithPath"))}, "s");
  EXPECT_TRUE(allowed(ok)) << show(ok);
  for (const char* role : {"WithoutPath", "BySession"}) {
    const AssumeResult r = run(sim, caller, {to(roleArn(kA, role))}, "s");
    EXPECT_EQ(r.status, CallStatus::AccessDenied) << role << "\n" << show(r);
  }
}

TEST(StsContext, PrincipalOrgIdIsTheCallersOrganization) {
  // AWS: aws:PrincipalOrgID is the organization id of the caller's account, management account
  // included (absent outside an organization).
  json policies = json::array();
  const Simulator sim =
      Scenario()
          .role(roleArn(kB, "Caller"), trust(aws(kB)), json::array({allow("sts:AssumeRole", "*")}))
          .role(roleArn(kC, "Caller"), trust(aws(kC)), json::array({allow("sts:AssumeRole", "*")}))
          .role(roleArn(kM, "Caller"), trust(aws(kM)), json::array({allow("sts:AssumeRole", "*")}))
          .role(roleArn(kA, "Target"),
                trust("*", "sts:AssumeRole", {{"StringEquals", {{"aws:PrincipalOrgID", kOrgId}}}}))
          .organization(organization({kM, kA, kB}, {}, {}, policies))
          .build();
  // The management account is in the organization too.
  for (const std::string& account : {kB, kM}) {
    const AssumeResult member = run(sim, roleArn(account, "Caller"), {to(roleArn(kA, "Target"))});
    EXPECT_TRUE(allowed(member)) << account << "\n" << show(member);
  }
  const AssumeResult outsider = run(sim, roleArn(kC, "Caller"), {to(roleArn(kA, "Target"))});
  EXPECT_EQ(outsider.status, CallStatus::AccessDenied) << show(outsider);
  EXPECT_EQ(outsider.last().reason,
            "because no role trust policy allows the sts:AssumeRole action");
}

// Target trusts every principal of A whose `team` principal tag is `red`.
json redTeamOnly() {
  return trust("*", "sts:AssumeRole", {{"StringEquals", {{"aws:PrincipalTag/team", "red"}}}});
}

TEST(StsContext, PrincipalTagsOfSessionAreRoleTags) {
  // AWS: a role session's aws:PrincipalTag keys start from the role's IAM tags.
  const Simulator sim =
      Scenario()
          .role(roleArn(kA, "Red"), trust(aws(kA)), json::array(), {{"tags", {{"team", "red"}}}})
          .role(roleArn(kA, "Blue"), trust(aws(kA)), json::array(), {{"tags", {{"team", "blue"}}}})
          .role(roleArn(kA, "Target"), redTeamOnly())
          .build();
  const AssumeResult red = run(sim, roleArn(kA, "Red"), {to(roleArn(kA, "Target"))});
  EXPECT_TRUE(allowed(red)) << show(red);
  const AssumeResult blue = run(sim, roleArn(kA, "Blue"), {to(roleArn(kA, "Target"))});
  EXPECT_EQ(blue.status, CallStatus::AccessDenied) << show(blue);
}

TEST(StsContext, SessionTagsOverrideRoleTags) {
  // AWS: session tags overlay the role's tags (keys compare ignoring case; the session tag wins).
  const Simulator sim =
      Scenario()
          .user(userArn(kA, "alice"))
          .role(roleArn(kA, "Blue"),
                trust(aws(userArn(kA, "alice")), {"sts:AssumeRole", "sts:TagSession"}),
                json::array(), {{"tags", {{"team", "blue"}}}})
          .role(roleArn(kA, "Target"), redTeamOnly())
          .build();
  const AssumeResult tagged =
      run(sim, userArn(kA, "alice"),
          {withTags(roleArn(kA, "Blue"), {{"Team", "red"}}), to(roleArn(kA, "Target"))});
  EXPECT_TRUE(allowed(tagged)) << show(tagged);
  const AssumeResult untagged =
      run(sim, userArn(kA, "alice"), {to(roleArn(kA, "Blue")), to(roleArn(kA, "Target"))});
  ASSERT_EQ(untagged.hops.size(), 2u) << show(untagged);
  EXPECT_EQ(untagged.status, CallStatus::AccessDenied) << show(untagged);
}

TEST(StsContext, RoleSessionNameIsAKey) {
  // AWS: sts:RoleSessionName is in every AssumeRole request (the name the caller asks for).
  const Simulator sim =
      Scenario()
          .user(userArn(kA, "alice"), json::array({allow("sts:AssumeRole", roleArn(kA, "Target"))}))
          .role(roleArn(kA, "Target"),
                trust(aws(kA), "sts:AssumeRole",
                      {{"StringEquals", {{"sts:RoleSessionName", "${aws:username}"}}}}))
          .build();
  const AssumeResult own = run(sim, userArn(kA, "alice"), {named(roleArn(kA, "Target"), "alice")});
  EXPECT_TRUE(allowed(own)) << show(own);
  const AssumeResult other = run(sim, userArn(kA, "alice"), {named(roleArn(kA, "Target"), "bob")});
  EXPECT_EQ(other.status, CallStatus::AccessDenied) << show(other);
}

TEST(StsContext, MultiFactorAuthPresentWhenUserPassesMfa) {
  // AWS: aws:MultiFactorAuthPresent is true when the call carries MFA; absent for long-term keys
  // without it, so a Bool condition on it fails.
  const Simulator sim =
      Scenario()
          .user(userArn(kA, "alice"), json::array({allow("sts:AssumeRole", roleArn(kA, "Target"))}),
                {{"mfa", true}})
          .role(roleArn(kA, "Target"), trust(aws(kA), "sts:AssumeRole",
                                             {{"Bool", {{"aws:MultiFactorAuthPresent", "true"}}}}))
          .build();
  AssumeParams p = to(roleArn(kA, "Target"));
  p.mfa = true;
  const AssumeResult with_mfa = run(sim, userArn(kA, "alice"), {p});
  EXPECT_TRUE(allowed(with_mfa)) << show(with_mfa);
  EXPECT_TRUE(with_mfa.last().session->mfa);
  const AssumeResult without = run(sim, userArn(kA, "alice"), {to(roleArn(kA, "Target"))});
  EXPECT_EQ(without.status, CallStatus::AccessDenied) << show(without);
}

// --- Principals outside the model (§3, Simulator::identity) --------------------------------------

TEST(StsExternal, OutsidePrincipalIsDecidedByTrustPolicy) {
  // MODEL: a principal of an account outside the model is `external`: its own policies are
  // assumed to allow, so the trust policy decides.
  const Simulator sim =
      Scenario()
          .role(roleArn(kA, "ByRole"), trust(aws(roleArn(kX, "Vendor"))))
          .role(roleArn(kA, "ByAccount"), trust(aws(kX)))
          .role(roleArn(kA, "OtherVendor"), trust(aws(roleArn(kX, "SomeoneElse"))))
          .build();
  const Identity vendor = who(sim, roleArn(kX, "Vendor"), "v");
  EXPECT_TRUE(vendor.external);
  EXPECT_EQ(vendor.caller.arn, "arn:aws:sts::" + kX + ":assumed-role/Vendor/v");
  for (const char* role : {"ByRole", "ByAccount"}) {
    const AssumeResult r = sim.assume(vendor, {to(roleArn(kA, role))});
    EXPECT_TRUE(allowed(r)) << role << "\n" << show(r);
  }
  const AssumeResult other = sim.assume(vendor, {to(roleArn(kA, "OtherVendor"))});
  EXPECT_EQ(other.status, CallStatus::AccessDenied) << show(other);
}

TEST(StsExternal, MissingPrincipalOfModelledAccountIsUnknown) {
  // MODEL: a principal an account we model does not hold is an error, never a guess.
  const Simulator sim =
      Scenario().role(roleArn(kA, "Target"), trust(aws(kA))).user(userArn(kA, "alice")).build();
  for (const std::string& missing : {roleArn(kA, "Missing"), userArn(kA, "bob")}) {
    const auto id = sim.identity(missing);
    ASSERT_FALSE(id.has_value()) << missing;
    EXPECT_TRUE(testing::hasCode(id.error(), "identity.unknown")) << testing::dump(id.error());
  }
  EXPECT_TRUE(sim.identity(userArn(kA, "alice")).has_value());
  EXPECT_TRUE(sim.identity(userArn(kX, "bob")).has_value());
}

// --- What a session may do (§5.3, §5.4) ----------------------------------------------------------

std::string table(const std::string& name) {
  return "arn:aws:dynamodb:us-east-1:" + kA + ":table/" + name;
}

bool may(const Simulator& sim, const Identity& session, const std::string& action,
         const std::string& resource) {
  return sim.simulate(session, action, resource, {}).decision.outcome == Outcome::Allowed;
}

TEST(StsSimulate, SessionMayDoWhatItsRolePoliciesAllowAndNothingElse) {
  // AWS: a role session's permissions are the role's identity policies.
  const Simulator sim = Scenario()
                            .user(userArn(kA, "alice"))
                            .role(roleArn(kA, "Reader"), trust(aws(userArn(kA, "alice"))),
                                  json::array({allow("dynamodb:GetItem", table("Orders"))}))
                            .build();
  const AssumeResult r = run(sim, userArn(kA, "alice"), {to(roleArn(kA, "Reader"))});
  ASSERT_TRUE(allowed(r)) << show(r);
  const Identity& session = *r.last().session;
  EXPECT_TRUE(may(sim, session, "dynamodb:GetItem", table("Orders")));
  EXPECT_FALSE(may(sim, session, "dynamodb:PutItem", table("Orders")));
  EXPECT_FALSE(may(sim, session, "dynamodb:GetItem", table("Invoices")));
}

TEST(StsSimulate, PermissionsDoNotAccumulateAlongChain) {
  // AWS: the next session's permissions come only from the next role; the previous role's do not
  // carry over.
  const Simulator sim = Scenario()
                            .user(userArn(kA, "alice"))
                            .role(roleArn(kA, "First"), trust(aws(userArn(kA, "alice"))),
                                  json::array({allow("dynamodb:GetItem", table("Orders"))}))
                            .role(roleArn(kA, "Second"), trust(aws(roleArn(kA, "First"))),
                                  json::array({allow("dynamodb:GetItem", table("Invoices"))}))
                            .build();
  const AssumeResult r =
      run(sim, userArn(kA, "alice"), {to(roleArn(kA, "First")), to(roleArn(kA, "Second"))});
  ASSERT_TRUE(allowed(r)) << show(r);
  const Identity& first = *r.hops[0].session;
  const Identity& second = *r.hops[1].session;
  EXPECT_TRUE(may(sim, first, "dynamodb:GetItem", table("Orders")));
  EXPECT_FALSE(may(sim, first, "dynamodb:GetItem", table("Invoices")));
  EXPECT_TRUE(may(sim, second, "dynamodb:GetItem", table("Invoices")));
  EXPECT_FALSE(may(sim, second, "dynamodb:GetItem", table("Orders")));
}

}  // namespace
}  // namespace trustsim
