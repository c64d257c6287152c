// SPDX-License-Identifier: Apache-2.0
// CloudFormation's intrinsic functions, evaluated offline: a template expression becomes plain
// JSON from the template's Parameters (with `--parameter` values), pseudo parameters (from the
// load options), Mappings, Conditions and the physical names of its own resources. What AWS would
// only know at deploy time (Fn::ImportValue, Fn::GetAZs, most attributes) is an error, never a
// guess; the names CloudFormation generates get a documented deterministic stand-in.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "load/field_reader.h"
#include "trustsim/load.h"

namespace trustsim::load::cfn {

// The result of evaluating an expression. nullopt: it could not be evaluated and the reason was
// reported. A discarded JSON value (`is_discarded()`): `AWS::NoValue`, the property or list
// element is removed.
using Value = std::optional<nlohmann::json>;

// What a resource of the template is once created: the answer of `Ref` and the attributes
// `Fn::GetAtt` can read. Only resource types whose names and ARNs follow from the template are
// described (see kTypes in cfn_resolver.cc); `name` and `path` are empty for the others.
struct Physical {
  std::string type;  // AWS::IAM::Role, ...
  std::string name;  // RoleName, BucketName, ... (given or generated)
  std::string path = "/";
  std::string arn;
  std::string ref;                                // what Ref returns
  std::map<std::string, std::string> attributes;  // what Fn::GetAtt reads
  bool generated = false;  // the name is CloudFormation's, not the template's
};

struct TypeInfo;  // how a modelled resource type is named (cfn_resolver.cc)

// Evaluates expressions of one template. Errors use the FieldReader prefix `cfn` and name the
// pointer of the expression that failed. Codes: cfn.unknown_reference (Ref, Sub, GetAtt,
// FindInMap, If or Condition naming nothing the template defines), cfn.missing_parameter,
// cfn.invalid_parameter, cfn.unresolved (known only at deploy time, or not modelled),
// cfn.missing_account, cfn.bad_intrinsic (malformed arguments), cfn.unsupported_intrinsic,
// cfn.cycle, cfn.too_deep, cfn.wrong_type, cfn.invalid_value; warning cfn.generated_name.
class Resolver : public FieldReader {
 protected:
  Resolver(const nlohmann::json& doc, const std::string& file, const LoadOptions& options);

  // Evaluates every intrinsic function in `v` (found at `where`).
  Value resolve(const nlohmann::json& v, const std::string& where, int depth = 0);
  // The value of a condition of the `Conditions` section.
  std::optional<bool> condition(const std::string& name, const std::string& where, int depth = 0);
  // The physical description of resource `id` (which the template defines and creates), when
  // its type is modelled; cfn.unresolved otherwise, cfn.cycle when its name depends on itself.
  const Physical* physical(const std::string& id, const std::string& where, int depth = 0);
  // The same for a resource named by a reference at `where`: it must exist (cfn.unknown_reference)
  // and be created, its Condition true (cfn.unresolved otherwise).
  const Physical* referenced(const std::string& id, const std::string& where, int depth);
  // --account, or cfn.missing_account (reported once per template).
  std::optional<std::string> account(const std::string& where);

  const nlohmann::json& doc_;
  const LoadOptions& options_;
  const nlohmann::json* parameters_ = nullptr;  // the sections, when present and objects
  const nlohmann::json* mappings_ = nullptr;
  const nlohmann::json* conditions_ = nullptr;
  const nlohmann::json* resources_ = nullptr;
  std::string stack_;  // --stack-name, or `stack` in generated names

 private:
  Value intrinsic(const std::string& fn, const nlohmann::json& arg, const std::string& where,
                  int depth);
  Value literal(const nlohmann::json& v, const std::string& where, int depth);
  Value ref(const nlohmann::json& arg, const std::string& where, int depth);
  Value refName(const std::string& name, const std::string& where, int depth);
  Value getAtt(const nlohmann::json& arg, const std::string& where, int depth);
  Value attribute(const std::string& id, const std::string& attr, const std::string& where,
                  int depth);
  Value sub(const nlohmann::json& arg, const std::string& where, int depth);
  std::optional<std::string> substitute(const std::string& text, const nlohmann::json& vars,
                                        const std::string& where, int depth);
  Value join(const nlohmann::json& arg, const std::string& where, int depth);
  Value select(const nlohmann::json& arg, const std::string& where, int depth);
  Value split(const nlohmann::json& arg, const std::string& where, int depth);
  Value findInMap(const nlohmann::json& arg, const std::string& where, int depth);
  Value ifFn(const nlohmann::json& arg, const std::string& where, int depth);
  Value base64(const nlohmann::json& arg, const std::string& where, int depth);
  Value cidr(const nlohmann::json& arg, const std::string& where, int depth);
  Value length(const nlohmann::json& arg, const std::string& where, int depth);
  Value toJsonString(const nlohmann::json& arg, const std::string& where, int depth);
  std::optional<bool> conditionExpression(const nlohmann::json& v, const std::string& where,
                                          int depth);
  std::optional<bool> equals(const nlohmann::json& arg, const std::string& where, int depth);
  std::optional<bool> logical(const std::string& fn, const nlohmann::json& arg,
                              const std::string& where, int depth);

  Value parameter(const std::string& name, const std::string& where);
  std::optional<std::string> parameterText(const std::string& name, const nlohmann::json& decl,
                                           const std::string& where);
  bool checkParameter(const std::string& name, const nlohmann::json& decl,
                      const nlohmann::json& value, const std::string& where);
  Value pseudo(const std::string& name, const std::string& where);
  std::optional<Physical> describe(const std::string& id, const nlohmann::json& resource,
                                   const std::string& where, int depth);
  bool nameAndPath(const std::string& id, const TypeInfo& info, const nlohmann::json& props,
                   const std::string& where, int depth, Physical& p);
  std::optional<std::string> nameOf(const std::string& id, const nlohmann::json& props,
                                    const std::string& where, const char* property, std::size_t max,
                                    bool lowercase, int depth, bool& generated);

  // An argument, resolved, that must be a string (numbers and booleans are written as text, as
  // CloudFormation does with YAML scalars). cfn.wrong_type otherwise.
  std::optional<std::string> asText(const nlohmann::json& v, const std::string& where, int depth,
                                    const char* what);
  // An argument, resolved, that must be a list.
  std::optional<nlohmann::json> asList(const nlohmann::json& v, const std::string& where, int depth,
                                       const char* what);
  // An argument, resolved, that must be a whole number (or its text).
  std::optional<long long> asInteger(const nlohmann::json& v, const std::string& where, int depth,
                                     const char* what);
  // `arg` must be an array of `min`..`max` elements (cfn.bad_intrinsic).
  bool arity(const std::string& fn, const nlohmann::json& arg, std::size_t min, std::size_t max,
             const std::string& where);
  bool tooDeep(int depth, const std::string& where);

  std::map<std::string, Value> parameter_memo_;
  std::map<std::string, std::optional<bool>> condition_memo_;
  std::vector<std::string> conditions_in_progress_;
  std::map<std::string, std::optional<Physical>> physical_memo_;
  std::vector<std::string> physical_in_progress_;
  bool account_reported_ = false;
  bool depth_reported_ = false;
  int evaluating_conditions_ = 0;  // > 0 while a condition of `Conditions` is evaluated
};

// A stand-in for the random part of names CloudFormation generates: 12 characters of [A-Z0-9]
// derived from the stack name and logical ID (FNV-1a), so the same template always yields the
// same names and two versions of a template name the same resource alike.
std::string generatedSuffix(const std::string& stack, const std::string& id);

// The stand-in for the name CloudFormation gives a resource without an explicit name:
// `STACK-LOGICALID-SUFFIX`, the `STACK-LOGICALID` part cut so that the whole fits `max`
// characters, lower-cased for services that want lower case (S3).
std::string generatedName(const std::string& stack, const std::string& id, std::size_t max,
                          bool lowercase);

// Compact JSON text for messages and Fn::ToJsonString; invalid UTF-8 (a --parameter value) is
// replaced rather than thrown.
std::string show(const nlohmann::json& v);

// A scalar as CloudFormation writes it into a String property (a YAML `1` or `true` is the text
// `1`, `true`); nullopt for lists, objects and null.
std::optional<std::string> scalarText(const nlohmann::json& v);

// A stand-in for an id AWS assigns (AROA..., AIDA..., ANPA...): the prefix and 17 characters of
// base 32 derived from the entity's ARN.
std::string stableId(std::string_view prefix, const std::string& arn);

// The ranges of Fn::Cidr (IPv4 or IPv6): `count` blocks of `bits` host bits each, from the start
// of `block`. nullopt with `error` set when the arguments do not fit.
std::optional<std::vector<std::string>> cidrBlocks(const std::string& block, int count, int bits,
                                                   std::string& error);

}  // namespace trustsim::load::cfn
