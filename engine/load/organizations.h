// SPDX-License-Identifier: Apache-2.0
// The AWS Organizations reader: one combined organisation file, written by scripts/collect-org.sh,
// → World::organization and World::accounts (aws-semantics §10.2, §6.6, §6.7).
//
// Why a combined file: the raw `list-*-for-parent`, `list-parents` and `list-targets-for-policy`
// outputs do not name the parent, child or policy they were asked about, so a pile of them cannot
// be assembled into a tree. The script asks each question and writes the answer with its link.
//
// Format `trustsim-organization/1` (one JSON object; AWS field names as the CLI prints them):
//   {
//     "format": "trustsim-organization/1",
//     "organization": {                 // `describe-organization` .Organization
//       "Id": "o-...", "Arn": "...", "FeatureSet": "ALL" | "CONSOLIDATED_BILLING",
//       "MasterAccountId": "111122223333", "MasterAccountArn": "...", "MasterAccountEmail": "..."
//     },
//     "roots": [                        // `list-roots` .Roots (an organisation has exactly one)
//       {"Id": "r-...", "Arn": "...", "Name": "Root",
//        "PolicyTypes": [{"Type": "SERVICE_CONTROL_POLICY", "Status": "ENABLED"}, ...]}
//     ],
//     "organizationalUnits": [          // `list-organizational-units-for-parent`, plus ParentId
//       {"Id": "ou-...-...", "Arn": "...", "Name": "...", "ParentId": "r-... or ou-..."}
//     ],
//     "accounts": [                     // `list-accounts-for-parent`, plus ParentId
//       {"Id": "111122223333", "Arn": "...", "Name": "...", "Email": "...",
//        "Status" and/or "State": "ACTIVE" | ..., "ParentId": "r-... or ou-..."}
//     ],
//     "policies": [                     // `describe-policy` .Policy, plus Targets
//       {"PolicySummary": {"Id": "p-...", "Arn": "...", "Name": "...", "Description": "...",
//                          "Type": "SERVICE_CONTROL_POLICY" | "RESOURCE_CONTROL_POLICY",
//                          "AwsManaged": true | false},
//        "Content": "<the policy JSON, as a string>",
//        "Targets": [                   // `list-targets-for-policy` .Targets
//          {"TargetId": "r-... | ou-... | 111122223333", "Arn": "...", "Name": "...",
//           "Type": "ROOT" | "ORGANIZATIONAL_UNIT" | "ACCOUNT"}]}
//     ]
//   }
// `format` may be omitted; any other value is refused. Unknown extra fields are ignored.
// `organizationalUnits`, `accounts` and `policies` may be omitted (empty).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "trustsim/world.h"

namespace trustsim::load {

// True for a `trustsim-organization/...` file (by `format`, or by `organization` with `roots`),
// and also for the raw outputs of single `aws organizations` commands (`Roots`, `Accounts`,
// `OrganizationalUnits`, `Parents`, `Children`, `Targets`, `Organization`, a `Policy` with
// `Content`, `Policies` of control-policy summaries), so that loadOrganization can explain why it
// refuses them.
bool looksLikeOrganization(const nlohmann::json& doc);

// Reads a combined organisation file into World::organization (id, management account, root, one
// OrgNode per root, OU and account with its parent, SCP and RCP ids attached per node, the policies
// by id) and World::accounts (every account of the organisation, `ours = true`, with its Name).
// Policy Content is parsed with PolicyKind::Scp or Rcp and PolicyOrigin::Dump (grammar errors are
// warnings; pointers continue into the decoded Content, `/policies/2/Content/Statement/0`).
// SCPs (RCPs) are enabled when FeatureSet is `ALL` (or absent) and the root lists the type with
// Status `ENABLED`. On success World::diagnostics holds the warnings; on failure the error holds
// every error found plus the warnings.
//
// Errors (each with `file` and a JSON pointer):
//   org.raw_output        the document is a single command's output (`list-roots`, `list-accounts`,
//                         ...): run scripts/collect-org.sh and load its file
//   org.unknown_format    `format` is not `trustsim-organization/1`
//   org.wrong_type        a value has the wrong JSON type
//   org.missing_field     a required field is absent (the pointer names the field)
//   org.invalid_id        an id does not have its AWS shape (`o-`, `r-`, `ou-`, `p-`, 12 digits)
//   org.root_count        `roots` does not hold exactly one root
//   org.duplicate_id      two nodes or two policies share an id
//   org.unknown_parent    a ParentId names no root or OU of the file
//   org.cycle             ParentId links of OUs form a cycle
//   org.too_deep          an OU is nested more than 5 levels below the root
//   org.unknown_target    a policy target names no root, OU or account of the file
// Warnings:
//   org.invalid_document     a policy's Content is not JSON; kept as a policy granting nothing
//   org.unsupported_policy   a policy whose Type is neither SCP nor RCP (tag, backup...) is
//                            skipped
//   org.unknown_management_account
//                            MasterAccountId is not among `accounts` (it is still added to
//                            World::accounts, outside the tree)
// Warnings from the policy parser (`parse.*`) are passed through.
Result<World> loadOrganization(const nlohmann::json& doc, const std::string& file);

}  // namespace trustsim::load
