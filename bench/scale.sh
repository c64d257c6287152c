#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Scale bench (issue 8): generates organisations of 10k, 100k (and, by hand, 1M) roles with
# `trustsim generate`, runs `trustsim profile` on each under GNU time, and writes one Markdown
# report: time and memory of loading, building the simulator and the trust graph, audit, and
# who-can on every role; MB of dump JSON and MB/s of loading.
#
# Usage:
#   bench/scale.sh [SIZE...]            default: 10k 100k
#     SIZE  10k  = 100 accounts x 100 roles
#           100k = 1000 accounts x 100 roles
#           1m   = 1000 accounts x 1000 roles (by hand: about 90 s, 14 GB of memory, 3.4 GB of disk)
#           NxM  = N accounts x M roles, e.g. 50x200
#   Environment:
#     BUILD=build          the build folder (the binary is $BUILD/cli/trustsim)
#     OUT=bench/results/scale-<date>.md   the report; OUT=- prints it only
#     SEED=1               generator seed
#     WHO_CAN_SAMPLE=N     roles asked one at a time (default 20, 1 from 100k roles up)
#     TIMEOUT=SECONDS      stop a profile run after this long (default: none)
#     KEEP=1               keep the generated folders (in $WORK)
#     WORK=DIR             where to generate (default: a temporary folder)
# Needs GNU time (/usr/bin/time, Debian package `time`) and python3.
set -euo pipefail
cd "$(dirname "$0")/.."

build="${BUILD:-build}"
bin="$build/cli/trustsim"
seed="${SEED:-1}"
date="$(date -u +%Y-%m-%d)"
out="${OUT:-bench/results/scale-$date.md}"
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(10k 100k)

for tool in /usr/bin/time python3; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "scale.sh: \`$tool\` is required" >&2
    exit 1
  fi
done
if [ ! -x "$bin" ]; then
  echo "scale.sh: no $bin: build first (ninja -C $build trustsim)" >&2
  exit 1
fi

work="${WORK:-}"
if [ -z "$work" ]; then
  work="$(mktemp -d)"
  [ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$work"' EXIT
fi
mkdir -p "$work"

dims() {
  case "$1" in
    10k) echo "100 100" ;;
    100k) echo "1000 100" ;;
    1m | 1M) echo "1000 1000" ;;
    *x*) echo "${1%x*} ${1#*x}" ;;
    *) echo "scale.sh: unknown size \`$1\` (10k, 100k, 1m or NxM)" >&2; exit 1 ;;
  esac
}

# GNU time -v: peak RSS in MB and wall seconds of the last run.
time_field() {
  python3 - "$1" <<'EOF'
import re, sys
text = open(sys.argv[1]).read()
rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1)) / 1024
wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)", text).group(1).split(":")
secs = sum(float(p) * 60 ** i for i, p in enumerate(reversed(wall)))
print(f"{rss:.0f} {secs:.1f}")
EOF
}

rows="$work/rows.jsonl"
: >"$rows"
for size in "${sizes[@]}"; do
  read -r n m <<<"$(dims "$size")"
  roles=$((n * m))
  sample="${WHO_CAN_SAMPLE:-$([ "$roles" -ge 100000 ] && echo 1 || echo 20)}"
  dir="$work/org-${n}x${m}"
  echo "scale.sh: $size: generating $n accounts x $m roles in $dir" >&2
  /usr/bin/time -v -o "$work/gen.time" "$bin" generate --accounts "$n" --roles-per-account "$m" --seed "$seed" \
    -o "$dir" --force --format json >"$work/gen.json"
  read -r gen_rss gen_secs <<<"$(time_field "$work/gen.time")"
  echo "scale.sh: $size: profiling (who-can sample $sample)" >&2
  status=0
  ${TIMEOUT:+timeout "$TIMEOUT"} /usr/bin/time -v -o "$work/profile.time" "$bin" profile "$dir" --format json \
    --who-can-sample "$sample" >"$work/profile.json" || status=$?
  if [ "$status" -ne 0 ]; then
    echo "scale.sh: $size: profile failed or timed out (exit $status)" >&2
    echo "{\"size\": \"$size\", \"n\": $n, \"m\": $m, \"failed\": $status}" >>"$rows"
    continue
  fi
  read -r prof_rss prof_secs <<<"$(time_field "$work/profile.time")"
  python3 - "$size" "$n" "$m" "$gen_secs" "$gen_rss" "$prof_secs" "$prof_rss" "$work/gen.json" "$work/profile.json" >>"$rows" <<'EOF'
import json, sys
size, n, m, gen_secs, gen_rss, prof_secs, prof_rss, gen_file, prof_file = sys.argv[1:]
gen = json.load(open(gen_file))
prof = json.load(open(prof_file))
print(json.dumps({"size": size, "n": int(n), "m": int(m), "genSeconds": float(gen_secs), "genRssMB": float(gen_rss),
                  "wallSeconds": float(prof_secs), "timeRssMB": float(prof_rss), "generate": gen, "profile": prof}))
EOF
done

report="$(python3 - "$rows" "$seed" "$date" "$("$bin" --version)" <<'EOF'
import json, platform, os, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
seed, date, version = sys.argv[2:5]
def phase(p, name, key="seconds"):
    for ph in p["phases"]:
        if ph["name"] == name:
            return ph[key]
    return None
def f(v, digits=1):
    return "-" if v is None else f"{v:.{digits}f}"
out = [f"# Scale bench, {date}", "",
       f"`bench/scale.sh` with {version}, seed {seed}, on {platform.machine()} with {os.cpu_count()} CPU(s).",
       "Each size is N accounts x M roles from `trustsim generate`; `trustsim profile` runs once per size.",
       "Seconds are wall time; memory is resident set size in MB (GNU time's maximum for the whole run).", "",
       "| size | accounts x roles | dump MB | generate s | load s | load MB/s | simulator s | graph s | audit s | who-can, all roles s | who-can, one role s | profile wall s | peak RSS MB |",
       "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
for r in rows:
    if "failed" in r:
        out.append(f"| {r['size']} | {r['n']} x {r['m']} | | | | | | | | | | failed (exit {r['failed']}) | |")
        continue
    p = r["profile"]
    out.append("| {} | {} x {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |".format(
        r["size"], r["n"], r["m"], f(r["generate"]["dumpBytes"] / 1e6), f(r["genSeconds"]),
        f(phase(p, "load"), 2), f(p["loadMBPerSecond"]), f(phase(p, "simulator"), 2), f(phase(p, "graph"), 2),
        f(phase(p, "audit"), 2), f(phase(p, "who-can"), 2), f(p["whoCanSample"]["secondsPerRole"], 3),
        f(r["wallSeconds"]), f(r["timeRssMB"], 0)))
out += ["", "CPU seconds of each phase (user + system; on a shared machine wall time also counts waiting for a core):", "",
        "| size | load | simulator | graph | audit | who-can, all roles | who-can, one role | total |", "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
for r in rows:
    if "failed" in r:
        continue
    p = r["profile"]
    sample = phase(p, "who-can-sample", "cpuSeconds")
    per_role = sample / p["whoCanSample"]["roles"] if sample is not None and p["whoCanSample"]["roles"] else None
    out.append(f"| {r['size']} | {f(phase(p, 'load', 'cpuSeconds'), 2)} | {f(phase(p, 'simulator', 'cpuSeconds'), 2)} | "
               f"{f(phase(p, 'graph', 'cpuSeconds'), 2)} | {f(phase(p, 'audit', 'cpuSeconds'), 2)} | "
               f"{f(phase(p, 'who-can', 'cpuSeconds'), 2)} | {f(per_role, 3)} | {f(p['totalCpuSeconds'], 1)} |")
out += ["", "Memory after each phase (RSS now / peak so far, MB):", "",
        "| size | load | simulator | graph | audit | who-can | generate (peak) |", "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
for r in rows:
    if "failed" in r:
        continue
    p = r["profile"]
    cell = lambda n: f"{f(phase(p, n, 'rssMB'), 0)} / {f(phase(p, n, 'peakRssMB'), 0)}"
    out.append(f"| {r['size']} | {cell('load')} | {cell('simulator')} | {cell('graph')} | {cell('audit')} | {cell('who-can')} | {f(r['genRssMB'], 0)} |")
out += ["", "What was measured:", "",
        "| size | roles | users | graph nodes | graph edges | findings | who-can answers | roles with a caller | who-can sample (roles, extrapolated s for all) | warnings |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |"]
for r in rows:
    if "failed" in r:
        continue
    c = r["profile"]["counts"]
    s = r["profile"]["whoCanSample"]
    out.append(f"| {r['size']} | {c['roles']} | {c['users']} | {c['graphNodes']} | {c['graphEdges']} | {c['findings']} | "
               f"{c['whoCanAnswers']} | {c['rolesWithCallers']} | {s['roles']}, {f(s['extrapolatedSecondsForAllRoles'])} | {c['warnings']} |")
out += ["", "- *who-can, all roles*: one `reach` over every starting node, grouped by the role reached (the answer",
        "  `who-can --action sts:AssumeRole` gives for each role).",
        "- *who-can, one role*: `whoCan()` asked for one role at a time on a spread sample, seconds per role.",
        "- Findings include the planted ones and the background shapes listed in each folder's README.txt."]
print("\n".join(out))
EOF
)"

if [ "$out" = "-" ]; then
  echo "$report"
else
  mkdir -p "$(dirname "$out")"
  echo "$report" >"$out"
  echo "$report"
  echo "scale.sh: wrote $out" >&2
fi
