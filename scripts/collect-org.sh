#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# collect-org.sh: writes one `trustsim-organization/1` file describing an AWS Organization: the
# organisation, its root, every OU and every account with the parent it sits under, and every
# service control policy (SCP) and resource control policy (RCP) with its Content and targets.
# trustsim reads that file (the format is documented at the top of engine/load/organizations.h).
# The raw `aws organizations list-*` outputs cannot be used instead: they do not name the parent
# or policy they were asked about, so no tree can be built from them.
#
# Usage:
#   scripts/collect-org.sh [-o FILE] [-p PROFILE]
#     -o FILE     write the file there (default: standard output)
#     -p PROFILE  the AWS CLI profile to use (default: the CLI's usual lookup, e.g. AWS_PROFILE)
#     -h          print this help
#   Example: scripts/collect-org.sh -p management -o org.json
#
# Needs the AWS CLI (v2; v1 works too) and jq 1.6 or later. Run it with credentials of the
# management account or of a delegated administrator for AWS Organizations; read-only access
# (organizations:Describe*, organizations:List*) is enough. The CLI follows pagination itself:
# do not configure --max-items or --no-paginate. Policy types that are not enabled on the root are
# skipped with a note on standard error (AWS does not evaluate them). Arrays are sorted by Id so
# that two runs can be compared with diff.
set -euo pipefail

usage() {
  sed -n '/^# Usage:/,/^# Needs/p' "$0" | sed '$d; s/^# \{0,1\}//'
}

out=""
profile=()
while getopts "o:p:h" opt; do
  case "$opt" in
    o) out="$OPTARG" ;;
    p) profile=(--profile "$OPTARG") ;;
    h) usage; exit 0 ;;
    *) usage >&2; exit 1 ;;
  esac
done
shift $((OPTIND - 1))
if [ "$#" -ne 0 ]; then
  usage >&2
  exit 1
fi

for tool in aws jq; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "collect-org.sh: \`$tool\` is required but not on PATH" >&2
    exit 1
  fi
done

# One `aws organizations` call with JSON output. ${profile[@]+...} keeps `set -u` quiet on bash 3.2.
orgs() {
  aws ${profile[@]+"${profile[@]}"} --output json organizations "$@"
}

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
: >"$tmp/ous.jsonl"
: >"$tmp/accounts.jsonl"
: >"$tmp/policies.jsonl"

orgs describe-organization | jq '.Organization' >"$tmp/organization.json"
orgs list-roots | jq '.Roots' >"$tmp/roots.json"

# Breadth-first walk from the root. Each OU and account is written with the ParentId it was
# listed under, which the raw outputs leave out.
queue="$(jq -r '.[].Id' "$tmp/roots.json")"
depth=0
while [ -n "$queue" ]; do
  depth=$((depth + 1))
  if [ "$depth" -gt 7 ]; then  # root + 5 OU levels + accounts; more means a loop
    echo "collect-org.sh: the OU tree is deeper than AWS allows; stopping" >&2
    exit 1
  fi
  : >"$tmp/next.txt"
  for parent in $queue; do
    orgs list-accounts-for-parent --parent-id "$parent" |
      jq -c --arg parent "$parent" '.Accounts[] + {ParentId: $parent}' >>"$tmp/accounts.jsonl"
    orgs list-organizational-units-for-parent --parent-id "$parent" |
      jq -c --arg parent "$parent" '.OrganizationalUnits[] + {ParentId: $parent}' >"$tmp/children.jsonl"
    cat "$tmp/children.jsonl" >>"$tmp/ous.jsonl"
    jq -r '.Id' "$tmp/children.jsonl" >>"$tmp/next.txt"
  done
  queue="$(cat "$tmp/next.txt")"
done

# SCPs and RCPs: Content from describe-policy, attachments from list-targets-for-policy.
enabled="$(jq -r '.[0].PolicyTypes[]? | select(.Status == "ENABLED") | .Type' "$tmp/roots.json")"
for type in SERVICE_CONTROL_POLICY RESOURCE_CONTROL_POLICY; do
  if ! printf '%s\n' "$enabled" | grep -qx "$type"; then
    echo "collect-org.sh: $type is not enabled on the root; its policies are skipped" >&2
    continue
  fi
  for id in $(orgs list-policies --filter "$type" | jq -r '.Policies[].Id'); do
    # Targets go through a file: FullAWSAccess targets every OU and account, too long for argv.
    orgs list-targets-for-policy --policy-id "$id" | jq '.Targets | sort_by(.TargetId)' >"$tmp/targets.json"
    orgs describe-policy --policy-id "$id" |
      jq -c --slurpfile targets "$tmp/targets.json" '.Policy + {Targets: $targets[0]}' >>"$tmp/policies.jsonl"
  done
done

jq -n \
  --slurpfile organization "$tmp/organization.json" \
  --slurpfile roots "$tmp/roots.json" \
  --slurpfile ous "$tmp/ous.jsonl" \
  --slurpfile accounts "$tmp/accounts.jsonl" \
  --slurpfile policies "$tmp/policies.jsonl" \
  '{
    format: "trustsim-organization/1",
    organization: $organization[0],
    roots: $roots[0],
    organizationalUnits: ($ous | sort_by(.Id)),
    accounts: ($accounts | sort_by(.Id)),
    policies: ($policies | sort_by(.PolicySummary.Id))
  }' >"$tmp/organization-file.json"

if [ -n "$out" ]; then
  mv "$tmp/organization-file.json" "$out"
  echo "collect-org.sh: wrote $out ($(jq '.accounts | length' "$out") accounts, $(jq '.organizationalUnits | length' "$out") OUs, $(jq '.policies | length' "$out") policies)" >&2
else
  cat "$tmp/organization-file.json"
fi
