// SPDX-License-Identifier: Apache-2.0
// The policy model: AWS policy JSON normalised once into immutable values. Globs are compiled,
// single values become one-element lists, Not- forms become a `negated` flag; the evaluator never
// sees JSON.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "trustsim/result.h"
#include "trustsim/wildcard.h"

namespace trustsim {

// Where a policy is attached decides its grammar (aws-semantics §2.1, §6.1, §6.6).
enum class PolicyKind {
  Identity,  // user, group or role policy: no Principal; Resource required
  Trust,     // a role's trust policy: Principal required, no NotPrincipal, no Resource
  Resource,  // any other resource-based policy (bucket, key, queue): Principal or NotPrincipal
  Boundary,  // permissions boundary: identity grammar
  Session,   // session policy: identity grammar
  Scp,       // service control policy: no Principal
  Rcp,       // resource control policy: Principal "*" only, no NotPrincipal, no NotAction
};
std::string_view toString(PolicyKind kind);

// Authored documents (case files, scenarios, patches) are refused when invalid; documents from an
// AWS dump were accepted by AWS and are evaluated literally with warnings (aws-semantics §6.7).
enum class PolicyOrigin { Authored, Dump };

enum class Effect { Allow, Deny };
std::string_view toString(Effect effect);

// A string that may contain policy variables (`${aws:username}`, `${key, 'default'}`, `${*}`).
// Under Version 2008-10-17 (or no Version) there are no variables: the text is one literal part.
struct Template {
  struct Part {
    enum class Type : std::uint8_t { Text, Variable };
    Type type = Type::Text;
    std::string text;                          // Text: the characters; Variable: the key, folded
    bool literal = false;                      // Text from `${*}`, `${?}`, `${$}`: not a wildcard
    std::optional<std::string> default_value;  // Variable: `${key, 'default'}`
  };
  std::vector<Part> parts;
  bool hasVariables() const;
};

// One entry of a Principal or NotPrincipal element (aws-semantics §2.2).
struct PrincipalEntry {
  enum class Type : std::uint8_t {
    Any,            // "*" or {"AWS": "*"}
    Account,        // "111122223333" or arn:aws:iam::111122223333:root
    User,           // arn:aws:iam::A:user/path/name
    Role,           // arn:aws:iam::A:role/path/name (matches the role's sessions)
    Session,        // arn:aws:sts::A:assumed-role/Role/Session
    FederatedUser,  // arn:aws:sts::A:federated-user/Name
    UniqueId,       // AIDA... / AROA... (a deleted entity shows like this)
    Service,        // {"Service": "ec2.amazonaws.com"}
    Federated,      // {"Federated": saml-provider/oidc-provider ARN or provider name}
    CanonicalUser,  // S3 only; never matches an IAM caller
    Invalid,        // kept from dumps only (§6.7): matches nothing
  };
  Type type = Type::Invalid;
  std::string value;      // as written
  std::string partition;  // empty for a bare account id (read in the resource's partition)
  std::string account;
  std::string name;     // User/Role: the last path component; Session: the role name
  std::string session;  // Session: the session name
  std::string where;    // JSON pointer of the value
};

struct PrincipalSet {
  bool present = false;
  bool negated = false;  // NotPrincipal
  std::vector<PrincipalEntry> entries;
};

struct ActionSet {
  bool negated = false;  // NotAction
  std::vector<std::string> raw;
  std::vector<Wildcard> patterns;  // folded: actions compare case-insensitively
  // Whether the statement's Action (or NotAction) covers an action given in lower case.
  bool matches(const std::string& folded_action) const;
};

struct ResourcePattern {
  std::string raw;
  Template value;     // used when the pattern has policy variables
  Wildcard compiled;  // used otherwise
};

struct ResourceSet {
  bool present = false;
  bool negated = false;  // NotResource
  std::vector<ResourcePattern> patterns;
};

// Condition operators (aws-semantics §7.2). Equals/Like for ARNs are one operator each way.
enum class OperatorFamily : std::uint8_t {
  StringEquals,
  StringEqualsIgnoreCase,
  StringLike,
  Numeric,
  Date,
  Bool,
  Binary,
  IpAddress,
  Arn,
  Null,
};
enum class Comparison : std::uint8_t {
  Equals,
  LessThan,
  LessThanEquals,
  GreaterThan,
  GreaterThanEquals
};
enum class SetQualifier : std::uint8_t { None, ForAnyValue, ForAllValues };

struct ConditionOperator {
  std::string name;  // as written
  OperatorFamily family = OperatorFamily::StringEquals;
  Comparison comparison = Comparison::Equals;
  bool negated = false;   // StringNotEquals, NotIpAddress, ArnNotLike, ...
  bool if_exists = false;  // ...IfExists
  SetQualifier set = SetQualifier::None;
};

// An IPv4 or IPv6 network: address bytes and prefix length.
struct IpNetwork {
  bool v6 = false;
  std::array<std::uint8_t, 16> bytes{};
  int prefix = 0;
};

// One value of a condition, compiled for its operator family.
struct ConditionValue {
  std::string raw;
  Template value;  // String and Arn families with variables
  bool has_variables = false;
  bool valid = true;  // false: unparsable for the family (dumps only); compares false
  Wildcard glob;                  // StringLike
  std::array<Wildcard, 6> arn{};  // Arn family: one glob per ARN field
  bool arn_ok = false;            // Arn family: the value has six fields
  double number = 0;              // Numeric, Date (epoch seconds), Bool (1/0)
  IpNetwork network;              // IpAddress
  std::string bytes;              // Binary: decoded base64
};

struct ConditionClause {
  ConditionOperator op;
  std::string key;           // as written
  std::string folded_key;    // lower case: context keys compare case-insensitively
  std::vector<ConditionValue> values;
  std::string where;         // JSON pointer of the clause (`/Statement/0/Condition/StringEquals/k`)
};

struct Statement {
  std::size_t index = 0;
  std::optional<std::string> sid;
  Effect effect = Effect::Allow;
  PrincipalSet principal;
  ActionSet action;
  ResourceSet resource;
  std::vector<ConditionClause> conditions;
  std::string where;  // `/Statement/0` (or `/Statement` for a lone object)
};

struct Policy {
  PolicyKind kind = PolicyKind::Identity;
  std::optional<std::string> version;  // as written; absent ⇒ 2008 rules (no policy variables)
  bool variables = false;              // Version 2012-10-17: `${...}` are policy variables
  std::optional<std::string> id;
  std::vector<Statement> statements;
  Diagnostics diagnostics;  // warnings; and, for Dump origin, the errors evaluated through
  bool valid = true;        // false when an Authored document has errors
  PolicyOrigin origin = PolicyOrigin::Authored;
  std::string file;  // the file the document was read from (statement pointers point into it)
};

// Parses and validates policy JSON text (aws-semantics §2, §6, §7, §8). Every problem is
// reported, not only the first. Errors for Authored documents (codes `json.*`, `parse.*`) make
// the result an error; for Dump documents only JSON errors do.
Result<Policy> parsePolicyText(std::string_view text, PolicyKind kind,
                               PolicyOrigin origin = PolicyOrigin::Authored,
                               const std::string& file = {});

}  // namespace trustsim
