#!/usr/bin/env bash
# Install the Debian packages tinyfit needs to build and test, if any are
# missing. Runs apt-get as root (or through sudo when not root). Safe to
# repeat: it does nothing when everything is already there.
set -euo pipefail

packages=(cmake make gcc clang pkg-config libcjson-dev python3 python3-jsonschema)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "tinyfit: installing ${missing[*]}" >&2
if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1; then
  sudo=(sudo)
else
  echo "tinyfit: need root (or sudo) to install: ${missing[*]}" >&2
  exit 2
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
