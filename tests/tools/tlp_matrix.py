#!/usr/bin/env python3
"""tlp_matrix.py -- the cells of test_tlp_matrix.sh (which sets the hub up).

Every expectation comes from TLP 2.0's table below, written once, apart from
c5hub's code.  Each cell prints "ok - ..." or "not ok - ...".
"""
import json
import os
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request

BASE, DP, C5, COL, WORK = (os.environ[k] for k in ("BASE", "DP", "C5", "COL", "WORK"))
DB = os.environ["C5HUB_DB"]
LEVELS = ["clear", "green", "amber", "amber+strict", "red"]
TT = "application/taxii+json;version=2.1"

# principal -> (token, kind, organisation)
WHO = {
    "giver": (os.environ["T_A"], "giver", "Bank A"),
    "named-reader": (os.environ["T_B"], "named", "Ministry B"),
    "named-analyst": (os.environ["T_BA"], "named", "Ministry B"),
    "other-reader": (os.environ["T_CR"], "other", "Other C"),
    "other-contributor": (os.environ["T_CC"], "other", "Other C"),
    "other-analyst": (os.environ["T_CA"], "other", "Other C"),
    "other-admin": (os.environ["T_CD"], "other", "Other C"),
    "peer-hub": (os.environ["T_P"], "peer", "Hub P"),
    "hub-team": (os.environ["T_H"], "hub", "hub"),
    "anonymous": (None, "anon", None),
}


def tlp2(kind, level, named):
    """TLP 2.0: may this kind of principal see an object at level, given by
    Bank A and (named) shared by name with Ministry B and Hub P?"""
    if kind == "anon":
        return False
    if kind in ("giver", "hub"):
        return True
    if LEVELS.index(level) <= 1:
        return True
    if named and kind == "named":
        return True
    if named and kind == "peer":
        return level != "red"  # never RED to a peer hub
    return False


def warned(kind, level, audience_all):
    """A warning is for its audience (Ministry B and Hub P, or all), its
    author's organisation and the hub; RED never to a peer hub."""
    if kind == "anon":
        return False
    if kind in ("giver", "hub"):
        return True
    if not audience_all and kind == "other":
        return False
    return not (kind == "peer" and level == "red")


counts = {"ok": 0, "not ok": 0}


def cell(desc, got, want):
    r = "ok" if got == want else "not ok"
    counts[r] += 1
    print("%s - %s%s" % (r, desc, "" if got == want else " (got %r, want %r)" % (got, want)))


def http(tok, method, path, body=None, accept=None, headers=None):
    h = dict(headers or {})
    if tok:
        h["Authorization"] = "Bearer " + tok
    if accept:
        h["Accept"] = accept
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        h["Content-Type"] = "application/json" if not accept else TT
    req = urllib.request.Request(BASE + path, data=data, method=method, headers=h)
    try:
        with urllib.request.urlopen(req, timeout=20) as resp:
            raw = resp.read()
            return resp.status, (json.loads(raw) if raw.strip() else None)
    except urllib.error.HTTPError as e:
        raw = e.read()
        try:
            return e.code, json.loads(raw)
        except ValueError:
            return e.code, None


# ---- the objects: five STIX indicators shared by name, five native ones ----
STIX = {"192.0.2.%d" % (10 + i): lvl for i, lvl in enumerate(LEVELS)}
NATIVE = {"198.51.100.%d" % (10 + i): lvl for i, lvl in enumerate(LEVELS)}
ALL = dict(STIX, **NATIVE)
NAMED = set(STIX)
CLS = {v: ("malicious-code/c2-server" if v.endswith(("10", "12", "14")) else "fraud/phishing") for v in NATIVE}
st, _ = http(WHO["giver"][0], "POST", "/api/v1/indicators",
             [{"value": v, "tlp": lvl, "confidence": 90, "classification": CLS[v], "source": "bank-a"}
              for v, lvl in NATIVE.items()])
cell("setup: the giver adds five native indicators", st, 201)


def want_of(kind, v):
    return tlp2(kind, ALL[v], v in NAMED)


def values_cells(path, who, got_values, expected_values):
    """One cell per object: is it in the answer exactly when it should be?"""
    for v in sorted(ALL):
        cell("%s | %s | %s %s" % (path, who, "named" if v in NAMED else "native", ALL[v]),
             v in got_values, v in expected_values)


# every indicator as the hub's team sees it (ids, sources, classifications)
st, d = http(WHO["hub-team"][0], "GET", "/api/v1/indicators?limit=1000")
ROWS = {i["value"]: i for i in d["indicators"] if i["value"] in ALL}
cell("setup: the hub's team lists all ten", len(ROWS), 10)


def listing(tok, q):
    """Every value of the indicator list under query q, following the cursor."""
    out, cur = set(), None
    for _ in range(50):
        st, d = http(tok, "GET", "/api/v1/indicators?" + q + ("&cursor=" + cur if cur else ""))
        if st != 200:
            return st
        out |= {i["value"] for i in d["indicators"]}
        cur = d.get("next_cursor")
        if not cur:
            break
    return out


FILTERS = [("", lambda v: True),
           ("type=ipv4-addr", lambda v: True),
           ("org=Bank%20A", lambda v: True),
           ("since=2000-01-01T00:00:00Z", lambda v: True),
           ("limit=1", lambda v: True),
           ("limit=3", lambda v: True),
           ("source=bank-a", lambda v: v in NATIVE),
           ("source=" + urllib.parse.quote(ROWS["192.0.2.10"]["source"]), lambda v: v in STIX),
           ("classification=fraud", lambda v: ROWS[v]["classification"].startswith("fraud/")),
           ("classification=malicious-code/c2-server",
            lambda v: ROWS[v]["classification"] == "malicious-code/c2-server")]
FILTERS += [("tlp=" + urllib.parse.quote(l), (lambda m: lambda v: LEVELS.index(ALL[v]) <= m)(i))
            for i, l in enumerate(LEVELS)]

for who, (tok, kind, org) in WHO.items():
    # ---- the indicator list under every filter, and one value at a time
    for q, keep in FILTERS:
        got = listing(tok, q)
        if kind == "anon":
            cell("GET /api/v1/indicators?%s | %s: refused" % (q, who), got, 401)
            continue
        values_cells("GET /api/v1/indicators?" + q, who, got,
                     {v for v in ALL if want_of(kind, v) and keep(v)})
    for v in ALL:
        got = listing(tok, "value=" + v)
        if kind != "anon":
            cell("GET /api/v1/indicators?value=%s | %s" % (v, who), v in got, want_of(kind, v))
    # ---- one indicator, look-ups and reputation
    for v in sorted(ALL):
        w = want_of(kind, v)
        st, _ = http(tok, "GET", "/api/v1/indicators/%d" % ROWS[v]["id"])
        cell("GET /api/v1/indicators/{id} %s | %s" % (v, who), st, 200 if w else 401 if kind == "anon" else 404)
        st, d = http(tok, "GET", "/api/v1/lookup?value=" + v)
        cell("GET /api/v1/lookup %s | %s" % (v, who), bool(d and d.get("matches")) if st == 200 else st,
             w if kind != "anon" else 401)
        st, d = http(tok, "GET", "/api/v1/reputation/" + v)
        cell("GET /api/v1/reputation %s | %s" % (v, who), bool(d and d.get("reports")) if st == 200 else st,
             w if kind != "anon" else 401)
    if kind == "anon":
        for p in ("/api/v1/lookup", "/api/v1/reputation"):
            st, _ = http(None, "POST", p, {"values": sorted(ALL)})
            cell("POST %s | anonymous: refused" % p, st, 401)
    else:
        st, d = http(tok, "POST", "/api/v1/lookup", {"values": sorted(ALL)})
        values_cells("POST /api/v1/lookup", who, {r["value"] for r in d["results"] if r.get("matches")},
                     {v for v in ALL if want_of(kind, v)})
        st, d = http(tok, "POST", "/api/v1/reputation", {"values": sorted(ALL)})
        values_cells("POST /api/v1/reputation", who, {r["value"] for r in d["results"] if r.get("score", 0) > 0},
                     {v for v in ALL if want_of(kind, v)})
    # ---- TAXII: objects, manifest, one object, its versions
    base = "/taxii2/api1/collections/%s/" % COL
    st, d = http(tok, "GET", base + "objects/?limit=100", accept=TT)
    if kind == "anon":
        cell("TAXII objects | anonymous: refused", st, 401)
    else:
        values_cells("TAXII objects", who, {o.get("name") for o in d.get("objects", [])},
                     {v for v in STIX if want_of(kind, v)})
        st, d = http(tok, "GET", base + "manifest/?limit=100", accept=TT)
        ids = {o["id"] for o in d.get("objects", [])}
        values_cells("TAXII manifest", who,
                     {v for i, v in enumerate(sorted(STIX)) if "indicator--%08d-0000-4000-8000-000000000000" % i in ids},
                     {v for v in STIX if want_of(kind, v)})
    for i, v in enumerate(sorted(STIX)):
        oid = "indicator--%08d-0000-4000-8000-000000000000" % i
        for what in ("objects/%s/" % oid, "objects/%s/versions/" % oid):
            st, _ = http(tok, "GET", base + what, accept=TT)
            cell("TAXII %s (%s) | %s" % (what.split("/")[0] + ("/versions" if "versions" in what else "/{id}"), STIX[v], who),
                 st, 200 if want_of(kind, v) else 401 if kind == "anon" else 404)

# ---- TAXII DELETE: only the giver (or the hub's admins); unseen = unknown
oid = "indicator--%08d-0000-4000-8000-000000000000" % 4  # RED
for who in ("other-admin", "peer-hub", "named-analyst"):
    tok, kind, _ = WHO[who]
    st, _ = http(tok, "DELETE", "/taxii2/api1/collections/%s/objects/%s/" % (COL, oid), accept=TT)
    want = 403 if tlp2(kind, "red", True) else 404
    cell("TAXII DELETE of the giver's RED object | %s" % who, st, want)
st, _ = http(WHO["other-admin"][0], "DELETE", "/taxii2/api1/collections/%s/objects/indicator--99999999-0000-4000-8000-000000000000/" % COL, accept=TT)
cell("TAXII DELETE of an unknown object | other-admin: the same 404", st, 404)

# ---- exports: what each organisation may see, never RED
for org, kind in (("Bank A", "giver"), ("Ministry B", "named"), ("Other C", "other"), ("Hub P", "peer")):
    for fmt in ("stix", "misp", "iodef"):
        out = os.path.join(WORK, "x-" + fmt)
        subprocess.run(["rm", "-rf", out])
        r = subprocess.run([C5, "export", "--format", fmt, "--org", org, "--out", out], capture_output=True, text=True)
        text = ""
        if os.path.isdir(out):
            for f in os.listdir(out):
                text += open(os.path.join(out, f)).read()
        elif os.path.exists(out):
            text = open(out).read()
        values_cells("export --format %s --org" % fmt, org, {v for v in ALL if v in text},
                     {v for v in ALL if want_of(kind, v) and ALL[v] != "red"})
for top in ("clear", "green", "amber", "amber+strict"):
    r = subprocess.run([C5, "export", "--format", "plain", "--tlp-max", top], capture_output=True, text=True)
    values_cells("export --format plain --tlp-max " + top, "operator", set(r.stdout.split()),
                 {v for v in ALL if LEVELS.index(ALL[v]) <= LEVELS.index(top)})
r = subprocess.run([C5, "export", "--format", "plain", "--tlp-max", "red"], capture_output=True, text=True)
cell("export of a RED block list: refused", r.returncode, 2)

# ---- DNS: the public, CLEAR and GREEN
for v in sorted(ALL):
    q = ".".join(reversed(v.split("."))) + ".ip.test"
    r = subprocess.run(["dig", "+short", "+time=2", "+tries=1", "-p", DP, "@127.0.0.1", q, "A"],
                       capture_output=True, text=True)
    cell("DNS %s (%s)" % (v, ALL[v]), bool(r.stdout.strip()), LEVELS.index(ALL[v]) <= 1)

# ---- warnings: by name (Ministry B, Hub P) and to all; RED only by name
TITLES = {}
for lvl in LEVELS:
    st, _ = http(WHO["giver"][0], "POST", "/api/v1/warnings",
                 {"title": "wn-" + lvl, "classification": "malicious-code/c2-server", "tlp": lvl,
                  "audience": "Ministry B,Hub P", "observables": ["192.0.2.99"]})
    cell("warning to named recipients at %s: raised" % lvl, st, 201)
    TITLES["wn-" + lvl] = (lvl, False)
    st, _ = http(WHO["giver"][0], "POST", "/api/v1/warnings",
                 {"title": "wa-" + lvl, "classification": "malicious-code/c2-server", "tlp": lvl,
                  "audience": "all", "observables": ["192.0.2.99"]})
    cell("warning to all at %s: %s" % (lvl, "refused" if lvl == "red" else "raised"), st,
         400 if lvl == "red" else 201)
    if lvl != "red":
        TITLES["wa-" + lvl] = (lvl, True)
# one kept from before RED to all was refused
subprocess.run(["sqlite3", "-cmd", ".timeout 10000", DB, "INSERT INTO warnings(org_id, author, title, classification, severity, tlp, "
                "audience, observables, created) SELECT id, 'old', 'wa-red', 'malicious-code/c2-server', "
                "'high', 4, 'all', '[]', strftime('%s','now') FROM orgs WHERE name = 'Bank A'"], check=True)
TITLES["wa-red"] = ("red", True)

for who, (tok, kind, org) in WHO.items():
    st, d = http(tok, "GET", "/api/v1/warnings")
    if kind == "anon":
        cell("GET /api/v1/warnings | anonymous: refused", st, 401)
        continue
    got = {w["title"] for w in d["warnings"]}
    args = ["curl", "-s", "-N", "--max-time", "2", "-H", "Authorization: Bearer " + tok,
            "-H", "Last-Event-ID: 0", BASE + "/api/v1/stream"]
    sse = subprocess.run(args, capture_output=True, text=True).stdout
    seen = set()
    for line in sse.splitlines():
        if line.startswith("data: "):
            try:
                seen.add(json.loads(line[6:]).get("title"))
            except ValueError:
                pass
    for t, (lvl, to_all) in sorted(TITLES.items()):
        want = warned(kind, lvl, to_all)
        cell("GET /api/v1/warnings %s | %s" % (t, who), t in got, want)
        cell("GET /api/v1/stream %s | %s" % (t, who), t in seen, want)
    st, d = http(tok, "GET", "/api/v1/deliveries")
    orgs = {x["organisation"] for x in d.get("deliveries", [])}
    if kind == "hub":
        cell("GET /api/v1/deliveries | hub-team sees every organisation's", orgs >= {"Ministry B", "Hub P"}, True)
    else:
        cell("GET /api/v1/deliveries | %s sees only its own" % who, orgs <= {org}, True)

print("# %d cells, %d failed" % (counts["ok"] + counts["not ok"], counts["not ok"]))
sys.exit(1 if counts["not ok"] else 0)
