#!/usr/bin/env bash
# test_dashboard.sh — the console dashboard's counts come from the index
# (idx_groups) and the named shares (store_count_named): for every viewer
# they must equal what the API lists to the same organisation and role
# (the store's SQL twin of the rule), before and after the store changes
# under a running server (new indicators, a TLP raised, a value forgotten).
. "$(dirname "$0")/lib.sh"
plan 12

"$C5" init >/dev/null
for o in "Bank A" "Ministry B" "Third C"; do
	"$C5" org add "$o" --type government --country GH >/dev/null
done
printf '198.51.100.1\n198.51.100.2\n198.51.100.3\n' >"$WORK/green.txt"
printf '198.51.100.4\n198.51.100.5\n' >"$WORK/amber.txt"
printf 'red.example\n' >"$WORK/red.txt"
printf 'strict.example\n' >"$WORK/strict.txt"
"$C5" ingest --org "Bank A" --tlp green --source g "$WORK/green.txt" >/dev/null
"$C5" ingest --org "Bank A" --tlp amber --source a "$WORK/amber.txt" >/dev/null
"$C5" ingest --org "Bank A" --tlp red --source r "$WORK/red.txt" >/dev/null
"$C5" ingest --org "Ministry B" --tlp amber+strict --source s "$WORK/strict.txt" >/dev/null
ind() { # ind N TLP-ID -> a STIX indicator for 203.0.113.N
	printf '{"type":"indicator","spec_version":"2.1","id":"indicator--00000000-0000-4000-8000-0000000000%02d","created":"2026-11-01T00:00:00.000Z","modified":"2026-11-01T00:00:00.000Z","name":"n%d","pattern":"[ipv4-addr:value = '"'"'203.0.113.%d'"'"']","pattern_type":"stix","valid_from":"2026-11-01T00:00:00Z","object_marking_refs":["marking-definition--%s"]}' "$1" "$1" "$1" "$2"
}
{ echo '{"type":"bundle","id":"bundle--00000000-0000-4000-8000-000000000001","objects":['
  ind 1 939a9414-2ddd-4d32-a0cd-375ea402b003; echo ,; ind 2 e828b379-4e03-4974-9ac4-e53a884c97c1; echo ']}'; } >"$WORK/shared.json"
"$C5" ingest --format stix --org "Bank A" --share "Ministry B" "$WORK/shared.json" >/dev/null
PW='a long enough passphrase 42'
declare -A TOK
for who in "ana Ministry B reader" "bob Third C analyst" "cy Bank A reader"; do
	set -- $who
	u=$1 role=${*: -1} org=${*:2:$#-2}
	"$C5" user add "$u@x.example" --org "$org" --role "$role" >/dev/null 2>&1
	echo "$PW" | "$C5" user password "$u@x.example" >/dev/null
	TOK[$u]=$("$C5" token create --org "$org" --role "$role" 2>/dev/null)
done
start_server

signin() { # EMAIL -> the session cookie jar $WORK/jar-EMAIL
	local cs jar=$WORK/jar-$1
	rm -f "$jar"
	cs=$(curl -s -c "$jar" -b "$jar" "$BASE/signin" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p')
	curl -s -o /dev/null -c "$jar" -b "$jar" --data-urlencode "email=$1" --data-urlencode "password=$PW" \
		--data "csrf=$cs" "$BASE/signin"
}
# the dashboard's table as "type:tlp=n ..." (non-zero cells, sorted)
dash() {
	curl -s -b "$WORK/jar-$1" "$BASE/console" | python3 -c '
import re, sys
h = sys.stdin.read()
t = h[h.index("By type and TLP"):]
t = t[:t.index("</table>")]
tlps = ["clear", "green", "amber", "amber+strict", "red"]
out = []
for row in re.findall(r"<tr><th scope=\"row\">([^<]*)</th>(.*?)</tr>", t):
    cells = re.findall(r"<td>([0-9]+)</td>", row[1])[:5]
    out += ["%s:%s=%s" % (row[0], tlps[i], c) for i, c in enumerate(cells) if c != "0"]
print(" ".join(sorted(out)))'
}
# what GET /api/v1/indicators lists to the token, counted the same way
listed() {
	python3 - "$BASE" "$1" <<'PY'
import json, sys, urllib.request
base, tok, cur, n = sys.argv[1], sys.argv[2], "", {}
while True:
    req = urllib.request.Request(base + "/api/v1/indicators?limit=1000" + ("&cursor=" + cur if cur else ""),
                                 headers={"Authorization": "Bearer " + tok})
    d = json.load(urllib.request.urlopen(req))
    for i in d["indicators"]:
        k = "%s:%s" % (i["type"], i["tlp"])
        n[k] = n.get(k, 0) + 1
    cur = d.get("next_cursor")
    if not cur:
        break
print(" ".join(sorted("%s=%d" % kv for kv in n.items())))
PY
}
for u in ana bob cy; do signin "$u@x.example"; done
for u in ana bob cy; do
	eq "$u's dashboard counts what the API lists to its organisation and role" "$(dash "$u@x.example")" "$(listed "${TOK[$u]}")"
done
has "the named recipient counts the RED shared with it by name" "$(dash ana@x.example)" "ipv4-addr:red=1"

# the store changes under the running server: the index follows within a second
printf '198.51.100.9\n198.51.100.10\n' >"$WORK/more.txt"
"$C5" ingest --org "Third C" --tlp amber --source m "$WORK/more.txt" >/dev/null
"$C5" ingest --org "Bank A" --tlp red --source g "$WORK/green.txt" >/dev/null  # new reports, RED
sleep 1.5
for u in ana bob cy; do
	eq "after new reports, $u's dashboard still counts what the API lists" "$(dash "$u@x.example")" "$(listed "${TOK[$u]}")"
done
has "bob sees his own organisation's new AMBER reports" "$(dash bob@x.example)" "ipv4-addr:amber=2"
id=$(sqlite3 "$C5HUB_DB" "SELECT id FROM indicators WHERE value = '198.51.100.4'")
before=$(dash cy@x.example)
TA=$("$C5" token create --org "Bank A" --role admin 2>/dev/null)
r=$(api "$TA" DELETE "/api/v1/indicators/$id")
eq "Bank A's admin deletes one of its AMBER reports" "${r%% *}" 200
sleep 1.5
after=$(dash cy@x.example)
check "and the dashboard changed" [ "$before" != "$after" ]
eq "after a deletion, cy's dashboard counts what the API lists" "$after" "$(listed "${TOK[cy]}")"
eq "and ana's" "$(dash ana@x.example)" "$(listed "${TOK[ana]}")"
stop_server
