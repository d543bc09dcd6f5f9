#!/usr/bin/env bash
# Installs what svc needs to build and test, from Debian 12's packages. Idempotent: quiet and quick when
# everything is already there.
set -euo pipefail

packages=(cmake ninja-build g++ clang pkg-config libcli11-dev libcurl4-openssl-dev nlohmann-json3-dev
          libfmt-dev libsqlite3-dev catch2 libcpp-httplib-dev libpugixml-dev libssl-dev sqlite3 python3-simpy3
          libtomlplusplus-dev help2man man-db groff-base
          dpkg-dev file zsh fish jq)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "installing: ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
