// SPDX-License-Identifier: Apache-2.0
// CloudFormation templates: a template with every modelled resource type and intrinsic function
// (in YAML with short-form tags and in JSON, which must give the same world), each intrinsic
// function on its own, every cfn.* code with the pointer it names, conditions, generated names,
// line numbers, malformed templates, and the real binary on the seed template and on `diff`.
#include "load/cloudformation.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "load/cfn_resolver.h"
#include "parse/source_lines.h"
#include "parse/yaml_reader.h"
#include "test_util.h"
#include "trustsim/load.h"

namespace trustsim {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::hasCode;
namespace cfn = load::cfn;

const std::string kFixtures = std::string(TRUSTSIM_SOURCE_DIR) + "/tests/fixtures/cloudformation/";
constexpr const char* kAccount = "111122223333";

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << path;
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

LoadOptions options(std::map<std::string, std::string> parameters = {}) {
  LoadOptions o;
  o.account = kAccount;
  o.stack_name = "app";
  o.parameters = std::move(parameters);
  return o;
}

// Loads texts by name through the world loader: detection, YAML tags and line numbers included.
Result<World> loadTexts(const std::map<std::string, std::string>& files,
                        const LoadOptions& o = options()) {
  const FileReader read = [files](const std::string& path,
                                  std::string& error) -> std::optional<std::string> {
    const auto it = files.find(path);
    if (it == files.end()) {
      error = "no such file";
      return std::nullopt;
    }
    return it->second;
  };
  std::vector<std::string> paths;
  for (const auto& [name, text] : files) paths.push_back(name);
  return loadWorld(paths, read, o);
}

Result<World> loadTemplate(const std::string& text, const LoadOptions& o = options()) {
  return loadTexts({{"t.yaml", text}}, o);
}

Result<World> loadFixture(const std::string& name, const LoadOptions& o) {
  return loadTexts({{name, readFile(kFixtures + name)}}, o);
}

const LoadOptions& fixtureOptions() {
  static const LoadOptions o = options({{"ExternalId", "vendor-issued-4f1c"}});
  return o;
}

const World& fixture(const std::string& name) {
  static std::map<std::string, Result<World>> cache;
  auto it = cache.find(name);
  if (it == cache.end()) it = cache.emplace(name, loadFixture(name, fixtureOptions())).first;
  EXPECT_TRUE(it->second.has_value()) << (it->second ? "" : testing::dump(it->second.error()));
  static const World empty;
  return it->second ? it->second.value() : empty;
}

// ---- a comparable summary of a world (everything but Origin::line)

json policyJson(const Policy& p) {
  json statements = json::array();
  for (const Statement& s : p.statements) {
    json principals = json::array();
    for (const PrincipalEntry& e : s.principal.entries)
      principals.push_back({static_cast<int>(e.type), e.value});
    json conditions = json::array();
    for (const ConditionClause& c : s.conditions) {
      json values = json::array();
      for (const ConditionValue& v : c.values) values.push_back(v.raw);
      conditions.push_back({c.op.name, c.key, values});
    }
    json resources = json::array();
    for (const ResourcePattern& r : s.resource.patterns) resources.push_back(r.raw);
    statements.push_back({{"sid", s.sid.value_or("")},
                          {"effect", toString(s.effect)},
                          {"principals", principals},
                          {"notPrincipal", s.principal.negated},
                          {"actions", s.action.raw},
                          {"notAction", s.action.negated},
                          {"resources", resources},
                          {"conditions", conditions},
                          {"where", s.where}});
  }
  return {{"kind", toString(p.kind)},
          {"version", p.version.value_or("")},
          {"statements", statements},
          {"file", p.file}};
}

json namedJson(const std::vector<NamedPolicy>& list) {
  json out = json::array();
  for (const NamedPolicy& p : list) out.push_back({p.name, policyJson(p.policy)});
  return out;
}

json tagsJson(const std::vector<Tag>& tags) {
  json out = json::array();
  for (const Tag& t : tags) out.push_back({t.key, t.value});
  return out;
}

json originJson(const Origin& o) { return {o.where, o.address}; }

json summary(const World& w) {
  json out;
  for (const auto& [arn, r] : w.roles) {
    out["roles"][arn] = {{"name", r.name},
                         {"path", r.path},
                         {"id", r.id},
                         {"account", r.account},
                         {"trust", policyJson(r.trust_policy.policy)},
                         {"inline", namedJson(r.inline_policies)},
                         {"managed", r.managed_policies},
                         {"boundary", r.permissions_boundary.value_or("")},
                         {"tags", tagsJson(r.tags)},
                         {"max", r.max_session_duration},
                         {"origin", originJson(r.origin)}};
  }
  for (const auto& [arn, u] : w.users) {
    out["users"][arn] = {{"name", u.name},
                         {"path", u.path},
                         {"id", u.id},
                         {"groups", u.groups},
                         {"inline", namedJson(u.inline_policies)},
                         {"managed", u.managed_policies},
                         {"boundary", u.permissions_boundary.value_or("")},
                         {"tags", tagsJson(u.tags)},
                         {"origin", originJson(u.origin)}};
  }
  for (const auto& [arn, g] : w.groups) {
    out["groups"][arn] = {{"name", g.name},
                          {"inline", namedJson(g.inline_policies)},
                          {"managed", g.managed_policies},
                          {"origin", originJson(g.origin)}};
  }
  for (const auto& [arn, p] : w.policies) {
    out["policies"][arn] = {{"name", p.document.name},
                            {"policy", policyJson(p.document.policy)},
                            {"origin", originJson(p.origin)}};
  }
  for (const auto& [arn, r] : w.resources) {
    out["resources"][arn] = {{"account", r.account},
                             {"policy", r.policy ? policyJson(r.policy->policy) : json()},
                             {"tags", tagsJson(r.tags)},
                             {"origin", originJson(r.origin)}};
  }
  for (const auto& [arn, p] : w.identity_providers) out["providers"][arn] = originJson(p.origin);
  for (const auto& [id, a] : w.accounts) out["accounts"][id] = {a.ours, a.partition};
  for (const Diagnostic& d : w.diagnostics) out["diagnostics"].push_back({d.code, d.where});
  return out;
}

// The YAML fixture's summary with the JSON file's name, to compare the two files.
std::string renamed(json s, const std::string& from, const std::string& to) {
  std::string text = s.dump(1);
  for (std::size_t at = text.find(from); at != std::string::npos;
       at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

// ---- the fixture with every resource type and intrinsic function

const std::string kYaml = "every-resource.yaml";
const std::string kJson = "every-resource.json";

TEST(CloudFormationFixture, JsonAndYamlGiveTheSameWorld) {
  const World& yaml = fixture(kYaml);
  const World& json_world = fixture(kJson);
  ASSERT_FALSE(yaml.roles.empty());
  EXPECT_EQ(renamed(summary(yaml), kYaml, kJson), summary(json_world).dump(1));
}

const Role& role(const World& w, const std::string& name) {
  for (const auto& [arn, r] : w.roles) {
    if (r.name == name) return r;
  }
  ADD_FAILURE() << "no role " << name;
  static const Role none;
  return none;
}

std::vector<std::string> names(const std::vector<NamedPolicy>& list) {
  std::vector<std::string> out;
  for (const NamedPolicy& p : list) out.push_back(p.name);
  return out;
}

const std::string kBoundaryArn =
    "arn:aws:iam::111122223333:policy/" + cfn::generatedName("app", "BoundaryPolicy", 128, false);

TEST(CloudFormationFixture, RoleWithEveryProperty) {
  const World& w = fixture(kYaml);
  const Role& r = w.roles.at("arn:aws:iam::111122223333:role/vendors/prod-vendor-access");
  EXPECT_EQ(r.name, "prod-vendor-access");
  EXPECT_EQ(r.path, "/vendors/");
  EXPECT_EQ(r.account, kAccount);
  EXPECT_EQ(r.max_session_duration, 7200);
  EXPECT_EQ(r.id, cfn::stableId("AROA", r.arn));
  EXPECT_EQ(r.origin.address, "VendorRole");
  EXPECT_EQ(r.origin.where, "/Resources/VendorRole");
  ASSERT_EQ(r.trust_policy.policy.statements.size(), 2u);
  const Statement& vendor = r.trust_policy.policy.statements[0];
  EXPECT_EQ(vendor.principal.entries.at(0).value, "arn:aws:iam::652222714481:root");
  EXPECT_EQ(vendor.conditions.at(0).values.at(0).raw, "vendor-issued-4f1c");
  EXPECT_EQ(vendor.where, "/Resources/VendorRole/Properties/AssumeRolePolicyDocument/Statement/0");
  const Statement& auditor = r.trust_policy.policy.statements[1];
  EXPECT_EQ(auditor.principal.entries.at(0).value, "arn:aws:iam::444455556666:root");  // FindInMap
  EXPECT_EQ(auditor.conditions.at(0).values.at(0).raw, "vendor-issued-4f1c-audit");
  EXPECT_EQ(names(r.inline_policies), (std::vector<std::string>{"read-data", "team"}));
  const Policy& read = r.inline_policies[0].policy;
  EXPECT_EQ(read.statements[0].resource.patterns.at(1).raw,
            "arn:aws:s3:::111122223333-data-prod/*");
  EXPECT_EQ(read.statements[1].resource.patterns.at(0).raw,
            "arn:aws:s3:::111122223333-data-prod/${aws:username}/*");
  EXPECT_EQ(r.managed_policies,
            (std::vector<std::string>{"arn:aws:iam::111122223333:policy/app/app-read",
                                      "arn:aws:iam::aws:policy/ReadOnlyAccess"}));
  EXPECT_EQ(r.permissions_boundary, kBoundaryArn);
  ASSERT_EQ(r.tags.size(), 2u);
  EXPECT_EQ(r.tags[0].value, "app");         // AWS::StackName
  EXPECT_EQ(r.tags[1].value, "production");  // Fn::If
}

TEST(CloudFormationFixture, GeneratedNamesNoValueAndConditions) {
  const World& w = fixture(kYaml);
  const std::string app_name = cfn::generatedName("app", "AppRole", 64, false);
  EXPECT_EQ(app_name.rfind("app-AppRole-", 0), 0u);
  EXPECT_EQ(app_name.size(), std::string("app-AppRole-").size() + 12);
  const Role& app = role(w, app_name);
  EXPECT_FALSE(app.permissions_boundary.has_value());  // !If [IsProd, !Ref AWS::NoValue, ...]
  EXPECT_EQ(app.max_session_duration, 3600);           // ProdInUsEast
  EXPECT_EQ(names(app.inline_policies), std::vector<std::string>{"write-queue"});
  EXPECT_EQ(app.inline_policies[0].policy.statements[0].resource.patterns[0].raw,
            "arn:aws:sqs:us-east-1:111122223333:jobs");
  EXPECT_EQ(app.managed_policies,
            std::vector<std::string>{"arn:aws:iam::111122223333:policy/app/app-read"});
  EXPECT_EQ(app.trust_policy.policy.statements.at(0).principal.entries.at(0).value,
            "lambda.amazonaws.com");

  EXPECT_EQ(w.roles.count("arn:aws:iam::111122223333:role/dev-only"), 0u);  // Condition: IsDev
  const Role& deploy = w.roles.at("arn:aws:iam::111122223333:role/github-deploy");
  EXPECT_EQ(deploy.max_session_duration, 3600);  // Fn::Select
  const auto& st = deploy.trust_policy.policy.statements;
  EXPECT_EQ(st.at(0).principal.entries.at(0).value,
            "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com");
  EXPECT_EQ(st.at(0).conditions.at(1).values.at(0).raw, "repo:example/app:*");  // Select + Split
  EXPECT_EQ(st.at(1).principal.entries.at(0).value, "ec2.amazonaws.com");       // AWS::URLSuffix

  std::vector<std::string> generated;
  for (const Diagnostic& d : w.diagnostics) {
    if (d.code == "cfn.generated_name") generated.push_back(d.where);
  }
  EXPECT_EQ(generated, (std::vector<std::string>{"/Resources/AppRole", "/Resources/Bob",
                                                 "/Resources/BoundaryPolicy",
                                                 "/Resources/DefaultKey", "/Resources/Key"}));
  EXPECT_TRUE(hasCode(w.diagnostics, "cfn.unmodelled", "/Resources/QueuePolicy"));
  EXPECT_FALSE(hasCode(w.diagnostics, "cfn.transform"));  // AWS::LanguageExtensions is read
}

TEST(CloudFormationFixture, UsersGroupsAndAttachments) {
  const World& w = fixture(kYaml);
  const Group& admins = w.groups.at("arn:aws:iam::111122223333:group/admins");
  EXPECT_EQ(names(admins.inline_policies),
            (std::vector<std::string>{"assume-vendor-role", "team"}));
  EXPECT_EQ(admins.inline_policies[0].policy.statements[0].resource.patterns[0].raw,
            "arn:aws:iam::111122223333:role/vendors/prod-vendor-access");
  EXPECT_EQ(admins.managed_policies,
            std::vector<std::string>{"arn:aws:iam::111122223333:policy/app/app-read"});
  const User& alice = w.users.at("arn:aws:iam::111122223333:user/people/alice");
  EXPECT_EQ(alice.groups, std::vector<std::string>{"admins"});
  EXPECT_EQ(names(alice.inline_policies), std::vector<std::string>{"team"});
  EXPECT_EQ(alice.inline_policies[0].policy.statements[0].resource.patterns[0].raw,
            "arn:aws:dynamodb:us-east-1:111122223333:table/prod-items");
  EXPECT_EQ(alice.tags.at(0).value, "platform");
  const std::string bob =
      "arn:aws:iam::111122223333:user/" + cfn::generatedName("app", "Bob", 64, false);
  EXPECT_EQ(w.users.at(bob).groups, std::vector<std::string>{"admins"});  // UserToGroupAddition
  EXPECT_EQ(w.policies.at("arn:aws:iam::111122223333:policy/app/app-read")
                .document.policy.statements.at(0)
                .resource.patterns.at(0)
                .raw.rfind("arn:aws:kms:us-east-1:111122223333:key/", 0),
            0u);
  EXPECT_EQ(w.policies.count(kBoundaryArn), 1u);
}

TEST(CloudFormationFixture, BucketsKeysAndProviders) {
  const World& w = fixture(kYaml);
  const Resource& bucket = w.resources.at("arn:aws:s3:::111122223333-data-prod");
  EXPECT_EQ(bucket.account, kAccount);
  EXPECT_EQ(bucket.origin.address, "DataBucketPolicy");
  ASSERT_TRUE(bucket.policy.has_value());
  EXPECT_EQ(bucket.tags.at(0).value, "shared");
  const auto& st = bucket.policy->policy.statements;
  EXPECT_EQ(st.at(0).principal.entries.at(0).value,
            "arn:aws:iam::111122223333:role/vendors/prod-vendor-access");
  EXPECT_EQ(st.at(0).conditions.at(0).values.size(), 2u);                // a CommaDelimitedList
  EXPECT_EQ(st.at(1).conditions.at(0).values.at(1).raw, "10.0.1.0/24");  // Fn::Cidr
  int keys = 0;
  for (const auto& [arn, r] : w.resources) {
    if (arn.rfind("arn:aws:kms:us-east-1:111122223333:key/", 0) != 0) continue;
    ++keys;
    ASSERT_TRUE(r.policy.has_value());
    EXPECT_EQ(r.policy->policy.statements.at(0).principal.entries.at(0).value,
              "arn:aws:iam::111122223333:root");
    if (r.origin.address == "Key") {
      EXPECT_EQ(r.tags.at(0).value, "aGVsbG8=");        // Fn::Base64
      EXPECT_EQ(r.tags.at(1).value, R"({"cidrs":2})");  // Fn::ToJsonString, Fn::Length
    } else {
      EXPECT_EQ(r.policy->policy.statements.at(0).sid,
                "Enable IAM User Permissions");  // the default key policy
    }
  }
  EXPECT_EQ(keys, 2);
  EXPECT_EQ(w.identity_providers.count(
                "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"),
            1u);
  EXPECT_EQ(w.identity_providers.count("arn:aws:iam::111122223333:saml-provider/okta"), 1u);
  EXPECT_TRUE(w.accounts.at(kAccount).ours);
}

// The 1-based line of the first line of `text` that contains `needle`.
int lineOf(const std::string& text, const std::string& needle) {
  std::istringstream in(text);
  int n = 0;
  for (std::string l; std::getline(in, l);) {
    ++n;
    if (l.find(needle) != std::string::npos) return n;
  }
  return 0;
}

TEST(CloudFormationFixture, OriginsNameTheLineOfTheResource) {
  for (const auto& [file, needle] : {std::pair{kYaml, std::string("  VendorRole:")},
                                     std::pair{kJson, std::string("\"VendorRole\": {")}}) {
    const World& w = fixture(file);
    const Role& r = w.roles.at("arn:aws:iam::111122223333:role/vendors/prod-vendor-access");
    EXPECT_EQ(r.origin.file, file);
    EXPECT_EQ(r.origin.line, lineOf(readFile(kFixtures + file), needle)) << file;
    EXPECT_GT(r.origin.line, 0);
  }
  const World& w = fixture(kYaml);
  EXPECT_EQ(w.groups.at("arn:aws:iam::111122223333:group/admins").origin.line,
            lineOf(readFile(kFixtures + kYaml), "  Admins:"));
}

// ---- each intrinsic function, evaluated into a tag value

const std::string kPreamble = R"(
Parameters:
  Env: {Type: String, Default: prod}
  Names: {Type: CommaDelimitedList, Default: "a,b,c"}
  Count: {Type: Number, Default: 3}
Mappings:
  M:
    prod: {Name: p-name, List: [x, y]}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsThree: !Equals [!Ref Count, 3]
  Both: !And [!Condition IsProd, !Condition IsThree]
  Either: !Or [!Not [!Condition IsProd], !Equals [a, a]]
  Neither: !Not [!Condition Either]
Resources:
  Other:
    Type: AWS::IAM::Role
    Properties:
      RoleName: other
      Path: /o/
      AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}]}
  Bucket:
    Type: AWS::S3::Bucket
    Properties: {BucketName: b-1}
  Table:
    Type: AWS::DynamoDB::Table
  Topic:
    Type: AWS::SNS::Topic
    Properties: {TopicName: t}
  Fn:
    Type: AWS::Lambda::Function
    Properties: {FunctionName: f}
  Profile:
    Type: AWS::IAM::InstanceProfile
    Properties: {Roles: [!Ref Other]}
  Logs:
    Type: AWS::Logs::LogGroup
    Properties: {LogGroupName: /app/logs}
  Policy:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      ManagedPolicyName: mp
      PolicyDocument: {Statement: [{Effect: Allow, Action: s3:GetObject, Resource: "*"}]}
  Subject:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}]}
      Tags:
        - Key: value
          Value: )";

struct ValueCase {
  const char* expression;
  const char* expected;
};

std::string tagValue(const std::string& expression) {
  const auto r = loadTemplate(kPreamble + expression + "\n");
  if (!r) return "error: " + testing::dump(r.error());
  for (const auto& [arn, role] : r.value().roles) {
    if (role.origin.address == "Subject" && !role.tags.empty()) return role.tags[0].value;
  }
  return "no tag";
}

TEST(CloudFormationIntrinsics, EachFunctionGivesWhatCloudFormationGives) {
  const std::string other_arn = "arn:aws:iam::111122223333:role/o/other";
  const ValueCase cases[] = {
      {"!Ref Env", "prod"},
      {"!Ref AWS::AccountId", "111122223333"},
      {"!Ref AWS::Partition", "aws"},
      {"!Ref AWS::Region", "us-east-1"},
      {"!Ref AWS::StackName", "app"},
      {"!Ref AWS::URLSuffix", "amazonaws.com"},
      {"!Ref Other", "other"},
      {"!Ref Policy", "arn:aws:iam::111122223333:policy/mp"},
      {"!Ref Bucket", "b-1"},
      {"!Ref Topic", "arn:aws:sns:us-east-1:111122223333:t"},
      {"!Ref Count", "3"},
      {"{Ref: Env}", "prod"},
      {"!GetAtt Other.Arn", "arn:aws:iam::111122223333:role/o/other"},
      {"!GetAtt [Other, Arn]", "arn:aws:iam::111122223333:role/o/other"},
      {"{\"Fn::GetAtt\": \"Other.Arn\"}", "arn:aws:iam::111122223333:role/o/other"},
      {"!GetAtt Bucket.Arn", "arn:aws:s3:::b-1"},
      {"!GetAtt Fn.Arn", "arn:aws:lambda:us-east-1:111122223333:function:f"},
      {"!GetAtt Logs.Arn", "arn:aws:logs:us-east-1:111122223333:log-group:/app/logs:*"},
      {"!GetAtt Policy.PolicyArn", "arn:aws:iam::111122223333:policy/mp"},
      {"!Sub '${Env}-${AWS::Region}'", "prod-us-east-1"},
      {"!Sub '${Other.Arn}/x'", "arn:aws:iam::111122223333:role/o/other/x"},
      {"!Sub '${!Literal} ${!aws:username}'", "${Literal} ${aws:username}"},
      {"!Sub ['${a}-${b}-${Env}', {a: 1, b: !Ref Other}]", "1-other-prod"},
      {"{\"Fn::Sub\": \"x-${Env}\"}", "x-prod"},
      {"!Join [':', [a, !Ref Env, 3]]", "a:prod:3"},
      {"!Join ['', !Ref Names]", "abc"},
      {"!Join [',', !Split ['|', 'x|y|']]", "x,y,"},
      {"!Select [1, !Ref Names]", "b"},
      {"!Select ['2', [p, q, r]]", "r"},
      {"!Select [0, !FindInMap [M, !Ref Env, List]]", "x"},
      {"!FindInMap [M, prod, Name]", "p-name"},
      {"!FindInMap [M, dev, Name, {DefaultValue: fallback}]", "fallback"},
      {"!If [IsProd, yes, no]", "yes"},
      {"!If [Both, yes, no]", "yes"},
      {"!If [Either, yes, no]", "yes"},
      {"!If [Neither, yes, no]", "no"},
      {"!Base64 hello", "aGVsbG8="},
      {"!Base64 {'Fn::Sub': '${Env}!'}", "cHJvZCE="},  // AWS: no short form right after !Base64
      {"!Join [',', !Cidr ['192.168.0.0/24', 6, 5]]",
       "192.168.0.0/27,192.168.0.32/27,192.168.0.64/27,192.168.0.96/27,192.168.0.128/"
       "27,192.168.0.160/27"},
      {"!Join [',', !Cidr ['2001:db8::/56', 2, 64]]", "2001:db8::/64,2001:db8:0:1::/64"},
      {"!ToJsonString [1, a]", "[1,\"a\"]"},
      {"!Sub ['${n}', {n: !Length [a, b, c]}]", "3"},
  };
  for (const ValueCase& c : cases) EXPECT_EQ(tagValue(c.expression), c.expected) << c.expression;
  EXPECT_EQ(tagValue("!GetAtt Other.RoleId"), cfn::stableId("AROA", other_arn));
  EXPECT_EQ(tagValue("!GetAtt Profile.Arn"), "arn:aws:iam::111122223333:instance-profile/" +
                                                 cfn::generatedName("app", "Profile", 128, false));
}

TEST(CloudFormationIntrinsics, NoValueRemovesTheProperty) {
  EXPECT_EQ(tagValue("!If [IsProd, !Ref AWS::NoValue, x]").rfind("error:", 0),
            0u);  // Value is required
  const auto r =
      loadTemplate(kPreamble + "x\n      RoleName: !If [IsProd, !Ref AWS::NoValue, named]\n");
  ASSERT_TRUE(r) << testing::dump(r.error());
  EXPECT_TRUE(hasCode(r.value().diagnostics, "cfn.generated_name", "/Resources/Subject"));
}

// ---- every code, with the pointer it names

struct CodeCase {
  const char* code;
  std::string input;
  std::string where;
  bool fails;
};

const std::string kRole = R"(
Resources:
  VendorRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              AWS: PRINCIPAL
            Action: sts:AssumeRole
)";

// The role template with its principal replaced.
std::string principal(const std::string& expression, const std::string& more = "") {
  std::string t = kRole;
  t.replace(t.find("PRINCIPAL"), 9, expression);
  return more + t;
}

const std::string kPrincipal =
    "/Resources/VendorRole/Properties/AssumeRolePolicyDocument/Statement/0/Principal/AWS";
const std::string kValid = principal("'444455556666'");

TEST(CloudFormationErrors, EveryCodeWithItsPointer) {
  const std::string no_default = "Parameters:\n  ExternalId: {Type: String}\n";
  const CodeCase cases[] = {
      {"cfn.unresolved", principal("!ImportValue vendor-account"), kPrincipal, true},
      {"cfn.unresolved", principal("!Select [0, !GetAZs '']"), kPrincipal + "/Fn::Select/1", true},
      {"cfn.unresolved", principal("!GetAtt VendorRole.Foo"), kPrincipal, true},
      {"cfn.unresolved", principal("!GetAtt Box.PrivateIp") + "  Box: {Type: AWS::EC2::Instance}\n",
       kPrincipal, true},
      {"cfn.unresolved", principal("!Ref AWS::StackId"), kPrincipal, true},
      {"cfn.unresolved",
       principal("!Ref Acct",
                 "Parameters:\n  Acct: {Type: 'AWS::SSM::Parameter::Value<String>', Default: "
                 "/vendor/account}\n"),
       "/Parameters/Acct", true},
      {"cfn.unknown_reference", principal("!Ref VendorAccount"), kPrincipal, true},
      {"cfn.unknown_reference", principal("!Sub 'arn:aws:iam::${aws:username}:root'"), kPrincipal,
       true},
      {"cfn.unknown_reference", principal("!FindInMap [Nope, a, b]"), kPrincipal, true},
      {"cfn.unknown_reference", principal("!If [Nope, a, b]"), kPrincipal + "/Fn::If/0", true},
      {"cfn.unknown_reference", principal("!Ref AWS::Nope"), kPrincipal, true},
      {"cfn.missing_parameter", principal("!Ref ExternalId", no_default), "/Parameters/ExternalId",
       true},
      {"cfn.invalid_parameter",
       principal("!Ref Env",
                 "Parameters:\n  Env: {Type: String, Default: test, AllowedValues: [dev, prod]}\n"),
       "/Parameters/Env/AllowedValues", true},
      {"cfn.invalid_parameter",
       principal("!Ref N", "Parameters:\n  N: {Type: Number, Default: x}\n"), "/Parameters/N/Type",
       true},
      {"cfn.invalid_parameter",
       principal("!Ref P",
                 "Parameters:\n  P: {Type: String, Default: abc, AllowedPattern: '[0-9]+'}\n"),
       "/Parameters/P/AllowedPattern", true},
      {"cfn.invalid_parameter",
       principal("!Ref P", "Parameters:\n  P: {Type: String, Default: abc, MinLength: 8}\n"),
       "/Parameters/P/MinLength", true},
      {"cfn.bad_intrinsic", principal("!Select [5, [a]]"), kPrincipal + "/Fn::Select", true},
      {"cfn.bad_intrinsic", principal("!Join [',']"), kPrincipal + "/Fn::Join", true},
      {"cfn.bad_intrinsic", principal("{'Fn::Nope': 1}"), kPrincipal, true},
      {"cfn.bad_intrinsic", principal("{Ref: [a]}"), kPrincipal + "/Ref", true},
      {"cfn.bad_intrinsic", principal("{Ref: a, Other: b}"), kPrincipal + "/Ref", true},
      {"cfn.bad_intrinsic", principal("!Equals [a, b]"), kPrincipal, true},
      {"cfn.bad_intrinsic", principal("!Sub 'x${'"), kPrincipal + "/Fn::Sub", true},
      {"cfn.bad_intrinsic", principal("!Join [',', !Cidr ['10.0.0.0/24', 300, 2]]"),
       kPrincipal + "/Fn::Join/1/Fn::Cidr", true},
      {"cfn.bad_intrinsic",
       principal("!If [C, a, b]", "Conditions:\n  C: !Equals [!GetAtt VendorRole.Arn, x]\n"),
       "/Conditions/C/Fn::Equals/0", true},
      {"cfn.unsupported_intrinsic", principal("!Transform {Name: M}"), kPrincipal, true},
      {"cfn.unsupported_intrinsic", kRole + "  Fn::ForEach::Roles: [R, [a], {}]\n",
       "/Resources/Fn::ForEach::Roles", true},
      {"cfn.wrong_type", principal("!Join [',', [[a]]]"), kPrincipal + "/Fn::Join/1/0", true},
      {"cfn.wrong_type", kValid + "      RoleName: [a]\n",
       "/Resources/VendorRole/Properties/RoleName", true},
      {"cfn.wrong_type", "Resources:\n  R: 5\n  S: {Type: AWS::IAM::Group}\n", "/Resources/R",
       true},
      {"cfn.wrong_type", "AWSTemplateFormatVersion: '2010-09-09'\nResources: []\n", "/Resources",
       true},
      {"cfn.wrong_type", "AWSTemplateFormatVersion: '2010-09-09'\nParameters: 3\nResources: {}\n",
       "/Parameters", true},
      {"cfn.missing_field", "AWSTemplateFormatVersion: '2010-09-09'\n", "/Resources", true},
      {"cfn.missing_field", "Resources:\n  R: {Type: AWS::IAM::Role}\n",
       "/Resources/R/Properties/AssumeRolePolicyDocument", true},
      {"cfn.missing_field",
       kValid + "  P:\n    Type: AWS::IAM::Policy\n    Properties: {PolicyName: p, PolicyDocument: "
                "{}}\n",
       "/Resources/P/Properties", true},
      {"cfn.missing_field",
       "AWSTemplateFormatVersion: '2010-09-09'\nParameters: {P: {Default: 1}}\nResources: {}\n",
       "/Parameters/P/Type", true},
      {"cfn.cycle",
       "Resources:\n  A: {Type: AWS::IAM::Group, Properties: {GroupName: !Sub '${B}-a'}}\n"
       "  B: {Type: AWS::IAM::Group, Properties: {GroupName: !Sub '${A}-b'}}\n",
       "/Resources/B/Properties/GroupName", true},
      {"cfn.cycle",
       principal("!If [C1, a, b]",
                 "Conditions:\n  C1: !Condition C2\n  C2: !Not [!Condition C1]\n"),
       "/Conditions/C2/Fn::Not/0/Condition", true},
      {"cfn.unresolved",
       principal("!GetAtt Dev.Arn", "Conditions:\n  No: !Equals [a, b]\n") +
           "  Dev:\n    Type: AWS::IAM::User\n    Condition: No\n",
       kPrincipal, true},
      {"cfn.invalid_value", kValid + "      MaxSessionDuration: 100\n",
       "/Resources/VendorRole/Properties/MaxSessionDuration", true},
      {"cfn.invalid_value", kValid + "      Path: vendors\n",
       "/Resources/VendorRole/Properties/Path", true},
      {"cfn.invalid_value", kValid + "      RoleName: 'a b'\n",
       "/Resources/VendorRole/Properties/RoleName", true},
      {"cfn.invalid_value", kValid + "      ManagedPolicyArns: [ReadOnlyAccess]\n",
       "/Resources/VendorRole/Properties/ManagedPolicyArns/0", true},
      {"cfn.invalid_value",
       kValid + "  G:\n    Type: AWS::IAM::UserToGroupAddition\n    Properties: {GroupName: g, "
                "Users: ['arn:aws:iam::111122223333:user/u']}\n",
       "/Resources/G/Properties/Users/0", true},
      {"cfn.invalid_value", "AWSTemplateFormatVersion: '2011-01-01'\nResources: {}\n",
       "/AWSTemplateFormatVersion", true},
      {"cfn.invalid_document",
       kValid + "      Policies: [{PolicyName: p, PolicyDocument: '{oops'}]\n",
       "/Resources/VendorRole/Properties/Policies/0/PolicyDocument", true},
      {"cfn.duplicate",
       kValid + "      RoleName: twin\n  Twin:\n    Type: AWS::IAM::Role\n    Properties:\n      "
                "RoleName: TWIN\n"
                "      AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {AWS: x}, "
                "Action: sts:AssumeRole}]}\n"
                "  Again:\n    Type: AWS::IAM::Role\n    Properties:\n      RoleName: twin\n"
                "      AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {AWS: x}, "
                "Action: sts:AssumeRole}]}\n",
       "/Resources/VendorRole", true},
      {"cfn.duplicate",
       kValid + "      Policies: [{PolicyName: p, PolicyDocument: {}}, {PolicyName: p, "
                "PolicyDocument: {}}]\n",
       "/Resources/VendorRole/Properties/Policies/1/PolicyName", true},
      {"cfn.unknown_property", kValid + "      Polices: []\n",
       "/Resources/VendorRole/Properties/Polices", true},
      {"cfn.unknown_section", kValid + "Output: {}\n", "/Output", true},
      {"parse.resource_in_trust_policy", kValid + "            Resource: '*'\n", "*", true},
      {"yaml.unknown_tag", principal("!Reff x"), kPrincipal, true},
      {"cfn.transform", principal("'111122223333'", "Transform: AWS::Serverless-2016-10-31\n"),
       "/Transform", false},
      {"cfn.generated_name", principal("'111122223333'"), "/Resources/VendorRole", false},
      {"cfn.unmodelled",
       principal("'111122223333'") + "  Nested: {Type: AWS::CloudFormation::Stack}\n",
       "/Resources/Nested", false},
      {"cfn.outside_target",
       principal("'111122223333'") +
           "  P:\n    Type: AWS::IAM::Policy\n"
           "    Properties: {PolicyName: p, Roles: [elsewhere], PolicyDocument: {Statement: "
           "[{Effect: Allow, Action: s3:*, Resource: '*'}]}}\n",
       "/Resources/P/Properties/Roles/0", false},
  };
  for (const CodeCase& c : cases) {
    const auto r = loadTemplate(c.input);
    const Diagnostics& d = r ? r.value().diagnostics : r.error();
    EXPECT_EQ(r.has_value(), !c.fails) << c.code << " in\n" << c.input << "\n" << testing::dump(d);
    EXPECT_TRUE(hasCode(d, c.code, c.where)) << c.code << " at " << c.where << " in\n"
                                             << c.input << "\n"
                                             << testing::dump(d);
    for (const Diagnostic& diag : d) EXPECT_EQ(diag.file, "t.yaml") << c.code;
  }
}

TEST(CloudFormationErrors, UnknownParameterIsAWarningNamingTheDeclaredOnes) {
  const auto r = loadTemplate(
      principal("!Ref Acct", "Parameters:\n  Acct: {Type: String, Default: '444455556666'}\n"),
      options({{"Acount", "1"}}));
  ASSERT_TRUE(r) << testing::dump(r.error());
  ASSERT_TRUE(hasCode(r.value().diagnostics, "cfn.unknown_parameter", "/Parameters"));
  for (const Diagnostic& d : r.value().diagnostics) {
    if (d.code == "cfn.unknown_parameter") {
      EXPECT_NE(d.message.find("Acct"), std::string::npos) << d.message;
    }
  }
}

TEST(CloudFormationErrors, ParameterValuesOverrideDefaults) {
  const std::string t = principal("!Sub 'arn:aws:iam::${Acct}:root'",
                                  "Parameters:\n  Acct: {Type: String, Default: '444455556666'}\n");
  for (const auto& [given, expected] : {std::pair<std::string, std::string>{"", "444455556666"},
                                        {"777788889999", "777788889999"}}) {
    const auto r = loadTemplate(t, given.empty() ? options() : options({{"Acct", given}}));
    ASSERT_TRUE(r) << testing::dump(r.error());
    const Role& role = r.value().roles.begin()->second;
    EXPECT_EQ(role.trust_policy.policy.statements[0].principal.entries[0].account, expected);
  }
}

TEST(CloudFormationErrors, EveryErrorIsReportedWithItsLine) {
  const std::string t = "Parameters:\n  ExternalId: {Type: String}\n" + kRole +
                        "  Other:\n    Type: AWS::IAM::Role\n"
                        "    Properties:\n      AssumeRolePolicyDocument: !ImportValue trust\n";
  std::string text = t;
  text.replace(text.find("PRINCIPAL"), 9, "!Ref ExternalId");
  const auto r = loadTemplate(text);
  ASSERT_FALSE(r);
  EXPECT_TRUE(hasCode(r.error(), "cfn.missing_parameter", "/Parameters/ExternalId"));
  EXPECT_TRUE(
      hasCode(r.error(), "cfn.unresolved", "/Resources/Other/Properties/AssumeRolePolicyDocument"));
  for (const Diagnostic& d : r.error()) {
    if (d.code != "cfn.missing_parameter" && d.code != "cfn.unresolved") continue;
    const int expected =
        d.code == "cfn.missing_parameter" ? 2 : lineOf(text, "AssumeRolePolicyDocument: !Import");
    EXPECT_NE(d.message.find("(line " + std::to_string(expected) + ")"), std::string::npos)
        << formatDiagnostic(d);
  }
}

TEST(CloudFormationErrors, AResourceWhoseNameFailsStillReportsItsOtherErrors) {
  const auto r = loadTemplate(principal("!ImportValue vendor") + "      RoleName: !Ref Missing\n");
  ASSERT_FALSE(r);
  EXPECT_TRUE(
      hasCode(r.error(), "cfn.unknown_reference", "/Resources/VendorRole/Properties/RoleName"))
      << testing::dump(r.error());
  EXPECT_TRUE(hasCode(r.error(), "cfn.unresolved", kPrincipal)) << testing::dump(r.error());
}

TEST(CloudFormationErrors, JsonTemplatesNameTheLineToo) {
  const std::string text =
      "{\n  \"Resources\": {\n    \"G\": {\n      \"Type\": \"AWS::IAM::Group\",\n"
      "      \"Properties\": {\n        \"GroupName\": {\"Fn::ImportValue\": \"x\"}\n      }\n    "
      "}\n  }\n}\n";
  const auto r = loadTexts({{"t.json", text}});
  ASSERT_FALSE(r);
  ASSERT_TRUE(hasCode(r.error(), "cfn.unresolved", "/Resources/G/Properties/GroupName"));
  EXPECT_NE(r.error().front().message.find("(line 6)"), std::string::npos)
      << testing::dump(r.error());
}

TEST(CloudFormationErrors, MissingAccountIsReportedOnce) {
  LoadOptions o = options();
  o.account.clear();
  const auto r =
      loadTemplate(principal("!Ref AWS::AccountId") + "  G: {Type: AWS::IAM::Group}\n", o);
  ASSERT_FALSE(r);
  EXPECT_TRUE(hasCode(r.error(), "cfn.missing_account", "/Resources/G"))
      << testing::dump(r.error());
  EXPECT_EQ(std::count_if(r.error().begin(), r.error().end(),
                          [](const Diagnostic& d) { return d.code == "cfn.missing_account"; }),
            1);
}

TEST(CloudFormationErrors, DeepNestingIsAnErrorNotACrash) {
  json v = "x";
  for (int i = 0; i < 300; ++i) v = json{{"Fn::Join", json::array({"", json::array({v})})}};
  json doc = {
      {"Resources", {{"G", {{"Type", "AWS::IAM::Group"}, {"Properties", {{"GroupName", v}}}}}}}};
  const auto r = load::loadCloudFormation(doc, "deep.json", options());
  ASSERT_FALSE(r);
  EXPECT_TRUE(hasCode(r.error(), "cfn.too_deep"));
  EXPECT_EQ(std::count_if(r.error().begin(), r.error().end(),
                          [](const Diagnostic& d) { return d.code == "cfn.too_deep"; }),
            1);
}

TEST(CloudFormationErrors, MalformedTemplatesAreDiagnosedNotCrashes) {
  const char* inputs[] = {
      "AWSTemplateFormatVersion: '2010-09-09'\nResources: {R: {Type: 5}}\n",
      "AWSTemplateFormatVersion: '2010-09-09'\nResources: {R: {Type: AWS::IAM::Role, Properties: "
      "[]}}\n",
      "AWSTemplateFormatVersion: '2010-09-09'\nResources: {R: {Type: AWS::IAM::Role, Condition: "
      "[x]}}\n",
      "AWSTemplateFormatVersion: '2010-09-09'\nConditions: {C: 5}\nResources: {R: {Type: "
      "AWS::IAM::Group, Condition: C}}\n",
      "AWSTemplateFormatVersion: '2010-09-09'\nConditions: {C: !Equals [a]}\nResources: {R: {Type: "
      "AWS::IAM::Group, Condition: C}}\n",
      "AWSTemplateFormatVersion: '2010-09-09'\nConditions: {C: !And [!Condition C]}\nResources: "
      "{R: {Type: AWS::IAM::Group, Condition: C}}\n",
      "AWSTemplateFormatVersion: '2010-09-09'\nParameters: {P: 5}\nResources: {R: {Type: "
      "AWS::IAM::Group, Properties: {GroupName: !Ref P}}}\n",
      "AWSTemplateFormatVersion: '2010-09-09'\nParameters: {P: {Type: 5}}\nResources: {R: {Type: "
      "AWS::IAM::Group, Properties: {GroupName: !Ref P}}}\n",
      "AWSTemplateFormatVersion: '2010-09-09'\nMappings: 5\nResources: {R: {Type: AWS::IAM::Group, "
      "Properties: {GroupName: !FindInMap [a, b, c]}}}\n",
      "AWSTemplateFormatVersion: '2010-09-09'\nMappings: {a: 5}\nResources: {R: {Type: "
      "AWS::IAM::Group, Properties: {GroupName: !FindInMap [a, b, c]}}}\n",
      "AWSTemplateFormatVersion: '2010-09-09'\nResources: {R: {Type: AWS::IAM::Group, Properties: "
      "{GroupName: !Ref R}}}\n",
      "AWSTemplateFormatVersion: '2010-09-09'\nResources: {R: {Type: AWS::IAM::Group, Properties: "
      "{GroupName: !GetAtt R.Arn}}}\n",
      "AWSTemplateFormatVersion: '2010-09-09'\nResources: {R: {Type: AWS::IAM::Group, Properties: "
      "{Policies: 5}}}\n",
      "AWSTemplateFormatVersion: '2010-09-09'\nResources: {R: {Type: AWS::IAM::Group, Properties: "
      "{Policies: [5, {PolicyName: 1}]}}}\n",
      "AWSTemplateFormatVersion: '2010-09-09'\nResources: {R: {Type: AWS::IAM::User, Properties: "
      "{Tags: [{Key: 1}], Groups: [[]]}}}\n",
      "AWSTemplateFormatVersion: '2010-09-09'\nResources: {R: {Type: AWS::S3::BucketPolicy, "
      "Properties: {Bucket: [], PolicyDocument: 5}}}\n",
      "AWSTemplateFormatVersion: '2010-09-09'\nResources: {R: {Type: AWS::KMS::Key, Properties: "
      "{KeyPolicy: '[1]'}}}\n",
      "AWSTemplateFormatVersion: '2010-09-09'\nResources: {R: {Type: AWS::IAM::OIDCProvider}}\n",
      "AWSTemplateFormatVersion: '2010-09-09'\nResources: {R: {Type: AWS::IAM::Group, Properties: "
      "{GroupName: !Select [a, [b]]}}}\n",
      "AWSTemplateFormatVersion: '2010-09-09'\nResources: {R: {Type: AWS::IAM::Group, Properties: "
      "{GroupName: !Sub [a, b]}}}\n",
      "AWSTemplateFormatVersion: '2010-09-09'\nResources: {R: {Type: AWS::IAM::Group, Properties: "
      "{GroupName: !Join [[], [a]]}}}\n",
      "AWSTemplateFormatVersion: '2010-09-09'\nResources: {R: {Type: AWS::IAM::Group, Properties: "
      "{GroupName: !Split [',', [a]]}}}\n",
      "AWSTemplateFormatVersion: '2010-09-09'\nResources: {R: {Type: AWS::IAM::Group, Properties: "
      "{GroupName: !Cidr [x, 1, 1]}}}\n",
      "AWSTemplateFormatVersion: '2010-09-09'\nResources: {R: {Type: AWS::IAM::Group, Properties: "
      "{GroupName: !GetAtt 5}}}\n",
      "AWSTemplateFormatVersion: '2010-09-09'\nResources: {R: {Type: AWS::IAM::Group, Properties: "
      "{GroupName: !If [5, a, b]}}}\n",
      "AWSTemplateFormatVersion: '2010-09-09'\nResources: {R: {Type: AWS::IAM::Group, Properties: "
      "{GroupName: !ToJsonString a}}}\n",
      "AWSTemplateFormatVersion: '2010-09-09'\nResources: {R: {Type: AWS::IAM::Group, Properties: "
      "{GroupName: !Length a}}}\n",
      "AWSTemplateFormatVersion: '2010-09-09'\nResources: {R: {Type: AWS::IAM::Group, Properties: "
      "{GroupName: !FindInMap [a, b, c, d]}}}\n",
  };
  for (const char* input : inputs) {
    const auto r = loadTemplate(input);
    EXPECT_FALSE(r.has_value()) << input;
    if (!r) {
      for (const Diagnostic& d : r.error()) EXPECT_FALSE(d.code.empty()) << input;
    }
  }
}

TEST(CloudFormationDetection, TemplatesByContentNotOtherInputs) {
  EXPECT_TRUE(load::looksLikeCloudFormation(json{{"AWSTemplateFormatVersion", "2010-09-09"}}));
  EXPECT_TRUE(load::looksLikeCloudFormation(
      json::parse(R"({"Resources": {"R": {"Type": "AWS::IAM::Role"}}})")));
  EXPECT_FALSE(load::looksLikeCloudFormation(
      json::parse(R"({"Resources": {"R": {"Type": "Custom::Thing"}}})")));
  EXPECT_FALSE(load::looksLikeCloudFormation(json::parse(R"({"Resources": []})")));
  EXPECT_FALSE(load::looksLikeCloudFormation(json::parse(R"({"roles": []})")));
  EXPECT_FALSE(load::looksLikeCloudFormation(json::array()));
  // A scenario stays a scenario: its loader, not this one, reads it.
  const auto r =
      loadTexts({{"s.yaml", "format: trustsim-scenario/1\naccounts: [{id: '111122223333'}]\n"}});
  EXPECT_TRUE(r) << testing::dump(r.error());
}

TEST(CloudFormationDetection, TwoTemplatesMergeIntoOneWorld) {
  const auto r = loadTexts({{"a.yaml", principal("'444455556666'")},
                            {"b.json", R"({"Resources": {"G": {"Type": "AWS::IAM::Group",
                              "Properties": {"GroupName": "ops"}}}})"}});
  ASSERT_TRUE(r) << testing::dump(r.error());
  EXPECT_EQ(r.value().roles.size(), 1u);
  EXPECT_EQ(r.value().groups.at("arn:aws:iam::111122223333:group/ops").origin.file, "b.json");
}

// ---- generated names and other building blocks

TEST(CloudFormationNames, GeneratedNamesAreDeterministicAndFit) {
  EXPECT_EQ(cfn::generatedName("app", "Role", 64, false),
            cfn::generatedName("app", "Role", 64, false));
  EXPECT_NE(cfn::generatedName("app", "Role", 64, false),
            cfn::generatedName("app", "Role2", 64, false));
  EXPECT_NE(cfn::generatedName("app", "Role", 64, false),
            cfn::generatedName("other", "Role", 64, false));
  const std::string long_name =
      cfn::generatedName(std::string(60, 's'), std::string(60, 'L'), 64, false);
  EXPECT_EQ(long_name.size(), 64u);
  EXPECT_EQ(long_name.substr(51, 1), "-");
  const std::string bucket = cfn::generatedName("App", "DataBucket", 63, true);
  EXPECT_EQ(bucket.rfind("app-databucket-", 0), 0u);
  EXPECT_EQ(bucket, [&] {
    std::string s = bucket;
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  }());
}

TEST(CloudFormationNames, StackNameDefaultsToStackInGeneratedNamesOnly) {
  LoadOptions o = options();
  o.stack_name.clear();
  const auto r = loadTemplate(principal("'444455556666'"), o);
  ASSERT_TRUE(r) << testing::dump(r.error());
  EXPECT_EQ(r.value().roles.begin()->second.name,
            cfn::generatedName("stack", "VendorRole", 64, false));
  const auto named =
      loadTemplate(principal("!Sub 'arn:aws:iam::111122223333:role/${AWS::StackName}'"), o);
  ASSERT_FALSE(named);
  EXPECT_TRUE(hasCode(named.error(), "cfn.unresolved", kPrincipal)) << testing::dump(named.error());
}

TEST(CloudFormationCidr, RangesAndRefusals) {
  std::string why;
  EXPECT_EQ(cfn::cidrBlocks("10.0.0.0/16", 3, 8, why),
            (std::vector<std::string>{"10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24"}));
  EXPECT_EQ(cfn::cidrBlocks("10.0.5.7/16", 1, 16, why), std::vector<std::string>{"10.0.0.0/16"});
  EXPECT_FALSE(cfn::cidrBlocks("10.0.0.0/24", 3, 7, why));  // 2 blocks of /25 fit
  EXPECT_FALSE(cfn::cidrBlocks("10.0.0.0", 1, 8, why));
  EXPECT_FALSE(cfn::cidrBlocks("10.0.0.0/33", 1, 8, why));
  EXPECT_FALSE(cfn::cidrBlocks("10.0.0.0/16", 0, 8, why));
}

// ---- lines and YAML short forms

TEST(SourceLines, JsonPointersToLines) {
  const std::string text =
      "{\n  \"a\": 1,\n  \"b\": [\n    {\"c\": true},\n    2\n  ],\n  \"d~/e\": {}\n}\n";
  const parse::SourceLines lines = parse::SourceLines::of(text);
  EXPECT_EQ(lines.line(""), 1);
  EXPECT_EQ(lines.line("/a"), 2);
  EXPECT_EQ(lines.line("/b"), 3);
  EXPECT_EQ(lines.line("/b/0"), 4);
  EXPECT_EQ(lines.line("/b/0/c"), 4);
  EXPECT_EQ(lines.line("/b/1"), 5);  // a number, whose end is seen one character later
  EXPECT_EQ(lines.line("/d~0~1e"), 7);
  EXPECT_EQ(lines.line("/b/0/c/deeper"), 4);  // nearest ancestor
  EXPECT_EQ(lines.line("/zzz"), 1);
  EXPECT_TRUE(parse::SourceLines::of("{oops").empty());
}

TEST(SourceLines, YamlPointersToLinesWithShortForms) {
  const std::string text = "a: 1\nb:\n  - x\n  - !GetAtt R.Arn\nc: !Sub\n  - '${x}'\n  - {x: 1}\n";
  const parse::SourceLines lines = parse::SourceLines::of(text);
  EXPECT_EQ(lines.line("/a"), 1);
  EXPECT_EQ(lines.line("/b"), 2);
  EXPECT_EQ(lines.line("/b/1"), 4);
  EXPECT_EQ(lines.line("/b/1/Fn::GetAtt/1"), 4);
  EXPECT_EQ(lines.line("/c/Fn::Sub/1/x"), 7);
}

TEST(YamlShortForms, BecomeTheLongForms) {
  const auto r = parse::readYaml(
      "a: !Ref X\nb: !GetAtt A.B.C\nc: !GetAtt [A, B]\nd: !Sub [s, {v: !Ref Y}]\ne: !If [C, !Ref "
      "AWS::NoValue, 1]\n"
      "f: !Condition C\ng: !Equals [!Ref X, '1']\nh: !Cidr [10.0.0.0/16, 2, 8]\ni: !GetAZs ''\nj: "
      "!Select [0, !Split [',', !Join [',', [a]]]]\n"
      "k: !Base64 x\nl: !ImportValue v\nm: !FindInMap [M, a, b]\nn: !And [!Not [!Condition C], !Or "
      "[!Condition D, !Condition E]]\n"
      "o: !Transform {Name: X}\np: !Length [a]\nq: !ToJsonString {a: 1}\nr: !Ref 12\n",
      "t.yaml");
  ASSERT_TRUE(r) << testing::dump(r.error());
  const json expected = json::parse(R"({
    "a": {"Ref": "X"}, "b": {"Fn::GetAtt": ["A", "B.C"]}, "c": {"Fn::GetAtt": ["A", "B"]},
    "d": {"Fn::Sub": ["s", {"v": {"Ref": "Y"}}]}, "e": {"Fn::If": ["C", {"Ref": "AWS::NoValue"}, 1]},
    "f": {"Condition": "C"}, "g": {"Fn::Equals": [{"Ref": "X"}, "1"]}, "h": {"Fn::Cidr": ["10.0.0.0/16", 2, 8]},
    "i": {"Fn::GetAZs": ""}, "j": {"Fn::Select": [0, {"Fn::Split": [",", {"Fn::Join": [",", ["a"]]}]}]},
    "k": {"Fn::Base64": "x"}, "l": {"Fn::ImportValue": "v"}, "m": {"Fn::FindInMap": ["M", "a", "b"]},
    "n": {"Fn::And": [{"Fn::Not": [{"Condition": "C"}]}, {"Fn::Or": [{"Condition": "D"}, {"Condition": "E"}]}]},
    "o": {"Fn::Transform": {"Name": "X"}}, "p": {"Fn::Length": ["a"]}, "q": {"Fn::ToJsonString": {"a": 1}},
    "r": {"Ref": "12"}})");
  EXPECT_EQ(r.value(), expected);
  const auto bad = parse::readYaml("a: !Foo x\n", "t.yaml");
  ASSERT_FALSE(bad);
  EXPECT_TRUE(hasCode(bad.error(), "yaml.unknown_tag", "/a"));
}

// ---- the real binary

struct BinaryRun {
  int code = -1;
  std::string out, err;
};

// Runs `trustsim ARGS` in the repository root, as a user would.
BinaryRun trustsimRun(const std::string& args) {
  const fs::path tmp = fs::temp_directory_path() / ("trustsim-cfn-" + std::to_string(::getpid()));
  fs::create_directories(tmp);
  const std::string cmd = "cd '" + std::string(TRUSTSIM_SOURCE_DIR) + "' && '" + TRUSTSIM_BINARY +
                          "' " + args + " >'" + (tmp / "out").string() + "' 2>'" +
                          (tmp / "err").string() + "'";
  const int status = std::system(cmd.c_str());
  BinaryRun r;
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = readFile((tmp / "out").string());
  r.err = readFile((tmp / "err").string());
  fs::remove_all(tmp);
  return r;
}

std::string show(const BinaryRun& r) {
  return "exit " + std::to_string(r.code) + "\n--- stdout\n" + r.out + "--- stderr\n" + r.err;
}

const std::string kSeed =
    "scenarios/iac/microtica-cross-account-role.yaml scenarios/iac/microtica-vendor.yaml";

TEST(CloudFormationE2e, SeedTemplateAuditFlagsTheCustomerChosenExternalId) {
  const BinaryRun r = trustsimRun(
      "audit " + kSeed +
      " --account 777788889999 --parameter ExternalId=acme-chosen-secret-42 --format json");
  ASSERT_EQ(r.code, 0) << show(r);
  const json findings = json::parse(r.out);
  bool found = false;
  for (const json& f : findings.at("findings")) {
    if (f.at("rule") == "customer-chosen-external-id") {
      found = true;
      EXPECT_EQ(f.at("resource"), "arn:aws:iam::777788889999:role/MicroticaCrossAccountAccess");
    }
  }
  EXPECT_TRUE(found) << show(r);
}

TEST(CloudFormationE2e, MissingParameterIsAnInputErrorWithFilePointerAndLine) {
  const BinaryRun r = trustsimRun("audit " + kSeed + " --account 777788889999");
  EXPECT_EQ(r.code, 1) << show(r);
  const std::string file = "scenarios/iac/microtica-cross-account-role.yaml";
  const int line = lineOf(readFile(std::string(TRUSTSIM_SOURCE_DIR) + "/" + file), "  ExternalId:");
  EXPECT_NE(
      r.err.find(file +
                 ":/Parameters/ExternalId: error: parameter `ExternalId`, used at /Resources/"),
      std::string::npos)
      << show(r);
  EXPECT_NE(r.err.find("(line " + std::to_string(line) + ") [cfn.missing_parameter]"),
            std::string::npos)
      << show(r);
}

TEST(CloudFormationE2e, MissingAccountIsAnInputError) {
  const BinaryRun r = trustsimRun("audit " + kSeed + " --parameter ExternalId=x");
  EXPECT_EQ(r.code, 1) << show(r);
  EXPECT_NE(r.err.find("[cfn.missing_account]"), std::string::npos) << show(r);
}

TEST(CloudFormationE2e, DiffOfTwoVersionsOfATemplate) {
  const std::string before = "docs/examples/cloudformation/vendor-audit-v1.yaml";
  const std::string after = "docs/examples/cloudformation/vendor-audit-v2.json";
  const BinaryRun r = trustsimRun(
      "diff " + before + " " + after +
      " --account 111122223333 --parameter ExternalId=vendor-issued-4f1c --format json");
  ASSERT_EQ(r.code, 0) << show(r);
  const json d = json::parse(r.out);
  EXPECT_TRUE(d.at("widened").get<bool>()) << r.out;
  EXPECT_FALSE(d.at("reachGained").empty()) << r.out;
  const BinaryRun same = trustsimRun(
      "diff " + before + " " + before +
      " --account 111122223333 --parameter ExternalId=vendor-issued-4f1c --fail-on widened");
  EXPECT_EQ(same.code, 0) << show(same);
  const BinaryRun gate = trustsimRun(
      "diff " + before + " " + after +
      " --account 111122223333 --parameter ExternalId=vendor-issued-4f1c --fail-on widened");
  EXPECT_EQ(gate.code, 2) << show(gate);
}

TEST(CloudFormationE2e, SnapshotReadsTemplatesWithTheLoadOptions) {
  const BinaryRun r = trustsimRun(
      "snapshot docs/examples/cloudformation/vendor-audit-v1.yaml --account 111122223333 "
      "--parameter ExternalId=vendor-issued-4f1c");
  ASSERT_EQ(r.code, 0) << show(r);
  EXPECT_NE(r.out.find("arn:aws:iam::111122223333:role/VendorAudit"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace trustsim
