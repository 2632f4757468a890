"""The HTML report (rnncore.reports.html) from a miniature run in the contract (report_data.make_run)."""

import re
from dataclasses import replace
from html import unescape

import pytest
from report_data import BROKEN_LEFT, BROKEN_RIGHT, CRASH, make_run, write_verdict

from rnncore import layout
from rnncore.reports.fingerprint import embedded_fingerprint
from rnncore.reports.html import MAPS_PASSING, MAX_ROWS, SECTIONS, build_html
from rnncore.reports.verdict import Verdict


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    base = tmp_path_factory.mktemp("run")
    inputs = make_run(base)
    out = build_html(inputs, base / layout.report_html())
    return inputs, out, out.read_text(encoding="utf-8")


def _case(page: str, name: str) -> str:
    m = re.search(rf'<details id="case-{name}".*?</details>', page, re.DOTALL)
    assert m, f"no section for case {name}"
    return m.group(0)


def _overview(page: str) -> str:
    return re.search(r'<table class="overview">.*?</table>', page, re.DOTALL).group(0)


def test_banner_and_meta_carry_the_verdict(built):
    inputs, out, page = built
    verdict = Verdict.read(inputs.verdict)
    assert "✗ FAIL:" in page and verdict.line in page  # "6 of 11 comparisons fail", absent included
    assert verdict.line == "6 of 11 comparisons fail"
    assert embedded_fingerprint(out) == verdict.fingerprint
    assert f'<meta name="rnncore-verdict" content="{verdict.fingerprint}">' in page.split("</head>")[0]


def test_overview_has_one_line_per_case_with_status_words_and_links(built):
    _, _, page = built
    table = _overview(page)
    rows = re.findall(r"<tr[^>]*>.*?</tr>", table.split("<tbody>")[1], re.DOTALL)
    names = [re.search(r'href="#case-([^"]+)"', r).group(1) for r in rows]
    assert names == ["course_demo", "broken", "crashed", "near_zero", "big", "train_demo"]
    by = dict(zip(names, rows))
    assert 'class="bad"' in by["broken"] and "✗ FAIL" in by["broken"] and "0 of 4 pass" in by["broken"]
    assert "✗ ERROR" in by["crashed"]
    assert 'class="bad"' not in by["course_demo"] and "✓ pass" in by["course_demo"]
    # the worst comparison of the failing case and both values at its worst element
    assert "<code>y1</code>" in by["broken"] and "(2, 1)" in by["broken"]
    assert f"{BROKEN_LEFT!r} / {BROKEN_RIGHT!r}" in by["broken"]
    assert 'href="../parity/broken/elements/"' in by["broken"]
    # a passing case's line shows the values at its worst element too (here 3071 ULP near zero)
    assert "1e-19 / 1.0000000000004606e-19" in by["near_zero"] and "3071" in by["near_zero"]


def test_failing_case_is_open_and_passing_case_collapsed(built):
    _, _, page = built
    assert re.search(r'<details id="case-broken" class="case bad" open>', page)
    assert re.search(r'<details id="case-crashed" class="case bad" open>', page)
    assert re.search(r'<details id="case-course_demo" class="case">', page)
    assert re.search(r'<details id="case-near_zero" class="case">', page)


def test_every_row_shows_worst_element_values_and_links_its_element_table(built):
    inputs, out, page = built
    section = _case(page, "broken")
    y1 = next(r for r in re.findall(r"<tr[^>]*>.*?</tr>", section, re.DOTALL) if "<code>y1</code>" in r)
    assert "✗ FAIL" in y1 and "(2, 1)" in y1 and repr(BROKEN_LEFT) in y1 and repr(BROKEN_RIGHT) in y1
    assert '<td class="n">4503599</td>' in y1  # a failing row's ULP is not said to pass
    assert "4503599" in y1
    href = re.search(r'href="([^"]+y1\.csv)"', y1).group(1)
    assert href == "../parity/broken/elements/octave-vs-python/y1.csv"
    assert (out.parent / href).resolve() == (inputs.root / layout.element_table("broken", "octave", "python", "y1")).resolve()


def test_inf_and_nan_rows_render_and_keep_their_worst_element(built):
    _, _, page = built
    h1 = next(r for r in re.findall(r"<tr[^>]*>.*?</tr>", _case(page, "broken"), re.DOTALL) if "<code>h1</code>" in r)
    assert ">Inf<" in h1 and "(3, 1)" in h1 and "Inf" in h1 and "NaN" in h1
    # the map is centred on the element the engine named, not on a NaN-skewed argmax
    assert "h1, octave vs python, 3×1: 1 failing element(s) (red, ✗); worst (3, 1)." in page


def test_error_rows_show_their_message_escaped(built):
    _, _, page = built
    section = _case(page, "crashed")
    assert section.count("✗ ERROR") == 3  # the summary line and both rows
    x = next(r for r in re.findall(r"<tr[^>]*>.*?</tr>", section, re.DOTALL) if "<code>x</code>" in r)
    assert '<td class="n">—</td>' in x and "NaN" not in x  # no number, not a NaN
    assert "&lt;b&gt;not bold&lt;/b&gt;" in section and "<b>not bold</b>" not in page
    assert unescape("matlab_ref/crashed.m:3: error in crashed: &#39;foo&#39; undefined") in unescape(section)
    assert CRASH.split(" <b>")[0] in unescape(section)


def test_absent_comparison_is_listed_in_its_case(built):
    _, _, page = built
    section = _case(page, "broken")
    assert "✗ ABSENT" in section and "<code>g_by</code>" in section


def test_ulp_is_a_dash_where_only_the_absolute_bound_applies(built):
    _, _, page = built
    section = _case(page, "course_demo")
    slides = next(r for r in re.findall(r"<tr[^>]*>.*?</tr>", section, re.DOTALL) if "slides vs octave" in r)
    assert '<td class="n">-</td>' in slides and "400000000000" not in page
    assert "|err| ≤ 5e-05 (absolute only)" in slides


def test_maps_only_where_they_say_something(built):
    _, _, page = built
    # broken: its two failing rows with element tables are drawn; p1 has none (its row says why), and the
    # crashed case's rows have nothing to draw
    broken = _case(page, "broken")
    assert broken.count("<img ") == 2 and broken.count("<figure") == 2
    assert "<figure" not in _case(page, "crashed")
    # a passing case draws at most MAPS_PASSING maps, marked pass
    demo = _case(page, "course_demo")
    assert demo.count("<img ") == min(2, MAPS_PASSING)
    # the 3071-ULP element that passes by the absolute bound is said to, and is not a failure
    near = _case(page, "near_zero")
    assert "0 failing element(s)" in near and "1 above 16 ULP that pass by the absolute bound (hatched)" in near
    assert '<td class="n">3071 (by |err|)</td>' in near


def test_large_matrix_is_windowed_around_the_worst_element(built):
    _, _, page = built
    assert f"Rows {45 - MAX_ROWS + 1}–45, columns 1–3 of 45×3, around the worst element." in page
    assert "Worst of 10 draws: draw 7." in page and "(42, 3) of draw 7/10" in page


def test_nav_and_headings_use_one_name_per_section(built):
    _, _, page = built
    nav = re.search(r"<nav.*?</nav>", page, re.DOTALL).group(0)
    for sid, title in SECTIONS:
        assert f'<a href="#{sid}">{title}</a>' in nav
        assert re.search(rf'<section id="{sid}">\s*<h2>{re.escape(title)}</h2>', page), sid
    assert "ULP heatmaps" not in page


def test_references_are_keyed_by_configured_case_not_by_name(built, tmp_path):
    inputs, _, page = built
    refs = re.search(r'<section id="references">.*?</section>', page, re.DOTALL).group(0)
    assert "course_demo" in refs and "slides: softmax_y_out as printed" in refs and "0.4324" in refs
    assert "slides vs octave: ✓ pass" in refs
    bare = replace(inputs, references={})
    text = build_html(bare, tmp_path / "report" / "index.html").read_text(encoding="utf-8")
    refs = re.search(r'<section id="references">.*?</section>', text, re.DOTALL).group(0)
    assert "Not produced by this run" in refs and "no case has a <code>reference:</code>" in refs


def test_loss_curves_of_the_training_cases(built):
    _, _, page = built
    section = re.search(r'<section id="training-parity">.*?</section>', page, re.DOTALL).group(0)
    assert section.count("<img ") == 1 and "train_demo" in section and "Python minus Octave per epoch" in section


def test_self_contained_accessible_and_escaped(built):
    _, _, page = built
    assert "<script" not in page.lower()
    assert not re.search(r'(src|href)="(https?:)?//', page)
    imgs = re.findall(r"<img\b[^>]*>", page)
    assert imgs and all(re.search(r'alt="[^"]{20,}"', t) and 'src="data:image/png;base64,' in t for t in imgs)
    assert page.count("<table") == page.count("<caption>") > 10
    assert "Linux &lt;b&gt;escaped&lt;/b&gt; &amp; co" in page
    assert 'href="' not in re.sub(r'href="(#[^"]+|\.\./parity/[^"]+)"', "", page)  # only anchors and element tables


def test_byte_identical_when_built_twice(built, tmp_path):
    inputs, out, page = built
    first = out.read_bytes()
    assert build_html(inputs, out).read_bytes() == first


def test_stale_report_is_told_from_a_current_one(built, tmp_path):
    inputs, out, _ = built
    base = tmp_path / "run"
    fresh = make_run(base)
    build_html(fresh, base / layout.report_html())
    assert embedded_fingerprint(base / layout.report_html()) == Verdict.read(fresh.verdict).fingerprint
    new = write_verdict(base, [], absent=[])  # the gate decides again on other rows
    assert embedded_fingerprint(base / layout.report_html()) != new


def test_optional_inputs_absent_say_not_produced(tmp_path):
    inputs = make_run(tmp_path, training=False, study=False)
    inputs = replace(inputs, divergence=None, provenance=tmp_path / "nowhere.json")
    text = build_html(inputs, tmp_path / "index.html").read_text(encoding="utf-8")
    for sid in ("training-parity", "learning", "study", "provenance"):
        section = re.search(rf'<section id="{sid}">.*?</section>', text, re.DOTALL).group(0)
        assert "Not produced by this run" in section, sid
    assert "nowhere.json" in text


def test_no_summary_and_no_verdict_still_render(tmp_path):
    inputs = make_run(tmp_path)
    (tmp_path / layout.summary()).unlink()
    (tmp_path / layout.verdict()).unlink()
    text = build_html(inputs, tmp_path / "index.html").read_text(encoding="utf-8")
    assert "✗ FAIL: no parity summary was produced" in text
    assert "results/parity/summary.csv</code> is absent" in text and 'name="rnncore-verdict"' not in text
