#!/bin/sh
# bench_incidents.sh: the incident record through the command line, against sqlite3.
#
# A person (or a script) runs one hindsight process per change, so the figure that matters is
# commands per second, process start included. The peer is the sqlite3 shell doing the nearest
# equivalent: one process per INSERT into a table of the same shape, in WAL mode with
# synchronous=FULL, without validation, lists or the audit trail.
#   bench/bench_incidents.sh path/to/hindsight    (BENCH_INCIDENTS=N, default 1000)
set -eu
bin=$1
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
n=${BENCH_INCIDENTS:-1000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export HINDSIGHT_DB="$tmp/h.db" HINDSIGHT_NOW=2026-03-09T09:00:00Z HINDSIGHT_USER=bench

now_ns() { date +%s%N; }
rate() { awk -v n="$1" -v ns="$2" 'BEGIN { printf "%.0f/s (%.2f ms each)", n / (ns / 1e9), ns / 1e6 / n }'; }
# ms CMD...: milliseconds for one run of CMD (median of 5).
ms() {
    for i in 1 2 3 4 5; do
        s=$(now_ns); "$@" >/dev/null; e=$(now_ns)
        echo $(( (e - s) / 1000 ))
    done | sort -n | sed -n 3p | awk '{ printf "%.1f ms", $1 / 1000 }'
}

"$bin" init >/dev/null
s=$(now_ns)
i=1
while [ "$i" -le "$n" ]; do
    day=$(( (i % 28) + 1 ))
    "$bin" incident new --title "Incident number $i in checkout" --severity SEV$(( (i % 4) + 1 )) \
        --started "2026-02-$(printf %02d $day)T10:00:00Z" --detected "2026-02-$(printf %02d $day)T10:05:00Z" \
        --service checkout --tag "failure-mode:mode-$(( i % 7 ))" --segment platform=android >/dev/null
    i=$((i + 1))
done
e=$(now_ns)
echo "hindsight incident new x$n:   $(rate "$n" $((e - s)))"

sqlite3 "$tmp/peer.db" "PRAGMA journal_mode=WAL;
CREATE TABLE incidents (id INTEGER PRIMARY KEY, seq INTEGER UNIQUE, title TEXT, severity INT,
  status TEXT, started_at INT, detected_at INT, created_at INT, updated_at INT);" >/dev/null
s=$(now_ns)
i=1
while [ "$i" -le "$n" ]; do
    sqlite3 "$tmp/peer.db" "PRAGMA synchronous=FULL; INSERT INTO incidents (seq, title, severity,
      status, started_at, detected_at, created_at, updated_at) VALUES ((SELECT coalesce(max(seq),0)+1
      FROM incidents), 'Incident number $i in checkout', $(( (i % 4) + 1 )), 'open', $i, $i, 0, 0);"
    i=$((i + 1))
done
e=$(now_ns)
echo "sqlite3 INSERT x$n (peer):   $(rate "$n" $((e - s)))"

echo "hindsight incident list ($n):        $(ms "$bin" incident list)"
echo "hindsight incident list --json ($n): $(ms "$bin" incident list --json)"
echo "hindsight incident list --tag:       $(ms "$bin" incident list --tag failure-mode:mode-3)"
echo "hindsight incident show:             $(ms "$bin" incident show INC-$((n / 2)))"
echo "sqlite3 SELECT all (peer):           $(ms sqlite3 "$tmp/peer.db" 'SELECT * FROM incidents ORDER BY started_at DESC')"
echo "store size: $(du -k "$HINDSIGHT_DB" | cut -f1) KiB for $n incidents with audit trail" \
     "(peer table without lists/audit: $(du -k "$tmp/peer.db" | cut -f1) KiB)"
