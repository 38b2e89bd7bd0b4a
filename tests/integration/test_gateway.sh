#!/usr/bin/env bash
# test_gateway.sh — the Cybersecurity Gateway from the command line and the
# API against the real server: the approval flow (an organisation's own
# entry, pending until the hub's analysts approve; another organisation
# cannot touch it), TLP (GREEN never on a public page, feed or search
# result, but in a member's search), search (ranking, diacritics, prefixes,
# facets), bad input refused naming the field with nothing stored, the
# caching headers and 304, attachments served as downloads, Atom feeds
# (well-formed, RFC 4287's required elements), the audit trail.
. "$(dirname "$0")/lib.sh"
plan 73

"$C5" init >/dev/null
"$C5" org add "Bank A" --type private-sector --country SN >/dev/null
"$C5" org add "Other C" --type civil-society --country SN >/dev/null
ANALYST=$("$C5" token create --role analyst 2>/dev/null)
BANK=$("$C5" token create --org "Bank A" --role contributor 2>/dev/null)
BANKR=$("$C5" token create --org "Bank A" --role reader 2>/dev/null)
OTHER=$("$C5" token create --org "Other C" --role admin 2>/dev/null)
start_server
count() { sqlite3 "$C5HUB_DB" "$1"; }
# hasnt DESC HAYSTACK NEEDLE: the needle is not there
hasnt() { case "$2" in *"$3"*) fail "$1 ('$3' found)" ;; *) pass "$1" ;; esac; }

# ---- the approval flow through the API ----
ENTRY='{"kind": "team", "name": "CSIRT Bank A", "stakeholder": "private", "country": "SN",
 "areas": ["technical", "cooperation"], "description": "Équipe de réponse de la banque",
 "website": "https://csirt.bank-a.example/", "email": "csirt@bank-a.example", "phone": "+221 33 000 00 00",
 "pgp": "0123 4567 89AB CDEF 0123 4567 89AB CDEF 0123 4567"}'
out=$(api "$BANK" POST /api/v1/gw/entries "$ENTRY")
eq "an organisation adds its entry (201)" "${out%% *}" 201
EID=$(echo "${out#* }" | json 'd["id"]')
eq "it waits for approval" "$(echo "${out#* }" | json 'd["status"]')" pending
eq "the PGP fingerprint is kept normalised" "$(echo "${out#* }" | json 'd["pgp"]')" 0123456789ABCDEF0123456789ABCDEF01234567
out=$(api "$BANKR" POST /api/v1/gw/entries "$ENTRY")
eq "a reader may not write to the gateway (403)" "${out%% *}" 403
out=$(api "$BANK" POST /api/v1/gw/entries '{"kind": "team", "name": "X", "stakeholder": "private", "country": "SN", "website": "javascript:alert(1)"}')
eq "a javascript: web site is refused (400)" "${out%% *}" 400
has "naming the field" "$out" '"field":"website"'
out=$(api "$BANK" POST /api/v1/gw/entries '{"kind": "team", "name": "X", "stakeholder": "private", "country": "XX"}')
has "an unknown country is refused, naming it" "$out" '"field":"country"'
out=$(api "$BANK" POST /api/v1/gw/entries '{"kind": "team", "name": "X", "stakeholder": "private", "country": "SN", "secret": 1}')
has "an unknown field is refused, naming it" "$out" '"field":"secret"'
eq "nothing refused was stored" "$(count 'SELECT count(*) FROM gw_entries')" 1
code=$(curl -s -o "$WORK/p" -w '%{http_code}' "$BASE/directory/$EID")
eq "a pending entry is not on the public site (404)" "$code" 404
out=$(api "$OTHER" POST "/api/v1/gw/entries/$EID" '{"name": "Hijacked"}')
eq "another organisation cannot edit it (404, as unknown)" "${out%% *}" 404
out=$(api "$BANK" POST "/api/v1/gw/entries/$EID/approve" '{}')
eq "an organisation cannot approve its own entry (403)" "${out%% *}" 403
out=$(api "$ANALYST" GET "/api/v1/gw/entries?status=pending")
has "the hub's analysts see the queue" "$out" "CSIRT Bank A"
out=$(api "$OTHER" GET "/api/v1/gw/entries")
hasnt "another organisation does not see the pending entry" "$out" "CSIRT Bank A"
out=$(api "$ANALYST" POST "/api/v1/gw/entries/$EID/approve" '{}')
eq "the hub's analyst approves it" "${out%% *}" 200
curl -s -o "$WORK/p" "$BASE/directory/$EID"
has "now it is public" "$(cat "$WORK/p")" "CSIRT Bank A"
has "with its web site as a link" "$(cat "$WORK/p")" 'href="https://csirt.bank-a.example/"'
curl -s -o "$WORK/p" "$BASE/directory?stakeholder=private"
has "the directory lists it under its stakeholder type" "$(cat "$WORK/p")" "CSIRT Bank A"
curl -s -o "$WORK/p" "$BASE/directory?stakeholder=government"
hasnt "and not under another" "$(cat "$WORK/p")" "CSIRT Bank A"
out=$(api "$BANK" POST "/api/v1/gw/entries/$EID" '{"description": "Nouvelle description"}')
eq "its organisation edits it" "$(echo "${out#* }" | json 'd["status"]')" pending
code=$(curl -s -o /dev/null -w '%{http_code}' "$BASE/directory/$EID")
eq "the edit goes back to the queue (off the public site)" "$code" 404
api "$ANALYST" POST "/api/v1/gw/entries/$EID/approve" '{}' >/dev/null

# ---- resources and news: TLP ----
"$C5" gw resource add --org "Bank A" --type law --title "Loi sur la cybersécurité et la protection des données" \
	--summary "Texte adopté en 2008." --areas legal --country SN --lang fr --tlp clear >/dev/null
"$C5" gw resource add --type guide --title "Guide de sécurité des systèmes" --summary "Sécurité des serveurs" \
	--areas technical --lang fr --tlp clear >/dev/null
"$C5" gw resource add --type strategy --title "Members only strategy" --summary "GREEN sécurité cyberdefense" \
	--areas technical --tlp green >/dev/null
printf '<html><script>alert(1)</script></html>' >"$WORK/evil.html"
RID=$("$C5" gw resource add --type document --title "Rapport annuel" --areas capacity --tlp clear --file "$WORK/evil.html")
for id in $(count "SELECT id FROM gw_resources WHERE status = 'pending'"); do "$C5" gw resource approve "$id"; done
GREEN_ID=$(count "SELECT id FROM gw_resources WHERE tlp = 1")
eq "the command line approved the four resources" "$(count "SELECT count(*) FROM gw_resources WHERE status = 'public'")" 4
"$C5" gw news add --title "Exercice national de crise cyber" --body "Inscriptions ouvertes." --areas capacity --tlp clear >/dev/null
"$C5" gw news add --title "GREEN news for members" --body "members" --tlp green >/dev/null
code=$(curl -s -o "$WORK/p" -w '%{http_code}' "$BASE/resources/$GREEN_ID")
eq "a GREEN resource is not on the public site (404)" "$code" 404
curl -s -o "$WORK/p" "$BASE/search?q=members"
hasnt "GREEN is never in a public search result" "$(cat "$WORK/p")" "Members only"
hasnt "nor GREEN news" "$(cat "$WORK/p")" "GREEN news"
curl -s -o "$WORK/p" "$BASE/"
hasnt "nor on the public home page" "$(cat "$WORK/p")" "GREEN news"
has "which shows the CLEAR news" "$(cat "$WORK/p")" "Exercice national de crise cyber"
for f in resources news advisories; do curl -s "$BASE/feeds/$f.atom"; done >"$WORK/feeds"
hasnt "nor in a public feed" "$(cat "$WORK/feeds")" "Members only"
out=$(api "$BANKR" GET "/api/v1/gw/search?q=members")
has "a member's search finds GREEN" "$out" "Members only strategy"
has "and GREEN news" "$out" "GREEN news for members"

# ---- search: diacritics, ranking, prefixes, facets ----
out=$(curl -s "$BASE/search?q=securite")
has "diacritics are folded (securite finds sécurité)" "$out" "Guide de sécurité des systèmes"
out=$(api "" GET "/api/v1/gw/search?q=x")
eq "the API's search needs a token" "${out%% *}" 401
out=$(api "$BANKR" GET "/api/v1/gw/search?q=S%C3%89CURIT%C3%89")
eq "case and accents fold both ways" "$(echo "${out#* }" | json 'd["total"]')" 2
eq "a title match ranks first" "$(echo "${out#* }" | json 'd["hits"][0]["title"]')" "Guide de sécurité des systèmes"
out=$(api "$BANKR" GET "/api/v1/gw/search?q=cyber*")
eq "a prefix finds cybersécurité, cyberdefense and cyber (news)" "$(echo "${out#* }" | json 'd["total"]')" 3
out=$(api "$BANKR" GET "/api/v1/gw/search?q=cyber*%20-cyberdefense")
eq "-word leaves it out" "$(echo "${out#* }" | json 'd["total"]')" 2
out=$(api "$BANKR" GET "/api/v1/gw/search?kind=resource")
eq "facets count work areas" "$(echo "${out#* }" | json 'd["facets"]["area"]["technical"]')" 2
eq "and types" "$(echo "${out#* }" | json 'd["facets"]["type"]["law"]')" 1
eq "and languages" "$(echo "${out#* }" | json 'd["facets"]["lang"]["fr"]')" 2
out=$(api "$BANKR" GET "/api/v1/gw/search?kind=resource&area=legal")
eq "a facet narrows the search" "$(echo "${out#* }" | json 'd["total"]')" 1
curl -s -o "$WORK/p" "$BASE/resources?area=technical"
has "the resources page browses by work area" "$(cat "$WORK/p")" "Guide de sécurité"
hasnt "without the other areas" "$(cat "$WORK/p")" "Loi sur la"
curl -s "$BASE/search?q=exercice%26kind%3Dnews" >/dev/null
out=$(curl -s "$BASE/search?q=exercice&kind=news")
has "a page kept for one query is never served for another that reads alike" "$out" "Exercice national de crise cyber"
out=$(curl -s "$BASE/search?q=%22%22%22OR%28NEAR")
has "a hostile query is answered, not an error" "$out" "Results"

# ---- caching ----
curl -s -D "$WORK/h" -o "$WORK/p" "$BASE/"
ETAG=$(sed -n 's/^ETag: \(.*\)\r$/\1/p' "$WORK/h")
LM=$(sed -n 's/^Last-Modified: \(.*\)\r$/\1/p' "$WORK/h")
check "the home page has an ETag" test -n "$ETAG"
check "and a Last-Modified" test -n "$LM"
has "and may be cached (revalidated)" "$(cat "$WORK/h")" "Cache-Control: public"
check "the home page weighs under 100 KB" test "$(stat -c %s "$WORK/p")" -lt 102400
code=$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $ETAG" "$BASE/")
eq "If-None-Match answers 304" "$code" 304
code=$(curl -s -o /dev/null -w '%{http_code}' -H "If-Modified-Since: $LM" "$BASE/directory")
eq "If-Modified-Since answers 304" "$code" 304
sleep 1
"$C5" gw news add --title "Une autre actualité" --body "x" --tlp clear >/dev/null
code=$(curl -s -o "$WORK/p" -w '%{http_code}' -H "If-None-Match: $ETAG" "$BASE/")
eq "after a change the page is sent again" "$code" 200
has "with the change" "$(cat "$WORK/p")" "Une autre actualité"

# ---- attachments ----
curl -s -D "$WORK/h" -o "$WORK/f" "$BASE/files/$RID"
has "an attachment is a download" "$(cat "$WORK/h")" 'Content-Disposition: attachment; filename="evil.html"'
has "of a fixed type" "$(cat "$WORK/h")" "Content-Type: application/octet-stream"
has "never sniffed" "$(cat "$WORK/h")" "X-Content-Type-Options: nosniff"
cmp -s "$WORK/f" "$WORK/evil.html"
eq "its bytes as uploaded" "$?" 0
sqlite3 "$C5HUB_DB" "UPDATE gw_files SET name = 'a\"; x=\"' || char(13, 10) || 'X-Injected: 1' WHERE res_id = $RID"
curl -s -D "$WORK/h" -o /dev/null "$BASE/files/$RID"
eq "a file name written behind the checks' back cannot add a header" "$(grep -c '^X-Injected' "$WORK/h")" 0
has "it is cut to safe characters" "$(cat "$WORK/h")" 'filename="axX-Injected1"'
code=$(curl -s -o /dev/null -w '%{http_code}' "$BASE/files/$GREEN_ID")
eq "a GREEN resource's file is not public (404)" "$code" 404

# ---- Atom ----
curl -s "$BASE/feeds/resources.atom" >"$WORK/r.atom"
check "the resources feed is well-formed XML" xmllint --noout "$WORK/r.atom"
x() { xmllint --xpath "$1" "$WORK/r.atom" 2>/dev/null; }
eq "an Atom feed (RFC 4287)" "$(x 'local-name(/*)')/$(x 'namespace-uri(/*)')" "feed/http://www.w3.org/2005/Atom"
eq "with its id, title, updated and self link" \
	"$(x 'count(/*/*[local-name()="id" or local-name()="title" or local-name()="updated"])')/$(x 'count(/*/*[local-name()="link"][@rel="self"])')" "3/1"
eq "an entry per public resource" "$(x 'count(/*/*[local-name()="entry"])')" 3
eq "each with id, title, updated and link" \
	"$(x 'count(/*/*[local-name()="entry"][*[local-name()="id"] and *[local-name()="title"] and *[local-name()="updated"] and *[local-name()="link"]])')" 3
curl -s "$BASE/feeds/resources.atom?area=legal" >"$WORK/r.atom"
eq "a work area's feed has its resources only" "$(x 'count(/*/*[local-name()="entry"])')" 1
eq "each entry names its work areas as categories" "$(x 'string(/*/*[local-name()="entry"]/*[local-name()="category"]/@term)')" legal
code=$(curl -s -o /dev/null -w '%{http_code}' "$BASE/feeds/resources.atom?area=magic")
eq "an unknown work area's feed is 404" "$code" 404

# ---- the command line, the audit trail ----
out=$("$C5" gw entry list)
has "gw entry list shows the entry and its state" "$out" "public"
out=$("$C5" gw search --public members 2>&1)
has "gw search --public leaves GREEN out" "$out" "0 found"
out=$("$C5" gw entry add --kind team --name Y --stakeholder private --country SN --website 'javascript:x' 2>&1)
has "the command line names the refused field" "$out" "--website"
out=$("$C5" audit list)
has "additions are audited" "$out" "gw.add"
has "approvals are audited" "$out" "gw.approve"
check "the audit chain verifies" "$C5" audit verify
stop_server
