#!/usr/bin/env python3
"""console_trust.py -- the console's tokens, certificate requests,
certificates and audit log in a real browser, for test_console_trust.sh,
which sets the hub up (a CA; requests bank1 and bank2 of Bank A, other1 of
Other C; a token of Other C).  Prints "ok - ..." / "not ok - ...".

Tokens: made (shown once; it works on the API), revoked (it stops), never
another organisation's (guessed id: not found), bad input and forged forms
change nothing.  Requests: each organisation sees its own, the hub's admins
all and approve (the certificate verifies with openssl against the CA),
reject, refuse bad days; certificates revoked into the CRL; the audit log
and its verification, intact then broken."""
import json, os, subprocess, sys, time, urllib.error, urllib.parse, urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from browser_lib import BASE, By, browser, cell, check_page, finish, sign_in, submit  # noqa: E402

DB, PKI = os.environ["C5HUB_DB"], os.environ["PKI"]
E = json.loads(os.environ["SETUP"])


def sql(q):
    return subprocess.run(["sqlite3", "-cmd", ".timeout 5000", DB, q], capture_output=True, text=True).stdout.strip()


def sid(d):
    return {k["name"]: k["value"] for k in d.get_cookies()}["c5sid"]


def http(path, fields=None, cookie=None, token=None):
    """A GET (fields None) or form POST; (status, body)."""
    h = {}
    if cookie:
        h["Cookie"] = "c5sid=" + cookie
    if token:
        h["Authorization"] = "Bearer " + token
    data = None
    if fields is not None:
        data = urllib.parse.urlencode(fields).encode()
        h["Content-Type"] = "application/x-www-form-urlencoded"
    req = urllib.request.Request(BASE + path, data=data, headers=h, method="POST" if data is not None else "GET")
    try:
        r = urllib.request.urlopen(req)
        return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def csrf(d):
    return d.find_element(By.CSS_SELECTOR, "input[name=csrf]").get_attribute("value")


def anew(d, email):
    d.delete_all_cookies()
    sign_in(d, email, E["pw"])


def rid(cn):
    return int(sql("SELECT id FROM pki_requests WHERE dn LIKE '%%CN=%s%%'" % cn))


a = browser()
b = browser()
try:
    # ---- an admin of Bank A: its tokens
    anew(a, E["bea"])
    cell("the menu offers tokens and certificates", a.find_elements(By.CSS_SELECTOR, 'nav a[href="/console/trust"]'))
    a.get(BASE + "/console/trust")
    check_page(a, "trust")
    other_prefix = E["other_token"][:12]
    cell("another organisation's token is not listed", other_prefix not in a.page_source)
    n0 = sql("SELECT count(*) FROM tokens")
    a.find_element(By.ID, "t-role").send_keys("analyst")
    a.find_element(By.ID, "t-label").send_keys("SIEM pull")
    submit(a)
    check_page(a, "trust-token")
    tok = a.find_element(By.ID, "new-token").get_attribute("value")
    cell("the new token is shown once", tok.startswith("c5h_") and len(tok) == 47, tok[:8])
    st, body = http("/api/v1/whoami", token=tok)
    who = json.loads(body) if st == 200 else {}
    cell("and works on the API, as Bank A's analyst", who.get("organisation") == "Bank A" and who.get("role") == "analyst", (st, body[:200]))
    cell("the store keeps its hash, not the token", tok not in sql(".dump tokens") and
         sql("SELECT label FROM tokens WHERE prefix = '%s'" % tok[:12]) == "SIEM pull")
    a.get(BASE + "/console/trust")
    tid = int(sql("SELECT id FROM tokens WHERE prefix = '%s'" % tok[:12]))
    submit(a, "#token-%d button" % tid)
    cell("revoking redirects to the page", a.current_url.endswith("/console/trust"), a.current_url)
    time.sleep(1.2)
    st, _ = http("/api/v1/whoami", token=tok)
    cell("the revoked token is refused by the API", st == 401, st)

    # ---- another organisation's tokens: not found, nothing changed
    oid = int(sql("SELECT id FROM tokens WHERE prefix = '%s'" % other_prefix))
    st, body = http("/console/trust/tokens/%d" % oid, {"csrf": csrf(a)}, cookie=sid(a))
    cell("a guessed id of Other C's token answers not found", st == 404 and "No such active token" in body, st)
    st, _ = http("/api/v1/whoami", token=E["other_token"])
    cell("and the token still works", st == 200, st)
    st, body = http("/console/trust/tokens", {"csrf": csrf(a), "org": "Other C", "role": "admin"}, cookie=sid(a))
    cell("an admin of Bank A cannot make a token for Other C", st == 403 and "own organisation" in body, st)
    st, body = http("/console/trust/tokens", {"csrf": csrf(a), "role": "root"}, cookie=sid(a))
    cell("an unknown role is refused, naming the field", st == 400 and "Role:" in body, st)
    st, _ = http("/console/trust/tokens", {"csrf": "forged", "role": "admin"}, cookie=sid(a))
    cell("a form with a wrong CSRF token is refused (403)", st == 403, st)
    cell("none of these made a token", sql("SELECT count(*) FROM tokens") == str(int(n0) + 1))

    # ---- requests: Bank A sees its own, decides nothing
    a.get(BASE + "/console/trust?status=all")
    src = a.page_source
    cell("Bank A's admin sees Bank A's requests", "CN=bank1" in src and "CN=bank2" in src)
    cell("and not Other C's", "CN=other1" not in src)
    cell("and is offered no decision, no certificates, no audit log",
         not a.find_elements(By.CSS_SELECTOR, 'button[value="approve"]') and not a.find_elements(By.ID, "certs"))
    st, _ = http("/console/trust/requests/%d" % rid("bank1"), {"csrf": csrf(a), "action": "approve"}, cookie=sid(a))
    cell("an organisation's admin cannot approve (403)", st == 403 and sql("SELECT status FROM pki_requests WHERE id = %d" % rid("bank1")) == "pending", st)
    a.get(BASE + "/console/audit")
    cell("nor read the audit log", "for the hub's administrators" in a.page_source)

    # ---- a reader: no tokens, its organisation's requests
    anew(b, E["tom"])
    b.get(BASE + "/console/trust")
    cell("a reader sees no tokens", not b.find_elements(By.ID, "tokens") and other_prefix not in b.page_source)
    cell("and its organisation's pending requests", "CN=bank1" in b.page_source and "CN=other1" not in b.page_source)
    st, _ = http("/console/trust/tokens", {"csrf": csrf(b), "role": "reader"}, cookie=sid(b))
    cell("and cannot make a token (403)", st == 403, st)
    b.get(BASE + "/console/trust?status=bogus")
    cell("an unknown status is refused, naming the field", "Status: pending, approved, rejected or all." in b.page_source)

    # ---- the hub's admin: approve, reject, revoke
    anew(b, E["hana"])
    b.get(BASE + "/console/trust")
    check_page(b, "trust-hub")
    cell("the hub's admin sees every organisation's requests", all(("CN=" + c) in b.page_source for c in ("bank1", "bank2", "other1")))
    cell("and every token", other_prefix in b.page_source)
    r1, r2 = rid("bank1"), rid("bank2")
    b.find_element(By.ID, "days-%d" % r1).clear()
    b.find_element(By.ID, "days-%d" % r1).send_keys("0")
    submit(b, '#request-%d button[value="approve"]' % r1)
    cell("a validity of 0 days is refused, naming the field", "Days: a whole number from 1 to 825." in b.page_source)
    cell("and the request is still pending", sql("SELECT status FROM pki_requests WHERE id = %d" % r1) == "pending")
    b.get(BASE + "/console/trust")
    b.find_element(By.ID, "days-%d" % r1).clear()
    b.find_element(By.ID, "days-%d" % r1).send_keys("30")
    submit(b, '#request-%d button[value="approve"]' % r1)
    check_page(b, "trust-cert")
    pem = b.find_element(By.ID, "cert-pem").get_attribute("value")
    cell("approving shows the certificate", "BEGIN CERTIFICATE" in pem, pem[:60])
    path = os.path.join(E["work"], "bank1.pem")
    open(path, "w").write(pem)
    v = subprocess.run(["openssl", "verify", "-CAfile", os.path.join(PKI, "ca.pem"), "-purpose", "sslclient", path],
                       capture_output=True, text=True)
    cell("it verifies against the hub's CA, for TLS clients", v.returncode == 0, v.stdout + v.stderr)
    days = subprocess.run(["openssl", "x509", "-noout", "-enddate", "-in", path], capture_output=True, text=True).stdout
    cell("valid for the 30 days asked", time.strftime("%Y", time.gmtime(time.time() + 30 * 86400)) in days, days)
    st, body = http("/console/trust/certificate/%d" % r1, cookie=sid(b))
    cell("the certificate can be downloaded again", st == 200 and body == pem, st)
    st, _ = http("/console/trust/requests/%d" % r1, {"csrf": csrf(b), "action": "approve"}, cookie=sid(b))
    cell("a request is approved only once (409)", st == 409 and sql("SELECT count(*) FROM certs WHERE request_id = %d" % r1) == "1", st)
    st, body = http("/console/trust/requests/999999", {"csrf": csrf(b), "action": "reject"}, cookie=sid(b))
    cell("an unknown request answers not found", st == 404 and "No such request" in body, st)
    b.get(BASE + "/console/trust")
    submit(b, '#request-%d button[value="reject"]' % r2)
    cell("rejecting one", sql("SELECT status FROM pki_requests WHERE id = %d" % r2) == "rejected")

    # ---- the certificate seen by its own organisation, not another's
    anew(a, E["tom"])
    st, body = http("/console/trust/certificate/%d" % r1, cookie=sid(a))
    cell("Bank A's reader downloads its organisation's certificate", st == 200 and body == pem, st)
    anew(a, E["carl"])
    st, body = http("/console/trust/certificate/%d" % r1, cookie=sid(a))
    cell("Other C's admin, by a guessed URL, gets not found", st == 404 and "BEGIN CERTIFICATE" not in body, st)

    # ---- revoke: the CRL lists it
    b.get(BASE + "/console/trust")
    serial = sql("SELECT serial FROM certs WHERE request_id = %d" % r1)
    submit(b, "#cert-%s button" % serial)
    cell("revoking the certificate", sql("SELECT revoked IS NOT NULL FROM certs WHERE serial = '%s'" % serial) == "1")
    crl = subprocess.run(["openssl", "crl", "-noout", "-text", "-in", os.path.join(PKI, "crl.pem")],
                         capture_output=True, text=True).stdout.replace(":", "").lower()
    cell("and the CRL lists it", serial.replace(":", "").lower().lstrip("0") in crl, serial)
    st, _ = http("/console/trust/certs/%s" % serial, {"csrf": csrf(b)}, cookie=sid(b))
    cell("revoking twice answers not found", st == 404, st)

    # ---- the audit log and its verification
    b.get(BASE + "/console/audit")
    check_page(b, "audit")
    verdict = b.find_element(By.ID, "audit-verdict").text
    cell("the audit page says the chain is intact", "intact" in verdict, verdict)
    src = b.page_source
    cell("and lists the console's changes with who made them", "tokens.create" in src and "person bea@bank.example" in src
         and "pki.approve" in src and "pki.reject" in src and "pki.revoke" in src)
    sql("UPDATE audit SET detail = 'nothing' WHERE seq = 3")
    b.get(BASE + "/console/audit")
    verdict = b.find_element(By.ID, "audit-verdict").text
    cell("an altered entry: the page says the chain is broken, and where", "BROKEN" in verdict and "3" in verdict, verdict)

    # ---- French
    b.get(BASE + "/lang?lang=fr&back=/console/trust")
    cell("the page is in French", "Jetons et certificats" in b.page_source and "Demandes de certificat" in b.page_source)
    check_page(b, "trust-fr")
finally:
    a.quit()
    b.quit()
sys.exit(finish())
