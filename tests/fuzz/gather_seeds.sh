#!/usr/bin/env bash
# Gathers the seed corpus of every fuzz target from the files the tests already have, so no test
# input is copied into tests/fuzz: policies are cut out of case files, scenarios and dumps (jq),
# whole files are linked. Writes OUT_DIR/<target>/ (default build-fuzz/seeds), replacing it.
# Usage: bash tests/fuzz/gather_seeds.sh [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
out="${1:-build-fuzz/seeds}"
targets=(policy_parser wildcard condition scenario gaad cases)
command -v jq >/dev/null || echo "gather_seeds.sh: jq is missing: no policy or glob seeds from the corpus (apt-get install jq)" >&2
for t in "${targets[@]}"; do
  rm -rf "${out:?}/$t"
  mkdir -p "$out/$t"
  # Hand-made seeds and every input that once crashed.
  for d in tests/fuzz/seeds/$t tests/fuzz/regressions/$t; do
    [ -d "$d" ] || continue
    find "$d" -maxdepth 1 -type f ! -name README.md -exec cp {} "$out/$t/" \;
  done
done

# Links whole files: link TARGET FILE...
link() {
  local t="$1"
  shift
  for f in "$@"; do
    [ -f "$f" ] || continue
    ln -sf "$PWD/$f" "$out/$t/$(echo "$f" | tr '/' '_')"
  done
}
shopt -s nullglob globstar
link scenario scenarios/**/*.json tests/fixtures/suites/**/*.json docs/examples/findings/*.json docs/examples/diff/*.json \
  docs/examples/expectations/*.json tests/fixtures/report/*.json
link gaad tests/fixtures/gaad/*.json docs/examples/dumps/gaad-*.json tests/fixtures/organizations/*.json docs/examples/dumps/org-*.json
link cases tests/corpus/*.json scenarios/eval/*.json docs/examples/cases/*.json

# Every policy document (an object with `Statement`) of every JSON file, one seed each, named by
# content so duplicates collapse.
json_files=(tests/corpus/*.json scenarios/**/*.json tests/fixtures/**/*.json docs/examples/**/*.json)
for f in "${json_files[@]}"; do
  jq -c '.. | objects | select(has("Statement"))' "$f" 2>/dev/null || true
done | while IFS= read -r policy; do
  printf '%s' "$policy" > "$out/policy_parser/$(printf '%s' "$policy" | sha1sum | cut -c1-16).json"
done

# Globs as the corpus uses them: each case's Resource patterns against its request resource (mode
# byte `2`, ResourceArn) and its Action patterns against its action (`1`, Folded).
jq -r '.cases[]? | .request as $r
       | ((.. | objects | .Resource? // empty | (if type == "array" then .[] else . end) | strings
           | "2" + . + "\n" + ($r.resource // "")),
          (.. | objects | .Action? // empty | (if type == "array" then .[] else . end) | strings
           | "1" + . + "\n" + ($r.action // "")))
       | @base64' tests/corpus/*.json 2>/dev/null | sort -u | head -n 400 | while IFS= read -r seed; do
  printf '%s' "$seed" | base64 -d > "$out/wildcard/$(printf '%s' "$seed" | sha1sum | cut -c1-16)"
done

for t in "${targets[@]}"; do
  echo "seeds: $t $(find "$out/$t" -maxdepth 1 \( -type f -o -type l \) | wc -l)"
done
