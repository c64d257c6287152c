// SPDX-License-Identifier: Apache-2.0
// Condition operators (aws-semantics §7): the operator table, the value readers, policy
// variables, and evaluateClause on clauses parsed from small policies.
#include "match/condition_ops.h"

#include <gtest/gtest.h>

#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "test_util.h"
#include "trustsim/policy.h"
#include "trustsim/request.h"

namespace trustsim {
namespace {

using match::decodeBase64;
using match::evaluateClause;
using match::lookupOperator;
using match::parseBool;
using match::parseDate;
using match::parseIpNetwork;
using match::parseNumber;

// ---------------------------------------------------------------------------------------------
// Helpers: a clause parsed from a one-statement policy, and a context with at most one key.

std::string policyWithCondition(const std::string& op, const std::string& key,
                                const std::string& values_json,
                                const std::string& version = "2012-10-17") {
  std::string text = "{";
  if (!version.empty()) {
    text += R"("Version":")" + version + R"(",)";
  }
  text += R"("Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*",)";
  text += R"("Condition":{")" + op + R"(":{")" + key + R"(":)" + values_json + "}}}]}";
  return text;
}

// Parses `{"<op>": {"<key>": <values_json>}}` and returns the one clause.
ConditionClause clauseOf(const std::string& op, const std::string& key,
                         const std::string& values_json,
                         const std::string& version = "2012-10-17") {
  const std::string text = policyWithCondition(op, key, values_json, version);
  const auto parsed = parsePolicyText(text, PolicyKind::Identity);
  EXPECT_TRUE(parsed.has_value()) << text << "\n" << (parsed ? "" : testing::dump(parsed.error()));
  if (!parsed || parsed.value().statements.empty() ||
      parsed.value().statements[0].conditions.empty()) {
    ADD_FAILURE() << "no clause in " << text;
    return ConditionClause{};
  }
  return parsed.value().statements[0].conditions[0];
}

// The request value of one key: absent, one string, or a (multivalued) set.
struct Ctx {
  enum class Kind { Absent, Single, Multi };
  Kind kind = Kind::Absent;
  std::vector<std::string> values;
  std::string describe() const {
    if (kind == Kind::Absent) {
      return "absent";
    }
    std::string out = kind == Kind::Multi ? "[" : "";
    for (std::size_t i = 0; i < values.size(); ++i) {
      out += (i ? "," : "") + ("`" + values[i] + "`");
    }
    return out + (kind == Kind::Multi ? "]" : "");
  }
};
Ctx absent() { return Ctx{}; }
Ctx single(std::string v) { return Ctx{Ctx::Kind::Single, {std::move(v)}}; }
Ctx multi(std::vector<std::string> v) { return Ctx{Ctx::Kind::Multi, std::move(v)}; }

RequestContext contextWith(const std::string& key, const Ctx& ctx) {
  RequestContext rc;
  if (ctx.kind == Ctx::Kind::Single) {
    rc.set(key, ctx.values[0]);
  } else if (ctx.kind == Ctx::Kind::Multi) {
    rc.setMulti(key, ctx.values);
  }
  return rc;
}

struct ClauseCase {
  std::string op;
  std::string policy_values;  // JSON: a value or an array of values
  Ctx request;
  bool expected;
};

// Evaluates every case with the condition key `key`, set under the same name in the context.
void expectClauses(const std::vector<ClauseCase>& cases, const std::string& key = "k:key") {
  for (const ClauseCase& c : cases) {
    const ConditionClause clause = clauseOf(c.op, key, c.policy_values);
    const RequestContext rc = contextWith(key, c.request);
    EXPECT_EQ(evaluateClause(clause, rc, nullptr), c.expected)
        << c.op << " " << c.policy_values << " vs " << c.request.describe();
  }
}

// ---------------------------------------------------------------------------------------------
// lookupOperator

TEST(ConditionOps, LookupEveryOperatorInTheTable) {
  struct Case {
    const char* name;
    OperatorFamily family;
    Comparison comparison;
    bool negated;
  };
  constexpr Case kCases[] = {
      {"StringEquals", OperatorFamily::StringEquals, Comparison::Equals, false},
      {"StringNotEquals", OperatorFamily::StringEquals, Comparison::Equals, true},
      {"StringEqualsIgnoreCase", OperatorFamily::StringEqualsIgnoreCase, Comparison::Equals, false},
      {"StringNotEqualsIgnoreCase", OperatorFamily::StringEqualsIgnoreCase, Comparison::Equals,
       true},
      {"StringLike", OperatorFamily::StringLike, Comparison::Equals, false},
      {"StringNotLike", OperatorFamily::StringLike, Comparison::Equals, true},
      {"NumericEquals", OperatorFamily::Numeric, Comparison::Equals, false},
      {"NumericNotEquals", OperatorFamily::Numeric, Comparison::Equals, true},
      {"NumericLessThan", OperatorFamily::Numeric, Comparison::LessThan, false},
      {"NumericLessThanEquals", OperatorFamily::Numeric, Comparison::LessThanEquals, false},
      {"NumericGreaterThan", OperatorFamily::Numeric, Comparison::GreaterThan, false},
      {"NumericGreaterThanEquals", OperatorFamily::Numeric, Comparison::GreaterThanEquals, false},
      {"DateEquals", OperatorFamily::Date, Comparison::Equals, false},
      {"DateNotEquals", OperatorFamily::Date, Comparison::Equals, true},
      {"DateLessThan", OperatorFamily::Date, Comparison::LessThan, false},
      {"DateLessThanEquals", OperatorFamily::Date, Comparison::LessThanEquals, false},
      {"DateGreaterThan", OperatorFamily::Date, Comparison::GreaterThan, false},
      {"DateGreaterThanEquals", OperatorFamily::Date, Comparison::GreaterThanEquals, false},
      {"Bool", OperatorFamily::Bool, Comparison::Equals, false},
      {"BinaryEquals", OperatorFamily::Binary, Comparison::Equals, false},
      {"IpAddress", OperatorFamily::IpAddress, Comparison::Equals, false},
      {"NotIpAddress", OperatorFamily::IpAddress, Comparison::Equals, true},
      {"ArnEquals", OperatorFamily::Arn, Comparison::Equals, false},
      {"ArnLike", OperatorFamily::Arn, Comparison::Equals, false},
      {"ArnNotEquals", OperatorFamily::Arn, Comparison::Equals, true},
      {"ArnNotLike", OperatorFamily::Arn, Comparison::Equals, true},
      {"Null", OperatorFamily::Null, Comparison::Equals, false},
  };
  for (const Case& c : kCases) {
    const auto found = lookupOperator(c.name);
    ASSERT_TRUE(found.has_value()) << c.name;
    EXPECT_TRUE(found->case_exact) << c.name;
    EXPECT_EQ(found->op.name, c.name);
    EXPECT_EQ(found->op.family, c.family) << c.name;
    EXPECT_EQ(found->op.comparison, c.comparison) << c.name;
    EXPECT_EQ(found->op.negated, c.negated) << c.name;
    EXPECT_FALSE(found->op.if_exists) << c.name;
    EXPECT_EQ(found->op.set, SetQualifier::None) << c.name;
  }
}

TEST(ConditionOps, LookupIfExistsAndSetQualifiers) {
  struct Case {
    const char* name;
    OperatorFamily family;
    bool negated;
    bool if_exists;
    SetQualifier set;
  };
  constexpr Case kCases[] = {
      {"StringEqualsIfExists", OperatorFamily::StringEquals, false, true, SetQualifier::None},
      {"StringNotEqualsIfExists", OperatorFamily::StringEquals, true, true, SetQualifier::None},
      {"NumericLessThanIfExists", OperatorFamily::Numeric, false, true, SetQualifier::None},
      {"NotIpAddressIfExists", OperatorFamily::IpAddress, true, true, SetQualifier::None},
      {"ArnLikeIfExists", OperatorFamily::Arn, false, true, SetQualifier::None},
      {"ForAnyValue:StringLike", OperatorFamily::StringLike, false, false,
       SetQualifier::ForAnyValue},
      {"ForAllValues:StringEquals", OperatorFamily::StringEquals, false, false,
       SetQualifier::ForAllValues},
      {"ForAllValues:StringNotEqualsIfExists", OperatorFamily::StringEquals, true, true,
       SetQualifier::ForAllValues},
      {"ForAnyValue:ArnNotLike", OperatorFamily::Arn, true, false, SetQualifier::ForAnyValue},
      // The table reads these; the parser rejects them (parse.invalid_condition_operator).
      {"NullIfExists", OperatorFamily::Null, false, true, SetQualifier::None},
      {"ForAnyValue:Null", OperatorFamily::Null, false, false, SetQualifier::ForAnyValue},
  };
  for (const Case& c : kCases) {
    const auto found = lookupOperator(c.name);
    ASSERT_TRUE(found.has_value()) << c.name;
    EXPECT_TRUE(found->case_exact) << c.name;
    EXPECT_EQ(found->op.name, c.name);
    EXPECT_EQ(found->op.family, c.family) << c.name;
    EXPECT_EQ(found->op.negated, c.negated) << c.name;
    EXPECT_EQ(found->op.if_exists, c.if_exists) << c.name;
    EXPECT_EQ(found->op.set, c.set) << c.name;
  }
}

TEST(ConditionOps, LookupUnknownNameIsNullopt) {
  constexpr const char* kNames[] = {
      "StringEqualz",
      "",
      "IfExists",
      "ForAnyValue:",
      "ForAllValues:",
      "ForAnyValue:ForAllValues:StringEquals",
      "StringEqualsIfExistsIfExists",
      "IfExistsStringEquals",
      "ForSomeValues:StringEquals",
      "StringEquals ",
      "ArnLikeExists",
  };
  for (const char* name : kNames) {
    EXPECT_FALSE(lookupOperator(name).has_value()) << "`" << name << "`";
  }
}

TEST(ConditionOps, LookupWrongCaseIsFoundButNotCaseExact) {
  struct Case {
    const char* name;
    OperatorFamily family;
    bool if_exists;
    SetQualifier set;
  };
  constexpr Case kCases[] = {
      {"stringequals", OperatorFamily::StringEquals, false, SetQualifier::None},
      {"STRINGLIKE", OperatorFamily::StringLike, false, SetQualifier::None},
      {"bool", OperatorFamily::Bool, false, SetQualifier::None},
      {"StringEqualsIfexists", OperatorFamily::StringEquals, true, SetQualifier::None},
      {"forAnyValue:StringEquals", OperatorFamily::StringEquals, false, SetQualifier::ForAnyValue},
      {"ForAllValues:stringEquals", OperatorFamily::StringEquals, false,
       SetQualifier::ForAllValues},
  };
  for (const Case& c : kCases) {
    const auto found = lookupOperator(c.name);
    ASSERT_TRUE(found.has_value()) << c.name;
    EXPECT_FALSE(found->case_exact) << c.name;
    EXPECT_EQ(found->op.family, c.family) << c.name;
    EXPECT_EQ(found->op.if_exists, c.if_exists) << c.name;
    EXPECT_EQ(found->op.set, c.set) << c.name;
    EXPECT_EQ(found->op.name, c.name) << "the name is kept as written";
  }
}

TEST(ConditionOps, FamiliesTakingPolicyVariables) {
  struct Case {
    OperatorFamily family;
    bool takes;
  };
  constexpr Case kCases[] = {
      {OperatorFamily::StringEquals, true}, {OperatorFamily::StringEqualsIgnoreCase, true},
      {OperatorFamily::StringLike, true},   {OperatorFamily::Arn, true},
      {OperatorFamily::Numeric, false},     {OperatorFamily::Date, false},
      {OperatorFamily::Binary, false},      {OperatorFamily::IpAddress, false},
      {OperatorFamily::Null, false},
  };
  for (const Case& c : kCases) {
    EXPECT_EQ(match::familyTakesVariables(c.family), c.takes)
        << "family " << static_cast<int>(c.family);
  }
}

// AWS: Bool values may hold policy variables (aws-semantics §7.2, doc conflict; MODEL: allow),
// resolved at evaluation time rather than refused at load.
TEST(ConditionOps, BoolTakesPolicyVariables) {
  EXPECT_TRUE(match::familyTakesVariables(OperatorFamily::Bool));
  const std::string text = policyWithCondition("Bool", "aws:SecureTransport", R"("${k:flag}")");
  const auto parsed = parsePolicyText(text, PolicyKind::Identity);
  ASSERT_TRUE(parsed.has_value()) << testing::dump(parsed.error());
  const ConditionClause& clause = parsed.value().statements[0].conditions[0];
  RequestContext rc;
  rc.set("aws:SecureTransport", "true");
  rc.set("k:flag", "true");
  EXPECT_TRUE(evaluateClause(clause, rc, nullptr));
  rc.set("k:flag", "false");
  EXPECT_FALSE(evaluateClause(clause, rc, nullptr));
}

// ---------------------------------------------------------------------------------------------
// Value readers

TEST(ConditionOps, ParseNumberValid) {
  struct Case {
    const char* text;
    double value;
  };
  constexpr Case kCases[] = {
      {"0", 0},         {"42", 42},
      {"-7", -7},       {"+3", 3},
      {"1.5", 1.5},     {".5", 0.5},
      {"5.", 5},        {"1e3", 1000},
      {"2.5E-1", 0.25}, {"-0.125", -0.125},
      {" 12 ", 12},     {"007", 7},
      {"1E+2", 100},    {"123456789012", 123456789012.0},
  };
  for (const Case& c : kCases) {
    const auto n = parseNumber(c.text);
    ASSERT_TRUE(n.has_value()) << "`" << c.text << "`";
    EXPECT_DOUBLE_EQ(*n, c.value) << "`" << c.text << "`";
  }
}

TEST(ConditionOps, ParseNumberInvalid) {
  const std::string too_long(65, '1');
  const char* kCases[] = {"",    " ",   "abc", "0x10", "1e",    "1e+", "--1", "1.2.3",
                          "inf", "nan", ".",   "+",    "1,000", "1 2", "12a", too_long.c_str()};
  for (const char* text : kCases) {
    EXPECT_FALSE(parseNumber(text).has_value()) << "`" << text << "`";
  }
}

TEST(ConditionOps, ParseDateFormsGiveEpochSeconds) {
  struct Case {
    const char* text;
    double epoch;
  };
  constexpr Case kCases[] = {
      {"2024", 1704067200},        // YYYY: the first instant of the year
      {"2024-03", 1709251200},     // YYYY-MM
      {"2024-01-15", 1705276800},  // YYYY-MM-DD
      {"2024-02-29", 1709164800},  // leap day
      {"1970-01-01", 0},
      {"2024-01-15T10:00:00Z", 1705312800},       // with time and Z
      {"2024-01-15T10:00Z", 1705312800},          // seconds optional
      {"2024-01-15T10:00:00", 1705312800},        // no zone: read as UTC
      {"2024-01-15T12:00:00+02:00", 1705312800},  // +02:00 is the same instant
      {"2024-01-15T05:00:00-05:00", 1705312800},
      {"2024-01-15T10:00:00.5Z", 1705312800.5},  // fraction of a second
      {"1705312800", 1705312800},                // epoch seconds
      {"0", 0},
  };
  for (const Case& c : kCases) {
    const auto d = parseDate(c.text);
    ASSERT_TRUE(d.has_value()) << "`" << c.text << "`";
    EXPECT_DOUBLE_EQ(*d, c.epoch) << "`" << c.text << "`";
  }
}

TEST(ConditionOps, ParseDateInvalid) {
  constexpr const char* kCases[] = {
      "",
      "yesterday",
      "2024-13-01",
      "2024-00-10",
      "2024-01-00",
      "2024-01-32",
      "2024-1-5",
      "2024/01/15",
      "2024-01-15Z",
      "2024-01-15T10",
      "2024-01-15T25:00Z",
      "2024-01-15T10:60Z",
      "2024-01-15T10:00:00+2",
      "2024-01-15T10:00:00X",
      "2024-01-15T10:00:00.Z",
      "24-01-15",
  };
  for (const char* text : kCases) {
    EXPECT_FALSE(parseDate(text).has_value()) << "`" << text << "`";
  }
}

// The W3C profile of ISO 8601 has no impossible calendar values: they are refused, never rolled
// over to the next day.
TEST(ConditionOps, ParseDateRejectsImpossibleCalendarValues) {
  constexpr const char* kCases[] = {"2024-02-30", "2023-02-29", "2024-04-31",
                                    "2024-01-15T24:30:00Z"};
  for (const char* text : kCases) {
    EXPECT_FALSE(parseDate(text).has_value()) << "`" << text << "`";
  }
}

TEST(ConditionOps, ParseIpNetworkValid) {
  struct Case {
    const char* text;
    bool v6;
    int prefix;
    std::uint8_t first_byte;
  };
  constexpr Case kCases[] = {
      {"10.0.0.0/8", false, 8, 10},         {"192.168.1.1", false, 32, 192},
      {"0.0.0.0/0", false, 0, 0},           {"203.0.113.7/32", false, 32, 203},
      {"2001:db8::/32", true, 32, 0x20},    {"::1", true, 128, 0},
      {"2001:DB8::1/128", true, 128, 0x20}, {" 10.1.2.3 ", false, 32, 10},
  };
  for (const Case& c : kCases) {
    const auto net = parseIpNetwork(c.text);
    ASSERT_TRUE(net.has_value()) << "`" << c.text << "`";
    EXPECT_EQ(net->v6, c.v6) << "`" << c.text << "`";
    EXPECT_EQ(net->prefix, c.prefix) << "`" << c.text << "`";
    EXPECT_EQ(net->bytes[0], c.first_byte) << "`" << c.text << "`";
  }
}

TEST(ConditionOps, ParseIpNetworkInvalid) {
  constexpr const char* kCases[] = {
      "",
      "abc",
      "10.0.0",
      "10.0.0.256",
      "10.0.0.0/33",
      "10.0.0.0/",
      "10.0.0.0/-1",
      "10.0.0.0/8/8",
      "10.0.0.0/x",
      "2001:db8::/129",
      "2001:db8::g",
      "1.2.3.4.5",
  };
  for (const char* text : kCases) {
    EXPECT_FALSE(parseIpNetwork(text).has_value()) << "`" << text << "`";
  }
}

TEST(ConditionOps, DecodeBase64Valid) {
  struct Case {
    const char* text;
    std::string bytes;
  };
  const Case kCases[] = {
      {"aGVsbG8=", "hello"},
      {"aGk=", "hi"},
      {"YQ==", "a"},
      {"QmFkZ2UtNDI=", "Badge-42"},
      {"AP8=", std::string("\x00\xff", 2)},
      {"Kw==", "+"},
  };
  for (const Case& c : kCases) {
    const auto bytes = decodeBase64(c.text);
    ASSERT_TRUE(bytes.has_value()) << "`" << c.text << "`";
    EXPECT_EQ(*bytes, c.bytes) << "`" << c.text << "`";
  }
}

TEST(ConditionOps, DecodeBase64Invalid) {
  constexpr const char* kCases[] = {"", "!!!!", "aGk=x", "aGk===", "aGk= ", "aG k=", "aGVs\nbG8="};
  for (const char* text : kCases) {
    EXPECT_FALSE(decodeBase64(text).has_value()) << "`" << text << "`";
  }
}

// A base64 text of length 1 mod 4 leaves stray bits that encode no byte: it is not base64.
TEST(ConditionOps, DecodeBase64RejectsTruncatedInput) {
  constexpr const char* kCases[] = {"a", "Q", "aGVsb"};
  for (const char* text : kCases) {
    EXPECT_FALSE(decodeBase64(text).has_value()) << "`" << text << "`";
  }
}

TEST(ConditionOps, ParseBool) {
  struct Case {
    const char* text;
    std::optional<bool> value;
  };
  constexpr Case kCases[] = {
      {"true", true},      {"false", false},        {"TRUE", true},          {"False", false},
      {"tRuE", true},      {"", std::nullopt},      {"yes", std::nullopt},   {"1", std::nullopt},
      {"0", std::nullopt}, {" true", std::nullopt}, {"truee", std::nullopt},
  };
  for (const Case& c : kCases) {
    EXPECT_EQ(parseBool(c.text), c.value) << "`" << c.text << "`";
  }
}

// ---------------------------------------------------------------------------------------------
// Policy variables: parseTemplate / resolveTemplate

TEST(ConditionOps, ParseTemplateSplitsVariables) {
  const Template t = match::parseTemplate("arn:aws:s3:::b/${aws:UserName}/*", true);
  ASSERT_EQ(t.parts.size(), 3u);
  EXPECT_EQ(t.parts[0].type, Template::Part::Type::Text);
  EXPECT_EQ(t.parts[0].text, "arn:aws:s3:::b/");
  EXPECT_EQ(t.parts[1].type, Template::Part::Type::Variable);
  EXPECT_EQ(t.parts[1].text, "aws:username");  // folded: keys compare case-insensitively
  EXPECT_FALSE(t.parts[1].default_value.has_value());
  EXPECT_EQ(t.parts[2].text, "/*");
  EXPECT_TRUE(t.hasVariables());
}

TEST(ConditionOps, ParseTemplateDefaultValue) {
  const Template t = match::parseTemplate("${aws:PrincipalTag/team, 'company-wide'}", true);
  ASSERT_EQ(t.parts.size(), 1u);
  EXPECT_EQ(t.parts[0].type, Template::Part::Type::Variable);
  EXPECT_EQ(t.parts[0].text, "aws:principaltag/team");
  ASSERT_TRUE(t.parts[0].default_value.has_value());
  EXPECT_EQ(*t.parts[0].default_value, "company-wide");
}

TEST(ConditionOps, ParseTemplateEscapesAreLiteralText) {
  const Template t = match::parseTemplate("a${*}b${?}${$}", true);
  ASSERT_EQ(t.parts.size(), 4u);
  EXPECT_EQ(t.parts[0].text, "a");
  EXPECT_FALSE(t.parts[0].literal);
  EXPECT_EQ(t.parts[1].text, "*");
  EXPECT_TRUE(t.parts[1].literal);
  EXPECT_EQ(t.parts[2].text, "b");
  EXPECT_FALSE(t.parts[2].literal);
  EXPECT_EQ(t.parts[3].text, "?$");
  EXPECT_TRUE(t.parts[3].literal);
  EXPECT_TRUE(t.hasVariables());
}

TEST(ConditionOps, ParseTemplateWithoutVariablesIsOneTextPart) {
  struct Case {
    const char* text;
    bool variables;
  };
  constexpr Case kCases[] = {
      {"b/${aws:username}/*", false},  // Version 2008-10-17: plain text
      {"b/${aws:username", true},      // unterminated: stays text
      {"plain", true},
  };
  for (const Case& c : kCases) {
    const Template t = match::parseTemplate(c.text, c.variables);
    ASSERT_EQ(t.parts.size(), 1u) << c.text;
    EXPECT_EQ(t.parts[0].type, Template::Part::Type::Text) << c.text;
    EXPECT_EQ(t.parts[0].text, c.text);
    EXPECT_FALSE(t.hasVariables()) << c.text;
  }
}

TEST(ConditionOps, ResolveTemplate) {
  struct Case {
    const char* tmpl;
    Ctx username;  // aws:username
    std::optional<std::string> resolved;
  };
  const Case kCases[] = {
      {"home/${aws:username}/", single("alice"), "home/alice/"},
      {"home/${AWS:UserName}/", single("alice"), "home/alice/"},
      {"home/${aws:username}/", absent(), std::nullopt},
      {"home/${aws:username, 'nobody'}/", absent(), "home/nobody/"},
      {"home/${aws:username, 'nobody'}/", single("alice"), "home/alice/"},
      // AWS: a multivalued key never resolves as a variable.
      {"home/${aws:username}/", multi({"alice"}), std::nullopt},
      {"home/${aws:username, 'nobody'}/", multi({"alice"}), "home/nobody/"},
      {"${*}${aws:username}", single("x"), "*x"},
  };
  for (const Case& c : kCases) {
    const RequestContext rc = contextWith("aws:username", c.username);
    const auto r = match::resolveTemplate(match::parseTemplate(c.tmpl, true), rc);
    ASSERT_EQ(r.has_value(), c.resolved.has_value()) << c.tmpl << " with " << c.username.describe();
    if (r) {
      EXPECT_EQ(r->text, *c.resolved) << c.tmpl;
    }
  }
}

TEST(ConditionOps, ResolvedTextFromVariablesIsLiteral) {
  RequestContext rc;
  rc.set("aws:PrincipalTag/team", "a*b");
  const auto r =
      match::resolveTemplate(match::parseTemplate("${aws:PrincipalTag/team}/*", true), rc);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->text, "a*b/*");
  const Wildcard w = Wildcard::compile(r->pieces(), Wildcard::Mode::Plain);
  EXPECT_TRUE(w.matches("a*b/x"));
  EXPECT_FALSE(w.matches("axb/x"));  // the substituted `*` is not a wildcard
}

// ---------------------------------------------------------------------------------------------
// evaluateClause, family by family

TEST(ConditionOps, EvaluateStringFamily) {
  expectClauses({
      {"StringEquals", R"("alice")", single("alice"), true},
      {"StringEquals", R"("alice")", single("Alice"), false},
      {"StringEquals", R"("a*")", single("abc"), false},  // `*` is literal
      {"StringEquals", R"("a*")", single("a*"), true},
      {"StringNotEquals", R"("alice")", single("bob"), true},
      {"StringNotEquals", R"("alice")", single("alice"), false},
      {"StringEqualsIgnoreCase", R"("ALICE")", single("alice"), true},
      {"StringEqualsIgnoreCase", R"("ALICE")", single("bob"), false},
      {"StringNotEqualsIgnoreCase", R"("ALICE")", single("alice"), false},
      {"StringNotEqualsIgnoreCase", R"("ALICE")", single("bob"), true},
      {"StringLike", R"("a*")", single("abc"), true},
      {"StringLike", R"("a*")", single("Abc"), false},
      {"StringLike", R"("o-*/r-?/*")", single("o-1/r-a/ou:x/y"), true},  // `*` spans `/`, `:`
      {"StringLike", R"("a?c")", single("abbc"), false},
      {"StringNotLike", R"("a*")", single("abc"), false},
      {"StringNotLike", R"("a*")", single("xyz"), true},
  });
}

TEST(ConditionOps, EvaluateNumericFamily) {
  expectClauses({
      {"NumericEquals", R"("10")", single("10"), true},
      {"NumericEquals", R"(10)", single("10.0"), true},  // JSON number policy value
      {"NumericEquals", R"("10")", single("11"), false},
      {"NumericNotEquals", R"("10")", single("11"), true},
      {"NumericNotEquals", R"("10")", single("10"), false},
      {"NumericLessThan", R"("10")", single("9"), true},
      {"NumericLessThan", R"("10")", single("10"), false},
      {"NumericLessThanEquals", R"("10")", single("10"), true},
      {"NumericLessThanEquals", R"("10")", single("10.5"), false},
      {"NumericGreaterThan", R"("10")", single("10.5"), true},
      {"NumericGreaterThan", R"("10")", single("10"), false},
      {"NumericGreaterThanEquals", R"("10")", single("10"), true},
      {"NumericGreaterThanEquals", R"("10")", single("-3"), false},
      // An unreadable request value makes the comparison false, negated operators included.
      {"NumericEquals", R"("10")", single("ten"), false},
      {"NumericNotEquals", R"("10")", single("ten"), false},
  });
}

TEST(ConditionOps, EvaluateDateFamily) {
  expectClauses({
      {"DateEquals", R"("2024-01-15T10:00:00Z")", single("2024-01-15T12:00:00+02:00"), true},
      {"DateEquals", R"("2024-01-15T10:00:00Z")", single("1705312800"), true},
      {"DateEquals", R"("1705312800")", single("2024-01-15T10:00:00Z"), true},
      {"DateNotEquals", R"("2024-01-15T10:00:00Z")", single("2024-01-15T10:00:01Z"), true},
      {"DateNotEquals", R"("2024-01-15T10:00:00Z")", single("1705312800"), false},
      {"DateLessThan", R"("2024-01-15")", single("2024-01-14T23:59:59Z"), true},
      {"DateLessThan", R"("2024-01-15")", single("2024-01-15T00:00:00Z"), false},
      {"DateLessThanEquals", R"("2024-01-15")", single("2024-01-15T00:00:00Z"), true},
      {"DateGreaterThan", R"("2024")", single("2024-06-01T00:00:00Z"), true},
      {"DateGreaterThan", R"("2024")", single("2023-12-31T23:59:59Z"), false},
      {"DateGreaterThanEquals", R"("2024-01-15T10:00:00Z")", single("1705312800"), true},
      {"DateEquals", R"("2024-01-15")", single("not a date"), false},
      {"DateNotEquals", R"("2024-01-15")", single("not a date"), false},
  });
}

TEST(ConditionOps, EvaluateBoolFamily) {
  expectClauses({
      {"Bool", R"("true")", single("true"), true},
      {"Bool", R"("true")", single("TRUE"), true},  // Bool values are case-insensitive
      {"Bool", R"(true)", single("true"), true},    // JSON boolean policy value
      {"Bool", R"(false)", single("false"), true},
      {"Bool", R"("true")", single("false"), false},
      {"Bool", R"("false")", single("true"), false},
      {"Bool", R"("true")", single("yes"), false},
  });
}

TEST(ConditionOps, EvaluateBinaryFamily) {
  // MODEL (tests/corpus/conditions_bool_null_binary.json): the policy value is base64; it is
  // compared with the bytes of the context string.
  expectClauses({
      {"BinaryEquals", R"("QmFkZ2UtNDI=")", single("Badge-42"), true},
      {"BinaryEquals", R"("QmFkZ2UtNDI=")", single("Badge-43"), false},
      {"BinaryEquals", R"(["aGk=", "QmFkZ2UtNDI="])", single("Badge-42"), true},
  });
}

// AWS: BinaryEquals compares the bytes of the request key with the policy's base64-decoded value;
// the request value itself is not decoded.
TEST(ConditionOps, EvaluateBinaryComparesContextBytesNotDecodedContext) {
  expectClauses({
      {"BinaryEquals", R"("QmFkZ2U0Mg==")", single("Badge42"), true},
      {"BinaryEquals", R"("aGVsbG8=")", single("hello"), true},
      {"BinaryEquals", R"("aGVsbG8=")", single("aGVsbG8="), false},
  });
}

TEST(ConditionOps, EvaluateIpAddressFamily) {
  expectClauses({
      {"IpAddress", R"("10.0.0.0/8")", single("10.1.2.3"), true},
      {"IpAddress", R"("10.0.0.0/8")", single("11.1.2.3"), false},
      {"IpAddress", R"("203.0.113.7")", single("203.0.113.7"), true},  // bare IPv4 is /32
      {"IpAddress", R"("203.0.113.7")", single("203.0.113.8"), false},
      {"IpAddress", R"("2001:db8::/32")", single("2001:db8:1::5"), true},
      {"IpAddress", R"("2001:db8::/32")", single("2001:db9::5"), false},
      // AWS: an IPv4 range never matches an IPv6 address, and vice versa (even ::/0 vs IPv4).
      {"IpAddress", R"("0.0.0.0/0")", single("2001:db8::1"), false},
      {"IpAddress", R"("::/0")", single("10.0.0.1"), false},
      {"NotIpAddress", R"("10.0.0.0/8")", single("11.1.2.3"), true},
      {"NotIpAddress", R"("10.0.0.0/8")", single("10.1.2.3"), false},
      {"NotIpAddress", R"("0.0.0.0/0")", single("2001:db8::1"), true},
      {"IpAddress", R"("10.0.0.0/8")", single("not-an-ip"), false},
      {"NotIpAddress", R"("10.0.0.0/8")", single("not-an-ip"), false},
  });
}

TEST(ConditionOps, EvaluateArnFamily) {
  const char* kRoleArn = "arn:aws:iam::111122223333:role/app/Deploy";
  expectClauses({
      {"ArnEquals", R"("arn:aws:iam::111122223333:role/app/Deploy")", single(kRoleArn), true},
      {"ArnEquals", R"("arn:aws:iam::111122223333:role/app/deploy")", single(kRoleArn), false},
      {"ArnLike", R"("arn:aws:iam::*:role/app/*")", single(kRoleArn), true},
      {"ArnLike", R"("arn:aws:iam::111122223333:role/*")", single(kRoleArn), true},
      {"ArnLike", R"("arn:aws:iam::444455556666:role/*")", single(kRoleArn), false},
      {"ArnEquals", R"("arn:aws:iam::*:role/app/*")", single(kRoleArn), true},  // same as Like
      {"ArnNotLike", R"("arn:aws:iam::*:role/app/*")", single(kRoleArn), false},
      {"ArnNotEquals", R"("arn:aws:iam::444455556666:*")", single(kRoleArn), true},
      {"ArnLike", R"("*")", single(kRoleArn), true},
      {"ArnLike", R"("*")", single("not-an-arn"), false},
      {"ArnLike", R"("arn:aws:iam::*")", single(kRoleArn), false},  // five fields: never matches
      {"ArnLike", R"("arn:*:*:*:*:*")", single("not:an:arn"), false},
  });
}

TEST(ConditionOps, ArnLikeConfinesEachWildcardToItsFieldUnlikeStringLike) {
  // aws-semantics §7.2: the first `*` eats colons under StringLike but stays in the region field
  // under ArnLike.
  const std::string pattern = R"("arn:aws:svc:*:111122223333:finance/*")";
  const Ctx value = single("arn:aws:svc:us-east-2:999999999999:store/abc:111122223333:finance/doc");
  expectClauses({
      {"StringLike", pattern, value, true},
      {"ArnLike", pattern, value, false},
      {"ArnLike", pattern, single("arn:aws:svc:us-east-2:111122223333:finance/doc"), true},
  });
}

TEST(ConditionOps, EvaluateNull) {
  expectClauses({
      {"Null", R"("true")", absent(), true},
      {"Null", R"("false")", absent(), false},
      {"Null", R"("true")", single("x"), false},
      {"Null", R"("false")", single("x"), true},
      {"Null", R"(true)", absent(), true},
      // AWS: an empty string or an empty list counts as null.
      {"Null", R"("true")", single(""), true},
      {"Null", R"("false")", single(""), false},
      {"Null", R"("true")", multi({}), true},
      {"Null", R"("false")", multi({}), false},
      {"Null", R"("false")", multi({"a", "b"}), true},
  });
}

// ---------------------------------------------------------------------------------------------
// evaluateClause: combination rules (aws-semantics §7.1, §7.3, §7.4)

TEST(ConditionOps, MissingKeyTable) {
  expectClauses({
      {"StringEquals", R"("x")", absent(), false},
      {"StringNotEquals", R"("x")", absent(), true},
      {"StringLike", R"("*")", absent(), false},
      {"StringNotLike", R"("*")", absent(), true},
      {"StringEqualsIfExists", R"("x")", absent(), true},
      {"StringNotEqualsIfExists", R"("x")", absent(), true},
      {"ForAllValues:StringEquals", R"("x")", absent(), true},
      {"ForAnyValue:StringEquals", R"("x")", absent(), false},
      {"ForAllValues:StringNotEquals", R"("x")", absent(), true},
      {"ForAnyValue:StringNotEquals", R"("x")", absent(), false},
      {"IpAddress", R"("10.0.0.0/8")", absent(), false},
      {"NotIpAddress", R"("10.0.0.0/8")", absent(), true},
      {"ArnLike", R"("arn:aws:iam::*:role/*")", absent(), false},
      {"ArnNotLike", R"("arn:aws:iam::*:role/*")", absent(), true},
      {"NumericEqualsIfExists", R"("1")", absent(), true},
      {"Bool", R"("true")", absent(), false},
      {"DateGreaterThan", R"("2024")", absent(), false},
  });
}

TEST(ConditionOps, IfExistsWithKeyPresentIsTheNormalTest) {
  expectClauses({
      {"StringEqualsIfExists", R"("x")", single("x"), true},
      {"StringEqualsIfExists", R"("x")", single("y"), false},
      {"StringNotEqualsIfExists", R"("x")", single("x"), false},
      {"StringNotEqualsIfExists", R"("x")", single("y"), true},
      {"NumericLessThanIfExists", R"("5")", single("9"), false},
  });
}

TEST(ConditionOps, SeveralPolicyValuesAreOredForPositiveNoredForNegated) {
  expectClauses({
      {"StringEquals", R"(["a", "b"])", single("b"), true},
      {"StringEquals", R"(["a", "b"])", single("c"), false},
      {"StringNotEquals", R"(["a", "b"])", single("b"), false},  // NOR: matches one ⇒ false
      {"StringNotEquals", R"(["a", "b"])", single("c"), true},
      {"StringLike", R"(["x*", "a*"])", single("abc"), true},
      {"StringNotLike", R"(["x*", "a*"])", single("abc"), false},
      {"IpAddress", R"(["10.0.0.0/8", "192.168.0.0/16"])", single("192.168.3.4"), true},
      {"NotIpAddress", R"(["10.0.0.0/8", "192.168.0.0/16"])", single("192.168.3.4"), false},
      {"NotIpAddress", R"(["10.0.0.0/8", "192.168.0.0/16"])", single("172.16.0.1"), true},
      {"ArnNotLike", R"(["arn:aws:iam::1*", "arn:aws:iam::*:role/*"])",
       single("arn:aws:iam::111122223333:role/r"), false},
  });
}

TEST(ConditionOps, SetOperatorsOverMultivaluedKey) {
  expectClauses({
      // ForAllValues: every request value is among the policy values (subset).
      {"ForAllValues:StringEquals", R"(["a", "b"])", multi({"a"}), true},
      {"ForAllValues:StringEquals", R"(["a", "b"])", multi({"a", "b"}), true},
      {"ForAllValues:StringEquals", R"(["a", "b"])", multi({"a", "c"}), false},
      {"ForAllValues:StringEquals", R"(["a", "b"])", multi({}), true},  // vacuous
      // ForAnyValue: some request value is among the policy values (intersection).
      {"ForAnyValue:StringEquals", R"(["a", "b"])", multi({"c", "b"}), true},
      {"ForAnyValue:StringEquals", R"(["a", "b"])", multi({"c", "d"}), false},
      {"ForAnyValue:StringEquals", R"(["a", "b"])", multi({}), false},
      {"ForAnyValue:StringLike", R"("o-1/*")", multi({"o-2/r", "o-1/r/ou"}), true},
      // With a negated base operator the per-value test is the negated one.
      {"ForAllValues:StringNotEquals", R"(["a", "b"])", multi({"c", "d"}), true},
      {"ForAllValues:StringNotEquals", R"(["a", "b"])", multi({"c", "a"}), false},
      {"ForAnyValue:StringNotEquals", R"(["a", "b"])", multi({"a", "c"}), true},
      {"ForAnyValue:StringNotEquals", R"(["a", "b"])", multi({"a", "b"}), false},
      {"ForAllValues:StringNotEquals", R"(["a"])", multi({}), true},
      {"ForAnyValue:StringNotEquals", R"(["a"])", multi({}), false},
  });
}

TEST(ConditionOps, SetOperatorOnSingleValuedKeyIsOneElementSet) {
  expectClauses({
      {"ForAllValues:StringEquals", R"(["a", "b"])", single("a"), true},
      {"ForAllValues:StringEquals", R"(["a", "b"])", single("c"), false},
      {"ForAnyValue:StringEquals", R"(["a", "b"])", single("b"), true},
      {"ForAnyValue:StringEquals", R"(["a", "b"])", single("c"), false},
  });
}

TEST(ConditionOps, PlainOperatorOnMultivaluedKey) {
  // MODEL (aws-semantics §7.4): one element is tested as a single value; more than one never
  // matches, negated operators included; an empty set follows the empty-set column of §7.3.
  expectClauses({
      {"StringLike", R"("o-1/*")", multi({"o-1/r/ou"}), true},
      {"StringLike", R"("o-1/*")", multi({"o-2/r/ou"}), false},
      {"StringNotLike", R"("o-1/*")", multi({"o-2/r/ou"}), true},
      {"StringLike", R"("o-1/*")", multi({"o-1/a", "o-1/b"}), false},
      {"StringEquals", R"(["a", "b"])", multi({"a", "b"}), false},
      {"StringNotEquals", R"("x")", multi({"a", "b"}), false},
      {"StringNotLike", R"("o-1/*")", multi({"o-2/a", "o-3/b"}), false},
      {"StringEquals", R"("a")", multi({}), false},
      {"StringNotEquals", R"("a")", multi({}), true},
  });
}

TEST(ConditionOps, KeyNamesCompareCaseInsensitively) {
  const ConditionClause clause = clauseOf("IpAddress", "AWS:SourceIp", R"("10.0.0.0/8")");
  RequestContext rc;
  rc.set("aws:sourceip", "10.9.9.9");
  EXPECT_TRUE(evaluateClause(clause, rc, nullptr));
}

TEST(ConditionOps, FalseClauseWritesANote) {
  const ConditionClause clause = clauseOf("StringEquals", "k:key", R"("x")");
  std::string note;
  EXPECT_FALSE(evaluateClause(clause, RequestContext{}, &note));
  EXPECT_FALSE(note.empty());
  RequestContext rc;
  rc.set("k:key", "x");
  std::string untouched = "before";
  EXPECT_TRUE(evaluateClause(clause, rc, &untouched));
  EXPECT_EQ(untouched, "before");
}

// ---------------------------------------------------------------------------------------------
// evaluateClause with policy variables (aws-semantics §7.6)

struct VariableCase {
  std::string op;
  std::string policy_values;
  Ctx team;             // aws:PrincipalTag/team (the variable)
  std::string request;  // k:key (the tested key, always present)
  bool expected;
};

void expectVariableClauses(const std::vector<VariableCase>& cases,
                           const std::string& version = "2012-10-17") {
  for (const VariableCase& c : cases) {
    const ConditionClause clause = clauseOf(c.op, "k:key", c.policy_values, version);
    RequestContext rc = contextWith("aws:PrincipalTag/team", c.team);
    rc.set("k:key", c.request);
    EXPECT_EQ(evaluateClause(clause, rc, nullptr), c.expected)
        << c.op << " " << c.policy_values << " team=" << c.team.describe() << " key=`" << c.request
        << "` version " << version;
  }
}

TEST(ConditionOps, PolicyVariableResolved) {
  expectVariableClauses({
      {"StringEquals", R"("${aws:PrincipalTag/team}")", single("red"), "red", true},
      {"StringEquals", R"("${aws:PrincipalTag/team}")", single("red"), "blue", false},
      {"StringEquals", R"("${aws:principaltag/TEAM}")", single("red"), "red", true},
      {"StringEqualsIgnoreCase", R"("${aws:PrincipalTag/team}")", single("red"), "RED", true},
      {"StringLike", R"("proj-${aws:PrincipalTag/team}-*")", single("red"), "proj-red-1", true},
      {"StringLike", R"("proj-${aws:PrincipalTag/team}-*")", single("red"), "proj-blue-1", false},
      {"StringNotEquals", R"("${aws:PrincipalTag/team}")", single("red"), "red", false},
      {"ArnLike", R"("arn:aws:iam::*:role/${aws:PrincipalTag/team}-*")", single("red"),
       "arn:aws:iam::111122223333:role/red-admin", true},
      {"ArnLike", R"("arn:aws:iam::*:role/${aws:PrincipalTag/team}-*")", single("red"),
       "arn:aws:iam::111122223333:role/blue-admin", false},
  });
}

TEST(ConditionOps, PolicyVariableDefault) {
  expectVariableClauses({
      {"StringEquals", R"("${aws:PrincipalTag/team, 'company-wide'}")", absent(), "company-wide",
       true},
      {"StringEquals", R"("${aws:PrincipalTag/team, 'company-wide'}")", single("red"),
       "company-wide", false},
      {"StringEquals", R"("${aws:PrincipalTag/team, 'company-wide'}")", single("red"), "red", true},
  });
}

TEST(ConditionOps, PolicyVariableUnresolvedMatchesOnlyNegated) {
  expectVariableClauses({
      {"StringEquals", R"("${aws:PrincipalTag/team}")", absent(), "red", false},
      {"StringLike", R"("${aws:PrincipalTag/team}*")", absent(), "red", false},
      {"ArnLike", R"("arn:aws:iam::*:role/${aws:PrincipalTag/team}")", absent(),
       "arn:aws:iam::111122223333:role/red", false},
      {"StringNotEquals", R"("${aws:PrincipalTag/team}")", absent(), "red", true},
      {"StringNotLike", R"("${aws:PrincipalTag/team}*")", absent(), "red", true},
      {"ArnNotLike", R"("arn:aws:iam::*:role/${aws:PrincipalTag/team}")", absent(),
       "arn:aws:iam::111122223333:role/red", true},
      // AWS: a multivalued key never resolves as a variable.
      {"StringEquals", R"("${aws:PrincipalTag/team}")", multi({"red"}), "red", false},
      // One unresolved value among several: the others still count (OR).
      {"StringEquals", R"(["${aws:PrincipalTag/team}", "red"])", absent(), "red", true},
  });
}

TEST(ConditionOps, PolicyVariableValueIsLiteral) {
  expectVariableClauses({
      {"StringLike", R"("${aws:PrincipalTag/team}")", single("r*"), "r*", true},
      {"StringLike", R"("${aws:PrincipalTag/team}")", single("r*"), "red", false},
      {"StringLike", R"("${*}${aws:PrincipalTag/team}")", single("x"), "*x", true},
      {"StringLike", R"("${*}${aws:PrincipalTag/team}")", single("x"), "ax", false},
  });
}

TEST(ConditionOps, PolicyVariablesArePlainTextWithoutVersion2012) {
  for (const std::string version : {"2008-10-17", ""}) {
    expectVariableClauses(
        {
            {"StringEquals", R"("${aws:PrincipalTag/team}")", single("red"), "red", false},
            {"StringEquals", R"("${aws:PrincipalTag/team}")", single("red"),
             "${aws:PrincipalTag/team}", true},
        },
        version);
  }
}

}  // namespace
}  // namespace trustsim
