#!/usr/bin/env bash
# Builds tests/consumers/consumer (a program hosting a Python destination)
# the ways a user gets libpydest, and runs it. Usage:
#
#   run-consumers.sh MODE SOURCE_ROOT BUILD_ROOT
#
#   cmake          find_package(libpydest CONFIG) with CMAKE_PREFIX_PATH
#   pkg-config     c++ $(pkg-config --define-prefix --cflags --libs libpydest)
#   meson          dependency('libpydest') from the installed libpydest.pc
#   pydest-command the installed pydest command (libpydest linked statically)
#   subproject     libpydest as a Meson subproject (builds the library again)
#   no-build-paths no installed file names the source or build tree
#
# The first four install the build into a temporary prefix and move the
# installed tree to another folder before building against it; the program
# then runs with an empty environment (env -i: no PYDEST_PYTHONPATH, no
# LD_LIBRARY_PATH), and must find the moved library, and the library its
# syslogng package, by themselves.
set -euo pipefail
mode=$1
src=$(cd "$2" && pwd)
build=$(cd "$3" && pwd)
consumer="$src/tests/consumers/consumer"
tmp=$(mktemp -d /tmp/pydest-consumers-XXXXXX)
trap 'rm -rf "$tmp"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }

# prefix, bindir, libdir, includedir, datadir of the build's configuration.
read -r prefix bindir libdir includedir datadir libexecdir < <(
  meson introspect "$build" --buildoptions | /usr/bin/python3 -c '
import json, sys
o = {x["name"]: x["value"] for x in json.load(sys.stdin)}
print(o["prefix"], o["bindir"], o["libdir"], o["includedir"], o["datadir"],
      o["libexecdir"])')

# Installs into $tmp/stage, then moves the prefix to $moved (another folder,
# at another depth) and removes the stage.
install_moved() {
  meson install -C "$build" --no-rebuild --quiet --destdir "$tmp/stage"
  moved="$tmp/elsewhere/at/another/depth"
  mkdir -p "$(dirname "$moved")"
  mv "$tmp/stage$prefix" "$moved"
  rm -rf "$tmp/stage"
  pythondir="$moved/$datadir/libpydest/python"
  [[ -f "$pythondir/syslogng/__init__.py" ]] || fail "no package in $pythondir"
}

# Runs the consumer program with an empty environment; checks that the
# destination got the three messages and that the library found the
# package at $2 (and get_installation_path_for() answers with it).
run_consumer() {
  local exe=$1 want=$2 out="$tmp/$mode.out"
  env -i "$exe" "$consumer" "$out"
  check_out "$out" "$want"
}

# What consumer_dest.py wrote to $1 when it was shut down: the count, where
# syslogng came from (must be $2), what ${moduledir}/python is.
check_out() {
  local out=$1 want=$2
  [[ $(sed -n 1p "$out") == 3 ]] || fail "the destination counted $(sed -n 1p "$out"), not 3"
  local got_package got_moduledir
  got_package=$(sed -n 2p "$out")
  got_moduledir=$(sed -n 3p "$out")
  [[ $(realpath "$got_package") == $(realpath "$want") ]] ||
    fail "syslogng imported from $got_package, not $want"
  if [[ $mode != subproject ]]; then
    [[ $(realpath -m "$got_moduledir") == $(realpath "$want") ]] ||
      fail "get_installation_path_for('\${moduledir}/python') is $got_moduledir, not $want"
  fi
  echo "ok: $mode consumer delivered 3 messages; syslogng from $got_package"
}

case "$mode" in
  cmake)
    command -v cmake >/dev/null || { echo "cmake missing (scripts/install-deps)"; exit 77; }
    install_moved
    cmake -S "$consumer" -B "$tmp/cmake-build" -G Ninja \
      -DCMAKE_PREFIX_PATH="$moved" -DCMAKE_BUILD_TYPE=Release >/dev/null
    cmake --build "$tmp/cmake-build" >/dev/null
    run_consumer "$tmp/cmake-build/consumer" "$pythondir"
    ;;

  pkg-config)
    install_moved
    export PKG_CONFIG_PATH="$moved/$libdir/pkgconfig"
    for flag in "" --define-prefix; do
      for var in libdir includedir pythondir; do
        case $var in
          libdir) want="$moved/$libdir" ;;
          includedir) want="$moved/$includedir" ;;
          pythondir) want="$pythondir" ;;
        esac
        got=$(pkg-config $flag --variable=$var libpydest)
        [[ $(realpath -m "$got") == $(realpath "$want") ]] ||
          fail "pkg-config $flag --variable=$var: $got, not $want"
      done
    done
    cflags=$(pkg-config --define-prefix --cflags libpydest)
    [[ $cflags != *python* ]] || fail "--cflags names Python: $cflags"
    libs=$(pkg-config --define-prefix --libs libpydest)
    libdir_pc=$(pkg-config --define-prefix --variable=libdir libpydest)
    # shellcheck disable=SC2086
    c++ -std=c++17 -O1 -o "$tmp/consumer" "$consumer/main.cc" $cflags $libs \
      -Wl,-rpath,"$libdir_pc"
    run_consumer "$tmp/consumer" "$pythondir"
    # isolation(process): the library finds the moved pydest-worker, and
    # the worker the moved package.
    [[ -x "$moved/$libexecdir/pydest/pydest-worker" ]] ||
      fail "no pydest-worker in $moved/$libexecdir/pydest"
    rm -f "$tmp/$mode.out"
    env -i "$tmp/consumer" "$consumer" "$tmp/$mode.out" process
    check_out "$tmp/$mode.out" "$pythondir"
    ;;

  meson)
    install_moved
    PKG_CONFIG_PATH="$moved/$libdir/pkgconfig" \
      meson setup "$tmp/meson-build" "$consumer" >/dev/null
    meson compile -C "$tmp/meson-build" >/dev/null
    run_consumer "$tmp/meson-build/consumer" "$pythondir"
    ;;

  pydest-command)
    install_moved
    cat > "$tmp/pydest.conf" <<EOF
@version: 4.0
destination counting {
  python(class("consumer_dest.CountingDestination") options("out" "$tmp/$mode.out"));
};
EOF
    printf 'message %s\n' 1 2 3 > "$tmp/in.log"
    env -i "$moved/$bindir/pydest" -f "$tmp/pydest.conf" --python-path "$consumer" \
      --format no-parse "$tmp/in.log"
    check_out "$tmp/$mode.out" "$pythondir"
    ;;

  subproject)
    cp -r "$consumer" "$tmp/sub"
    mkdir -p "$tmp/sub/subprojects"
    ln -s "$src" "$tmp/sub/subprojects/libpydest"
    # Unoptimised, without debug information: the library compiles with a
    # third less CPU time (about 2 min), and only its wiring is under test.
    meson setup --buildtype=plain "$tmp/sub-build" "$tmp/sub" >/dev/null
    meson compile -C "$tmp/sub-build" >/dev/null
    # Uninstalled: the library finds the source tree's package.
    run_consumer "$tmp/sub-build/consumer" "$src/bindings/python"
    ;;

  no-build-paths)
    meson install -C "$build" --no-rebuild --quiet --destdir "$tmp/stage"
    found=0
    for tree in "$src" "$build" "$(realpath "$src")" "$(realpath "$build")"; do
      # Every installed file (headers, .pc, CMake files, the package) ...
      if hits=$(grep -rlF -- "$tree" "$tmp/stage"); then
        echo "installed files naming $tree:"; echo "$hits"; found=1
      fi
      # ... and, in the words of binutils, every string of the ELF files
      # and their RPATH/RUNPATH.
      while IFS= read -r -d '' f; do
        if readelf -h "$f" >/dev/null 2>&1; then
          if strings -a "$f" | grep -qF -- "$tree"; then
            echo "strings of $f name $tree"; found=1
          fi
          if readelf -d "$f" 2>/dev/null | grep -E 'RPATH|RUNPATH' | grep -qF -- "$tree"; then
            echo "RPATH/RUNPATH of $f names $tree"; found=1
          fi
        fi
      done < <(find "$tmp/stage" -type f -print0)
    done
    ((found == 0)) || fail "the install names the build or source tree"
    echo "ok: no installed file names $src or $build"
    ;;

  *) fail "unknown mode $mode" ;;
esac
