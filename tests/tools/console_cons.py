#!/usr/bin/env python3
"""console_cons.py -- the console's constituency page in a real browser, for
test_console_cons.sh (which sets the hub up).  Prints "ok - ..." /
"not ok - ..." per check.

Organisations with their resources and abuse contacts and "who answers for
this value" (analysts, as GET /api/v1/constituency and .../who), importing
a CSV file (the hub's administrators, as POST /api/v1/constituency: all or
nothing, the bad line named, unknown organisations refused unless asked
for), a reader and another organisation's administrator refused, CSRF."""
import json, os, subprocess, sys, tempfile, urllib.error, urllib.parse, urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from browser_lib import BASE, By, browser, cell, check_page, finish, sign_in, submit, post, fill, error_text  # noqa: E402

DB = os.environ["C5HUB_DB"]
E = json.loads(os.environ["SETUP"])


def sql(q):
    return subprocess.run(["sqlite3", "-cmd", ".timeout 5000", DB, q], capture_output=True,
                          text=True).stdout.strip()


def as_user(d, email):
    d.delete_all_cookies()
    sign_in(d, email, E["pw"])





def who(d, value):
    d.get(BASE + "/console/constituency?" + urllib.parse.urlencode({"value": value}))
    t = d.find_elements(By.ID, "who-answer")
    return t[0].text if t else ""


def count():
    return sql("SELECT count(*) FROM constituency")


GOOD = ("organisation,resource,abuse_contact,type,country\n"
        "Ministry,gov.example,cert@gov.example,government,\n"
        "Ministry,203.0.113.0/24,cert@gov.example,,\n")
d = browser()
try:
    # ---- an analyst: the organisations, and who answers
    as_user(d, "ana@bank.example")
    cell("an analyst's menu has Constituency", bool(d.find_elements(By.LINK_TEXT, "Constituency")))
    d.find_element(By.LINK_TEXT, "Constituency").click()
    check_page(d, "cons-analyst")
    orgs = d.find_element(By.ID, "orgs").text
    cell("every organisation with its number of resources and its abuse contact",
         "Bank One 2 soc@bank-one.example" in orgs and "Telco 2 abuse@telco.example" in orgs, orgs)
    d.find_element(By.LINK_TEXT, "Telco").click()
    res = d.find_element(By.ID, "resources").text
    cell("an organisation's resources, one click away", all(x in res for x in (
        "198.51.100.0/22", "AS64500", "abuse@telco.example")) and "bank-one.example" not in res, res)
    fill(d, "c-value", "198.51.100.200")
    submit(d, "#who button")
    t = d.find_element(By.ID, "who-answer").text
    cell("who answers for an address: the longest prefix's holder", "Bank One" in t and "198.51.100.128/25" in t
         and "Telco" not in t, t)
    t = who(d, "www.bank-one.example")
    cell("a name under a listed domain", "Bank One" in t and "soc@bank-one.example" in t, t)
    t = who(d, "AS64500")
    cell("an AS number", "Telco" in t, t)
    t = who(d, "192.0.2.1")
    cell("a value nobody answers for says so", "Nobody in the constituency answers for it." in t, t)
    who(d, "not a value!")
    cell("a value that is not one is refused with the reason", error_text(d) != "", d.page_source[-300:])
    cell("an analyst is not offered the import", not d.find_elements(By.ID, "import"))
    n0 = count()
    st = post(d, "/console/constituency", {"text": GOOD, "create": "1"})
    cell("an analyst's forged import is refused (403) and imports nothing", st == 403 and count() == n0, st)

    # ---- another organisation's administrator, a reader
    as_user(d, "bert@bank.example")
    d.get(BASE + "/console/constituency")
    cell("another organisation's administrator is not offered the import", "Telco" in d.page_source and
         not d.find_elements(By.ID, "import"))
    st = post(d, "/console/constituency", {"text": GOOD, "create": "1"})
    cell("and its forged import is refused (403)", st == 403 and count() == n0, st)
    as_user(d, "tom@bank.example")
    cell("a reader's menu has no Constituency", not d.find_elements(By.LINK_TEXT, "Constituency"))
    d.get(BASE + "/console/constituency?value=198.51.100.200")
    cell("a reader is refused the page and the question", "shown to analysts" in d.page_source and
         "soc@bank-one.example" not in d.page_source)

    # ---- the hub's administrator imports
    as_user(d, "adam@hub.example")
    d.get(BASE + "/console/constituency")
    check_page(d, "cons-admin")
    bad = GOOD + "Ministry,not-a-thing!,cert@gov.example,,\n"
    fill(d, "c-text", bad)
    d.find_element(By.ID, "c-create").click()
    submit(d, "#import button")
    e = error_text(d)
    cell("a bad row refuses the file, naming its line", "upload:4:" in e and "not a network" in e, e)
    cell("and nothing was imported, no organisation made", count() == n0 and
         sql("SELECT count(*) FROM orgs WHERE name = 'Ministry'") == "0", count())
    cell("the text and the choice are kept to correct", "not-a-thing!" in d.find_element(By.ID, "c-text").get_attribute("value")
         and d.find_element(By.ID, "c-create").is_selected())
    check_page(d, "cons-import-error")
    d.find_element(By.ID, "c-create").click()  # not asked for: an unknown organisation is refused
    fill(d, "c-text", GOOD)
    submit(d, "#import button")
    e = error_text(d)
    cell("an unknown organisation is refused unless asked for, naming the line", "upload:2:" in e and
         "Ministry" in e, e)
    cell("and nothing was imported", count() == n0)
    st = post(d, "/console/constituency", {"text": GOOD, "create": "1"}, csrf="forged")
    cell("an import with a wrong CSRF token is refused (403) and imports nothing", st == 403 and count() == n0, st)
    d.find_element(By.ID, "c-create").click()
    submit(d, "#import button")
    cell("the file is imported and counted", "Resources imported: 2" in d.page_source, error_text(d))
    cell("its rows are in the store, its organisation made",
         count() == str(int(n0) + 2) and sql("SELECT type FROM orgs WHERE name = 'Ministry'") == "government")
    t = who(d, "203.0.113.9")
    cell("and the server answers from it at once", "Ministry" in t and "cert@gov.example" in t, t)

    # ---- a file chosen in the browser (multipart/form-data)
    tmp = tempfile.mkdtemp()
    with open(os.path.join(tmp, "more.csv"), "w") as f:
        f.write("organisation,resource,abuse_contact\r\nTelco,AS64501,abuse@telco.example\r\n"
                "Telco,telco.example,x\r\n")
    d.get(BASE + "/console/constituency")
    d.find_element(By.ID, "c-file").send_keys(os.path.join(tmp, "more.csv"))
    n1 = count()
    submit(d, "#import button")
    e = error_text(d)
    cell("a chosen file with a bad row is refused, naming the file and the line", "more.csv:3:" in e, e)
    cell("and nothing of it was imported", count() == n1, count())
    with open(os.path.join(tmp, "more.csv"), "w") as f:
        f.write("organisation,resource,abuse_contact\r\nTelco,AS64501,abuse@telco.example\r\n")
    d.find_element(By.ID, "c-file").send_keys(os.path.join(tmp, "more.csv"))
    submit(d, "#import button")
    cell("the corrected file is imported", "Resources imported: 1" in d.page_source and
         "Telco" in who(d, "AS64501"), error_text(d))

    # ---- many organisations: a page of 100 at a time
    d.get(BASE + "/console/constituency")
    fill(d, "c-text", "organisation,resource,abuse_contact\n" + "".join(
        "Org %03d,10.9.%d.0/24,abuse@org%d.example\n" % (i, i, i) for i in range(120)))
    d.find_element(By.ID, "c-create").click()
    submit(d, "#import button")
    rows = len(d.find_elements(By.CSS_SELECTOR, "#orgs tbody tr"))
    cell("123 organisations: the first page lists 100", "Resources imported: 120" in d.page_source and rows == 100,
         (rows, error_text(d)))
    d.find_element(By.CSS_SELECTOR, ".pages a").click()
    rows = len(d.find_elements(By.CSS_SELECTOR, "#orgs tbody tr"))
    cell("and the second the other 23", rows == 23 and "Telco" in d.find_element(By.ID, "orgs").text, rows)
    check_page(d, "cons-page2")

    # ---- French
    d.get(BASE + "/lang?lang=fr&back=/console/constituency")
    cell("the page is in French", "Qui répond de cette valeur" in d.page_source)
    check_page(d, "cons-fr")
finally:
    d.quit()
sys.exit(finish())
