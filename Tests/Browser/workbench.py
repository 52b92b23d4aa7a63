#!/usr/bin/env python3
"""Drives the auditor's workbench in headless Chromium (Debian's chromium and chromium-driver,
through Selenium) against a running `threatledger serve`, as an auditor would, and checks what the
page shows against what the API says. Run by the Swift test `WorkbenchBrowserTests`; prints one
line per check and exits 1 on the first that fails. Screenshots go to --screenshots.

Usage: workbench.py --base http://127.0.0.1:PORT --token TOKEN --screenshots DIR [--bmp-source ID]
"""
import argparse
import json
import os
import sys
import time

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

parser = argparse.ArgumentParser()
parser.add_argument("--base", required=True)
parser.add_argument("--token", required=True)
parser.add_argument("--screenshots", required=True)
parser.add_argument("--bmp-source")
arguments = parser.parse_args()
os.makedirs(arguments.screenshots, exist_ok=True)


def check(condition, what):
    if not condition:
        print(f"FAILED: {what}", flush=True)
        driver.save_screenshot(os.path.join(arguments.screenshots, "failure.png"))
        sys.exit(1)
    print(f"ok: {what}", flush=True)


def wait_ready(value, seconds=20):
    deadline = time.time() + seconds
    while time.time() < deadline:
        ready = driver.execute_script("return document.body.dataset.ready || ''")
        if ready == value:
            return
        time.sleep(0.1)
    check(False, f"the page reached state {value!r} (it is {driver.execute_script('return document.body.dataset.ready')!r})")


def go(fragment, ready):
    driver.execute_script("document.body.dataset.ready = ''")
    driver.execute_script("location.hash = arguments[0]", fragment)
    wait_ready(ready)


def shot(name):
    driver.save_screenshot(os.path.join(arguments.screenshots, name + ".png"))


def api(path):
    """The API's answer, fetched by the page's own origin with the token (what the page reads)."""
    return driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "fetch(arguments[0], {headers: {Authorization: 'Bearer ' + arguments[1]}}).then(r => r.json()).then(done, e => done({error: String(e)}));",
        path, arguments.token)


def highlights_read_back(source_text_by_id):
    """Each highlighted span's text, joined from the page's pieces, against the article's code points
    at its selector (taken from the API's text, cut by code points in Python)."""
    spans = driver.execute_script("""
        return Array.from(document.querySelectorAll('.span-index li')).map(li => {
          const container = li.closest('.passage');
          const pieces = Array.from(container.querySelectorAll('[data-spans]'))
            .filter(p => p.dataset.spans.split(' ').includes(li.dataset.spanId));
          return {id: li.dataset.spanId, start: +li.dataset.start, end: +li.dataset.end, role: li.dataset.role,
                  source: li.dataset.source, text: pieces.map(p => p.textContent).join('')};
        });""")
    for span in spans:
        points = list(source_text_by_id[span["source"]])
        expected = "".join(points[span["start"]:span["end"]])
        if span["text"] != expected:
            return spans, f"span {span['id']} ({span['role']}, {span['start']}-{span['end']}) reads {span['text']!r}, the article has {expected!r}"
    return spans, None


options = Options()
options.binary_location = "/usr/bin/chromium"
for flag in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1000", "--lang=en"]:
    options.add_argument(flag)
options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
driver.set_script_timeout(20)
try:
    # Sign in: a wrong token first.
    driver.get(arguments.base + "/#/summary")
    wait_ready("login")
    check(driver.find_element(By.ID, "login").is_displayed(), "the page asks for a token")
    field = driver.find_element(By.NAME, "token")
    field.send_keys("not-a-token")
    driver.find_element(By.CSS_SELECTOR, "#login-form button").click()
    wait_ready("login")
    message = driver.find_element(By.ID, "login-message").text
    check("refused this token" in message, f"a wrong token gets a clear message ({message!r})")
    shot("login-refused")
    field = driver.find_element(By.NAME, "token")
    field.send_keys(arguments.token)
    driver.find_element(By.CSS_SELECTOR, "#login-form button").click()
    wait_ready("/summary")
    sy = driver.find_element(By.CSS_SELECTOR, 'tr[data-region="SY"]')
    killed = sy.find_element(By.CSS_SELECTOR, 'a[data-measure="killed"]').text
    check(killed == "killed: 260 / 260 / open", f"the summary shows SY's killed figure ({killed!r})")
    hasakah = driver.find_element(By.CSS_SELECTOR, 'tr[data-region="SY-HA"]').text
    check("Al Ḩasakah, Syria" in hasakah, "divisions show their code and their names")
    shot("summary")
    driver.find_element(By.CSS_SELECTOR, 'button[data-format="acled"]').click()
    deadline = time.time() + 10
    while time.time() < deadline and not driver.execute_script("return document.body.dataset.downloaded || ''"):
        time.sleep(0.1)
    downloaded = driver.execute_script("return document.body.dataset.downloaded || ''")
    check(downloaded.startswith("acled:") and int(downloaded.split(":")[1]) >= 90, f"the claims download in the ACLED layout ({downloaded!r})")

    # Click SY's killed figure: the trace.
    driver.execute_script("document.body.dataset.ready = ''")
    sy.find_element(By.CSS_SELECTOR, 'a[data-measure="killed"]').click()
    wait_ready("/trace")
    check("region=SY" in driver.current_url and "measure=killed" in driver.current_url, "the trace has its own URL")
    total = driver.find_element(By.CSS_SELECTOR, 'p.sum[data-total="260"]').text
    check(sorted(total.replace("260 =", "").replace(" ", "").split("+")) == sorted(["1", "16", "68", "175"]), f"260 = 1 + 16 + 68 + 175 ({total!r})")
    check("widest-bounds-latest-best" in driver.page_source, "the rules are named")
    trace = api("/v1/trace?region=SY&measure=killed")
    texts = {}
    for claim in trace["claims"]:
        source = claim["source"]["source_id"]
        if source not in texts:
            texts[source] = api("/v1/sources/" + source)["source"]["text"]
    spans, problem = highlights_read_back(texts)
    check(problem is None, problem or f"every one of {len(spans)} highlights reads back as the article's code points at its selector")
    listed = sum(1 + sum(1 for f in c["figures"] if f["source_id"] == c["source"]["source_id"]) for c in trace["claims"])
    shown = sum(1 for s in spans if s["role"] in ("statement", "figure"))
    check(shown == listed, f"every quote the trace lists is highlighted ({shown} of {listed})")
    arabic = driver.execute_script("return Array.from(document.querySelectorAll('.passage')).every(p => p.dir === 'rtl' && p.lang === 'ar')")
    check(arabic, "every Arabic passage is dir=rtl lang=ar")
    check("verified" in driver.find_element(By.CSS_SELECTOR, "article.claim").text, "each claim shows its verification")
    shot("trace")

    # Reported by 2020-12-31: SY's killed figure is gone, and the page says why.
    go("#/summary?reported_by=2020-12-31", "/summary")
    rows = driver.find_elements(By.CSS_SELECTOR, 'tr[data-region="SY"] a[data-measure="killed"]')
    check(not rows, "with reported-by 2020-12-31 SY has no killed figure")
    report = driver.find_element(By.CSS_SELECTOR, ".clock-report").text
    check("Left out by the clocks" in report and "unpublished" in report, f"the clocks say what they left out ({report!r})")
    check(driver.find_element(By.NAME, "reported_by").get_attribute("value") == "2020-12-31", "the clock input shows the date")
    shot("summary-reported-by-2020")

    # An article: every claim coded from it highlighted.
    go("#/source/1aee4b5224ae9675", "/source/1aee4b5224ae9675")
    data = api("/v1/sources/1aee4b5224ae9675")["source"]
    spans, problem = highlights_read_back({"1aee4b5224ae9675": data["text"]})
    check(problem is None, problem or f"the article's {len(spans)} highlights read back as its code points")
    highlighted_claims = driver.execute_script(
        "return new Set(Array.from(document.querySelectorAll('.span-index li')).map(li => li.closest('.passage') && li.dataset.spanId)).size")
    claims = int(driver.find_element(By.CSS_SELECTOR, "dd[data-claims]").get_attribute("data-claims"))
    statements = sum(1 for s in spans if s["role"] == "statement")
    check(statements == claims == len(data["claims"]) and claims > 0, f"{claims} claims, each with its statement highlighted ({statements})")
    check("verified" in driver.page_source, "the article shows its SHA-256 verified")
    corroboration = driver.find_element(By.ID, "corroboration").text
    check("hasakah-prison-assault-2022" in corroboration and "corroborated by" in corroboration, "the article view shows the incidents it shares and who corroborates them")
    check(driver.find_elements(By.CSS_SELECTOR, "#disagreements li"), "and where the sources disagree")
    shot("article")

    # A claim's history: every version, with who, when and why.
    go("#/history/a896289027671bb9-08", "/history/a896289027671bb9-08")
    versions = driver.find_elements(By.CSS_SELECTOR, "#history-table tbody tr")
    check(len(versions) >= 1 and "ClaimRecorded" in versions[0].text, f"the history lists the claim's versions ({len(versions)})")
    shot("history")

    # A diff: the source that became visible on the report clock.
    go("#/diff?clock=report&from=2022-01-01&to=2022-02-28&region=SY", "/diff")
    causes = [li.text for li in driver.find_elements(By.CSS_SELECTOR, "#diff-events li")]
    check(any("source 1aee4b5224ae9675 (published 2022-01-24..2022-01-31) became visible" in text for text in causes), f"the diff names the source that became visible ({causes[:3]})")
    check(driver.find_elements(By.CSS_SELECTOR, "#diff-changes tbody tr"), "the diff lists the changed figures")
    shot("diff")

    # The timeline of SY's killed figure over report time and over record time (one request each to
    # /v1/timeline): Chart.js step charts, each step linking to the diff that explains it.
    go("#/timeline?region=SY&measure=killed", "/timeline")
    time.sleep(0.5)
    steps = driver.find_elements(By.CSS_SELECTOR, "#timeline-steps li")
    check(steps and steps[-1].get_attribute("data-low") == "260", f"the report timeline ends at 260 ({[s.get_attribute('data-low') for s in steps]})")
    check(len(steps) >= 2 and steps[0].get_attribute("data-when") < steps[-1].get_attribute("data-when"), "the report timeline moves on more than one day")
    check(driver.execute_script("return !!Chart.getChart(document.getElementById('timeline-chart'))"), "the report-time step chart is drawn")
    recorded = driver.find_elements(By.CSS_SELECTOR, "#timeline-record-steps li")
    check(recorded and recorded[-1].get_attribute("data-low") == "260", f"the record timeline ends at 260 ({[s.get_attribute('data-low') for s in recorded]})")
    check(driver.execute_script("return !!Chart.getChart(document.getElementById('timeline-record-chart'))"), "the record-time step chart is drawn")
    check(driver.find_elements(By.CSS_SELECTOR, '#timeline-steps a[href*="/diff"]'), "a step links to the diff that explains it")
    shot("timeline")
    # The first report step's link: the diff names the source whose publication moved the figure.
    first_day = steps[0].get_attribute("data-when")
    driver.execute_script("document.body.dataset.ready = ''")
    steps[0].find_element(By.CSS_SELECTOR, "a").click()
    wait_ready("/diff")
    causes = [li.text for li in driver.find_elements(By.CSS_SELECTOR, "#diff-events li")]
    check(any("became visible" in text for text in causes), f"the step of {first_day} is explained by a source that became visible ({causes[:3]})")

    # The map: the regions with figures, at the gazetteer's coordinates, no network.
    go("#/map", "/map")
    time.sleep(0.5)
    markers = driver.find_elements(By.CSS_SELECTOR, "#map path.leaflet-interactive")
    listed = driver.find_elements(By.CSS_SELECTOR, "#map-regions li")
    check(len(markers) == len(listed) and len(markers) > 3, f"every region with figures is on the map ({len(markers)} markers, {len(listed)} listed)")
    check(driver.find_elements(By.CSS_SELECTOR, '#map-regions li[data-region="SY-HA"]'), "Al-Hasakah is on the map")
    shot("map")

    if arguments.bmp_source:
        go("#/source/" + arguments.bmp_source, "/source/" + arguments.bmp_source)
        data = api("/v1/sources/" + arguments.bmp_source)["source"]
        spans, problem = highlights_read_back({arguments.bmp_source: data["text"]})
        check(problem is None and len(spans) >= 2, problem or "characters outside the BMP before a quote: highlights still at their code points")
        shot("article-outside-bmp")

    severe = [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE" and "not-a-token" not in entry["message"]
              and "401" not in entry["message"]]
    check(not severe, f"no console errors ({severe})")
    print(json.dumps({"checks": "all passed"}))
finally:
    driver.quit()
