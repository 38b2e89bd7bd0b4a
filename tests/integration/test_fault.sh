#!/usr/bin/env bash
# test_fault.sh — fault injection, SQLite style: a feed run and a
# notification run are made to fail at their Nth store write or commit
# (C5HUB_FAULT=N), for every N until a run meets no fault.  After each
# failed run nothing is half-done (events, indicators, feed runs, notices
# and deliveries agree); run again without the fault,
# everything is done exactly once (every event once, every notice in one
# delivery, every delivery sent, the webhook receiver given each event in
# one delivery).
. "$(dirname "$0")/lib.sh"
plan 15
TOOLS=$(cd "$(dirname "$0")/../tools" && pwd)
PIDS=()
trap 'rc=$?; for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null; done; lib_end $rc' EXIT
q() { sqlite3 "$C5HUB_DB" "$1"; }
wait_file() { for _ in $(seq 1 100); do [ -s "$1" ] && return 0; sleep 0.05; done; return 1; }
# save / restore: the store as it is now, and back to it (its log and
# shared memory too: a failed process may leave them behind)
BASE_DB=$WORK/base.db
save() { rm -f "$BASE_DB"*; sqlite3 "$C5HUB_DB" ".backup '$BASE_DB'"; }
restore() { rm -f "$C5HUB_DB" "$C5HUB_DB-wal" "$C5HUB_DB-shm"; sqlite3 "$BASE_DB" ".backup '$C5HUB_DB'"; }

python3 "$TOOLS/webhook.py" "$WORK/hook.port" "$WORK/hook.log" --secret "fault-k3y" &
PIDS+=($!)
wait_file "$WORK/hook.port"
HOOK=http://127.0.0.1:$(cat "$WORK/hook.port")/r

# ---- a hub, two constituents reached by webhook, one small feed ----
"$C5" init --hub-name "National CIRT" >/dev/null
cat >"$WORK/cons.csv" <<'EOF'
organisation,resource,abuse_contact
ISP One,62.241.37.0/24,abuse@isp1.example
Hoster,103.196.1.0/24,noc@hoster.example
EOF
check "the constituency (its organisations created)" "$C5" constituency import --create-orgs "$WORK/cons.csv"
for o in "ISP One" Hoster; do
	"$C5" notify set "$o" --channel webhook --webhook "$HOOK" --secret fault-k3y >/dev/null
done
printf '62.241.37.1\n62.241.37.2\n62.241.37.3\n103.196.1.9\n103.196.1.10\n185.220.101.7\n' >"$WORK/feed.txt"
"$C5" feed add f --path "$WORK/feed.txt" --format list --classification malicious-code/c2-server >/dev/null
printf 'lease 1s\n' >"$WORK/notify.conf"
save

# feed_bad: the feed's tables disagree (prints what, or nothing)
feed_bad() {
	q "SELECT 'event outside any feed run: ' || count(*) FROM events e WHERE NOT EXISTS (
	     SELECT 1 FROM feed_runs r WHERE r.feed_id = e.feed_id
	     AND e.id BETWEEN r.first_event AND r.last_event) HAVING count(*) > 0;
	   SELECT 'event of a finished run without its indicator: ' || count(*) FROM events e
	     JOIN feed_runs r ON r.feed_id = e.feed_id AND e.id BETWEEN r.first_event AND r.last_event
	     WHERE (r.pending = 0 OR e.id < r.pending) AND NOT EXISTS (
	     SELECT 1 FROM indicators i WHERE i.value = e.value AND i.source = 'f')
	     HAVING count(*) > 0;
	   SELECT 'indicator without its event: ' || count(*) FROM indicators i
	     WHERE i.source = 'f' AND NOT EXISTS (SELECT 1 FROM events e WHERE e.value = i.value)
	     HAVING count(*) > 0;
	   SELECT 'constituent event without its notice: ' || count(*) FROM events e
	     WHERE (e.value LIKE '62.241.37.%' OR e.value LIKE '103.196.1.%')
	     AND NOT EXISTS (SELECT 1 FROM notices n WHERE n.event_id = e.id) HAVING count(*) > 0;
	   SELECT 'notice without its event: ' || count(*) FROM notices n
	     WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.id = n.event_id) HAVING count(*) > 0;"
}
# once: every value one event, one indicator, its notice; no run left pending
feed_once() {
	q "SELECT count(*), count(DISTINCT value) FROM events;
	   SELECT count(*) FROM indicators WHERE source = 'f';
	   SELECT count(*) FROM notices;
	   SELECT count(*) FROM feed_runs WHERE pending <> 0;" | tr '\n' ' '
}

# ---- the feed run, failing at each step ----
"$C5" feed run f >/dev/null 2>&1
WANT=$(feed_once)
eq "a clean feed run: 6 events, 6 indicators, 5 notices (one value is no constituent's)" \
	"$WANT" "6|6 6 5 0 "
restore
bad= steps=0
for n in $(seq 1 200); do
	restore
	out=$(C5HUB_FAULT=$n "$C5" feed run f 2>&1)
	case "$out" in *"injected fault (C5HUB_FAULT=$n)"*) ;; *) break ;; esac
	steps=$n
	why=$(feed_bad)
	[ -z "$why" ] || { bad="${bad:-after C5HUB_FAULT=$n: $why ($out)}"; }
	"$C5" feed run f >/dev/null 2>&1
	got=$(feed_once)
	why=$(feed_bad)
	[ "$got" = "$WANT" ] && [ -z "$why" ] ||
		bad="${bad:-after C5HUB_FAULT=$n and a clean run: got '$got', want '$WANT' $why}"
done
check "the feed run met a fault at each of its store steps ($steps), then none" \
	test "$steps" -ge 10 -a "$steps" -lt 200
eq "after each: nothing half-done; run again, everything exactly once" "$bad" ""

# ---- the notification run, failing at each step ----
restore
"$C5" feed run f >/dev/null 2>&1
save
# notify_bad: deliveries and notices disagree (prints what, or nothing)
notify_bad() {
	q "SELECT 'empty report delivery: ' || count(*) FROM deliveries
	     WHERE kind = 'report' AND events = 0 HAVING count(*) > 0;
	   SELECT 'delivery whose count is not its notices: ' || count(*) FROM deliveries d
	     WHERE d.events <> (SELECT count(*) FROM notices n WHERE n.delivery_id = d.id)
	     HAVING count(*) > 0;
	   SELECT 'notice in a delivery that does not exist: ' || count(*) FROM notices n
	     WHERE n.delivery_id <> 0 AND NOT EXISTS (SELECT 1 FROM deliveries d
	     WHERE d.id = n.delivery_id) HAVING count(*) > 0;"
}
# hooked: what the receiver got, as "delivery:events" once per distinct
# delivery, and whether any event came in two distinct deliveries
hooked() {
	python3 - "$WORK/hook.log" <<'EOF'
import json, sys
seen, twice = {}, 0
for line in open(sys.argv[1]):
    r = json.loads(line)
    ev = sorted(e["id"] for e in r["body"]["events"])
    seen.setdefault(int(r["delivery"]), ev)
owner = {}
for d, ev in seen.items():
    for e in ev:
        twice += owner.setdefault(e, d) != d
print(" ".join("%d:%d" % (d, len(ev)) for d, ev in sorted(seen.items())), "twice=%d" % twice)
EOF
}
sent_rows() {
	q "SELECT group_concat(id || ':' || events, ' ') FROM (SELECT id, events FROM deliveries
	     WHERE state = 'sent' ORDER BY id);"
}
: >"$WORK/hook.log"
out=$("$C5" notify run --flush --notify "$WORK/notify.conf" 2>&1)
has "a clean notification run: one delivery per constituent, both sent" "$out" "2 new deliveries, 2 sent"
WANTH="$(sent_rows) twice=0"
eq "...the receiver got each event once" "$(hooked)" "$WANTH"
eq "...3 events for one, 2 for the other" "$(q "SELECT group_concat(events) FROM (SELECT events FROM deliveries ORDER BY events)")" "2,3"
bad= steps=0
for n in $(seq 1 200); do
	restore
	: >"$WORK/hook.log"
	out=$(C5HUB_FAULT=$n "$C5" notify run --flush --notify "$WORK/notify.conf" 2>&1)
	case "$out" in *"injected fault (C5HUB_FAULT=$n)"*) ;; *) break ;; esac
	steps=$n
	why=$(notify_bad)
	[ -z "$why" ] || bad="${bad:-after C5HUB_FAULT=$n: $why ($out)}"
	# a delivery claimed by the failed run is due again when its lease ends
	[ "$(q "SELECT count(*) FROM deliveries WHERE state = 'pending'
	        AND next_try > CAST(strftime('%s', 'now') AS INTEGER)")" = 0 ] || sleep 1.1
	"$C5" notify run --flush --notify "$WORK/notify.conf" >/dev/null 2>&1
	why="$(notify_bad)$(q "SELECT ' unsent: ' || count(*) FROM deliveries WHERE state <> 'sent'
	       HAVING count(*) > 0; SELECT ' not in a delivery: ' || count(*) FROM notices
	       WHERE delivery_id = 0 HAVING count(*) > 0;")"
	want="$(sent_rows) twice=0"
	got=$(hooked)
	[ -z "$why" ] && [ "$got" = "$want" ] && [ "$(q "SELECT count(*) FROM deliveries")" = 2 ] ||
		bad="${bad:-after C5HUB_FAULT=$n and a clean run: $why; received '$got', sent '$want'}"
done
check "the notification run met a fault at each of its store steps ($steps), then none" \
	test "$steps" -ge 10 -a "$steps" -lt 200
eq "after each: nothing half-done; run again, every event delivered in exactly one sent delivery" "$bad" ""

# ---- the hook is inert unless set ----
restore
out=$(C5HUB_FAULT=0 "$C5" notify run --flush --notify "$WORK/notify.conf" 2>&1)
has "C5HUB_FAULT=0 fails nothing" "$out" "2 new deliveries, 2 sent"
out=$(C5HUB_FAULT=1 "$C5" lookup 62.241.37.1 2>&1); rc=$?
eq "a read-only command has no write step to fail" "$rc" 0
out=$(C5HUB_FAULT=1 "$C5" org add "New Org" --type private-sector --country GH 2>&1); rc=$?
has "a write fails with the injected fault, named" "$out" "injected fault (C5HUB_FAULT=1) at begin"
eq "...and changes nothing" "$(q "SELECT count(*) FROM orgs WHERE name = 'New Org'")" 0
check "...the command exits non-zero" test "$rc" -ne 0
eq "the store still passes SQLite's integrity check" "$(q 'PRAGMA integrity_check')" ok
