#!/usr/bin/env bash
# test_assess.sh — national self-assessment end to end through the CLI and
# the API: a bad questionnaire refused naming the file and the JSON path (and
# nothing stored), the built-in one loaded, answers checked, the hub's own
# figures as answers, submit / review / validate with their rules, scores
# (checked against the hand-worked unit-test figures' arithmetic on a small
# questionnaire), the roadmap kept across a re-make, exports (CSV, JSON,
# HTML), the history, and TLP: another organisation's AMBER assessment is
# never visible (404 as unknown), a GREEN one is seen but not changed.
. "$(dirname "$0")/lib.sh"
plan 55

"$C5" init >/dev/null
"$C5" org add "Ministry A" --type government --country ZZ >/dev/null
"$C5" org add "Ministry B" --type government --country ZZ >/dev/null
DB=$C5HUB_DB
cnt() { sqlite3 "$DB" "SELECT count(*) FROM $1"; }

# --- questionnaires
cat >"$WORK/bad.json" <<'J'
{"name": "bad", "version": 1, "pillars": [{"id": "legal", "title": "Legal",
 "indicators": [{"id": "l1", "title": "Law", "questions": [
  {"id": "q1", "text": "?", "type": "yes-no"},
  {"id": "q2", "text": "?", "type": "yesno", "condition": "${q9} = 'yes'"}]}]}]}
J
out=$("$C5" assess questionnaire load "$WORK/bad.json" 2>&1); rc=$?
eq "a bad questionnaire is refused" "$rc" 1
has "naming the file and the JSON path" "$out" "$WORK/bad.json: \$.pillars[0].indicators[0].questions[1].type: unknown type 'yesno'"
has "every error, the condition's too" "$out" "questions[1].condition: at 1: no earlier question 'q9'"
eq "and nothing is stored" "$(cnt assess_questionnaires)" 0
out=$("$C5" assess questionnaire validate default); rc=$?
eq "the built-in questionnaire validates" "$rc" 0
has "five pillars" "$out" "5 pillars"

# A small questionnaire whose figures are worked by hand (as test_assess.c)
cat >"$WORK/small.json" <<'J'
{"name": "small", "version": 1, "pillars": [
 {"id": "A", "title": "A", "indicators": [
  {"id": "a1", "title": "a1", "questions": [
   {"id": "q1", "text": "?", "type": "yes-no", "stage": "start-up", "evidence": true},
   {"id": "q2", "text": "?", "type": "yes-partial-no", "stage": "formative", "condition": "${q1} = 'yes'"},
   {"id": "q3", "text": "?", "type": "percentage", "weight": 2, "stage": "established"}]},
  {"id": "a2", "title": "a2", "weight": 3, "questions": [
   {"id": "q4", "text": "?", "type": "choice", "options": [
    {"value": "x", "score": 0}, {"value": "y", "score": 0.5}, {"value": "z", "score": 1}]},
   {"id": "q5", "text": "?", "type": "number", "target": 10}]}]},
 {"id": "B", "title": "B", "indicators": [
  {"id": "b1", "title": "b1", "questions": [
   {"id": "q6", "text": "?", "type": "multiple-choice", "options": [
    {"value": "m1", "score": 0.3}, {"value": "m2", "score": 0.3}, {"value": "m3", "score": 0.6}]}]}]}]}
J
out=$("$C5" assess questionnaire load "$WORK/small.json"); has "a good one loads" "$out" "loaded questionnaire small version 1"
out=$("$C5" assess questionnaire load "$WORK/small.json" 2>&1); rc=$?
eq "the same version twice is refused" "$rc" 1

# --- an assessment through the CLI
out=$("$C5" assess new "Country A" --period 2025 --questionnaire small --org "Ministry A")
has "an assessment starts as an AMBER draft" "$out" "TLP:amber, draft"
ID=$(echo "$out" | sed -n 's/^assessment \([0-9]*\):.*/\1/p')
out=$("$C5" assess answer "$ID" q1=yes q3=150 2>&1); rc=$?
eq "a bad value is refused" "$rc" 2
has "naming the question" "$out" "q3: '150' is not a percentage 0..100"
eq "and nothing of the batch is stored" "$(cnt assess_answers)" 0
"$C5" assess answer "$ID" q1=yes q2=partial q3=50 q4=y q5=20 q6=m1,m3 >/dev/null
out=$("$C5" assess submit "$ID" 2>&1); rc=$?
eq "submit refused while evidence is missing" "$rc" 2
has "saying which" "$out" "q1 (evidence)"
printf 'law text\n' >"$WORK/law.txt"
cat >"$WORK/inc.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<IODEF-Document version="2.00" xml:lang="en" xmlns="urn:ietf:params:xml:ns:iodef-2.0">
  <Incident purpose="reporting" restriction="amber"><IncidentID name="x">A-1</IncidentID>
  <GenerationTime>2026-01-01T00:00:00Z</GenerationTime>
  <Contact role="creator" type="organization"><ContactName>X</ContactName></Contact></Incident>
</IODEF-Document>
XML
"$C5" ingest --format iodef "$WORK/inc.xml" >/dev/null
INC=$(sqlite3 "$DB" "SELECT id FROM stix_objects WHERE type = 'incident'")
EV=$("$C5" evidence add "$INC" "$WORK/law.txt" | sed -n 's/^evidence \([0-9]*\):.*/\1/p')
out=$("$C5" assess answer "$ID" q1=yes --evidence 999 2>&1); has "unknown evidence is refused" "$out" "no evidence 999"
"$C5" assess answer "$ID" q1=yes --evidence "$EV" >/dev/null
out=$("$C5" assess submit "$ID"); has "then it is submitted" "$out" "submitted"
out=$("$C5" assess answer "$ID" q1=no 2>&1); has "answers no longer change" "$out" "only in a draft"
out=$("$C5" assess validate "$ID" 2>&1); has "validation needs every answer accepted" "$out" "answers are not accepted yet"
out=$("$C5" assess validate "$ID" q4 reject 2>&1); has "a rejection needs a comment" "$out" "needs a comment"
"$C5" assess validate "$ID" q4 reject --comment "show the budget" >/dev/null
eq "the review is kept with its comment" "$(sqlite3 "$DB" "SELECT review || ':' || comment FROM assess_answers WHERE question = 'q4'")" "rejected:show the budget"
out=$("$C5" assess validate "$ID" --all); has "all accepted, validated" "$out" "validated"

# scores: a1 = 0.625, a2 = 0.75, A = 14.375, B = 18, total 80.9375 (tier 3)
out=$("$C5" assess results "$ID" --format csv)
has "CSV: the total" "$out" "total,total,Country A,80.94,100,Tier 3 - establishing"
has "CSV: a pillar" "$out" "pillar,A,A,14.38,20,"
has "CSV: an indicator with its stage" "$out" "indicator,a1,a1,0.6250,1,start-up"
has "CSV: a question" "$out" "question,q6,?,0.9000,1,"
"$C5" assess results "$ID" --format html --out "$WORK/report.html"
has "a printable report" "$(cat "$WORK/report.html")" "@media print"

# the roadmap (the built-in rules name the national questionnaire's
# indicators: a rule file for this one)
cat >"$WORK/rules.json" <<'J'
{"actions": [
 {"id": "P", "action": "prepare", "area": "A", "owner": "gov", "horizon": "short"},
 {"id": "A", "action": "act", "area": "A", "owner": "gov", "horizon": "short", "prerequisites": ["P"]},
 {"id": "B", "action": "broaden", "area": "B", "owner": "gov", "horizon": "long"}],
 "rules": [{"indicator": "a1", "below": 0.8, "actions": ["A"]},
           {"indicator": "b1", "below": 1, "actions": ["B"]}]}
J
out=$("$C5" assess roadmap "$ID" --rules "$WORK/rules.json")
eq "the roadmap: highest priority first, prerequisites before" \
   "$(echo "$out" | awk '$1 ~ /^[0-9]+$/ {printf "%s:%s ", $4, $2}')" "B:5.00 P:2.19 A:2.19 "
"$C5" assess roadmap "$ID" set A accepted --assignee "Ministry of Justice" >/dev/null
"$C5" assess roadmap "$ID" --rules "$WORK/rules.json" >/dev/null
eq "a re-made roadmap keeps the reviewer's decisions" \
   "$(sqlite3 "$DB" "SELECT state || ':' || assignee FROM assess_roadmap WHERE action = 'A'")" "accepted:Ministry of Justice"
has "the history has every step" "$("$C5" assess history "$ID")" "roadmap: A accepted -> Ministry of Justice"
has "and so has the audit log" "$("$C5" audit list)" "assess.review"

# the hub's own figures answer configured questions of the built-in one
out=$("$C5" assess new "Country A" --period 2026 --org "Ministry A")
ID2=$(echo "$out" | sed -n 's/^assessment \([0-9]*\):.*/\1/p')
# incident response from the hub's cases (the clock run forward: case 1
# answered in 1 h, case 2 in 6 h; the built-in SLA gives high 4 h to respond)
# and the team's 24/7 contact from its organisation's notification settings
export C5HUB_NOW=$WORK/clock
echo 2026-12-07T09:00:00Z >"$WORK/clock"
"$C5" case new --title "phishing" --org "Ministry A" --severity high >/dev/null
"$C5" case new --title "defacement" --org "Ministry A" --severity high >/dev/null
echo 2026-12-07T10:00:00Z >"$WORK/clock"
"$C5" case comment CIRT-2026-00001 "we are on it" --to-reporter >/dev/null
echo 2026-12-07T15:00:00Z >"$WORK/clock"
"$C5" case comment CIRT-2026-00002 "we are on it" --to-reporter >/dev/null
unset C5HUB_NOW
"$C5" notify set hub --contact-247 soc@hub.example >/dev/null
out=$("$C5" assess answer "$ID2" --hub); has "the hub answers with the figure it came from" "$out" "T1 = yes (hub: the hub's team"
has "the team's 24/7 contact, from its organisation's settings" "$out" "T2 = yes (hub: a 24/7 contact in the preferences of organisation 1)"
has "SLA compliance of first responses, from the cases" "$out" "T14 = 50.0 (hub: 1 of 2 cases met the first response target (SLA))"
eq "the median time to first response is kept with its figure" \
   "$(sqlite3 "$DB" "SELECT value || ' | ' || source FROM assess_answers WHERE assessment = $ID2 AND question = 'T15'")" \
   "1.0 | hub: first response median 1.0 h, 90th percentile 6.0 h, 2 cases"
sed 's/"type": "percentage", "weight": 2/"type": "yes-no", "hub": "sla_response", "weight": 2/' "$WORK/small.json" >"$WORK/badhub.json"
out=$("$C5" assess questionnaire validate "$WORK/badhub.json" 2>&1)
has "a figure that cannot answer its question's type is refused at its place" "$out" \
    "questions[2].hub: unknown figure 'sla_response' for a yes-no question"
# tracked: the next period shows what moved and what was done
has "the next period's results show the previous total" "$("$C5" assess results "$ID2")" "previous 2025: total 80.94"
has "and its roadmap the previous one's decisions" "$("$C5" assess roadmap "$ID2")" "accepted  A "

# --- the API, and TLP
A=$("$C5" token create --org "Ministry A" --role contributor 2>/dev/null)
AR=$("$C5" token create --org "Ministry A" --role analyst 2>/dev/null)
B=$("$C5" token create --org "Ministry B" --role analyst 2>/dev/null)
start_server
out=$(api "$A" POST /api/v1/assessments '{"entity": "Country A", "period": "2027"}')
has "the API starts one (AMBER by default)" "$out" '"tlp":"amber"'
ID3=$(echo "${out#* }" | json 'd["id"]')
out=$(api "$A" POST /api/v1/assessments/$ID3/answers '{"answers": {"L1": "maybe"}}')
has "a bad answer is a 400 naming the question" "$out" '400'
out=$(api "$A" POST /api/v1/assessments/$ID3/answers '{"answers": {"O1": "yes", "T3": 4}}')
has "answers go in" "$out" "200"
out=$(api "$A" POST /api/v1/assessments/$ID3/answers "{\"answers\": {\"O1\": \"yes\"}, \"evidence\": \"$EV\"}")
has "evidence it may not see is refused (the hub's AMBER file)" "$out" "no evidence $EV"
EVA=$("$C5" evidence add "$INC" "$WORK/law.txt" --org "Ministry A" | sed -n 's/^evidence \([0-9]*\):.*/\1/p')
out=$(api "$A" POST /api/v1/assessments/$ID3/answers "{\"answers\": {\"O1\": {\"value\": \"yes\", \"evidence\": \"$EVA\"}}}")
eq "its own evidence goes with its answer" "${out%% *}:$(sqlite3 "$DB" "SELECT evidence FROM assess_answers WHERE assessment = $ID3 AND question = 'O1'")" "200:$EVA"
out=$(api "$A" POST /api/v1/assessments/$ID3/state '{"state": "validated"}')
has "a contributor does not validate" "$out" "403"
out=$(api "$B" GET /api/v1/assessments/$ID3)
has "another organisation's AMBER assessment: 404, as unknown" "$out" "404"
out=$(api "$B" GET "/api/v1/assessments/$ID3?format=csv")
has "nor its export" "$out" "404"
out=$(api "$B" GET /api/v1/assessments)
eq "nor in its list" "$(echo "${out#* }" | json 'len(d["assessments"])')" 0
out=$(api "$AR" GET /api/v1/assessments)
eq "its own organisation lists its three" "$(echo "${out#* }" | json 'len(d["assessments"])')" 3
out=$(api "$B" POST /api/v1/assessments '{"entity": "Region", "period": "2027", "tlp": "green"}')
IDG=$(echo "${out#* }" | json 'd["id"]')
out=$(api "$AR" GET "/api/v1/assessments/$IDG")
has "a GREEN one is seen by other members" "$out" '"entity": "Region"'
out=$(api "$AR" POST /api/v1/assessments/$IDG/answers '{"answers": {"O1": "yes"}}')
has "but changed only by its own organisation" "$out" "403"
has "the results rank the period's entities (the composite index)" "$("$C5" assess results "$ID3")" "of 2 entities in 2027"

# loading a questionnaire through the API: the hub's team only, the CLI's errors
HUBA=$("$C5" token create --org hub --role analyst 2>/dev/null)
NQ=$(cnt assess_questionnaires)
out=$(api "$HUBA" POST "/api/v1/questionnaires?file=bad.json" "$(cat "$WORK/bad.json")")
eq "a bad questionnaire: 400 with every error, file and JSON path as the CLI gives them" \
   "${out%% *} $(echo "${out#* }" | json '" | ".join(e["message"] for e in d["error"]["errors"])')" \
   "400 bad.json: \$.pillars[0].indicators[0].questions[1].type: unknown type 'yesno' (yes-no, yes-partial-no, choice, multiple-choice, number, percentage, date, text) | bad.json: \$.pillars[0].indicators[0].questions[1].condition: at 1: no earlier question 'q9'"
eq "each error's field is its JSON path; nothing is stored" \
   "$(echo "${out#* }" | json 'd["error"]["errors"][0]["field"]'):$(cnt assess_questionnaires)" "\$.pillars[0].indicators[0].questions[1].type:$NQ"
sed 's/"version": 1/"version": 2/' "$WORK/small.json" >"$WORK/small2.json"
out=$(api "$AR" POST /api/v1/questionnaires "$(cat "$WORK/small2.json")")
has "another organisation's analyst does not load one (403)" "$out" "403"
out=$(api "$HUBA" POST /api/v1/questionnaires "$(cat "$WORK/small2.json")")
eq "the hub's analyst loads a new version" "${out%% *}:$(sqlite3 "$DB" "SELECT max(version) FROM assess_questionnaires WHERE name = 'small'")" "201:2"
out=$(api "$HUBA" POST /api/v1/questionnaires "$(cat "$WORK/small2.json")")
has "the same version twice: 409" "$out" "409"
stop_server
