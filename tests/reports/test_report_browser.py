"""The HTML report as a person sees it: headless Chromium renders it from a file:// URL.

Needs a Chromium (Debian: ``apt-get install chromium``; ``.ci/setup`` installs it). Elsewhere than
CI the test skips without one; under CI (``CI=true``) it fails, so a CI machine that lost the
browser cannot turn the rendering check green by skipping it. ``CHROMIUM=/path/to/binary``
chooses the browser.
"""

import os
import re
import shutil
import subprocess

import numpy as np
import pytest
from test_html import make_results

from rnncore.reports.html import build_html

# Debian's name first; the others are what some Ubuntu machines and CI images carry instead.
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars", "--force-device-scale-factor=1"]
WIDTH, HEIGHT = 1280, 4000


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


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
    return subprocess.run(cmd, capture_output=True, text=True, timeout=180, stdin=subprocess.DEVNULL,
                          check=False)


def _pixels(path) -> np.ndarray:
    """The screenshot's RGB pixels, 0..255 (matplotlib decodes the PNG)."""
    import matplotlib.image as mpimg

    img = np.asarray(mpimg.imread(str(path)))
    return (img[:, :, :3] * 255).round().astype(np.uint8)


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    base = tmp_path_factory.mktemp("browser")
    res, root = make_results(base)
    out = build_html(res, res / "report" / "index.html", root=root)
    return out


def test_dom_has_tables_and_data_uri_images(chromium, page, tmp_path):
    proc = _run(chromium, ["--dump-dom", page.resolve().as_uri()], tmp_path / "profile")
    assert proc.returncode == 0, proc.stderr[-2000:]
    dom = proc.stdout
    source = page.read_text(encoding="utf-8")
    # the browser parsed the whole page: every section, table and image is in its DOM
    for sid in ("parity", "heatmaps", "slides", "training-parity", "study", "plural", "provenance"):
        assert f'id="{sid}"' in dom
    assert dom.count("<table") == source.count("<table") >= 8
    assert dom.count("<caption>") == dom.count("<table")
    imgs = re.findall(r"<img\b[^>]*>", dom)
    assert len(imgs) == source.count("<img") == 9
    assert all('src="data:image/png;base64,' in tag and 'alt="' in tag for tag in imgs)
    # the failing row is the first of the summary table, and says FAIL
    summary = re.search(r'<table class="summary">.*?</table>', dom, re.DOTALL).group(0)
    first = re.search(r"<tbody>\s*(<tr.*?</tr>)", summary, re.DOTALL).group(1)
    assert 'class="bad"' in first and "FAIL" in first


def test_screenshot_is_not_blank_and_shows_the_failure(chromium, page, tmp_path):
    shot = tmp_path / "shot.png"
    proc = _run(chromium, [f"--screenshot={shot}", f"--window-size={WIDTH},{HEIGHT}", page.resolve().as_uri()],
                tmp_path / "profile")
    assert proc.returncode == 0 and shot.exists(), proc.stderr[-2000:]
    px = _pixels(shot)
    assert px.shape[0] >= 1000 and px.shape[1] >= 1000
    grey = px.astype(float).mean(axis=2)
    non_white = float((grey < 240).mean())
    assert non_white > 0.03, f"screenshot is nearly blank ({non_white:.2%} non-white)"
    assert grey.std() > 20
    # the failing row's red background (#ffd6d6) and the banner's (#fde2e2) are on screen
    reds = ((px[:, :, 0] > 240) & (px[:, :, 1] > 200) & (px[:, :, 1] < 232) & (px[:, :, 2] > 200)
            & (px[:, :, 2] < 232)).sum()
    assert reds > 2000, f"only {reds} reddish pixels: the failing row is not shown red"
    # the heatmaps' viridis colours are drawn (dark purple of a 0-ULP cell)
    purple = ((px[:, :, 0] < 90) & (px[:, :, 1] < 40) & (px[:, :, 2] > 60)).sum()
    assert purple > 500
