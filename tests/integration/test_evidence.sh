#!/usr/bin/env bash
# test_evidence.sh — evidence files attached to incidents: kept whole with
# their SHA-256 (as sha256sum computes it), given out only when the bytes
# still match, every step in a hash-chained custody record (and the audit
# log); an altered, removed or reordered record, or altered bytes, are found
# and named (the SQLite file edited by hand, as an attacker would).
. "$(dirname "$0")/lib.sh"
plan 24

"$C5" init >/dev/null
"$C5" org add "Bank A" --type private-sector --country ZZ >/dev/null
cat >"$WORK/inc.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<IODEF-Document version="2.00" xml:lang="en" xmlns="urn:ietf:params:xml:ns:iodef-2.0">
  <Incident purpose="mitigation" restriction="amber">
    <IncidentID name="cirt.example">2026-0099</IncidentID>
    <GenerationTime>2026-11-20T10:05:00Z</GenerationTime>
    <Contact role="creator" type="organization"><ContactName>CIRT Example</ContactName></Contact>
  </Incident>
</IODEF-Document>
XML
"$C5" ingest --format iodef "$WORK/inc.xml" >/dev/null
INC=$(sqlite3 "$C5HUB_DB" "SELECT id FROM stix_objects WHERE type = 'incident'")
head -c 300000 /dev/urandom >"$WORK/capture.pcap"
SUM=$(sha256sum "$WORK/capture.pcap" | cut -d' ' -f1)

out=$("$C5" evidence add "$INC" "$WORK/capture.pcap" --org "Bank A" --note "from the bank's sensor"); rc=$?
eq "a file is attached to an incident" "$rc" 0
has "with the SHA-256 sha256sum gives" "$out" "sha256 $SUM"
ID=$(echo "$out" | sed -n 's/^evidence \([0-9]*\):.*/\1/p')
n=$(sqlite3 "$C5HUB_DB" "SELECT count(*) FROM evidence")
out=$("$C5" evidence add incident--00000000-0000-4000-8000-000000000000 "$WORK/capture.pcap" 2>&1); rc=$?
eq "not to an incident the hub does not hold" "$rc" 2
has "saying so" "$out" "no incident"
out=$("$C5" evidence add "$INC" "$WORK/missing.bin" 2>&1); has "a missing file is named" "$out" "missing.bin"
eq "and neither wrote anything" "$(sqlite3 "$C5HUB_DB" "SELECT count(*) FROM evidence")" "$n"
has "evidence list shows it" "$("$C5" evidence list "$INC")" "$SUM"

out=$("$C5" evidence get "$ID" --out "$WORK/copy.pcap" --reason "sent to the prosecutor"); rc=$?
eq "it is given out" "$rc" 0
check "byte for byte" cmp "$WORK/capture.pcap" "$WORK/copy.pcap"
out=$("$C5" evidence get "$ID" --out "$WORK/copy.pcap" 2>&1); rc=$?
eq "an existing file is never overwritten" "$rc" 2
out=$("$C5" evidence custody "$ID"); rc=$?
eq "the custody chain verifies" "$rc" 0
has "acquired, with the note" "$out" "acquired   cli"
has "exported, where and why" "$out" "sent to the prosecutor"
has "and says so" "$out" "ok: 2 custody records chained"
a=$("$C5" audit list)
has "the audit log has both steps" "$a" "evidence.acquired"
has "(exported too)" "$a" "evidence.exported"

# --- tampering, by hand in the database
DB=$C5HUB_DB
cp "$DB" "$WORK/keep.db"
sqlite3 "$DB" "UPDATE custody SET actor = 'someone else' WHERE seq = (SELECT min(seq) FROM custody)"
out=$("$C5" evidence custody "$ID"); rc=$?
eq "an altered record breaks the chain" "$rc" 1
has "and is named" "$out" "was altered"
cp "$WORK/keep.db" "$DB"; rm -f "$DB-wal" "$DB-shm"
"$C5" evidence get "$ID" --out "$WORK/copy2.pcap" --reason "a second copy" >/dev/null
sqlite3 "$DB" "DELETE FROM custody WHERE seq = (SELECT min(seq) + 1 FROM custody)"
out=$("$C5" evidence custody "$ID"); rc=$?
eq "a removed record breaks the chain" "$rc" 1
has "the next one is named" "$out" "does not follow the one before it"
cp "$WORK/keep.db" "$DB"; rm -f "$DB-wal" "$DB-shm"
sqlite3 "$DB" "UPDATE evidence SET data = zeroblob(300000) WHERE id = $ID"
out=$("$C5" evidence custody "$ID"); rc=$?
eq "altered bytes are found" "$rc" 1
has "and said" "$out" "bytes do not match"
out=$("$C5" evidence get "$ID" --out "$WORK/bad.pcap" 2>&1); rc=$?
eq "and are not given out" "$rc" 2
check "nothing was written" test ! -e "$WORK/bad.pcap"
