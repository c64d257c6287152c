// SPDX-License-Identifier: Apache-2.0
// The `aws iam get-account-authorization-details` (GAAD) reader: one account's users, groups,
// roles and managed policies, as the AWS CLI writes them, → World (aws-semantics §10.1, §6.7).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "trustsim/world.h"

namespace trustsim::parse {
class SimdView;  // parse/json_view.h
}

namespace trustsim::load {

// True when `doc` is an object with `UserDetailList`, `GroupDetailList` or `RoleDetailList` as an
// array, or a `Policies` array whose entries carry `PolicyVersionList` (the IAM managed-policy
// shape; Organizations' and IAM's `list-policies` outputs also have `Policies`, without versions).
bool looksLikeGaad(const nlohmann::json& doc);
bool looksLikeGaadFast(const parse::SimdView& doc);

// Reads one GAAD document (the CLI output, pages already merged) into a World holding the users,
// groups, roles and managed policies of the dump, and the dump's account (`ours = true`).
//
// Policy documents may be a JSON object, a JSON string, or a URL-encoded string (`%7B%22...`;
// `+` stays `+`). They are parsed with PolicyOrigin::Dump: AWS accepted them, so grammar errors are
// warnings and the policy is evaluated literally. Trust policies are PolicyKind::Trust, every other
// document PolicyKind::Identity (a permissions boundary is a managed policy named by ARN). Only the
// default version of a managed policy is kept. Diagnostic pointers of a document given as a string
// continue into the decoded document (`/RoleDetailList/0/AssumeRolePolicyDocument/Statement/0`).
// Every entity gets Origin{file, pointer}. Roles keep max_session_duration 3600 (GAAD has none).
//
// On success World::diagnostics holds the warnings: the loader's own and those of every parsed
// policy. On failure the error holds every error found (not only the first) plus the warnings.
//
// Errors (each with `file` and a JSON pointer):
//   gaad.wrong_type       a value has the wrong JSON type (the document itself, a list, an entry,
//                         a name, an ARN, a policy document that is neither object nor string...)
//   gaad.missing_field    a required field is absent (`Arn`, `UserName`, `UserId`, `RoleName`,
//                         `AssumeRolePolicyDocument`, `PolicyArn`, `PolicyVersionList`...); the
//                         pointer names the missing field, e.g. `/RoleDetailList/3/RoleName`
//   gaad.invalid_arn      an entity ARN is not `arn:PARTITION:iam::ACCOUNT:KIND/...` with a
//                         12-digit account (AWS-managed policies: account `aws`)
//   gaad.mixed_accounts   two entity ARNs name different accounts (the message names both ARNs)
// Warnings:
//   gaad.truncated           `IsTruncated` is true: this is one page of a longer dump
//   gaad.empty               no user, group, role or customer-managed policy: the dump names no
//                            account (World::accounts stays empty)
//   gaad.invalid_document    a policy document is not JSON after decoding; the entity is kept with
//                            an empty policy that grants nothing
//   gaad.unresolved_policy   an attached managed policy or a permissions boundary ARN has no
//                            document in `Policies` (filtered dump, AWS-managed policy)
//   gaad.unresolved_group    a user's `GroupList` names a group missing from `GroupDetailList`
//   gaad.default_version     a managed policy has no single `IsDefaultVersion: true` version; the
//                            version equal to `DefaultVersionId` is used, else an empty policy
//   gaad.name_mismatch       an ARN does not end with the entity's Path and name
//   gaad.duplicate_entity    the same ARN appears twice (later entry wins)
// Warnings from the policy parser (`parse.*`, `principal.*`) are passed through.
Result<World> loadGaad(const nlohmann::json& doc, const std::string& file);
// The same over simdjson's DOM (large dumps; parse/json_view.h).
Result<World> loadGaadFast(const parse::SimdView& doc, const std::string& file);

}  // namespace trustsim::load
