#!/usr/bin/env python3
"""console_sharing.py -- the console's sharing page in a real browser, for
test_console_sharing.sh, which sets the hub up (Bank A gave bank-green,
bank-amber, bank-red; Other C gave other-green, other-amber, other-red; a
collection every member reads, one for Bank A, one for Ministry B; a peer
whose last sync failed; a reader token of Ministry B).  Prints "ok - ..." /
"not ok - ...".

The giver shares its AMBER object with Ministry B from the page; Ministry B
then sees it on the page and through the API.  A recipient's share without
the creator's permission, a reader's share, a forged form, an unknown
organisation change nothing; another organisation's AMBER and RED objects
are never listed nor reached by a guessed id.  With the creator's
permission the recipient re-shares.  Collections with their rights; the
peers for the hub's admins only (never their token)."""
import json, os, re, subprocess, sys, urllib.error, urllib.parse, urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from browser_lib import BASE, By, browser, cell, check_page, finish, sign_in, submit  # noqa: E402

DB = os.environ["C5HUB_DB"]
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


def oid(name):
    return sql("SELECT id FROM stix_objects WHERE json_extract(json, '$.name') = '%s'" % name)


def rid(name):
    return sql("SELECT rid FROM stix_objects WHERE json_extract(json, '$.name') = '%s'" % name)


def named(name):
    """The organisations named recipients of object name, sorted."""
    return sql("SELECT group_concat(n, ',') FROM (SELECT o.name AS n FROM stix_recipients r JOIN orgs o ON o.id = r.org_id "
               "WHERE r.rid = %s ORDER BY n)" % rid(name))


def row(d, name):
    els = d.find_elements(By.ID, "obj-" + rid(name))
    return els[0] if els else None


def lookup(token, value):
    st, body = http("/api/v1/lookup?value=" + value, token=token)
    return st == 200 and bool(json.loads(body).get("matches"))


AMBER, RED, GREEN = "bank-amber", "bank-red", "bank-green"
a = browser()
b = browser()
try:
    # ---- the giver: Bank A's analyst
    anew(a, E["ana"])
    cell("the menu offers sharing", a.find_elements(By.CSS_SELECTOR, 'nav a[href="/console/sharing"]'))
    a.get(BASE + "/console/sharing")
    check_page(a, "sharing")
    src = a.page_source
    cell("Bank A sees its own objects at every level", all(row(a, n) for n in (GREEN, AMBER, RED)))
    cell("and Other C's GREEN one", row(a, "other-green") is not None)
    cell("never Other C's AMBER or RED objects", row(a, "other-amber") is None and row(a, "other-red") is None and
         "other-amber" not in src and "other-red" not in src and oid("other-amber") not in src)
    r = row(a, AMBER)
    cell("a row says type, TLP and giver", r is not None and "indicator" in r.text and "TLP:amber" in r.text and "Bank A" in r.text,
         r.text if r else None)
    cell("a GREEN object offers no sharing (it is for every member)", not row(a, GREEN).find_elements(By.TAG_NAME, "form"))
    cell("Ministry B does not see the AMBER object before", not lookup(E["mb_token"], "192.0.2.11"))

    # a bad organisation: refused, naming the field, nothing stored
    a.find_element(By.ID, "org-" + rid(AMBER)).send_keys("Nobody Inc")
    submit(a, '#obj-%s button[value="share"]' % rid(AMBER))
    cell("an unknown organisation is refused, naming the field", "Organisation: no such organisation." in a.page_source)
    cell("and nothing is stored", named(AMBER) == "")

    # share it from the page
    a.get(BASE + "/console/sharing")
    a.find_element(By.ID, "org-" + rid(AMBER)).send_keys("Ministry B")
    submit(a, '#obj-%s button[value="share"]' % rid(AMBER))
    cell("sharing goes back to the object", "/console/sharing?id=" in a.current_url, a.current_url)
    check_page(a, "sharing-one")
    cell("the store names Ministry B", named(AMBER) == "Ministry B", named(AMBER))
    r = row(a, AMBER)
    cell("the giver sees whom it named", r is not None and "Ministry B" in r.find_elements(By.TAG_NAME, "td")[3].text)

    # a forged form changes nothing
    st, _ = http("/console/sharing/" + oid(RED), {"csrf": "forged", "action": "share", "org": "Ministry B"}, cookie=sid(a))
    cell("a form with a wrong CSRF token is refused (403)", st == 403, st)
    cell("and RED stays Bank A's alone", named(RED) == "")
    # another organisation's objects by guessed id
    st, body = http("/console/sharing?id=" + oid("other-amber"), cookie=sid(a))
    cell("Other C's AMBER object by guessed id: not found", st == 404 and "No such object." in body and "other-amber" not in body, st)
    st, body = http("/console/sharing?id=" + oid("other-red"), cookie=sid(a))
    cell("and its RED one", st == 404 and "other-red" not in body, st)
    st, body = http("/console/sharing/" + oid("other-amber"), {"csrf": csrf(a), "action": "share", "org": "Bank A"}, cookie=sid(a))
    cell("nor can Bank A share it with itself (404)", st == 404 and named("other-amber") == "", st)
    st, body = http("/console/sharing/" + oid(AMBER), {"csrf": csrf(a), "action": "steal", "org": "Other C"}, cookie=sid(a))
    cell("an unknown action is refused", st == 400 and "Unknown action." in body and named(AMBER) == "Ministry B", st)

    # ---- the recipient: Ministry B's analyst
    anew(b, E["mia"])
    b.get(BASE + "/console/sharing")
    check_page(b, "sharing-recipient")
    cell("Ministry B now sees the AMBER object on the page", row(b, AMBER) is not None)
    cell("and through the API", lookup(E["mb_token"], "192.0.2.11"))
    cell("not the RED one", row(b, RED) is None and not lookup(E["mb_token"], "192.0.2.12"))
    r = row(b, AMBER)
    cell("a recipient is not told who else was named, nor offered a share",
         r is not None and not r.find_elements(By.TAG_NAME, "form") and r.find_elements(By.TAG_NAME, "td")[3].text.strip() == "")
    st, body = http("/console/sharing/" + oid(AMBER), {"csrf": csrf(b), "action": "share", "org": "Other C"}, cookie=sid(b))
    cell("its share without the creator's permission is refused (403)",
         st == 403 and "needs the permission of the organisation that created it" in body, (st, body[-300:]))
    st, body = http("/console/sharing/" + oid(AMBER), {"csrf": csrf(b), "action": "permit", "org": "Ministry B"}, cookie=sid(b))
    cell("nor may it permit itself", st == 403 and "only the organisation that created it" in body, st)
    cell("and nothing changed", named(AMBER) == "Ministry B" and sql("SELECT count(*) FROM stix_permits") == "0")
    st, _ = http("/console/sharing?id=" + oid(RED), cookie=sid(b))
    cell("Bank A's RED object by guessed id: not found", st == 404, st)

    # ---- a reader of Bank A: sees, shares nothing
    anew(b, E["tom"])
    b.get(BASE + "/console/sharing")
    cell("a reader sees its organisation's objects, with no forms",
         row(b, AMBER) is not None and not b.find_elements(By.CSS_SELECTOR, "#objects form"))
    st, body = http("/console/sharing/" + oid(RED), {"csrf": csrf(b), "action": "share", "org": "Other C"}, cookie=sid(b))
    cell("and its share is refused (403)", st == 403 and named(RED) == "", st)

    # ---- the creator permits, the recipient re-shares
    a.get(BASE + "/console/sharing?id=" + oid(AMBER))
    a.find_element(By.ID, "org-" + rid(AMBER)).send_keys("Ministry B")
    submit(a, '#obj-%s button[value="permit"]' % rid(AMBER))
    cell("the creator lets Ministry B re-share", sql("SELECT count(*) FROM stix_permits") == "1")
    anew(b, E["mia"])
    b.get(BASE + "/console/sharing")
    cell("Ministry B is now offered the share", bool(row(b, AMBER).find_elements(By.TAG_NAME, "form")))
    b.find_element(By.ID, "org-" + rid(AMBER)).send_keys("Other C")
    submit(b, '#obj-%s button[value="share"]' % rid(AMBER))
    cell("and shares it with Other C", named(AMBER) == "Ministry B,Other C", named(AMBER))
    anew(b, E["olga"])
    b.get(BASE + "/console/sharing")
    cell("who sees it", row(b, AMBER) is not None and row(b, RED) is None)

    # ---- collections and peers
    a.get(BASE + "/console/sharing")
    colls = a.find_element(By.ID, "collections").text
    cell("Bank A's collections with their rights", "Shared intelligence" in colls and "Banks only" in colls and
         "Ministry only" not in colls, colls)
    sh = a.find_element(By.ID, "coll-" + E["col"]).text
    cell("the shared one: read and write", sh.count("yes") == 2, sh)
    cell("no peers for an analyst", not a.find_elements(By.ID, "peers") and "hub-z" not in a.page_source)
    anew(b, E["hana"])
    b.get(BASE + "/console/sharing")
    check_page(b, "sharing-hub")
    peers = b.find_element(By.ID, "peers").text
    cell("the hub's admin sees the peer, its last run and error", "hub-z" in peers and "127.0.0.1:9" in peers and
         sql("SELECT last_error FROM taxii_peers")[:20] in peers, peers)
    cell("never its token", "secret-peer-token" not in b.page_source)
    rows = b.find_elements(By.CSS_SELECTOR, "#objects tbody tr")
    nxt = b.find_elements(By.CSS_SELECTOR, 'a[rel="next"]')
    cell("50 objects a page, newest first, and a link to the older ones",
         len(rows) == 50 and rows[0].get_attribute("id") == "obj-" + rid("other-red") and nxt, len(rows))
    seen = {r.get_attribute("id") for r in rows}
    nxt[0].click()
    rows = b.find_elements(By.CSS_SELECTOR, "#objects tbody tr")
    cell("the next page holds the other 16, none twice, and no further link",
         len(rows) == 16 and not seen & {r.get_attribute("id") for r in rows} and
         not b.find_elements(By.CSS_SELECTOR, 'a[rel="next"]'), len(rows))
    st, _ = http("/console/sharing?before=x", cookie=sid(b))
    cell("a bad cursor is refused", st == 400, st)
    b.get(BASE + "/lang?lang=fr&back=/console/sharing")
    cell("the page in French", "Partagé avec" in b.page_source and "Collections TAXII" in b.page_source)
finally:
    a.quit()
    b.quit()
sys.exit(finish())
