// SPDX-License-Identifier: Apache-2.0
// The decision rules of evaluate(): what decided, what was missing, and the AWS reason text.
#include "trustsim/evaluate.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace trustsim {
namespace {

NamedPolicy policy(const std::string& name, PolicyKind kind, const std::string& text) {
  auto p = parsePolicyText(text, kind);
  EXPECT_TRUE(p.has_value()) << (p ? "" : testing::dump(p.error()));
  return NamedPolicy{name, p ? p.value() : Policy{}};
}

Request assume(const std::string& principal, const std::string& role) {
  Request r;
  r.principal = principal;
  r.action = "sts:AssumeRole";
  r.resource = role;
  return r;
}

const char* kRole = "arn:aws:iam::111122223333:role/app/Deploy";

TEST(Evaluate, CrossAccountNeedsTrustAndIdentity) {
  // AWS: cross-account AssumeRole needs the trust policy and the caller's identity policy.
  const NamedPolicy trust = policy("Trust", PolicyKind::Trust, R"({"Version":"2012-10-17","Statement":[
    {"Sid":"Vendor","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"sts:AssumeRole"}]})");
  const NamedPolicy identity = policy("CanAssume", PolicyKind::Identity, R"({"Version":"2012-10-17","Statement":[
    {"Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::111122223333:role/app/*"}]})");
  const Request r = assume("arn:aws:sts::444455556666:assumed-role/Scanner/s1", kRole);

  PolicySet only_trust;
  only_trust.resource = &trust;
  const Decision d1 = evaluate(r, only_trust);
  EXPECT_EQ(d1.outcome, Outcome::ImplicitDeny);
  ASSERT_TRUE(d1.missing_allow.has_value());
  EXPECT_EQ(*d1.missing_allow, PolicyType::Identity);
  EXPECT_EQ(awsReason(d1, "sts:AssumeRole"),
            "because no identity-based policy allows the sts:AssumeRole action");

  PolicySet both = only_trust;
  both.identity.push_back(&identity);
  const Decision d2 = evaluate(r, both);
  EXPECT_EQ(d2.outcome, Outcome::Allowed);
  ASSERT_EQ(d2.decided_by.size(), 2u);
  EXPECT_EQ(d2.decided_by[0].type, PolicyType::Trust);
  EXPECT_EQ(d2.decided_by[0].sid, "Vendor");
  EXPECT_EQ(d2.decided_by[1].type, PolicyType::Identity);
}

TEST(Evaluate, SameAccountRoleArnTrustIsEnoughWithoutIdentityPolicy) {
  // AWS: in one account a trust policy naming the caller's role directly suffices.
  const NamedPolicy trust = policy("Trust", PolicyKind::Trust, R"({"Version":"2012-10-17","Statement":[
    {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/ci/Builder"},"Action":"sts:AssumeRole"}]})");
  PolicySet set;
  set.resource = &trust;
  const Decision d = evaluate(assume("arn:aws:sts::111122223333:assumed-role/Builder/run-1", kRole), set);
  EXPECT_EQ(d.outcome, Outcome::Allowed) << d.reason;
}

TEST(Evaluate, ExplicitDenyListsEveryDenyingStatement) {
  const NamedPolicy trust = policy("Trust", PolicyKind::Trust, R"({"Version":"2012-10-17","Statement":[
    {"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole"},
    {"Sid":"NoOutsiders","Effect":"Deny","Principal":"*","Action":"sts:AssumeRole"}]})");
  const NamedPolicy scp = policy("DenyAll", PolicyKind::Scp, R"({"Version":"2012-10-17","Statement":[
    {"Effect":"Deny","Action":"*","Resource":"*"}]})");
  PolicySet set;
  set.resource = &trust;
  set.scp_levels = {{&scp}};
  const Decision d = evaluate(assume("arn:aws:iam::111122223333:user/alice", kRole), set);
  EXPECT_EQ(d.outcome, Outcome::ExplicitDeny);
  ASSERT_EQ(d.decided_by.size(), 2u);
  EXPECT_EQ(awsReason(d, "sts:AssumeRole"), "with an explicit deny in the role trust policy");
}

TEST(Evaluate, TraceExplainsEachStatement) {
  const NamedPolicy trust = policy("Trust", PolicyKind::Trust, R"({"Version":"2012-10-17","Statement":[
    {"Sid":"WithId","Effect":"Allow","Principal":{"AWS":"444455556666"},"Action":"sts:AssumeRole",
     "Condition":{"StringEquals":{"sts:ExternalId":"abc-123"}}}]})");
  PolicySet set;
  set.resource = &trust;
  Request r = assume("arn:aws:iam::444455556666:user/bob", kRole);
  r.context.set("sts:ExternalId", "wrong");
  const Decision d = evaluate(r, set, EvalOptions{true});
  EXPECT_EQ(d.outcome, Outcome::ImplicitDeny);
  bool mentions_condition = false;
  for (const std::string& line : d.trace) {
    mentions_condition |= line.find("sts:ExternalId") != std::string::npos &&
                          line.find("WithId") != std::string::npos;
  }
  EXPECT_TRUE(mentions_condition) << "trace does not name the failing condition";
}

TEST(Evaluate, InvalidPolicyIsReportedNotEvaluated) {
  NamedPolicy trust{"Trust", {}};
  trust.policy.valid = false;
  trust.policy.diagnostics.push_back(Diagnostic{"parse.not_principal_in_trust_policy", "x", "/Statement/0/NotPrincipal", {}, Severity::Error});
  PolicySet set;
  set.resource = &trust;
  const Decision d = evaluate(assume("arn:aws:iam::111122223333:user/alice", kRole), set);
  EXPECT_EQ(d.outcome, Outcome::InvalidPolicy);
  EXPECT_TRUE(testing::hasCode(d.diagnostics, "parse.not_principal_in_trust_policy", "/Statement/0/NotPrincipal"));
}

TEST(Evaluate, RootCannotAssumeRoles) {
  // AWS: "Roles may not be assumed by root accounts."
  const NamedPolicy trust = policy("Trust", PolicyKind::Trust, R"({"Version":"2012-10-17","Statement":[
    {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole"}]})");
  PolicySet set;
  set.resource = &trust;
  const Decision d = evaluate(assume("arn:aws:iam::111122223333:root", kRole), set);
  EXPECT_EQ(d.outcome, Outcome::ImplicitDeny);
  EXPECT_NE(d.reason.find("root"), std::string::npos);
}

TEST(Evaluate, UnrecognisedCallerIsAnImplicitDenyWithDiagnostic) {
  PolicySet set;
  const Decision d = evaluate(assume("not a principal", kRole), set);
  EXPECT_EQ(d.outcome, Outcome::ImplicitDeny);
  EXPECT_TRUE(testing::hasCode(d.diagnostics, "eval.invalid_principal"));
}

TEST(Evaluate, RoleTrustActionsAreRecognisedCaseInsensitively) {
  EXPECT_TRUE(isRoleTrustAction("sts:AssumeRole"));
  EXPECT_TRUE(isRoleTrustAction("STS:assumerolewithsaml"));
  EXPECT_TRUE(isRoleTrustAction("sts:TagSession"));
  EXPECT_TRUE(isRoleTrustAction("sts:SetSourceIdentity"));
  EXPECT_FALSE(isRoleTrustAction("sts:GetCallerIdentity"));
  EXPECT_FALSE(isRoleTrustAction("iam:PassRole"));
}

}  // namespace
}  // namespace trustsim
