#!/usr/bin/env python3
"""console_people.py -- the console's people page in a real browser, for
test_console_people.sh, which sets the hub up.  Prints "ok - ..." /
"not ok - ..." per check.

An admin of Bank A adds a person (the enrolment link shown once works in a
second browser), disables, enables, resets and re-roles Bank A's people,
and never sees or touches Other C's (guessed ids and e-mails answer not
found); a reader has no such page; bad input and a forged form change
nothing; the hub's admins manage everyone; axe-core on every page."""
import json, os, subprocess, sys, urllib.error, urllib.parse, urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from browser_lib import BASE, By, browser, cell, check_page, finish, sign_in, submit  # noqa: E402

DB = os.environ["C5HUB_DB"]
E = json.loads(os.environ["SETUP"])


def sql(q):
    return subprocess.run(["sqlite3", "-cmd", ".timeout 5000", DB, q], capture_output=True, text=True).stdout.strip()


def post(d, path, fields):
    """A form POST with d's session cookie (fields["csrf"] as given); the status."""
    sid = {k["name"]: k["value"] for k in d.get_cookies()}["c5sid"]
    req = urllib.request.Request(BASE + path, data=urllib.parse.urlencode(fields).encode(), method="POST",
                                 headers={"Cookie": "c5sid=" + sid,
                                          "Content-Type": "application/x-www-form-urlencoded"})
    try:
        r = urllib.request.urlopen(req)
        return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def sign_in_anew(d, email, pw):
    """Sign in as another person in the same browser."""
    d.delete_all_cookies()
    sign_in(d, email, pw)


def csrf(d):
    return d.find_element(By.CSS_SELECTOR, "input[name=csrf]").get_attribute("value")


def row(d, email):
    for tr in d.find_elements(By.CSS_SELECTOR, "#people tbody tr"):
        if tr.find_element(By.TAG_NAME, "th").text == email:
            return tr
    return None


a = browser()
b = browser()
try:
    # ---- an admin of Bank A: the page, its people only
    sign_in(a, E["bea"], E["pw"])
    cell("the admin of Bank A signs in", a.current_url.endswith("/console"), a.current_url)
    cell("the menu offers the people page to an admin", a.find_elements(By.CSS_SELECTOR, 'nav a[href="/console/people"]'))
    a.get(BASE + "/console/people")
    check_page(a, "people")
    src = a.page_source
    cell("the page lists Bank A's people", E["tom"] in src and E["bea"] in src, src[-800:])
    cell("and not Other C's, nor the hub's", E["carl"] not in src and E["hana"] not in src)
    cell("no action is offered on one's own account",
         row(a, E["bea"]) is not None and not row(a, E["bea"]).find_elements(By.TAG_NAME, "form"))

    # ---- add: the link shown once, used in a second browser
    a.find_element(By.ID, "p-email").send_keys("Nina@Bank.example")
    a.find_element(By.ID, "p-name").send_keys("Nina N")
    a.find_element(By.ID, "p-role").send_keys("analyst")
    submit(a)
    check_page(a, "people-link")
    link = a.find_element(By.ID, "enrol-link").get_attribute("value")
    cell("the new account's enrolment link is shown", link.startswith(BASE + "/enrol/") and len(link) > len(BASE) + 40, link)
    cell("the account is in the store, in Bank A, an analyst",
         sql("SELECT o.name, u.role, u.name FROM users u JOIN orgs o ON o.id = u.org_id WHERE email = 'nina@bank.example'")
         == "Bank A|analyst|Nina N")
    cell("the link is not kept in clear", link.rsplit("/", 1)[1] not in sql(".dump"))
    b.get(link)
    cell("the link opens the enrolment page in another browser", "nina@bank.example" in b.page_source)
    b.find_element(By.ID, "password").send_keys(E["pw"] + " x7")
    b.find_element(By.ID, "again").send_keys(E["pw"] + " x7")
    submit(b)
    sign_in_anew(b, "nina@bank.example", E["pw"] + " x7")
    cell("the new person signs in with the password chosen", b.current_url.endswith("/console"), b.current_url)
    cell("an analyst is not offered the people page", not b.find_elements(By.CSS_SELECTOR, 'nav a[href="/console/people"]'))

    # ---- bad input: the error names the field, nothing stored
    a.get(BASE + "/console/people")
    n0 = sql("SELECT count(*) FROM users")
    a.find_element(By.ID, "p-email").send_keys("not an address")
    a.execute_script("document.getElementById('p-email').type = 'text'")  # past the browser's own check
    submit(a)
    err = a.find_element(By.CSS_SELECTOR, ".flash.bad").text if a.find_elements(By.CSS_SELECTOR, ".flash.bad") else ""
    cell("a bad e-mail address is refused, naming the field", "E-mail address" in err, err)
    cell("and the form keeps what was typed", a.find_element(By.ID, "p-email").get_attribute("value") == "not an address")
    a.find_element(By.ID, "p-email").clear()
    a.find_element(By.ID, "p-email").send_keys(E["carl"])
    submit(a)
    err = a.find_element(By.CSS_SELECTOR, ".flash.bad").text if a.find_elements(By.CSS_SELECTOR, ".flash.bad") else ""
    cell("an address that has an account is refused", "already has an account" in err, err)
    cell("nothing was added, and Other C's person is untouched", sql("SELECT count(*) FROM users") == n0 and
         sql("SELECT o.name FROM users u JOIN orgs o ON o.id = u.org_id WHERE email = '%s'" % E["carl"]) == "Other C")
    check_page(a, "people-error")

    # ---- disable, enable, change the role
    sign_in_anew(b, E["tom"], E["pw"])
    a.get(BASE + "/console/people")
    submit(a, '#person-%d button[value="disable"]' % E["tom_id"])
    cell("disabling redirects to the list", a.current_url.endswith("/console/people"), a.current_url)
    cell("the account is disabled in the store", sql("SELECT disabled FROM users WHERE email = '%s'" % E["tom"]) == "1")
    b.get(BASE + "/console")
    cell("and its session ended at once", b.current_url.endswith("/signin"), b.current_url)
    cell("the list says so", "disabled" in row(a, E["tom"]).text)
    submit(a, '#person-%d button[value="enable"]' % E["tom_id"])
    cell("enabling it again", sql("SELECT disabled FROM users WHERE email = '%s'" % E["tom"]) == "0")
    a.find_element(By.ID, "role-%d" % E["tom_id"]).send_keys("contributor")
    submit(a, '#person-%d button[value="role"]' % E["tom_id"])
    cell("the role is changed", sql("SELECT role FROM users WHERE email = '%s'" % E["tom"]) == "contributor")

    # ---- reset: a new link, the old password and sessions gone
    a.get(BASE + "/console/people")
    nina = sql("SELECT id FROM users WHERE email = 'nina@bank.example'")
    sign_in_anew(b, "nina@bank.example", E["pw"] + " x7")
    submit(a, '#person-%s button[value="reset"]' % nina)
    link2 = a.find_element(By.ID, "enrol-link").get_attribute("value")
    cell("a reset shows a new link", link2.startswith(BASE + "/enrol/") and link2 != link, link2)
    b.get(BASE + "/console")
    cell("the person's session ended", b.current_url.endswith("/signin"), b.current_url)
    b.get(link2)
    b.find_element(By.ID, "password").send_keys(E["pw"] + " anew")
    b.find_element(By.ID, "again").send_keys(E["pw"] + " anew")
    submit(b)
    sign_in_anew(b, "nina@bank.example", E["pw"] + " anew")
    cell("the new link sets a new password", b.current_url.endswith("/console"), b.current_url)

    # ---- another organisation's people: guessed ids and e-mails answer not found
    a.get(BASE + "/console/people")
    tok = csrf(a)
    for what, path in (("id", "/console/people/%d" % E["carl_id"]), ("e-mail", "/console/people/" + E["carl"]),
                       ("unknown id", "/console/people/999999")):
        st, body = post(a, path, {"csrf": tok, "action": "disable"})
        cell("a guessed %s of another organisation's person answers not found" % what,
             st == 404 and "No such account" in body, st)
    st, body = post(a, "/console/people/%d" % E["carl_id"], {"csrf": tok, "action": "reset"})
    cell("and cannot be reset either", st == 404 and "/enrol/" not in body, st)
    cell("Other C's person is untouched", sql("SELECT disabled, password != '' FROM users WHERE id = %d" % E["carl_id"]) == "0|1")
    st, _ = post(a, "/console/people/%d" % E["bea_id"], {"csrf": tok, "action": "role", "role": "reader"})
    cell("an admin cannot demote themself", st == 404 and sql("SELECT role FROM users WHERE id = %d" % E["bea_id"]) == "admin", st)
    st, body = post(a, "/console/people", {"csrf": tok, "email": "x@other.example", "role": "admin", "org": "Other C"})
    cell("an admin of Bank A cannot add to Other C", st == 403 and "own organisation" in body, st)
    cell("and nothing was added", sql("SELECT count(*) FROM users WHERE email = 'x@other.example'") == "0")

    # ---- CSRF: a form without the session's token changes nothing
    st, _ = post(a, "/console/people/%d" % E["tom_id"], {"csrf": "forged", "action": "disable"})
    cell("a form with a wrong CSRF token is refused (403)", st == 403, st)
    st, _ = post(a, "/console/people", {"csrf": "forged", "email": "forged@bank.example", "role": "admin"})
    cell("and nothing was changed", st == 403 and sql("SELECT disabled FROM users WHERE id = %d" % E["tom_id"]) == "0" and
         sql("SELECT count(*) FROM users WHERE email = 'forged@bank.example'") == "0")

    # ---- a reader: no such page
    sign_in_anew(b, E["carl"], E["pw"])
    b.get(BASE + "/console/people")
    cell("a reader gets a refusal, not the page", "needs the admin role" in b.page_source and "p-email" not in b.page_source)
    check_page(b, "people-refused")
    st, _ = post(b, "/console/people/%d" % E["tom_id"], {"csrf": csrf(b), "action": "disable"})
    cell("and its forms are refused (403)", st == 403 and sql("SELECT disabled FROM users WHERE id = %d" % E["tom_id"]) == "0", st)

    # ---- the hub's admins manage everyone
    sign_in_anew(b, E["hana"], E["pw"])
    b.get(BASE + "/console/people")
    src = b.page_source
    cell("the hub's admin sees every organisation's people", all(e in src for e in (E["carl"], E["tom"], E["bea"])))
    check_page(b, "people-hub")
    b.find_element(By.ID, "p-email").send_keys("olga@other.example")
    b.find_element(By.ID, "p-org").send_keys("Other C")
    submit(b)
    cell("and adds one to Other C", sql("SELECT o.name, u.role FROM users u JOIN orgs o ON o.id = u.org_id "
                                        "WHERE email = 'olga@other.example'") == "Other C|reader")
    b.get(BASE + "/console/people")
    submit(b, '#person-%d button[value="disable"]' % E["carl_id"])
    cell("and disables Other C's person", sql("SELECT disabled FROM users WHERE id = %d" % E["carl_id"]) == "1")

    # ---- French
    a.get(BASE + "/lang?lang=fr&back=/console/people")
    cell("the page is in French", "Ajouter une personne" in a.page_source and "Personnes" in a.page_source)
    check_page(a, "people-fr")
finally:
    a.quit()
    b.quit()
sys.exit(finish())
