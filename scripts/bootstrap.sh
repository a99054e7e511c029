#!/bin/sh
# Installs the Debian packages hindsight needs to build, test and run its demo.
# Idempotent: when everything is present it prints nothing and does nothing.
# Usage: scripts/bootstrap.sh [build|test|fuzz|bench]   (default: build)
set -eu

want="pkg-config meson ninja-build gcc libsqlite3-dev libjansson-dev libzstd-dev libssl-dev libgsl-dev libcmark-gfm-dev libcmark-gfm-extensions-dev"
optional=""   # tried, but a failure only warns (bench: ClickHouse, a peer the benchmark can skip)
case "${1:-build}" in
    build) ;;
    test)  want="$want libcriterion-dev sqlite3 jq valgrind chromium" ;;
    fuzz)  want="$want clang libclang-rt-dev" ;;
    bench) want="$want sqlite3 hyperfine time curl bc jq"
           optional="clickhouse-server clickhouse-client" ;;
    *) echo "bootstrap: unknown profile '$1' (build, test, fuzz, bench)" >&2; exit 2 ;;
esac
# The chart unit tests parse the SVG they render with libxml2; xmllint checks files by hand.
case "${1:-build}" in test) want="$want libxml2-dev libxml2-utils" ;; esac

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
missing=""
for p in $want; do
    installed "$p" || missing="$missing $p"
done
missing_opt=""
for p in $optional; do
    installed "$p" || missing_opt="$missing_opt $p"
done
[ -z "$missing$missing_opt" ] && exit 0

if [ "$(id -u)" != 0 ]; then
    if [ -z "$missing" ]; then
        echo "bootstrap: optional Debian packages missing:$missing_opt (sudo apt-get install -y$missing_opt)" >&2
        exit 0
    fi
    echo "bootstrap: missing Debian packages:$missing" >&2
    echo "bootstrap: run as root, or: sudo apt-get install -y$missing" >&2
    exit 1
fi
echo "bootstrap: installing$missing$missing_opt"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
if [ -n "$missing" ]; then
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
if [ -n "$missing_opt" ]; then
    # A server package must not start a system-wide service here (the benchmark starts its own
    # on 127.0.0.1 and stops it): forbid service starts during the install unless a policy
    # already decides.
    policy=""
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        policy=/usr/sbin/policy-rc.d
        printf '#!/bin/sh\nexit 101\n' >"$policy"
        chmod 755 "$policy"
    fi
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing_opt >/dev/null ||
        echo "bootstrap: could not install$missing_opt; going on without them" >&2
    [ -z "$policy" ] || rm -f "$policy"
fi
