#!/usr/bin/env python3
"""console_csaf.py -- the console's advisory editor in a real browser, for
test_console_csaf.sh (which sets up a hub analyst, a member of Bank A and
the PKI).  Prints "ok - ..." / "not ok - ...".

An analyst writes an advisory with the form (no JavaScript needed),
previews its CSAF document, publishes it (its public page follows); a bad
CVSS vector is refused naming the field, nothing changed; hostile text is
shown escaped; a member may not write, sees GREEN ones published and not a
draft by a guessed URL; a form with a wrong CSRF token is refused."""
import json, os, sys, urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from browser_lib import BASE, By, browser, cell, check_page, error_text, fill, finish, post, sign_in, submit  # noqa: E402

E = json.loads(os.environ["SETUP"])


def status(path):
    try:
        return urllib.request.urlopen(BASE + path).status
    except urllib.error.HTTPError as e:
        return e.code


a = browser()
b = browser()
try:
    # ---- the analyst writes, previews, publishes
    sign_in(a, E["ana"], E["pw"])
    cell("the menu offers the advisories", a.find_elements(By.CSS_SELECTOR, 'nav a[href="/console/advisories"]'))
    a.get(BASE + "/console/advisories")
    check_page(a, "advisories")
    a.find_element(By.CSS_SELECTOR, 'a[href="/console/advisories/new"]').click()
    check_page(a, "advisory-new")
    fill(a, "ad-id", "C5-2026-0100")
    fill(a, "ad-title", "Widget: remote code execution")
    fill(a, "ad-summary", "A flaw in Widget lets a remote attacker run code.")
    fill(a, "ad-products", "Acme | Widget | 1.0\nAcme | Widget | 1.1")
    fill(a, "v0-cve", "CVE-2026-40001")
    fill(a, "v0-title", "Overflow")
    fill(a, "v0-cvss", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")
    fill(a, "v0-prod", "1")
    fill(a, "v0-rem", "Update to 1.1.")
    fill(a, "ad-refs", "https://acme.example/sa-1 Acme's advisory")
    submit(a, 'button[value="save"]')
    cell("the draft is saved", "/console/advisories/C5-2026-0100" in a.current_url and "Saved." in a.page_source,
         a.current_url)
    check_page(a, "advisory-edit")
    a.get(BASE + "/console/advisories/C5-2026-0100?preview=1")
    pre = a.find_elements(By.CSS_SELECTOR, "#preview pre")
    cell("the preview shows the CSAF document", pre and '"csaf_version": "2.0"' in pre[0].text
         and '"baseScore": 9.8' in pre[0].text, pre[0].text[:300] if pre else "no preview")
    check_page(a, "advisory-preview")
    fill(a, "ad-rev", "Initial version")
    submit(a, 'button[value="publish"]')
    cell("published: revision 1", "published=1" in a.current_url and "Revision: 1" in a.page_source.replace("</p>", ""),
         a.current_url)
    cell("its public page is reachable without signing in", status("/advisories/C5-2026-0100") == 200)
    c = browser()
    try:
        c.get(BASE + "/advisories/C5-2026-0100")
        cell("the public page shows the score", "9.8 CRITICAL" in c.page_source)
        check_page(c, "advisory-public")
    finally:
        c.quit()

    # ---- a bad vector: refused, naming the field; nothing changed
    a.get(BASE + "/console/advisories/C5-2026-0100")
    fill(a, "v0-cvss", "CVSS:3.1/AV:X")
    fill(a, "ad-title", "Changed title")
    submit(a, 'button[value="save"]')
    err = error_text(a)
    cell("a bad CVSS vector is refused naming the field", "Vulnerability 1, cvss_vector" in err, err)
    cell("and the form keeps what was typed", a.find_element(By.ID, "v0-cvss").get_attribute("value") == "CVSS:3.1/AV:X")
    check_page(a, "advisory-error")

    # ---- hostile text, escaped everywhere
    a.get(BASE + "/console/advisories/new")
    fill(a, "ad-id", "C5-2026-0101")
    fill(a, "ad-title", "<script>alert(1)</script><img src=x onerror=alert(2)>")
    a.find_element(By.ID, "ad-cat").send_keys("csaf_base")
    a.find_element(By.ID, "ad-tlp").send_keys("GREEN")
    fill(a, "ad-summary", "\"'><b>bold</b>")
    submit(a, 'button[value="save"]')
    fill(a, "ad-rev", "First")
    submit(a, 'button[value="publish"]')
    a.get(BASE + "/console/advisories")
    src = a.page_source
    cell("hostile text is shown escaped in the list", "&lt;script&gt;alert(1)" in src and "<script>alert" not in src)
    cell("no script ran", not a.execute_script("return window.__alerted || false"))

    # ---- a member: reads GREEN ones published, writes nothing
    sign_in(b, E["tom"], E["pw"])
    b.get(BASE + "/console/advisories")
    src = b.page_source
    cell("a member sees the GREEN advisory published", "C5-2026-0101" in src, src[-400:])
    cell("and is not offered to write one", not b.find_elements(By.CSS_SELECTOR, 'a[href="/console/advisories/new"]'))
    b.get(BASE + "/console/advisories/new")
    cell("the editor is refused to a member", "written by the hub" in b.page_source)
    b.get(BASE + "/console/advisories/C5-2026-0102")
    cell("a draft by guessed URL is not there for a member", "No such advisory." in b.page_source)
    b.get(BASE + "/advisories/C5-2026-0101")
    cell("the GREEN one's page is there for a signed-in member", "bold" in b.page_source)
    cell("but not for everyone", status("/advisories/C5-2026-0101") == 404)
    b.get(BASE + "/console/advisories")
    code = post(b, "/console/advisories/new", {"id": "C5-2026-0999", "title": "x", "category": "csaf_base"})
    cell("a member's POST is refused", code == 403, code)

    # ---- CSRF: a wrong token changes nothing
    a.get(BASE + "/console/advisories/C5-2026-0100")
    code = post(a, "/console/advisories/C5-2026-0100", {"title": "Forged", "nv": "0"}, csrf="0" * 43)
    cell("a form with a wrong CSRF token is refused", code == 403, code)

    # ---- French
    a.get(BASE + "/lang?lang=fr&back=/console/advisories")
    cell("the page is in French", "Rédiger un nouvel avis" in a.page_source)
    check_page(a, "advisories-fr")
finally:
    a.quit()
    b.quit()
sys.exit(finish())
