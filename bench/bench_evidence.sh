#!/bin/sh
# bench_evidence.sh: product events at scale, hindsight against sqlite3 and ClickHouse 18.16.
#
# The same generated events (hindsight demo generate, seed 42, 7 days; scale 50 is about 10
# million events and 2.3 GB of JSON Lines) are loaded into
#   1. hindsight: `ingest events events.jsonl` into its column-chunk store;
#   2. sqlite3: a plain row table, `.import` of a TSV made from the same events;
#   3. ClickHouse 18.16: a MergeTree table ordered by ts, the TSV inserted over HTTP;
# then each runs the same four per-minute queries over the whole 7-day window, and hindsight
# the whole diagnosis of the data set's incident (`analyze`, no peer). Figures only:
# nothing here passes or fails on time. The three must agree on the counts (total, per
# platform, the filtered count) and hindsight and sqlite3 on every p99; any disagreement is
# printed as a MISMATCH line (the exit status stays 0 so that bench/run.sh goes on).
#
#   bench/bench_evidence.sh path/to/hindsight
#   BENCH_SCALE=N   demo scale (default 50; 2 or 5 for a quick run)
#   BENCH_DIR=DIR   where the scratch folders go (default /tmp)
#   BENCH_KEEP=1    keep the generated data set for the next run (it is reused when its scale
#                   and seed match); the store, the TSV and the peers' files are always removed
set -eu

bin=$1
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
here=$(cd "$(dirname "$0")" && pwd)
scale=${BENCH_SCALE:-50}
seed=42
days=7
base=${BENCH_DIR:-/tmp}
keep=${BENCH_KEEP:-0}
data=$base/hindsight-bench-data-seed$seed-days$days-scale$scale
work=$(mktemp -d "$base/hindsight-bench-evidence.XXXXXX")
ch_pid=
mismatches=0

cleanup() {
    if [ -n "$ch_pid" ]; then
        kill "$ch_pid" 2>/dev/null || true
        i=0
        while kill -0 "$ch_pid" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
        kill -9 "$ch_pid" 2>/dev/null || true
        wait "$ch_pid" 2>/dev/null || true
        ch_pid=
    fi
    rm -rf "$work"
    [ "$keep" = 1 ] || rm -rf "$data"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

now_ns() { date +%s%N; }
secs() { awk -v ns="$1" 'BEGIN { printf "%.3f", ns / 1e9 }'; }
size_of() { if [ -e "$1" ]; then wc -c <"$1" | tr -d ' '; else echo 0; fi; }
mb() { awk -v b="$1" 'BEGIN { printf "%.1f MB", b / 1e6 }'; }
per_s() { awk -v n="$1" -v s="$2" 'BEGIN { if (s > 0) printf "%.0f", n / s; else printf "inf" }'; }
mb_s() { awk -v b="$1" -v s="$2" 'BEGIN { if (s > 0) printf "%.1f", b / 1e6 / s; else printf "inf" }'; }
kib_mb() { awk -v k="$1" 'BEGIN { printf "%.0f MB", k * 1024 / 1e6 }'; }
# Table cells: "failed" and "n/a" pass through.
s_() { case $1 in failed | n/a) echo "$1" ;; *) echo "$1 s" ;; esac; }
eps() { case $2 in failed | n/a) echo "$2" ;; *) echo "$(per_s "$1" "$2")/s" ;; esac; }
mbs() { case $2 in failed | n/a) echo "$2" ;; *) echo "$(mb_s "$1" "$2") MB/s" ;; esac; }
rssmb() { case $1 in failed | n/a) echo "$1" ;; *) kib_mb "$1" ;; esac; }
sz() { case $1 in failed | n/a) echo "$1" ;; *) mb "$1" ;; esac; }
plus() { case $2 in failed | n/a) echo "$2" ;; *) awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f s", a + b }' ;; esac; }
mismatch() { echo "MISMATCH: $*"; mismatches=$((mismatches + 1)); }
have_gnu_time() { [ -x /usr/bin/time ]; }

# timed CMD...: runs CMD once, wall time in $t (seconds), peak RSS in $rss (KiB, or n/a).
# Returns CMD's status.
timed() {
    rss=n/a
    rc=0
    s=$(now_ns)
    if have_gnu_time; then
        /usr/bin/time -f %M -o "$work/rss" "$@" || rc=$?
        e=$(now_ns)
        rss=$(tail -n 1 "$work/rss")
    else
        "$@" || rc=$?
        e=$(now_ns)
    fi
    t=$(secs $((e - s)))
    return $rc
}

# bench3 NAME CMD...: one untimed run into $work/NAME.out (for the checks; it also warms the
# cache), then three timed runs with the output to /dev/null. Sets $med (median seconds) and
# $runs; returns 1 (with $med=failed) when the command fails.
bench3() {
    name=$1
    shift
    if ! "$@" >"$work/$name.out" 2>"$work/$name.err"; then
        echo "  $name failed: $(head -c 600 "$work/$name.out" "$work/$name.err" | tr '\n' ' ')"
        med=failed
        runs=
        return 1
    fi
    runs=
    for i in 1 2 3; do
        s=$(now_ns)
        "$@" >/dev/null
        e=$(now_ns)
        runs="$runs $(secs $((e - s)))"
    done
    # shellcheck disable=SC2086
    med=$(printf '%s\n' $runs | sort -n | sed -n 2p)
}

# --- the data set -------------------------------------------------------------------------

load_start=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo n/a)
echo "evidence benchmark: scale $scale, seed $seed, $days days; scratch $work; load average $load_start"
if [ -f "$data/events.jsonl" ] && [ -f "$data/ground_truth.json" ] &&
    grep -q "\"options\": {\"seed\": $seed, \"days\": $days, \"scale\": $scale," "$data/ground_truth.json"; then
    echo "reusing $data"
else
    rm -rf "$data" "$data.tmp"
    s=$(now_ns)
    "$bin" demo generate "$data.tmp" --seed "$seed" --days "$days" --scale "$scale" >/dev/null
    mv "$data.tmp" "$data"
    e=$(now_ns)
    echo "generated $data in $(secs $((e - s))) s"
fi
jsonl=$data/events.jsonl
jsonl_bytes=$(size_of "$jsonl")
from=$(sed -n 's/.*"period": {"start": "\([^"]*\)", "end": "\([^"]*\)".*/\1/p' "$data/ground_truth.json")
to=$(sed -n 's/.*"period": {"start": "\([^"]*\)", "end": "\([^"]*\)".*/\2/p' "$data/ground_truth.json")
from_ms=$(( $(date -u -d "$from" +%s) * 1000 ))
to_ms=$(( $(date -u -d "$to" +%s) * 1000 ))
minutes=$(( (to_ms - from_ms) / 60000 ))
echo "window [$from, $to): $minutes minutes; events.jsonl $(mb "$jsonl_bytes")"

# --- JSONL -> TSV for the peers ------------------------------------------------------------

cc -O2 -o "$work/jsonl_to_tsv" "$here/jsonl_to_tsv.c" -ljansson -lm
tsv=$work/events.tsv
timed "$work/jsonl_to_tsv" "$jsonl" "$tsv"
conv_t=$t
tsv_bytes=$(size_of "$tsv")
events=$(wc -l <"$tsv" | tr -d ' ')
echo "jsonl_to_tsv: $events rows, $(mb "$tsv_bytes") of TSV in $conv_t s ($(per_s "$events" "$conv_t") lines/s)"

# --- 1. hindsight ----------------------------------------------------------------------------

echo
echo "== hindsight ($bin)"
export HINDSIGHT_DB="$work/h.db" HINDSIGHT_USER=bench
"$bin" init >/dev/null
timed "$bin" ingest events "$jsonl" >"$work/ingest.out"
hs_ingest_t=$t
hs_rss=$rss
sed 's/^/  /' "$work/ingest.out"
hs_size=$(( $(size_of "$work/h.db") + $(size_of "$work/h.db-wal") + $(size_of "$work/h.db-shm") ))
echo "  ingest: $hs_ingest_t s, $(per_s "$events" "$hs_ingest_t") events/s, $(mb_s "$jsonl_bytes" "$hs_ingest_t") MB/s of JSONL," \
    "peak RSS $(kib_mb "$hs_rss"); store $(mb "$hs_size")"

hs() { "$bin" series "$@" --from "$from" --to "$to" --bucket 1m --csv; }
q4_hs="count() where event = 'purchase_completed' and platform != 'web'"
hs_q1=failed hs_q2=failed hs_q3=failed hs_q4=failed
bench3 hs_q1 hs 'count()' && hs_q1=$med && echo "  count() per minute:             $med s  (runs$runs)"
bench3 hs_q2 hs 'count()' --by platform && hs_q2=$med && echo "  count() per minute by platform: $med s  (runs$runs)"
bench3 hs_q3 hs 'quantile(0.99, latency_ms)' && hs_q3=$med && echo "  quantile(0.99) per minute:      $med s  (runs$runs)"
bench3 hs_q4 hs "$q4_hs" && hs_q4=$med && echo "  filtered count() per minute:    $med s  (runs$runs)"

# The whole diagnosis of the data set's incident in that store (no peer: analytics tools do
# not diagnose incidents): the metrics, changes and logs of the same week go in too, the
# incident is recorded with its true start and end, and `analyze` runs over its window (24 h
# before the start to 24 h after the resolution, every step: funnel, baselines, change points,
# localisation, changes, logs, replays, findings).
truth() {
    sed -n "/\"incident\"/,\$ s/.*\"$1\": *\"\([^\"]*\)\".*/\1/p" "$data/ground_truth.json" | head -n 1
}
hs_analyze=failed
for kind in metrics changes logs; do
    f=$(ls "$data/$kind".* 2>/dev/null | head -n 1)
    [ -n "$f" ] && "$bin" ingest "$kind" "$f" >/dev/null
done
if "$bin" incident new --title "bench incident" --severity SEV2 --started "$(truth start)" \
    --mitigated "$(truth end)" --resolved "$(truth recovered_at)" >/dev/null; then
    bench3 hs_analyze "$bin" analyze INC-1 && hs_analyze=$med &&
        echo "  analyze INC-1 (whole diagnosis):  $med s  (runs$runs)"
fi
rm -f "$work/h.db" "$work/h.db-wal" "$work/h.db-shm"

# --- 2. sqlite3 ------------------------------------------------------------------------------

echo
echo "== sqlite3 $(sqlite3 -version | cut -d' ' -f1)"
sdb=$work/peer.db
timed sqlite3 "$sdb" "CREATE TABLE events (ts INTEGER, event TEXT, distinct_id TEXT,
    session_id TEXT, platform TEXT, app_version TEXT, country TEXT, plan TEXT,
    latency_ms REAL, revenue REAL);" ".mode tabs" ".import $tsv events"
sq_import_t=$t
sq_rss=$rss
sq_size=$(size_of "$sdb")
echo "  .import: $sq_import_t s, $(per_s "$events" "$sq_import_t") events/s, $(mb_s "$tsv_bytes" "$sq_import_t") MB/s of TSV," \
    "peak RSS $(kib_mb "$sq_rss"); file $(mb "$sq_size")"

win="ts >= $from_ms AND ts < $to_ms"
sq() { sqlite3 -tabs "$sdb" "$1"; }
# p99 as hindsight computes it (linear between the closest ranks, R type 7): number the rows of
# each minute by latency with row_number() and count them with count() as window functions
# (sqlite 3.25+), then interpolate between ranks floor(h)+1 and floor(h)+2, h = 0.99 (n - 1).
sq_p99="WITH r AS (SELECT ts / 60000 AS m, latency_ms AS v,
        row_number() OVER (PARTITION BY ts / 60000 ORDER BY latency_ms) AS rn,
        count(*) OVER (PARTITION BY ts / 60000) AS n
      FROM events WHERE $win),
  k AS (SELECT m, v, rn, 0.99 * (n - 1) AS h, CAST(0.99 * (n - 1) AS INTEGER) AS lo FROM r)
SELECT m * 60000, max(CASE WHEN rn = lo + 1 THEN v END) + (h - lo) *
    (coalesce(max(CASE WHEN rn = lo + 2 THEN v END), max(CASE WHEN rn = lo + 1 THEN v END))
     - max(CASE WHEN rn = lo + 1 THEN v END))
FROM k WHERE rn IN (lo + 1, lo + 2) GROUP BY m ORDER BY m"
sq_q1=failed sq_q2=failed sq_q3=failed sq_q4=failed
bench3 sq_q1 sq "SELECT ts / 60000 * 60000 AS m, count(*) FROM events WHERE $win GROUP BY ts / 60000 ORDER BY m" &&
    sq_q1=$med && echo "  count(*) GROUP BY ts/60000:                $med s  (runs$runs)"
bench3 sq_q2 sq "SELECT ts / 60000 * 60000 AS m, platform, count(*) FROM events WHERE $win GROUP BY ts / 60000, platform ORDER BY m, platform" &&
    sq_q2=$med && echo "  count(*) GROUP BY ts/60000, platform:      $med s  (runs$runs)"
bench3 sq_q3 sq "$sq_p99" &&
    sq_q3=$med && echo "  p99 per minute (window functions):        $med s  (runs$runs)"
bench3 sq_q4 sq "SELECT ts / 60000 * 60000 AS m, count(*) FROM events WHERE $win AND event = 'purchase_completed' AND platform != 'web' GROUP BY ts / 60000 ORDER BY m" &&
    sq_q4=$med && echo "  filtered count(*) GROUP BY ts/60000:       $med s  (runs$runs)"
rm -f "$sdb"

# --- 3. ClickHouse ---------------------------------------------------------------------------

echo
ch_ok=0
ch_note=
ch_insert_t=n/a ch_q1=n/a ch_q2=n/a ch_q3=n/a ch_q4=n/a ch_size=n/a ch_rss=n/a ch_parts=n/a
# port_free PORT: nothing answers on 127.0.0.1:PORT (curl: "could not connect", status 7).
port_free() {
    rc=0
    curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$1/" || rc=$?
    [ "$rc" = 7 ]
}
free_port() {
    p=$1
    while ! port_free "$p" || [ "$p" = "${2:-}" ]; do
        p=$((p + 1))
        [ "$p" -lt $(($1 + 200)) ] || return 1
    done
    echo "$p"
}
ch_query() { curl -sS --fail-with-body "http://127.0.0.1:$ch_port/" --data-binary "$1"; }

if ! command -v clickhouse-server >/dev/null 2>&1 || ! command -v clickhouse-client >/dev/null 2>&1; then
    ch_note="ClickHouse is not installed (apt-get install clickhouse-server clickhouse-client; scripts/bootstrap.sh bench tries it): skipped"
    echo "== ClickHouse: $ch_note"
elif ! ch_port=$(free_port 8123) || ! ch_tcp=$(free_port 9000 "$ch_port"); then
    ch_note="no free port near 8123/9000: skipped"
    echo "== ClickHouse: $ch_note"
else
    ch=$work/clickhouse
    mkdir -p "$ch/data" "$ch/tmp" "$ch/user_files"
    cat >"$ch/config.xml" <<EOF
<?xml version="1.0"?>
<yandex>
    <logger>
        <level>warning</level>
        <log>$ch/server.log</log>
        <errorlog>$ch/server.err.log</errorlog>
        <size>100M</size>
        <count>1</count>
    </logger>
    <listen_host>127.0.0.1</listen_host>
    <http_port>$ch_port</http_port>
    <tcp_port>$ch_tcp</tcp_port>
    <path>$ch/data/</path>
    <tmp_path>$ch/tmp/</tmp_path>
    <user_files_path>$ch/user_files/</user_files_path>
    <users_config>$ch/users.xml</users_config>
    <default_profile>default</default_profile>
    <default_database>default</default_database>
    <timezone>UTC</timezone>
    <mark_cache_size>1073741824</mark_cache_size>
</yandex>
EOF
    cat >"$ch/users.xml" <<EOF
<?xml version="1.0"?>
<yandex>
    <profiles><default></default></profiles>
    <users>
        <default>
            <password></password>
            <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
            <profile>default</profile>
            <quota>default</quota>
        </default>
    </users>
    <quotas>
        <default>
            <interval><duration>3600</duration><queries>0</queries><errors>0</errors>
                <result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval>
        </default>
    </quotas>
</yandex>
EOF
    clickhouse-server --config-file="$ch/config.xml" >"$ch/stdout.log" 2>&1 &
    ch_pid=$!
    i=0
    while [ "$(curl -s --max-time 1 "http://127.0.0.1:$ch_port/ping" 2>/dev/null || true)" != Ok. ]; do
        if ! kill -0 "$ch_pid" 2>/dev/null || [ $i -ge 300 ]; then
            break
        fi
        sleep 0.1
        i=$((i + 1))
    done
    if ! kill -0 "$ch_pid" 2>/dev/null || [ $i -ge 300 ]; then
        ch_note="clickhouse-server did not start (its logs follow): skipped"
        echo "== ClickHouse: $ch_note"
        tail -n 20 "$ch/stdout.log" "$ch/server.err.log" 2>/dev/null | sed 's/^/  /'
    else
        echo "== ClickHouse $(ch_query 'SELECT version()') (pid $ch_pid, http 127.0.0.1:$ch_port, up in $((i / 10)).$((i % 10)) s)"
        ch_ok=1
    fi
fi

if [ "$ch_ok" = 1 ]; then
    ch_query "CREATE TABLE events (ts UInt64, event String, distinct_id String, session_id String,
        platform String, app_version String, country String, plan String, latency_ms Float64,
        revenue Float64) ENGINE = MergeTree() ORDER BY ts" >/dev/null
    if timed curl -sS --fail-with-body --data-binary "@$tsv" \
        "http://127.0.0.1:$ch_port/?query=INSERT%20INTO%20events%20FORMAT%20TabSeparated" >"$work/ch_insert.out"; then
        ch_insert_t=$t
    else
        ch_insert_t=failed
        echo "  INSERT failed: $(head -c 600 "$work/ch_insert.out")"
        mismatch "ClickHouse INSERT failed"
    fi
    parts_after=$(ch_query "SELECT count() FROM system.parts WHERE table = 'events' AND active")
    # Wait (up to 2 minutes) for the background merges to finish, so that the queries do not
    # compete with them and the size is the settled one.
    i=0
    while [ "$(ch_query "SELECT count() FROM system.merges")" != 0 ] && [ $i -lt 1200 ]; do
        sleep 0.1
        i=$((i + 1))
    done
    ch_size=$(ch_query "SELECT sum(bytes_on_disk) FROM system.parts WHERE table = 'events' AND active")
    ch_parts=$(ch_query "SELECT count() FROM system.parts WHERE table = 'events' AND active")
    ch_rows=$(ch_query "SELECT count() FROM events")
    echo "  INSERT over HTTP: $(s_ "$ch_insert_t"), $(eps "$events" "$ch_insert_t") (events), $(mbs "$tsv_bytes" "$ch_insert_t") of TSV;" \
        "$ch_rows rows; $parts_after parts after the insert, $ch_parts when the queries start" \
        "(waited $((i / 10)).$((i % 10)) s for running merges); $(mb "$ch_size") on disk"
    [ "$ch_rows" = "$events" ] || mismatch "ClickHouse holds $ch_rows rows, the TSV has $events"

    min="toStartOfMinute(toDateTime(intDiv(ts, 1000)))"
    bench3 ch_q1 ch_query "SELECT $min AS m, count() FROM events WHERE $win GROUP BY m ORDER BY m FORMAT TabSeparated" &&
        ch_q1=$med && echo "  count() GROUP BY toStartOfMinute:            $med s  (runs$runs)"
    bench3 ch_q2 ch_query "SELECT $min AS m, platform, count() FROM events WHERE $win GROUP BY m, platform ORDER BY m, platform FORMAT TabSeparated" &&
        ch_q2=$med && echo "  count() GROUP BY toStartOfMinute, platform:  $med s  (runs$runs)"
    bench3 ch_q3 ch_query "SELECT $min AS m, quantileExact(0.99)(latency_ms) FROM events WHERE $win GROUP BY m ORDER BY m FORMAT TabSeparated" &&
        ch_q3=$med && echo "  quantileExact(0.99) per minute:              $med s  (runs$runs)"
    bench3 ch_q4 ch_query "SELECT $min AS m, count() FROM events WHERE $win AND event = 'purchase_completed' AND platform != 'web' GROUP BY m ORDER BY m FORMAT TabSeparated" &&
        ch_q4=$med && echo "  filtered count() per minute:                 $med s  (runs$runs)"
    ch_rss=$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$ch_pid/status" 2>/dev/null || true)
    [ -n "$ch_rss" ] || ch_rss=n/a
    kill "$ch_pid" 2>/dev/null || true
    i=0
    while kill -0 "$ch_pid" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
    kill -9 "$ch_pid" 2>/dev/null || true
    wait "$ch_pid" 2>/dev/null || true
    ch_pid=
    echo "  server stopped"
fi

# --- checks: the three must agree ----------------------------------------------------------

echo
echo "== checks"
# stats FILE SEP SKIP COL: "rows nonempty nonzero total" of column COL, after SKIP header lines.
stats() {
    if [ ! -s "$1" ]; then echo "- - - -"; return; fi
    awk -F "$2" -v skip="$3" -v c="$4" 'NR > skip { n++; if ($c != "") { ne++; if ($c + 0 != 0) nz++; t += $c } }
        END { printf "%d %d %d %.0f\n", n, ne, nz, t }' "$1"
}
# platforms FILE SEP SKIP: per-platform totals of a (time, platform, value) output.
platforms() {
    if [ ! -s "$1" ]; then echo -; return; fi
    awk -F "$2" -v skip="$3" 'NR > skip { t[$2] += $3 } END { for (p in t) printf "%s=%.0f\n", p, t[p] }' "$1" |
        sort | tr '\n' ' ' | sed 's/ $//'
}
field() { echo "$1" | cut -d' ' -f"$2"; }

out=$work
tab=$(printf '\t')
q1_hs_stats=$(stats "$out/hs_q1.out" , 1 2)
q1_sq_stats=$(stats "$out/sq_q1.out" "$tab" 0 2)
q1_ch_stats=$(stats "$out/ch_q1.out" "$tab" 0 2)
s_hs2=$(stats "$out/hs_q2.out" , 1 3)
s_sq2=$(stats "$out/sq_q2.out" "$tab" 0 3)
s_ch2=$(stats "$out/ch_q2.out" "$tab" 0 3)
q3_hs_stats=$(stats "$out/hs_q3.out" , 1 2)
q3_sq_stats=$(stats "$out/sq_q3.out" "$tab" 0 2)
q3_ch_stats=$(stats "$out/ch_q3.out" "$tab" 0 2)
q4_hs_stats=$(stats "$out/hs_q4.out" , 1 2)
q4_sq_stats=$(stats "$out/sq_q4.out" "$tab" 0 2)
q4_ch_stats=$(stats "$out/ch_q4.out" "$tab" 0 2)
p_hs=$(platforms "$out/hs_q2.out" , 1)
p_sq=$(platforms "$out/sq_q2.out" "$tab" 0)
p_ch=$(platforms "$out/ch_q2.out" "$tab" 0)
nplat=$(awk -F , 'NR > 1 { p[$2] = 1 } END { n = 0; for (k in p) n++; print n }' "$out/hs_q2.out" 2>/dev/null || echo 0)

# hindsight: a row for every minute (every platform), empty buckets included.
check_rows() { # LABEL GOT WANT
    if [ "$2" = "$3" ]; then echo "  $1: $2 rows, as expected"; else mismatch "$1: $2 rows, expected $3"; fi
}
check_rows "hindsight count() per minute" "$(field "$q1_hs_stats" 1)" "$minutes"
check_rows "hindsight count() by platform ($nplat platforms)" "$(field "$s_hs2" 1)" $((minutes * nplat))
check_rows "hindsight p99 per minute" "$(field "$q3_hs_stats" 1)" "$minutes"
check_rows "hindsight filtered count() per minute" "$(field "$q4_hs_stats" 1)" "$minutes"
# the peers: a row for every non-empty minute (GROUP BY leaves out the empty ones).
check_peer_rows() { # NAME Q1STATS Q2STATS Q3STATS Q4STATS
    check_rows "$1 count() per minute" "$(field "$2" 1)" "$(field "$q1_hs_stats" 3)"
    check_rows "$1 count() by platform" "$(field "$3" 1)" "$(field "$s_hs2" 3)"
    check_rows "$1 p99 per minute" "$(field "$4" 1)" "$(field "$q3_hs_stats" 2)"
    check_rows "$1 filtered count() per minute" "$(field "$5" 1)" "$(field "$q4_hs_stats" 3)"
}
check_peer_rows sqlite3 "$q1_sq_stats" "$s_sq2" "$q3_sq_stats" "$q4_sq_stats"
if [ "$ch_ok" = 1 ]; then
    check_peer_rows ClickHouse "$q1_ch_stats" "$s_ch2" "$q3_ch_stats" "$q4_ch_stats"
fi

tot_hs=$(field "$q1_hs_stats" 4) tot_sq=$(field "$q1_sq_stats" 4) tot_ch=$(field "$q1_ch_stats" 4)
f_hs=$(field "$q4_hs_stats" 4) f_sq=$(field "$q4_sq_stats" 4) f_ch=$(field "$q4_ch_stats" 4)
[ "$ch_ok" = 1 ] || { tot_ch=n/a; p_ch=n/a; f_ch=n/a; }
echo "  total count() over the window:  hindsight $tot_hs | sqlite3 $tot_sq | ClickHouse $tot_ch | events in the file $events"
echo "  per-platform totals:            hindsight $p_hs"
echo "                                  sqlite3   $p_sq"
echo "                                  ClickHouse $p_ch"
echo "  purchase_completed, not web:    hindsight $f_hs | sqlite3 $f_sq | ClickHouse $f_ch"
if [ "$tot_hs" != "$tot_sq" ] || [ "$tot_hs" != "$events" ]; then
    mismatch "total count(): hindsight $tot_hs, sqlite3 $tot_sq, file $events"
fi
[ "$p_hs" = "$p_sq" ] || mismatch "per-platform totals differ between hindsight and sqlite3"
[ "$f_hs" = "$f_sq" ] || mismatch "filtered count(): hindsight $f_hs, sqlite3 $f_sq"
if [ "$ch_ok" = 1 ]; then
    [ "$tot_hs" = "$tot_ch" ] || mismatch "total count(): hindsight $tot_hs, ClickHouse $tot_ch"
    [ "$p_hs" = "$p_ch" ] || mismatch "per-platform totals differ between hindsight and ClickHouse"
    [ "$f_hs" = "$f_ch" ] || mismatch "filtered count(): hindsight $f_hs, ClickHouse $f_ch"
fi

# p99, minute by minute: hindsight's non-empty minutes against the peer's rows, in time order.
# sqlite3 computes the same definition (must agree to hindsight's 10 significant digits);
# ClickHouse's quantileExact takes the element at floor(0.99 n) of the sorted values, without
# interpolation, so it is expected to differ a little in most minutes: counted, not a mismatch.
p99_diff() { # PEERFILE -> "minutes differing compared max_relative_difference"
    awk -F , 'NR > 1 && $2 != "" { print $2 }' "$out/hs_q3.out" >"$out/p99_hs"
    cut -f2 "$1" >"$out/p99_peer"
    paste "$out/p99_hs" "$out/p99_peer" | awk -F '\t' '{ n++; d = $1 - $2; if (d < 0) d = -d;
        r = d / (($2 < 0 ? -$2 : $2) + 1e-300); if (r > 1e-9) bad++; if (r > mx) mx = r }
        END { printf "%d %d %.3g\n", bad, n, mx }'
}
if [ -s "$out/sq_q3.out" ] && [ -s "$out/hs_q3.out" ]; then
    d=$(p99_diff "$out/sq_q3.out")
    if [ "$(field "$d" 1)" = 0 ]; then
        echo "  p99 per minute: hindsight and sqlite3 agree in all $(field "$d" 2) minutes"
    else
        mismatch "p99 per minute: hindsight and sqlite3 differ in $(field "$d" 1) of $(field "$d" 2) minutes (max relative difference $(field "$d" 3))"
    fi
fi
if [ "$ch_ok" = 1 ] && [ -s "$out/ch_q3.out" ]; then
    d=$(p99_diff "$out/ch_q3.out")
    echo "  p99 per minute: ClickHouse quantileExact differs from hindsight in $(field "$d" 1) of $(field "$d" 2) minutes" \
        "(max relative difference $(field "$d" 3); nearest rank, not interpolated: expected)"
fi
[ "$mismatches" = 0 ] && echo "  all checks agree" || echo "  $mismatches MISMATCH(ES), see above"

# --- the table -----------------------------------------------------------------------------

row() { printf '| %-44s | %-16s | %-16s | %-16s |\n' "$1" "$2" "$3" "$4"; }

ch_ingest_rss=$(rssmb "$ch_rss")
[ "$ch_ok" = 1 ] && ch_ingest_rss="$ch_ingest_rss (server)"
echo
echo "== results: $events events, scale $scale, $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1), $(date -u +%Y-%m-%d)"
echo "load average (1 min): $load_start at the start, $(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo n/a) at the end" \
    "(hindsight and ClickHouse use both cores: other work on the machine slows them most)"
[ -n "$ch_note" ] && echo "ClickHouse: $ch_note"
row "operation" "hindsight" "sqlite3" "ClickHouse"
row "--------------------------------------------" "----------------" "----------------" "----------------"
row "input" "JSONL $(mb "$jsonl_bytes")" "TSV $(mb "$tsv_bytes")" "TSV (same)"
row "JSONL -> TSV (jsonl_to_tsv, peers only)" "-" "$conv_t s" "(same)"
row "load (ingest / .import / INSERT over HTTP)" "$(s_ "$hs_ingest_t")" "$(s_ "$sq_import_t")" "$(s_ "$ch_insert_t")"
row "load incl. JSONL -> TSV" "$(s_ "$hs_ingest_t")" "$(plus "$conv_t" "$sq_import_t")" "$(plus "$conv_t" "$ch_insert_t")"
row "load rate (events/s)" "$(eps "$events" "$hs_ingest_t")" "$(eps "$events" "$sq_import_t")" "$(eps "$events" "$ch_insert_t")"
row "load rate (MB/s of its input)" "$(mbs "$jsonl_bytes" "$hs_ingest_t")" "$(mbs "$tsv_bytes" "$sq_import_t")" "$(mbs "$tsv_bytes" "$ch_insert_t")"
row "load peak RSS" "$(rssmb "$hs_rss")" "$(rssmb "$sq_rss")" "$ch_ingest_rss"
row "size on disk" "$(sz "$hs_size")" "$(sz "$sq_size")" "$(sz "$ch_size")"
row "count() per minute (median of 3)" "$(s_ "$hs_q1")" "$(s_ "$sq_q1")" "$(s_ "$ch_q1")"
row "count() per minute by platform" "$(s_ "$hs_q2")" "$(s_ "$sq_q2")" "$(s_ "$ch_q2")"
row "p99 latency per minute" "$(s_ "$hs_q3")" "$(s_ "$sq_q3")" "$(s_ "$ch_q3")"
row "count() purchase_completed, not web, per min" "$(s_ "$hs_q4")" "$(s_ "$sq_q4")" "$(s_ "$ch_q4")"
row "total count() over the window" "$tot_hs" "$tot_sq" "$tot_ch"
row "analyze the incident (whole diagnosis)" "$(s_ "$hs_analyze")" "-" "-"
echo "p99: hindsight and sqlite3 interpolate between the closest ranks (R type 7; sqlite3 with row_number() and"
echo "count() window functions); ClickHouse quantileExact takes the element at floor(0.99 n). Query times"
echo "include process start (hindsight, sqlite3) or the HTTP round trip (ClickHouse), output to /dev/null."
[ "$mismatches" = 0 ] || echo "MISMATCH: $mismatches check(s) failed, see == checks"
