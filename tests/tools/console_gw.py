#!/usr/bin/env python3
"""console_gw.py -- the Cybersecurity Gateway's pages in a real browser, for
test_console_gw.sh (which sets the hub up).  Prints "ok - ..." /
"not ok - ..." per check.

The public pages (nobody signed in: TLP:CLEAR only), hostile stored text
and a hostile query never run as script, a javascript: web site written
into the store behind the checks' back never a link, a member's edit of
its own entry and a resource with a file, a bad web site named and nothing
stored, another organisation's entry by guessed URL and by forged POST, a
reader, the analysts' approval queue, CSRF, the French catalogue, and
axe-core on every page."""
import json, os, subprocess, sys, urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from browser_lib import BASE, By, browser, cell, check_page, finish, sign_in, submit, post, fill, error_text  # noqa: E402
from selenium.webdriver.support.ui import Select  # noqa: E402

DB = os.environ["C5HUB_DB"]
E = json.loads(os.environ["SETUP"])


def sql(q):
    return subprocess.run(["sqlite3", "-cmd", ".timeout 5000", DB, q], capture_output=True,
                          text=True).stdout.strip()


def as_user(d, email):
    d.delete_all_cookies()
    sign_in(d, email, E["pw"])


def no_script_ran(d):
    return d.execute_script("return typeof window.__xss === 'undefined'")


HOSTILE = E["hostile"]
d = browser()
try:
    # ---- nobody signed in ----
    d.get(BASE + "/")
    check_page(d, "gw-home")
    src = d.page_source
    cell("the public home page shows CLEAR news", "Exercice national" in src)
    cell("and never GREEN news", "GREEN news" not in src, src[:200])
    cell("it links the five work areas", len(d.find_elements(By.CSS_SELECTOR, "ul.areas a")) == 5)
    cell("look-up stays reachable from it", bool(d.find_elements(By.CSS_SELECTOR, "a[href='/console/lookup']")))
    cell("it offers sign-in", bool(d.find_elements(By.CSS_SELECTOR, "a[href='/signin']")))
    d.get(BASE + "/directory")
    check_page(d, "gw-directory")
    d.get(BASE + "/directory/%d" % E["evil_entry"])
    check_page(d, "gw-entry-hostile")
    cell("hostile stored text is shown as text", HOSTILE["script"] in d.find_element(By.CSS_SELECTOR, "div.text").text)
    cell("and never runs (no script, no injected attribute)", no_script_ran(d) and not d.find_elements(By.CSS_SELECTOR, "img[src=x]"))
    cell("a javascript: web site slipped into the store is no link",
         not d.find_elements(By.CSS_SELECTOR, "a[href^='javascript']") and "javascript:" not in d.page_source)
    d.get(BASE + "/resources/%d" % E["evil_res"])
    check_page(d, "gw-resource")
    cell("a hostile resource title stays text", HOSTILE["attr"] in d.find_element(By.TAG_NAME, "h1").text and no_script_ran(d))
    cell("its file is a download link", bool(d.find_elements(By.CSS_SELECTOR, "a[href='/files/%d'][download]" % E["evil_res"])))
    d.get(BASE + "/resources")
    check_page(d, "gw-resources")
    cell("the resources page has work-area facets with counts", "Legal measures" in d.page_source)
    d.get(BASE + "/search?q=" + urllib.request.quote(HOSTILE["attr"]))
    check_page(d, "gw-search-hostile")
    cell("a hostile query is shown back as text, never run",
         no_script_ran(d) and d.find_element(By.ID, "s-q").get_attribute("value") == HOSTILE["attr"])
    d.get(BASE + "/search?q=members")
    cell("a public search never finds GREEN", "Members only" not in d.page_source)
    d.get(BASE + "/news/%d" % E["news"])
    check_page(d, "gw-news")
    d.get(BASE + "/news/%d" % E["green_news"])
    cell("a GREEN news item's page is not public", "GREEN news" not in d.page_source and "Not found" in d.page_source)
    d.get(BASE + "/lang?lang=fr&back=/")
    cell("the gateway speaks French", "Passerelle de cybersécurité" in d.title and "Annuaire" in d.page_source, d.title)
    check_page(d, "gw-home-fr")
    d.get(BASE + "/lang?lang=en&back=/")

    # ---- a member (contributor of Bank A) ----
    as_user(d, "bert@bank.example")
    d.get(BASE + "/")
    cell("a member signed in sees GREEN news on the home page", "GREEN news" in d.page_source)
    d.get(BASE + "/search?q=members")
    cell("and GREEN in a search", "Members only" in d.page_source)
    d.find_element(By.LINK_TEXT, "Gateway").click()
    check_page(d, "gw-console-member")
    n0 = sql("SELECT count(*) FROM gw_entries")
    Select(d.find_element(By.ID, "e-kind")).select_by_value("team")
    fill(d, "e-name", "CSIRT Bank A")
    Select(d.find_element(By.ID, "e-stk")).select_by_value("private")
    fill(d, "e-cc", "SN")
    d.find_element(By.NAME, "area_technical").click()
    fill(d, "e-desc", HOSTILE["script"])
    d.execute_script("document.getElementById('e-web').type = 'text'")  # the browser's own check aside
    fill(d, "e-web", "javascript:alert(1)")
    submit(d, "#entry button")
    err = error_text(d)
    cell("a javascript: web site is refused, the field named", "website" in err, err)
    cell("and nothing is stored", sql("SELECT count(*) FROM gw_entries") == n0)
    cell("the form keeps what was typed", d.find_element(By.ID, "e-name").get_attribute("value") == "CSIRT Bank A")
    check_page(d, "gw-console-error")
    fill(d, "e-web", "https://csirt.bank-a.example/")
    submit(d, "#entry button")
    cell("the member's entry is saved", "Saved" in d.page_source, error_text(d))
    bid = sql("SELECT id FROM gw_entries WHERE name = 'CSIRT Bank A'")
    cell("waiting for approval", sql("SELECT status FROM gw_entries WHERE id = %s" % (bid or 0)) == "pending")
    # a resource with a file
    Select(d.find_element(By.ID, "r-type")).select_by_value("guide")
    fill(d, "r-title", "Guide de la banque")
    d.find_element(By.NAME, "area_capacity").click()
    d.find_element(By.ID, "r-file").send_keys(E["file"])
    submit(d, "#resource button")
    cell("a resource with its file is submitted", "Saved" in d.page_source, error_text(d))
    rid = sql("SELECT id FROM gw_resources WHERE title = 'Guide de la banque'")
    cell("its file is stored", sql("SELECT length(data) FROM gw_files WHERE res_id = %s" % (rid or 0)) == str(E["file_size"]))
    # another organisation's entry: by guessed URL, by forged POST
    d.get(BASE + "/console/gw?entry=%d" % E["other_entry"])
    cell("another organisation's entry is not offered for editing",
         d.find_element(By.ID, "e-name").get_attribute("value") == "")
    before = sql("SELECT name FROM gw_entries WHERE id = %d" % E["other_entry"])
    st = post(d, "/console/gw/entry", {"id": E["other_entry"], "kind": "team", "name": "Hijacked",
                                       "stakeholder": "private", "country": "SN"})
    cell("a forged edit of it is refused as unknown (404)", st == 404, st)
    cell("and changes nothing", sql("SELECT name FROM gw_entries WHERE id = %d" % E["other_entry"]) == before)
    st = post(d, "/console/gw/decide/entry-%s" % bid, {"action": "approve"})
    cell("a member cannot approve its own entry (403)", st == 403 and
         sql("SELECT status FROM gw_entries WHERE id = %s" % bid) == "pending", st)

    # ---- a reader ----
    as_user(d, "tom@bank.example")
    d.get(BASE + "/console/gw")
    check_page(d, "gw-console-reader")
    cell("a reader is offered no form", not d.find_elements(By.ID, "entry") and not d.find_elements(By.ID, "resource"))
    st = post(d, "/console/gw/resource", {"type": "guide", "title": "Reader's"})
    cell("a reader's forged resource is refused (403)", st == 403 and
         sql("SELECT count(*) FROM gw_resources WHERE title = 'Reader''s'") == "0", st)

    # ---- the hub's analyst: the queue ----
    as_user(d, "hal@hub.example")
    d.get(BASE + "/console/gw")
    check_page(d, "gw-console-analyst")
    q = d.find_element(By.ID, "q-h").find_element(By.XPATH, "..").text
    cell("the queue shows the member's entry and resource", "CSIRT Bank A" in q and "Guide de la banque" in q, q[:200])
    st = post(d, "/console/gw/decide/entry-%s" % bid, {"action": "approve"}, csrf="forged")
    cell("a decision with a wrong CSRF token is refused (403) and changes nothing",
         st == 403 and sql("SELECT status FROM gw_entries WHERE id = %s" % bid) == "pending", st)
    submit(d, "form[action='/console/gw/decide/entry-%s'] button[value=approve]" % bid)
    cell("the analyst approves it", "Decision recorded" in d.page_source and
         sql("SELECT status FROM gw_entries WHERE id = %s" % bid) == "public")
    fill(d, "n-title", "Nouvelle publication")
    fill(d, "n-body", HOSTILE["attr"])
    submit(d, "#news button")
    cell("the analyst publishes news", sql("SELECT status FROM gw_news WHERE title = 'Nouvelle publication'") == "public")
    d.delete_all_cookies()
    d.get(BASE + "/directory")
    cell("the approved entry is in the public directory", "CSIRT Bank A" in d.page_source)
    d.find_element(By.LINK_TEXT, "CSIRT Bank A").click()
    check_page(d, "gw-entry")
    cell("its hostile description is text there too", no_script_ran(d) and HOSTILE["script"] in d.page_source.replace("&lt;", "<").replace("&gt;", ">"))
    d.get(BASE + "/")
    d.find_element(By.LINK_TEXT, "Nouvelle publication").click()
    cell("the news is public, its hostile text inert", no_script_ran(d) and HOSTILE["attr"] in d.find_element(By.CSS_SELECTOR, "div.text").text)
finally:
    d.quit()
sys.exit(finish())
