// SPDX-License-Identifier: Apache-2.0
// The Terraform reader: `terraform show -json` plans (both sides) and state, with modules,
// count/for_each, values known only after apply, references through the configuration, destroyed
// objects, changes to earlier inputs (WorldEdits), every terraform.* code with its pointer, and
// end-to-end `trustsim diff --plan` runs of the real binary.
#include "load/terraform.h"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "load/terraform_internal.h"
#include "load/world_loader.h"
#include "parse/json_reader.h"
#include "report/findings_report.h"
#include "test_util.h"
#include "trustsim/graph.h"
#include "trustsim/questions.h"
#include "trustsim/simulator.h"

namespace trustsim {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::hasCode;

const fs::path kRoot = TRUSTSIM_SOURCE_DIR;
const std::string kPlatform = "docs/examples/terraform/platform.plan.json";
const std::string kPlatformState = "tests/fixtures/terraform/platform.state.json";
const std::string kOrg = "docs/examples/terraform/org.json";
const std::string kTrelica = "scenarios/iac/trelica.plan.json";
const std::string kA = "111122223333";
const std::string kRole = "arn:aws:iam::111122223333:role/";

std::string readFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Reads repository files, plus in-memory ones (`mem:NAME`) for the error cases.
FileReader reader(std::map<std::string, std::string> memory = {}) {
  return [memory](const std::string& path, std::string& error) -> std::optional<std::string> {
    if (const auto it = memory.find(path); it != memory.end()) return it->second;
    if (!fs::exists(kRoot / path)) {
      error = "no such file";
      return std::nullopt;
    }
    return readFile(kRoot / path);
  };
}

LoadOptions side(PlanSide s, const std::string& account = "") {
  LoadOptions o;
  o.plan_side = s;
  o.account = account;
  return o;
}

World loadOk(const std::vector<std::string>& files, const LoadOptions& options = {},
             const FileReader& read = reader()) {
  auto w = loadWorld(files, read, options);
  EXPECT_TRUE(w.has_value()) << (w ? "" : testing::dump(w.error()));
  return w ? std::move(w).value() : World{};
}

// loadTerraform on a document given as JSON text (its own World, before any merge).
Result<World> loadText(const std::string& text, const LoadOptions& options = {}) {
  auto doc = parse::readJson(text, "plan.json");
  if (!doc) return doc.error();
  return load::loadTerraform(doc.value(), "plan.json", options);
}

Simulator simulator(World world) {
  auto sim = Simulator::build(std::move(world));
  EXPECT_TRUE(sim.has_value()) << (sim ? "" : testing::dump(sim.error()));
  return std::move(sim).value();
}

// Who may assume `role`, each as "CALLER" or "CALLER [requirements]".
std::set<std::string> whoCanAssume(const World& world, const std::string& role) {
  const Simulator sim = simulator(world);
  const TrustGraph g = TrustGraph::build(sim);
  std::set<std::string> out;
  for (const WhoCan& w : whoCan(g, "sts:AssumeRole", role)) {
    std::string s = g.nodes()[w.start].id;
    for (const Requirement& r : w.requirements) s += " [" + r.text + "]";
    out.insert(s);
  }
  return out;
}

std::vector<std::string> names(const std::vector<NamedPolicy>& policies) {
  std::vector<std::string> out;
  for (const NamedPolicy& p : policies) out.push_back(p.name);
  return out;
}

const World& platformAfter() {
  static const World w = loadOk({kPlatform}, side(PlanSide::After));
  return w;
}

const World& platformBefore() {
  static const World w = loadOk({kPlatform}, side(PlanSide::Before));
  return w;
}

// --- detection ---------------------------------------------------------------------------------

TEST(TerraformDetect, PlansStatesAndRawStateFiles) {
  struct Case {
    const char* doc;
    bool terraform, plan;
  };
  const Case cases[] = {
      {R"({"format_version":"1.2","terraform_version":"1.7.5","planned_values":{},"resource_changes":[]})",
       true, true},
      {R"({"format_version":"1.2","prior_state":{}})", true, true},
      {R"({"format_version":"1.0","terraform_version":"1.7.5","values":{"root_module":{}}})", true,
       false},
      {R"({"format_version":"1.0","terraform_version":"1.7.5"})", true, false},
      {R"({"version":4,"terraform_version":"1.7.5","serial":3,"lineage":"l","outputs":{},"resources":[]})",
       true, false},
      {R"({"format_version":"1.0","provider_schemas":{}})", false, false},
      {R"({"roles":[]})", false, false},
      {R"([])", false, false},
  };
  for (const Case& c : cases) {
    const json doc = json::parse(c.doc);
    EXPECT_EQ(load::looksLikeTerraform(doc), c.terraform) << c.doc;
    EXPECT_EQ(load::isTerraformPlan(doc), c.plan) << c.doc;
  }
}

TEST(TerraformAddress, InstanceKeysAndPlaceholders) {
  EXPECT_EQ(load::tf::withoutInstanceKeys("module.vendor[0].module.boundary"),
            "module.vendor.module.boundary");
  EXPECT_EQ(load::tf::withoutInstanceKeys(R"(module.a["x]y"].module.b["q\"]"])"),
            "module.a.module.b");
  EXPECT_EQ(load::tf::placeholderName("scratch-", R"(module.m["a/b"].aws_iam_role.r)"),
            R"(scratch-(known after apply: module.m["a_b"].aws_iam_role.r))");
}

// --- the After side of a plan ------------------------------------------------------------------

TEST(TerraformPlan, AfterSideHasWhatThePlanLeaves) {
  const World& w = platformAfter();
  for (const char* r : {"ci/deployer", "team-audit", "team-data", "vendors/acme-vendor",
                        "scratch-(known after apply: aws_iam_role.scratch)"}) {
    EXPECT_TRUE(w.roles.contains(kRole + r)) << r;
  }
  EXPECT_FALSE(w.roles.contains(kRole + "legacy-vendor")) << "destroyed by the plan";
  EXPECT_TRUE(w.users.contains("arn:aws:iam::111122223333:user/people/alice"));
  EXPECT_TRUE(w.users.contains("arn:aws:iam::111122223333:user/people/bob"));
  EXPECT_TRUE(w.groups.contains("arn:aws:iam::111122223333:group/admins"));
  EXPECT_TRUE(w.policies.contains("arn:aws:iam::111122223333:policy/deploy"));
  EXPECT_TRUE(w.policies.contains("arn:aws:iam::111122223333:policy/boundaries/vendor-boundary"));
  EXPECT_TRUE(w.identity_providers.contains(
      "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"));
  ASSERT_EQ(w.accounts.size(), 1u);
  EXPECT_TRUE(w.accounts.at(kA).ours);
}

TEST(TerraformPlan, EveryEntityNamesItsResourceAddress) {
  const World& w = platformAfter();
  struct Case {
    std::string arn, address, where;
  };
  const Case cases[] = {
      {kRole + "vendors/acme-vendor", "module.vendor[0].aws_iam_role.this", "/resource_changes/28"},
      {kRole + "team-data", R"(aws_iam_role.team["data"])", "/resource_changes/5"},
      {kRole + "ci/deployer", "aws_iam_role.ci", "/resource_changes/1"},
  };
  for (const Case& c : cases) {
    ASSERT_TRUE(w.roles.contains(c.arn)) << c.arn;
    const Origin& o = w.roles.at(c.arn).origin;
    EXPECT_EQ(o.address, c.address);
    EXPECT_EQ(o.where, c.where);
    EXPECT_EQ(o.file, kPlatform);
  }
  EXPECT_EQ(
      w.policies.at("arn:aws:iam::111122223333:policy/boundaries/vendor-boundary").origin.address,
      "module.vendor[0].module.boundary.aws_iam_policy.this");
  EXPECT_EQ(w.resources.at("arn:aws:s3:::acme-artifacts").origin.address,
            "aws_s3_bucket_policy.artifacts");
}

TEST(TerraformPlan, UnknownReferencesResolveThroughTheConfiguration) {
  const World& w = platformAfter();
  // policy_arn = aws_iam_policy.deploy.arn (unknown until apply) → the policy the plan creates.
  EXPECT_EQ(w.roles.at(kRole + "ci/deployer").managed_policies,
            std::vector<std::string>{"arn:aws:iam::111122223333:policy/deploy"});
  // bucket = aws_s3_bucket.artifacts.id (unknown) → the bucket named in the configuration.
  ASSERT_TRUE(w.resources.contains("arn:aws:s3:::acme-artifacts"));
  const Resource& bucket = w.resources.at("arn:aws:s3:::acme-artifacts");
  EXPECT_EQ(bucket.account, kA);
  ASSERT_TRUE(bucket.policy);
  EXPECT_EQ(bucket.policy->policy.statements.size(), 1u);
}

TEST(TerraformPlan, RelationsBecomePoliciesAndMemberships) {
  const World& w = platformAfter();
  const User& alice = w.users.at("arn:aws:iam::111122223333:user/people/alice");
  const User& bob = w.users.at("arn:aws:iam::111122223333:user/people/bob");
  EXPECT_EQ(alice.groups, std::vector<std::string>{"admins"});
  EXPECT_EQ(names(alice.inline_policies), std::vector<std::string>{"self-service"});
  EXPECT_EQ(bob.groups, std::vector<std::string>{"auditors"});
  EXPECT_EQ(bob.managed_policies,
            std::vector<std::string>{"arn:aws:iam::aws:policy/ReadOnlyAccess"});
  EXPECT_EQ(names(w.groups.at("arn:aws:iam::111122223333:group/admins").inline_policies),
            std::vector<std::string>{"admin"});
  EXPECT_EQ(w.groups.at("arn:aws:iam::111122223333:group/auditors").managed_policies,
            std::vector<std::string>{"arn:aws:iam::111122223333:policy/audit"});
  // The role's own inline_policy attribute (computed) and aws_iam_role_policy name the same policy
  // once.
  EXPECT_EQ(names(w.roles.at(kRole + "vendors/acme-vendor").inline_policies),
            std::vector<std::string>{"read"});
}

TEST(TerraformPlan, KeyWithoutPolicyGetsTheDefaultKeyPolicy) {
  const World& w = platformAfter();
  const std::string key =
      "arn:aws:kms:eu-west-1:111122223333:key/(known after apply: aws_kms_key.logs)";
  ASSERT_TRUE(w.resources.contains(key));
  const Resource& r = w.resources.at(key);
  ASSERT_TRUE(r.policy);
  ASSERT_EQ(r.policy->policy.statements.size(), 1u);
  EXPECT_EQ(r.policy->policy.statements[0].principal.entries.at(0).value,
            "arn:aws:iam::111122223333:root");
  EXPECT_EQ(r.policy->policy.origin, PolicyOrigin::Dump);
}

// State and unchanged values were accepted by AWS (dump); what the plan writes is authored.
TEST(TerraformPlan, PolicyOriginFollowsWhatAwsAccepted) {
  const World& w = platformAfter();
  struct Case {
    std::string role;
    PolicyOrigin trust;
  };
  const Case cases[] = {{"vendors/acme-vendor", PolicyOrigin::Authored},  // updated by the plan
                        {"team-data", PolicyOrigin::Authored},            // created
                        {"ci/deployer", PolicyOrigin::Dump}};             // no-op
  for (const Case& c : cases)
    EXPECT_EQ(w.roles.at(kRole + c.role).trust_policy.policy.origin, c.trust) << c.role;
  EXPECT_EQ(w.roles.at(kRole + "vendors/acme-vendor").inline_policies.at(0).policy.origin,
            PolicyOrigin::Dump);
  for (const auto& [arn, role] : platformBefore().roles) {
    EXPECT_EQ(role.trust_policy.policy.origin, PolicyOrigin::Dump) << arn;
  }
}

TEST(TerraformPlan, ValuesKnownOnlyAfterApplyAreNamedWithTheirAddress) {
  const Diagnostics& d = platformAfter().diagnostics;
  struct Case {
    const char* where;
    const char* address;
  };
  const Case cases[] = {
      {"/resource_changes/6/change/after/name", "`aws_iam_role.scratch`"},
      {"/resource_changes/6/change/after/assume_role_policy", "`aws_iam_role.scratch`"},
      {"/resource_changes/20/change/after/arn", "`aws_kms_key.logs`"},
      {"/resource_changes/28/change/after/permissions_boundary",
       "`module.vendor[0].aws_iam_role.this`"},
  };
  for (const Case& c : cases) {
    const auto it =
        std::find_if(d.begin(), d.end(), [&](const Diagnostic& x) { return x.where == c.where; });
    ASSERT_NE(it, d.end()) << c.where << "\n" << testing::dump(d);
    EXPECT_EQ(it->code, "terraform.unknown_value");
    EXPECT_EQ(it->severity, Severity::Warning);
    EXPECT_NE(it->message.find(c.address), std::string::npos) << it->message;
  }
  // Computed values that the configuration does not set are not noise: no warning for a new
  // role's managed_policy_arns or inline_policy, nor for the resolved references.
  for (const Diagnostic& x : d) {
    EXPECT_EQ(x.message.find("managed_policy_arns"), std::string::npos) << x.message;
    EXPECT_EQ(x.message.find("policy_arn"), std::string::npos) << x.message;
    EXPECT_EQ(x.message.find("`bucket`"), std::string::npos) << x.message;
  }
  EXPECT_TRUE(hasCode(d, "terraform.unsupported_policy", "/resource_changes/23/change/after/type"));
  EXPECT_TRUE(hasCode(d, "terraform.ignored_resources", ""));
}

TEST(TerraformPlan, ScpAttachmentNeedsTheOrganisationOfAnEarlierInput) {
  const World alone = loadOk({kPlatform});
  EXPECT_TRUE(hasCode(alone.diagnostics, "input.unresolved_target", "/resource_changes/22"))
      << testing::dump(alone.diagnostics);
  EXPECT_FALSE(alone.organization);

  const World w = loadOk({kOrg, kPlatform});
  EXPECT_FALSE(hasCode(w.diagnostics, "input.unresolved_target"));
  ASSERT_TRUE(w.organization);
  const std::string id = "(known after apply: aws_organizations_policy.deny_leave)";
  // The scenario's OU lists no SCP, so it has FullAWSAccess (as in AWS); the plan adds its own.
  EXPECT_EQ(w.organization->nodes.at("ou-ab12-11111111").scps,
            (std::vector<std::string>{"FullAWSAccess", id}));
  EXPECT_EQ(w.organization->policies.at(id).name, "deny-leave");
  const Simulator sim = simulator(w);
  const auto alice = sim.identity("arn:aws:iam::111122223333:user/people/alice");
  ASSERT_TRUE(alice.has_value());
  EXPECT_EQ(sim.simulate(alice.value(), "s3:DeleteBucket", "arn:aws:s3:::acme-artifacts", {})
                .decision.outcome,
            Outcome::ExplicitDeny);
  EXPECT_EQ(sim.simulate(alice.value(), "s3:PutObject", "arn:aws:s3:::acme-artifacts/x", {})
                .decision.outcome,
            Outcome::Allowed);
}

// The plan destroys an attachment to `auditor`, a role Terraform does not manage: the earlier
// input's role loses the policy after the plan, and keeps it before.
TEST(TerraformPlan, DestroyedObjectsLeaveEarlierInputs) {
  const World after = loadOk({kOrg, kPlatform}, side(PlanSide::After));
  EXPECT_TRUE(after.roles.at(kRole + "auditor").managed_policies.empty());
  const World before = loadOk({kOrg, kPlatform}, side(PlanSide::Before));
  EXPECT_EQ(before.roles.at(kRole + "auditor").managed_policies,
            std::vector<std::string>{"arn:aws:iam::111122223333:policy/audit"});

  const std::string earlier =
      R"({"format": "trustsim-scenario/1", "accounts": [{"id": "111122223333"}], "roles": [
      {"arn": "arn:aws:iam::111122223333:role/legacy-vendor", "trustPolicy": {"Version": "2012-10-17", "Statement": [
       {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::555566667777:root"}, "Action": "sts:AssumeRole",
        "Condition": {"StringEquals": {"sts:ExternalId": "x"}}}]}}]})";
  const World gone = loadOk({"mem:dump.json", kPlatform}, {}, reader({{"mem:dump.json", earlier}}));
  EXPECT_FALSE(gone.roles.contains(kRole + "legacy-vendor"));
}

TEST(TerraformPlan, EditsForEarlierInputsAreKept) {
  auto doc = parse::readJson(readFile(kRoot / kPlatform), kPlatform);
  ASSERT_TRUE(doc.has_value());
  const auto w = load::loadTerraform(doc.value(), kPlatform, {});
  ASSERT_TRUE(w.has_value()) << testing::dump(w.error());
  std::set<std::string> edits;
  for (const WorldEdit& e : w.value().edits) edits.insert(e.origin.address + " " + e.subject);
  const std::set<std::string> expected = {
      "aws_iam_role.legacy_vendor removes role `arn:aws:iam::111122223333:role/legacy-vendor`",
      "aws_iam_role_policy_attachment.legacy_audit no longer attaches "
      "`arn:aws:iam::111122223333:policy/audit` to role `auditor`",
      "aws_organizations_policy.deny_leave defines organisation policy `(known after apply: "
      "aws_organizations_policy.deny_leave)`",
      "aws_organizations_policy_attachment.deny_leave attaches organisation policy `(known after "
      "apply: "
      "aws_organizations_policy.deny_leave)` to `ou-ab12-11111111`",
  };
  EXPECT_EQ(edits, expected);
}

// --- the Before side and state -----------------------------------------------------------------

TEST(TerraformPlan, BeforeSideIsThePriorState) {
  const World& w = platformBefore();
  EXPECT_TRUE(w.roles.contains(kRole + "legacy-vendor"));
  EXPECT_FALSE(w.roles.contains(kRole + "team-data"));
  EXPECT_FALSE(w.policies.contains("arn:aws:iam::111122223333:policy/deploy"));
  const Role& vendor = w.roles.at(kRole + "vendors/acme-vendor");
  EXPECT_TRUE(vendor.trust_policy.policy.statements.at(0).conditions.empty());
  EXPECT_EQ(vendor.origin.where, "/prior_state/values/root_module/child_modules/0/resources/0");
  EXPECT_EQ(vendor.origin.address, "module.vendor[0].aws_iam_role.this");
  for (const Diagnostic& d : w.diagnostics)
    EXPECT_NE(d.code, "terraform.unknown_value") << d.message;
}

TEST(TerraformState, ModulesBoundariesAndDumpOrigin) {
  const World w = loadOk({kPlatformState});
  const Role& vendor = w.roles.at(kRole + "vendors/acme-vendor");
  EXPECT_EQ(vendor.permissions_boundary,
            "arn:aws:iam::111122223333:policy/boundaries/vendor-boundary");
  EXPECT_EQ(vendor.trust_policy.policy.origin, PolicyOrigin::Dump);
  EXPECT_EQ(vendor.origin.where, "/values/root_module/child_modules/0/resources/0");
  EXPECT_EQ(vendor.id, "AROAACMEVENDOREXAMPLE");
  EXPECT_TRUE(w.policies.contains("arn:aws:iam::111122223333:policy/boundaries/vendor-boundary"));
  EXPECT_EQ(names(w.users.at("arn:aws:iam::111122223333:user/people/alice").inline_policies),
            std::vector<std::string>{"self-service"});
  EXPECT_EQ(w.users.at("arn:aws:iam::111122223333:user/people/alice").tags.at(0).key, "team");
}

TEST(TerraformState, KeysProvidersExclusiveAttachmentsAndRcps) {
  const World w = loadOk({kOrg, "tests/fixtures/terraform/extras.state.json"});
  const std::string mgmt = "arn:aws:iam::999999999999:";
  EXPECT_TRUE(w.identity_providers.contains(mgmt + "saml-provider/okta"));
  const Role& sso = w.roles.at(mgmt + "role/sso-readers");
  EXPECT_EQ(sso.origin.address, "aws_iam_role.sso[0]");
  EXPECT_EQ(sso.max_session_duration, 43200);
  EXPECT_EQ(sso.managed_policies, std::vector<std::string>{mgmt + "policy/readonly"})
      << "aws_iam_policy_attachment adds no duplicate";
  EXPECT_EQ(w.users.at(mgmt + "user/ops").managed_policies,
            std::vector<std::string>{mgmt + "policy/readonly"});
  // aws_kms_key_policy replaces the key's own policy attribute, and names its address.
  const Resource& key = w.resources.at(
      "arn:aws:kms:eu-central-1:999999999999:key/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b");
  ASSERT_TRUE(key.policy);
  EXPECT_EQ(key.policy->policy.statements.size(), 2u);
  EXPECT_EQ(key.origin.address, "aws_kms_key_policy.data");
  ASSERT_TRUE(w.organization);
  EXPECT_EQ(w.organization->nodes.at("ou-ab12-11111111").rcps,
            std::vector<std::string>{"p-perimeter1"});
  EXPECT_EQ(w.organization->policies.at("p-perimeter1").policy.kind, PolicyKind::Rcp);
  for (const Diagnostic& d : w.diagnostics)
    EXPECT_EQ(d.code.rfind("terraform.", 0), std::string::npos) << d.message;
}

TEST(TerraformReport, SarifUsesTheLineAndTheAddress) {
  Finding f;
  f.rule = "no-external-id";
  f.severity = FindingSeverity::High;
  f.resource = kRole + "r";
  f.file = "template.yaml";
  f.line = 12;
  f.address = "module.m.aws_iam_role.r";
  const json sarif = report::findingsSarif({f}, "0");
  const json& location = sarif["runs"][0]["results"][0]["locations"][0];
  EXPECT_EQ(location["physicalLocation"]["region"]["startLine"], 12);
  EXPECT_EQ(location["logicalLocations"][1]["fullyQualifiedName"], "module.m.aws_iam_role.r");
  EXPECT_EQ(location["logicalLocations"][1]["kind"], "resource");
  EXPECT_EQ(report::findingJson(f)["address"], "module.m.aws_iam_role.r");
  EXPECT_NE(report::findingsText({f}).find("    address: module.m.aws_iam_role.r\n"),
            std::string::npos);
}

// The seed's plan: Trelica's account reaches the role with nothing before, with the ExternalId
// after.
TEST(TerraformPlan, WhoCanOnTheTrelicaRoleChangesWithThePlan) {
  const std::string role = kRole + "TrelicaIntegration";
  EXPECT_EQ(whoCanAssume(loadOk({kTrelica}, side(PlanSide::Before)), role),
            std::set<std::string>{"377450845233"});
  EXPECT_EQ(whoCanAssume(loadOk({kTrelica}, side(PlanSide::After)), role),
            std::set<std::string>{"377450845233 [ExternalId \"trelica-org-7f3c2a91\"]"});
}

// --- actions -----------------------------------------------------------------------------------

std::string roleValues(const std::string& name, const std::string& trust_sid = "Vendor",
                       bool arn = true) {
  json v = {{"name", name},
            {"path", "/"},
            {"max_session_duration", 3600},
            {"tags_all", json::object()},
            {"assume_role_policy",
             json({{"Version", "2012-10-17"},
                   {"Statement",
                    {{{"Sid", trust_sid},
                      {"Effect", "Allow"},
                      {"Action", "sts:AssumeRole"},
                      {"Principal", {{"AWS", "arn:aws:iam::444455556666:root"}}}}}}})
                 .dump()}};
  if (arn) v["arn"] = "arn:aws:iam::111122223333:role/" + name;
  return v.dump();
}

std::string change(const std::string& address, const std::string& actions,
                   const std::string& before, const std::string& after,
                   const std::string& extra = "") {
  const std::string name = address.substr(address.rfind('.') + 1);
  return R"({"address":")" + address + R"(","mode":"managed","type":"aws_iam_role","name":")" +
         name + R"(",)" + extra + R"("change":{"actions":)" + actions + R"(,"before":)" + before +
         R"(,"after":)" + after + R"(,"after_unknown":{}}})";
}

std::string planOf(const std::vector<std::string>& changes) {
  std::string list;
  for (const std::string& c : changes) list += (list.empty() ? "" : ",") + c;
  return R"({"format_version":"1.2","terraform_version":"1.7.5","resource_changes":[)" + list +
         "]}";
}

TEST(TerraformActions, ForgetKeepsReplaceRemovesDeposedIsSkipped) {
  const std::string plan = planOf({
      change("aws_iam_role.kept", R"(["forget"])", roleValues("kept"), "null"),
      change("aws_iam_role.renamed", R"(["delete","create"])", roleValues("old-name"),
             roleValues("new-name")),
      change("aws_iam_role.cbd", R"(["delete"])", roleValues("deposed-copy"), "null",
             R"("deposed":"a1b2c3d4",)"),
  });
  const auto w = loadText(plan);
  ASSERT_TRUE(w.has_value()) << testing::dump(w.error());
  EXPECT_TRUE(w.value().roles.contains(kRole + "kept")) << "forget leaves the role in AWS";
  EXPECT_EQ(w.value().roles.at(kRole + "kept").trust_policy.policy.origin, PolicyOrigin::Dump);
  EXPECT_TRUE(w.value().roles.contains(kRole + "new-name"));
  EXPECT_FALSE(w.value().roles.contains(kRole + "old-name"));
  ASSERT_EQ(w.value().edits.size(), 1u);
  EXPECT_EQ(w.value().edits[0].name, kRole + "old-name");
}

TEST(TerraformActions, PlanWithoutResourceChangesSaysUnknownsLookAbsent) {
  const std::string plan = R"({"format_version":"1.2","planned_values":{"root_module":{"resources":[
      {"address":"aws_iam_role.r","mode":"managed","type":"aws_iam_role","name":"r","values":)" +
                           roleValues("r") + "}]}}}";
  const auto w = loadText(plan);
  ASSERT_TRUE(w.has_value()) << testing::dump(w.error());
  EXPECT_TRUE(w.value().roles.contains(kRole + "r"));
  EXPECT_TRUE(hasCode(w.value().diagnostics, "terraform.unknown_value", "/planned_values"));
}

// --- accounts ----------------------------------------------------------------------------------

TEST(TerraformAccount, FromOptionsFromArnsOrAnError) {
  const std::string created = planOf(
      {change("aws_iam_role.new", R"(["create"])", "null", roleValues("new", "Vendor", false))});
  const auto none = loadText(created);
  ASSERT_FALSE(none.has_value());
  EXPECT_TRUE(hasCode(none.error(), "terraform.no_account", "/resource_changes/0"))
      << testing::dump(none.error());
  EXPECT_NE(none.error().at(0).message.find("--account"), std::string::npos);

  const auto given = loadText(created, side(PlanSide::After, "123456789012"));
  ASSERT_TRUE(given.has_value()) << testing::dump(given.error());
  EXPECT_TRUE(given.value().roles.contains("arn:aws:iam::123456789012:role/new"));

  const std::string with_known = planOf(
      {change("aws_iam_role.new", R"(["create"])", "null", roleValues("new", "Vendor", false)),
       change("aws_iam_role.old", R"(["no-op"])", roleValues("old"), roleValues("old"))});
  const auto inferred = loadText(with_known);
  ASSERT_TRUE(inferred.has_value()) << testing::dump(inferred.error());
  EXPECT_TRUE(inferred.value().roles.contains(kRole + "new"));

  const auto mismatch = loadText(with_known, side(PlanSide::After, "123456789012"));
  ASSERT_TRUE(mismatch.has_value());
  EXPECT_TRUE(hasCode(mismatch.value().diagnostics, "terraform.account_mismatch"));
  EXPECT_TRUE(mismatch.value().roles.contains(kRole + "old")) << "a known ARN keeps its account";
  EXPECT_TRUE(mismatch.value().roles.contains("arn:aws:iam::123456789012:role/new"));

  std::string other = roleValues("other");
  other.replace(other.find("111122223333"), 12, "999988887777");
  const auto several = loadText(planOf(
      {change("aws_iam_role.new", R"(["create"])", "null", roleValues("new", "Vendor", false)),
       change("aws_iam_role.old", R"(["no-op"])", roleValues("old"), roleValues("old")),
       change("aws_iam_role.other", R"(["no-op"])", other, other)}));
  ASSERT_FALSE(several.has_value());
  EXPECT_NE(several.error().at(0).message.find("several accounts (111122223333, 999988887777)"),
            std::string::npos)
      << testing::dump(several.error());
}

TEST(TerraformAccount, RegionOfANewKeyFromTheProviderConfiguration) {
  const std::string plan = R"({"format_version":"1.2","resource_changes":[
      {"address":"aws_kms_key.k","mode":"managed","type":"aws_kms_key","name":"k","change":{"actions":["create"],"before":null,
       "after":{"description":"k","policy":null},"after_unknown":{"arn":true,"key_id":true,"policy":true}}}],
      "configuration":{"provider_config":{"aws":{"name":"aws","expressions":{"region":{"constant_value":"ap-southeast-2"}}}},
       "root_module":{"resources":[{"address":"aws_kms_key.k","mode":"managed","type":"aws_kms_key","name":"k",
        "expressions":{"description":{"constant_value":"k"}}}]}}})";
  const auto w = loadText(plan, side(PlanSide::After, kA));
  ASSERT_TRUE(w.has_value()) << testing::dump(w.error());
  EXPECT_TRUE(w.value().resources.contains(
      "arn:aws:kms:ap-southeast-2:111122223333:key/(known after apply: aws_kms_key.k)"));
}

// --- bad input: every error with its code and pointer ------------------------------------------

TEST(TerraformErrors, EveryCodeWithItsPointer) {
  const std::string role = roleValues("r");
  struct Case {
    std::string name, doc, code, where;
  };
  const auto rc = [](const std::string& body) {
    return R"({"format_version":"1.2","resource_changes":[)" + body + "]}";
  };
  const auto state = [](const std::string& resources) {
    return R"({"format_version":"1.0","values":{"root_module":{"resources":[)" + resources + "]}}}";
  };
  const auto res = [](const std::string& values) {
    return R"({"address":"aws_iam_role.r","mode":"managed","type":"aws_iam_role","name":"r","values":)" +
           values + "}";
  };
  const auto with = [&](const std::string& key, const std::string& value) {
    json v = json::parse(role);
    v[key] = json::parse(value);
    return v.dump();
  };
  const Case cases[] = {
      {"not an object", "[1]", "terraform.wrong_type", ""},
      {"raw state",
       R"({"version":4,"terraform_version":"1.7.5","serial":1,"lineage":"x","resources":[]})",
       "terraform.raw_state", ""},
      {"format 2", R"({"format_version":"2.0","values":{}})", "terraform.unsupported_version",
       "/format_version"},
      {"format a number", R"({"format_version":1,"values":{}})", "terraform.wrong_type",
       "/format_version"},
      {"resource_changes not a list", R"({"format_version":"1.2","resource_changes":{}})",
       "terraform.wrong_type", "/resource_changes"},
      {"change entry not an object", rc("3"), "terraform.wrong_type", "/resource_changes/0"},
      {"no address",
       rc(R"({"mode":"managed","type":"aws_iam_role","name":"r","change":{"actions":["create"]}})"),
       "terraform.missing_field", "/resource_changes/0/address"},
      {"no change",
       rc(R"({"address":"aws_iam_role.r","mode":"managed","type":"aws_iam_role","name":"r"})"),
       "terraform.missing_field", "/resource_changes/0/change"},
      {"actions not a list", rc(change("aws_iam_role.r", R"("create")", "null", role)),
       "terraform.wrong_type", "/resource_changes/0/change/actions"},
      {"after not an object", rc(change("aws_iam_role.r", R"(["create"])", "null", "[]")),
       "terraform.wrong_type", "/resource_changes/0/change/after"},
      {"resource not an object", state("7"), "terraform.wrong_type",
       "/values/root_module/resources/0"},
      {"child module not an object",
       R"({"format_version":"1.0","values":{"root_module":{"child_modules":["m"]}}})",
       "terraform.wrong_type", "/values/root_module/child_modules/0"},
      {"values not an object", state(res("[]")), "terraform.wrong_type",
       "/values/root_module/resources/0/values"},
      {"trust policy a number", state(res(with("assume_role_policy", "5"))), "terraform.wrong_type",
       "/values/root_module/resources/0/values/assume_role_policy"},
      {"no trust policy", state(res(R"({"name":"r","arn":"arn:aws:iam::111122223333:role/r"})")),
       "terraform.missing_field", "/values/root_module/resources/0/values/assume_role_policy"},
      {"role ARN of a bucket", state(res(with("arn", R"("arn:aws:s3:::r")"))),
       "terraform.invalid_arn", "/values/root_module/resources/0/values/arn"},
      {"tag value a list", state(res(with("tags_all", R"({"k":[1]})"))), "terraform.wrong_type",
       "/values/root_module/resources/0/values/tags_all/k"},
      {"managed policy a number", state(res(with("managed_policy_arns", "[1]"))),
       "terraform.wrong_type", "/values/root_module/resources/0/values/managed_policy_arns/0"},
      {"inline block a string", state(res(with("inline_policy", R"(["p"])"))),
       "terraform.wrong_type", "/values/root_module/resources/0/values/inline_policy/0"},
      {"max session a string", state(res(with("max_session_duration", R"("1h")"))),
       "terraform.wrong_type", "/values/root_module/resources/0/values/max_session_duration"},
      {"created policy not JSON",
       rc(change("aws_iam_role.r", R"(["create"])", "null",
                 with("assume_role_policy", R"("{nope")"))),
       "terraform.invalid_document", "/resource_changes/0/change/after/assume_role_policy"},
      {"created policy AWS refuses",
       rc(change("aws_iam_role.r", R"(["create"])", "null",
                 with("assume_role_policy",
                      json(json::parse(R"({"Version":"2012-10-17","Statement":[{"Effect":"allow",
                      "Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"sts:AssumeRole"}]})")
                               .dump())
                          .dump()))),
       "parse.invalid_effect",
       "/resource_changes/0/change/after/assume_role_policy/Statement/0/Effect"},
  };
  for (const Case& c : cases) {
    const auto w = loadText(c.doc);
    ASSERT_FALSE(w.has_value()) << c.name;
    EXPECT_TRUE(hasCode(w.error(), c.code, c.where)) << c.name << "\n" << testing::dump(w.error());
    for (const Diagnostic& d : w.error()) EXPECT_EQ(d.file, "plan.json") << c.name;
  }
}

TEST(TerraformErrors, MessagesNameTheAddress) {
  const std::string bad =
      json(json::parse(R"({"Version":"2012-10-17","Statement":[{"Effect":"allow",
      "Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"sts:AssumeRole"}]})")
               .dump())
          .dump();
  json v = json::parse(roleValues("r"));
  v["assume_role_policy"] = json::parse(bad);
  const auto w = loadText(planOf(
      {R"({"address":"module.m[\"k\"].aws_iam_role.r","module_address":"module.m[\"k\"]","mode":"managed",
      "type":"aws_iam_role","name":"r","change":{"actions":["create"],"before":null,"after":)" +
       v.dump() + "}}"}));
  ASSERT_FALSE(w.has_value());
  EXPECT_EQ(w.error().at(0).message.rfind("`module.m[\"k\"].aws_iam_role.r`: ", 0), 0u)
      << w.error().at(0).message;
}

// What AWS accepted stays loadable: the same problems in state are warnings.
TEST(TerraformErrors, StatePoliciesAreDumps) {
  const std::string bad_json = R"({"format_version":"1.0","values":{"root_module":{"resources":[
      {"address":"aws_iam_policy.p","mode":"managed","type":"aws_iam_policy","name":"p","values":
       {"arn":"arn:aws:iam::111122223333:policy/p","name":"p","path":"/","policy":"{nope"}}]}}})";
  const auto w = loadText(bad_json);
  ASSERT_TRUE(w.has_value()) << testing::dump(w.error());
  EXPECT_TRUE(hasCode(w.value().diagnostics, "terraform.invalid_document",
                      "/values/root_module/resources/0/values/policy"));
  EXPECT_TRUE(w.value()
                  .policies.at("arn:aws:iam::111122223333:policy/p")
                  .document.policy.statements.empty());
}

TEST(TerraformErrors, ErroredPlanWarns) {
  const auto w = loadText(R"({"format_version":"1.2","errored":true,"resource_changes":[]})");
  ASSERT_TRUE(w.has_value());
  EXPECT_TRUE(hasCode(w.value().diagnostics, "terraform.errored_plan", "/errored"));
}

TEST(TerraformErrors, UnreadTypesAreCountedNotRefused) {
  const auto w = loadText(R"({"format_version":"1.0","values":{"root_module":{"resources":[
      {"address":"aws_instance.a","mode":"managed","type":"aws_instance","name":"a","values":{"ami":"x"}},
      {"address":"aws_instance.b","mode":"managed","type":"aws_instance","name":"b","values":{"ami":"x"}},
      {"address":"random_id.c","mode":"managed","type":"random_id","name":"c","values":{}},
      {"address":"data.aws_iam_policy_document.d","mode":"data","type":"aws_iam_policy_document","name":"d","values":{"json":"{}"}}]}}})");
  ASSERT_TRUE(w.has_value()) << testing::dump(w.error());
  ASSERT_EQ(w.value().diagnostics.size(), 1u) << testing::dump(w.value().diagnostics);
  EXPECT_EQ(w.value().diagnostics[0].code, "terraform.ignored_resources");
  EXPECT_EQ(w.value().diagnostics[0].message,
            "3 resource(s) of types trustsim does not read were skipped: aws_instance (2), and 1 "
            "of other providers");
}

// Any value of any field replaced by any other JSON type: diagnostics, never a crash, and a world
// that builds whenever it loads.
void collectPointers(const json& v, const json::json_pointer& at,
                     std::vector<json::json_pointer>& out) {
  out.push_back(at);
  if (v.is_object()) {
    for (const auto& [k, child] : v.items()) collectPointers(child, at / k, out);
  } else if (v.is_array()) {
    for (std::size_t i = 0; i < v.size(); ++i) collectPointers(v[i], at / i, out);
  }
}

TEST(TerraformErrors, WrongTypesAnywhereNeverCrash) {
  const json replacements[] = {7, "x", json::array(), json::object(), nullptr, true};
  for (const std::string& file :
       {kTrelica, kPlatformState, std::string("docs/examples/terraform/partner-role.plan.json")}) {
    const json original = json::parse(readFile(kRoot / file));
    std::vector<json::json_pointer> pointers;
    collectPointers(original, json::json_pointer(), pointers);
    std::size_t loaded = 0, refused = 0;
    for (const json::json_pointer& p : pointers) {
      for (const json& r : replacements) {
        json doc = original;
        doc[p] = r;
        for (const PlanSide s : {PlanSide::Before, PlanSide::After}) {
          auto w = load::loadTerraform(doc, file, side(s, kA));
          if (!w) {
            ++refused;
            for (const Diagnostic& d : w.error()) EXPECT_EQ(d.file, file) << p.to_string();
            continue;
          }
          ++loaded;
          World merged;
          mergeWorld(merged, std::move(w).value());
          EXPECT_TRUE(Simulator::build(std::move(merged)).has_value())
              << file << " " << p.to_string();
        }
      }
    }
    EXPECT_GT(loaded, 0u) << file;
    EXPECT_GT(refused, 0u) << file;
  }
}

// --- the real binary ---------------------------------------------------------------------------

struct BinaryRun {
  int code = -1;
  std::string out, err;
};

// Runs `trustsim ARGS` in the repository root (arguments are plain words, no shell quoting).
BinaryRun trustsim(const std::string& args) {
  const fs::path dir = fs::temp_directory_path() / ("trustsim-tf-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string cmd = "cd '" + kRoot.string() + "' && '" + std::string(TRUSTSIM_BINARY) + "' " +
                          args + " > '" + (dir / "out").string() + "' 2> '" +
                          (dir / "err").string() + "'";
  const int status = std::system(cmd.c_str());
  BinaryRun r{WIFEXITED(status) ? WEXITSTATUS(status) : -1, readFile(dir / "out"),
              readFile(dir / "err")};
  fs::remove_all(dir);
  return r;
}

bool hasLine(const std::string& text, const std::string& line) {
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) {
    if (l == line) return true;
  }
  return false;
}

std::string show(const BinaryRun& r) {
  return "exit " + std::to_string(r.code) + "\n--- stdout\n" + r.out + "--- stderr\n" + r.err;
}

TEST(TerraformE2e, DiffPlanShowsTheTrelicaExposureClosing) {
  const BinaryRun r = trustsim("diff --plan " + kTrelica + " --fail-on widened");
  EXPECT_EQ(r.code, 0) << show(r);
  EXPECT_TRUE(hasLine(r.out, "reachability lost:")) << r.out;
  EXPECT_TRUE(hasLine(r.out,
                      "  - 377450845233 -> arn:aws:iam::111122223333:role/TrelicaIntegration in "
                      "aws_iam_role.trelica"))
      << r.out;
  EXPECT_TRUE(hasLine(r.out,
                      "  - high no-external-id: arn:aws:iam::111122223333:role/TrelicaIntegration "
                      "(arn:aws:iam::377450845233:root) in aws_iam_role.trelica"))
      << r.out;
  EXPECT_EQ(r.out.find("gained"), std::string::npos) << r.out;
}

TEST(TerraformE2e, DiffPlanThatOpensADoorFailsOnWidened) {
  const BinaryRun r = trustsim(
      "diff --plan tests/fixtures/terraform/trelica-drop-external-id.plan.json --fail-on widened");
  EXPECT_EQ(r.code, 2) << show(r);
  EXPECT_TRUE(hasLine(r.out,
                      "  + 377450845233 -> arn:aws:iam::111122223333:role/TrelicaIntegration in "
                      "aws_iam_role.trelica"))
      << r.out;
  EXPECT_TRUE(hasLine(r.out, "findings new:")) << r.out;
  const BinaryRun md = trustsim(
      "diff --plan tests/fixtures/terraform/trelica-drop-external-id.plan.json --format markdown");
  EXPECT_EQ(md.code, 0) << show(md);
  EXPECT_TRUE(hasLine(md.out, "**This change widens access.**")) << md.out;
  EXPECT_TRUE(hasLine(md.out,
                      "| `377450845233` | `arn:aws:iam::111122223333:role/TrelicaIntegration` "
                      "(`aws_iam_role.trelica`) |  |  |"))
      << md.out;
}

TEST(TerraformE2e, DiffPlanNeedsTheAccountOfANewRole) {
  const std::string plan = "docs/examples/terraform/partner-role.plan.json";
  const BinaryRun none = trustsim("diff --plan " + plan);
  EXPECT_EQ(none.code, 1) << show(none);
  EXPECT_NE(none.err.find("[terraform.no_account]"), std::string::npos) << none.err;
  EXPECT_NE(none.err.find("module.partner.aws_iam_role.this"), std::string::npos) << none.err;
  const BinaryRun given =
      trustsim("diff --plan " + plan + " --account 111122223333 --fail-on widened");
  EXPECT_EQ(given.code, 2) << show(given);
  EXPECT_TRUE(hasLine(given.out,
                      "  + 444455556666 -> arn:aws:iam::111122223333:role/partners/partner-access "
                      "in module.partner.aws_iam_role.this"))
      << given.out;
}

TEST(TerraformE2e, DiffPlanListsWhatIsKnownOnlyAfterApply) {
  const BinaryRun r = trustsim("diff --plan " + kPlatform + " " + kOrg + " --format json");
  ASSERT_EQ(r.code, 0) << show(r);
  const json j = json::parse(r.out);
  ASSERT_EQ(j.at("unknownValues").size(), 4u) << r.out;
  EXPECT_NE(j["unknownValues"][1].get<std::string>().find("`aws_kms_key.logs`: `arn`"),
            std::string::npos)
      << r.out;
  bool lost_audit = false;
  for (const json& p : j.at("permissionsLost")) {
    lost_audit =
        lost_audit || (p.at("caller") == kRole + "auditor" && p.at("action") == "config:Get*");
  }
  EXPECT_TRUE(lost_audit) << r.out;
  EXPECT_NE(r.err.find("[terraform.ignored_resources]"), std::string::npos) << r.err;
}

TEST(TerraformE2e, DiffPlanRefusesAStateFile) {
  const BinaryRun r = trustsim("diff --plan " + kPlatformState);
  EXPECT_EQ(r.code, 1) << show(r);
  EXPECT_NE(r.err.find("--plan wants a Terraform plan"), std::string::npos) << r.err;
}

TEST(TerraformE2e, CheckRunsExpectationsOnAPlanAndNamesTheAddress) {
  const BinaryRun r = trustsim("check tests/fixtures/terraform/expect-trelica-plan.json");
  EXPECT_EQ(r.code, 2) << show(r);
  EXPECT_TRUE(hasLine(r.out, "  ok   only Trelica's account reaches the role")) << r.out;
  EXPECT_TRUE(hasLine(r.out, "  FAIL no high finding")) << r.out;
  EXPECT_TRUE(hasLine(r.out,
                      "         at "
                      "tests/fixtures/terraform/trelica-drop-external-id.plan.json:/"
                      "resource_changes/0/change/after/"
                      "assume_role_policy/Statement/0 (aws_iam_role.trelica)"))
      << r.out;
}

TEST(TerraformE2e, SarifNamesTheResourceAddress) {
  const BinaryRun r = trustsim("audit " + kPlatform + " --format sarif");
  ASSERT_EQ(r.code, 0) << show(r);
  const json j = json::parse(r.out);
  bool found = false;
  for (const json& result : j["runs"][0]["results"]) {
    for (const json& l : result["locations"][0]["logicalLocations"]) {
      found = found || (l.value("fullyQualifiedName", "") == "module.vendor[0].aws_iam_role.this" &&
                        l.value("kind", "") == "resource");
    }
  }
  EXPECT_TRUE(found) << r.out;
}

}  // namespace
}  // namespace trustsim
