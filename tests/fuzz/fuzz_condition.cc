// SPDX-License-Identifier: Apache-2.0
// Fuzz target: condition evaluation. The input chooses a policy whose statement has a Condition
// block (operators, keys and values, with and without policy variables) and a request context
// (single and multivalued keys); the policy goes through the parser like any other, then the
// request is evaluated, with and without a trace (the trace must not change the decision).
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "fuzz_input.h"
#include "parse/policy_parser.h"
#include "targets.h"
#include "trustsim/evaluate.h"

namespace trustsim::fuzz {
namespace {

constexpr const char* kOperators[] = {"StringEquals",
                                      "StringNotEquals",
                                      "StringEqualsIgnoreCase",
                                      "StringNotEqualsIgnoreCase",
                                      "StringLike",
                                      "StringNotLike",
                                      "NumericEquals",
                                      "NumericNotEquals",
                                      "NumericLessThan",
                                      "NumericLessThanEquals",
                                      "NumericGreaterThan",
                                      "NumericGreaterThanEquals",
                                      "DateEquals",
                                      "DateNotEquals",
                                      "DateLessThan",
                                      "DateLessThanEquals",
                                      "DateGreaterThan",
                                      "DateGreaterThanEquals",
                                      "Bool",
                                      "BinaryEquals",
                                      "IpAddress",
                                      "NotIpAddress",
                                      "ArnEquals",
                                      "ArnLike",
                                      "ArnNotEquals",
                                      "ArnNotLike",
                                      "Null"};
constexpr const char* kKeys[] = {"aws:username",
                                 "aws:PrincipalTag/team",
                                 "aws:SourceIp",
                                 "aws:CurrentTime",
                                 "aws:TagKeys",
                                 "sts:ExternalId",
                                 "aws:MultiFactorAuthPresent",
                                 "aws:PrincipalArn",
                                 "s3:prefix",
                                 "aws:EpochTime",
                                 "aws:SourceArn",
                                 "s3:max-keys"};
constexpr const char* kPrincipals[] = {"arn:aws:iam::111122223333:user/alice",
                                       "arn:aws:sts::111122223333:assumed-role/Deploy/s1",
                                       "arn:aws:iam::444455556666:root", "ec2.amazonaws.com", "*"};

std::string key(FuzzInput& in) {
  const std::size_t k = in.below(std::size(kKeys) + 1);
  return k < std::size(kKeys) ? kKeys[k] : std::string(in.string(24));
}

std::string operatorName(FuzzInput& in) {
  const std::size_t k = in.below(std::size(kOperators) + 1);
  if (k == std::size(kOperators)) return std::string(in.string(40));  // anything at all
  std::string name = kOperators[k];
  const std::uint8_t shape = in.byte();
  if (shape & 1) name += "IfExists";
  if (shape & 2) name = (shape & 4 ? "ForAllValues:" : "ForAnyValue:") + name;
  return name;
}

nlohmann::json value(FuzzInput& in) {
  switch (in.below(8)) {
    case 0:
      return static_cast<int>(in.byte()) - 128;
    case 1:
      return in.flag();
    default:
      return std::string(in.string(48));
  }
}

}  // namespace

int condition(const std::uint8_t* data, std::size_t size) {
  FuzzInput in(data, size);
  const std::uint8_t shape = in.byte();
  nlohmann::json block = nlohmann::json::object();
  const std::size_t clauses = 1 + in.below(4);
  for (std::size_t i = 0; i < clauses; ++i) {
    nlohmann::json& keys = block[operatorName(in)];
    if (!keys.is_object()) keys = nlohmann::json::object();
    const std::string k = key(in);
    if (in.flag()) {
      nlohmann::json values = nlohmann::json::array();
      for (std::size_t n = in.below(4); n > 0; --n) values.push_back(value(in));
      keys[k] = std::move(values);
    } else {
      keys[k] = value(in);
    }
  }
  nlohmann::json statement = {{"Effect", shape & 1 ? "Deny" : "Allow"},
                              {"Action", "s3:GetObject"},
                              {"Resource", "arn:aws:s3:::bucket/*"},
                              {"Condition", block}};
  nlohmann::json doc = {{"Statement", nlohmann::json::array({statement})}};
  if (shape & 2) doc["Version"] = "2012-10-17";  // policy variables on
  const PolicyOrigin origin = shape & 4 ? PolicyOrigin::Dump : PolicyOrigin::Authored;
  NamedPolicy identity{"Fuzz",
                       parse::parsePolicy(doc, {PolicyKind::Identity, origin, "fuzz.json", ""})};
  // The same statement as a bucket policy naming everyone, so both sides read the condition.
  statement["Principal"] = "*";
  doc["Statement"] = nlohmann::json::array({statement});
  NamedPolicy bucket{"Bucket",
                     parse::parsePolicy(doc, {PolicyKind::Resource, origin, "fuzz.json", ""})};
  if (!identity.policy.valid) {
    return 0;  // an authored policy with errors decides nothing; the parser target covers it
  }

  Request request;
  request.principal = kPrincipals[in.below(std::size(kPrincipals))];
  request.action = "s3:GetObject";
  request.resource = "arn:aws:s3:::bucket/key";
  request.resource_account = "111122223333";
  for (std::size_t n = in.below(6); n > 0; --n) {
    const std::string k = key(in);
    if (in.flag()) {
      std::vector<std::string> values;
      for (std::size_t m = in.below(4); m > 0; --m) values.emplace_back(in.string(48));
      request.context.setMulti(k, std::move(values));
    } else {
      request.context.set(k, std::string(in.string(64)));
    }
  }

  PolicySet set;
  set.identity.push_back(&identity);
  if (shape & 8) set.resource = &bucket;
  const Decision plain = evaluate(request, set);
  const Decision traced = evaluate(request, set, EvalOptions{true});
  TRUSTSIM_FUZZ_CHECK(plain.outcome == traced.outcome && plain.decided_by == traced.decided_by,
                      "condition", "asking for a trace changed the decision");
  TRUSTSIM_FUZZ_CHECK(plain.outcome != Outcome::InvalidPolicy || !bucket.policy.valid, "condition",
                      "a valid policy set was called invalid");
  return 0;
}

}  // namespace trustsim::fuzz

TRUSTSIM_FUZZ_TARGET(condition)
