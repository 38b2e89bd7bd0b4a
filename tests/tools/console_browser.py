#!/usr/bin/env python3
"""console_browser.py -- the console in a real browser (Debian's Chromium,
headless, driven by Selenium through chromium-driver), for test_console.sh,
which sets the hub up.  Prints "ok - ..." / "not ok - ..." per check.

Sign-in (right, wrong, locked, second factor), the enrolment link, session
expiry, CSRF refused, a look-up, a warning raised in one browser appearing
live in another, the TLP rules through the pages and guessed URLs, axe-core
on every page (no serious or critical violation), a screenshot of each."""
import json, os, subprocess, sys, time, urllib.request, urllib.error

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from browser_lib import BASE, By, browser, cell, check_page, finish, sign_in, submit, totp  # noqa: E402

DB = os.environ["C5HUB_DB"]
E = json.loads(os.environ["SETUP"])

a = browser()
c = browser()
try:
    # ---- enrolment: the link, a weak password refused, then set
    a.get(E["link"])
    check_page(a, "enrol")
    cell("the enrolment page names the account", E["ana"] in a.page_source, a.page_source[:200])
    a.find_element(By.ID, "password").send_keys("password1234")
    a.find_element(By.ID, "again").send_keys("password1234")
    submit(a)
    cell("a common password is refused, with a reason", "flash bad" in a.page_source)
    a.find_element(By.ID, "password").send_keys(E["pw"])
    a.find_element(By.ID, "again").send_keys(E["pw"])
    submit(a)
    cell("the password is set", "/signin" in a.page_source and "flash bad" not in a.page_source, a.page_source[-300:])
    a.get(E["link"])
    cell("the link works once only", "flash bad" in a.page_source)

    # ---- sign-in: wrong, then right
    sign_in(a, E["ana"], "not the password at all")
    cell("a wrong password is refused", a.current_url.endswith("/signin") and "flash bad" in a.page_source)
    check_page(a, "signin")
    sign_in(a, "nobody@nowhere.example", "not the password at all")
    msg_unknown = a.find_element(By.CSS_SELECTOR, ".flash.bad").text
    sign_in(a, E["ana"], "not the password at all")
    msg_wrong = a.find_element(By.CSS_SELECTOR, ".flash.bad").text
    cell("an unknown account gets the same answer as a wrong password", msg_unknown == msg_wrong,
         (msg_unknown, msg_wrong))
    sign_in(a, E["ana"], E["pw"])
    cell("the right password opens the dashboard", a.current_url.endswith("/console"), a.current_url)
    check_page(a, "dashboard")
    cookies = {k["name"]: k for k in a.get_cookies()}
    sc = cookies.get("c5sid", {})
    cell("the session cookie is HttpOnly and SameSite=Strict", sc.get("httpOnly") and sc.get("sameSite") == "Strict", sc)

    # ---- the pages, each checked
    for path, name in (("/console/lookup?q=" + E["amber"], "lookup"), ("/console/indicators", "indicators"),
                       ("/console/warnings", "warnings")):
        a.get(BASE + path)
        check_page(a, name)
    a.get(BASE + "/console/indicators/%d" % E["amber_id"])
    check_page(a, "indicator")
    cell("the giver sees its AMBER indicator's page", E["amber"] in a.page_source)
    a.get(BASE + "/console/lookup?q=" + E["amber"])
    cell("a look-up shows the score and the reports", "Reports and why they count" in a.page_source and
         E["source"] in a.page_source, a.page_source[-500:])

    a.get(BASE + "/console/lookup")
    a.find_element(By.ID, "q").send_keys(E["amber"].replace(".", "[.]") + "\n" + "x" * 3000)
    submit(a)
    cell("a pasted, defanged value is read refanged (the form posts)", "(refanged)" in a.page_source and
         E["source"] in a.page_source, a.page_source[-400:])
    cell("and a line longer than any value is refused, not cut", "longer than any value" in a.page_source)

    # ---- another organisation: never another's AMBER or RED, by page or by URL
    sign_in(c, E["carl"], E["pw"])
    cell("a member of another organisation signs in", c.current_url.endswith("/console"), c.current_url)
    c.get(BASE + "/console/indicators")
    src = c.page_source
    cell("its indicator list shows the GREEN one", E["green"] in src)
    cell("and not the AMBER one", E["amber"] not in src)
    cell("and not the RED one", E["red"] not in src)
    for k in ("amber", "red"):
        c.get(BASE + "/console/indicators/%d" % E[k + "_id"])
        cell("a guessed URL of the %s indicator answers not found" % k.upper(),
             "No such indicator" in c.page_source and E[k] not in c.page_source)
        c.get(BASE + "/console/lookup?q=" + E[k])
        cell("a look-up of the %s value shows no report" % k.upper(),
             "No report you may see." in c.page_source and E["source"] not in c.page_source)
    c.get(BASE + "/console/indicators/%d" % E["green_id"])
    cell("the GREEN indicator's page opens", E["green"] in c.page_source)

    # ---- my organisation: its own networks and the events about them, nobody else's
    c.get(BASE + "/console/mine")
    check_page(c, "mine")
    src = c.page_source
    cell("a constituent sees what it answers for", "203.0.113.0/24" in src)
    cell("and the event about its network", "203.0.113.5" in src)
    cell("and not another organisation's networks", "192.0.2.0/24" not in src)
    a.get(BASE + "/console/mine")
    cell("the other organisation sees its own, not the first one's event",
         "192.0.2.0/24" in a.page_source and "203.0.113.5" not in a.page_source)

    # ---- a warning raised in one browser appears in the other at once
    c.get(BASE + "/console")
    time.sleep(1.0)  # the stream is open
    a.get(BASE + "/console/warnings")
    a.find_element(By.ID, "w-title").send_keys("Live test warning")
    a.find_element(By.ID, "w-class").send_keys("malicious-code/c2-server")
    aud = a.find_element(By.ID, "w-aud")
    aud.clear()
    aud.send_keys("all")
    a.find_element(By.ID, "w-obs").send_keys("192.0.2.200")
    t0 = time.time()
    a.find_element(By.CSS_SELECTOR, "form.card button").click()
    seen = None
    while time.time() - t0 < 5:
        if "Live test warning" in c.find_element(By.ID, "warnings-live").text:
            seen = time.time() - t0
            break
        time.sleep(0.05)
    cell("the warning appears in the other browser within a second", seen is not None and seen < 1.0, seen)
    cell("and in the raiser's own list", "Live test warning" in a.page_source)
    c.get(BASE + "/console/warnings")
    cell("a reader is not offered the form to raise one", not c.find_elements(By.ID, "w-title"))

    # ---- CSRF: a form without this session's token changes nothing
    sid = {k["name"]: k["value"] for k in a.get_cookies()}["c5sid"]
    body = "title=Forged&classification=malicious-code%2Fc2-server&severity=high&tlp=green&audience=all&csrf=forged"
    req = urllib.request.Request(BASE + "/console/warnings", data=body.encode(), method="POST",
                                 headers={"Cookie": "c5sid=" + sid, "Content-Type": "application/x-www-form-urlencoded"})
    try:
        status = urllib.request.urlopen(req).status
    except urllib.error.HTTPError as e:
        status = e.code
    cell("a form with a wrong CSRF token is refused (403)", status == 403, status)
    n = subprocess.run(["sqlite3", DB, "SELECT count(*) FROM warnings WHERE title = 'Forged'"],
                       capture_output=True, text=True).stdout.strip()
    cell("and nothing was raised", n == "0", n)

    # ---- languages: French by the switcher, Arabic right to left
    a.get(BASE + "/lang?lang=fr&back=/console")
    cell("the switcher gives French", "Tableau de bord" in a.page_source and 'lang="fr"' in a.page_source)
    check_page(a, "dashboard-fr")
    a.get(BASE + "/lang?lang=ar&back=/console")
    cell("Arabic is laid out right to left", 'dir="rtl"' in a.page_source)
    check_page(a, "dashboard-ar")
    a.get(BASE + "/lang?lang=en&back=//evil.example/")
    cell("the switcher never sends elsewhere", a.current_url.startswith(BASE), a.current_url)

    # ---- session expiry: idle for 31 minutes (the store's clock moved back)
    subprocess.run(["sqlite3", "-cmd", ".timeout 5000", DB,
                    "UPDATE sessions SET last_seen = last_seen - 31 * 60"], check=True)
    a.get(BASE + "/console")
    cell("an idle session has ended: back to sign-in", a.current_url.endswith("/signin"), a.current_url)

    # ---- sign-out ends the session on the server
    sign_in(c, E["carl"], E["pw"])
    old = {k["name"]: k["value"] for k in c.get_cookies()}["c5sid"]
    c.get(BASE + "/console")
    submit(c, "form.who button")
    cell("sign-out leads to the sign-in page", c.current_url.endswith("/signin"), c.current_url)
    req = urllib.request.Request(BASE + "/console", headers={"Cookie": "c5sid=" + old})
    opener = urllib.request.build_opener(type("NoRedirect", (urllib.request.HTTPRedirectHandler,),
                                              {"redirect_request": lambda *a, **k: None}))
    try:
        st = opener.open(req).status
    except urllib.error.HTTPError as e:
        st = e.code
    cell("the old session id no longer opens the console", st == 303, st)

    # ---- the second factor
    sign_in(c, E["tom"], E["pw"])
    cell("an account with a second factor is asked for its code", bool(c.find_elements(By.ID, "code")))
    check_page(c, "signin-totp")
    c.find_element(By.ID, "password").send_keys(E["pw"])
    c.find_element(By.ID, "code").send_keys("000000" if totp(E["totp"]) != "000000" else "111111")
    submit(c)
    cell("a wrong code is refused", c.current_url.endswith("/signin"))
    # the next step's code: the confirming one (this step's) may not be used twice
    sign_in(c, E["tom"], E["pw"], code=totp(E["totp"], time.time() + 30))
    cell("the right code opens the console", c.current_url.endswith("/console"),
         [e.text for e in c.find_elements(By.CSS_SELECTOR, ".flash")])

    # ---- an organisation that requires a second factor: set one up first
    c.delete_all_cookies()
    sign_in(c, E["rita"], E["pw"])
    cell("a person whose organisation requires a second factor is sent to set one up",
         c.current_url.endswith("/console/totp"), c.current_url)
    check_page(c, "totp-setup")
    c.get(BASE + "/console/indicators")
    cell("and can open nothing else meanwhile", c.current_url.endswith("/console/totp"), c.current_url)
    key = c.find_element(By.CSS_SELECTOR, "form.card code").text
    c.find_element(By.ID, "code").send_keys(totp(key))
    submit(c)
    cell("a right code turns it on and opens the console", c.current_url.endswith("/console"), c.current_url)

    # ---- lock-out: five failures in 15 minutes
    c.delete_all_cookies()
    for _ in range(5):
        sign_in(c, E["carl"], "wrong password again")
    sign_in(c, E["carl"], E["pw"])
    cell("after five failures even the right password waits", "15" in c.page_source and
         c.current_url.endswith("/signin"), c.page_source[-400:])
finally:
    a.quit()
    c.quit()
sys.exit(finish())
