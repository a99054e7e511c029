#!/bin/sh
# The demo: a week of generated evidence for an online shop (10^5-10^6 product events, service
# metrics, logs, deploys and flag changes) with one injected incident, brought into a fresh
# store; the incident is recorded the way an incident lead would, and the key series around it
# are shown. Then a few more incidents show the archive.
#   scripts/demo.sh [path/to/hindsight]     (default build/hindsight)
# Everything lives in demo/; the clock is pinned (HINDSIGHT_NOW) at each step, so the output is
# the same on every run.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$root/build/hindsight}
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
demo="$root/demo"
mkdir -p "$demo"
export HINDSIGHT_DB="$demo/hindsight.db"
export HINDSIGHT_USER="maria"
rm -f "$HINDSIGHT_DB" "$HINDSIGHT_DB-wal" "$HINDSIGHT_DB-shm"

# Shows each step as a person would type it, then runs it.
step() {
    printf '\n$ hindsight'
    for a in "$@"; do
        case $a in
            *" "*|*"'"*|"") printf " \"%s\"" "$a" ;;
            *) printf ' %s' "$a" ;;
        esac
    done
    printf '\n'
    "$bin" "$@"
}
quiet() { "$bin" "$@" >/dev/null; }
# Moves the pinned clock, so that the audit log shows when each step was recorded.
now() { HINDSIGHT_NOW=$1; export HINDSIGHT_NOW; }
# A field of the generated incident's ground truth (a "key": "value" pair after "incident").
truth() {
    sed -n "/\"incident\"/,\$ s/.*\"$1\": *\"\([^\"]*\)\".*/\1/p" "$demo/data/ground_truth.json" |
        head -n 1
}

echo "hindsight demo: store $HINDSIGHT_DB"
now 2026-03-06T14:10:00Z

echo
echo "== 1. Evidence: a generated week of a shop's events, metrics, logs and changes"
step demo generate "$demo/data" --scale 2
step init
step ingest events "$demo/data/events.jsonl"
step ingest metrics "$demo/data/metrics.csv"
step ingest logs "$demo/data/logs.jsonl"
step ingest changes "$demo/data/changes.jsonl"
step sources

started=$(truth start)
deploy=$(truth deploy_at)
mitigated=$(truth end)
recovered=$(truth recovered_at)

echo
echo "== 2. The incident record, as the incident lead keeps it"
now 2026-03-06T14:19:00Z
step incident new --title "Android 5.2 users cannot complete checkout" --severity SEV2 \
    --started "$started" --detected 2026-03-06T14:12:00Z \
    --service checkout --service payments --tag failure-mode:bad-deploy \
    --tag service:payments --segment platform=android --segment app_version=5.2 \
    --signal "payments-http-error-rate@2026-03-06T14:11:00Z" --owner maria \
    --summary "After release 5.2-build41 of the payments SDK, Android 5.2 users got an error when submitting payment."
quiet timeline add INC-1 --at "$deploy" --kind change "Release 5.2-build41 of payments rolled out to platform=android,app_version=5.2 (chg-22)"
quiet timeline add INC-1 --at 2026-03-06T14:11:00Z --kind signal "Alert payments-http-error-rate fired (5.3% > 2%)"
quiet timeline add INC-1 --at 2026-03-06T14:12:00Z --kind detection "On-call paged by the payments-http-error-rate alert"
quiet timeline add INC-1 --at 2026-03-06T14:16:00Z --kind response "Incident channel opened; maria is incident lead"
now 2026-03-06T15:40:00Z
quiet timeline add INC-1 --at 2026-03-06T14:40:00Z --kind communication "Status page: degraded checkout for some Android users"
quiet timeline add INC-1 --at "$mitigated" --kind response "Flag payments.new_sdk turned off for platform=android (chg-24)"
step incident update INC-1 --acknowledged 2026-03-06T14:16:00Z --mitigated "$mitigated"
now 2026-03-06T16:05:00Z
step incident update INC-1 --resolved "$recovered" --affected-users 2140 --revenue-lost 18250 \
    --support-tickets 37

echo
echo "== 3. What the data says around it"
now 2026-03-07T10:00:00Z
step metric define payment_conversion \
    "(count() where event = 'purchase_completed') / (count() where event = 'payment_submitted')" \
    --unit ratio --description "purchases per submitted payment"
step metric define slow_payment_share \
    "(count() where event = 'payment_submitted' and latency_ms > 1200) / (count() where event = 'payment_submitted')" \
    --unit ratio --description "payments slower than 1.2 s"
step series "payment_conversion where platform = 'android'" --from 2026-03-06T12:00:00Z \
    --to 2026-03-06T18:00:00Z --bucket 1h --by app_version
step series "metric('http_error_rate') where service = 'payments'" --from 2026-03-06T13:30:00Z \
    --to 2026-03-06T16:00:00Z --bucket 15m
step series "quantile(0.99, latency_ms) where event = 'payment_submitted'" \
    --from 2026-03-06T12:00:00Z --to 2026-03-06T18:00:00Z --bucket 1h --by platform

echo
echo "== 4. The automatic diagnosis, hypotheses, evidence and corrective actions"
now 2026-03-07T11:00:00Z
step analyze INC-1
step hypothesis accept INC-1 F-1
quiet hypothesis update H-1 --owner maria --likelihood 5 --impact 5
quiet hypothesis add INC-1 "The search config change just before slowed checkout" --likelihood 2 \
    --impact 3
step evidence add H-1 --query "payment_conversion where platform = 'android' and app_version = '5.2'" \
    --from 2026-03-06T12:00:00Z --to 2026-03-06T18:00:00Z --supports \
    --note "conversion fell from 0.82 to 0.29 in the 14:00 hour and recovered after the flag change"
quiet evidence add H-2 --query "metric('latency_p99_ms') where service = 'search'" \
    --from 2026-03-06T12:00:00Z --to 2026-03-06T18:00:00Z --refutes --note "search p99 flat"
quiet hypothesis update H-2 --status refuted
quiet hypothesis update H-1 --status confirmed
step hypothesis list INC-1
quiet team add payments --lead lena --escalation cto-office
quiet person add tomas --team payments
step action add INC-1 "Keep payments.new_sdk off for Android until 5.2-build42" --kind architecture \
    --owner tomas --due 2026-03-09T18:00:00Z --mitigates H-1 \
    --success "payment_conversion where platform = 'android' >= 0.8 over 1d" --recurrence 4 --effort 1
quiet action add INC-1 "Canary every payments release per platform and version" --kind process \
    --owner tomas --due 2026-03-27T00:00:00Z --depends-on A-1 \
    --success "metric('http_error_rate') where service = 'payments' < 0.01 over 14d" --effort 4
quiet action add INC-1 "Alert on conversion per platform and app version" --kind monitoring \
    --owner maria --due 2026-03-20T00:00:00Z --depends-on A-1 \
    --no-success "its value shows in the detection time of the next incident"
now 2026-03-07T12:00:00Z
quiet action update A-1 --status done --note "payments.new_sdk stays off for android until 5.2-build42"
step action list INC-1
step action graph INC-1
quiet decide INC-1 "Android SDK upgrades ship behind a per-version flag from now on"
step incident update INC-1 --status postmortem
step postmortem INC-1 edit summary --text "From 14:05 to 15:31 UTC on March 6, Android users on app 5.2 could not complete payments after release 5.2-build41 of the payments SDK; turning the payments.new_sdk flag off for Android ended it."
step checklist INC-1

# More incidents, for the archive.
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
now 2026-03-08T08:10:00Z
quiet incident new --title "Search latency p99 above 2 s in eu-west" --severity SEV3 \
    --started 2026-03-08T07:40:00Z --detected 2026-03-08T08:05:00Z --service search \
    --tag service:search --segment region=eu-west
now 2026-03-08T08:45:00Z
quiet incident update INC-3 --mitigated 2026-03-08T08:44:00Z
now 2026-02-11T19:35:00Z
quiet incident new --title "Push notifications delayed by up to 40 minutes" --severity SEV4 \
    --started 2026-02-11T18:00:00Z --detected 2026-02-11T18:35:00Z \
    --mitigated 2026-02-11T19:10:00Z --resolved 2026-02-11T19:30:00Z \
    --service notifications --tag failure-mode:capacity
now 2026-02-12T10:00:00Z; quiet incident update INC-4 --status postmortem
now 2026-02-13T15:00:00Z
for section in summary impact timeline root-causes detection resolution action-items \
    lessons-learned; do
    quiet postmortem INC-4 edit "$section" --text "Written in the postmortem meeting of February 13."
done
now 2026-02-13T16:00:00Z; quiet incident update INC-4 --status review

echo
echo "== 5. The archive, on the morning of March 9"
now 2026-03-09T09:00:00Z
step incident list
step incident list --overdue
step due
step incident show INC-1
step log INC-1
step summary INC-1 --audience customer
rm -rf "$demo/postmortem"
step report INC-1 --out "$demo/postmortem/"
step report INC-1 --format html --out "$demo/postmortem/"
step chart INC-1 http_error_rate latency_p99_ms --out "$demo/postmortem/INC-1-errors.svg"

echo
echo "== 6. A year of history: similar incidents, search, trends and the process audit"
now 2026-03-09T09:30:00Z
quiet import "$demo/data/history/"*.json --new-key
echo "(imported the $(ls "$demo/data/history" | wc -l | tr -d ' ') incident records of the past year from $demo/data/history/)"
step similar INC-1 --limit 3
step search "android sdk" --limit 5
step trends --by quarter --since 2025-07-01
step trends --format html --out "$demo/postmortem/trends.html"
step audit --format md --out "$demo/postmortem/audit.md"
head -n 12 "$demo/postmortem/audit.md"

echo
echo "== 7. Did the fix work? The criterion and the effect against a counterfactual"
now 2026-03-09T10:00:00Z
step verify A-1 --apply
step action list INC-1

echo
echo "The postmortem of INC-1 as Markdown, its first lines:"
head -n 20 "$demo/postmortem/INC-1.md"
echo
echo "The full postmortem of INC-1: $demo/postmortem/INC-1.html (one page, charts inline) and"
echo "$demo/postmortem/INC-1.md with its charts beside it:"
ls "$demo/postmortem"
echo
echo "demo store: $HINDSIGHT_DB (try: HINDSIGHT_DB=$HINDSIGHT_DB $bin incident show INC-2 --json)"
