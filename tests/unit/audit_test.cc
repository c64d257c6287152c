// SPDX-License-Identifier: Apache-2.0
// audit() over small scenario worlds: each of the nine rules fires on its pattern and stays quiet
// on the near miss next to it (aws-semantics §2.3, §9), vendor names, and the order of findings.
#include <gtest/gtest.h>

#include <algorithm>
#include <iterator>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "test_util.h"
#include "trustsim/findings.h"
#include "trustsim/graph.h"
#include "trustsim/load.h"
#include "trustsim/simulator.h"

namespace trustsim {

// gtest prints severities by name (internal linkage: other test files may define their own).
static void PrintTo(FindingSeverity severity, std::ostream* os) { *os << toString(severity); }

namespace {

using nlohmann::json;

const std::string kA = "111111111111";        // ours: holds the roles being audited
const std::string kB = "222222222222";        // ours: a second account with users
const std::string kV = "999999999999";        // a third party outside the model
const std::string kW = "888888888888";        // another third party outside the model
const std::string kDatadog = "464622532012";  // in the bundled known_aws_accounts list
const std::string kTrelica = "377450845233";  // only in our vendors overlay
const std::string kVendorId = "vendor-issued-5f2c9a7e41d0";  // long, random-looking ExternalId

std::string roleArn(const std::string& account, const std::string& name) {
  return "arn:aws:iam::" + account + ":role/" + name;
}
std::string userArn(const std::string& account, const std::string& name) {
  return "arn:aws:iam::" + account + ":user/" + name;
}
std::string rootArn(const std::string& account) { return "arn:aws:iam::" + account + ":root"; }

// --- Policy documents ----------------------------------------------------------------------------

json doc(json statements) {
  return {{"Version", "2012-10-17"}, {"Statement", std::move(statements)}};
}

json aws(json principal) { return {{"AWS", std::move(principal)}}; }
json service(const std::string& name) { return {{"Service", name}}; }

json trustStatement(json principal, json condition = nullptr, json actions = "sts:AssumeRole") {
  json s = {
      {"Effect", "Allow"}, {"Principal", std::move(principal)}, {"Action", std::move(actions)}};
  if (!condition.is_null()) {
    s["Condition"] = std::move(condition);
  }
  return s;
}

// A trust policy of one Allow statement.
json trust(json principal, json condition = nullptr) {
  return doc(json::array({trustStatement(std::move(principal), std::move(condition))}));
}

json externalId(const std::string& value, const std::string& op = "StringEquals") {
  return {{op, {{"sts:ExternalId", value}}}};
}

json allow(json actions, json resources = "*") {
  return {{"Effect", "Allow"}, {"Action", std::move(actions)}, {"Resource", std::move(resources)}};
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
  Scenario& user(const std::string& arn, json allows = json::array()) {
    json u = {{"arn", arn}};
    if (!allows.empty()) {
      u["policies"] = json::array({{{"name", "inline"}, {"document", doc(std::move(allows))}}});
    }
    doc_["users"].push_back(std::move(u));
    return *this;
  }
  Scenario& provider(const std::string& arn) {
    doc_["identityProviders"].push_back({{"arn", arn}});
    return *this;
  }
  Scenario& vendor(json v) {
    doc_["vendors"].push_back(std::move(v));
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
  json doc_ = {{"format", "trustsim-scenario/1"}, {"name", "audit-test"}, {"roles", json::array()}};
};

// Builds the world, its trust graph, and audits it. Findings are values: they outlive both.
std::vector<Finding> auditOf(const Scenario& scenario) {
  const Simulator sim = scenario.build();
  const TrustGraph graph = TrustGraph::build(sim);
  return audit(graph);
}

// A world of one role in our account kA with the given trust policy.
std::vector<Finding> auditTrust(json trust_policy, const std::string& name = "Audited") {
  return auditOf(Scenario().role(roleArn(kA, name), std::move(trust_policy)));
}

std::string show(const std::vector<Finding>& findings) {
  std::string out;
  for (const Finding& f : findings) {
    out += "  " + std::string(toString(f.severity)) + " " + f.rule + " " + f.resource + " [" +
           f.principal + "]" + (f.statement ? " " + f.statement->where : "") +
           (f.vendor.empty() ? "" : " vendor=" + f.vendor) + ": " + f.message + "\n";
  }
  return out.empty() ? "  (no findings)\n" : out;
}

std::vector<Finding> withRule(const std::vector<Finding>& findings, const std::string& rule) {
  std::vector<Finding> out;
  std::copy_if(findings.begin(), findings.end(), std::back_inserter(out),
               [&](const Finding& f) { return f.rule == rule; });
  return out;
}

// What a finding must say: rule, severity, role, trusted principal as written, and the statement.
struct Expected {
  std::string rule;
  FindingSeverity severity;
  std::string resource;
  std::string principal;
  std::size_t statement = 0;
};

// Checks there is exactly one finding of `e.rule` for (resource, principal) and that it names the
// statement, says what is wrong and how to fix it. Returns it for further checks.
std::optional<Finding> expectFinding(const std::vector<Finding>& findings, const Expected& e) {
  std::vector<Finding> hits;
  for (const Finding& f : findings) {
    if (f.rule == e.rule && f.resource == e.resource && f.principal == e.principal) {
      hits.push_back(f);
    }
  }
  EXPECT_EQ(hits.size(), 1u) << e.rule << " for " << e.principal << " on " << e.resource << "\n"
                             << show(findings);
  if (hits.empty()) {
    return std::nullopt;
  }
  const Finding& f = hits.front();
  EXPECT_EQ(f.severity, e.severity) << e.rule << "\n" << show(findings);
  EXPECT_TRUE(f.statement.has_value()) << e.rule;
  if (f.statement) {
    EXPECT_EQ(f.statement->index, e.statement) << e.rule;
    // The JSON pointer into the scenario file, down to the statement.
    const std::string tail = "/trustPolicy/Statement/" + std::to_string(e.statement);
    EXPECT_TRUE(f.statement->where.ends_with(tail)) << e.rule << ": " << f.statement->where;
    EXPECT_EQ(f.statement->type, PolicyType::Trust) << e.rule;
  }
  EXPECT_EQ(f.file, "test.json") << e.rule;
  EXPECT_FALSE(f.message.empty()) << e.rule;
  EXPECT_FALSE(f.fix.empty()) << e.rule;
  return f;
}

void expectNoFinding(const std::vector<Finding>& findings, const std::string& rule,
                     const std::string& label = "") {
  EXPECT_TRUE(withRule(findings, rule).empty()) << label << ": unexpected " << rule << "\n"
                                                << show(findings);
}

// --- Registry ------------------------------------------------------------------------------------

TEST(AuditRules, RegistryListsEveryRuleWithItsDefaultSeverity) {
  const std::vector<std::pair<std::string, FindingSeverity>> expected = {
      {"public-trust", FindingSeverity::Critical},
      {"no-external-id", FindingSeverity::High},
      {"weak-external-id", FindingSeverity::High},
      {"customer-chosen-external-id", FindingSeverity::Medium},
      {"shared-external-id", FindingSeverity::Medium},
      {"service-without-source", FindingSeverity::Medium},
      {"chain-to-admin", FindingSeverity::High},
      {"dangling-principal", FindingSeverity::Medium},
      {"vendor-access-keys", FindingSeverity::High},
      {"account-root-trust", FindingSeverity::Low},
  };
  const std::vector<RuleInfo>& rules = findingRules();
  ASSERT_EQ(rules.size(), expected.size());
  for (std::size_t i = 0; i < rules.size(); ++i) {
    EXPECT_EQ(rules[i].id, expected[i].first) << i;
    EXPECT_EQ(rules[i].severity, expected[i].second) << rules[i].id;
    EXPECT_FALSE(rules[i].title.empty()) << rules[i].id;
    EXPECT_FALSE(rules[i].description.empty()) << rules[i].id;
  }
}

// --- public-trust (§9.4) -------------------------------------------------------------------------

TEST(AuditPublicTrust, StarWithoutConditionIsCritical) {
  // AWS: "Principal": "*" with no condition admits any authenticated principal in any account.
  for (const json& principal : {json("*"), aws("*")}) {
    const auto findings = auditTrust(trust(principal));
    expectFinding(findings,
                  {"public-trust", FindingSeverity::Critical, roleArn(kA, "Audited"), "*"});
  }
}

TEST(AuditPublicTrust, StarWithOnlyAnExternalIdIsHigh) {
  // AWS: an ExternalId does not restrict who calls (it is readable by anyone who can read the
  // role).
  const auto findings = auditTrust(trust(aws("*"), externalId(kVendorId)));
  expectFinding(findings, {"public-trust", FindingSeverity::High, roleArn(kA, "Audited"), "*"});
}

TEST(AuditPublicTrust, StarWithIfExistsOrgIdIsStillPublic) {
  // AWS: an IfExists or negated operator on the caller-scoping key is true when the key is absent.
  for (const std::string op : {"StringEqualsIfExists", "StringNotEquals"}) {
    const auto findings =
        auditTrust(trust(aws("*"), {{op, {{"aws:PrincipalOrgID", "o-a1b2c3d4e5"}}}}));
    expectFinding(findings, {"public-trust", FindingSeverity::High, roleArn(kA, "Audited"), "*"});
  }
}

TEST(AuditPublicTrust, StarScopedByPositiveCallerKeyIsNotPublic) {
  // AWS: "*" with a positive operator on aws:PrincipalOrgID / PrincipalAccount / PrincipalArn is
  // scoped to those callers.
  const std::vector<json> conditions = {
      {{"StringEquals", {{"aws:PrincipalOrgID", "o-a1b2c3d4e5"}}}},
      {{"StringEquals", {{"aws:PrincipalAccount", kB}}}},
      {{"ArnLike", {{"aws:PrincipalArn", "arn:aws:iam::" + kB + ":role/team-*"}}}},
  };
  for (const json& c : conditions) {
    expectNoFinding(auditTrust(trust(aws("*"), c)), "public-trust", c.dump());
  }
}

// --- no-external-id (§9.1) -----------------------------------------------------------------------

TEST(AuditNoExternalId, ThirdPartyAccountWithoutConditionIsHigh) {
  // AWS: a vendor trusted without sts:ExternalId can be made to assume the role for any of its
  // customers (confused deputy).
  const auto findings = auditTrust(trust(aws(rootArn(kV))));
  expectFinding(findings,
                {"no-external-id", FindingSeverity::High, roleArn(kA, "Audited"), rootArn(kV)});
  expectNoFinding(findings, "weak-external-id");
}

TEST(AuditNoExternalId, ThirdPartyRoleWithoutConditionIsHigh) {
  // AWS: naming one vendor role does not help: the vendor still acts for all of its customers.
  const auto findings = auditTrust(trust(aws(roleArn(kV, "Connector"))));
  expectFinding(findings, {"no-external-id", FindingSeverity::High, roleArn(kA, "Audited"),
                           roleArn(kV, "Connector")});
}

TEST(AuditNoExternalId, LongVendorValueWithStringEqualsIsClean) {
  // AWS: StringEquals sts:ExternalId with the vendor-issued value is the documented protection.
  const auto findings = auditTrust(trust(aws(rootArn(kV)), externalId(kVendorId)));
  expectNoFinding(findings, "no-external-id");
  expectNoFinding(findings, "weak-external-id");
  expectNoFinding(findings, "customer-chosen-external-id");
  expectNoFinding(findings, "shared-external-id");
}

TEST(AuditNoExternalId, OurOtherAccountNeedsNoExternalId) {
  // AWS: the confused deputy is a third-party problem; trust between our own accounts is fine.
  const auto findings = auditOf(
      Scenario().role(roleArn(kA, "Audited"), trust(aws(rootArn(kB)))).user(userArn(kB, "alice")));
  expectNoFinding(findings, "no-external-id");
  expectNoFinding(findings, "weak-external-id");
}

// --- weak-external-id (§9.2) ---------------------------------------------------------------------

struct WeakCase {
  std::string name;
  json statements;
  std::size_t statement;  // the statement the finding must name
  FindingSeverity severity;
};

TEST(AuditWeakExternalId, EveryWeakFormIsReported) {
  // AWS: each form passes a call without the vendor-issued ExternalId (aws-semantics §9.2 table).
  const json vendor = aws(rootArn(kV));
  const std::vector<WeakCase> cases = {
      {"StringLike wildcard", json::array({trustStatement(vendor, externalId("*", "StringLike"))}),
       0, FindingSeverity::High},
      {"StringLike ?*", json::array({trustStatement(vendor, externalId("?*", "StringLike"))}), 0,
       FindingSeverity::High},
      {"IfExists",
       json::array({trustStatement(vendor, externalId(kVendorId, "StringEqualsIfExists"))}), 0,
       FindingSeverity::High},
      {"StringLikeIfExists",
       json::array({trustStatement(vendor, externalId(kVendorId, "StringLikeIfExists"))}), 0,
       FindingSeverity::High},
      {"ForAllValues",
       json::array({trustStatement(vendor, externalId(kVendorId, "ForAllValues:StringEquals"))}), 0,
       FindingSeverity::High},
      {"negated", json::array({trustStatement(vendor, externalId(kVendorId, "StringNotEquals"))}),
       0, FindingSeverity::High},
      {"Null only",
       json::array({trustStatement(vendor, {{"Null", {{"sts:ExternalId", "false"}}}})}), 0,
       FindingSeverity::High},
      {"caller-controlled variable",
       json::array({trustStatement(vendor, externalId("${aws:PrincipalTag/tenant}"))}), 0,
       FindingSeverity::High},
      {"unconditioned sibling",
       json::array({trustStatement(vendor, externalId(kVendorId)), trustStatement(vendor)}), 1,
       FindingSeverity::High},
      {"short value", json::array({trustStatement(vendor, externalId("abc123"))}), 0,
       FindingSeverity::Medium},
      {"common word", json::array({trustStatement(vendor, externalId("changeme"))}), 0,
       FindingSeverity::Medium},
      {"one repeated character", json::array({trustStatement(vendor, externalId("xxxxxxxxxxxx"))}),
       0, FindingSeverity::Medium},
      {"role's own account id", json::array({trustStatement(vendor, externalId(kA))}), 0,
       FindingSeverity::Medium},
  };
  for (const WeakCase& c : cases) {
    SCOPED_TRACE(c.name);
    const auto findings = auditTrust(doc(c.statements));
    expectFinding(findings, {"weak-external-id", c.severity, roleArn(kA, "Audited"), rootArn(kV),
                             c.statement});
    expectNoFinding(findings, "no-external-id", c.name);
  }
}

TEST(AuditWeakExternalId, NearMissesAreClean) {
  // AWS: StringEquals (or StringLike without a wildcard) with a long vendor value pins the call;
  // a second statement for another vendor with its own value is not an unconditioned sibling.
  const json vendor = aws(rootArn(kV));
  const std::vector<std::pair<std::string, json>> cases = {
      {"StringEquals long value", json::array({trustStatement(vendor, externalId(kVendorId))})},
      {"StringLike without wildcard",
       json::array({trustStatement(vendor, externalId(kVendorId, "StringLike"))})},
      {"another account's id", json::array({trustStatement(vendor, externalId("123456789012"))})},
      {"sibling for another vendor",
       json::array({trustStatement(vendor, externalId(kVendorId)),
                    trustStatement(aws(rootArn(kW)), externalId("other-vendor-9e8d7c6b5a"))})},
  };
  for (const auto& [name, statements] : cases) {
    const auto findings = auditTrust(doc(statements));
    expectNoFinding(findings, "weak-external-id", name);
    expectNoFinding(findings, "no-external-id", name);
  }
}

// --- customer-chosen-external-id (§9.1, seed 004) ------------------------------------------------

TEST(AuditCustomerChosenExternalId, VendorThatLetsCustomersPickIsMedium) {
  // AWS: the ExternalId must be generated by the vendor; a customer-chosen one is not unique.
  const auto findings =
      auditOf(Scenario()
                  .vendor({{"name", "Microtica"},
                           {"account", kV},
                           {"externalId", {{"issuedBy", "customer"}, {"value", kVendorId}}}})
                  .role(roleArn(kA, "Audited"), trust(aws(rootArn(kV)), externalId(kVendorId))));
  const auto f = expectFinding(findings, {"customer-chosen-external-id", FindingSeverity::Medium,
                                          roleArn(kA, "Audited"), rootArn(kV)});
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->vendor, "Microtica");
}

TEST(AuditCustomerChosenExternalId, VendorIssuedValueIsClean) {
  // AWS: a vendor-issued, per-customer ExternalId is the documented protection.
  const auto findings =
      auditOf(Scenario()
                  .vendor({{"name", "Trelica"},
                           {"account", kV},
                           {"externalId", {{"issuedBy", "vendor"}, {"value", kVendorId}}}})
                  .role(roleArn(kA, "Audited"), trust(aws(rootArn(kV)), externalId(kVendorId))));
  expectNoFinding(findings, "customer-chosen-external-id");
  expectNoFinding(findings, "weak-external-id");
}

// --- shared-external-id --------------------------------------------------------------------------

TEST(AuditSharedExternalId, OneValueForTwoVendorsIsReportedForEach) {
  // AWS: an ExternalId binds a role to one vendor tenant only if no other vendor accepts the value.
  const std::string shared = "shared-value-77aa11bb22";
  const auto findings =
      auditOf(Scenario()
                  .role(roleArn(kA, "VendorOne"), trust(aws(rootArn(kV)), externalId(shared)))
                  .role(roleArn(kA, "VendorTwo"), trust(aws(rootArn(kW)), externalId(shared))));
  expectFinding(findings,
                {"shared-external-id", FindingSeverity::Medium, roleArn(kA, "VendorOne"), kV});
  expectFinding(findings,
                {"shared-external-id", FindingSeverity::Medium, roleArn(kA, "VendorTwo"), kW});
  EXPECT_EQ(withRule(findings, "shared-external-id").size(), 2u) << show(findings);
}

TEST(AuditSharedExternalId, SameVendorOnTwoRolesOrDistinctValuesIsClean) {
  // AWS: one vendor may use its own value for several of our roles; distinct values are unique.
  const auto same_vendor =
      auditOf(Scenario()
                  .role(roleArn(kA, "One"), trust(aws(rootArn(kV)), externalId(kVendorId)))
                  .role(roleArn(kA, "Two"), trust(aws(rootArn(kV)), externalId(kVendorId))));
  expectNoFinding(same_vendor, "shared-external-id", "same vendor");
  const auto distinct =
      auditOf(Scenario()
                  .role(roleArn(kA, "One"), trust(aws(rootArn(kV)), externalId(kVendorId)))
                  .role(roleArn(kA, "Two"),
                        trust(aws(rootArn(kW)), externalId("other-vendor-9e8d7c6b5a"))));
  expectNoFinding(distinct, "shared-external-id", "distinct values");
}

TEST(AuditSharedExternalId, OneVendorWithTwoAccountsIsOneThirdParty) {
  // A vendor that calls from two accounts (Datadog lists two) with the one ExternalId it issued
  // is still one third party: the value binds the role to that vendor's tenant.
  // One vendor calling from two accounts is one third party.
  const auto bundled = auditTrust(
      trust(aws(json::array({rootArn(kDatadog), rootArn("865078226113")})), externalId(kVendorId)));
  expectNoFinding(bundled, "shared-external-id", "Datadog's two accounts");
  const auto declared =
      auditOf(Scenario()
                  .vendor({{"name", "Acme"}, {"accounts", json::array({kV, kW})}})
                  .role(roleArn(kA, "Audited"), trust(aws(json::array({rootArn(kV), rootArn(kW)})),
                                                      externalId(kVendorId))));
  expectNoFinding(declared, "shared-external-id", "a scenario vendor with two accounts");
}

// --- service-without-source (§9.3) ---------------------------------------------------------------

TEST(AuditServiceWithoutSource, SeverityFollowsHowTheSourceIsPinned) {
  // AWS: no pinning is medium, IfExists pinning is low (absent keys pass), pinning to an account
  // that is not ours is high (that account's resources can use the role).
  struct Case {
    std::string name;
    json condition;
    FindingSeverity severity;
  };
  const std::vector<Case> cases = {
      {"none", nullptr, FindingSeverity::Medium},
      {"IfExists", {{"StringEqualsIfExists", {{"aws:SourceAccount", kA}}}}, FindingSeverity::Low},
      {"ArnLikeIfExists",
       {{"ArnLikeIfExists", {{"aws:SourceArn", "arn:aws:lambda:us-east-1:" + kA + ":function:*"}}}},
       FindingSeverity::Low},
      {"other account", {{"StringEquals", {{"aws:SourceAccount", kV}}}}, FindingSeverity::High},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const auto findings = auditTrust(trust(service("lambda.amazonaws.com"), c.condition));
    expectFinding(findings, {"service-without-source", c.severity, roleArn(kA, "Audited"),
                             "lambda.amazonaws.com"});
  }
}

TEST(AuditServiceWithoutSource, PinnedToOurAccountOrExemptServiceIsClean) {
  // AWS: aws:SourceAccount of our own account (or aws:SourceArn / SourceOrgID) pins the service;
  // EC2 never sends the source keys, so it is exempt.
  const std::vector<std::pair<std::string, json>> cases = {
      {"SourceAccount ours",
       trust(service("lambda.amazonaws.com"), {{"StringEquals", {{"aws:SourceAccount", kA}}}})},
      {"SourceArn",
       trust(service("lambda.amazonaws.com"),
             {{"ArnLike", {{"aws:SourceArn", "arn:aws:lambda:us-east-1:" + kA + ":function:*"}}}})},
      {"SourceOrgID", trust(service("lambda.amazonaws.com"),
                            {{"StringEquals", {{"aws:SourceOrgID", "o-a1b2c3d4e5"}}}})},
      {"ec2 exempt", trust(service("ec2.amazonaws.com"))},
  };
  for (const auto& [name, policy] : cases) {
    expectNoFinding(auditTrust(policy), "service-without-source", name);
  }
}

TEST(AuditServiceWithoutSource, SourceArnOfAnotherAccountIsHigh) {
  // AWS: aws:SourceArn names the resource that uses the role, account included; pinning it to an
  // account that is not ours hands the role to that account's resource (aws-semantics §9.3:
  // "pinning to another account (high)").
  // aws:SourceArn naming another account's resource pins the service to that account: high.
  const auto findings = auditTrust(
      trust(service("sns.amazonaws.com"),
            {{"ArnLike", {{"aws:SourceArn", "arn:aws:sns:us-east-1:" + kV + ":alerts"}}}}));
  expectFinding(findings, {"service-without-source", FindingSeverity::High, roleArn(kA, "Audited"),
                           "sns.amazonaws.com"});
}

// --- chain-to-admin ------------------------------------------------------------------------------

// kB user `dev` → kA/Bridge → kA/Admin (allowed "*"); `intra` in kA reaches Admin the same way.
Scenario adminChainWorld() {
  return Scenario()
      .user(userArn(kB, "dev"), json::array({allow("sts:AssumeRole")}))
      .user(userArn(kA, "intra"), json::array({allow("sts:AssumeRole")}))
      .role(roleArn(kA, "Bridge"),
            trust(aws(json::array({userArn(kB, "dev"), userArn(kA, "intra")}))),
            json::array({allow("sts:AssumeRole")}))
      .role(roleArn(kA, "Admin"), trust(aws(roleArn(kA, "Bridge"))), json::array({allow("*")}));
}

TEST(AuditChainToAdmin, CrossAccountChainToAdminIsHighForOurPrincipal) {
  // AWS: permissions do not accumulate along a chain; the last session has the admin role's rights,
  // which the starting user does not have.
  const auto findings = auditOf(adminChainWorld());
  const auto f = expectFinding(findings, {"chain-to-admin", FindingSeverity::High,
                                          roleArn(kA, "Admin"), userArn(kB, "dev")});
  ASSERT_TRUE(f.has_value());
  ASSERT_TRUE(f->statement.has_value());
  // The statement that admits the last hop: Admin's trust statement.
  EXPECT_EQ(f->statement->type, PolicyType::Trust) << f->statement->policy;
}

TEST(AuditChainToAdmin, ChainInsideOneAccountIsNotReported) {
  // The rule is about chains that cross accounts; `intra` and Bridge never leave kA.
  const auto findings = auditOf(adminChainWorld());
  EXPECT_FALSE(withRule(findings, "chain-to-admin").empty()) << show(findings);  // dev's chain
  for (const Finding& f : withRule(findings, "chain-to-admin")) {
    EXPECT_NE(f.principal, userArn(kA, "intra")) << show(findings);
    EXPECT_NE(f.principal, roleArn(kA, "Bridge")) << show(findings);
  }
}

TEST(AuditChainToAdmin, StartThatIsAlreadyAdminOfTheTargetAccountIsNotReported) {
  // `boss` administers kA already; a detour through kB back to kA's Admin gains nothing. The kB
  // role on the way does gain kA administrator rights.
  const auto findings = auditOf(Scenario()
                                    .user(userArn(kA, "boss"), json::array({allow("*")}))
                                    .role(roleArn(kB, "Detour"), trust(aws(userArn(kA, "boss"))),
                                          json::array({allow("sts:AssumeRole")}))
                                    .role(roleArn(kA, "Admin"), trust(aws(roleArn(kB, "Detour"))),
                                          json::array({allow("*")})));
  for (const Finding& f : withRule(findings, "chain-to-admin")) {
    EXPECT_NE(f.principal, userArn(kA, "boss")) << show(findings);
  }
  expectFinding(findings, {"chain-to-admin", FindingSeverity::High, roleArn(kA, "Admin"),
                           roleArn(kB, "Detour")});
}

TEST(AuditChainToAdmin, AdminOfAnotherAccountGainingThisOneIsReported) {
  // Administrator rights in kB do not include kA's IAM: reaching kA's Admin is an escalation.
  const auto findings = auditOf(
      Scenario()
          .user(userArn(kB, "boss"), json::array({allow("*")}))
          .role(roleArn(kA, "Admin"), trust(aws(userArn(kB, "boss"))), json::array({allow("*")})));
  expectFinding(findings, {"chain-to-admin", FindingSeverity::High, roleArn(kA, "Admin"),
                           userArn(kB, "boss")});
}

TEST(AuditChainToAdmin, ThirdPartyReachingAdminIsCritical) {
  // AWS: an outside account with the ExternalId reaches an administrator role of ours.
  const auto findings = auditOf(Scenario().role(roleArn(kA, "VendorAdmin"),
                                                trust(aws(rootArn(kV)), externalId(kVendorId)),
                                                json::array({allow("*")})));
  expectFinding(findings,
                {"chain-to-admin", FindingSeverity::Critical, roleArn(kA, "VendorAdmin"), kV});
}

TEST(AuditChainToAdmin, ServiceOrIdentityProviderOfOurAccountIsNotACrossAccountChain) {
  // A service or our own SAML provider using an admin role in our account crosses no account;
  // the service case is service-without-source's business.
  // A service or our own identity provider starts in the account of the role it assumes.
  const std::string saml = "arn:aws:iam::" + kA + ":saml-provider/Okta";
  const auto findings = auditOf(
      Scenario()
          .role(roleArn(kA, "LambdaAdmin"),
                trust(service("lambda.amazonaws.com"),
                      {{"StringEquals", {{"aws:SourceAccount", kA}}}}),
                json::array({allow("*")}))
          .provider(saml)
          .role(roleArn(kA, "SsoAdmin"),
                doc(json::array({trustStatement(
                    {{"Federated", saml}},
                    {{"StringEquals", {{"SAML:aud", "https://signin.aws.amazon.com/saml"}}}},
                    "sts:AssumeRoleWithSAML")})),
                json::array({allow("*")})));
  expectNoFinding(findings, "chain-to-admin");
}

// --- dangling-principal (§2.3) -------------------------------------------------------------------

TEST(AuditDanglingPrincipal, EachBrokenFormIsReported) {
  // AWS: a deleted entity shows as its bare unique id and matches nothing; an ARN of our account
  // with no entity, or a session name STS can never issue, matches nothing either.
  struct Case {
    std::string name;
    std::string principal;
  };
  const std::vector<Case> cases = {
      {"bare AROA id not held", "AROAGONEROLE00000001"},
      {"bare AIDA id not held", "AIDAGONEUSER00000001"},
      {"missing role of our account", roleArn(kA, "DeletedRole")},
      {"missing user of our account", userArn(kA, "deleted-user")},
      {"session name with spaces",
       "arn:aws:sts::" + kV + ":assumed-role/VendorRole/your session name here"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const auto findings = auditOf(Scenario()
                                      .role(roleArn(kA, "Audited"), trust(aws(c.principal)))
                                      .role(roleArn(kA, "Present"), trust(aws(kA)), json::array(),
                                            {{"id", "AROAPRESENTROLE00001"}}));
    expectFinding(findings, {"dangling-principal", FindingSeverity::Medium, roleArn(kA, "Audited"),
                             c.principal});
  }
}

TEST(AuditDanglingPrincipal, LivePrincipalsAreClean) {
  // AWS: a unique id still held by an entity, an existing role, a valid session name all match.
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"AROA id held", "AROAPRESENTROLE00001"},
      {"existing role", roleArn(kA, "Present")},
      {"valid session name", "arn:aws:sts::" + kV + ":assumed-role/VendorRole/vendor-session"},
      {"third-party role ARN", roleArn(kV, "VendorRole")},
  };
  for (const auto& [name, principal] : cases) {
    const auto findings = auditOf(Scenario()
                                      .role(roleArn(kA, "Audited"), trust(aws(principal)))
                                      .role(roleArn(kA, "Present"), trust(aws(kA)), json::array(),
                                            {{"id", "AROAPRESENTROLE00001"}}));
    expectNoFinding(findings, "dangling-principal", name);
  }
}

TEST(AuditDanglingPrincipal, RoleArnWithWrongPathOrCaseIsReported) {
  // AWS: a role ARN principal names the role with its real path and case (IAM stores its unique
  // id), so `role/team/Present` or `role/PRESENT` match no session of `role/Present`
  // (aws-semantics §2.2: flagged, never silently matched); the simulator refuses both.
  // AWS: a trust principal must name the role exactly (path and case).
  for (const std::string& principal : {roleArn(kA, "team/Present"), roleArn(kA, "PRESENT")}) {
    SCOPED_TRACE(principal);
    const auto findings = auditOf(Scenario()
                                      .role(roleArn(kA, "Audited"), trust(aws(principal)))
                                      .role(roleArn(kA, "Present"), trust(aws(kA))));
    expectFinding(findings, {"dangling-principal", FindingSeverity::Medium, roleArn(kA, "Audited"),
                             principal});
  }
}

TEST(AuditDanglingPrincipal, MisCasedUserArnIsReported) {
  // AWS: user ARNs compare case-sensitively; `user/Alice` is not `user/alice`.
  const auto findings = auditOf(Scenario()
                                    .role(roleArn(kA, "Audited"), trust(aws(userArn(kA, "Alice"))))
                                    .user(userArn(kA, "alice")));
  expectFinding(findings, {"dangling-principal", FindingSeverity::Medium, roleArn(kA, "Audited"),
                           userArn(kA, "Alice")});
}

// --- account-root-trust (§2.2, §9.4) -------------------------------------------------------------

TEST(AuditAccountRootTrust, OurAccountIsInfoWithCountOfModelledPrincipals) {
  // AWS: trusting an account root delegates to its identity policies: here two of three users allow
  // themselves sts:AssumeRole on the role.
  const std::string target = roleArn(kA, "Shared");
  const auto findings =
      auditOf(Scenario()
                  .role(target, trust(aws(rootArn(kB))))
                  .user(userArn(kB, "alice"), json::array({allow("sts:AssumeRole", target)}))
                  .user(userArn(kB, "bob"), json::array({allow("sts:AssumeRole")}))
                  .user(userArn(kB, "carol"), json::array({allow("s3:GetObject")})));
  const auto f =
      expectFinding(findings, {"account-root-trust", FindingSeverity::Info, target, rootArn(kB)});
  ASSERT_TRUE(f.has_value());
  EXPECT_NE(f->message.find("2 of its modelled principals"), std::string::npos) << f->message;
}

TEST(AuditAccountRootTrust, ThirdPartyAccountIsLowAndNamesTheVendor) {
  // AWS: a bare account id means the same as its root ARN: the whole account.
  const auto findings = auditTrust(trust(aws(kDatadog), externalId(kVendorId)));
  const auto f = expectFinding(
      findings, {"account-root-trust", FindingSeverity::Low, roleArn(kA, "Audited"), kDatadog});
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->vendor, "Datadog");
}

TEST(AuditAccountRootTrust, NamedRoleIsNotAccountTrust) {
  // AWS: a role ARN principal admits only that role's sessions.
  const auto findings = auditTrust(trust(aws(roleArn(kV, "Connector")), externalId(kVendorId)));
  expectNoFinding(findings, "account-root-trust");
}

// --- Vendors and order ---------------------------------------------------------------------------

TEST(AuditVendors, NamesComeFromKnownAccountsAndOverlay) {
  // Datadog is in the pinned known_aws_accounts list; Trelica only in our overlay.
  const auto findings = auditOf(Scenario()
                                    .role(roleArn(kA, "Datadog"), trust(aws(rootArn(kDatadog))))
                                    .role(roleArn(kA, "Trelica"), trust(aws(rootArn(kTrelica)))));
  const auto datadog = expectFinding(findings, {"no-external-id", FindingSeverity::High,
                                                roleArn(kA, "Datadog"), rootArn(kDatadog)});
  const auto trelica = expectFinding(findings, {"no-external-id", FindingSeverity::High,
                                                roleArn(kA, "Trelica"), rootArn(kTrelica)});
  ASSERT_TRUE(datadog && trelica);
  EXPECT_EQ(datadog->vendor, "Datadog");
  EXPECT_EQ(trelica->vendor, "Trelica");
  EXPECT_NE(datadog->message.find("Datadog"), std::string::npos) << datadog->message;
}

TEST(AuditVendors, ScenarioVendorEntryWinsOverBundledName) {
  const auto findings = auditOf(Scenario()
                                    .vendor({{"name", "Our Datadog Tenant"}, {"account", kDatadog}})
                                    .role(roleArn(kA, "Datadog"), trust(aws(rootArn(kDatadog)))));
  const auto f = expectFinding(findings, {"no-external-id", FindingSeverity::High,
                                          roleArn(kA, "Datadog"), rootArn(kDatadog)});
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->vendor, "Our Datadog Tenant");
}

// A world in which every rule fires at least once.
Scenario everyRuleWorld() {
  return adminChainWorld()
      .role(roleArn(kA, "Public"), trust("*"))
      .role(roleArn(kA, "NoId"), trust(aws(rootArn(kV))))
      .role(roleArn(kA, "Weak"), trust(aws(rootArn(kW)), externalId("*", "StringLike")))
      .vendor({{"name", "Microtica"},
               {"account", "777777777777"},
               {"externalId", {{"issuedBy", "customer"}, {"value", "shared-value-77aa11bb22"}}}})
      .role(roleArn(kA, "Chosen"),
            trust(aws(rootArn("777777777777")), externalId("shared-value-77aa11bb22")))
      .role(roleArn(kA, "SharedToo"),
            trust(aws(rootArn(kDatadog)), externalId("shared-value-77aa11bb22")))
      .role(roleArn(kA, "Lambda"), trust(service("lambda.amazonaws.com")))
      .role(roleArn(kA, "Dangling"), trust(aws("AROAGONEROLE00000001")))
      .user("arn:aws:iam::" + std::string(kA) + ":user/vendor-keys")
      .vendor({{"name", "OldVendor"},
               {"account", "666666666666"},
               {"principals", {"arn:aws:iam::" + std::string(kA) + ":user/vendor-keys"}}});
}

// A vendor that calls as one of our IAM users holds its long-term keys.
TEST(AuditVendorAccessKeys, VendorCallingAsOurUserIsHigh) {
  const auto findings = auditOf(everyRuleWorld());
  const auto found = withRule(findings, "vendor-access-keys");
  ASSERT_EQ(found.size(), 1u) << show(findings);
  EXPECT_EQ(found[0].severity, FindingSeverity::High);
  EXPECT_EQ(found[0].vendor, "OldVendor");
  EXPECT_FALSE(found[0].fix.empty());
}

TEST(AuditOrder, EveryRuleFiresInOneWorld) {
  const auto findings = auditOf(everyRuleWorld());
  for (const RuleInfo& r : findingRules()) {
    EXPECT_FALSE(withRule(findings, std::string(r.id)).empty()) << r.id << "\n" << show(findings);
  }
}

TEST(AuditOrder, FindingsAreSortedAndDeterministic) {
  // Documented order: severity (highest first), rule, resource, statement index.
  const Scenario scenario = everyRuleWorld();
  const Simulator sim = scenario.build();
  const TrustGraph graph = TrustGraph::build(sim);
  const std::vector<Finding> first = audit(graph);
  const std::vector<Finding> second = audit(graph);
  EXPECT_EQ(first, second);
  // A second build of the same world gives the same findings.
  EXPECT_EQ(first, auditOf(scenario));
  for (std::size_t i = 1; i < first.size(); ++i) {
    const Finding& a = first[i - 1];
    const Finding& b = first[i];
    const auto key = [](const Finding& f) {
      return std::make_tuple(-static_cast<int>(f.severity), f.rule, f.resource,
                             f.statement ? f.statement->index : 0);
    };
    EXPECT_LE(key(a), key(b)) << "out of order at " << i << "\n" << show(first);
  }
  // No duplicates.
  for (std::size_t i = 1; i < first.size(); ++i) {
    EXPECT_FALSE(first[i - 1] == first[i]) << i;
  }
}

}  // namespace
}  // namespace trustsim
