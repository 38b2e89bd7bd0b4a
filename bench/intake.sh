#!/usr/bin/env bash
# intake.sh — the mail gateway's rate: N messages (default 1,000), each a
# text body and two attachments (a 20 KB binary, base64, and a small text
# file), piped one per process to `c5hub intake` as an MTA does — one at a
# time, then JOBS at once (default 2) — into a hub with a 1,000-organisation
# constituency.  Prints messages per second.  No SMTP server: the
# acknowledgement (sent after the message is stored) is not measured.
set -eu
cd "$(dirname "$0")/.."
OUT=bench/out/intake
C5=$PWD/build/c5hub
N=${N:-1000}
JOBS=${JOBS:-2}
mkdir -p "$OUT"
rm -rf "$OUT/msg" && mkdir -p "$OUT/msg"
python3 - "$OUT" "$N" <<'PY'
import base64, random, sys
out, n = sys.argv[1], int(sys.argv[2])
rnd = random.Random(18)
with open(out + "/cons.csv", "w") as f:
    f.write("organisation,resource,abuse_contact\n")
    for i in range(1000):
        f.write("Org %d,org%d.example,cert@org%d.example\n" % (i, i, i))
for k in range(n):
    o = rnd.randrange(1000)
    blob = base64.encodebytes(bytes(rnd.randrange(256) for _ in range(20000))).decode()
    with open("%s/msg/%05d.eml" % (out, k), "w") as f:
        f.write("From: Analyst <soc@org%d.example>\nTo: cirt@hub.example\n"
                "Subject: Suspicious traffic %d\nMessage-ID: <bench-%d@org%d.example>\n"
                "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n"
                "--b\nContent-Type: text/plain; charset=utf-8\n\n"
                "We see scanning from 192.0.2.%d since this morning.\n"
                "--b\nContent-Type: application/octet-stream\n"
                "Content-Disposition: attachment; filename=capture-%d.pcap\n"
                "Content-Transfer-Encoding: base64\n\n%s"
                "--b\nContent-Type: text/plain; name=notes.txt\n"
                "Content-Disposition: attachment; filename=notes.txt\n\nfirewall log lines %d\n"
                "--b--\n" % (o, k, k, o, k % 250, k, blob, k))
PY
run() { # run JOBS: every message through c5hub intake, JOBS at a time
	local db=$OUT/hub.db
	rm -f "$db" "$db"-wal "$db"-shm
	$C5 --db "$db" init --hub-name "Bench CIRT" >/dev/null
	$C5 --db "$db" constituency import --create-orgs "$OUT/cons.csv" >/dev/null
	local real user sys taken TIMEFORMAT="%R %U %S"
	read -r real user sys < <({ time ls "$OUT"/msg/*.eml |
		xargs -P "$1" -I{} sh -c "$C5 --db $db intake < {} 2>/dev/null || echo fail {}" >"$OUT/fails"; } 2>&1)
	taken=$(sqlite3 "$db" "SELECT count(*) FROM cases")
	echo "intake, $1 at a time: $N messages ($(wc -l <"$OUT/fails") failed, $taken cases," \
		"$(sqlite3 "$db" "SELECT count(*) FROM evidence") evidence) in $real s:" \
		"$(echo "scale=1; $N / $real" | bc) messages/s; CPU $(echo "scale=1; 1000 * ($user + $sys) / $N" | bc)" \
		"ms a message (load average $(cut -d' ' -f1 /proc/loadavg))"
}
run 1
run "$JOBS"
