#!/usr/bin/env python3
"""console_case.py -- the incident case pages in a real browser, for
test_console_case.sh (Bank A's analyst bob, Other C's analyst olga, the
hub's analyst hana; Other C's case CIRT-YYYY-00001 and Bank A's old critical
case CIRT-YYYY-00002, breached).  Prints "ok - ..." / "not ok - ..."."""
import json, os, subprocess, sys, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from browser_lib import BASE, By, browser, cell, check_page, error_text, fill, finish, post, sign_in, submit  # noqa: E402

DB = os.environ["C5HUB_DB"]
E = json.loads(os.environ["SETUP"])
Y = time.strftime("%Y", time.gmtime())
OTHER, OLD = "CIRT-%s-00001" % Y, "CIRT-%s-00002" % Y


def sql(q):
    return subprocess.run(["sqlite3", "-cmd", ".timeout 5000", DB, q], capture_output=True, text=True).stdout.strip()


def anew(d, email):
    d.delete_all_cookies()
    sign_in(d, email, E["pw"])


def text(d, ident):
    els = d.find_elements(By.ID, ident)
    return els[0].text if els else ""


d = browser()
try:
    # ---- a constituent reports an incident ----
    anew(d, E["bob"])
    d.get(BASE + "/console/cases/new")
    check_page(d, "case_new")
    fill(d, "n-title", "A report with a bad observable")
    fill(d, "n-obs", "not an observable at all !")
    submit(d)
    cell("a bad report is refused, the form names the field", "observables" in error_text(d).lower(), error_text(d))
    cell("nothing was stored", sql("SELECT count(*) FROM cases") == "2", sql("SELECT count(*) FROM cases"))
    fill(d, "n-obs", "")
    fill(d, "n-title", "")
    d.execute_script("document.getElementById('n-title').removeAttribute('required')")
    submit(d)
    cell("an empty title is refused, the form says why", "title" in error_text(d).lower(), error_text(d))
    check_page(d, "case_new_error")
    fill(d, "n-title", "Phishing against our customers")
    fill(d, "n-body", "Mails pretending to be us since this morning.")
    fill(d, "n-obs", "198.51.100.7\nevil-bank.example")
    submit(d)
    ref = text(d, "case-ref").split(" ")[0]
    cell("the report opens a case and shows it", ref.startswith("CIRT-"), ref)
    cell("reported by Bank A, with its observables", sql(
        "SELECT o.name || ' ' || (SELECT count(*) FROM case_links l WHERE l.case_id = c.id) FROM cases c "
        "JOIN orgs o ON o.id = c.reporter_org WHERE c.ref = '%s'" % ref) == "Bank A 2", sql("SELECT * FROM case_links"))
    check_page(d, "case_view_reporter")
    d.get(BASE + "/console/cases")
    body = d.find_element(By.ID, "cases").text
    cell("my reports: Bank A's cases, not Other C's", ref in body and OLD in body and OTHER not in body, body)
    check_page(d, "case_list_reporter")
    d.get(BASE + "/console/cases/" + OTHER)
    cell("another organisation's case by its guessed URL: not shown",
         "Other C defacement" not in d.page_source and "No such case" in d.page_source)
    check_page(d, "case_not_found")

    # ---- the hub's analyst ----
    anew(d, E["hana"])
    d.get(BASE + "/console/cases")
    body = d.find_element(By.ID, "cases").text
    cell("the hub's team sees every case", all(x in body for x in (ref, OLD, OTHER)), body)
    check_page(d, "case_list_hub")
    d.get(BASE + "/console/cases?breached=1")
    body = d.find_element(By.ID, "cases").text
    cell("filter: SLA breached only — the old critical case", OLD in body and ref not in body, body)
    d.get(BASE + "/console/cases?severity=critical")
    body = d.find_element(By.ID, "cases").text
    cell("filter: severity", OLD in body and ref not in body, body)
    d.get(BASE + "/console/cases/" + ref)
    cell("the case shows its SLA timers", "Acknowledge" in text(d, "timers"), text(d, "timers"))
    check_page(d, "case_view_hub")
    fill(d, "a-text", "Internal: looks like the kit from last week")
    submit(d, "form.act-comment button")
    fill(d, "a-text", "Thank you: please send one of the mails with its headers")
    d.find_element(By.CSS_SELECTOR, "form.act-comment input[value=reporter]").click()
    submit(d, "form.act-comment button")
    tl = text(d, "timeline")
    cell("both comments on the timeline", "Internal: looks like" in tl and "please send one" in tl, tl)
    d.find_element(By.CSS_SELECTOR, "#a-state option[value=triage], #a-state option").click()
    for o in d.find_elements(By.CSS_SELECTOR, "#a-state option"):
        if o.text == "triage":
            o.click()
    submit(d, "form.act-status button")
    cell("status moved by the lifecycle", text(d, "case-status").startswith("triage"), text(d, "case-status"))
    fill(d, "a-asg", E["hana"])
    submit(d, "form.act-assign button")
    cell("assigned", text(d, "case-assignee") == E["hana"], text(d, "case-assignee"))
    fill(d, "a-task", "Ask the registrar to suspend evil-bank.example")
    submit(d, "form.act-task button")
    cell("a task added", "suspend" in text(d, "tasks"), text(d, "tasks"))
    fill(d, "a-obs", "203.0.113.66")
    submit(d, "form.act-link button")
    cell("an observable linked", "203.0.113.66" in text(d, "links"), text(d, "links"))
    fill(d, "a-obs", "no such thing !!")
    submit(d, "form.act-link button")
    cell("a bad observable is refused, the page says why", error_text(d) != "", error_text(d))
    check_page(d, "case_view_error")
    v = text(d, "case-version")

    # ---- a stale edit: two browsers on one case ----
    d2 = browser()
    try:
        sign_in(d2, E["hana"], E["pw"])
        d2.get(BASE + "/console/cases/" + ref)
        d.get(BASE + "/console/cases/" + ref)
        fill(d, "a-text", "first browser's note")
        submit(d, "form.act-comment button")
        n = sql("SELECT count(*) FROM case_entries e JOIN cases c ON c.id = e.case_id WHERE c.ref = '%s'" % ref)
        fill(d2, "a-text", "second browser's stale note")
        submit(d2, "form.act-comment button")
        err = error_text(d2)
        cell("the stale edit is refused and says what changed", "changed" in err and "first browser" in err
             or "version" in err, err)
        cell("nothing of it stored", "stale note" not in sql("SELECT group_concat(text) FROM case_entries") and
             n == sql("SELECT count(*) FROM case_entries e JOIN cases c ON c.id = e.case_id WHERE c.ref = '%s'" % ref))
        check_page(d2, "case_view_stale")
    finally:
        d2.quit()

    # ---- CSRF: a forged form ----
    n = sql("SELECT count(*) FROM case_entries")
    st = post(d, "/console/cases/" + ref, {"action": "comment", "text": "forged", "to": "reporter"}, csrf="bad")
    cell("a form with a wrong CSRF token: 403", st == 403, st)
    cell("nothing changed", sql("SELECT count(*) FROM case_entries") == n)

    # ---- merge a duplicate ----
    d.get(BASE + "/console/cases/" + OLD)
    fill(d, "a-into", ref)
    submit(d, "form.act-merge button")
    cell("a duplicate merged", sql("SELECT status FROM cases WHERE ref = '%s'" % OLD) == "merged",
         error_text(d) or sql("SELECT status FROM cases WHERE ref = '%s'" % OLD))

    # ---- figures ----
    d.get(BASE + "/console/cases/figures")
    cell("the figures: charts drawn", len(d.find_elements(By.CSS_SELECTOR, "canvas.chart-auto")) == 2 and
         d.execute_script("return !!window.Chart"))
    cell("the figures: times and compliance", "Acknowledge" in text(d, "times"), text(d, "times"))
    check_page(d, "case_figures")

    # ---- the reporter's view ----
    anew(d, E["bob"])
    d.get(BASE + "/console/cases/" + ref)
    tl = text(d, "timeline")
    cell("the reporter sees the answer to it", "please send one" in tl, tl)
    cell("never the internal note", "Internal: looks like" not in tl and "first browser" not in d.page_source, tl)
    cell("no actions for the reporter", not d.find_elements(By.CSS_SELECTOR, "form.act-status"))
    fill(d, "r-text", "Here is one: see attached headers")
    submit(d, "form.act-reply button")
    cell("the reporter's reply is on its timeline", "Here is one" in text(d, "timeline"), text(d, "timeline"))
    st = post(d, "/console/cases/" + ref, {"action": "comment", "text": "sneaky internal", "to": "internal",
                                           "version": "0"})
    cell("a constituent cannot write an internal note (refused by the core)", st in (400, 403), st)
    check_page(d, "case_view_reporter_after")
    anew(d, E["olga"])
    st = post(d, "/console/cases/" + ref, {"action": "reply", "text": "hijack"},
              csrf=d.find_element(By.NAME, "csrf").get_attribute("value"))
    cell("another organisation cannot answer on it: 404", st == 404, st)
    cell("and nothing was added", "hijack" not in sql("SELECT group_concat(text) FROM case_entries"))
finally:
    d.quit()
sys.exit(finish())
