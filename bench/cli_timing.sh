#!/usr/bin/env bash
# CLI timings on one generated GAAD dump: load (with one simulated request), audit, who-can on one
# role and who-can on an action.
# Usage: bench/cli_timing.sh [SIZE_MB] [BUILD_DIR]. Reports wall time and peak memory (GNU time).
set -euo pipefail
cd "$(dirname "$0")/.."
size="${1:-100}"
build="${2:-build}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 bench/make_gaad.py "$size" "$tmp/gaad.json" >/dev/null
bytes=$(stat -c %s "$tmp/gaad.json")
run() {
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$tmp/t" "$@" >/dev/null 2>&1 || true
  read -r secs kb < "$tmp/t"
  printf '%-28s %8.2f s %8.0f MiB  %8.1f MB/s\n' "$label" "$secs" "$((kb / 1024))" "$(echo "$bytes / 1000000 / $secs" | bc -l 2>/dev/null || echo 0)"
}
echo "input: $((bytes / 1000000)) MB GAAD dump"
run "load (simulate one request)" "$build/cli/trustsim" simulate "$tmp/gaad.json" --as arn:aws:iam::111122223333:user/user-0 --action s3:GetObject --resource arn:aws:s3:::b/k
run "audit" "$build/cli/trustsim" audit "$tmp/gaad.json"
run "who-can, one role" "$build/cli/trustsim" who-can "$tmp/gaad.json" --action sts:AssumeRole --resource arn:aws:iam::111122223333:role/app/role-1
run "who-can, an action" "$build/cli/trustsim" who-can "$tmp/gaad.json" --action s3:GetObject --resource arn:aws:s3:::b/k
