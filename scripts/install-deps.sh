#!/usr/bin/env bash
# Install the Debian packages tinyfit needs to build and test, if any are
# missing. Runs apt-get as root (or through sudo when not root). Safe to
# repeat: it does nothing when everything is already there.
set -euo pipefail

# libclang-rt-14-dev holds Debian 12 clang 14's sanitizer runtimes (the
# clang ASan+UBSan pass of scripts/test.sh links them) and libFuzzer; clang
# only recommends it, and apt-get below installs without recommends.
packages=(cmake make gcc clang libclang-rt-14-dev pkg-config libcjson-dev python3
          python3-jsonschema)
# For the valgrind pass of scripts/test.sh, which skips (with a message)
# without it: installed when the distribution has it.
optional=(valgrind)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
missing_optional=()
for p in "${optional[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing_optional+=("$p")
done
[ ${#missing[@]} -eq 0 ] && [ ${#missing_optional[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1; then
  sudo=(sudo)
elif [ ${#missing[@]} -eq 0 ]; then
  echo "tinyfit: not installing optional ${missing_optional[*]} (needs root or sudo)" >&2
  exit 0
else
  echo "tinyfit: need root (or sudo) to install: ${missing[*]}" >&2
  exit 2
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
for p in "${missing_optional[@]}"; do
  if apt-cache policy "$p" 2>/dev/null | grep -q 'Candidate: [^(]'; then
    missing+=("$p")
  else
    echo "tinyfit: optional package $p is not available here (its test pass will be skipped)" >&2
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "tinyfit: installing ${missing[*]}" >&2
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
