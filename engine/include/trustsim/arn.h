// SPDX-License-Identifier: Apache-2.0
// ARN splitting (aws-semantics §1.1): `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`, split on the
// first five colons only; the resource part keeps its own colons and slashes.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace trustsim {

struct Arn {
  std::string partition;
  std::string service;
  std::string region;
  std::string account;
  std::string resource;

  // Splits `text`; nullopt when it does not start with `arn:` or has fewer than six fields.
  // Field contents are not checked here (wildcards are allowed: patterns are ARNs too).
  static std::optional<Arn> parse(std::string_view text);
  std::string str() const;
};

// The same split without copies; the views point into the parsed text.
struct ArnView {
  std::string_view partition, service, region, account, resource;
  static std::optional<ArnView> parse(std::string_view text);
};

// True for the partitions AWS has (`aws`, `aws-cn`, `aws-us-gov`, `aws-iso*`, `aws-eusc`).
bool isKnownPartition(std::string_view partition);
// True for exactly twelve decimal digits.
bool isAccountId(std::string_view text);

// True when `resource` is an IAM role ARN (`arn:P:iam::ACCT:role/...`).
bool isRoleArn(std::string_view resource);

// The role name (last path component) of `role/path/Name`; empty when not a role resource.
std::string_view roleNameOfResource(std::string_view resource);

}  // namespace trustsim
