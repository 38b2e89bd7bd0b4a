#!/usr/bin/env bash
# test_misp.sh — MISP feeds in and out: the fixture feed imports; loose real
# world typing (strings for booleans and numbers, composite types, MISP
# objects, deleted attributes, attribute tags) maps to indicators with their
# TLP; bad feeds are refused naming the file and change nothing; an export is
# a MISP feed (manifest.json, events, hashes.csv) of exactly what --org may
# see, never RED, with stable uuids, that a second hub imports.
. "$(dirname "$0")/lib.sh"
plan 37

T=${TESTDATA:-$(cd "$(dirname "$0")/../../../shared/testdata" && pwd)}
objs() { sqlite3 "$C5HUB_DB" "SELECT count(*) FROM stix_objects"; }
"$C5" init >/dev/null
"$C5" org add "Bank A" --type private-sector --country ZZ >/dev/null
"$C5" org add "Other C" --type civil-society --country ZZ >/dev/null

out=$("$C5" ingest --format misp "$T/misp-feed/misp"); rc=$?
eq "the fixture feed imports" "$rc" 0
has "one event, one attribute (a link: not for detection)" "$out" "1 events, 1 attributes, 0 for detection"
eq "the event is kept as a report with its TLP (tlp:white is CLEAR)" \
	"$(sqlite3 "$C5HUB_DB" "SELECT tlp, json_extract(json, '\$.name') FROM stix_objects WHERE type = 'report'")" \
	"0|OSINT - Hunting for Malware with Machine Learning"
eq "the link is kept with the event" \
	"$(sqlite3 "$C5HUB_DB" "SELECT json_extract(json, '\$.x_misp_attributes[0].type') FROM stix_objects WHERE type = 'report'")" link
eq "the event's analysis (a string in real feeds) is kept as given" \
	"$(sqlite3 "$C5HUB_DB" "SELECT json_extract(json, '\$.x_misp_event.analysis') FROM stix_objects WHERE type = 'report'")" 2
eq "the creator (Orgc) is an identity" \
	"$(sqlite3 "$C5HUB_DB" "SELECT json_extract(json, '\$.name') FROM stix_objects WHERE type = 'identity'")" CIRCL

# --- a feed as real feeds are: loose typing
F=$WORK/feed; mkdir -p "$F"
E1=5a3c2b1e-1111-4f00-9a00-000000000001
cat >"$F/$E1.json" <<JSON
{"Event": {"uuid": "$E1", "info": "Loose typing", "date": "2026-11-01", "timestamp": 1793500000,
  "analysis": 1, "threat_level_id": "2", "published": "1",
  "Orgc": {"name": "Peer CERT", "uuid": "5a3c2b1e-2222-4f00-9a00-000000000002"},
  "Tag": [{"name": "tlp:green"}, {"name": "type:OSINT"}],
  "Attribute": [
    {"type": "ip-dst", "value": "203.0.113.7", "to_ids": true, "uuid": "5a3c2b1e-3333-4f00-9a00-000000000001", "timestamp": "1793500000", "category": "Network activity"},
    {"type": "ip-dst|port", "value": "203.0.113.8|443", "to_ids": "1", "timestamp": 1793500000},
    {"type": "domain|ip", "value": "evil.example.net|203.0.113.9", "to_ids": 1},
    {"type": "filename|sha256", "value": "a.exe|e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "to_ids": "True"},
    {"type": "url", "value": "http://phish.example.org/login", "to_ids": true, "Tag": [{"name": "tlp:red"}]},
    {"type": "ip-src", "value": "203.0.113.10", "to_ids": "0"},
    {"type": "ip-dst", "value": "203.0.113.11", "to_ids": true, "deleted": "1"},
    {"type": "AS", "value": 64500, "to_ids": true},
    {"type": "text", "value": "free text", "to_ids": false}
  ],
  "Object": [{"name": "domain-ip", "Attribute": [{"type": "domain", "value": "obj.example.com", "to_ids": true}]}]}}
JSON
echo "{\"$E1\": {\"info\": \"Loose typing\"}}" >"$F/manifest.json"
out=$("$C5" ingest --format misp --org "Bank A" "$F"); rc=$?
eq "a loosely typed feed imports" "$rc" 0
has "deleted attributes left out; 7 for detection (the objects' too)" "$out" "1 events, 9 attributes, 7 for detection"
out=$("$C5" lookup 203.0.113.8); has "ip|port gives the address" "$out" "203.0.113.8"
has "with the feed's source" "$out" "source=misp"
check "domain|ip gives the domain" "$C5" lookup evil.example.net
check "filename|sha256 gives the hash" "$C5" lookup e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
check "a MISP object's attribute counts" "$C5" lookup obj.example.com
"$C5" lookup 203.0.113.10 >/dev/null; eq "to_ids \"0\" is not for detection" "$?" 1
"$C5" lookup 203.0.113.11 >/dev/null; eq "a deleted attribute is not" "$?" 1
eq "the event's tlp:green is on its indicators, an attribute's tlp:red wins for it" \
	"$(sqlite3 "$C5HUB_DB" "SELECT tlp, count(*), group_concat(value) FROM indicators WHERE source = 'misp' GROUP BY tlp")" \
	"1|6|$(sqlite3 "$C5HUB_DB" "SELECT group_concat(value) FROM indicators WHERE source = 'misp' AND tlp = 1")
4|1|http://phish.example.org/login"
eq "a numeric analysis is kept as its text" \
	"$(sqlite3 "$C5HUB_DB" "SELECT json_extract(json, '\$.x_misp_event.analysis') FROM stix_objects WHERE type = 'report' AND json_extract(json, '\$.name') = 'Loose typing'")" 1
eq "the attribute's uuid is the indicator's id" \
	"$(sqlite3 "$C5HUB_DB" "SELECT count(*) FROM stix_objects WHERE id = 'indicator--5a3c2b1e-3333-4f00-9a00-000000000001'")" 1
out=$("$C5" ingest --format misp --org "Bank A" "$F")
has "importing again adds nothing" "$out" "0 objects (9 already here)"

# --- bad feeds: named, nothing written
n=$(objs)
B=$WORK/bad; mkdir -p "$B"
cp "$F/$E1.json" "$B/"
echo '{"../../etc/passwd": {}}' >"$B/manifest.json"
out=$("$C5" ingest --format misp "$B" 2>&1); has "a manifest key that is not a UUID is refused" "$out" "is not an event UUID"
E2=5a3c2b1e-1111-4f00-9a00-000000000002
printf '{"Event": {"uuid": "%s", "info": "x",\n "Attribute": [{"type": "ip-dst", "value": \n' "$E2" >"$B/$E2.json"
echo "{\"$E1\": {}, \"$E2\": {}}" >"$B/manifest.json"
out=$("$C5" ingest --format misp "$B" 2>&1); has "broken JSON is named with its file and line" "$out" "$E2.json:3:"
printf '{"Event": {"uuid": "%s", "Attribute": [{"type": "ip-dst", "to_ids": true}]}}' "$E2" >"$B/$E2.json"
out=$("$C5" ingest --format misp "$B" 2>&1); has "an attribute without a value is named" "$out" "$E2.json: attribute 0: 'value' missing"
printf '{"Event": {"uuid": "not-a-uuid"}}' >"$B/$E2.json"
out=$("$C5" ingest --format misp "$B" 2>&1); has "an event uuid that is not one is named" "$out" "Event.uuid: not a UUID"
eq "and none of those wrote anything" "$(objs)" "$n"

# --- export: a MISP feed of what an organisation may see
printf '198.51.100.1\n198.51.100.2\n' | "$C5" ingest --source hub-green --tlp green - >/dev/null
printf '198.51.100.3\n' | "$C5" ingest --source bank-amber --org "Bank A" --tlp amber - >/dev/null
printf '198.51.100.4\n' | "$C5" ingest --source bank-red --org "Bank A" --tlp red - >/dev/null
"$C5" export --format misp --org "Bank A" --out "$WORK/outA" 2>/dev/null; rc=$?
eq "export writes a feed" "$rc" 0
"$C5" export --format misp --org "Other C" --out "$WORK/outC" 2>/dev/null
python3 - "$WORK/outA" "$WORK/outC" >"$WORK/check.txt" <<'PY'
import csv, hashlib, json, os, sys
for d in sys.argv[1:]:
    man = json.load(open(os.path.join(d, "manifest.json")))
    values, ok = [], True
    hashes = {tuple(r) for r in csv.reader(open(os.path.join(d, "hashes.csv")))}
    for uuid, head in man.items():
        ev = json.load(open(os.path.join(d, uuid + ".json")))["Event"]
        ok &= ev["uuid"] == uuid and head["info"] == ev["info"] and head["timestamp"] == ev["timestamp"]
        ok &= all(k in head for k in ("Orgc", "Tag", "info", "date", "analysis", "threat_level_id", "timestamp"))
        ok &= len([t for t in ev["Tag"] if t["name"].startswith("tlp:")]) == 1
        for a in ev["Attribute"]:
            ok &= all(k in a for k in ("uuid", "type", "category", "value", "to_ids", "timestamp"))
            ok &= (hashlib.md5(a["value"].encode()).hexdigest(), uuid) in hashes
            values.append(a["value"] + "=" + [t["name"] for t in ev["Tag"]][0])
    print(os.path.basename(d), "ok" if ok else "BAD", " ".join(sorted(v for v in values if v.startswith("198.51.100."))),
          sum(1 for _ in open(os.path.join(d, "hashes.csv"))))
PY
has "Bank A's feed is well formed: manifest, events, hashes.csv" "$(sed -n 1p "$WORK/check.txt")" "outA ok"
has "Bank A gets GREEN and its own AMBER, never RED" "$(sed -n 1p "$WORK/check.txt")" \
	"198.51.100.1=tlp:green 198.51.100.2=tlp:green 198.51.100.3=tlp:amber "
has "Other C gets only GREEN" "$(sed -n 2p "$WORK/check.txt")" "outC ok 198.51.100.1=tlp:green 198.51.100.2=tlp:green "
u1=$(cd "$WORK/outA" && ls | grep -v manifest | sort | md5sum)
"$C5" export --format misp --org "Bank A" --out "$WORK/outA2" 2>/dev/null
eq "uuids are stable from one export to the next" "$(cd "$WORK/outA2" && ls | grep -v manifest | sort | md5sum)" "$u1"
# a second hub subscribes
export C5HUB_DB=$WORK/second.db
"$C5" init >/dev/null
out=$("$C5" ingest --format misp "$WORK/outA"); rc=$?
eq "a second hub imports the exported feed" "$rc" 0
out=$("$C5" lookup 198.51.100.3); has "with the AMBER value" "$out" "198.51.100.3"
eq "which keeps its TLP" "$(sqlite3 "$C5HUB_DB" "SELECT tlp FROM indicators WHERE value = '198.51.100.3'")" 2
"$C5" lookup 198.51.100.4 >/dev/null; eq "and never the RED one" "$?" 1

# --- the classification travels as the RSIT machine tag; AS values as MISP keeps them
export C5HUB_DB=$WORK/third.db
"$C5" init >/dev/null
"$C5" org add "Bank A" --type private-sector --country ZZ >/dev/null
printf '198.51.100.20\n' | "$C5" ingest --source c2 --tlp green --classification malicious-code/c2-server - >/dev/null
printf 'AS64496\n' | "$C5" ingest --source asn --tlp green --classification fraud/phishing - >/dev/null
"$C5" export --format misp --org "Bank A" --out "$WORK/outR" 2>/dev/null
out=$(python3 - "$WORK/outR" <<'PY'
import csv, hashlib, json, os, sys
d = sys.argv[1]
hashes = {r[0] for r in csv.reader(open(os.path.join(d, "hashes.csv")))}
for uuid in json.load(open(os.path.join(d, "manifest.json"))):
    for a in json.load(open(os.path.join(d, uuid + ".json")))["Event"]["Attribute"]:
        print(a["value"], [t["name"] for t in a.get("Tag", [])], hashlib.md5(a["value"].encode()).hexdigest() in hashes)
PY
)
has "the export tags the attribute with its RSIT class and type" "$out" "198.51.100.20 ['rsit:malicious-code=\"c2-server\"'] True"
has "an AS is written and hashed by its number, as MISP stores it" "$out" "64496 ['rsit:fraud=\"phishing\"'] True"
export C5HUB_DB=$WORK/fourth.db
"$C5" init >/dev/null
"$C5" ingest --format misp "$WORK/outR" >/dev/null
eq "the other hub reads the classification back" \
	"$(sqlite3 "$C5HUB_DB" "SELECT value, classification FROM indicators ORDER BY value")" \
	"198.51.100.20|malicious-code/c2-server
AS64496|fraud/phishing"
E3=5a3c2b1e-1111-4f00-9a00-000000000003
cat >"$WORK/ev3.json" <<JSON
{"Event": {"uuid": "$E3", "info": "tags", "Tag": [{"name": "rsit:fraud=\\"phishing\\""}],
  "Attribute": [{"type": "domain", "value": "phish.example.net", "to_ids": true},
    {"type": "domain", "value": "c2.example.net", "to_ids": true, "Tag": [{"name": "rsit:malicious-code=\\"c2-server\\""}]},
    {"type": "domain", "value": "odd.example.net", "to_ids": true, "Tag": [{"name": "rsit:malicious-code=\\"no-such-type\\""}]}]}}
JSON
"$C5" ingest --format misp "$WORK/ev3.json" >/dev/null
eq "an event's RSIT tag classifies its attributes, an attribute's own tag wins, an unknown pair is ignored" \
	"$(sqlite3 "$C5HUB_DB" "SELECT value, classification FROM indicators WHERE value LIKE '%.example.net' ORDER BY value")" \
	"c2.example.net|malicious-code/c2-server
odd.example.net|fraud/phishing
phish.example.net|fraud/phishing"
