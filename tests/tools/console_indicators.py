#!/usr/bin/env python3
"""console_indicators.py -- the console's indicator pages that change things,
in a real browser, for test_console_indicators.sh (which sets the hub up).
Prints "ok - ..." / "not ok - ..." per check.

Editing (the analyst of the creating organisation; the hub's analyst may
raise a TLP but not lower it; another organisation's indicator shows no form
and a forged form is refused; a hidden one answers not found), a bad value
named and nothing changed, CSRF, adding one indicator, loading a pasted list
and CSV (a bad line named, nothing stored), a reader refused."""
import json, os, subprocess, sys, tempfile, urllib.error, urllib.parse, urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from browser_lib import BASE, By, browser, cell, check_page, finish, sign_in, submit, fill, error_text  # noqa: E402
from selenium.webdriver.support.ui import Select  # noqa: E402

DB = os.environ["C5HUB_DB"]
E = json.loads(os.environ["SETUP"])


def sql(q):
    return subprocess.run(["sqlite3", "-cmd", ".timeout 5000", DB, q], capture_output=True,
                          text=True).stdout.strip()


def row(i):
    return sql("SELECT tlp, confidence, classification, valid_until FROM indicators WHERE id = %d" % i)


def as_user(d, email):
    d.delete_all_cookies()
    sign_in(d, email + "", E["pw"])


def post(d, path, fields, csrf=None):
    """A form POST outside the browser, with its session (and its CSRF token
    unless one is given): the status."""
    sid = {k["name"]: k["value"] for k in d.get_cookies()}["c5sid"]
    if csrf is None:
        csrf = d.find_element(By.NAME, "csrf").get_attribute("value")
    body = urllib.parse.urlencode(dict(fields, csrf=csrf)).encode()
    req = urllib.request.Request(BASE + path, data=body, method="POST", headers={
        "Cookie": "c5sid=" + sid, "Content-Type": "application/x-www-form-urlencoded"})
    opener = urllib.request.build_opener(type("NoRedirect", (urllib.request.HTTPRedirectHandler,),
                                              {"redirect_request": lambda *a, **k: None}))
    try:
        return opener.open(req).status
    except urllib.error.HTTPError as e:
        return e.code


def post_file(d, path, fields, filename, content, csrf):
    """A multipart/form-data POST with a file, outside the browser: the status."""
    sid = {k["name"]: k["value"] for k in d.get_cookies()}["c5sid"]
    b = "----c5test"
    parts = [(k, None, v) for k, v in fields.items()] + [("file", filename, content)]
    if csrf is not None:
        parts.append(("csrf", None, csrf))
    body = b"".join(("--%s\r\nContent-Disposition: form-data; name=\"%s\"%s\r\n\r\n" % (
        b, k, '; filename="%s"' % fn if fn else "")).encode() + v.encode() + b"\r\n" for k, fn, v in parts)
    body += ("--%s--\r\n" % b).encode()
    req = urllib.request.Request(BASE + path, data=body, method="POST", headers={
        "Cookie": "c5sid=" + sid, "Content-Type": "multipart/form-data; boundary=" + b})
    opener = urllib.request.build_opener(type("NoRedirect", (urllib.request.HTTPRedirectHandler,),
                                              {"redirect_request": lambda *a, **k: None}))
    try:
        return opener.open(req).status
    except urllib.error.HTTPError as e:
        return e.code




d = browser()
own, green, hidden = E["own_id"], E["green_id"], E["hidden_id"]
try:
    # ---- the creating organisation's analyst edits its indicator
    as_user(d, "ana@bank.example")
    d.get(BASE + "/console/indicators/%d" % own)
    check_page(d, "indicator-edit")
    cell("the analyst of the creating organisation is offered the edit form", bool(d.find_elements(By.ID, "edit")))
    fill(d, "e-conf", "77")
    fill(d, "e-class", "fraud/phishing")
    fill(d, "e-until", "2030-01-01")
    Select(d.find_element(By.ID, "e-tlp")).select_by_visible_text("red")
    submit(d, "#edit button")
    cell("the edit is saved and said so", "?saved=1" in d.current_url and "Saved." in d.page_source, d.current_url)
    got = row(own)
    cell("the store holds the new TLP, confidence, classification and end",
         got.startswith("4|77|fraud/phishing|") and got.split("|")[3] not in ("", "0"), got)
    Select(d.find_element(By.ID, "e-tlp")).select_by_visible_text("amber")
    submit(d, "#edit button")
    cell("the creator may lower its own TLP again", row(own).startswith("2|"), row(own))

    # ---- a bad value is named and changes nothing
    before = row(own)
    fill(d, "e-conf", "high")
    submit(d, "#edit button")
    cell("a confidence that is not a number is refused, naming the field",
         "Confidence" in error_text(d) and "0 to 100" in error_text(d), error_text(d))
    cell("and nothing changed", row(own) == before, (row(own), before))
    fill(d, "e-conf", "50")
    fill(d, "e-class", "no-such/class")
    submit(d, "#edit button")
    cell("an unknown classification is refused, naming the field", "Classification" in error_text(d), error_text(d))
    cell("and nothing changed either", row(own) == before, row(own))
    check_page(d, "indicator-edit-error")

    # ---- CSRF: a forged form changes nothing
    st = post(d, "/console/indicators/%d" % own, {"tlp": "clear", "confidence": "1", "classification": "",
                                                  "valid_until": ""}, csrf="forged")
    cell("an edit with a wrong CSRF token is refused (403)", st == 403, st)
    cell("and changed nothing", row(own) == before, row(own))

    # ---- another organisation's indicator: seen (GREEN), not editable
    d.get(BASE + "/console/indicators/%d" % green)
    cell("another organisation's GREEN indicator is shown without the form",
         "198.51.100.32" in d.page_source and not d.find_elements(By.ID, "edit"))
    g0 = row(green)
    st = post(d, "/console/indicators/%d" % green, {"tlp": "red", "confidence": "5", "classification": "",
                                                    "valid_until": ""})
    cell("a forged edit of it is refused (403)", st == 403, st)
    cell("and it is unchanged", row(green) == g0, row(green))
    d.get(BASE + "/console/indicators/%d" % hidden)
    cell("another organisation's AMBER indicator by guessed URL: not found",
         "No such indicator" in d.page_source and "198.51.100.33" not in d.page_source)
    h0 = row(hidden)
    d.get(BASE + "/console/indicators")
    st = post(d, "/console/indicators/%d" % hidden, {"tlp": "red", "confidence": "5", "classification": "",
                                                     "valid_until": ""})
    cell("an edit of it answers not found (404)", st == 404, st)
    cell("and it is unchanged", row(hidden) == h0, row(hidden))

    # ---- the hub's analyst: may raise another's TLP, never lower it
    as_user(d, "hal@hub.example")
    d.get(BASE + "/console/indicators/%d" % own)
    cell("the hub's analyst is offered the form", bool(d.find_elements(By.ID, "edit")))
    Select(d.find_element(By.ID, "e-tlp")).select_by_visible_text("green")
    submit(d, "#edit button")
    cell("lowering another organisation's TLP is refused, saying whose decision it is",
         "only the creating organisation may lower the TLP" in error_text(d), error_text(d))
    cell("and the TLP is still AMBER", row(own).startswith("2|"), row(own))
    d.get(BASE + "/console/indicators/%d" % own)
    Select(d.find_element(By.ID, "e-tlp")).select_by_visible_text("amber+strict")
    submit(d, "#edit button")
    cell("raising it is allowed", row(own).startswith("3|") and "Saved." in d.page_source, row(own))

    # ---- a reader: no form, and a forged one refused
    as_user(d, "tom@bank.example")
    d.get(BASE + "/console/indicators/%d" % own)
    cell("a reader is not offered the edit form", "198.51.100.31" in d.page_source and not d.find_elements(By.ID, "edit"))
    r0 = row(own)
    st = post(d, "/console/indicators/%d" % own, {"tlp": "red", "confidence": "5", "classification": "",
                                                  "valid_until": ""})
    cell("a reader's edit is refused (403) and changes nothing", st == 403 and row(own) == r0, (st, row(own)))
    d.get(BASE + "/console/indicators/new")
    cell("a reader is told adding needs the contributor role", "contributor role" in d.page_source and
         not d.find_elements(By.ID, "one"))
    st = post(d, "/console/indicators/upload", {"text": "203.0.113.99\n", "format": "auto", "source": "x",
                                                "tlp": "green", "confidence": "50", "classification": ""})
    cell("a reader's upload is refused (403) and stores nothing",
         st == 403 and sql("SELECT count(*) FROM indicators WHERE value = '203.0.113.99'") == "0", st)

    # ---- a contributor adds one indicator
    as_user(d, "cody@bank.example")
    d.get(BASE + "/console/indicators")
    d.find_element(By.LINK_TEXT, "Add indicators: one, or a list or CSV file").click()
    check_page(d, "indicator-new")
    fill(d, "a-value", "999.1.1.1")
    submit(d, "#one button")
    cell("a bad value is refused, naming the field and why", "Value" in error_text(d) and
         "999.1.1.1" in d.page_source and "octet" in error_text(d), error_text(d))
    cell("and nothing was stored", sql("SELECT count(*) FROM indicators WHERE value LIKE '999.%'") == "0")
    fill(d, "a-value", "203.0.113.7")
    Select(d.find_element(By.ID, "a-tlp")).select_by_visible_text("green")
    fill(d, "a-class", "malicious-code/c2-server")
    submit(d, "#one button")
    cell("one indicator is added and its page shown", "?added=1" in d.current_url and "203.0.113.7" in d.page_source,
         d.current_url)
    got = sql("SELECT i.tlp, i.source, i.classification, o.name FROM indicators i JOIN orgs o ON o.id = i.org_id "
              "WHERE value = '203.0.113.7'")
    cell("stored GREEN, source console, for the contributor's organisation",
         got == "1|console|malicious-code/c2-server|Bank A", got)

    # ---- a pasted list, all or nothing
    d.get(BASE + "/console/indicators/new")
    fill(d, "u-text", "# a list\n203.0.113.10\n203.0.113.11 ; a comment\n999.2.2.2\nbad.example\n")
    fill(d, "u-source", "paste-test")
    submit(d, "#file button")
    e = error_text(d)
    cell("a list with a bad line is refused, naming the line", "upload:4:" in e and "999.2.2.2" in e, e)
    cell("and nothing of it was stored", sql("SELECT count(*) FROM indicators WHERE source = 'paste-test'") == "0")
    cell("the pasted text is kept to correct", "203.0.113.11" in d.find_element(By.ID, "u-text").get_attribute("value"))
    check_page(d, "indicator-upload-error")
    fill(d, "u-text", "# a list\n203.0.113.10\n203.0.113.11 ; a comment\nbad.example\n")
    submit(d, "#file button")
    cell("the corrected list is loaded and counted", "Indicators loaded: 3" in d.page_source, d.page_source[-400:])
    got = sql("SELECT count(*), min(o.name), max(o.name) FROM indicators i JOIN orgs o ON o.id = i.org_id "
              "WHERE source = 'paste-test'")
    cell("all three stored for the contributor's organisation", got == "3|Bank A|Bank A", got)

    # ---- a CSV file, its own columns
    csv = "value,tlp,confidence,classification\n203.0.113.20,green,90,fraud/phishing\nphish.example,clear,60,\n"
    fill(d, "u-text", csv)
    fill(d, "u-source", "csv-test")
    Select(d.find_element(By.ID, "u-format")).select_by_visible_text("csv")
    submit(d, "#file button")
    cell("a CSV file is loaded", "Indicators loaded: 2" in d.page_source, error_text(d))
    got = sql("SELECT tlp, confidence, classification FROM indicators WHERE value = '203.0.113.20'")
    cell("with its rows' own TLP, confidence and classification", got == "1|90|fraud/phishing", got)

    # ---- a file chosen in the browser (multipart/form-data): its own name in errors
    tmp = tempfile.mkdtemp()
    with open(os.path.join(tmp, "bad-list.txt"), "w") as f:
        f.write("203.0.113.40\n203.0.113.300\n")
    with open(os.path.join(tmp, "good.csv"), "w") as f:
        f.write("ip,confidence\r\n203.0.113.41,70\r\n203.0.113.42,71\r\n")
    d.get(BASE + "/console/indicators/new")
    fill(d, "u-source", "file-test")
    d.find_element(By.ID, "u-file").send_keys(os.path.join(tmp, "bad-list.txt"))
    submit(d, "#file button")
    e = error_text(d)
    cell("a chosen file with a bad line is refused, naming the file and the line", "bad-list.txt:2:" in e, e)
    cell("and nothing of it was stored", sql("SELECT count(*) FROM indicators WHERE source = 'file-test'") == "0")
    fill(d, "u-source", "file-test")
    d.find_element(By.ID, "u-file").send_keys(os.path.join(tmp, "good.csv"))
    submit(d, "#file button")
    cell("a chosen CSV file is loaded", "Indicators loaded: 2" in d.page_source, error_text(d))
    got = sql("SELECT group_concat(value || '/' || confidence, ' ') FROM indicators WHERE source = 'file-test'")
    cell("with its rows", got == "203.0.113.41/70 203.0.113.42/71", got)

    fields = {"format": "auto", "source": "forged-file", "tlp": "green", "confidence": "50", "classification": ""}
    st1 = post_file(d, "/console/indicators/upload", fields, "x.txt", "203.0.113.77\n", "forged")
    st2 = post_file(d, "/console/indicators/upload", fields, "x.txt", "203.0.113.77\n", None)
    cell("a file sent with a wrong CSRF token, or none, is refused (403) and stores nothing",
         st1 == 403 and st2 == 403 and sql("SELECT count(*) FROM indicators WHERE source = 'forged-file'") == "0",
         (st1, st2))
    st = post_file(d, "/console/indicators/upload", fields, "x.txt", "203.0.113.77\n",
                   d.find_element(By.NAME, "csrf").get_attribute("value"))
    cell("the same file with the session's token is loaded (303)",
         st == 303 and sql("SELECT count(*) FROM indicators WHERE source = 'forged-file'") == "1", st)

    # ---- CSRF on adding
    st = post(d, "/console/indicators/new", {"value": "203.0.113.66"}, csrf="forged")
    cell("an add with a wrong CSRF token is refused (403) and stores nothing",
         st == 403 and sql("SELECT count(*) FROM indicators WHERE value = '203.0.113.66'") == "0", st)

    # ---- French
    d.get(BASE + "/lang?lang=fr&back=/console/indicators/new")
    cell("the page is in French", "Une liste ou un fichier CSV" in d.page_source)
    check_page(d, "indicator-new-fr")
finally:
    d.quit()
sys.exit(finish())
