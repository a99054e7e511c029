#!/bin/sh
# The demo scenario: a fresh store with a few realistic incidents and their timelines, walked
# through the way an incident lead would, then shown with `incident list` and `incident show`.
#   scripts/demo.sh [path/to/hindsight]     (default build/hindsight)
# The store is demo/hindsight.db; the clock is pinned (HINDSIGHT_NOW) at each step, so the
# output is the same on every run.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$root/build/hindsight}
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
mkdir -p "$root/demo"
export HINDSIGHT_DB="$root/demo/hindsight.db"
export HINDSIGHT_USER="maria"
rm -f "$HINDSIGHT_DB" "$HINDSIGHT_DB-wal" "$HINDSIGHT_DB-shm"

# Shows each step as a person would type it, then runs it.
step() {
    printf '\n$ hindsight'
    for a in "$@"; do
        case $a in
            *" "*|*"'"*|"") printf " '%s'" "$a" ;;
            *) printf ' %s' "$a" ;;
        esac
    done
    printf '\n'
    "$bin" "$@"
}
quiet() { "$bin" "$@" >/dev/null; }
# Moves the pinned clock, so that the audit log shows when each step was recorded.
now() { HINDSIGHT_NOW=$1; export HINDSIGHT_NOW; }

echo "hindsight demo: store $HINDSIGHT_DB"
now 2026-02-11T18:40:00Z
step init

# INC-1: a release for one segment breaks checkout; a flag change mitigates it.
now 2026-03-04T14:15:00Z
step incident new --title "Android 5.2 users cannot complete checkout" --severity SEV2 \
    --started 2026-03-04T14:02:00Z --detected 2026-03-04T14:09:00Z \
    --service checkout --service payments --tag failure-mode:bad-deploy \
    --tag service:payments --segment platform=android --segment app_version=5.2 \
    --signal "checkout-5xx-rate@2026-03-04T14:07:30Z" --owner maria \
    --summary "After release 5.2-build41 of the payments SDK, Android 5.2 users got an error when submitting payment."
now 2026-03-04T14:40:00Z
quiet timeline add INC-1 --at 2026-03-04T13:58:00Z --kind change "Release 5.2-build41 of payments rolled out to platform=android"
quiet timeline add INC-1 --at 2026-03-04T14:07:30Z --kind signal "Alert checkout-5xx-rate fired (4.8% > 2%)"
quiet timeline add INC-1 --at 2026-03-04T14:09:00Z --kind detection "On-call paged by the checkout-5xx-rate alert"
quiet timeline add INC-1 --at 2026-03-04T14:12:00Z --kind response "Incident channel opened; maria is incident lead"
quiet timeline add INC-1 --at 2026-03-04T14:31:00Z --kind communication "Status page: degraded checkout for some Android users"
now 2026-03-04T14:52:00Z
quiet timeline add INC-1 --at 2026-03-04T14:50:00Z --kind response "Flag payments.new_sdk turned off for platform=android"
step incident update INC-1 --acknowledged 2026-03-04T14:12:00Z --mitigated 2026-03-04T14:50:00Z
now 2026-03-04T15:25:00Z
step incident update INC-1 --resolved 2026-03-04T15:22:00Z --affected-users 12400 \
    --revenue-lost 18250 --support-tickets 37
now 2026-03-05T10:00:00Z
step incident update INC-1 --status postmortem

# INC-2: a database failover; resolved, postmortem not started and now overdue.
now 2026-03-06T05:00:00Z
quiet incident new --title "Payments API returns 5xx after database failover" --severity SEV1 \
    --started 2026-03-06T02:14:00Z --detected 2026-03-06T02:16:00Z \
    --acknowledged 2026-03-06T02:21:00Z --mitigated 2026-03-06T02:58:00Z \
    --resolved 2026-03-06T04:40:00Z --service payments --service payments-db \
    --tag failure-mode:failover --tag service:payments --owner tomas \
    --signal "payments-5xx@2026-03-06T02:15:10Z" --signal "db-replica-lag@2026-03-06T02:13:40Z" \
    --affected-users 48100 --revenue-lost 96400
quiet timeline add INC-2 --at 2026-03-06T02:13:40Z --kind signal "Replica lag alert on payments-db"
quiet timeline add INC-2 --at 2026-03-06T02:14:00Z --kind change "Automatic failover of payments-db primary"
quiet timeline add INC-2 --at 2026-03-06T02:58:00Z --kind response "Connection pools restarted; errors back under 0.5%"

# INC-3: still being handled.
now 2026-03-09T08:10:00Z
quiet incident new --title "Search latency p99 above 2 s in eu-west" --severity SEV3 \
    --started 2026-03-09T07:40:00Z --detected 2026-03-09T08:05:00Z --service search \
    --tag service:search --segment region=eu-west
now 2026-03-09T08:45:00Z
quiet incident update INC-3 --mitigated 2026-03-09T08:44:00Z

# INC-4: an older incident whose postmortem was completed.
now 2026-02-11T19:35:00Z
quiet incident new --title "Push notifications delayed by up to 40 minutes" --severity SEV4 \
    --started 2026-02-11T18:00:00Z --detected 2026-02-11T18:35:00Z \
    --mitigated 2026-02-11T19:10:00Z --resolved 2026-02-11T19:30:00Z \
    --service notifications --tag failure-mode:capacity
now 2026-02-12T10:00:00Z; quiet incident update INC-4 --status postmortem
now 2026-02-13T16:00:00Z; quiet incident update INC-4 --status review
now 2026-02-16T11:00:00Z; quiet incident update INC-4 --status complete

# Reading the archive "now", on the morning of March 9.
now 2026-03-09T09:00:00Z

step incident list
step incident list --overdue
step incident show INC-1
step log INC-1
echo
echo "demo store: $HINDSIGHT_DB (try: HINDSIGHT_DB=$HINDSIGHT_DB $bin incident show INC-2 --json)"
