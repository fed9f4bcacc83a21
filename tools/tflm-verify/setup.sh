#!/usr/bin/env bash
# Prepare a tflite-micro checkout for a host build without network: copy the
# dependencies TFLM pins (third_party_downloads.inc, flatbuffers_download.sh,
# kissfft_download.sh at 90b983c2b3f1) from checkouts the user obtained into
# its downloads directory and apply TFLM's own patches, so that TFLM's
# Makefile skips its downloads. See README.md for the commits.
# usage: setup.sh TFLM GEMMLOWP RUY FLATBUFFERS KISSFFT
set -euo pipefail
[ $# -eq 5 ] || { echo "usage: $0 TFLM GEMMLOWP RUY FLATBUFFERS KISSFFT" >&2; exit 2; }
tflm=$(cd "$1" && pwd)
d=$tflm/tensorflow/lite/micro/tools/make/downloads
mkdir -p "$d/pigweed"   # only TFLM's tests use pigweed; an empty dir skips it
copy() { # name source
  [ -d "$d/$1" ] && { echo "$d/$1 exists, kept"; return 1; }
  mkdir -p "$d/$1" && (cd "$2" && tar --exclude=.git -cf - .) | tar -xf - -C "$d/$1"
}
copy gemmlowp "$2" || true
copy ruy "$3" || true
if copy flatbuffers "$4"; then (cd "$d/flatbuffers" && patch -p1 <"$tflm/tensorflow/lite/micro/tools/make/flatbuffers.patch"); fi
if copy kissfft "$5"; then (cd "$d/kissfft" && patch -p1 <"$tflm/third_party/kissfft/kissfft.patch"); fi
echo "ready: $tflm"
