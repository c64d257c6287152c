// SPDX-License-Identifier: Apache-2.0
// The Terraform reader (issue 10): `terraform show -json` of a plan or of a state → World, with
// every entity's Origin naming its resource address (`module.vendor.aws_iam_role.this[0]`).
//
// Which values are read:
//   state  `values.root_module` (and nested `child_modules`): one world.
//   plan   PlanSide::Before: `prior_state.values.root_module` (empty when there is none);
//          PlanSide::After:  `resource_changes[].change.after`, with `after_unknown`, `before` and
//          `actions` (or `planned_values.root_module` when a plan has no `resource_changes`).
//          A destroyed instance (`["delete"]`) is absent after the plan; `["forget"]` keeps the
//          object (it stays in AWS); deposed objects are skipped.
// Resource types read (AWS provider attribute names): aws_iam_role (`assume_role_policy`,
// `inline_policy` blocks, `managed_policy_arns`, `permissions_boundary`, `path`,
// `max_session_duration`, `tags_all`/`tags`, `name`/`name_prefix`, `arn`, `unique_id`),
// aws_iam_user, aws_iam_group, aws_iam_policy, aws_iam_role_policy, aws_iam_user_policy,
// aws_iam_group_policy, aws_iam_role_policy_attachment, aws_iam_user_policy_attachment,
// aws_iam_group_policy_attachment, aws_iam_policy_attachment, aws_iam_user_group_membership,
// aws_iam_group_membership, aws_iam_openid_connect_provider, aws_iam_saml_provider,
// aws_s3_bucket_policy, aws_kms_key, aws_kms_key_policy, aws_organizations_policy (SCP and RCP
// by `type`) and aws_organizations_policy_attachment. Data sources are read only for the account
// (`aws_caller_identity.account_id`) and region (`aws_region`); other types are skipped and
// counted (`terraform.ignored_resources`).
//
// Accounts: a resource whose `arn` is known lands in that ARN's account. Any other resource lands
// in `LoadOptions::account`, or else in the one account that the document's known ARNs (and
// `aws_caller_identity`) name; `terraform.no_account` when there is none or several. The account
// is ours. Values not known until apply are never guessed: an unknown role `arn` is derived from
// the account, path and name; an unknown name (`name_prefix`, generated) becomes the placeholder
// `PREFIX(known after apply: ADDRESS)`; an unknown reference to another resource of the plan
// (`policy_arn = aws_iam_policy.p.arn`) is resolved through `configuration` when the reference
// names exactly one resource instance of the same module instance; anything else that is unknown
// is left out with a `terraform.unknown_value` warning naming the address and the attribute.
//
// Policies: from state and `prior_state`, and unchanged values of a plan (equal to `before`),
// PolicyOrigin::Dump (AWS accepted them: problems are warnings); values the plan creates or
// changes, PolicyOrigin::Authored (AWS would refuse the apply: problems are errors). Pointers of
// policy diagnostics continue into the JSON string
// (`/resource_changes/0/change/after/assume_role_policy/Statement/0`), and messages start with
// the resource address.
//
// Attachments, inline policies, memberships and organisation policies become WorldEdits: applied
// here when the plan defines their target, otherwise kept in World::edits for mergeWorld to apply
// to the inputs before the plan (a role from a dump, the organisation of an organisation file).
// Instances the plan destroys become removals (World::edits) of what they stood for.
//
// Errors (each with `file` and a JSON pointer):
//   terraform.raw_state            a `terraform.tfstate` file, not `terraform show -json` output
//   terraform.unsupported_version  `format_version` is not 1.x
//   terraform.wrong_type           a value has the wrong JSON type
//   terraform.missing_field        a required field is absent (`address`, `type`, `change`...)
//   terraform.no_account           a resource's ARN is not known and no account is (--account)
//   terraform.invalid_arn          a known `arn` is not the ARN of its resource type
//   terraform.invalid_document     a policy the plan writes is not JSON (a warning for state)
// Warnings:
//   terraform.unknown_value        a value that matters is known only after apply
//   terraform.ignored_resources    resources of types that are not read (counted by type)
//   terraform.unsupported_policy   an aws_organizations_policy that is neither SCP nor RCP
//   terraform.account_mismatch     --account differs from the account the plan's ARNs name
//   terraform.errored_plan         the plan says `"errored": true`: it may be incomplete
// Policy parser diagnostics (`parse.*`, `principal.*`) are passed through.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "trustsim/load.h"
#include "trustsim/world.h"

namespace trustsim::load {

// True for `terraform show -json` output (an object with `format_version` and `values`,
// `planned_values`, `resource_changes`, `prior_state` or `terraform_version`) and for a raw
// `terraform.tfstate` (so that loadTerraform can explain how to convert it).
bool looksLikeTerraform(const nlohmann::json& doc);

// True when `doc` is a plan (has `planned_values`, `resource_changes` or `prior_state`).
bool isTerraformPlan(const nlohmann::json& doc);

// Reads a plan (the side `options.plan_side`) or a state into a World. On success
// World::diagnostics holds the warnings; on failure the error holds every error and warning.
Result<World> loadTerraform(const nlohmann::json& doc, const std::string& file,
                            const LoadOptions& options);

}  // namespace trustsim::load
