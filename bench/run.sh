#!/bin/sh
# Runs every benchmark and prints its figures. Benchmarks never pass or fail on time.
#   bench/run.sh [path/to/hindsight]
set -eu
dir=$(cd "$(dirname "$0")" && pwd)
bin=${1:-$dir/../build/hindsight}
for b in "$dir"/bench_*.sh; do
    echo "== $(basename "$b")"
    sh "$b" "$bin"
done
