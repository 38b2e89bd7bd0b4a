#!/usr/bin/env bash
# test_iodef.sh — IODEF in and out: the RFC 5070 (IODEF 1) botnet example and
# an IODEF 2 document import (incidents kept with their contacts, assessment
# and systems; source and intermediate addresses and names become indicators;
# restriction gives TLP); bad documents are refused with their line and change
# nothing; hostile XML (external entities) reads nothing; an export holds what
# --org may see, never RED, and validates against iodef-2.0.xsd (offline:
# xml.xsd from the test data, stand-ins for the two IANA schemas it imports
# from the network, tests/tools/iodef/); a second hub imports it.
. "$(dirname "$0")/lib.sh"
plan 33

T=${TESTDATA:-$(cd "$(dirname "$0")/../../../shared/testdata" && pwd)}
X=$T/iodef
TOOLS=$(cd "$(dirname "$0")/../tools/iodef" && pwd)
cat >"$WORK/catalog.xml" <<CAT
<?xml version="1.0"?>
<catalog xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog">
  <system systemId="http://www.w3.org/2009/01/xml.xsd" uri="file://$X/xml.xsd"/>
  <system systemId="http://www.iana.org/assignments/xml-registry/schema/iodef-enum-1.0.xsd" uri="file://$TOOLS/iodef-enum-stub.xsd"/>
  <system systemId="http://www.iana.org/assignments/xml-registry/schema/iodef-sci-1.0.xsd" uri="file://$TOOLS/iodef-sci-stub.xsd"/>
</catalog>
CAT
valid() { XML_CATALOG_FILES=$WORK/catalog.xml xmllint --nonet --noout --schema "$X/iodef-2.0.xsd" "$1" 2>&1; }
objs() { sqlite3 "$C5HUB_DB" "SELECT count(*) FROM stix_objects"; }
"$C5" init >/dev/null
"$C5" org add "Bank A" --type private-sector --country ZZ >/dev/null
"$C5" org add "Other C" --type civil-society --country ZZ >/dev/null

# --- IODEF 1: the RFC 5070 botnet example
out=$("$C5" ingest --format iodef "$X/rfc5070-botnet-example.xml"); rc=$?
eq "the RFC 5070 example imports" "$rc" 0
has "one incident, two systems, three addresses and names" "$out" "IODEF 1, 1 incidents, 2 systems, 3 addresses and names"
inc() { sqlite3 "$C5HUB_DB" "SELECT json_extract(json, '\$.$1') FROM stix_objects WHERE type = 'incident'"; }
eq "kept as a STIX incident named by its IncidentID" "$(inc name)" "csirt.example.com#908711"
eq "restriction=private is RED" "$(sqlite3 "$C5HUB_DB" "SELECT tlp FROM stix_objects WHERE type = 'incident'")" 4
eq "its assessment" "$(inc 'x_iodef.assessment.type')|$(inc 'x_iodef.assessment.severity')" "dos|high"
eq "its contact" "$(inc 'x_iodef.contacts[0].role')|$(inc 'x_iodef.contacts[0].email')" "irt|jsmith@csirt.example.com"
eq "its systems" "$(inc 'x_iodef.systems[0].category') $(inc 'x_iodef.systems[0].addresses[0].value') $(inc 'x_iodef.systems[1].names[0]')" \
	"source 192.0.2.3 irc.example.com"
eq "the bot (source) is a compromised host, the IRC server (intermediate) indexed too" \
	"$(sqlite3 "$C5HUB_DB" "SELECT group_concat(value || '=' || classification, ' ') FROM (SELECT value, classification FROM indicators ORDER BY value)")" \
	"192.0.2.20=other/undetermined 192.0.2.3=intrusions/system-compromise irc.example.com=other/undetermined"
out=$("$C5" ingest --format iodef "$X/rfc5070-botnet-example.xml"); has "importing again adds nothing" "$out" "0 objects (4 already here)"

# --- IODEF 2
cat >"$WORK/v2.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<IODEF-Document version="2.00" xml:lang="en" xmlns="urn:ietf:params:xml:ns:iodef-2.0">
  <Incident purpose="mitigation" restriction="amber">
    <IncidentID name="cirt.example">2026-0042</IncidentID>
    <ReportTime>2026-11-20T10:00:00+01:00</ReportTime>
    <GenerationTime>2026-11-20T10:05:00Z</GenerationTime>
    <Description>Phishing site &amp; its mail servers</Description>
    <Assessment occurrence="actual"><SystemImpact severity="medium" completion="succeeded" type="breach-credential"/></Assessment>
    <Contact role="creator" type="organization"><ContactName>CIRT Example</ContactName><Email><EmailTo>cirt@cirt.example</EmailTo></Email></Contact>
    <EventData><Flow>
      <System category="source"><Node><DomainData><Name>login-bank.example</Name></DomainData><Address category="ipv4-addr">203.0.113.50</Address></Node><Service><Port>443</Port></Service></System>
      <System category="target"><Node><Address category="ipv4-addr">198.51.100.77</Address></Node></System>
    </Flow></EventData>
  </Incident>
  <Incident purpose="reporting" restriction="green">
    <IncidentID name="cirt.example">2026-0043</IncidentID>
    <GenerationTime>2026-11-21T00:00:00Z</GenerationTime>
    <Contact role="irt" type="organization"><ContactName>CIRT Example</ContactName></Contact>
    <EventData><Flow><System category="source"><Node><Address category="ipv6-addr">2001:db8::66</Address></Node></System></Flow></EventData>
  </Incident>
</IODEF-Document>
XML
check "the IODEF 2 test document is itself valid" valid "$WORK/v2.xml"
out=$("$C5" ingest --format iodef --org "Bank A" "$WORK/v2.xml"); rc=$?
eq "an IODEF 2 document imports" "$rc" 0
has "two incidents; the target is not an indicator" "$out" "IODEF 2, 2 incidents, 3 systems, 3 addresses and names"
eq "restriction amber and green" "$(sqlite3 "$C5HUB_DB" "SELECT group_concat(tlp) FROM (SELECT tlp FROM stix_objects WHERE json LIKE '%cirt.example#2026-004%' AND type = 'incident' ORDER BY json_extract(json, '\$.name'))")" "2,1"
"$C5" lookup 198.51.100.77 >/dev/null; eq "the victim (target) is not listed" "$?" 1

# --- bad and hostile documents: named, nothing written
n=$(objs)
printf '<?xml version="1.0"?>\n<IODEF-Document xmlns="urn:ietf:params:xml:ns:iodef-2.0">\n<Incident>\n</IODEF-Document>\n' >"$WORK/bad.xml"
out=$("$C5" ingest --format iodef "$WORK/bad.xml" 2>&1); has "broken XML is named with its line" "$out" "bad.xml:4: not well-formed XML"
printf '<?xml version="1.0"?>\n<IODEF-Document xmlns="urn:ietf:params:xml:ns:iodef-2.0">\n<Incident purpose="reporting">\n<GenerationTime>2026-01-01T00:00:00Z</GenerationTime>\n</Incident>\n</IODEF-Document>\n' >"$WORK/noid.xml"
out=$("$C5" ingest --format iodef "$WORK/noid.xml" 2>&1); has "an Incident without IncidentID is named with its line" "$out" "noid.xml:3: Incident: an IncidentID with a name is required"
printf '<?xml version="1.0"?>\n<Report/>\n' >"$WORK/other.xml"
out=$("$C5" ingest --format iodef "$WORK/other.xml" 2>&1); has "another document is refused" "$out" "not an IODEF-Document"
echo "secret-$RANDOM" >"$WORK/secret.txt"
cat >"$WORK/xxe.xml" <<XML
<?xml version="1.0"?>
<!DOCTYPE IODEF-Document [ <!ENTITY x SYSTEM "file://$WORK/secret.txt"> ]>
<IODEF-Document xmlns="urn:ietf:params:xml:ns:iodef-2.0"><Incident purpose="reporting" restriction="green">
<IncidentID name="x">&x;</IncidentID><GenerationTime>2026-01-01T00:00:00Z</GenerationTime>
<Contact role="irt" type="organization"/></Incident></IODEF-Document>
XML
"$C5" ingest --format iodef "$WORK/xxe.xml" >/dev/null 2>&1
eq "an external entity is not read" "$(sqlite3 "$C5HUB_DB" "SELECT count(*) FROM stix_objects WHERE json LIKE '%secret-%'")" 0
eq "and bad documents wrote nothing" "$(sqlite3 "$C5HUB_DB" "SELECT count(*) FROM stix_objects WHERE json NOT LIKE '%\"x#%'")" "$n"

# --- export: what --org may see, valid IODEF 2
printf '192.0.2.99\nbad.example.org\n' | "$C5" ingest --source hub-list --tlp green - >/dev/null
"$C5" export --format iodef --org "Bank A" --out "$WORK/a.xml" 2>/dev/null; rc=$?
eq "export writes a document" "$rc" 0
out=$(valid "$WORK/a.xml"); has "which validates against iodef-2.0.xsd" "$out" "validates"
"$C5" export --format iodef --org "Other C" --out "$WORK/c.xml" 2>/dev/null
check "Other C's validates too" valid "$WORK/c.xml"
ids() { python3 - "$1" <<'PY'
import sys, xml.etree.ElementTree as ET
ns = {"i": "urn:ietf:params:xml:ns:iodef-2.0"}
r = ET.parse(sys.argv[1]).getroot()
print(" ".join(sorted(i.find("i:IncidentID", ns).text + "/" + i.get("restriction") for i in r.findall("i:Incident", ns))))
PY
}
has "Bank A gets its AMBER incident, the GREEN one, its AMBER indicators and the hub's GREEN ones" \
	"$(ids "$WORK/a.xml")" "2026-0042/amber 2026-0043/green indicators-amber-"
has "(the GREEN indicators as a reporting incident)" "$(ids "$WORK/a.xml")" "indicators-green-"
case "$(ids "$WORK/a.xml")" in *908711*) fail "the RED incident is not exported" ;; *) pass "the RED incident is not exported" ;; esac
case "$(ids "$WORK/c.xml")" in *2026-0042*) fail "Other C does not get Bank A's AMBER incident" ;; *) pass "Other C does not get Bank A's AMBER incident" ;; esac
has "the incident keeps its assessment, contact and systems" "$(cat "$WORK/a.xml")" 'type="breach-credential"'
has "its addresses" "$(cat "$WORK/a.xml")" '<Address category="ipv4-addr">203.0.113.50</Address>'
# a second hub
export C5HUB_DB=$WORK/second.db
"$C5" init >/dev/null
out=$("$C5" ingest --format iodef "$WORK/a.xml"); rc=$?
eq "a second hub imports the export" "$rc" 0
check "with the phishing site" "$C5" lookup login-bank.example
eq "and its TLP" "$(sqlite3 "$C5HUB_DB" "SELECT tlp FROM indicators WHERE value = 'login-bank.example'")" 2
kept() { sqlite3 "$1" "SELECT json_extract(json, '\$.name'), json_extract(json, '\$.description'), json_extract(json, '\$.x_iodef') FROM stix_objects WHERE type = 'incident' AND json_extract(json, '\$.name') LIKE 'cirt.example#%' ORDER BY 1"; }
has "(the source system's name and port were read)" "$(kept "$WORK/hub.db")" '"names":["login-bank.example"],"ports":["443"]'
eq "import, export, import: the incidents are what the first hub kept (names, ports, all of x_iodef)" \
	"$(kept "$WORK/second.db")" "$(kept "$WORK/hub.db")"
