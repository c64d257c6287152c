// SPDX-License-Identifier: Apache-2.0
// `trustsim eval` in process: exit codes, JSON Lines shape, the closing line.
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "commands.h"

namespace trustsim::cli {
namespace {

struct CliRun {
  int code;
  std::string out, err;
};

CliRun eval(const std::string& input, Format format, bool expect, bool explain = false) {
  EvalOptions o;
  o.file = "-";
  o.format = format;
  o.expect = expect;
  o.explain = explain;
  std::istringstream in(input);
  std::ostringstream out, err;
  const int code = runEval(o, in, out, err);
  return {code, out.str(), err.str()};
}

const std::string kCases = R"({"format":"trustsim-cases/1","cases":[
 {"id":"vendor-ok","request":{"principal":"arn:aws:sts::444455556666:assumed-role/Scanner/s","action":"sts:AssumeRole",
   "resource":"arn:aws:iam::111122223333:role/Vendor","context":{"sts:ExternalId":"abc-123"}},
  "resourcePolicy":{"Version":"2012-10-17","Statement":[{"Sid":"V","Effect":"Allow","Principal":{"AWS":"444455556666"},
   "Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"abc-123"}}}]},
  "identityPolicies":[{"name":"assume","policy":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}}],
  "expected":"allowed"},
 {"id":"vendor-no-id","request":{"principal":"arn:aws:sts::444455556666:assumed-role/Scanner/s","action":"sts:AssumeRole",
   "resource":"arn:aws:iam::111122223333:role/Vendor","context":{}},
  "resourcePolicy":{"Version":"2012-10-17","Statement":[{"Sid":"V","Effect":"Allow","Principal":{"AWS":"444455556666"},
   "Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"abc-123"}}}]},
  "identityPolicies":[{"name":"assume","policy":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}}],
  "expected":"EXPECTED"}]})";

std::string withSecondExpected(const std::string& outcome) {
  std::string s = kCases;
  s.replace(s.find("EXPECTED"), 8, outcome);
  return s;
}

TEST(CliEval, ExpectPassesWithClosingLine) {
  const CliRun r = eval(withSecondExpected("implicitDeny"), Format::Text, true);
  EXPECT_EQ(r.code, kOk) << r.out << r.err;
  EXPECT_NE(r.out.find("2 passed, 0 failed"), std::string::npos) << r.out;
}

TEST(CliEval, ExpectFailureExitsTwoAndNamesTheCase) {
  const CliRun r = eval(withSecondExpected("allowed"), Format::Text, true);
  EXPECT_EQ(r.code, kDenied);
  EXPECT_NE(r.out.find("FAIL vendor-no-id: expected allowed, got implicitDeny"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("1 passed, 1 failed"), std::string::npos);
}

TEST(CliEval, JsonLinesCarryIdDecisionDecidedByDiagnostics) {
  const CliRun r = eval(withSecondExpected("implicitDeny"), Format::Json, false);
  EXPECT_EQ(r.code, kOk);
  std::istringstream lines(r.out);
  std::string line;
  std::vector<nlohmann::json> rows;
  while (std::getline(lines, line)) rows.push_back(nlohmann::json::parse(line));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0]["id"], "vendor-ok");
  EXPECT_EQ(rows[0]["decision"], "allowed");
  ASSERT_EQ(rows[0]["decidedBy"].size(), 2u);
  EXPECT_EQ(rows[0]["decidedBy"][0]["sid"], "V");
  EXPECT_EQ(rows[0]["decidedBy"][0]["type"], "trust");
  EXPECT_TRUE(rows[0]["diagnostics"].is_array());
  EXPECT_EQ(rows[1]["decision"], "implicitDeny");
  EXPECT_EQ(rows[1]["missingAllow"], "trust");
}

TEST(CliEval, ExplainPrintsTheTrace) {
  const CliRun r = eval(withSecondExpected("implicitDeny"), Format::Text, false, true);
  EXPECT_NE(r.out.find("condition `StringEquals` on `sts:ExternalId` is false"), std::string::npos) << r.out;
}

TEST(CliEval, MalformedInputExitsOneWithPosition) {
  const CliRun r = eval("{\"cases\": [ {\"id\": \"x\", }", Format::Text, false);
  EXPECT_EQ(r.code, kInputError);
  EXPECT_NE(r.err.find("<stdin>"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("line 1"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("json.syntax"), std::string::npos) << r.err;
}

TEST(CliEval, MissingFileExitsOne) {
  EvalOptions o;
  o.file = "/nonexistent/cases.json";
  std::istringstream in;
  std::ostringstream out, err;
  EXPECT_EQ(runEval(o, in, out, err), kInputError);
  EXPECT_NE(err.str().find("no such file"), std::string::npos);
}

}  // namespace
}  // namespace trustsim::cli

namespace trustsim::cli {
namespace {

// Bad input never crashes or hangs: each gets a clear error or a correct answer.
TEST(CliEvalBadInput, MillionDeepNestingIsAnError) {
  const std::string deep = std::string(1000000, '[') + std::string(1000000, ']');
  const CliRun r = eval(deep, Format::Text, false);
  EXPECT_EQ(r.code, kInputError);
  EXPECT_NE(r.err.find("json.too_deep"), std::string::npos);
}

TEST(CliEvalBadInput, InvalidUtf8IsAnError) {
  const CliRun r = eval("{\"cases\":[{\"id\":\"\xff\xfe\"}]}", Format::Text, false);
  EXPECT_EQ(r.code, kInputError);
  EXPECT_NE(r.err.find("json.invalid_utf8"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("/cases/0/id"), std::string::npos) << r.err;
}

TEST(CliEvalBadInput, TenThousandStatementsAreDecided) {
  std::string statements;
  for (int i = 0; i < 10000; ++i) {
    statements += (i ? "," : "") + std::string(R"({"Sid":"S)") + std::to_string(i) +
                  R"(","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:role/R)" +
                  std::to_string(i) + R"("},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"id-)" +
                  std::to_string(i) + R"("}}})";
  }
  const std::string text = R"({"cases":[{"id":"big","request":{"principal":"arn:aws:sts::444455556666:assumed-role/R9999/s",
    "action":"sts:AssumeRole","resource":"arn:aws:iam::111122223333:role/T","context":{"sts:ExternalId":"id-9999"}},
    "identityPolicies":[{"name":"a","policy":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}}],
    "resourcePolicy":{"Version":"2012-10-17","Statement":[)" + statements + R"(]},"expected":"allowed"}]})";
  const CliRun r = eval(text, Format::Json, true);
  EXPECT_EQ(r.code, kOk) << r.err;
  EXPECT_NE(r.out.find("\"sid\":\"S9999\""), std::string::npos);
}

TEST(CliEvalBadInput, EmptyInputIsAnError) {
  const CliRun r = eval("  \n", Format::Text, false);
  EXPECT_EQ(r.code, kInputError);
  EXPECT_NE(r.err.find("json.empty"), std::string::npos);
}

}  // namespace
}  // namespace trustsim::cli
