#!/usr/bin/env bash
# test_intake.sh — the mail gateway end to end: every message of
# testdata/mail through `c5hub intake` (as an MTA pipes it), the sender
# matched to its constituent, attachments as evidence with their SHA-256,
# acknowledgements and replies received by a real SMTP server (OpenSMTPD,
# as test_watch.sh runs it: one per machine, under its lock) and threaded,
# a reply joining its case, automatic mail never answered, the size limit,
# a busy store (exit 75, the MTA retries), a message handed over twice
# taken once, and kill -9 during intake leaving nothing half-stored.
. "$(dirname "$0")/lib.sh"
plan 52
TESTDATA=${TESTDATA:-$(cd "$(dirname "$0")/../../../shared/testdata" && pwd)}
chmod 711 "$WORK" # the mail delivery agent runs as nobody
PIDS=()
trap 'rc=$?; for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null; done; lib_end $rc' EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
q() { sqlite3 -cmd '.timeout 5000' "$C5HUB_DB" "$1"; } # waits out a writer's lock (a recovery after kill -9)

# ---- a real SMTP server (lib.sh: the machine's one, taken in turns) ----
smtp_setup
mails() { find "$MAIL/$1/new" -type f 2>/dev/null | sort; } # delivered (not tmp/)
wait_mails() { for _ in $(seq 1 200); do [ "$(mails "$1" | wc -l)" -ge "$2" ] && return 0; sleep 0.05; done; return 1; }
# hdr FILE NAME: a header of a delivered message, decoded (Python's reader:
# a second implementation of what the hub writes)
hdr() {
	python3 - "$1" "$2" <<'EOF'
import email, email.header, sys
m = email.message_from_binary_file(open(sys.argv[1], "rb"))
v = m[sys.argv[2]]
print(str(email.header.make_header(email.header.decode_header(v))) if v else "")
EOF
}
bodyof() { python3 -c 'import email,sys; m=email.message_from_binary_file(open(sys.argv[1],"rb")); print(m.get_payload(decode=True).decode())' "$1"; }
intake() { "$C5" intake --smtp "$SMTP" "$@"; }

# ---- the hub and its constituency ----
"$C5" init --hub-name "National CIRT" --notify-from cirt@hub.example >/dev/null
cat >"$WORK/cons.csv" <<'EOF'
organisation,resource,abuse_contact
Bank Two,bank2.example,cert@bank2.example
Bank Two,192.0.2.0/24,cert@bank2.example
ISP One,isp1.example,abuse@isp1.example
EOF
check "constituency imported" "$C5" constituency import --create-orgs "$WORK/cons.csv"
BANK=$(q "SELECT id FROM orgs WHERE name = 'Bank Two'")
ISP=$(q "SELECT id FROM orgs WHERE name = 'ISP One'")

# ---- every message that broke a ticket system ----
n=0 bad=0
for f in $(cd "$TESTDATA/mail" && ls -d * 8859-15-message-series/* | grep -v -e COPYING -e '^8859-15-message-series$'); do
	n=$((n + 1))
	intake <"$TESTDATA/mail/$f" 2>>"$WORK/intake.log" || { bad=$((bad + 1)); echo "# $f: exit $?"; }
done
eq "every testdata message taken (exit 0)" "$bad" 0
eq "...each its own case (the same Message-ID twice is two messages)" "$(q "SELECT count(*) FROM cases")" "$n"
eq "...each kept whole as evidence" "$(q "SELECT count(*) FROM evidence WHERE name = 'message.eml'")" "$n"
eq "RFC 2231 continuations: the Japanese file name and its bytes" \
	"$(q "SELECT sha256 FROM evidence WHERE name = '新しいテキスト ドキュメント.txt'")" \
	a77aa56f3f831d3821f379aef78bbaaeb3462ea86d0d4d5649bf701f7122601a
eq "uuencoded Lotus Notes attachment as evidence" \
	"$(q "SELECT size || ' ' || sha256 FROM evidence WHERE name = 'Naz_Head.jpg'")" \
	"104846 90c705683c1f17d642a74367738f8c10f2884b2180c3316f9a5359134391af8d"
eq "an image in a mixed message" "$(q "SELECT sha256 FROM evidence WHERE name = 'BackGrnd.jpg'")" \
	2b074d02c4cfd09ac20fe1f6d4c5d00433b20e5265ea4d08a09b8484d7105923
eq "the attachments linked to their cases" "$(q "SELECT count(*) FROM case_links WHERE kind = 'evidence'")" \
	"$(q "SELECT count(*) FROM evidence")"
eq "RFC 2047 GB18030 subject as the title" "$(q "SELECT count(*) FROM cases WHERE title = '测试'")" 1
eq "KOI8-R subject with no charset named" "$(q "SELECT count(*) FROM cases WHERE title = 'тест тест'")" 1
has "HTML-only body reduced to text, Latin-1 to UTF-8" \
	"$("$C5" case show "$(q "SELECT ref FROM cases WHERE title LIKE 'An example of mail containing text-html%'")")" \
	"Mit freundlichen Grüßen"
eq "no answer to the bounce, the list mail or the sender-less" \
	"$(ls "$MAIL" | grep -c -i -e mailer-daemon -e pape-rt -e '^$')" 0

# ---- a constituent's report: matched, acknowledged, threaded ----
cat >"$WORK/report.eml" <<'EOF'
From: Ana Analyst <ana@Bank2.Example>
To: cirt@hub.example
Subject: Phishing site imitating our login page
Message-ID: <report-1@bank2.example>
Date: Fri, 04 Dec 2026 10:00:00 +0000
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b1"

--b1
Content-Type: text/plain; charset=utf-8

Our customers receive mail pointing to hxxp://login-bank2[.]example.net/ .
--b1
Content-Type: application/octet-stream; name="headers.txt"
Content-Disposition: attachment; filename="headers.txt"
Content-Transfer-Encoding: base64

UmVjZWl2ZWQ6IGZyb20gZXZpbA==
--b1--
EOF
out=$(intake <"$WORK/report.eml" 2>&1); rc=$?
eq "a constituent's report taken" "$rc" 0
REF=$(echo "$out" | sed -n 's/.*opened \([A-Z]*-[0-9]*-[0-9]*\).*/\1/p')
has "...a case opened" "$REF" "CIRT-"
eq "...reported by the sender's organisation (its domain in the constituency)" \
	"$(q "SELECT reporter_org FROM cases WHERE ref = '$REF'")" "$BANK"
eq "...the attachment as evidence, SHA-256 from the first byte" \
	"$(q "SELECT e.sha256 FROM evidence e JOIN custody c ON c.evidence_id = e.id WHERE e.name = 'headers.txt' AND c.action = 'acquired'")" \
	"$(printf 'Received: from evil' | sha256sum | cut -d' ' -f1)"
wait_mails ana@bank2.example 1
ACK=$(mails ana@bank2.example | head -1)
eq "...acknowledged by e-mail, reference and TLP in the subject" "$(hdr "$ACK" Subject)" \
	"[$REF] [TLP:AMBER] Report received: Phishing site imitating our login page"
eq "...threaded under the report" "$(hdr "$ACK" In-Reply-To)" "<report-1@bank2.example>"
eq "...marked automatic (no loop with an autoresponder)" "$(hdr "$ACK" Auto-Submitted)" "auto-replied"

# ---- the reporter's reply joins the case ----
cat >"$WORK/reply.eml" <<EOF
From: ana@bank2.example
To: cirt@hub.example
Subject: Re: [$REF] [TLP:AMBER] Report received
Message-ID: <report-2@bank2.example>
In-Reply-To: <c5hub.$REF.ack@hub.example>

The site moved to 192.0.2.77.
EOF
cases=$(q "SELECT count(*) FROM cases")
out=$(intake <"$WORK/reply.eml" 2>&1)
has "a reply naming the case joins it" "$out" "joined $REF"
eq "...no new case" "$(q "SELECT count(*) FROM cases")" "$cases"
has "...in the timeline as the reporter's reply" "$("$C5" case show "$REF")" "The site moved to 192.0.2.77."
sleep 0.5
eq "...and no second acknowledgement" "$(mails ana@bank2.example | wc -l)" 1
# a reply whose subject lost the reference: In-Reply-To names the case
printf 'From: ana@bank2.example\nSubject: more logs\nMessage-ID: <report-3@bank2.example>\nIn-Reply-To: <c5hub.%s.ack@hub.example>\n\nHere are more logs.\n' "$REF" >"$WORK/noref.eml"
has "a reply with no reference in its subject joins by In-Reply-To" "$(intake <"$WORK/noref.eml" 2>&1)" "joined $REF"
# a reply naming a case of another organisation opens a new case instead
sed -e 's/ana@bank2.example/abuse@isp1.example/' -e 's/report-2@/isp-1@/' "$WORK/reply.eml" >"$WORK/foreign.eml"
has "a case reference of another organisation does not join it" "$(intake <"$WORK/foreign.eml" 2>&1)" "opened"

# ---- the hub answers: the outbox by e-mail, threaded ----
check "a comment to the reporter" "$C5" case comment "$REF" "Please block 192.0.2.77 at your proxy." --to-reporter
"$C5" case comment "$REF" "internal: looks like kit X" >/dev/null
has "intake send mails the reporter entries" "$("$C5" intake send --smtp "$SMTP")" "1 sent"
wait_mails ana@bank2.example 2
ADV=$(for f in $(mails ana@bank2.example); do grep -l "c5hub\.$REF\.[0-9]" "$f"; done | head -1)
has "...advice template, reference and TLP in the subject" "$(hdr "$ADV" Subject)" "[$REF] [TLP:AMBER]"
eq "...In-Reply-To the reporter's latest message" "$(hdr "$ADV" In-Reply-To)" "<report-3@bank2.example>"
has "...References from the first" "$(hdr "$ADV" References)" "<report-1@bank2.example>"
b=$(bodyof "$ADV")
has "...the comment in the body" "$b" "Please block 192.0.2.77 at your proxy."
case "$b" in *"kit X"*) fail "...never an internal note" ;; *) pass "...never an internal note" ;; esac
has "sent once (marked)" "$("$C5" intake send --smtp "$SMTP")" "0 sent"

# ---- a request for information while the case waits; the closure ----
"$C5" case status "$REF" triage >/dev/null
"$C5" case wait "$REF" on >/dev/null
"$C5" case comment "$REF" "Which of your users clicked the link?" --to-reporter >/dev/null
"$C5" intake send --smtp "$SMTP" >/dev/null
wait_mails ana@bank2.example 3
RFI=$(grep -l "users clicked" $(mails ana@bank2.example) | head -1)
has "a comment while the case waits: the request-for-information template" "$(hdr "$RFI" Subject)" \
	"[$REF] [TLP:AMBER] Request for information"
eq "...a step of the lifecycle is not mailed" "$(mails ana@bank2.example | wc -l)" 3
"$C5" case status "$REF" closed --resolution "The phishing site was taken down." >/dev/null
"$C5" intake send --smtp "$SMTP" >/dev/null
wait_mails ana@bank2.example 4
CLO=$(grep -l "taken down" $(mails ana@bank2.example) | head -1)
has "closing the case: the closure template" "$(hdr "$CLO" Subject)" "[$REF] [TLP:AMBER] Case closed"
has "...with the resolution" "$(bodyof "$CLO")" "The phishing site was taken down."
"$C5" case status "$REF" triage >/dev/null # reopened for what follows

# ---- French: the reporter's language ----
printf 'From: soc@isp1.example\nSubject: Serveur compromis\nContent-Language: fr\nMessage-ID: <fr-1@isp1.example>\n\nBonjour, notre serveur est compromis.\n' >"$WORK/fr.eml"
intake <"$WORK/fr.eml" 2>/dev/null
wait_mails soc@isp1.example 1
has "acknowledged in French" "$(hdr "$(mails soc@isp1.example | head -1)" Subject)" "Signalement reçu : Serveur compromis"

# ---- automatic mail is taken in, never answered ----
printf 'From: ana@bank2.example\nSubject: Out of office\nAuto-Submitted: auto-replied\nMessage-ID: <ooo-1@bank2.example>\n\nI am away.\n' >"$WORK/ooo.eml"
printf 'From: ana@bank2.example\nSubject: Vacation\nX-Autoreply: yes\nMessage-ID: <ooo-2@bank2.example>\n\nAway.\n' >"$WORK/ooo2.eml"
before=$(mails ana@bank2.example | wc -l)
o1=$(intake <"$WORK/ooo.eml" 2>&1); o2=$(intake <"$WORK/ooo2.eml" 2>&1)
has "an auto-reply is taken in" "$o1" "no answer: Auto-Submitted"
has "...X-Autoreply too" "$o2" "no answer: an auto-reply field"
sleep 1
eq "...and never answered" "$(mails ana@bank2.example | wc -l)" "$before"

# ---- the size limit ----
cases=$(q "SELECT count(*) FROM cases")
{ printf 'From: ana@bank2.example\nSubject: big\n\n'; head -c 6000 /dev/zero | tr '\0' 'x'; } >"$WORK/big.eml"
out=$(intake --max-size 5000 <"$WORK/big.eml" 2>/dev/null); rc=$?
eq "over the size limit: EX_DATAERR (the MTA bounces)" "$rc" 65
has "...with a clear answer for the sender" "$out" "over this gateway's limit of 5000 bytes"
eq "...and nothing stored" "$(q "SELECT count(*) FROM cases")" "$cases"

# ---- taken once; a busy store is a retry, never a loss ----
intake <"$WORK/report.eml" 2>/dev/null
eq "the same message handed over again: taken once" "$(q "SELECT count(*) FROM cases")" "$cases"
printf 'From: ana@bank2.example\nSubject: busy test\nMessage-ID: <busy@bank2.example>\n\nbody\n' >"$WORK/busy.eml"
python3 -c 'import sqlite3,sys,time; c=sqlite3.connect(sys.argv[1], isolation_level=None); c.execute("BEGIN EXCLUSIVE"); open(sys.argv[2],"w").close(); time.sleep(30)' \
	"$C5HUB_DB" "$WORK/locked" &
LOCKER=$!
PIDS+=("$LOCKER")
for _ in $(seq 1 100); do [ -e "$WORK/locked" ] && break; sleep 0.05; done
intake <"$WORK/busy.eml" >/dev/null 2>&1; rc=$?
kill -9 "$LOCKER" 2>/dev/null; wait "$LOCKER" 2>/dev/null
eq "a busy store: EX_TEMPFAIL, the MTA keeps the message" "$rc" 75
intake <"$WORK/busy.eml" 2>/dev/null
eq "...and the retry takes it" "$(q "SELECT count(*) FROM cases WHERE title = 'busy test'")" 1

# ---- kill -9 during intake: all or nothing ----
python3 - "$WORK/heavy.eml" <<'EOF'
import base64, os, sys
with open(sys.argv[1], "w") as f:
    f.write("From: ana@bank2.example\nSubject: heavy\nMessage-ID: <heavy@bank2.example>\n"
            "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=h\n\n--h\n\nmany files\n")
    for i in range(400):
        f.write("--h\nContent-Type: application/octet-stream\n"
                "Content-Disposition: attachment; filename=\"f%d.bin\"\nContent-Transfer-Encoding: base64\n\n" % i)
        f.write(base64.encodebytes(os.urandom(30000)).decode())
    f.write("--h--\n")
EOF
half=0
for delay in 0.05 0.15 0.3; do
	intake <"$WORK/heavy.eml" >/dev/null 2>&1 &
	p=$!
	sleep "$delay"
	kill -9 "$p" 2>/dev/null; wait "$p" 2>/dev/null
	c=$(q "SELECT count(*) FROM cases WHERE title = 'heavy'")
	e=$(q "SELECT count(*) FROM evidence WHERE incident LIKE 'mail:%' AND id NOT IN (SELECT CAST(target AS INTEGER) FROM case_links WHERE kind = 'evidence')")
	[ "$e" = 0 ] || half=1
	[ "$c" -le 1 ] || half=1
done
eq "kill -9 mid-intake: no evidence without its case, never two cases" "$half" 0
eq "...the store intact" "$(q "PRAGMA integrity_check")" ok
intake <"$WORK/heavy.eml" 2>/dev/null
eq "...the MTA's retry: the message once, all 401 files" \
	"$(q "SELECT count(*) FROM cases WHERE title = 'heavy'") $(q "SELECT count(*) FROM evidence WHERE incident = (SELECT incident FROM evidence WHERE name = 'f399.bin')")" "1 401"

# ---- the server sends them too (its sender thread, each second) ----
start_server --smtp "$SMTP"
before=$(mails ana@bank2.example | wc -l)
"$C5" case comment "$REF" "The site is down now; please confirm." --to-reporter >/dev/null
wait_mails ana@bank2.example $((before + 1))
eq "serve --smtp mails a comment to the reporter within seconds" "$(mails ana@bank2.example | wc -l)" $((before + 1))
has "...its case in the subject" "$(hdr "$(grep -l "please confirm" $(mails ana@bank2.example) | head -1)" Subject)" "[$REF]"
stop_server
