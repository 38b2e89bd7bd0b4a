#!/usr/bin/env python3
"""browser_lib.py -- what the console's browser tests share: a headless
Chromium driven by Selenium, axe-core and a screenshot on each page, form
submission that waits for the next page, sign-in, TOTP codes, and the
"ok - / not ok -" cells the test scripts count.

Environment: BASE (the hub), SHOTS (screenshot directory), AXE (axe.min.js)."""
import base64, hashlib, hmac, os, struct, time, urllib.error, urllib.parse, urllib.request

from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

BASE, SHOTS, AXE = (os.environ[k] for k in ("BASE", "SHOTS", "AXE"))
counts = {"ok": 0, "not ok": 0}


def cell(desc, good, detail=""):
    r = "ok" if good else "not ok"
    counts[r] += 1
    print("%s - %s%s" % (r, desc, "" if good else " (%s)" % detail), flush=True)


def browser():
    o = webdriver.ChromeOptions()
    o.binary_location = "/usr/bin/chromium"
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
              "--disable-background-networking", "--disable-component-update", "--disable-sync",
              "--disable-dev-shm-usage", "--window-size=1200,900", "--lang=en-GB"):
        o.add_argument(a)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=o)


axe_src = open(AXE).read()
shots = set()


def check_page(d, name):
    """axe-core on the page as it is, and a screenshot."""
    d.execute_script(axe_src)
    res = d.execute_async_script(
        "var done = arguments[0]; axe.run(document, {resultTypes: ['violations']})"
        ".then(function (r) { done(r.violations.map(function (v) { return [v.id, v.impact, v.nodes.length]; })); })"
        ".catch(function (e) { done([['axe-error', String(e), 0]]); });")
    bad = [v for v in res if v[1] in ("serious", "critical") or v[0] == "axe-error"]
    cell("axe-core: no serious or critical violation on %s" % name, not bad, bad)
    if name not in shots:
        d.save_screenshot(os.path.join(SHOTS, name.replace("/", "_") + ".png"))
        shots.add(name)


def submit(d, css="form.card button"):
    """Click a form's button and wait for the next page."""
    old = d.find_element(By.TAG_NAME, "html")
    d.find_element(By.CSS_SELECTOR, css).click()

    def gone(_):
        try:
            old.is_enabled()
            return False
        except WebDriverException:  # stale, or already detached
            return True
    WebDriverWait(d, 10).until(gone)


def sign_in(d, email, password, code=None):
    d.get(BASE + "/signin")
    d.find_element(By.ID, "email").send_keys(email)
    d.find_element(By.ID, "password").send_keys(password)
    submit(d)
    if code is not None and d.find_elements(By.ID, "code"):
        d.find_element(By.ID, "password").send_keys(password)
        d.find_element(By.ID, "code").send_keys(code)
        submit(d)


def totp(secret, t=None):
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    msg = struct.pack(">Q", int((t or time.time()) // 30))
    h = hmac.new(key, msg, hashlib.sha1).digest()
    o = h[-1] & 15
    return "%06d" % ((struct.unpack(">I", h[o:o + 4])[0] & 0x7FFFFFFF) % 1000000)




def finish():
    """The summary line; the exit status for the script."""
    print("# %d checks, %d failed" % (sum(counts.values()), counts["not ok"]))
    return 1 if counts["not ok"] else 0


def post(d, path, fields, csrf=None):
    """POST a form as d's session, with its CSRF token (or csrf); the status, redirects not followed."""
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

def fill(d, ident, text):
    el = d.find_element(By.ID, ident)
    el.clear()
    el.send_keys(text)

def error_text(d):
    els = d.find_elements(By.CSS_SELECTOR, ".flash.bad")
    return els[0].text if els else ""
