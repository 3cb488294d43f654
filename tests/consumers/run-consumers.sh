#!/usr/bin/env bash
# Builds tests/consumers/consumer (a program hosting a Python destination)
# twice, against the libpydest.pc installed into a temporary prefix and with
# libpydest as its Meson subproject, and runs it each time.
set -euo pipefail
src=$1
build=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "== pkg-config consumer"
meson install -C "$build" --destdir "$tmp/stage" --quiet
pcdir=$(dirname "$(find "$tmp/stage" -name libpydest.pc | head -n1)")
prefix=$(sed -n 's/^prefix=//p' "$pcdir/libpydest.pc")
# The .pc names the configured prefix; point it at the staged copy.
sed -i "s|^prefix=.*|prefix=$tmp/stage$prefix|" "$pcdir/libpydest.pc"
libdir=$(PKG_CONFIG_PATH="$pcdir" pkg-config --variable=libdir libpydest)
PKG_CONFIG_PATH="$pcdir" meson setup "$tmp/pc-build" "$src/tests/consumers/consumer" >/dev/null
meson compile -C "$tmp/pc-build" >/dev/null
LD_LIBRARY_PATH="$libdir" "$tmp/pc-build/consumer" \
  "$src/tests/consumers/consumer" "$tmp/pc.out"

echo "== subproject consumer"
cp -r "$src/tests/consumers/consumer" "$tmp/sub"
mkdir -p "$tmp/sub/subprojects"
ln -s "$src" "$tmp/sub/subprojects/libpydest"
meson setup "$tmp/sub-build" "$tmp/sub" >/dev/null
meson compile -C "$tmp/sub-build" >/dev/null
"$tmp/sub-build/consumer" "$src/tests/consumers/consumer" "$tmp/sub.out"
echo "both consumers built and ran"
