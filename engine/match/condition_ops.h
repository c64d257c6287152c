// SPDX-License-Identifier: Apache-2.0
// Condition operators: the operator table (names → family, comparison, negation) and the value
// readers each family needs (numbers, dates, CIDRs, base64, booleans).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "trustsim/policy.h"
#include "trustsim/request.h"

namespace trustsim::match {

// Reads an operator name: optional `ForAnyValue:`/`ForAllValues:` prefix, a base operator from the
// table, optional `IfExists` suffix. `case_exact` is false when only a case-insensitive match was
// found (accepted with a warning). nullopt: unknown operator.
struct OperatorLookup {
  ConditionOperator op;
  bool case_exact = true;
};
std::optional<OperatorLookup> lookupOperator(std::string_view name);

// True for the families whose values may hold policy variables (aws-semantics §7.6).
bool familyTakesVariables(OperatorFamily family);

std::optional<double> parseNumber(std::string_view text);
// ISO 8601 (W3C profile: YYYY, YYYY-MM, YYYY-MM-DD, with Thh:mm[:ss[.fff]] and Z or ±hh:mm) or
// epoch seconds; the result is epoch seconds.
std::optional<double> parseDate(std::string_view text);
// `10.0.0.0/8`, `2001:db8::/32`; a bare address is /32 (IPv4) or /128 (IPv6).
std::optional<IpNetwork> parseIpNetwork(std::string_view text);
std::optional<std::string> decodeBase64(std::string_view text);
// "true"/"false" in any case → 1/0.
std::optional<bool> parseBool(std::string_view text);

// Compiles `value.raw` (already in `value`) for the operator family: sets the glob, ARN fields,
// number, network or bytes, and `valid`. Values with variables are compiled at evaluation time.
void compileConditionValue(OperatorFamily family, ConditionValue& value);

// Resolves policy variables against the request context. Returns nullopt when a variable has no
// value and no default (aws-semantics §7.6: such a value matches nothing). The pieces mark
// substituted text literal, so a `*` from a tag value is not a wildcard.
struct ResolvedTemplate {
  std::string text;
  std::vector<std::pair<std::size_t, std::size_t>> literal_ranges;  // [begin, end) into text
  std::vector<Wildcard::Piece> pieces() const;
};
std::optional<ResolvedTemplate> resolveTemplate(const Template& tmpl, const RequestContext& ctx);

// Tests one condition clause against the context (aws-semantics §7.1, §7.3, §7.4).
// `note` (optional) receives a short explanation when the clause is false.
bool evaluateClause(const ConditionClause& clause, const RequestContext& ctx, std::string* note);

}  // namespace trustsim::match

namespace trustsim::match {
// Splits `text` into policy-variable parts when `variables` is true (Version 2012-10-17);
// otherwise one literal-text part. Unterminated `${` stays text.
Template parseTemplate(std::string_view text, bool variables);
// Folds ASCII to lower case.
std::string foldCase(std::string_view text);
}  // namespace trustsim::match
