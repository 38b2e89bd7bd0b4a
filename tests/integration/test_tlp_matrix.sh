#!/usr/bin/env bash
# test_tlp_matrix.sh — the TLP 2.0 matrix, cell by cell: every kind of
# principal (the giver, a named recipient, another member in each role, a
# peer hub named as recipient, the hub's own team, nobody) x every level x
# every path out (the indicator list under each filter, one indicator, the
# look-ups and reputation, one value and batches, TAXII objects, manifest,
# one object and its versions, the STIX, MISP and IODEF exports, block lists,
# DNS, warnings, the live stream and deliveries).  The expected answer of
# each cell comes from TLP 2.0's own table (tlp_matrix.py), not from c5hub's
# code: CLEAR and GREEN, every member; AMBER, AMBER+STRICT and RED, the giver,
# the named recipients and the hub's team; RED never to a peer hub; nothing
# without a credential; DNS and block lists only what is published.
. "$(dirname "$0")/lib.sh"
plan 2596

"$C5" init >/dev/null
for o in "Bank A:private-sector" "Ministry B:government" "Other C:civil-society" "Hub P:international"; do
	"$C5" org add "${o%%:*}" --type "${o#*:}" --country ZZ >/dev/null
done
COL=$("$C5" taxii collection add m --read all --write all)
python3 - >"$WORK/levels.json" <<'PY'
import datetime, json
now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")
marks = ["94868c89-83c2-464b-929b-a1a8aa3c8487", "bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
         "55d920b0-5e8b-4f79-9ee9-91f868d9b421", "939a9414-2ddd-4d32-a0cd-375ea402b003",
         "e828b379-4e03-4974-9ac4-e53a884c97c1"]
objs = [{"type": "indicator", "spec_version": "2.1", "id": "indicator--%08d-0000-4000-8000-000000000000" % i,
         "created": now, "modified": now, "name": "192.0.2.%d" % (10 + i), "valid_from": now, "confidence": 90,
         "pattern": "[ipv4-addr:value = '192.0.2.%d']" % (10 + i), "pattern_type": "stix",
         "indicator_types": ["malicious-activity"],
         "object_marking_refs": ["marking-definition--" + m]} for i, m in enumerate(marks)]
print(json.dumps({"type": "bundle", "id": "bundle--00000000-0000-4000-8000-000000000009", "objects": objs}))
PY
"$C5" ingest --format stix --org "Bank A" --share "Ministry B,Hub P" --collection m "$WORK/levels.json" >/dev/null
tok() { "$C5" token create --org "$1" --role "$2" 2>/dev/null; }
export T_A=$(tok "Bank A" analyst) T_B=$(tok "Ministry B" reader) T_CR=$(tok "Other C" reader) \
	T_CC=$(tok "Other C" contributor) T_CA=$(tok "Other C" analyst) T_CD=$(tok "Other C" admin) \
	T_P=$(tok "Hub P" peer) T_H=$(tok hub admin) T_BA=$(tok "Ministry B" analyst)
for o in "Ministry B" "Other C" "Hub P"; do
	"$C5" notify set "$o" --contact-247 "soc@$(echo "$o" | tr -d ' ' | tr A-Z a-z).example" >/dev/null
done
start_server --dns 127.0.0.1:0 --ip-zone ip.test
export BASE DP C5 COL C5HUB_DB WORK
python3 "$(dirname "$0")/../tools/tlp_matrix.py" >"$WORK/cells" 2>&1
rc=$?
while IFS= read -r l; do # each cell counts as one of this script's checks
	case $l in "ok - "*) pass "${l#ok - }" ;; "not ok - "*) fail "${l#not ok - }" ;; *) echo "$l" ;; esac
done <"$WORK/cells"
eq "the matrix ran to its end" "$rc" 0
stop_server
