#!/usr/bin/env python3
"""console_assess.py -- the console's self-assessment pages in a real
browser, for test_console_assess.sh, which sets the hub up (Ministry A with
a contributor and an analyst, Ministry B with an analyst and its own AMBER
assessment, an evidence file).  Prints "ok - ..." / "not ok - ...".

A contributor starts an assessment, answers a pillar (Save, and the
script's autosave), a file sent with an answer is kept as evidence with its
SHA-256 (the assessment's TLP and organisation), a bad value is refused
naming the question with nothing stored, a forged form changes nothing; the rest is answered through the CLI
and the contributor submits from the page.  The analyst sees the file and
downloads it (an attachment of a fixed type, in its custody), rejects an answer
with a comment, cannot validate then; once all are accepted the results
page shows the charts' data (the total as the CSV export says), the
roadmap is made, an action accepted and assigned.  A contributor cannot
review; another organisation's AMBER assessment is never listed nor
reached by a guessed URL, nor are its files."""
import hashlib, json, os, subprocess, sys, time, urllib.error, urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from browser_lib import BASE, By, browser, cell, check_page, error_text, finish, post, sign_in, submit  # noqa: E402

DB, C5 = os.environ["C5HUB_DB"], os.environ["C5"]
E = json.loads(os.environ["SETUP"])
QN = json.load(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../data/assess/default.json")))


def sql(q):
    return subprocess.run(["sqlite3", "-cmd", ".timeout 5000", DB, q], capture_output=True, text=True).stdout.strip()


def answer(aid, q):
    return sql("SELECT value FROM assess_answers WHERE assessment = %s AND question = '%s'" % (aid, q))


def get(d, path):
    """A GET as d's session: (status, body)."""
    sid = {k["name"]: k["value"] for k in d.get_cookies()}["c5sid"]
    req = urllib.request.Request(BASE + path, headers={"Cookie": "c5sid=" + sid})
    try:
        r = urllib.request.urlopen(req)
        return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def get_raw(d, path):
    """A GET as d's session: (status, headers, bytes)."""
    sid = {k["name"]: k["value"] for k in d.get_cookies()}["c5sid"]
    req = urllib.request.Request(BASE + path, headers={"Cookie": "c5sid=" + sid})
    try:
        r = urllib.request.urlopen(req)
        return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def anew(d, email):
    d.delete_all_cookies()
    sign_in(d, email, E["pw"])


a = browser()
try:
    # ---- the contributor starts one and answers the first pillar
    anew(a, E["con"])
    cell("the menu offers the self-assessment", a.find_elements(By.CSS_SELECTOR, 'nav a[href="/console/assess"]'))
    a.get(BASE + "/console/assess")
    check_page(a, "assess-list")
    cell("Ministry B's AMBER assessment is not listed", "Country B" not in a.page_source)
    a.find_element(By.ID, "entity").send_keys("Country A")
    a.find_element(By.ID, "period").send_keys("2026")
    submit(a, "#new-assessment button")
    aid = a.current_url.rstrip("/").split("/")[-1]
    cell("starting one opens its answer page", aid.isdigit() and sql("SELECT state || ':' || tlp FROM assessments WHERE id = %s" % aid) == "draft:2",
         a.current_url)
    check_page(a, "assess-answer")
    cell("one pillar at a time, with its progress", len(a.find_elements(By.CSS_SELECTOR, "#pillars li")) == 5 and
         a.find_element(By.ID, "progress").text.startswith("0/"), a.find_element(By.ID, "progress").text)
    a.find_element(By.CSS_SELECTOR, 'input[name=q_L1][value=yes]').click()
    a.find_element(By.CSS_SELECTOR, 'input[name=q_L3][value=partial]').click()
    time.sleep(1.0)  # the autosave's request
    cell("the script saves as one goes", answer(aid, "L1") == "yes", answer(aid, "L1"))
    a.find_element(By.CSS_SELECTOR, 'input[name=q_L9][value=no]').click()
    a.find_element(By.ID, "ev-L1").send_keys(E["ev"])
    submit(a, 'button[value=save]')
    cell("evidence is named with its answer", sql("SELECT evidence FROM assess_answers WHERE assessment = %s AND question = 'L1'" % aid) == E["ev"])
    cell("Save stores the pillar's answers", answer(aid, "L9") == "no" and answer(aid, "L3") == "partial")
    # a file given with an answer: kept as evidence with its SHA-256, named by the answer
    law = os.path.join(os.environ["WORK"], "critical services act.pdf")
    body = b"%PDF-1.4 the critical services act\n" + bytes(range(256)) * 400  # over the other forms' 64 KB
    open(law, "wb").write(body)
    a.find_element(By.CSS_SELECTOR, 'input[name=q_L5][value=yes]').click()
    a.find_element(By.ID, "file-L5").send_keys(law)
    time.sleep(0.5)
    submit(a, 'button[value=save]')
    evl = sql("SELECT evidence FROM assess_answers WHERE assessment = %s AND question = 'L5'" % aid)
    up = sql("SELECT id || '|' || sha256 || '|' || size || '|' || tlp || '|' || org_id || '|' || incident FROM evidence WHERE incident = 'assessment:%s'" % aid).split("|")
    org_a = sql("SELECT id FROM orgs WHERE name = 'Ministry A'")
    up += [""] * (6 - len(up))
    cell("a file sent with an answer is stored as evidence with its SHA-256",
         up[1] == hashlib.sha256(body).hexdigest() and up[2] == str(len(body)), repr((up, evl, error_text(a))))
    cell("named by its answer, with the assessment's TLP and organisation",
         evl == up[0] and up[3] == "2" and up[4] == org_a, repr((evl, up, org_a)))
    cell("a condition shows a question once it holds (L2 after L1 = yes)", a.find_elements(By.CSS_SELECTOR, 'input[name=q_L2]'))
    cell("the progress moves", not a.find_element(By.ID, "progress").text.startswith("0/"), a.find_element(By.ID, "progress").text)

    # a bad value: refused, naming the question; nothing stored
    st = post(a, "/console/assess/" + aid, {"action": "save", "pillar": "capacity", "q_C6": "lots", "q_C1": "yes"})
    cell("a bad value is refused (400)", st == 400, st)
    cell("and nothing of the form is stored", answer(aid, "C1") == "" and answer(aid, "C6") == "")
    a.get(BASE + "/console/assess/%s?pillar=capacity" % aid)
    a.execute_script("document.getElementById('in-C6').removeAttribute('min')")
    a.find_element(By.ID, "in-C6").send_keys("-4")
    submit(a, 'button[value=save]')
    cell("the page names the question", "C6: '-4' is not a number >= 0" in error_text(a), error_text(a))
    st = post(a, "/console/assess/" + aid, {"action": "save", "pillar": "legal", "q_L9": "yes"}, csrf="forged")
    cell("a forged form is refused (403)", st == 403, st)
    cell("and changes nothing", answer(aid, "L9") == "no")

    # the rest through the CLI, then the contributor submits from the page
    pairs = []
    for p in QN["pillars"]:
        for i in p["indicators"]:
            for q in i["questions"]:
                t = q["type"]
                v = {"yes-no": "yes", "yes-partial-no": "partial", "choice": None, "multiple-choice": None,
                     "number": "5", "percentage": "60", "date": "2025-01-01", "text": "x"}[t]
                if v is None:
                    v = q["options"][-1]["value"]
                if q["id"] not in ("L1", "L3", "L9"):
                    pairs.append("%s=%s" % (q["id"], v))
    r = subprocess.run([C5, "assess", "answer", aid] + pairs, capture_output=True, text=True)
    r2 = subprocess.run([C5, "assess", "answer", aid, "L1=yes", "T1=yes", "O1=yes", "--evidence", E["ev"]],
                        capture_output=True, text=True)
    cell("the CLI answers the rest", r.returncode == 0 and r2.returncode == 0, r.stderr + r2.stderr)
    a.get(BASE + "/console/assess/" + aid)
    submit(a, 'button[value=submit]')
    cell("Save and submit: submitted, on to the review page", sql("SELECT state FROM assessments WHERE id = " + aid) == "submitted"
         and a.current_url.endswith("/review"), a.current_url)
    st = post(a, "/console/assess/" + aid, {"action": "accept", "question": "L1"})
    cell("a contributor does not review (403)", st == 403 and sql("SELECT review FROM assess_answers WHERE assessment = %s AND question = 'L1'" % aid) == "pending", st)

    # ---- the analyst reviews
    anew(a, E["ana"])
    a.get(BASE + "/console/assess/%s/review" % aid)
    check_page(a, "assess-review")
    cell("the review shows the evidence given", "files " + E["ev"] in a.find_element(By.ID, "O1").text, a.find_element(By.ID, "O1").text)
    links = a.find_elements(By.CSS_SELECTOR, "#L5 ul.files a")
    cell("the reviewer sees the file given with its answer, and its SHA-256",
         len(links) == 1 and links[0].text == "critical services act.pdf" and up[1] in a.find_element(By.ID, "L5").text,
         a.find_element(By.ID, "L5").text)
    href = links[0].get_attribute("href")[len(BASE):] if links else "/"
    st, hd, got = get_raw(a, href)
    cell("and downloads it: its bytes, a fixed type, as an attachment",
         st == 200 and got == body and hd.get("Content-Type", "").startswith("application/octet-stream")
         and hd.get("Content-Disposition", "") == 'attachment; filename="critical_services_act.pdf"',
         (st, hd.get("Content-Type"), hd.get("Content-Disposition")))
    r = subprocess.run([C5, "evidence", "custody", up[0]], capture_output=True, text=True)
    cell("the download is in the file's chain of custody, which verifies",
         sql("SELECT count(*) FROM custody WHERE evidence_id = %s AND action = 'exported'" % up[0]) == "1"
         and r.returncode == 0 and "exported" in r.stdout, r.stdout + r.stderr)
    st2, _, _ = get_raw(a, "/console/assess/%s/evidence/%s" % (aid, int(up[0]) + 1000))
    cell("a file no answer names is not given (404)", st2 == 404, st2)
    a.find_element(By.ID, "c-O1").send_keys("no budget line shown")
    submit(a, '#O1 button[value=reject]')
    cell("a rejection is kept with its comment",
         sql("SELECT review || ':' || comment FROM assess_answers WHERE assessment = %s AND question = 'O1'" % aid) == "rejected:no budget line shown")
    submit(a, 'button[value=validate]')
    cell("validation is refused while an answer is not accepted", "answers are not accepted yet" in error_text(a) and
         sql("SELECT state FROM assessments WHERE id = " + aid) == "submitted", error_text(a))
    r = subprocess.run([C5, "assess", "validate", aid, "--all"], capture_output=True, text=True)
    cell("the CLI accepts the rest and validates", r.returncode == 0, r.stderr)

    # ---- results
    a.get(BASE + "/console/assess/%s/results" % aid)
    check_page(a, "assess-results")
    cell("the radar and the bars are drawn", a.find_elements(By.ID, "assess-radar") and
         a.execute_script("return !!window.Chart && !!Chart.getChart(document.getElementById('assess-radar'))"
                          " && !!Chart.getChart(document.getElementById('assess-bars'))"))
    st, csv = get(a, "/console/assess/%s/export?format=csv" % aid)
    total = [l.split(",")[3] for l in csv.splitlines() if l.startswith("total,")]
    shown = a.find_element(By.ID, "total").text
    cell("the total is the export's", st == 200 and total and abs(float(total[0]) - float(shown)) < 0.01, (st, total, shown))
    cell("every pillar in the chart's table", len(a.find_elements(By.CSS_SELECTOR, "#pillar-data tbody tr")) == 5)
    rk = a.find_element(By.ID, "ranking").text
    cell("the ranking: this period's entities one may see, with their intervals",
         len(a.find_elements(By.CSS_SELECTOR, "#ranking tbody tr")) == 2 and "Country C" in rk and "Country B" not in rk and "–" in rk, rk)
    st, html = get(a, "/console/assess/%s/export?format=html" % aid)
    cell("the printable report", st == 200 and "@media print" in html and "Country A" in html, st)

    # ---- roadmap
    a.get(BASE + "/console/assess/%s/roadmap" % aid)
    submit(a, 'button[value=roadmap]')
    check_page(a, "assess-roadmap")
    rows = a.find_elements(By.CSS_SELECTOR, "#roadmap tbody tr[id]")
    cell("the roadmap is made", len(rows) > 0 and sql("SELECT count(*) FROM assess_roadmap WHERE assessment = " + aid) == str(len(rows)), len(rows))
    first = rows[0].get_attribute("id")[2:]
    a.find_element(By.ID, "s-" + first).send_keys("accepted")
    a.find_element(By.ID, "w-" + first).send_keys("Ministry of Justice")
    submit(a, '#r-%s button[value=item]' % first)
    cell("an action accepted and assigned", sql("SELECT state || ':' || assignee FROM assess_roadmap WHERE assessment = %s AND action = '%s'" % (aid, first))
         == "accepted:Ministry of Justice")

    # ---- another organisation
    anew(a, E["bob"])
    a.get(BASE + "/console/assess")
    cell("Ministry B does not see Ministry A's AMBER assessment", "Country A" not in a.page_source and "Country B" in a.page_source)
    st, body = get(a, "/console/assess/" + aid)
    cell("nor by a guessed URL (404)", st == 404 and "Country A" not in body, st)
    st, body = get(a, "/console/assess/%s/export?format=json" % aid)
    cell("nor its export", st == 404 and "Country A" not in body, st)
    st, _, got = get_raw(a, href)
    cell("nor its evidence files (404)", st == 404 and got != body, st)
    st = post(a, "/console/assess/" + aid, {"action": "roadmap"}, csrf=a.find_element(By.NAME, "csrf").get_attribute("value"))
    cell("nor changes it", st == 404, st)
finally:
    a.quit()
sys.exit(finish())
