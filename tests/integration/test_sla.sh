#!/usr/bin/env bash
# test_sla.sh — SLA timers end to end with the clock run forward (C5HUB_NOW
# names a file the test rewrites; nothing sleeps for the timers): `sla check`
# and its file:line errors, the timers in `case list`/`case show`, two
# servers on one database raising each warning and breach once (the alert
# row is the claim), e-mail to the assignee and the team lead through a real
# SMTP server (OpenSMTPD), the hub's signed webhook, the live stream for the
# hub's team only, /metrics, a case waiting for its reporter never breached,
# and the compliance figures.
. "$(dirname "$0")/lib.sh"
plan 27
TOOLS=$(cd "$(dirname "$0")/../tools" && pwd)
chmod 711 "$WORK"
PIDS=()
trap 'rc=$?; for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null; done; lib_end $rc' EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
q() { sqlite3 "$C5HUB_DB" "$1"; }
# until the query $1 answers $2, for up to 10 s
wait_q() { for _ in $(seq 1 200); do [ "$(q "$1")" = "$2" ] && return 0; sleep 0.05; done; return 1; }

# ---- sla check ----
out=$("$C5" sla check); rc=$?
eq "sla check: the built-in file is valid" "$rc" 0
has "sla check: it names the built-in policies" "$out" "policy high (any class): ack 1h"
printf 'calendar office\n\tzone Europe/Paris\n\thours mon-fri 09:00-25:00\n' >"$WORK/bad.conf"
out=$("$C5" sla check "$WORK/bad.conf" 2>&1); rc=$?
check "sla check: a bad file fails" [ "$rc" -ne 0 ]
has "sla check: the error names file:line and the field" "$out" "bad.conf:3: hours: '09:00-25:00'"

# ---- a real SMTP server (lib.sh: the machine's one, taken in turns) ----
smtp_setup
mails() { find "$MAIL/$1/new" "$MAIL/$1/cur" -type f 2>/dev/null | sort; } # delivered (not tmp/)
wait_mails() { for _ in $(seq 1 200); do [ "$(mails "$1" | wc -l)" -ge "$2" ] && return 0; sleep 0.05; done; return 1; }
subjects() { for f in $(mails "$1"); do python3 -c 'import email,sys; print(email.message_from_binary_file(open(sys.argv[1],"rb"))["Subject"])' "$f"; done; }

python3 "$TOOLS/webhook.py" "$WORK/hook.port" "$WORK/hook.log" --secret "k3y-for-sla" &
PIDS+=($!)
for _ in $(seq 1 100); do [ -s "$WORK/hook.port" ] && break; sleep 0.05; done
HP=$(cat "$WORK/hook.port")

# ---- the hub, its team, a case; the clock is a file ----
CLOCK=$WORK/clock
export C5HUB_NOW=$CLOCK
echo 2026-12-07T09:00:00Z >"$CLOCK"   # a Monday
"$C5" init --hub-name "National CIRT" --notify-from cirt@hub.example >/dev/null
"$C5" org add "Bank A" --type private-sector --country GH >/dev/null
"$C5" user add ana@cirt.example --org "National CIRT" --role analyst >/dev/null
"$C5" notify set "National CIRT" --webhook "http://127.0.0.1:$HP/sla" --secret "k3y-for-sla" >/dev/null
cat >"$WORK/sla.conf" <<'EOF'
warn 75%
calendar round
	always
team soc round lead lead@cirt.example
policy high ack 1h response 4h resolve 2d
EOF
"$C5" case new --title "Phishing wave" --org "Bank A" --severity high --team soc >/dev/null
"$C5" case assign CIRT-2026-00001 ana@cirt.example >/dev/null
"$C5" case new --title "Waiting for logs" --org "Bank A" --severity high --team soc >/dev/null
"$C5" case status CIRT-2026-00002 triage >/dev/null   # acknowledged
"$C5" case wait CIRT-2026-00002 on >/dev/null           # the clock stops for it

ADMIN=$("$C5" token create --org "National CIRT" --role admin | grep -o 'c5h_[A-Za-z0-9_-]*')
BANK=$("$C5" token create --org "Bank A" --role analyst | grep -o 'c5h_[A-Za-z0-9_-]*')
# two servers on one database: each threshold still goes out once
start_server --smtp "smtp://127.0.0.1:$SMTP_PORT" --sla "$WORK/sla.conf" --no-feeds
FIRST_PID=$SERVER_PID FIRST_BASE=$BASE
start_server --smtp "smtp://127.0.0.1:$SMTP_PORT" --sla "$WORK/sla.conf" --no-feeds
PIDS+=("$FIRST_PID" "$SERVER_PID")
has "serve says the clock is a test's" "$(cat "$WORK/serve.log")" "C5HUB_NOW"

curl -sN -H "Authorization: Bearer $ADMIN" "$BASE/api/v1/stream" >"$WORK/stream.hub" &
PIDS+=($!)
curl -sN -H "Authorization: Bearer $BANK" "$BASE/api/v1/stream" >"$WORK/stream.bank" &
PIDS+=($!)
sleep 0.5

# 45 minutes: 75 % of the hour to acknowledge
echo 2026-12-07T09:45:00Z >"$CLOCK"
check "at 75 % of ack: one warning row" wait_q "SELECT count(*) FROM sla_alerts WHERE level='warning' AND target='ack'" 1
check "the assignee got the warning by e-mail" wait_mails ana@cirt.example 1
check "the team lead got it too" wait_mails lead@cirt.example 1
has "its subject names the case, the target and the TLP" "$(subjects ana@cirt.example)" "[TLP:AMBER] [CIRT-2026-00001] SLA ack warning: Phishing wave"

# past the hour: breached
echo 2026-12-07T10:01:00Z >"$CLOCK"
check "past the due instant: one breach row" wait_q "SELECT count(*) FROM sla_alerts WHERE level='breached' AND target='ack'" 1
check "the assignee got the breach" wait_mails ana@cirt.example 2
has "the breach's subject" "$(subjects ana@cirt.example)" "SLA ack BREACHED: Phishing wave"
for _ in $(seq 1 100); do grep -q '"level":"breached"' "$WORK/stream.hub" && break; sleep 0.05; done
has "the hub's team sees the breach on the live stream" "$(cat "$WORK/stream.hub")" '"case":"CIRT-2026-00001","target":"ack","level":"breached"'
check "the reporter's organisation does not" [ "$(grep -c 'event: sla' "$WORK/stream.bank")" = 0 ]
for _ in $(seq 1 100); do [ "$(wc -l <"$WORK/hook.log")" -ge 2 ] && break; sleep 0.05; done
eq "the hub's webhook got warning and breach, signed" "$(python3 -c 'import json,sys; print(sorted((d["body"]["level"], d["signature_ok"]) for d in map(json.loads, open(sys.argv[1]))))' "$WORK/hook.log")" "[('breached', True), ('warning', True)]"

# hours later: nothing raised again, by either server
echo 2026-12-07T12:00:00Z >"$CLOCK"
sleep 1.5
echo 2026-12-07T12:30:00Z >"$CLOCK"
sleep 1.5
eq "each threshold once, with two servers and later passes" "$(q "SELECT group_concat(target || ' ' || level, ',') FROM (SELECT target, level FROM sla_alerts WHERE case_id = 1 ORDER BY id)")" "ack warning,ack breached,response warning"
eq "no alert for the case waiting for its reporter" "$(q "SELECT count(*) FROM sla_alerts WHERE case_id = 2")" 0
wait_mails ana@cirt.example 3
sleep 0.5
eq "e-mails to the assignee: one per alert" "$(mails ana@cirt.example | wc -l)" 3

m=$(curl -s "$BASE/metrics")
has "metrics: breached ack timers" "$m" 'c5hub_sla_timers{target="ack",state="breached"} 1'
has "metrics: response in warning" "$m" 'c5hub_sla_timers{target="response",state="warning"} 1'
has "metrics: alerts raised, by level" "$m" 'c5hub_sla_alerts_total{level="breached"} 1'

# the timers in the CLI
has "case list marks the breach" "$("$C5" case list)" "Phishing wave  [SLA breached]"
out=$("$C5" case show CIRT-2026-00002)
has "case show: the waiting case's timers paused" "$out" "ack met, response ok (paused)"

# the reporter answers after a day: its response clock runs again
echo 2026-12-08T12:30:00Z >"$CLOCK"
"$C5" case comment CIRT-2026-00002 "logs attached" >/dev/null
"$C5" case wait CIRT-2026-00002 off >/dev/null
echo 2026-12-08T15:30:00Z >"$CLOCK"
check "3 h after the wait ended (75 % of 4 h): its response warning" wait_q "SELECT count(*) FROM sla_alerts WHERE case_id = 2 AND target='response' AND level='warning'" 1
eq "not breached: the day it waited did not count" "$(q "SELECT count(*) FROM sla_alerts WHERE case_id = 2 AND level='breached'")" 0

# compliance in the figures: case 1 missed ack, case 2 met it
out=$("$C5" case stats)
has "compliance: ack met once" "$out" "sla_acknowledge,met,1"
has "compliance: ack missed once" "$out" "sla_acknowledge,missed,1"

kill "$FIRST_PID" 2>/dev/null; wait "$FIRST_PID" 2>/dev/null
stop_server
