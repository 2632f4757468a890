"""The HTML report as a person sees it: headless Chromium renders it from a file:// URL.

The page has no script; to ask the browser what it shows, the test renders a *copy* with a probe
script appended that writes the layout facts (what is visible, what scrolls) into the DOM, which
``--dump-dom`` returns. A screenshot checks the colours.

Needs a Chromium (Debian: ``apt-get install chromium``; ``.ci/setup`` installs it). Elsewhere than
CI the test skips without one; under CI (``CI=true``) it fails, so a CI machine that lost the
browser cannot turn the rendering check green by skipping it. ``CHROMIUM=/path/to/binary``
chooses the browser.
"""

import json
import os
import re
import shutil
import subprocess

import numpy as np
import pytest
from report_data import BROKEN_LEFT, BROKEN_RIGHT, make_run

from rnncore import layout
from rnncore.reports.html import build_html
from rnncore.config import in_ci

# Debian's name first; the others are what some Ubuntu machines and CI images carry instead.
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars", "--force-device-scale-factor=1"]

PROBE = """
<script>
// checkVisibility: false inside a closed <details> (whose content Chromium skips as content-visibility: hidden)
function shown(el) { return !!el && el.checkVisibility() && el.getClientRects().length > 0; }
function caseTable(name) { return document.querySelector('#case-' + name + ' table'); }
function cellWith(text) {
  return Array.from(document.querySelectorAll('#case-broken td')).find(td => td.textContent.includes(text));
}
const wrap = document.querySelector('#case-broken .scroll');
const facts = {
  overviewShown: shown(document.querySelector('table.overview')),
  overviewRows: document.querySelectorAll('table.overview tbody tr').length,
  overviewLinks: Array.from(document.querySelectorAll('table.overview a[href^="#case-"]')).map(a => a.getAttribute('href')),
  passingOpen: document.querySelector('#case-course_demo').open,
  passingTableShown: shown(caseTable('course_demo')),
  passingSummaryShown: shown(document.querySelector('#case-course_demo > summary')),
  failingOpen: document.querySelector('#case-broken').open,
  failingTableShown: shown(caseTable('broken')),
  leftValueShown: shown(cellWith(LEFT)),
  rightValueShown: shown(cellWith(RIGHT)),
  pageWidth: document.documentElement.scrollWidth,
  viewport: window.innerWidth,
  tableScrolls: wrap.scrollWidth > wrap.clientWidth,
};
const pre = document.createElement('pre');
pre.id = 'probe';
pre.textContent = JSON.stringify(facts);
document.body.appendChild(pre);
</script>
"""


@pytest.fixture(scope="module")
def chromium() -> str:
    override = os.environ.get("CHROMIUM")
    found = shutil.which(override) if override else next(filter(None, map(shutil.which, BROWSERS)), None)
    if found is None:
        hint = ("headless Chromium is not installed; install it with: sudo apt-get install --no-install-recommends "
                "chromium   (or set CHROMIUM=/path/to/chromium)")
        if in_ci():
            pytest.fail(f"CI=true and {hint}")
        pytest.skip(hint)
    return found


def _run(browser: str, args: list[str], profile) -> subprocess.CompletedProcess:
    cmd = [browser, *FLAGS, f"--user-data-dir={profile}", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=180, stdin=subprocess.DEVNULL, check=False)


def _pixels(path) -> np.ndarray:
    import matplotlib.image as mpimg

    img = np.asarray(mpimg.imread(str(path)))
    return (img[:, :, :3] * 255).round().astype(np.uint8)


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    base = tmp_path_factory.mktemp("browser")
    return build_html(make_run(base), base / layout.report_html())


def _probe(chromium, page, width: int, tmp_path) -> dict:
    text = page.read_text(encoding="utf-8")
    script = PROBE.replace("LEFT", json.dumps(repr(BROKEN_LEFT))).replace("RIGHT", json.dumps(repr(BROKEN_RIGHT)))
    probe = page.with_name(f"probe-{width}.html")  # beside the page: the same relative links
    probe.write_text(text.replace("</body>", script + "</body>"), encoding="utf-8")
    proc = _run(chromium, ["--dump-dom", f"--window-size={width},900", probe.resolve().as_uri()], tmp_path / "profile")
    assert proc.returncode == 0, proc.stderr[-2000:]
    m = re.search(r'<pre id="probe">(.*?)</pre>', proc.stdout, re.DOTALL)
    assert m, "the probe did not run"
    return json.loads(m.group(1).replace("&quot;", '"').replace("&amp;", "&"))


def test_overview_collapsed_passing_case_open_failing_case_and_worst_values(chromium, page, tmp_path):
    facts = _probe(chromium, page, 1280, tmp_path)
    assert facts["overviewShown"] and facts["overviewRows"] == 6
    assert "#case-broken" in facts["overviewLinks"] and "#case-course_demo" in facts["overviewLinks"]
    # a passing case: its line shows, its table does not until opened
    assert facts["passingOpen"] is False and facts["passingSummaryShown"] and not facts["passingTableShown"]
    # the failing case is open, its table and both values at the worst element are on screen
    assert facts["failingOpen"] is True and facts["failingTableShown"]
    assert facts["leftValueShown"] and facts["rightValueShown"]


def test_narrow_screen_scrolls_the_table_not_the_page(chromium, page, tmp_path):
    facts = _probe(chromium, page, 800, tmp_path)
    assert facts["viewport"] == 800
    assert facts["tableScrolls"], "the case table should scroll inside its box at 800 px"
    assert facts["pageWidth"] <= facts["viewport"], f"the page is {facts['pageWidth']} px wide at 800 px"


def test_screenshot_shows_the_failure_in_red(chromium, page, tmp_path):
    shot = tmp_path / "shot.png"
    proc = _run(chromium, [f"--screenshot={shot}", "--window-size=1280,1600", page.resolve().as_uri()],
                tmp_path / "profile")
    assert proc.returncode == 0 and shot.exists(), proc.stderr[-2000:]
    px = _pixels(shot)
    grey = px.astype(float).mean(axis=2)
    assert float((grey < 240).mean()) > 0.03 and grey.std() > 20, "screenshot is nearly blank"
    # the failing rows' red background (#ffd6d6) and the banner's (#fde2e2) are on the first screen
    reds = ((px[:, :, 0] > 240) & (px[:, :, 1] > 200) & (px[:, :, 1] < 232) & (px[:, :, 2] > 200)
            & (px[:, :, 2] < 232)).sum()
    assert reds > 2000, f"only {reds} reddish pixels: the failure is not shown red"
