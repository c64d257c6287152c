// SPDX-License-Identifier: Apache-2.0
// The GAAD reader: a realistic dump (every document encoding), and every gaad.* code with its
// pointer.
#include "load/gaad.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include <gtest/gtest.h>

#include "parse/json_reader.h"
#include "parse/json_view.h"
#include "test_util.h"
#include "trustsim/load.h"

namespace trustsim {
namespace {

using nlohmann::json;
using testing::hasCode;

const std::string kFixture =
    std::string(TRUSTSIM_SOURCE_DIR) + "/tests/fixtures/gaad/account_111122223333.json";

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << path;
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// What a load produced, in an order that does not depend on the reader: every diagnostic (code,
// pointer, severity) and every entity with the shape of its policies.
std::vector<std::string> summary(const Result<World>& r) {
  std::vector<std::string> out;
  const Diagnostics& diags = r ? r.value().diagnostics : r.error();
  for (const Diagnostic& d : diags) {
    out.push_back(d.code + " " + d.where + (d.severity == Severity::Error ? " E" : " W"));
  }
  if (r) {
    const World& w = r.value();
    const auto shape = [](const NamedPolicy& p) {
      std::string s = p.name + ":" + std::to_string(p.policy.statements.size());
      for (const Statement& st : p.policy.statements) {
        s += "/" + std::to_string(st.principal.entries.size()) + "," + std::to_string(st.action.raw.size()) + "," +
             std::to_string(st.resource.patterns.size()) + "," + std::to_string(st.conditions.size());
      }
      return s;
    };
    for (const auto& [arn, role] : w.roles) {
      std::string s = "role " + arn + " " + shape(role.trust_policy);
      for (const NamedPolicy& p : role.inline_policies) s += " " + shape(p);
      for (const std::string& m : role.managed_policies) s += " " + m;
      out.push_back(s + " " + role.permissions_boundary.value_or("-") + " " + std::to_string(role.tags.size()));
    }
    for (const auto& [arn, user] : w.users) {
      std::string s = "user " + arn;
      for (const std::string& g : user.groups) s += " " + g;
      for (const NamedPolicy& p : user.inline_policies) s += " " + shape(p);
      out.push_back(s);
    }
    for (const auto& [arn, group] : w.groups) out.push_back("group " + arn + " " + std::to_string(group.inline_policies.size()));
    for (const auto& [arn, policy] : w.policies) out.push_back("policy " + arn + " " + shape(policy.document));
    for (const auto& [id, account] : w.accounts) out.push_back("account " + id);
  }
  std::sort(out.begin(), out.end());
  return out;
}

// The caller's path: text → parse::readJson → loadGaad. Every test also checks that the fast
// reader (simdjson, used for dumps by loadWorld) refuses what the strict reader refuses and
// otherwise loads the same world with the same diagnostics.
Result<World> loadText(const std::string& text, const std::string& file = "gaad.json") {
  auto doc = parse::readJson(text, file);
  parse::FastJsonReader fast;
  const auto view = fast.read(text);
  if (!doc) {
    EXPECT_FALSE(view.has_value()) << "the fast reader accepts what the strict reader refuses";
    return doc.error();
  }
  Result<World> slow = load::loadGaad(doc.value(), file);
  EXPECT_TRUE(view.has_value()) << "the fast reader refuses a document the strict reader accepts";
  if (view && load::looksLikeGaadFast(*view)) {
    EXPECT_EQ(summary(slow), summary(load::loadGaadFast(*view, file)));
  }
  return slow;
}

const World& fixture() {
  static const Result<World> r = loadText(readFile(kFixture), "account_111122223333.json");
  EXPECT_TRUE(r.has_value()) << (r ? "" : testing::dump(r.error()));
  static const World empty;
  return r ? r.value() : empty;
}

std::vector<std::string> sids(const Policy& p) {
  std::vector<std::string> out;
  for (const Statement& s : p.statements) out.push_back(s.sid.value_or("-"));
  return out;
}

TEST(GaadFixture, LoadsEveryEntityWithItsOrigin) {
  const World& w = fixture();
  EXPECT_EQ(w.users.size(), 2u);
  EXPECT_EQ(w.groups.size(), 2u);
  EXPECT_EQ(w.roles.size(), 4u);
  EXPECT_EQ(w.policies.size(), 4u);
  ASSERT_EQ(w.accounts.size(), 1u);
  const Account& a = w.accounts.at("111122223333");
  EXPECT_TRUE(a.ours);
  EXPECT_EQ(a.partition, "aws");

  const User& alice = w.users.at("arn:aws:iam::111122223333:user/alice");
  EXPECT_EQ(alice.name, "alice");
  EXPECT_EQ(alice.id, "AIDA1EXAMPLEALICE001");
  EXPECT_EQ(alice.account, "111122223333");
  EXPECT_EQ(alice.groups, (std::vector<std::string>{"Developers", "Admins"}));
  EXPECT_EQ(alice.managed_policies,
            std::vector<std::string>{"arn:aws:iam::111122223333:policy/DevReadOnly"});
  EXPECT_EQ(alice.permissions_boundary, "arn:aws:iam::111122223333:policy/boundaries/DevBoundary");
  ASSERT_EQ(alice.tags.size(), 2u);
  EXPECT_EQ(alice.tags[1].key, "cost-center");
  EXPECT_EQ(alice.tags[1].value, "cc-42");
  EXPECT_EQ(alice.origin.file, "account_111122223333.json");
  EXPECT_EQ(alice.origin.where, "/UserDetailList/0");

  const User& bob = w.users.at("arn:aws:iam::111122223333:user/engineering/bob");
  EXPECT_EQ(bob.path, "/engineering/");
  EXPECT_EQ(bob.origin.where, "/UserDetailList/1");

  const Group& devs = w.groups.at("arn:aws:iam::111122223333:group/Developers");
  EXPECT_EQ(devs.id, "AGPA1EXAMPLEDEVS0001");
  // The AWS CLI doc example shape: AttachedManagedPolicies as one object.
  EXPECT_EQ(devs.managed_policies,
            std::vector<std::string>{"arn:aws:iam::111122223333:policy/DevReadOnly"});
  EXPECT_EQ(devs.origin.where, "/GroupDetailList/0");

  const Role& vendor = w.roles.at("arn:aws:iam::111122223333:role/VendorAudit");
  EXPECT_EQ(vendor.id, "AROA1EXAMPLEVENDOR01");
  EXPECT_EQ(vendor.max_session_duration, 3600);
  EXPECT_FALSE(vendor.service_linked);
  EXPECT_EQ(vendor.permissions_boundary, "arn:aws:iam::111122223333:policy/boundaries/DevBoundary");
  EXPECT_EQ(vendor.managed_policies,
            std::vector<std::string>{"arn:aws:iam::aws:policy/ReadOnlyAccess"});
  ASSERT_EQ(vendor.tags.size(), 1u);
  EXPECT_EQ(vendor.tags[0].value, "example-audit-co");
  EXPECT_EQ(vendor.origin.where, "/RoleDetailList/0");

  const Role& support = w.roles.at(
      "arn:aws:iam::111122223333:role/aws-service-role/support.amazonaws.com/"
      "AWSServiceRoleForSupport");
  EXPECT_TRUE(support.service_linked);
  EXPECT_EQ(support.trust_policy.name, "AWSServiceRoleForSupport");

  const Role& runner = w.roles.at("arn:aws:iam::111122223333:role/ci/BuildRunner");
  EXPECT_EQ(runner.path, "/ci/");
  EXPECT_FALSE(runner.service_linked);

  const ManagedPolicy& ro = w.policies.at("arn:aws:iam::aws:policy/ReadOnlyAccess");
  EXPECT_EQ(ro.document.name, "ReadOnlyAccess");
  EXPECT_EQ(ro.origin.where, "/Policies/2");
  EXPECT_EQ(ro.document.policy.kind, PolicyKind::Identity);
}

// Each document of the fixture, its encoding, and the statements it must yield.
struct EncodingCase {
  const char* what;
  const char* encoding;
  std::vector<std::string> sids;
};

TEST(GaadFixture, DecodesEveryDocumentEncoding) {
  const World& w = fixture();
  const auto user = [&](const char* arn) -> const Policy& {
    return w.users.at(arn).inline_policies.at(0).policy;
  };
  const EncodingCase cases[] = {
      {"alice inline", "object", {"AssumeDeploy"}},
      {"bob inline", "url-encoded with + and %2B", {"PlusSigns"}},
      {"Developers inline", "JSON string", {"DevsString"}},
      {"DeployRole trust", "JSON string", {"FromBuildRunner"}},
      {"BuildRunner trust", "url-encoded", {"-"}},
      {"BuildRunner inline", "JSON string", {"Deploy"}},
      {"DevBoundary", "url-encoded", {"Boundary"}},
  };
  const Policy* policies[] = {
      &user("arn:aws:iam::111122223333:user/alice"),
      &user("arn:aws:iam::111122223333:user/engineering/bob"),
      &w.groups.at("arn:aws:iam::111122223333:group/Developers").inline_policies.at(0).policy,
      &w.roles.at("arn:aws:iam::111122223333:role/DeployRole").trust_policy.policy,
      &w.roles.at("arn:aws:iam::111122223333:role/ci/BuildRunner").trust_policy.policy,
      &w.roles.at("arn:aws:iam::111122223333:role/ci/BuildRunner").inline_policies.at(0).policy,
      &w.policies.at("arn:aws:iam::111122223333:policy/boundaries/DevBoundary").document.policy,
  };
  for (std::size_t i = 0; i < std::size(cases); ++i) {
    EXPECT_EQ(sids(*policies[i]), cases[i].sids) << cases[i].what << " (" << cases[i].encoding << ")";
    EXPECT_EQ(policies[i]->version, "2012-10-17") << cases[i].what;
  }
}

TEST(GaadFixture, PlusStaysPlusInUrlEncodedDocuments) {
  const Policy& p =
      fixture().users.at("arn:aws:iam::111122223333:user/engineering/bob").inline_policies.at(0).policy;
  ASSERT_EQ(p.statements.size(), 1u);
  const auto& patterns = p.statements[0].resource.patterns;
  ASSERT_EQ(patterns.size(), 2u);
  EXPECT_EQ(patterns[0].raw, "arn:aws:s3:::logs+raw/*");      // a literal `+` in the encoding
  EXPECT_EQ(patterns[1].raw, "arn:aws:s3:::logs+archive/*");  // `%2B`
}

TEST(GaadFixture, UsesOnlyTheDefaultPolicyVersion) {
  const ManagedPolicy& p = fixture().policies.at("arn:aws:iam::111122223333:policy/DevReadOnly");
  EXPECT_EQ(sids(p.document.policy), std::vector<std::string>{"V2"});
  EXPECT_EQ(p.document.policy.statements[0].where, "/Policies/0/PolicyVersionList/1/Document/Statement/0");
}

TEST(GaadFixture, CrossAccountTrustWithExternalId) {
  const Policy& trust =
      fixture().roles.at("arn:aws:iam::111122223333:role/VendorAudit").trust_policy.policy;
  EXPECT_EQ(trust.kind, PolicyKind::Trust);
  ASSERT_EQ(trust.statements.size(), 1u);
  const Statement& s = trust.statements[0];
  ASSERT_EQ(s.principal.entries.size(), 1u);
  EXPECT_EQ(s.principal.entries[0].type, PrincipalEntry::Type::Account);
  EXPECT_EQ(s.principal.entries[0].account, "444455556666");
  ASSERT_EQ(s.conditions.size(), 1u);
  EXPECT_EQ(s.conditions[0].key, "sts:ExternalId");
  EXPECT_EQ(s.conditions[0].where, "/RoleDetailList/0/AssumeRolePolicyDocument/Statement/0/Condition/StringEquals/sts:ExternalId");
}

TEST(GaadFixture, BareUniqueIdIsKeptWithAWarning) {
  const World& w = fixture();
  const Policy& trust = w.roles.at("arn:aws:iam::111122223333:role/DeployRole").trust_policy.policy;
  ASSERT_EQ(trust.statements.size(), 1u);
  const auto& entries = trust.statements[0].principal.entries;
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].type, PrincipalEntry::Type::Role);
  EXPECT_EQ(entries[1].type, PrincipalEntry::Type::UniqueId);
  EXPECT_EQ(entries[1].value, "AROA1EXAMPLEDELETED1");
  const std::string where = "/RoleDetailList/2/AssumeRolePolicyDocument/Statement/0/Principal/AWS/1";
  EXPECT_TRUE(hasCode(w.diagnostics, "principal.unique_id", where)) << testing::dump(w.diagnostics);
  // It is the only warning of the fixture: every policy resolves, every group exists.
  EXPECT_EQ(w.diagnostics.size(), 1u) << testing::dump(w.diagnostics);
  EXPECT_EQ(w.diagnostics[0].severity, Severity::Warning);
  EXPECT_EQ(w.diagnostics[0].file, "account_111122223333.json");
}

TEST(Gaad, TruncatedFileIsAJsonSyntaxErrorWithLineAndColumn) {
  const std::string text = readFile(kFixture);
  const std::string cut = text.substr(0, text.size() / 2);
  const auto r = loadText(cut, "cut.json");
  ASSERT_FALSE(r.has_value());
  ASSERT_EQ(r.error().size(), 1u);
  const Diagnostic& d = r.error()[0];
  EXPECT_EQ(d.code, "json.syntax");
  EXPECT_EQ(d.file, "cut.json");
  EXPECT_NE(d.message.find("line "), std::string::npos) << d.message;
  EXPECT_NE(d.message.find("column "), std::string::npos) << d.message;
}

// A one-role dump with `trust` as its AssumeRolePolicyDocument (JSON text of the value).
std::string roleDump(const std::string& trust) {
  return R"({"RoleDetailList":[{"Path":"/","RoleName":"R","RoleId":"AROA1EXAMPLEROLE0001",
    "Arn":"arn:aws:iam::111122223333:role/R","AssumeRolePolicyDocument":)" +
         trust + "}]}";
}

struct DocumentCase {
  const char* name;
  std::string trust;       // JSON text of the document value
  std::size_t statements;  // statements parsed
  const char* warning;     // expected warning code, or nullptr
};

TEST(Gaad, DocumentEncodings) {
  const DocumentCase cases[] = {
      {"object", R"({"Statement":{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}})", 1, nullptr},
      {"JSON string", R"("  {\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"sts:AssumeRole\"}}")", 1, nullptr},
      {"URL-encoded", R"("%7B%22Statement%22%3A%7B%22Effect%22%3A%22Allow%22%2C%22Principal%22%3A%22%2A%22%2C%22Action%22%3A%22sts%3AAssumeRole%22%7D%7D")", 1, nullptr},
      {"URL-encoded, lower-case hex", R"("%7b%22Statement%22%3a%5b%5d%7d")", 0, "parse.empty_statement"},
      {"not JSON", R"("{\"Statement\": [")", 0, "gaad.invalid_document"},
      {"bad percent escape", R"("%7B%2")", 0, "gaad.invalid_document"},
      {"URL-encoded, not JSON", R"("%7Bnope")", 0, "gaad.invalid_document"},
      {"plain text", R"("Version=2012-10-17")", 0, "gaad.invalid_document"},
      {"empty string", R"("")", 0, "gaad.invalid_document"},
      {"grammar error (dump: warning)", R"({"Statement":{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole","Resource":"*"}})", 1, "parse.resource_in_trust_policy"},
  };
  const std::string arn = "arn:aws:iam::111122223333:role/R";
  for (const DocumentCase& c : cases) {
    const auto r = loadText(roleDump(c.trust));
    ASSERT_TRUE(r.has_value()) << c.name << "\n" << testing::dump(r.error());
    const World& w = r.value();
    ASSERT_TRUE(w.roles.contains(arn)) << c.name;  // the entity is always kept
    const Policy& p = w.roles.at(arn).trust_policy.policy;
    EXPECT_EQ(p.statements.size(), c.statements) << c.name;
    EXPECT_TRUE(p.valid) << c.name;
    if (c.warning == nullptr) {
      EXPECT_TRUE(w.diagnostics.empty()) << c.name << "\n" << testing::dump(w.diagnostics);
    } else {
      EXPECT_TRUE(hasCode(w.diagnostics, c.warning)) << c.name << "\n" << testing::dump(w.diagnostics);
    }
  }
}

TEST(Gaad, InvalidDocumentNamesTheEntityAndPointer) {
  const auto r = loadText(roleDump(R"("{\"Statement\": [")"));
  ASSERT_TRUE(r.has_value());
  const Diagnostics& d = r.value().diagnostics;
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].code, "gaad.invalid_document");
  EXPECT_EQ(d[0].where, "/RoleDetailList/0/AssumeRolePolicyDocument");
  EXPECT_EQ(d[0].severity, Severity::Warning);
  EXPECT_NE(d[0].message.find("role `R`"), std::string::npos) << d[0].message;
  // The policy records why it is empty, for traces.
  const Policy& p = r.value().roles.begin()->second.trust_policy.policy;
  EXPECT_EQ(p.kind, PolicyKind::Trust);
  EXPECT_TRUE(hasCode(p.diagnostics, "gaad.invalid_document"));
}

// One gaad.* code: the input, the code, its pointer, and whether the load fails.
struct CodeCase {
  const char* code;
  std::string input;
  const char* where;
  bool fails;
};

const char* kUser = R"({"UserName":"u","UserId":"AIDA1EXAMPLEUSER0001","Arn":"arn:aws:iam::111122223333:user/u"})";
const char* kTrust = R"({"Statement":{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}})";

std::string role(const std::string& extra, const std::string& arn = "arn:aws:iam::111122223333:role/R") {
  return R"({"RoleName":"R","RoleId":"AROA1EXAMPLEROLE0001","Arn":")" + arn +
         R"(","AssumeRolePolicyDocument":)" + kTrust + extra + "}";
}

TEST(Gaad, EveryCodeWithItsPointer) {
  const std::string user = kUser;
  const CodeCase cases[] = {
      {"gaad.wrong_type", "[]", "", true},
      {"gaad.wrong_type", R"({"UserDetailList":{}})", "/UserDetailList", true},
      {"gaad.wrong_type", R"({"RoleDetailList":[7]})", "/RoleDetailList/0", true},
      {"gaad.wrong_type", R"({"RoleDetailList":[{"RoleName":5,"RoleId":"AROA1EXAMPLEROLE0001",
         "Arn":"arn:aws:iam::111122223333:role/R","AssumeRolePolicyDocument":{}}]})",
       "/RoleDetailList/0/RoleName", true},
      {"gaad.wrong_type", R"({"RoleDetailList":[)" + role(R"(,"Tags":[{"Key":"k","Value":1}])") + "]}",
       "/RoleDetailList/0/Tags/0/Value", true},
      {"gaad.wrong_type", R"({"UserDetailList":[)" + user.substr(0, user.size() - 1) + R"(,"GroupList":[3]}]})",
       "/UserDetailList/0/GroupList/0", true},
      {"gaad.wrong_type", R"({"UserDetailList":[)" + user.substr(0, user.size() - 1) +
                              R"(,"UserPolicyList":[{"PolicyName":"p","PolicyDocument":42}]}]})",
       "/UserDetailList/0/UserPolicyList/0/PolicyDocument", true},
      {"gaad.wrong_type", R"({"IsTruncated":"yes"})", "/IsTruncated", true},
      {"gaad.missing_field", R"({"RoleDetailList":[{"RoleId":"AROA1EXAMPLEROLE0001","Arn":"arn:aws:iam::111122223333:role/R","AssumeRolePolicyDocument":{}}]})",
       "/RoleDetailList/0/RoleName", true},
      {"gaad.missing_field", R"({"RoleDetailList":[{"RoleName":"R","RoleId":"AROA1EXAMPLEROLE0001","Arn":"arn:aws:iam::111122223333:role/R"}]})",
       "/RoleDetailList/0/AssumeRolePolicyDocument", true},
      {"gaad.missing_field", R"({"UserDetailList":[{"UserName":"u","UserId":"AIDA1EXAMPLEUSER0001"}]})",
       "/UserDetailList/0/Arn", true},
      {"gaad.missing_field", R"({"GroupDetailList":[{"GroupName":"g","Arn":"arn:aws:iam::111122223333:group/g","AttachedManagedPolicies":[{"PolicyName":"x"}]}]})",
       "/GroupDetailList/0/AttachedManagedPolicies/0/PolicyArn", true},
      {"gaad.missing_field", R"({"Policies":[{"PolicyName":"p","Arn":"arn:aws:iam::111122223333:policy/p"}]})",
       "/Policies/0/PolicyVersionList", true},
      {"gaad.missing_field", R"({"Policies":[{"PolicyName":"p","Arn":"arn:aws:iam::111122223333:policy/p","PolicyVersionList":[{"VersionId":"v1","IsDefaultVersion":true}]}]})",
       "/Policies/0/PolicyVersionList/0/Document", true},
      {"gaad.invalid_arn", R"({"RoleDetailList":[)" + role("", "arn:aws:iam::1111:role/R") + "]}",
       "/RoleDetailList/0/Arn", true},
      {"gaad.invalid_arn", R"({"RoleDetailList":[)" + role("", "arn:aws:iam::111122223333:user/R") + "]}",
       "/RoleDetailList/0/Arn", true},
      {"gaad.invalid_arn", R"({"RoleDetailList":[)" + role("", "R") + "]}", "/RoleDetailList/0/Arn", true},
      {"gaad.mixed_accounts", R"({"UserDetailList":[)" + user + R"(],"RoleDetailList":[)" +
                                  role("", "arn:aws:iam::444455556666:role/R") + "]}",
       "/RoleDetailList/0/Arn", true},
      {"gaad.truncated", R"({"UserDetailList":[)" + user + R"(],"IsTruncated":true,"Marker":"abc"})",
       "/IsTruncated", false},
      {"gaad.empty", R"({"UserDetailList":[],"IsTruncated":false})", "", false},
      {"gaad.invalid_document", R"({"RoleDetailList":[)" + role(R"(,"RolePolicyList":[{"PolicyName":"p","PolicyDocument":"%7B%ZZ"}])") + "]}",
       "/RoleDetailList/0/RolePolicyList/0/PolicyDocument", false},
      {"gaad.unresolved_policy", R"({"RoleDetailList":[)" +
                                     role(R"(,"AttachedManagedPolicies":[{"PolicyName":"AdministratorAccess","PolicyArn":"arn:aws:iam::aws:policy/AdministratorAccess"}])") + "]}",
       "/RoleDetailList/0/AttachedManagedPolicies/0/PolicyArn", false},
      {"gaad.unresolved_policy", R"({"UserDetailList":[)" + user.substr(0, user.size() - 1) +
                                     R"(,"PermissionsBoundary":{"PermissionsBoundaryType":"PermissionsBoundaryPolicy","PermissionsBoundaryArn":"arn:aws:iam::111122223333:policy/B"}}]})",
       "/UserDetailList/0/PermissionsBoundary/PermissionsBoundaryArn", false},
      {"gaad.unresolved_group", R"({"UserDetailList":[)" + user.substr(0, user.size() - 1) + R"(,"GroupList":["Ops"]}]})",
       "/UserDetailList/0/GroupList/0", false},
      {"gaad.default_version", R"({"Policies":[{"PolicyName":"p","Arn":"arn:aws:iam::111122223333:policy/p","DefaultVersionId":"v2","PolicyVersionList":[
         {"VersionId":"v1","IsDefaultVersion":false,"Document":{}},{"VersionId":"v2","Document":{"Statement":[]}}]}]})",
       "/Policies/0/PolicyVersionList", false},
      {"gaad.name_mismatch", R"({"RoleDetailList":[)" + role(R"(,"Path":"/ops/")") + "]}",
       "/RoleDetailList/0/Arn", false},
      {"gaad.duplicate_entity", R"({"UserDetailList":[)" + user + "," + user + "]}",
       "/UserDetailList/1", false},
  };
  for (const CodeCase& c : cases) {
    const auto r = loadText(c.input);
    const Diagnostics& d = r ? r.value().diagnostics : r.error();
    EXPECT_EQ(r.has_value(), !c.fails) << c.code << " in " << c.input << "\n" << testing::dump(d);
    EXPECT_TRUE(hasCode(d, c.code, c.where)) << c.code << " at " << c.where << " in " << c.input << "\n"
                                             << testing::dump(d);
    for (const Diagnostic& diag : d) {
      if (diag.code == c.code) {
        EXPECT_EQ(diag.severity, c.fails ? Severity::Error : Severity::Warning) << c.code;
        EXPECT_EQ(diag.file, "gaad.json") << c.code;
      }
    }
  }
}

TEST(Gaad, MixedAccountsNamesBothArns) {
  const std::string input = R"({"UserDetailList":[)" + std::string(kUser) + R"(],"RoleDetailList":[)" +
                            role("", "arn:aws:iam::444455556666:role/R") + "]}";
  const auto r = loadText(input);
  ASSERT_FALSE(r.has_value());
  ASSERT_TRUE(hasCode(r.error(), "gaad.mixed_accounts"));
  for (const Diagnostic& d : r.error()) {
    if (d.code != "gaad.mixed_accounts") continue;
    EXPECT_NE(d.message.find("arn:aws:iam::111122223333:user/u"), std::string::npos) << d.message;
    EXPECT_NE(d.message.find("arn:aws:iam::444455556666:role/R"), std::string::npos) << d.message;
  }
}

TEST(Gaad, ReportsEveryStructuralErrorNotOnlyTheFirst) {
  const auto r = loadText(R"({
    "UserDetailList":[{"UserId":"AIDA1EXAMPLEUSER0001","Arn":"arn:aws:iam::111122223333:user/u"},
                      {"UserName":"v","UserId":"AIDA1EXAMPLEUSER0002"}],
    "RoleDetailList":[{"RoleName":"R","Arn":"arn:aws:iam::111122223333:role/R","AssumeRolePolicyDocument":[]}],
    "Policies":"nope"})");
  ASSERT_FALSE(r.has_value());
  const Diagnostics& d = r.error();
  EXPECT_TRUE(hasCode(d, "gaad.missing_field", "/UserDetailList/0/UserName"));
  EXPECT_TRUE(hasCode(d, "gaad.missing_field", "/UserDetailList/1/Arn"));
  EXPECT_TRUE(hasCode(d, "gaad.missing_field", "/RoleDetailList/0/RoleId"));
  EXPECT_TRUE(hasCode(d, "gaad.wrong_type", "/RoleDetailList/0/AssumeRolePolicyDocument"));
  EXPECT_TRUE(hasCode(d, "gaad.wrong_type", "/Policies"));
  EXPECT_EQ(d.size(), 5u) << testing::dump(d);
}

TEST(Gaad, UnknownFieldsAreIgnored) {
  const auto r = loadText(R"({"UserDetailList":[{"UserName":"u","UserId":"AIDA1EXAMPLEUSER0001",
    "Arn":"arn:aws:iam::111122223333:user/u","FieldAddedIn2030":{"x":1}}],"SomethingNew":[1,2]})");
  ASSERT_TRUE(r.has_value()) << testing::dump(r.error());
  EXPECT_TRUE(r.value().diagnostics.empty()) << testing::dump(r.value().diagnostics);
}

TEST(Gaad, DefaultVersionFallsBackToDefaultVersionId) {
  const auto r = loadText(R"({"Policies":[{"PolicyName":"p","Arn":"arn:aws:iam::111122223333:policy/p",
    "DefaultVersionId":"v2","PolicyVersionList":[
      {"VersionId":"v1","IsDefaultVersion":true,"Document":{"Statement":{"Sid":"One","Effect":"Allow","Action":"*","Resource":"*"}}},
      {"VersionId":"v2","IsDefaultVersion":true,"Document":{"Statement":{"Sid":"Two","Effect":"Allow","Action":"*","Resource":"*"}}}]}]})");
  ASSERT_TRUE(r.has_value()) << testing::dump(r.error());
  EXPECT_TRUE(hasCode(r.value().diagnostics, "gaad.default_version", "/Policies/0/PolicyVersionList"));
  EXPECT_EQ(sids(r.value().policies.begin()->second.document.policy), std::vector<std::string>{"Two"});
}

struct LooksCase {
  const char* input;
  bool gaad;
};

TEST(Gaad, LooksLikeGaad) {
  const LooksCase cases[] = {
      {R"({"UserDetailList":[]})", true},
      {R"({"RoleDetailList":[],"IsTruncated":false})", true},
      {R"({"GroupDetailList":[]})", true},
      {R"({"Policies":[{"PolicyName":"p","PolicyVersionList":[]}]})", true},
      {R"({"Policies":[{"PolicyName":"p","DefaultVersionId":"v1"}]})", false},  // iam list-policies
      {R"({"Policies":[{"Id":"p-FullAWSAccess","Type":"SERVICE_CONTROL_POLICY"}]})", false},
      {R"({"UserDetailList":{}})", false},
      {R"({"format":"trustsim-organization/1"})", false},
      {R"([])", false},
  };
  for (const LooksCase& c : cases) {
    EXPECT_EQ(load::looksLikeGaad(json::parse(c.input)), c.gaad) << c.input;
  }
}

}  // namespace
}  // namespace trustsim

namespace trustsim {
namespace {

FileReader mapReader(std::map<std::string, std::string> files) {
  return [files = std::move(files)](const std::string& path, std::string& error) -> std::optional<std::string> {
    const auto it = files.find(path);
    if (it == files.end()) {
      error = path + ": no such file";
      return std::nullopt;
    }
    return it->second;
  };
}

std::string roleEntry(const std::string& account, int i) {
  return R"({"RoleName": "r)" + std::to_string(i) + R"(", "RoleId": "AROAEXAMPLE)" + std::to_string(i) +
         R"(", "Path": "/", "Arn": "arn:aws:iam::)" + account + ":role/r" + std::to_string(i) +
         R"(", "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
         "Principal": {"AWS": "arn:aws:iam::)" + account + R"(:root"}, "Action": "sts:AssumeRole"}]}})";
}

// loadWorld reads dumps with the fast reader; what it refuses goes to the strict reader, whose
// diagnostics name the place.
TEST(GaadFastPath, DuplicateKeysDepthAndUtf8AreReportedWithTheirPlace) {
  const std::string deep = std::string(300, '[') + std::string(300, ']');
  const auto r = loadWorld({"dup.json", "deep.json", "utf8.json"},
                           mapReader({{"dup.json", R"({"RoleDetailList": [{"RoleName": "a", "RoleName": "b"}]})"},
                                      {"deep.json", R"({"RoleDetailList": )" + deep + "}"},
                                      {"utf8.json", "{\"RoleDetailList\": [\"\xff\"]}"}}));
  ASSERT_FALSE(r.has_value());
  EXPECT_TRUE(hasCode(r.error(), "json.duplicate_key", "/RoleDetailList/0/RoleName")) << testing::dump(r.error());
  EXPECT_TRUE(hasCode(r.error(), "json.too_deep")) << testing::dump(r.error());
  EXPECT_TRUE(hasCode(r.error(), "json.invalid_utf8")) << testing::dump(r.error());
}

// Files load on several threads and merge in the order given: the world does not depend on the
// number of threads, and a later file still wins over an earlier one.
TEST(GaadFastPath, TheWorldDoesNotDependOnTheNumberOfThreads) {
  std::map<std::string, std::string> files;
  std::vector<std::string> paths;
  for (int a = 0; a < 12; ++a) {
    const std::string account = "1000000000" + std::to_string(10 + a);
    std::string roles;
    for (int i = 0; i < 20; ++i) roles += (i ? "," : "") + roleEntry(account, i);
    const std::string path = "acct" + std::to_string(a) + ".json";
    files[path] = R"({"RoleDetailList": [)" + roles + "]}";
    paths.push_back(path);
  }
  LoadOptions one, many;
  one.threads = 1;
  many.threads = 8;
  const auto a = loadWorld(paths, mapReader(files), one);
  const auto b = loadWorld(paths, mapReader(files), many);
  ASSERT_TRUE(a.has_value() && b.has_value());
  EXPECT_EQ(a.value().roles.size(), 240u);
  EXPECT_EQ(summary(a), summary(b));
}

}  // namespace
}  // namespace trustsim
