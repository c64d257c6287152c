#!/usr/bin/env bash
# Sets up a Debian 12 machine for trustsim (installs missing packages), then configures and builds.
# Usage: bash scripts/bootstrap.sh [BUILD_DIR]   (environment: TRUSTSIM_WERROR=ON, BUILD_TYPE=...)
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir="${1:-build}"

packages=(build-essential cmake ninja-build pkg-config nlohmann-json3-dev libboost-graph-dev
          libboost-date-time-dev libcli11-dev libjemalloc-dev libgtest-dev libgmock-dev libbenchmark-dev libyaml-cpp-dev libsimdjson-dev
          libpugixml-dev graphviz)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "bootstrap: installing ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" \
  -DTRUSTSIM_WERROR="${TRUSTSIM_WERROR:-OFF}" ${TRUSTSIM_CMAKE_ARGS:-} >/dev/null
cmake --build "$build_dir" -j "$(nproc)"
