// SPDX-License-Identifier: Apache-2.0
// The policy parser: one test per diagnostic code (code, JSON pointer, severity), error
// collection, Dump origin, and the normalised model.
#include "parse/policy_parser.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "parse/json_reader.h"
#include "test_util.h"
#include "trustsim/policy.h"

namespace trustsim {
namespace {

// A Version 2012-10-17 document with the given statements (JSON text, comma-separated).
std::string doc(const std::string& statements) {
  return R"({"Version":"2012-10-17","Statement":[)" + statements + "]}";
}

// Statement bodies that are valid for each kind; `extra` is spliced in (with its own comma).
std::string identityStatement(const std::string& extra = "") {
  return R"({"Effect":"Allow","Action":"s3:GetObject","Resource":"*")" + extra + "}";
}
std::string trustStatement(const std::string& extra = "") {
  return R"({"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},)"
         R"("Action":"sts:AssumeRole")" +
         extra + "}";
}
std::string rcpStatement(const std::string& extra = "") {
  return R"({"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*")" + extra + "}";
}
// A trust statement naming one AWS principal value.
std::string trustPrincipal(const std::string& aws_json) {
  return doc(R"({"Effect":"Allow","Principal":{"AWS":)" + aws_json +
             R"(},"Action":"sts:AssumeRole"})");
}
// An identity statement with one condition block.
std::string identityCondition(const std::string& block_json) {
  return doc(identityStatement(R"(,"Condition":)" + block_json));
}

// Every diagnostic of a parse, whether or not the document was valid.
struct Parsed {
  bool has_value = false;
  Diagnostics diagnostics;
};

Parsed parseText(const std::string& text, PolicyKind kind,
                 PolicyOrigin origin = PolicyOrigin::Authored) {
  const auto result = parsePolicyText(text, kind, origin);
  if (result) {
    return {true, result.value().diagnostics};
  }
  return {false, result.error()};
}

struct DiagCase {
  PolicyKind kind;
  std::string text;
  std::string where;
};

// The document yields exactly one diagnostic: `code` at `where`, with the given severity. An
// error makes an Authored document invalid; a warning does not.
void expectOnly(const std::string& code, Severity severity, const std::vector<DiagCase>& cases) {
  for (const DiagCase& c : cases) {
    const Parsed p = parseText(c.text, c.kind);
    SCOPED_TRACE("document " + c.text + " (" + std::string(toString(c.kind)) + ")\n" +
                 testing::dump(p.diagnostics));
    EXPECT_EQ(p.has_value, severity == Severity::Warning);
    ASSERT_EQ(p.diagnostics.size(), 1u);
    EXPECT_EQ(p.diagnostics[0].code, code);
    EXPECT_EQ(p.diagnostics[0].where, c.where);
    EXPECT_EQ(p.diagnostics[0].severity, severity);
    EXPECT_FALSE(p.diagnostics[0].message.empty());
  }
}

void expectError(const std::string& code, const std::vector<DiagCase>& cases) {
  expectOnly(code, Severity::Error, cases);
}
void expectWarning(const std::string& code, const std::vector<DiagCase>& cases) {
  expectOnly(code, Severity::Warning, cases);
}

constexpr PolicyKind kIdentity = PolicyKind::Identity;
constexpr PolicyKind kTrust = PolicyKind::Trust;
constexpr PolicyKind kResource = PolicyKind::Resource;
constexpr PolicyKind kScp = PolicyKind::Scp;
constexpr PolicyKind kRcp = PolicyKind::Rcp;

// ---------------------------------------------------------------------------------------------
// Document level

TEST(PolicyParser, NotObject) {
  expectError("parse.not_object", {
                                      {kIdentity, "[]", ""},
                                      {kIdentity, R"("text")", ""},
                                      {kIdentity, "42", ""},
                                      {kIdentity, "null", ""},
                                  });
}

TEST(PolicyParser, WrongType) {
  const std::string stmt = identityStatement();
  expectError(
      "parse.wrong_type",
      {
          {kIdentity, R"({"Version":1,"Statement":[)" + stmt + "]}", "/Version"},
          {kIdentity, R"({"Version":"2012-10-17","Id":5,"Statement":[)" + stmt + "]}", "/Id"},
          {kIdentity, R"({"Version":"2012-10-17","Statement":"x"})", "/Statement"},
          {kIdentity, doc("1"), "/Statement/0"},
          {kIdentity, doc(stmt + ",[]"), "/Statement/1"},
          {kIdentity, doc(identityStatement(R"(,"Sid":1)")), "/Statement/0/Sid"},
          {kIdentity, doc(R"({"Effect":"Allow","Action":5,"Resource":"*"})"),
           "/Statement/0/Action"},
          {kIdentity, doc(R"({"Effect":"Allow","Action":["s3:GetObject",5],"Resource":"*"})"),
           "/Statement/0/Action/1"},
          {kIdentity, doc(R"({"Effect":"Allow","Action":"s3:GetObject","Resource":{}})"),
           "/Statement/0/Resource"},
          {kTrust, doc(R"({"Effect":"Allow","Principal":5,"Action":"sts:AssumeRole"})"),
           "/Statement/0/Principal"},
          {kTrust, trustPrincipal("5"), "/Statement/0/Principal/AWS"},
          {kIdentity, identityCondition(R"("x")"), "/Statement/0/Condition"},
          {kIdentity, identityCondition(R"({"StringEquals":"x"})"),
           "/Statement/0/Condition/StringEquals"},
      });
}

TEST(PolicyParser, InvalidVersion) {
  const std::string stmt = identityStatement();
  expectError(
      "parse.invalid_version",
      {
          {kIdentity, R"({"Version":"2012-10-18","Statement":[)" + stmt + "]}", "/Version"},
          {kIdentity, R"({"Version":"","Statement":[)" + stmt + "]}", "/Version"},
          // AWS: an RCP needs Version 2012-10-17 (absent or 2008 is refused).
          {kRcp, R"({"Statement":[)" + rcpStatement() + "]}", "/Version"},
          {kRcp, R"({"Version":"2008-10-17","Statement":[)" + rcpStatement() + "]}", "/Version"},
      });
}

TEST(PolicyParser, UnknownElement) {
  expectError(
      "parse.unknown_element",
      {
          {kIdentity,
           R"({"Version":"2012-10-17","Foo":1,"Statement":[)" + identityStatement() + "]}", "/Foo"},
          {kIdentity, R"({"version":"2012-10-17","Statement":[)" + identityStatement() + "]}",
           "/version"},
          {kIdentity, doc(identityStatement(R"(,"Foo":1)")), "/Statement/0/Foo"},
          {kIdentity, doc(identityStatement(R"(,"effect":"Allow")")), "/Statement/0/effect"},
          // Pointer tokens escape `/` and `~` (RFC 6901).
          {kIdentity, doc(identityStatement(R"(,"a/b~c":1)")), "/Statement/0/a~1b~0c"},
      });
}

TEST(PolicyParser, MissingStatement) {
  expectError("parse.missing_statement", {
                                             {kIdentity, R"({"Version":"2012-10-17"})", ""},
                                             {kIdentity, "{}", ""},
                                         });
}

TEST(PolicyParser, EmptyStatementIsAWarning) {
  expectWarning("parse.empty_statement",
                {{kIdentity, R"({"Version":"2012-10-17","Statement":[]})", "/Statement"}});
}

TEST(PolicyParser, EmptyList) {
  expectError("parse.empty_list",
              {
                  {kIdentity, doc(R"({"Effect":"Allow","Action":[],"Resource":"*"})"),
                   "/Statement/0/Action"},
                  {kIdentity, doc(R"({"Effect":"Allow","NotAction":[],"Resource":"*"})"),
                   "/Statement/0/NotAction"},
                  {kIdentity, doc(R"({"Effect":"Allow","Action":"s3:GetObject","Resource":[]})"),
                   "/Statement/0/Resource"},
                  {kTrust, doc(R"({"Effect":"Allow","Principal":{},"Action":"sts:AssumeRole"})"),
                   "/Statement/0/Principal"},
                  {kTrust, trustPrincipal("[]"), "/Statement/0/Principal/AWS"},
                  {kIdentity, identityCondition(R"({"StringEquals":{"aws:username":[]}})"),
                   "/Statement/0/Condition/StringEquals/aws:username"},
              });
}

// ---------------------------------------------------------------------------------------------
// Sid and Effect

TEST(PolicyParser, DuplicateSid) {
  expectError(
      "parse.duplicate_sid",
      {
          {kIdentity,
           doc(identityStatement(R"(,"Sid":"A")") + "," + identityStatement(R"(,"Sid":"B")") + "," +
               identityStatement(R"(,"Sid":"A")")),
           "/Statement/2/Sid"},
      });
  // Empty Sids are not ids: repeating them is fine.
  const Parsed p = parseText(
      doc(identityStatement(R"(,"Sid":"")") + "," + identityStatement(R"(,"Sid":"")")), kIdentity);
  EXPECT_TRUE(p.has_value);
  EXPECT_TRUE(p.diagnostics.empty()) << testing::dump(p.diagnostics);
}

TEST(PolicyParser, SidCharactersIsAWarningForIamKinds) {
  expectWarning("parse.sid_characters",
                {
                    {kIdentity, doc(identityStatement(R"(,"Sid":"my-sid")")), "/Statement/0/Sid"},
                    {kTrust, doc(trustStatement(R"(,"Sid":"Trust vendor")")), "/Statement/0/Sid"},
                });
  // Resource-based policies (bucket policies) allow other characters.
  const Parsed p =
      parseText(doc(R"({"Sid":"my-sid","Effect":"Allow","Principal":"*","Action":"s3:GetObject",)"
                    R"("Resource":"*"})"),
                kResource);
  EXPECT_TRUE(p.has_value);
  EXPECT_TRUE(p.diagnostics.empty()) << testing::dump(p.diagnostics);
}

TEST(PolicyParser, MissingEffect) {
  expectError("parse.missing_effect",
              {{kIdentity, doc(R"({"Action":"s3:GetObject","Resource":"*"})"), "/Statement/0"}});
}

TEST(PolicyParser, InvalidEffect) {
  expectError("parse.invalid_effect",
              {
                  {kIdentity, doc(R"({"Effect":"allow","Action":"s3:GetObject","Resource":"*"})"),
                   "/Statement/0/Effect"},
                  {kIdentity, doc(R"({"Effect":"Permit","Action":"s3:GetObject","Resource":"*"})"),
                   "/Statement/0/Effect"},
                  {kIdentity, doc(R"({"Effect":true,"Action":"s3:GetObject","Resource":"*"})"),
                   "/Statement/0/Effect"},
              });
}

// ---------------------------------------------------------------------------------------------
// Principal and NotPrincipal

TEST(PolicyParser, PrincipalNotAllowed) {
  expectError(
      "parse.principal_not_allowed",
      {
          {kIdentity, doc(identityStatement(R"(,"Principal":"*")")), "/Statement/0/Principal"},
          {kScp, doc(R"({"Effect":"Deny","NotPrincipal":{"AWS":"111122223333"},"Action":"*"})"),
           "/Statement/0/NotPrincipal"},
          {PolicyKind::Boundary, doc(identityStatement(R"(,"Principal":{"AWS":"*"})")),
           "/Statement/0/Principal"},
          {PolicyKind::Session, doc(identityStatement(R"(,"Principal":"*")")),
           "/Statement/0/Principal"},
      });
}

TEST(PolicyParser, PrincipalAndNotPrincipal) {
  expectError("parse.principal_and_not_principal",
              {{kResource,
                doc(R"({"Effect":"Deny","Principal":"*","NotPrincipal":{"AWS":"111122223333"},)"
                    R"("Action":"s3:GetObject","Resource":"*"})"),
                "/Statement/0"}});
}

TEST(PolicyParser, MissingPrincipal) {
  expectError(
      "parse.missing_principal",
      {
          {kTrust, doc(R"({"Effect":"Allow","Action":"sts:AssumeRole"})"), "/Statement/0"},
          {kResource, doc(identityStatement()), "/Statement/0"},
          {kRcp, doc(R"({"Effect":"Deny","Action":"s3:*","Resource":"*"})"), "/Statement/0"},
      });
}

TEST(PolicyParser, NotPrincipalInTrustPolicy) {
  expectError("parse.not_principal_in_trust_policy",
              {
                  {kTrust,
                   doc(R"({"Effect":"Deny","NotPrincipal":{"AWS":"111122223333"},)"
                       R"("Action":"sts:AssumeRole"})"),
                   "/Statement/0/NotPrincipal"},
                  {kTrust,
                   doc(R"({"Effect":"Allow","NotPrincipal":{"AWS":"111122223333"},)"
                       R"("Action":"sts:AssumeRole"})"),
                   "/Statement/0/NotPrincipal"},
              });
}

TEST(PolicyParser, NotPrincipalInRcp) {
  expectError("parse.not_principal_in_rcp",
              {{kRcp,
                doc(R"({"Effect":"Deny","NotPrincipal":{"AWS":"111122223333"},"Action":"s3:*",)"
                    R"("Resource":"*"})"),
                "/Statement/0/NotPrincipal"}});
}

TEST(PolicyParser, AllowWithNotPrincipal) {
  expectError(
      "parse.allow_with_not_principal",
      {{kResource,
        doc(R"({"Effect":"Allow","NotPrincipal":{"AWS":"111122223333"},"Action":"s3:GetObject",)"
            R"("Resource":"*"})"),
        "/Statement/0/NotPrincipal"}});
  // Deny with NotPrincipal is the supported form.
  const Parsed p = parseText(
      doc(R"({"Effect":"Deny","NotPrincipal":{"AWS":"111122223333"},"Action":"s3:GetObject",)"
          R"("Resource":"*"})"),
      kResource);
  EXPECT_TRUE(p.has_value) << testing::dump(p.diagnostics);
}

TEST(PolicyParser, InvalidPrincipal) {
  expectError(
      "parse.invalid_principal",
      {
          // As a string, Principal must be "*".
          {kTrust,
           doc(R"({"Effect":"Allow","Principal":"arn:aws:iam::111122223333:root",)"
               R"("Action":"sts:AssumeRole"})"),
           "/Statement/0/Principal"},
          {kTrust, trustPrincipal(R"("bob")"), "/Statement/0/Principal/AWS"},
          {kTrust, trustPrincipal(R"(["arn:aws:iam::111122223333:root","bob"])"),
           "/Statement/0/Principal/AWS/1"},
          {kTrust, trustPrincipal(R"("arn:aws:iam::111122223333:group/admins")"),
           "/Statement/0/Principal/AWS"},
          {kTrust, trustPrincipal(R"("arn:aws:iam::111122223333:role/")"),
           "/Statement/0/Principal/AWS"},
          {kTrust, trustPrincipal(R"("arn:aws:sts::111122223333:assumed-role/OnlyRole")"),
           "/Statement/0/Principal/AWS"},
          {kTrust, trustPrincipal(R"("arn:aws:sts::111122223333:assumed-role/R/s/extra")"),
           "/Statement/0/Principal/AWS"},
          {kTrust, trustPrincipal(R"("arn:aws:ec2::111122223333:instance/i-1")"),
           "/Statement/0/Principal/AWS"},
          {kTrust,
           doc(R"({"Effect":"Allow","Principal":{"Service":"ec2.*"},"Action":"sts:AssumeRole"})"),
           "/Statement/0/Principal/Service"},
          {kTrust,
           doc(R"({"Effect":"Allow","Principal":{"Service":""},"Action":"sts:AssumeRole"})"),
           "/Statement/0/Principal/Service"},
          {kTrust,
           doc(R"({"Effect":"Allow","Principal":{"Federated":"*"},)"
               R"("Action":"sts:AssumeRoleWithWebIdentity"})"),
           "/Statement/0/Principal/Federated"},
      });
}

TEST(PolicyParser, InvalidPrincipalType) {
  expectError(
      "parse.invalid_principal_type",
      {
          {kTrust, doc(R"({"Effect":"Allow","Principal":{"Aws":"*"},"Action":"sts:AssumeRole"})"),
           "/Statement/0/Principal/Aws"},
          {kTrust,
           doc(R"({"Effect":"Allow","Principal":{"User":"alice"},"Action":"sts:AssumeRole"})"),
           "/Statement/0/Principal/User"},
      });
}

TEST(PolicyParser, RcpPrincipalMustBeStar) {
  expectError(
      "parse.rcp_principal",
      {
          {kRcp, doc(R"({"Effect":"Deny","Principal":{"AWS":"*"},"Action":"s3:*","Resource":"*"})"),
           "/Statement/0/Principal"},
          {kRcp,
           doc(R"({"Effect":"Deny","Principal":{"AWS":"111122223333"},"Action":"s3:*",)"
               R"("Resource":"*"})"),
           "/Statement/0/Principal"},
      });
}

TEST(PolicyParser, PrincipalWildcard) {
  expectError("parse.principal_wildcard",
              {
                  {kTrust, trustPrincipal(R"("arn:aws:iam::111122223333:role/*")"),
                   "/Statement/0/Principal/AWS"},
                  {kTrust, trustPrincipal(R"("1111*")"), "/Statement/0/Principal/AWS"},
                  {kTrust, trustPrincipal(R"(["111122223333","arn:aws:iam::*:root"])"),
                   "/Statement/0/Principal/AWS/1"},
              });
}

TEST(PolicyParser, InvalidArn) {
  expectError(
      "parse.invalid_arn",
      {
          {kTrust, trustPrincipal(R"("arn:aws:iam::12345:root")"), "/Statement/0/Principal/AWS"},
          {kTrust, trustPrincipal(R"("arn:foo:iam::111122223333:root")"),
           "/Statement/0/Principal/AWS"},
          {kTrust, trustPrincipal(R"("arn:aws:iam:us-east-1:111122223333:root")"),
           "/Statement/0/Principal/AWS"},
          {kTrust, trustPrincipal(R"(["111122223333","arn:aws:iam:::root"])"),
           "/Statement/0/Principal/AWS/1"},
      });
}

TEST(PolicyParser, UniqueIdPrincipalIsAWarning) {
  expectWarning(
      "principal.unique_id",
      {
          {kTrust, trustPrincipal(R"("AIDAJQABLZS4A3QDU576Q")"), "/Statement/0/Principal/AWS"},
          {kTrust, trustPrincipal(R"(["111122223333","AROA1234567890ABCDEF"])"),
           "/Statement/0/Principal/AWS/1"},
      });
}

TEST(PolicyParser, UnmatchableSessionIsAWarning) {
  expectWarning(
      "principal.unmatchable_session",
      {
          {kTrust, trustPrincipal(R"("arn:aws:sts::111122223333:assumed-role/R/x")"),
           "/Statement/0/Principal/AWS"},
          {kTrust, trustPrincipal(R"("arn:aws:sts::111122223333:assumed-role/R/bad!name")"),
           "/Statement/0/Principal/AWS"},
      });
}

// ---------------------------------------------------------------------------------------------
// Action and NotAction

TEST(PolicyParser, ActionAndNotAction) {
  expectError("parse.action_and_not_action",
              {{kIdentity,
                doc(R"({"Effect":"Allow","Action":"s3:GetObject","NotAction":"s3:PutObject",)"
                    R"("Resource":"*"})"),
                "/Statement/0"}});
}

TEST(PolicyParser, MissingAction) {
  expectError(
      "parse.missing_action",
      {
          {kIdentity, doc(R"({"Effect":"Allow","Resource":"*"})"), "/Statement/0"},
          {kTrust, doc(R"({"Effect":"Allow","Principal":{"AWS":"111122223333"}})"), "/Statement/0"},
      });
}

TEST(PolicyParser, NotActionInRcp) {
  expectError(
      "parse.not_action_in_rcp",
      {{kRcp, doc(R"({"Effect":"Deny","Principal":"*","NotAction":"s3:GetObject","Resource":"*"})"),
        "/Statement/0/NotAction"}});
}

TEST(PolicyParser, InvalidAction) {
  const auto with_action = [](const std::string& action_json) {
    return doc(R"({"Effect":"Allow","Action":)" + action_json + R"(,"Resource":"*"})");
  };
  expectError(
      "parse.invalid_action",
      {
          {kIdentity, with_action(R"("s3")"), "/Statement/0/Action"},
          {kIdentity, with_action(R"("s3:")"), "/Statement/0/Action"},
          {kIdentity, with_action(R"(":GetObject")"), "/Statement/0/Action"},
          {kIdentity, with_action(R"("s3 :GetObject")"), "/Statement/0/Action"},
          {kIdentity, with_action(R"("")"), "/Statement/0/Action"},
          {kIdentity, with_action(R"(["s3:GetObject","s3:Get:Object"])"), "/Statement/0/Action/1"},
          {kIdentity, doc(R"({"Effect":"Allow","NotAction":["iam:*","**"],"Resource":"*"})"),
           "/Statement/0/NotAction/1"},
      });
}

// ---------------------------------------------------------------------------------------------
// Resource and NotResource

TEST(PolicyParser, ResourceInTrustPolicy) {
  expectError(
      "parse.resource_in_trust_policy",
      {
          {kTrust, doc(trustStatement(R"(,"Resource":"*")")), "/Statement/0/Resource"},
          {kTrust, doc(trustStatement(R"(,"NotResource":"*")")), "/Statement/0/NotResource"},
      });
}

TEST(PolicyParser, ResourceAndNotResource) {
  expectError("parse.resource_and_not_resource",
              {{kIdentity,
                doc(R"({"Effect":"Allow","Action":"s3:GetObject","Resource":"*",)"
                    R"("NotResource":"arn:aws:s3:::b"})"),
                "/Statement/0"}});
}

TEST(PolicyParser, MissingResource) {
  expectError("parse.missing_resource",
              {
                  {kIdentity, doc(R"({"Effect":"Allow","Action":"s3:GetObject"})"), "/Statement/0"},
                  {kResource, doc(R"({"Effect":"Allow","Principal":"*","Action":"s3:GetObject"})"),
                   "/Statement/0"},
              });
  // MODEL: an SCP statement without Resource applies to every resource.
  const Parsed p = parseText(doc(R"({"Effect":"Deny","Action":"s3:*"})"), kScp);
  EXPECT_TRUE(p.has_value);
  EXPECT_TRUE(p.diagnostics.empty()) << testing::dump(p.diagnostics);
}

TEST(PolicyParser, InvalidResource) {
  const auto with_resource = [](const std::string& resource_json) {
    return doc(R"({"Effect":"Allow","Action":"s3:GetObject","Resource":)" + resource_json + "}");
  };
  expectError("parse.invalid_resource",
              {
                  {kIdentity, with_resource(R"("bucket")"), "/Statement/0/Resource"},
                  {kIdentity, with_resource(R"("")"), "/Statement/0/Resource"},
                  {kIdentity, with_resource(R"("ARN:aws:s3:::b")"), "/Statement/0/Resource"},
                  {kIdentity, with_resource(R"(["*","bucket"])"), "/Statement/0/Resource/1"},
              });
}

TEST(PolicyParser, ShortResourceIsAWarning) {
  const auto with_resource = [](const std::string& resource_json) {
    return doc(R"({"Effect":"Allow","Action":"s3:GetObject","Resource":)" + resource_json + "}");
  };
  expectWarning("parse.short_resource",
                {
                    {kIdentity, with_resource(R"("arn:aws:s3")"), "/Statement/0/Resource"},
                    {kIdentity, with_resource(R"(["*","arn:aws:iam::111122223333"])"),
                     "/Statement/0/Resource/1"},
                });
  // A short pattern ending in `*` is legal (aws-semantics §8.2).
  const Parsed p = parseText(with_resource(R"(["arn:*","arn:aws:iam::*"])"), kIdentity);
  EXPECT_TRUE(p.has_value);
  EXPECT_TRUE(p.diagnostics.empty()) << testing::dump(p.diagnostics);
}

TEST(PolicyParser, ServiceWildcardIsAWarning) {
  expectWarning(
      "parse.service_wildcard",
      {
          {kIdentity,
           doc(R"({"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s*:::b"})"),
           "/Statement/0/Resource"},
          {kIdentity,
           doc(R"({"Effect":"Allow","Action":"s3:GetObject","Resource":["*",)"
               R"("arn:aws:?am::111122223333:role/r"]})"),
           "/Statement/0/Resource/1"},
      });
}

// ---------------------------------------------------------------------------------------------
// Condition

TEST(PolicyParser, UnknownConditionOperator) {
  expectError(
      "parse.unknown_condition_operator",
      {
          {kIdentity, identityCondition(R"({"StringEqualz":{"aws:username":"a"}})"),
           "/Statement/0/Condition/StringEqualz"},
          {kIdentity, identityCondition(R"({"ForSomeValues:StringEquals":{"aws:username":"a"}})"),
           "/Statement/0/Condition/ForSomeValues:StringEquals"},
      });
}

TEST(PolicyParser, OperatorCaseIsAWarning) {
  expectWarning(
      "parse.operator_case",
      {
          {kIdentity, identityCondition(R"({"stringEquals":{"aws:username":"a"}})"),
           "/Statement/0/Condition/stringEquals"},
          {kIdentity, identityCondition(R"({"forAnyValue:StringLike":{"aws:TagKeys":"a*"}})"),
           "/Statement/0/Condition/forAnyValue:StringLike"},
      });
}

TEST(PolicyParser, InvalidConditionOperator) {
  expectError("parse.invalid_condition_operator",
              {
                  {kIdentity, identityCondition(R"({"NullIfExists":{"aws:username":"true"}})"),
                   "/Statement/0/Condition/NullIfExists"},
                  {kIdentity, identityCondition(R"({"ForAnyValue:Null":{"aws:TagKeys":"true"}})"),
                   "/Statement/0/Condition/ForAnyValue:Null"},
                  {kIdentity, identityCondition(R"({"ForAllValues:Null":{"aws:TagKeys":"true"}})"),
                   "/Statement/0/Condition/ForAllValues:Null"},
              });
}

TEST(PolicyParser, InvalidConditionKey) {
  expectError("parse.invalid_condition_key",
              {{kIdentity, identityCondition(R"({"StringEquals":{"":"a"}})"),
                "/Statement/0/Condition/StringEquals/"}});
}

TEST(PolicyParser, InvalidConditionValue) {
  const auto cond = [](const std::string& op, const std::string& values_json) {
    return identityCondition(R"({")" + op + R"(":{"k:key":)" + values_json + "}}");
  };
  const std::string base = "/Statement/0/Condition/";
  expectError(
      "parse.invalid_condition_value",
      {
          {kIdentity, cond("NumericEquals", R"("abc")"), base + "NumericEquals/k:key"},
          {kIdentity, cond("NumericLessThan", R"(["1","x"])"), base + "NumericLessThan/k:key/1"},
          {kIdentity, cond("DateEquals", R"("nope")"), base + "DateEquals/k:key"},
          {kIdentity, cond("Bool", R"("yes")"), base + "Bool/k:key"},
          {kIdentity, cond("Null", R"("maybe")"), base + "Null/k:key"},
          {kIdentity, cond("BinaryEquals", R"("!!")"), base + "BinaryEquals/k:key"},
          {kIdentity, cond("IpAddress", R"("10.0.0.0/33")"), base + "IpAddress/k:key"},
          {kIdentity, cond("StringEquals", "null"), base + "StringEquals/k:key"},
          {kIdentity, cond("StringEquals", R"(["a",{"b":1}])"), base + "StringEquals/k:key/1"},
          {kIdentity, cond("StringEquals", R"(["a",["b"]])"), base + "StringEquals/k:key/1"},
          // A `/` in the key is escaped in the pointer.
          {kIdentity, identityCondition(R"({"NumericEquals":{"aws:ResourceTag/size":"big"}})"),
           base + "NumericEquals/aws:ResourceTag~1size"},
      });
}

TEST(PolicyParser, BoolCaseIsAWarning) {
  expectWarning("parse.bool_case",
                {
                    {kIdentity, identityCondition(R"({"Bool":{"aws:SecureTransport":"TRUE"}})"),
                     "/Statement/0/Condition/Bool/aws:SecureTransport"},
                    {kIdentity, identityCondition(R"({"Null":{"aws:username":["true","False"]}})"),
                     "/Statement/0/Condition/Null/aws:username/1"},
                });
}

TEST(PolicyParser, BareIpv6IsAWarning) {
  expectWarning(
      "parse.bare_ipv6",
      {
          {kIdentity, identityCondition(R"({"IpAddress":{"aws:SourceIp":"2001:db8::1"}})"),
           "/Statement/0/Condition/IpAddress/aws:SourceIp"},
          {kIdentity,
           identityCondition(R"({"NotIpAddress":{"aws:SourceIp":["10.0.0.0/8","::1"]}})"),
           "/Statement/0/Condition/NotIpAddress/aws:SourceIp/1"},
      });
}

TEST(PolicyParser, ShortArnIsAWarning) {
  expectWarning(
      "parse.short_arn",
      {
          {kIdentity, identityCondition(R"({"ArnLike":{"aws:PrincipalArn":"arn:aws:s3"}})"),
           "/Statement/0/Condition/ArnLike/aws:PrincipalArn"},
          {kIdentity,
           identityCondition(
               R"({"ArnNotEquals":{"aws:SourceArn":["arn:aws:s3:::b","arn:aws:iam::*"]}})"),
           "/Statement/0/Condition/ArnNotEquals/aws:SourceArn/1"},
      });
}

// ---------------------------------------------------------------------------------------------
// Collection, origin, and pointers

TEST(PolicyParser, AllErrorsOfADocumentAreReported) {
  const std::string text = doc(
      R"({"Effect":"allow","Action":"s3","Resource":"*","Condition":{"StringEqualz":{"k":"v"}}})");
  const Parsed p = parseText(text, kIdentity);
  EXPECT_FALSE(p.has_value);
  ASSERT_EQ(p.diagnostics.size(), 3u) << testing::dump(p.diagnostics);
  EXPECT_TRUE(testing::hasCode(p.diagnostics, "parse.invalid_effect", "/Statement/0/Effect"));
  EXPECT_TRUE(testing::hasCode(p.diagnostics, "parse.invalid_action", "/Statement/0/Action"));
  EXPECT_TRUE(testing::hasCode(p.diagnostics, "parse.unknown_condition_operator",
                               "/Statement/0/Condition/StringEqualz"));
}

TEST(PolicyParser, ErrorsInSeveralStatementsAreAllReported) {
  const std::string text = doc(R"({"Effect":"Allow","Resource":"*"},)"
                               R"({"Effect":"Allow","Action":"s3:GetObject"},)"
                               R"({"Action":"s3:GetObject","Resource":"*"})");
  const Parsed p = parseText(text, kIdentity);
  ASSERT_EQ(p.diagnostics.size(), 3u) << testing::dump(p.diagnostics);
  EXPECT_TRUE(testing::hasCode(p.diagnostics, "parse.missing_action", "/Statement/0"));
  EXPECT_TRUE(testing::hasCode(p.diagnostics, "parse.missing_resource", "/Statement/1"));
  EXPECT_TRUE(testing::hasCode(p.diagnostics, "parse.missing_effect", "/Statement/2"));
}

TEST(PolicyParser, DumpOriginTurnsErrorsIntoWarningsAndStaysValid) {
  const std::string text = doc(R"({"Effect":"Allow","Action":["s3:GetObject","s3"],"Resource":"*",)"
                               R"("Condition":{"NumericEquals":{"k:n":"abc"}}})");
  const auto authored = parsePolicyText(text, kIdentity, PolicyOrigin::Authored);
  EXPECT_FALSE(authored.has_value());

  const auto dumped = parsePolicyText(text, kIdentity, PolicyOrigin::Dump);
  ASSERT_TRUE(dumped.has_value());
  const Policy& policy = dumped.value();
  EXPECT_TRUE(policy.valid);
  ASSERT_EQ(policy.diagnostics.size(), 2u) << testing::dump(policy.diagnostics);
  for (const Diagnostic& d : policy.diagnostics) {
    EXPECT_EQ(d.severity, Severity::Warning) << formatDiagnostic(d);
  }
  EXPECT_TRUE(
      testing::hasCode(policy.diagnostics, "parse.invalid_action", "/Statement/0/Action/1"));
  EXPECT_TRUE(testing::hasCode(policy.diagnostics, "parse.invalid_condition_value",
                               "/Statement/0/Condition/NumericEquals/k:n"));
  // The statement is kept and evaluated literally: the bad action is dropped, the bad value
  // is kept as an invalid value (which compares false).
  ASSERT_EQ(policy.statements.size(), 1u);
  EXPECT_EQ(policy.statements[0].action.raw, std::vector<std::string>{"s3:GetObject"});
  ASSERT_EQ(policy.statements[0].conditions.size(), 1u);
  ASSERT_EQ(policy.statements[0].conditions[0].values.size(), 1u);
  EXPECT_FALSE(policy.statements[0].conditions[0].values[0].valid);
}

TEST(PolicyParser, DumpOriginStillRefusesBadJson) {
  const auto r = parsePolicyText(R"({"Version":)", kIdentity, PolicyOrigin::Dump);
  ASSERT_FALSE(r.has_value());
  EXPECT_TRUE(testing::hasCode(r.error(), "json.syntax")) << testing::dump(r.error());
}

TEST(PolicyParser, AuthoredParsePolicyKeepsDiagnosticsAndClearsValid) {
  const auto json = parse::readJson(doc(R"({"Effect":"Allow","Action":"s3:GetObject"})"), "");
  ASSERT_TRUE(json.has_value());
  const Policy p = parse::parsePolicy(json.value(), {kIdentity, PolicyOrigin::Authored, "", ""});
  EXPECT_FALSE(p.valid);
  EXPECT_TRUE(testing::hasCode(p.diagnostics, "parse.missing_resource", "/Statement/0"));
}

TEST(PolicyParser, BasePointerAndFileArePrefixedToDiagnostics) {
  const auto json = parse::readJson(doc(R"({"Effect":"Allow","Action":"s3","Resource":"*"})"), "");
  ASSERT_TRUE(json.has_value());
  const Policy p = parse::parsePolicy(
      json.value(), {kIdentity, PolicyOrigin::Authored, "cases.json", "/cases/3/resourcePolicy"});
  ASSERT_EQ(p.diagnostics.size(), 1u) << testing::dump(p.diagnostics);
  EXPECT_EQ(p.diagnostics[0].where, "/cases/3/resourcePolicy/Statement/0/Action");
  EXPECT_EQ(p.diagnostics[0].file, "cases.json");
  ASSERT_EQ(p.statements.size(), 1u);
  EXPECT_EQ(p.statements[0].where, "/cases/3/resourcePolicy/Statement/0");
}

TEST(PolicyParser, JsonErrorsComeFromTheReader) {
  const auto r = parsePolicyText("{\"Version\": \"2012-10-17\",\n \"Statement\": [{\"Effect\": }]}",
                                 kIdentity, PolicyOrigin::Authored, "p.json");
  ASSERT_FALSE(r.has_value());
  ASSERT_EQ(r.error().size(), 1u) << testing::dump(r.error());
  EXPECT_EQ(r.error()[0].code, "json.syntax");
  EXPECT_EQ(r.error()[0].where, "/Statement/0/Effect");
  EXPECT_EQ(r.error()[0].file, "p.json");
  EXPECT_NE(r.error()[0].message.find("line 2, column "), std::string::npos)
      << r.error()[0].message;
}

// ---------------------------------------------------------------------------------------------
// Statement shapes and normalisation

TEST(PolicyParser, StatementAsObject) {
  const auto r = parsePolicyText(
      R"({"Version":"2012-10-17","Statement":{"Sid":"One","Effect":"Deny","Action":"s3:*",)"
      R"("Resource":"*"}})",
      kIdentity);
  ASSERT_TRUE(r.has_value()) << testing::dump(r.error());
  ASSERT_EQ(r.value().statements.size(), 1u);
  const Statement& s = r.value().statements[0];
  EXPECT_EQ(s.index, 0u);
  EXPECT_EQ(s.where, "/Statement");
  EXPECT_EQ(s.sid, "One");
  EXPECT_EQ(s.effect, Effect::Deny);
  // Diagnostics inside a lone statement object have no index.
  const Parsed bad = parseText(
      R"({"Version":"2012-10-17","Statement":{"Effect":"deny","Action":"s3:*","Resource":"*"}})",
      kIdentity);
  EXPECT_TRUE(testing::hasCode(bad.diagnostics, "parse.invalid_effect", "/Statement/Effect"))
      << testing::dump(bad.diagnostics);
}

TEST(PolicyParser, StatementAsArray) {
  const auto r = parsePolicyText(
      doc(identityStatement(R"(,"Sid":"A")") + "," + identityStatement(R"(,"Sid":"B")")),
      kIdentity);
  ASSERT_TRUE(r.has_value()) << testing::dump(r.error());
  ASSERT_EQ(r.value().statements.size(), 2u);
  EXPECT_EQ(r.value().statements[0].where, "/Statement/0");
  EXPECT_EQ(r.value().statements[1].where, "/Statement/1");
  EXPECT_EQ(r.value().statements[1].index, 1u);
  EXPECT_EQ(r.value().statements[1].sid, "B");
}

TEST(PolicyParser, VersionAndIdAreKept) {
  struct Case {
    const char* text;
    std::optional<std::string> version;
    bool variables;
  };
  const Case kCases[] = {
      {R"({"Version":"2012-10-17","Id":"P1","Statement":[]})", "2012-10-17", true},
      {R"({"Version":"2008-10-17","Id":"P1","Statement":[]})", "2008-10-17", false},
      {R"({"Id":"P1","Statement":[]})", std::nullopt, false},
  };
  for (const Case& c : kCases) {
    const auto r = parsePolicyText(c.text, kIdentity);
    ASSERT_TRUE(r.has_value()) << c.text;
    EXPECT_EQ(r.value().version, c.version) << c.text;
    EXPECT_EQ(r.value().variables, c.variables) << c.text;
    EXPECT_EQ(r.value().id, "P1") << c.text;
    EXPECT_EQ(r.value().kind, kIdentity);
  }
}

TEST(PolicyParser, SingleStringsBecomeOneElementLists) {
  const auto r = parsePolicyText(
      doc(R"({"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*",)"
          R"("Condition":{"StringEquals":{"aws:username":"alice"}}})"),
      kIdentity);
  ASSERT_TRUE(r.has_value()) << testing::dump(r.error());
  const Statement& s = r.value().statements[0];
  EXPECT_FALSE(s.action.negated);
  EXPECT_EQ(s.action.raw, std::vector<std::string>{"s3:GetObject"});
  ASSERT_EQ(s.action.patterns.size(), 1u);
  EXPECT_TRUE(s.action.patterns[0].matches("s3:getobject"));  // compiled folded
  EXPECT_TRUE(s.resource.present);
  EXPECT_FALSE(s.resource.negated);
  ASSERT_EQ(s.resource.patterns.size(), 1u);
  EXPECT_EQ(s.resource.patterns[0].raw, "arn:aws:s3:::b/*");
  EXPECT_TRUE(s.resource.patterns[0].compiled.matches("arn:aws:s3:::b/key"));
  ASSERT_EQ(s.conditions.size(), 1u);
  EXPECT_EQ(s.conditions[0].key, "aws:username");
  EXPECT_EQ(s.conditions[0].folded_key, "aws:username");
  EXPECT_EQ(s.conditions[0].where, "/Statement/0/Condition/StringEquals/aws:username");
  ASSERT_EQ(s.conditions[0].values.size(), 1u);
  EXPECT_EQ(s.conditions[0].values[0].raw, "alice");
}

TEST(PolicyParser, NotFormsBecomeNegated) {
  const auto r = parsePolicyText(
      doc(R"({"Effect":"Deny","NotAction":["iam:*","sts:*"],"NotResource":"arn:aws:s3:::b"})"),
      kIdentity);
  ASSERT_TRUE(r.has_value()) << testing::dump(r.error());
  const Statement& s = r.value().statements[0];
  EXPECT_TRUE(s.action.negated);
  EXPECT_EQ(s.action.raw, (std::vector<std::string>{"iam:*", "sts:*"}));
  EXPECT_TRUE(s.resource.present);
  EXPECT_TRUE(s.resource.negated);
  ASSERT_EQ(s.resource.patterns.size(), 1u);

  const auto trust = parsePolicyText(
      doc(R"({"Effect":"Deny","NotPrincipal":{"AWS":"111122223333"},"Action":"s3:*",)"
          R"("Resource":"*"})"),
      kResource);
  ASSERT_TRUE(trust.has_value()) << testing::dump(trust.error());
  const PrincipalSet& ps = trust.value().statements[0].principal;
  EXPECT_TRUE(ps.present);
  EXPECT_TRUE(ps.negated);
  ASSERT_EQ(ps.entries.size(), 1u);
  EXPECT_EQ(ps.entries[0].type, PrincipalEntry::Type::Account);
}

TEST(PolicyParser, PrincipalEntriesAreClassified) {
  using T = PrincipalEntry::Type;
  struct Case {
    std::string principal_json;  // the Principal element
    T type;
    std::string account;
    std::string name;
    std::string session;
  };
  const Case kCases[] = {
      {R"("*")", T::Any, "", "", ""},
      {R"({"AWS":"*"})", T::Any, "", "", ""},
      {R"({"AWS":"111122223333"})", T::Account, "111122223333", "", ""},
      {R"({"AWS":"arn:aws:iam::111122223333:root"})", T::Account, "111122223333", "", ""},
      {R"({"AWS":"arn:aws:iam::111122223333:user/ops/alice"})", T::User, "111122223333", "alice",
       ""},
      {R"({"AWS":"arn:aws:iam::111122223333:role/app/Deploy"})", T::Role, "111122223333", "Deploy",
       ""},
      {R"({"AWS":"arn:aws:sts::111122223333:assumed-role/Deploy/ci"})", T::Session, "111122223333",
       "Deploy", "ci"},
      {R"({"AWS":"arn:aws:sts::111122223333:federated-user/bob"})", T::FederatedUser,
       "111122223333", "bob", ""},
      {R"({"Service":"ec2.amazonaws.com"})", T::Service, "", "", ""},
      {R"({"Federated":"cognito-identity.amazonaws.com"})", T::Federated, "", "", ""},
      {R"({"CanonicalUser":"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"})",
       T::CanonicalUser, "", "", ""},
  };
  for (const Case& c : kCases) {
    const std::string text = doc(R"({"Effect":"Allow","Principal":)" + c.principal_json +
                                 R"(,"Action":"sts:AssumeRole"})");
    const auto r = parsePolicyText(text, kTrust);
    ASSERT_TRUE(r.has_value()) << text << "\n" << testing::dump(r.error());
    const PrincipalSet& ps = r.value().statements[0].principal;
    EXPECT_TRUE(ps.present);
    EXPECT_FALSE(ps.negated);
    ASSERT_EQ(ps.entries.size(), 1u) << text;
    EXPECT_EQ(ps.entries[0].type, c.type) << text;
    EXPECT_EQ(ps.entries[0].account, c.account) << text;
    EXPECT_EQ(ps.entries[0].name, c.name) << text;
    EXPECT_EQ(ps.entries[0].session, c.session) << text;
  }
}

TEST(PolicyParser, ConditionValuesAreNormalisedToStrings) {
  const auto r = parsePolicyText(
      identityCondition(
          R"({"Bool":{"aws:SecureTransport":true},"NumericLessThan":{"k:n":[5,2.5]}})"),
      kIdentity);
  ASSERT_TRUE(r.has_value()) << testing::dump(r.error());
  const auto& conditions = r.value().statements[0].conditions;
  ASSERT_EQ(conditions.size(), 2u);
  for (const ConditionClause& c : conditions) {
    if (c.op.family == OperatorFamily::Bool) {
      ASSERT_EQ(c.values.size(), 1u);
      EXPECT_EQ(c.values[0].raw, "true");
    } else {
      ASSERT_EQ(c.values.size(), 2u);
      EXPECT_EQ(c.values[0].raw, "5");
      EXPECT_EQ(c.values[1].raw, "2.5");
      EXPECT_DOUBLE_EQ(c.values[1].number, 2.5);
    }
  }
}

TEST(PolicyParser, ResourceVariablesOnlyUnderVersion2012) {
  const std::string statement =
      R"({"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/${aws:username}/*"})";
  const auto v2012 = parsePolicyText(doc(statement), kIdentity);
  ASSERT_TRUE(v2012.has_value());
  EXPECT_TRUE(v2012.value().statements[0].resource.patterns[0].value.hasVariables());

  const auto v2008 =
      parsePolicyText(R"({"Version":"2008-10-17","Statement":[)" + statement + "]}", kIdentity);
  ASSERT_TRUE(v2008.has_value());
  const ResourcePattern& p = v2008.value().statements[0].resource.patterns[0];
  EXPECT_FALSE(p.value.hasVariables());
  EXPECT_TRUE(p.compiled.matches("arn:aws:s3:::b/${aws:username}/x"));
}

TEST(FormatDiagnostic, FileThenPointerThenSeverityMessageAndCode) {
  EXPECT_EQ(formatDiagnostic({"parse.x", "bad `v`", "/Statement/0", "p.json", Severity::Error}),
            "p.json:/Statement/0: error: bad `v` [parse.x]");
  EXPECT_EQ(formatDiagnostic({"json.empty", "empty", "", "p.json", Severity::Warning}), "p.json: warning: empty [json.empty]");
  EXPECT_EQ(formatDiagnostic({"c", "m", "", "", Severity::Error}), "error: m [c]");
}

TEST(FormatDiagnostic, HugeQuotedInputIsElidedOnCharacterBoundaries) {
  // A 1 MB value of two-byte characters quoted in a message: its head and tail stay, the middle
  // becomes a byte count, and both cuts fall between characters.
  std::string huge = "arn:";
  for (int i = 0; i < 500'000; ++i) huge += "\xC3\xA9";
  huge += std::string(65, 'z');
  const std::string line =
      formatDiagnostic({"scenario.invalid_arn", "`" + huge + "` is not an ARN", "/roles/0/arn", "w.json", Severity::Error});
  EXPECT_LT(line.size(), 2'500u);
  EXPECT_EQ(line.rfind("w.json:/roles/0/arn: error: `arn:\xC3\xA9", 0), 0u) << line.substr(0, 100);
  EXPECT_NE(line.find("zzz` is not an ARN [scenario.invalid_arn]"), std::string::npos) << line;
  EXPECT_NE(line.find(" bytes)..."), std::string::npos);
  for (std::size_t i = 0; i < line.size(); ++i) {
    const auto byte = static_cast<unsigned char>(line[i]);
    if (byte == 0xC3) {
      EXPECT_TRUE(i + 1 < line.size() && static_cast<unsigned char>(line[i + 1]) == 0xA9) << i;
    }
    if (byte == 0xA9) {
      EXPECT_TRUE(i > 0 && static_cast<unsigned char>(line[i - 1]) == 0xC3) << i;
    }
  }
  // A huge key in the pointer is cut too; short messages are untouched.
  const std::string key(100'000, 'k');
  EXPECT_LT(formatDiagnostic({"c", "unknown key", "/" + key, "w.json", Severity::Error}).size(), 1'200u);
  const std::string shortish = "`" + std::string(150, 'q') + "` is fine";
  EXPECT_EQ(formatDiagnostic({"c", shortish, "", "", Severity::Error}), "error: " + shortish + " [c]");
}

}  // namespace
}  // namespace trustsim
