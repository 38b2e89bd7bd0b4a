#!/usr/bin/env bash
# test_index_image.sh — the index image (DB.idx) is used only when it is this
# store's, at a sequence the store's change log covers, whole and intact: an
# image from another store, one newer than the store (a restored copy), one
# older than the change log keeps, a truncated one and one with a flipped byte
# are each refused (the log says why) and the server answers exactly what the
# store holds; a good image is used (the log says so), caught up with the
# changes made after it was written, and followed by changes made later.
. "$(dirname "$0")/lib.sh"
plan 30

DB=$C5HUB_DB
IMG=$DB.idx
"$C5" init >/dev/null
ADMIN=$("$C5" token create --role admin 2>/dev/null)
python3 - "$WORK" <<'PY'
import hashlib, sys
w = sys.argv[1]
def put(name, vals):
    open("%s/%s" % (w, name), "w").write("".join(v + "\n" for v in vals))
put("v.txt", ["198.18.%d.%d" % (i // 200, i % 200) for i in range(120)] +
    ["host%d.img-test.example" % i for i in range(40)] +
    ["http://h%d.img-test.example/p/%d.exe" % (i, i) for i in range(20)] +
    [hashlib.sha256(b"%d" % i).hexdigest() for i in range(20)] + ["198.19.0.0/16", "198.19.7.0/24"])
put("upd.txt", ["198.18.0.%d" % i for i in range(10)] + ["host3.img-test.example"])
for k in range(1, 5):
    put("new%d.txt" % k, ["203.0.%d.%d" % (k, i) for i in range(10)] + ["n%d.img-test.example" % k])
PY
"$C5" ingest --tlp green --source img "$WORK/v.txt" >/dev/null

# same_as_store: every value of the store and a few absent ones, looked up
# in one batch; each exact match (id, confidence) must be the store's rows
cat >"$WORK/cmp.py" <<'PY'
import json, sqlite3, sys, urllib.request
base, tok, db = sys.argv[1:4]
con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
store = {}
for i, v, c in con.execute("SELECT id, value, confidence FROM indicators"):
    store.setdefault(v, set()).add((i, c))
vals = sorted(store) + ["192.0.2.77", "absent.img-test.example", "http://absent.test/x"]
got = {}
for k in range(0, len(vals), 100):
    req = urllib.request.Request(base + "/api/v1/lookup", json.dumps({"values": vals[k:k + 100]}).encode(),
                                 {"Authorization": "Bearer " + tok, "Content-Type": "application/json"})
    for v, r in zip(vals[k:k + 100], json.load(urllib.request.urlopen(req))["results"]):
        got[v] = {(m["id"], m["confidence"]) for m in r.get("matches", []) if m["match"] == "exact"}
bad = [v for v in vals if got.get(v, set()) != store.get(v, set())]
print("same" if not bad else "differ on %d of %d, first %s: index %s, store %s" %
      (len(bad), len(vals), bad[0], sorted(got.get(bad[0], ())), sorted(store.get(bad[0], ()))))
PY
same_as_store() { python3 "$WORK/cmp.py" "$BASE" "$ADMIN" "$DB"; }
# wait_log TEXT: until the server's log says it (10 s at most)
wait_log() {
	for _ in $(seq 1 200); do grep -q "$1" "$WORK/serve.log" && return 0; sleep 0.05; done
	return 1
}
log_from() { python3 -c "import sqlite3,sys; r=sqlite3.connect(sys.argv[1]).execute(\"SELECT value FROM meta WHERE key='setting.index_log_from'\").fetchone(); print(r[0] if r else 0)" "$DB"; }
img_seq() { od -An -t d8 -j 96 -N 8 "$1" | tr -d ' '; } # the header's seq field

# --- first start: built from the store, the image written beside it
start_server
check "a first start writes the image" wait_log "index image $IMG written"
check "the image file is there" test -s "$IMG"
eq "no image used on a first start" "$(grep -c 'index image .* used' "$WORK/serve.log")" 0
eq "look-ups are the store's" "$(same_as_store)" same
stop_server

# --- a good image, with changes made after it: used, then caught up
"$C5" ingest --tlp green --source img2 "$WORK/new1.txt" >/dev/null
"$C5" ingest --tlp green --source img --confidence 90 "$WORK/upd.txt" >/dev/null
start_server
has "the good image is used" "$(cat "$WORK/serve.log")" "index image $IMG used"
eq "caught up with inserts and updates made after it" "$(same_as_store)" same
r=$(api "$ADMIN" GET "/api/v1/lookup?value=198.18.0.3")
has "an update made after the image shows" "$r" '"confidence":90'
ID=$(echo "${r#* }" | json 'd["matches"][0]["id"]')
r=$(api "$ADMIN" DELETE "/api/v1/indicators/$ID"); eq "a delete on a mapped base" "${r%% *}" 200
"$C5" ingest --tlp green --source img3 "$WORK/new2.txt" >/dev/null
ok=0
for _ in $(seq 1 40); do
	r=$(api "$ADMIN" GET "/api/v1/lookup?value=203.0.2.5")
	case "$r" in *'"listed":true'*) ok=1; break ;; esac
	sleep 0.05
done
eq "new data from the CLI in the index within 2 s" "$ok" 1
eq "after live changes, look-ups are the store's" "$(same_as_store)" same
stop_server
start_server
has "the image is used again" "$(cat "$WORK/serve.log")" "index image $IMG used"
eq "caught up with the delete too" "$(same_as_store)" same
stop_server

# --- an image from another store
OTHER=$WORK/other.db
"$C5" --db "$OTHER" init >/dev/null
"$C5" --db "$OTHER" ingest --tlp green --source other "$WORK/new3.txt" >/dev/null
C5HUB_DB=$OTHER start_server
check "the other store writes its image" wait_log "index image $OTHER.idx written"
stop_server
cp "$OTHER.idx" "$IMG"
start_server
has "an image of another store is refused" "$(cat "$WORK/serve.log")" "not used: made from another store"
eq "refused: look-ups are the store's" "$(same_as_store)" same
check "a fresh image replaces it" wait_log "index image $IMG written"
stop_server

# --- an image newer than the store (the store restored from a copy)
python3 -c "import sqlite3,sys; sqlite3.connect(sys.argv[1]).backup(sqlite3.connect(sys.argv[2]))" "$DB" "$WORK/copy.db"
"$C5" ingest --tlp green --source img4 "$WORK/new3.txt" >/dev/null
rm -f "$IMG"
start_server
check "a rebuilt image after more changes" wait_log "index image $IMG written"
stop_server
rm -f "$DB" "$DB-wal" "$DB-shm"
cp "$WORK/copy.db" "$DB"
start_server
has "an image newer than the store is refused" "$(cat "$WORK/serve.log")" "is newer than the store's"
eq "refused: look-ups are the restored store's" "$(same_as_store)" same
check "and an image of the restored store is written" wait_log "index image $IMG written"
stop_server

# --- an image older than the change log keeps
cp "$IMG" "$WORK/old.idx"
OLD=$(img_seq "$WORK/old.idx")
"$C5" ingest --tlp green --source img5 "$WORK/new4.txt" >/dev/null
"$C5" ingest --tlp green --source img --confidence 70 "$WORK/upd.txt" >/dev/null
rm -f "$IMG"
start_server
wait_log "index image $IMG written"
NEW=$(img_seq "$IMG")
for _ in $(seq 1 40); do [ "$(log_from)" = "$NEW" ] && break; sleep 0.05; done
eq "the change log is kept from the image's sequence on" "$(log_from)" "$NEW"
stop_server
check "the old image is older than the log ($OLD < $NEW)" test "$OLD" -lt "$NEW"
cp "$WORK/old.idx" "$IMG"
start_server
has "an image older than the change log is refused" "$(cat "$WORK/serve.log")" "is older than the change log keeps"
eq "refused: look-ups are the store's (updates the log forgot included)" "$(same_as_store)" same
wait_log "index image $IMG written"
stop_server

# --- a truncated image, then one with a flipped byte
cp "$IMG" "$WORK/good.idx"
truncate -s -4096 "$IMG"
start_server
has "a truncated image is refused" "$(cat "$WORK/serve.log")" "not used: truncated"
eq "refused: look-ups are the store's" "$(same_as_store)" same
wait_log "index image $IMG written"
stop_server
cp "$WORK/good.idx" "$IMG"
size=$(stat -c %s "$IMG")
python3 -c "import sys; f=open(sys.argv[1],'r+b'); f.seek(int(sys.argv[2])); b=f.read(1); f.seek(int(sys.argv[2])); f.write(bytes([b[0] ^ 0x20]))" "$IMG" $((size / 2))
start_server
has "an image with a flipped byte is refused" "$(cat "$WORK/serve.log")" "checksum mismatch"
eq "refused: look-ups are the store's" "$(same_as_store)" same
wait_log "index image $IMG written"
stop_server
start_server
has "the rewritten image is used" "$(cat "$WORK/serve.log")" "index image $IMG used"
eq "and answers as the store" "$(same_as_store)" same
stop_server
