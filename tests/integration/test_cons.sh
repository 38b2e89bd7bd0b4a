#!/usr/bin/env bash
# test_cons.sh — the constituency: `c5hub constituency import` (CSV, all or
# nothing, the line named), and who answers for a value — longest prefix,
# closest domain, AS number, shared resources — from the CLI and from the
# running server, which follows a new import within a second.
. "$(dirname "$0")/lib.sh"
plan 19

"$C5" init --country GH >/dev/null
cat >"$WORK/c.csv" <<'CSV'
organisation,resource,abuse_contact,type,country
Telco,198.51.100.0/22,abuse@telco.example,,
Telco,AS64500,abuse@telco.example,,
"Bank One",198.51.100.128/25,soc@bank-one.example,private-sector,GH
Bank One,bank-one.example,soc@bank-one.example,,
Hosting Co,2001:db8::/32,abuse@hosting.example,,KE
Shared Co-op,198.51.100.128/25,noc@coop.example,civil-society,
Ministry,gov.example,cert@gov.example,government,
CSV
out=$("$C5" constituency import --create-orgs "$WORK/c.csv" | tail -1); eq "import" "$out" "$WORK/c.csv: 7 resources"
has "organisations are created with the type and country given" "$("$C5" org list)" "Hosting Co                       private-sector  KE"
has "and the hub's country otherwise" "$("$C5" org list)" "Telco                            private-sector  GH"
who() { "$C5" constituency who "$1" | sed -n '2,$p' | awk '{print $1}' | sort | tr '\n' ' '; }
eq "an address in the /22 only: Telco" "$(who 198.51.100.7)" "Telco "
eq "an address in the /25: the longest prefix wins, both holders" "$(who 198.51.100.200)" "Bank Shared "
eq "a name under a listed domain" "$(who www.bank-one.example)" "Bank "
eq "IPv6" "$(who 2001:db8::1)" "Hosting "
eq "an AS number" "$(who AS64500)" "Telco "
"$C5" constituency who 192.0.2.1 >/dev/null; eq "nobody's: exit 1" "$?" 1
has "the audit log has the import" "$("$C5" audit list)" "constituency.import"

n0=$("$C5" constituency list | wc -l)
bad() {
	printf '%s\n' "$@" >"$WORK/bad.csv"
	out=$("$C5" constituency import --create-orgs "$WORK/bad.csv" 2>&1)
}
bad "organisation,resource,abuse_contact" "X Corp,10.0.0.0/8,abuse@x.example" "Y Corp,not-a-thing!,a@b.example"
has "a bad resource names the line" "$out" "bad.csv:3: not a network, an AS number or a domain"
bad "organisation,resource,abuse_contact" "X Corp,10.0.0.0/8,not an address"
has "a bad contact" "$out" "bad.csv:2: abuse_contact must be an e-mail address"
bad "organisation,resource" "X Corp,10.0.0.0/8"
has "a bad header" "$out" "bad.csv:1: the header must name organisation, resource and abuse_contact"
bad "organisation,resource,abuse_contact,type" "X Corp,10.0.0.0/8,a@x.example,pirates"
has "a bad organisation type" "$out" "bad.csv:2: type must be"
eq "nothing of the bad files was written" "$("$C5" constituency list | wc -l)" "$n0"
case "$("$C5" org list)" in *"X Corp"*) fail "an organisation of a refused file was created" ;; *) pass "no organisation of a refused file" ;; esac

start_server
ANALYST=$("$C5" token create --role analyst 2>/dev/null)
READER=$("$C5" token create --role reader 2>/dev/null)
sleep 1
r=$(api "$ANALYST" GET "/api/v1/constituency/who?value=198.51.100.200")
eq "the API answers the same" "$(echo "${r#* }" | json 'sorted(x["organisation"] for x in d["constituents"])')" "['Bank One', 'Shared Co-op']"
r=$(api "$READER" GET "/api/v1/constituency/who?value=198.51.100.200"); eq "readers may not ask" "${r%% *}" 403
printf 'organisation,resource,abuse_contact\nSmall ISP,198.51.100.0/24,abuse@small.example\n' >"$WORK/more.csv"
"$C5" constituency import --create-orgs "$WORK/more.csv" >/dev/null
for _ in $(seq 1 30); do
	r=$(api "$ANALYST" GET "/api/v1/constituency/who?value=198.51.100.7")
	case "$r" in *"Small ISP"*) break ;; esac
	sleep 0.1
done
eq "a new, more specific network takes over within 3 s" "$(echo "${r#* }" | json '[x["organisation"] for x in d["constituents"]]')" "['Small ISP']"
stop_server
