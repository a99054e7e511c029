#!/bin/sh
# Installs the Debian packages hindsight needs to build, test and run its demo.
# Idempotent: when everything is present it prints nothing and does nothing.
# Usage: scripts/bootstrap.sh [build|test|fuzz|bench]   (default: build)
set -eu

want="pkg-config meson ninja-build gcc libsqlite3-dev libjansson-dev libzstd-dev libssl-dev libgsl-dev"
case "${1:-build}" in
    build) ;;
    test)  want="$want libcriterion-dev sqlite3 jq valgrind" ;;
    fuzz)  want="$want clang libclang-rt-dev" ;;
    bench) want="$want sqlite3 hyperfine" ;;
    *) echo "bootstrap: unknown profile '$1' (build, test, fuzz, bench)" >&2; exit 2 ;;
esac

missing=""
for p in $want; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
    echo "bootstrap: missing Debian packages:$missing" >&2
    echo "bootstrap: run as root, or: sudo apt-get install -y$missing" >&2
    exit 1
fi
echo "bootstrap: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
