#!/usr/bin/env python3
"""console_notify.py -- the console's notices and deliveries page in a real
browser, for test_console_notify.sh, which sets the hub up (one early
warning to Bank A, 101 to Other C).  Prints "ok - ..." / "not ok - ...".

A constituent sees its own deliveries only, exactly the rows the API gives
its token; the hub's team sees all, 100 a page; the state filter; bad
parameters refused; axe-core on every page; French."""
import json, os, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from browser_lib import BASE, By, browser, cell, check_page, finish, sign_in, submit  # noqa: E402

E = json.loads(os.environ["SETUP"])


def ids(d):
    return sorted(int(tr.get_attribute("id").split("-")[1])
                  for tr in d.find_elements(By.CSS_SELECTOR, "#deliveries tbody tr[id]"))


a = browser()
b = browser()
try:
    # ---- a constituent: its own only, as the API
    sign_in(a, E["tom"], E["pw"])
    cell("the menu offers the notices page to everyone", a.find_elements(By.CSS_SELECTOR, 'nav a[href="/console/deliveries"]'))
    a.get(BASE + "/console/deliveries")
    check_page(a, "deliveries")
    src = a.page_source
    cell("a member of Bank A sees the warning sent to it", "soc@bank.example" in src and "Bank A" in src, src[-600:])
    cell("and nothing sent to Other C", "soc@other.example" not in src and "Other C" not in src)
    cell("the same rows as GET /api/v1/deliveries for its organisation", str(ids(a)) == E["api_bank"], (ids(a), E["api_bank"]))
    cell("one page: no next link", not a.find_elements(By.CSS_SELECTOR, 'a[rel="next"]'))
    st = a.find_element(By.CSS_SELECTOR, "#deliveries tbody tr[id] .state-pending")
    cell("its state is shown in words", st.text == "pending", st.text)

    # ---- the hub's team: all, 100 a page
    sign_in(b, E["hana"], E["pw"])
    b.get(BASE + "/console/deliveries")
    check_page(b, "deliveries-hub")
    first = ids(b)
    cell("a member of the hub's team sees every organisation's, 100 on a page",
         len(first) == 100 and "soc@bank.example" in b.page_source and "soc@other.example" in b.page_source, len(first))
    cell("the error of a failed try is shown", "connect" in b.page_source.lower())
    b.find_element(By.CSS_SELECTOR, 'a[rel="next"]').click()
    rest = ids(b)
    cell("the next page holds the rest, none twice", len(rest) == 2 and not set(rest) & set(first)
         and min(rest) > max(first), rest)

    # ---- the filter and bad input
    b.get(BASE + "/console/deliveries")
    b.find_element(By.ID, "d-state").send_keys("sent")
    submit(b, "form.filters button")
    cell("the state filter: nothing was sent", "state=sent" in b.current_url and not ids(b), b.current_url)
    b.get(BASE + "/console/deliveries?state=lost")
    cell("an unknown state is refused, naming the field", "State: pending, sent or failed." in b.page_source)
    check_page(b, "deliveries-error")
    b.get(BASE + "/console/deliveries?after=x")
    cell("a bad page cursor is refused", "After: a delivery number." in b.page_source)

    # ---- French
    a.get(BASE + "/lang?lang=fr&back=/console/deliveries")
    cell("the page is in French", "Avis et envois" in a.page_source)
    check_page(a, "deliveries-fr")
finally:
    a.quit()
    b.quit()
sys.exit(finish())
