// SPDX-License-Identifier: Apache-2.0
// Synthetic AWS organisations for scale tests and demos (`trustsim generate`): one
// `get-account-authorization-details` dump per account, as the AWS CLI writes it, plus the
// organisation file (`trustsim-organization/1`), with a few findings planted on purpose.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "trustsim/result.h"

namespace trustsim {

// What to generate. The output is a pure function of these three numbers: the same options give
// byte-identical files on every platform (own PRNG, integer arithmetic only, no clock).
struct GenerateOptions {
  std::size_t accounts = 0;            // N: 1 to kMaxGenerateAccounts
  std::size_t roles_per_account = 0;   // M: 1 to kMaxGenerateRoles (exactly M roles in every dump)
  std::uint64_t seed = 1;
  // Worker threads that build accounts (0: one per core; at most 256). The output does not
  // depend on it: accounts are written in order from the calling thread.
  std::size_t threads = 1;
};
inline constexpr std::size_t kMaxGenerateAccounts = 100000;
inline constexpr std::size_t kMaxGenerateRoles = 5000;  // AWS: IAM's hard limit of roles per account

// A finding put there on purpose; `trustsim audit` on the generated files reports it (same rule,
// same role ARN as Finding::resource).
struct PlantedFinding {
  std::string rule;      // finding rule id: public-trust, no-external-id, chain-to-admin, ...
  std::string resource;  // the role ARN the finding names
  std::string note;      // what was planted, for people
};

// One generated file (names are relative to the output folder).
struct GeneratedFile {
  std::string name;  // `account_111122223333.json`, `org_o-abc.json`, `manifest.json`, `README.txt`
  std::uint64_t bytes = 0;
};

// What was written, for the CLI's summary and the manifest.
struct GenerateSummary {
  GenerateOptions options;
  std::string organization_id;
  std::string management_account;
  std::size_t accounts = 0;
  std::size_t organizational_units = 0;
  std::size_t service_control_policies = 0;
  std::size_t roles = 0;
  std::size_t users = 0;
  std::size_t groups = 0;
  std::size_t customer_policies = 0;  // customer-managed policies over all accounts
  std::size_t policy_versions = 0;    // their versions (several per policy, one default)
  std::size_t instance_profiles = 0;
  std::uint64_t dump_bytes = 0;       // GAAD dumps and the organisation file
  std::vector<GeneratedFile> files;   // in the order written
  std::vector<PlantedFinding> planted;
  // Background findings every org of this shape has (vendors and the management account trusted
  // as whole accounts, service roles without source pinning): rule → count of roles.
  std::vector<std::pair<std::string, std::size_t>> background;
  // Example chains of AssumeRole hops (principal ARN first, then each role ARN), 3 to 5 hops.
  std::vector<std::vector<std::string>> chains;
};

// Receives one whole file at a time (the largest is one account's dump, a few MB for 1000 roles),
// so nothing bigger than one file is ever held. Returns false with `error` set to stop the run.
// Called in a fixed order: account dumps by account index, the organisation file, then
// `manifest.json` and `README.txt`.
using FileWriter = std::function<bool(const std::string& name, std::string_view text, std::string& error)>;

// The option errors of generateOrganization (below), without generating anything: lets a caller
// refuse bad arguments before it creates an output folder.
Diagnostics checkGenerateOptions(const GenerateOptions& options);

// Generates an organisation of `accounts` accounts with exactly `roles_per_account` roles each
// (accounts × roles roles in all) and hands every file to `write`.
//
// Contents (docs/guide/generate.md): a management, security, log-archive, tooling (CI/CD) and
// network account (as many as N allows), then workload accounts (`payments-prod`, ...) and
// sandboxes, placed in OUs nested up to three levels with SCPs (FullAWSAccess everywhere, deny
// guardrails on some OUs). Roles: IAM Identity Center (`AWSReservedSSO_*`), service-linked roles,
// OrganizationAccountAccessRole, cross-account security audit (read-only) and incident response
// (administrator, with MFA) roles trusted by the security account, a CI/CD chain from the tooling
// account into every workload account, vendor roles trusting accounts from the bundled
// known-accounts list, and service roles for Lambda, ECS, EC2 and others. When M is too small for
// all of them, the least important are left out (the manifest says which shapes are present).
//
// Errors (the first two are found before anything is written):
//   generate.invalid_accounts   accounts is 0 or more than kMaxGenerateAccounts
//   generate.invalid_roles      roles_per_account is 0 or more than kMaxGenerateRoles
//   generate.write_failed       `write` returned false (its message is passed on)
Result<GenerateSummary> generateOrganization(const GenerateOptions& options, const FileWriter& write);

}  // namespace trustsim
