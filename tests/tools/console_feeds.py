#!/usr/bin/env python3
"""console_feeds.py -- the console's feeds page in a real browser, for
test_console_feeds.sh (which sets the hub up).  Prints "ok - ..." /
"not ok - ..." per check.

The list with each feed's state (analysts of any organisation, as GET
/api/v1/feeds), "run now" (the feed runs in the server within seconds) and
adding a URL feed (the hub's administrators only, the API's checks), a
reader refused, another organisation's administrator refused, CSRF."""
import json, os, subprocess, sys, time, urllib.error, urllib.parse, urllib.request

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





def next_run():
    return sql("SELECT next_run FROM feeds WHERE name = 'local-list'")


d = browser()
try:
    # ---- an analyst of another organisation: the list, nothing to press
    as_user(d, "ana@bank.example")
    cell("an analyst's menu has Feeds", bool(d.find_elements(By.LINK_TEXT, "Feeds")))
    d.find_element(By.LINK_TEXT, "Feeds").click()
    check_page(d, "feeds-analyst")
    row = d.find_element(By.ID, "feed-local-list").text
    cell("the list shows the feed, its state and its records", "local-list" in row and "ok" in row and
         "list" in row and "1d" in row, row)
    cell("an analyst is offered neither run nor add", not d.find_elements(By.CSS_SELECTOR, "form[action='/console/feeds/run']")
         and not d.find_elements(By.ID, "add"))
    n0 = next_run()
    st = post(d, "/console/feeds/run", {"name": "local-list"})
    cell("an analyst's forged run is refused (403) and changes nothing", st == 403 and next_run() == n0, st)

    # ---- another organisation's administrator: not the hub's
    as_user(d, "bert@bank.example")
    d.get(BASE + "/console/feeds")
    cell("another organisation's administrator is offered no run nor add",
         "local-list" in d.page_source and not d.find_elements(By.ID, "add"))
    st = post(d, "/console/feeds", {"name": "bert-feed", "url": "http://127.0.0.1:1/x", "format": "list"})
    cell("its forged add is refused (403) and stores nothing",
         st == 403 and sql("SELECT count(*) FROM feeds WHERE name = 'bert-feed'") == "0", st)

    # ---- a reader: no menu entry, the page refused
    as_user(d, "tom@bank.example")
    cell("a reader's menu has no Feeds", not d.find_elements(By.LINK_TEXT, "Feeds"))
    d.get(BASE + "/console/feeds")
    cell("a reader is refused the page", "shown to analysts" in d.page_source and "local-list" not in d.page_source)

    # ---- the hub's administrator runs the feed now
    as_user(d, "adam@hub.example")
    d.get(BASE + "/console/feeds")
    check_page(d, "feeds-admin")
    cell("the 198.51.100.71 line is not loaded yet",
         sql("SELECT count(*) FROM indicators WHERE value = '198.51.100.71'") == "0")
    st = post(d, "/console/feeds/run", {"name": "local-list"}, csrf="forged")
    cell("a run with a wrong CSRF token is refused (403) and changes nothing", st == 403 and next_run() == n0, st)
    t0 = time.time()
    submit(d, "#feed-local-list button")
    cell("run now says it runs now", "It runs now: local-list" in d.page_source, error_text(d))
    loaded = None
    while time.time() - t0 < 10:
        if sql("SELECT count(*) FROM indicators WHERE value = '198.51.100.71'") == "1":
            loaded = time.time() - t0
            break
        time.sleep(0.1)
    cell("the server ran the feed: its new line is an indicator within 3 s", loaded is not None and loaded < 3, loaded)
    print("# run now: the click to the new indicator in the store took %.2f s" % (loaded or -1))
    time.sleep(0.3)
    d.get(BASE + "/console/feeds")
    row = d.find_element(By.ID, "feed-local-list").text
    cell("the list shows the new run's records", " 2 " in " %s " % row.replace("\n", " "), row)
    st = post(d, "/console/feeds/run", {"name": "no-such-feed"})
    cell("running an unknown feed answers not found", st == 404, st)

    # ---- the hub's administrator adds a URL feed
    fill(d, "f-name", "phish-feed")
    fill(d, "f-url", "file:///etc/passwd")
    Select(d.find_element(By.ID, "f-format")).select_by_visible_text("openphish")
    submit(d, "#add button")
    cell("a URL that is not http(s) is refused, naming the field", "url" in error_text(d).lower() and
         "http" in error_text(d), error_text(d))
    cell("and nothing is stored", sql("SELECT count(*) FROM feeds WHERE name = 'phish-feed'") == "0")
    cell("the form keeps what was typed", d.find_element(By.ID, "f-name").get_attribute("value") == "phish-feed")
    check_page(d, "feeds-add-error")
    fill(d, "f-url", "http://127.0.0.1:1/phish.txt")
    fill(d, "f-every", "forever")
    submit(d, "#add button")
    cell("a bad period is refused, naming the field", "every" in error_text(d), error_text(d))
    fill(d, "f-every", "15m")
    Select(d.find_element(By.ID, "f-tlp")).select_by_visible_text("green")
    submit(d, "#add button")
    cell("the feed is added and said so", "Feed added: phish-feed" in d.page_source, error_text(d))
    got = sql("SELECT url, format, tlp, every, policy FROM feeds WHERE name = 'phish-feed'")
    cell("stored as the API stores it", got == "http://127.0.0.1:1/phish.txt|openphish|1|900|skip", got)
    fill(d, "f-name", "phish-feed")
    fill(d, "f-url", "http://127.0.0.1:1/other.txt")
    submit(d, "#add button")
    cell("a name already taken is refused", "already exists" in error_text(d), error_text(d))

    # ---- French
    d.get(BASE + "/lang?lang=fr&back=/console/feeds")
    cell("the page is in French", "Ajouter un flux par URL" in d.page_source)
    check_page(d, "feeds-fr")
finally:
    d.quit()
sys.exit(finish())
