// SPDX-License-Identifier: Apache-2.0
// The organisation reader: the combined trustsim-organization/1 file, its tree checks, and the
// refusal of raw single-command outputs.
#include "load/organizations.h"

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "parse/json_reader.h"
#include "test_util.h"

namespace trustsim {
namespace {

using nlohmann::json;
using testing::hasCode;

const std::string kFixture =
    std::string(TRUSTSIM_SOURCE_DIR) + "/tests/fixtures/organizations/org_o-exampleorg1.json";

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << path;
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

Result<World> loadText(const std::string& text, const std::string& file = "org.json") {
  auto doc = parse::readJson(text, file);
  if (!doc) return doc.error();
  return load::loadOrganization(doc.value(), file);
}

const World& fixture() {
  static const Result<World> r = loadText(readFile(kFixture), "org_o-exampleorg1.json");
  EXPECT_TRUE(r.has_value()) << (r ? "" : testing::dump(r.error()));
  static const World empty;
  return r ? r.value() : empty;
}

using Ids = std::vector<std::string>;

TEST(OrganizationFixture, BuildsTheTree) {
  const World& w = fixture();
  ASSERT_TRUE(w.organization.has_value());
  const Organization& org = *w.organization;
  EXPECT_EQ(org.id, "o-exampleorg1");
  EXPECT_EQ(org.management_account, "111122223333");
  EXPECT_EQ(org.root, "r-ab12");
  EXPECT_TRUE(org.scps_enabled);
  EXPECT_TRUE(org.rcps_enabled);
  EXPECT_EQ(org.origin.file, "org_o-exampleorg1.json");
  EXPECT_EQ(org.nodes.size(), 8u);  // root, 3 OUs, 4 accounts

  // Each node's parent, and the parent chain root → Workloads → Prod → prod-app.
  const struct {
    const char* id;
    const char* name;
    const char* parent;
  } nodes[] = {
      {"r-ab12", "Root", ""},
      {"ou-ab12-workload1", "Workloads", "r-ab12"},
      {"ou-ab12-prodprod1", "Prod", "ou-ab12-workload1"},
      {"ou-ab12-sandbox01", "Sandbox", "r-ab12"},
      {"111122223333", "management", "r-ab12"},
      {"222233334444", "shared-services", "ou-ab12-workload1"},
      {"444455556666", "prod-app", "ou-ab12-prodprod1"},
      {"777788889999", "sandbox", "ou-ab12-sandbox01"},
  };
  for (const auto& n : nodes) {
    ASSERT_TRUE(org.nodes.contains(n.id)) << n.id;
    const OrgNode& node = org.nodes.at(n.id);
    EXPECT_EQ(node.id, n.id);
    EXPECT_EQ(node.name, n.name) << n.id;
    EXPECT_EQ(node.parent, n.parent) << n.id;
  }
}

TEST(OrganizationFixture, AttachesPoliciesPerNode) {
  const Organization& org = *fixture().organization;
  const struct {
    const char* node;
    Ids scps;
    Ids rcps;
  } cases[] = {
      {"r-ab12", {"p-FullAWSAccess"}, {"p-RCPFullAWSAccess", "p-rcporgonly1"}},
      {"ou-ab12-workload1", {"p-FullAWSAccess", "p-denyleave1"}, {"p-RCPFullAWSAccess"}},
      {"ou-ab12-prodprod1", {"p-FullAWSAccess"}, {"p-RCPFullAWSAccess"}},
      {"444455556666", {"p-FullAWSAccess"}, {"p-RCPFullAWSAccess"}},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(org.nodes.at(c.node).scps, c.scps) << c.node;
    EXPECT_EQ(org.nodes.at(c.node).rcps, c.rcps) << c.node;
  }
  ASSERT_EQ(org.policies.size(), 4u);
  const struct {
    const char* id;
    const char* name;
    PolicyKind kind;
    Effect effect;
  } policies[] = {
      {"p-FullAWSAccess", "FullAWSAccess", PolicyKind::Scp, Effect::Allow},
      {"p-denyleave1", "DenyLeaveOrganization", PolicyKind::Scp, Effect::Deny},
      {"p-RCPFullAWSAccess", "RCPFullAWSAccess", PolicyKind::Rcp, Effect::Allow},
      {"p-rcporgonly1", "EnforceOrgIdentities", PolicyKind::Rcp, Effect::Deny},
  };
  for (const auto& p : policies) {
    const NamedPolicy& np = org.policies.at(p.id);
    EXPECT_EQ(np.name, p.name) << p.id;
    EXPECT_EQ(np.policy.kind, p.kind) << p.id;
    ASSERT_EQ(np.policy.statements.size(), 1u) << p.id;
    EXPECT_EQ(np.policy.statements[0].effect, p.effect) << p.id;
    EXPECT_TRUE(np.policy.diagnostics.empty()) << p.id << "\n" << testing::dump(np.policy.diagnostics);
  }
  EXPECT_EQ(org.policies.at("p-denyleave1").policy.statements[0].where, "/policies/1/Content/Statement/0");
}

TEST(OrganizationFixture, AccountsAreOursWithTheirNames) {
  const World& w = fixture();
  ASSERT_EQ(w.accounts.size(), 4u);
  const struct {
    const char* id;
    const char* name;
    const char* where;
  } accounts[] = {
      {"111122223333", "management", "/accounts/0"},
      {"222233334444", "shared-services", "/accounts/1"},
      {"444455556666", "prod-app", "/accounts/2"},
      {"777788889999", "sandbox", "/accounts/3"},
  };
  for (const auto& a : accounts) {
    const Account& acc = w.accounts.at(a.id);
    EXPECT_EQ(acc.name, a.name);
    EXPECT_TRUE(acc.ours) << a.id;
    EXPECT_EQ(acc.partition, "aws");
    EXPECT_EQ(acc.origin.where, a.where);
  }
  EXPECT_TRUE(w.diagnostics.empty()) << testing::dump(w.diagnostics);
}

// A small valid file; tests edit one part of it.
json minimal() {
  return json::parse(R"({
    "format": "trustsim-organization/1",
    "organization": {"Id": "o-exampleorg1", "FeatureSet": "ALL", "MasterAccountId": "111122223333"},
    "roots": [{"Id": "r-ab12", "Name": "Root", "PolicyTypes": [{"Type": "SERVICE_CONTROL_POLICY", "Status": "ENABLED"}]}],
    "organizationalUnits": [
      {"Id": "ou-ab12-aaaaaaa1", "Name": "L1", "ParentId": "r-ab12"},
      {"Id": "ou-ab12-aaaaaaa2", "Name": "L2", "ParentId": "ou-ab12-aaaaaaa1"}],
    "accounts": [
      {"Id": "111122223333", "Name": "management", "Status": "ACTIVE", "ParentId": "r-ab12"},
      {"Id": "444455556666", "Name": "workload", "State": "ACTIVE", "ParentId": "ou-ab12-aaaaaaa2"}],
    "policies": [
      {"PolicySummary": {"Id": "p-FullAWSAccess", "Name": "FullAWSAccess", "Type": "SERVICE_CONTROL_POLICY", "AwsManaged": true},
       "Content": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}",
       "Targets": [{"TargetId": "r-ab12", "Type": "ROOT"}]}]
  })");
}

Result<World> loadJson(const json& doc) { return load::loadOrganization(doc, "org.json"); }

TEST(Organization, MinimalFileLoads) {
  const auto r = loadJson(minimal());
  ASSERT_TRUE(r.has_value()) << testing::dump(r.error());
  EXPECT_TRUE(r.value().organization->scps_enabled);
  EXPECT_FALSE(r.value().organization->rcps_enabled);
}

TEST(Organization, EnabledPolicyTypes) {
  const struct {
    const char* name;
    const char* feature_set;
    json types;
    bool scps;
    bool rcps;
  } cases[] = {
      {"none listed", "ALL", json::array(), false, false},
      {"RCP only", "ALL", json::parse(R"([{"Type":"RESOURCE_CONTROL_POLICY","Status":"ENABLED"}])"), false, true},
      {"pending", "ALL", json::parse(R"([{"Type":"SERVICE_CONTROL_POLICY","Status":"PENDING_ENABLE"}])"), false, false},
      {"both", "ALL", json::parse(R"([{"Type":"SERVICE_CONTROL_POLICY","Status":"ENABLED"},{"Type":"RESOURCE_CONTROL_POLICY","Status":"ENABLED"}])"), true, true},
      {"consolidated billing", "CONSOLIDATED_BILLING", json::parse(R"([{"Type":"SERVICE_CONTROL_POLICY","Status":"ENABLED"}])"), false, false},
  };
  for (const auto& c : cases) {
    json doc = minimal();
    doc["organization"]["FeatureSet"] = c.feature_set;
    doc["roots"][0]["PolicyTypes"] = c.types;
    const auto r = loadJson(doc);
    ASSERT_TRUE(r.has_value()) << c.name << "\n" << testing::dump(r.error());
    EXPECT_EQ(r.value().organization->scps_enabled, c.scps) << c.name;
    EXPECT_EQ(r.value().organization->rcps_enabled, c.rcps) << c.name;
  }
}

// One org.* code: an edit of the minimal file (an RFC 6902 JSON Patch), the code, its
// pointer, and whether the load fails.
struct CodeCase {
  const char* code;
  const char* patch;  // applied to minimal()
  const char* where;
  bool fails;
};

TEST(Organization, EveryCodeWithItsPointer) {
  const CodeCase cases[] = {
      {"org.unknown_format", R"([{"op":"replace","path":"/format","value":"trustsim-organization/2"}])", "/format", true},
      {"org.wrong_type", R"([{"op":"replace","path":"/accounts","value":{}}])", "/accounts", true},
      {"org.wrong_type", R"([{"op":"replace","path":"/accounts/1","value":"444455556666"}])", "/accounts/1", true},
      {"org.wrong_type", R"([{"op":"replace","path":"/policies/0/Content","value":{"Statement":[]}}])", "/policies/0/Content", true},
      {"org.wrong_type", R"([{"op":"replace","path":"/policies/0/PolicySummary/AwsManaged","value":"yes"}])", "/policies/0/PolicySummary/AwsManaged", true},
      {"org.missing_field", R"([{"op":"remove","path":"/organization"}])", "/organization", true},
      {"org.missing_field", R"([{"op":"remove","path":"/accounts/1/ParentId"}])", "/accounts/1/ParentId", true},
      {"org.missing_field", R"([{"op":"remove","path":"/policies/0/Targets/0/TargetId"}])", "/policies/0/Targets/0/TargetId", true},
      {"org.invalid_id", R"([{"op":"replace","path":"/organization/Id","value":"org-1"}])", "/organization/Id", true},
      {"org.invalid_id", R"([{"op":"replace","path":"/accounts/1/Id","value":"4444"}])", "/accounts/1/Id", true},
      {"org.invalid_id", R"([{"op":"replace","path":"/organizationalUnits/0/Id","value":"r-ab12"}])", "/organizationalUnits/0/Id", true},
      {"org.invalid_id", R"([{"op":"replace","path":"/policies/0/PolicySummary/Id","value":"FullAWSAccess"}])", "/policies/0/PolicySummary/Id", true},
      {"org.root_count", R"([{"op":"add","path":"/roots/-","value":{"Id":"r-cd34"}}])", "/roots", true},
      {"org.root_count", R"([{"op":"replace","path":"/roots","value":[]}])", "/roots", true},
      {"org.duplicate_id", R"([{"op":"add","path":"/organizationalUnits/-","value":{"Id":"ou-ab12-aaaaaaa1","ParentId":"r-ab12"}}])", "/organizationalUnits/2/Id", true},
      {"org.duplicate_id", R"([{"op":"add","path":"/policies/-","value":{"PolicySummary":{"Id":"p-FullAWSAccess","Type":"SERVICE_CONTROL_POLICY"},"Content":"{}"}}])", "/policies/1/PolicySummary/Id", true},
      {"org.unknown_parent", R"([{"op":"replace","path":"/accounts/1/ParentId","value":"ou-ab12-zzzzzzzz"}])", "/accounts/1/ParentId", true},
      {"org.unknown_parent", R"([{"op":"replace","path":"/organizationalUnits/1/ParentId","value":"111122223333"}])", "/organizationalUnits/1/ParentId", true},
      {"org.cycle", R"([{"op":"replace","path":"/organizationalUnits/0/ParentId","value":"ou-ab12-aaaaaaa2"}])", "/organizationalUnits/0/ParentId", true},
      {"org.cycle", R"([{"op":"replace","path":"/organizationalUnits/1/ParentId","value":"ou-ab12-aaaaaaa2"}])", "/organizationalUnits/1/ParentId", true},
      {"org.too_deep", R"([
         {"op":"add","path":"/organizationalUnits/-","value":{"Id":"ou-ab12-aaaaaaa3","ParentId":"ou-ab12-aaaaaaa2"}},
         {"op":"add","path":"/organizationalUnits/-","value":{"Id":"ou-ab12-aaaaaaa4","ParentId":"ou-ab12-aaaaaaa3"}},
         {"op":"add","path":"/organizationalUnits/-","value":{"Id":"ou-ab12-aaaaaaa5","ParentId":"ou-ab12-aaaaaaa4"}},
         {"op":"add","path":"/organizationalUnits/-","value":{"Id":"ou-ab12-aaaaaaa6","ParentId":"ou-ab12-aaaaaaa5"}}])",
       "/organizationalUnits/5", true},
      {"org.unknown_target", R"([{"op":"add","path":"/policies/0/Targets/-","value":{"TargetId":"999999999999","Type":"ACCOUNT"}}])", "/policies/0/Targets/1/TargetId", true},
      {"org.invalid_document", R"([{"op":"replace","path":"/policies/0/Content","value":"{\"Statement\": ["}])", "/policies/0/Content", false},
      {"org.unsupported_policy", R"([{"op":"add","path":"/policies/-","value":{"PolicySummary":{"Id":"p-tagpolicy1","Type":"TAG_POLICY"},"Content":"{}"}}])", "/policies/1/PolicySummary/Type", false},
      {"org.unknown_management_account", R"([{"op":"remove","path":"/accounts/0"}])", "/organization/MasterAccountId", false},
      {"parse.not_principal_in_rcp", R"([{"op":"add","path":"/policies/-","value":{"PolicySummary":{"Id":"p-rcpbroken1","Type":"RESOURCE_CONTROL_POLICY"},
         "Content":"{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Deny\",\"NotPrincipal\":{\"AWS\":\"111122223333\"},\"Action\":\"s3:*\",\"Resource\":\"*\"}}"}}])",
       "/policies/1/Content/Statement/NotPrincipal", false},
  };
  for (const CodeCase& c : cases) {
    const json doc = minimal().patch(json::parse(c.patch));
    const auto r = loadJson(doc);
    const Diagnostics& d = r ? r.value().diagnostics : r.error();
    EXPECT_EQ(r.has_value(), !c.fails) << c.code << " after " << c.patch << "\n" << testing::dump(d);
    EXPECT_TRUE(hasCode(d, c.code, c.where)) << c.code << " at " << c.where << " after " << c.patch
                                             << "\n" << testing::dump(d);
    for (const Diagnostic& diag : d) {
      if (diag.code == c.code) {
        EXPECT_EQ(diag.severity, c.fails ? Severity::Error : Severity::Warning) << c.code;
        EXPECT_EQ(diag.file, "org.json") << c.code;
      }
    }
  }
}

TEST(Organization, CycleIsReportedOnce) {
  const json doc = minimal().patch(json::parse(
      R"([{"op":"replace","path":"/organizationalUnits/0/ParentId","value":"ou-ab12-aaaaaaa2"}])"));
  const auto r = loadJson(doc);
  ASSERT_FALSE(r.has_value());
  int cycles = 0;
  for (const Diagnostic& d : r.error()) cycles += d.code == "org.cycle";
  EXPECT_EQ(cycles, 1) << testing::dump(r.error());
}

TEST(Organization, InvalidContentIsKeptAsAnEmptyPolicy) {
  const json doc = minimal().patch(
      json::parse(R"([{"op":"replace","path":"/policies/0/Content","value":"not json"}])"));
  const auto r = loadJson(doc);
  ASSERT_TRUE(r.has_value()) << testing::dump(r.error());
  const NamedPolicy& p = r.value().organization->policies.at("p-FullAWSAccess");
  EXPECT_EQ(p.policy.kind, PolicyKind::Scp);
  EXPECT_TRUE(p.policy.statements.empty());
  EXPECT_TRUE(hasCode(p.policy.diagnostics, "org.invalid_document", "/policies/0/Content"));
  EXPECT_EQ(r.value().organization->nodes.at("r-ab12").scps, Ids{"p-FullAWSAccess"});
}

TEST(Organization, ReportsEveryErrorNotOnlyTheFirst) {
  const json doc = minimal().patch(json::parse(R"([
    {"op":"replace","path":"/accounts/0/ParentId","value":"ou-ab12-nowhere1"},
    {"op":"replace","path":"/accounts/1/Id","value":"12"},
    {"op":"add","path":"/policies/0/Targets/-","value":{"TargetId":"ou-ab12-nowhere2"}}])"));
  const auto r = loadJson(doc);
  ASSERT_FALSE(r.has_value());
  EXPECT_TRUE(hasCode(r.error(), "org.unknown_parent", "/accounts/0/ParentId"));
  EXPECT_TRUE(hasCode(r.error(), "org.invalid_id", "/accounts/1/Id"));
  EXPECT_TRUE(hasCode(r.error(), "org.unknown_target", "/policies/0/Targets/1/TargetId"));
}

// Outputs of single commands: refused with org.raw_output at the key that gave them away.
TEST(Organization, RawOutputsAreRefused) {
  const struct {
    const char* command;
    const char* output;
    const char* where;
  } cases[] = {
      {"list-roots", R"({"Roots":[{"Id":"r-ab12","Arn":"arn:aws:organizations::111122223333:root/o-exampleorg1/r-ab12","Name":"Root","PolicyTypes":[]}]})", "/Roots"},
      {"list-accounts-for-parent", R"({"Accounts":[{"Id":"444455556666","Name":"prod","Status":"ACTIVE"}]})", "/Accounts"},
      {"list-organizational-units-for-parent", R"({"OrganizationalUnits":[{"Id":"ou-ab12-aaaaaaa1","Name":"L1"}]})", "/OrganizationalUnits"},
      {"list-parents", R"({"Parents":[{"Id":"r-ab12","Type":"ROOT"}]})", "/Parents"},
      {"list-children", R"({"Children":[]})", "/Children"},
      {"list-targets-for-policy", R"({"Targets":[{"TargetId":"r-ab12","Type":"ROOT"}]})", "/Targets"},
      {"describe-organization", R"({"Organization":{"Id":"o-exampleorg1","MasterAccountId":"111122223333"}})", "/Organization"},
      {"describe-policy", R"({"Policy":{"PolicySummary":{"Id":"p-FullAWSAccess"},"Content":"{}"}})", "/Policy"},
      {"list-policies", R"({"Policies":[{"Id":"p-FullAWSAccess","Type":"SERVICE_CONTROL_POLICY","AwsManaged":true}]})", "/Policies"},
  };
  for (const auto& c : cases) {
    const json doc = json::parse(c.output);
    EXPECT_TRUE(load::looksLikeOrganization(doc)) << c.command;
    const auto r = loadJson(doc);
    ASSERT_FALSE(r.has_value()) << c.command;
    ASSERT_EQ(r.error().size(), 1u) << c.command << "\n" << testing::dump(r.error());
    EXPECT_EQ(r.error()[0].code, "org.raw_output") << c.command;
    EXPECT_EQ(r.error()[0].where, c.where) << c.command;
    EXPECT_NE(r.error()[0].message.find("collect-org.sh"), std::string::npos) << c.command;
  }
}

TEST(Organization, LooksLikeOrganization) {
  const struct {
    const char* input;
    bool org;
  } cases[] = {
      {R"({"format":"trustsim-organization/1"})", true},
      {R"({"format":"trustsim-organization/9"})", true},  // then refused as org.unknown_format
      {R"({"organization":{},"roots":[]})", true},
      {R"({"format":"trustsim-scenario/1"})", false},
      {R"({"UserDetailList":[]})", false},
      {R"({"Policies":[{"PolicyName":"p","PolicyVersionList":[]}]})", false},  // GAAD
      {R"({"Policies":[{"PolicyName":"p","DefaultVersionId":"v1"}]})", false},  // iam list-policies
      {R"({"Roots":{}})", false},
      {R"([])", false},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(load::looksLikeOrganization(json::parse(c.input)), c.org) << c.input;
  }
}

}  // namespace
}  // namespace trustsim
