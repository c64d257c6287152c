#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan + UBSan, in build-fuzz/) and runs each for a bounded
# time. Fails when any target finds a crash, a sanitizer report, a leak, a timeout or an
# out-of-memory; the input is saved under tests/fuzz/artifacts/<target>/ (gitignored).
# Usage: bash tests/fuzz/run.sh [SECONDS_PER_TARGET] [TARGET...]
#   SECONDS_PER_TARGET  default 300 (CI passes 60)
#   TARGET              policy_parser wildcard condition scenario gaad cases (default: all)
# Environment: TRUSTSIM_FUZZ_BUILD (build dir, default build-fuzz), TRUSTSIM_FUZZ_JOBS (parallel
# build jobs, default nproc).
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-300}"
shift || true
targets=("$@")
[ "${#targets[@]}" -gt 0 ] || targets=(policy_parser wildcard condition scenario gaad cases)
build="${TRUSTSIM_FUZZ_BUILD:-build-fuzz}"

# Per target: the largest input (-max_len) and the dictionaries. The limits keep each execution
# far below the 10 s timeout even on hostile inputs, while leaving room for every shape the loaders
# read (nesting to the 256-level limit, a few hundred statements, long ARNs).
declare -A max_len=([policy_parser]=16384 [wildcard]=2048 [condition]=1024 [scenario]=32768 [gaad]=32768 [cases]=32768)
declare -A dicts=([policy_parser]="json" [wildcard]="wildcard" [condition]="condition json"
                  [scenario]="json scenario" [gaad]="json gaad" [cases]="json cases")

command -v clang++ >/dev/null || { echo "run.sh: clang++ is needed (apt-get install clang libclang-rt-14-dev)" >&2; exit 1; }
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
  -DTRUSTSIM_FUZZ=ON -DTRUSTSIM_BUILD_TESTS=OFF -DTRUSTSIM_BUILD_BENCH=OFF "${launcher[@]}" >/dev/null
cmake --build "$build" --target fuzz_targets -j "${TRUSTSIM_FUZZ_JOBS:-$(nproc)}"

bash tests/fuzz/gather_seeds.sh "$build/seeds"
mkdir -p "$build/dicts"
failed=()
summary=()
for t in "${targets[@]}"; do
  [ -n "${max_len[$t]:-}" ] || { echo "run.sh: no target $t" >&2; exit 2; }
  corpus="$build/corpus/$t"  # grows across runs by hand; libFuzzer writes new inputs here
  artifacts="tests/fuzz/artifacts/$t"
  mkdir -p "$corpus" "$artifacts"
  dict="$build/dicts/$t.dict"
  : > "$dict"
  for d in ${dicts[$t]}; do cat "tests/fuzz/dicts/$d.dict" >> "$dict"; done
  log="$build/fuzz-$t.log"
  echo "== fuzz_$t: ${seconds}s, -max_len=${max_len[$t]}"
  set +e
  ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=0:${ASAN_OPTIONS:-}" \
  UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:${UBSAN_OPTIONS:-}" \
    "$build/tests/fuzz/fuzz_$t" "$corpus" "$build/seeds/$t" \
      -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2560 -max_len="${max_len[$t]}" \
      -dict="$dict" -artifact_prefix="$artifacts/" -print_final_stats=1 >"$log" 2>&1
  status=$?
  set -e
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
  speed=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
  cov=$(grep -Eo 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -n 1 || echo "cov: ?")
  corpus_size=$(find "$corpus" -type f | wc -l)
  summary+=("fuzz_$t: exit $status, ${execs} execs, ${speed} exec/s, ${cov}, corpus ${corpus_size}")
  if [ "$status" -ne 0 ]; then
    failed+=("$t")
    echo "fuzz_$t FAILED (exit $status); last lines of $log:" >&2
    tail -n 60 "$log" >&2
  fi
done
printf '%s\n' "${summary[@]}"
if [ "${#failed[@]}" -gt 0 ]; then
  echo "run.sh: ${failed[*]} failed; inputs in tests/fuzz/artifacts/. Reproduce with $build/tests/fuzz/fuzz_TARGET FILE," >&2
  echo "then fix, and save the input under tests/fuzz/regressions/TARGET/ (docs/hardening.md)." >&2
  exit 1
fi
