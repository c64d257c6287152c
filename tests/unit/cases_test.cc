// SPDX-License-Identifier: Apache-2.0
// The request-case loader: every structural error is an input error with a pointer.
#include "trustsim/cases.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace trustsim {
namespace {

using testing::hasCode;

Diagnostics errorsOf(const std::string& text) {
  auto r = loadCases(text, "cases.json");
  EXPECT_FALSE(r.has_value());
  return r ? Diagnostics{} : r.error();
}

const char* kGood = R"({"id":"a","request":{"principal":"arn:aws:iam::111122223333:user/alice",
  "action":"s3:GetObject","resource":"arn:aws:s3:::b/k","context":{"aws:TagKeys":["x","y"],"aws:SecureTransport":true}},
  "identityPolicies":[{"name":"p","policy":{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}}],
  "resourceAccount":"111122223333","expected":"allowed"})";

TEST(Cases, AcceptsTheThreeFileShapes) {
  const std::string one = kGood;
  EXPECT_TRUE(loadCases(one, "f").has_value());
  EXPECT_TRUE(loadCases("[" + one + "]", "f").has_value());
  auto r = loadCases(R"({"format":"trustsim-cases/1","cases":[)" + one + "]}", "f");
  ASSERT_TRUE(r.has_value());
  const RequestCase& c = r.value()[0];
  EXPECT_EQ(c.where, "/cases/0");
  const ContextValue* tags = c.request.context.find("aws:tagkeys");
  ASSERT_NE(tags, nullptr);
  EXPECT_TRUE(tags->multivalued);
  EXPECT_EQ(tags->values.size(), 2u);
  const ContextValue* secure = c.request.context.find("aws:securetransport");
  ASSERT_NE(secure, nullptr);
  EXPECT_EQ(secure->values[0], "true");
}

TEST(Cases, MissingFieldsAreAllReported) {
  const Diagnostics d = errorsOf(R"({"cases":[{"request":{"action":"s3:GetObject"}}]})");
  EXPECT_TRUE(hasCode(d, "case.missing_field", "/cases/0"));          // id
  EXPECT_TRUE(hasCode(d, "case.missing_field", "/cases/0/request"));  // principal, resource
  EXPECT_GE(d.size(), 3u);
}

TEST(Cases, WrongTypes) {
  EXPECT_TRUE(hasCode(errorsOf(R"({"cases":{}})"), "case.wrong_type", "/cases"));
  EXPECT_TRUE(hasCode(errorsOf(R"({"cases":[7]})"), "case.wrong_type", "/cases/0"));
  EXPECT_TRUE(hasCode(errorsOf("42"), "case.wrong_type", ""));
  EXPECT_TRUE(hasCode(errorsOf(R"([{"id":"a","request":{"principal":"arn:aws:iam::111122223333:user/a","action":"s3:GetObject","resource":"*","context":{"k":{"x":1}}}}])"),
                      "case.wrong_type", "/0/request/context/k"));
}

TEST(Cases, DuplicateIds) {
  const std::string one = kGood;
  EXPECT_TRUE(hasCode(errorsOf("[" + one + "," + one + "]"), "case.duplicate_id", "/1/id"));
}

TEST(Cases, InvalidExpectedPrincipalAndAccount) {
  std::string bad = kGood;
  bad.replace(bad.find("\"allowed\""), 9, "\"alowed\"");
  EXPECT_TRUE(hasCode(errorsOf(bad), "case.invalid_expected", "/expected"));
  std::string principal = kGood;
  principal.replace(principal.find("arn:aws:iam::111122223333:user/alice"), 36, "alice");
  EXPECT_TRUE(hasCode(errorsOf(principal), "case.invalid_principal", "/request/principal"));
  std::string account = kGood;
  account.replace(account.find("\"111122223333\""), 14, "\"1234\"");
  EXPECT_TRUE(hasCode(errorsOf(account), "case.invalid_account", "/resourceAccount"));
}

TEST(Cases, UnknownFormatAndTooManyBoundaries) {
  EXPECT_TRUE(hasCode(errorsOf(R"({"format":"other/2","cases":[]})"), "case.unknown_format", "/format"));
  const std::string two = R"({"id":"b","request":{"principal":"arn:aws:iam::111122223333:user/a","action":"s3:GetObject","resource":"*"},
    "permissionBoundaries":[{"name":"x","policy":{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}},
                            {"name":"y","policy":{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}}]})";
  EXPECT_TRUE(hasCode(errorsOf(two), "case.too_many_boundaries", "/permissionBoundaries"));
}

TEST(Cases, PolicyErrorsAreKeptForEvaluationNotInputErrors) {
  // A policy AWS would reject is answered `invalidPolicy` with the pointer into the case file.
  const std::string text = R"({"cases":[{"id":"np","request":{"principal":"arn:aws:iam::111122223333:user/a",
    "action":"sts:AssumeRole","resource":"arn:aws:iam::111122223333:role/R"},
    "resourcePolicy":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::111122223333:user/b"},"Action":"sts:AssumeRole"}]}}]})";
  auto r = loadCases(text, "f.json");
  ASSERT_TRUE(r.has_value()) << testing::dump(r.error());
  const RequestCase& c = r.value()[0];
  const Decision d = evaluate(c.request, c.policySet());
  EXPECT_EQ(d.outcome, Outcome::InvalidPolicy);
  EXPECT_TRUE(hasCode(d.diagnostics, "parse.not_principal_in_trust_policy",
                      "/cases/0/resourcePolicy/Statement/0/NotPrincipal"));
}

TEST(Cases, PolicyGivenAsJsonText) {
  const std::string text = R"([{"id":"s","request":{"principal":"arn:aws:iam::111122223333:user/a","action":"s3:GetObject","resource":"arn:aws:s3:::b/k"},
    "identityPolicies":[{"name":"p","policy":"{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}}"}],"resourceAccount":"111122223333"}])";
  auto r = loadCases(text, "f.json");
  ASSERT_TRUE(r.has_value()) << testing::dump(r.error());
  EXPECT_EQ(evaluate(r.value()[0].request, r.value()[0].policySet()).outcome, Outcome::Allowed);
}

}  // namespace
}  // namespace trustsim
