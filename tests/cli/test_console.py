"""What `rnncore run` shows a lecturer (issue #23): one live line while Snakemake works, then a few closing
lines; Snakemake's own output goes to results/logs/. And `rnncore run CASE` keeps the report of every case.

Found on main: a run of a five-case course printed about 275 lines of Snakemake's log (427 with this
folder's five cases), and `rnncore run CASE` after an edit of that case's port removed the report of
every case."""

import io
import re
import time

import pytest

pytest_plugins = ["course_fixture"]  # the `course` fixture
from rnncore import layout
from rnncore.reports.html import last_run_text
from rnncore.tool.addcase import append_case, case_entry
from rnncore.tool.cli import main
from rnncore.tool.progress import LiveLine, SnakemakeProgress

COPIES = ("ex2", "ex3", "ex4", "ex5")
CASES = ("example_rnn", *COPIES)
MAX_LINES = 15  # a passing run's whole console output (the limit)


@pytest.fixture
def five(course):
    """The course folder of `rnncore init` with four more cases: copies of its example, each its own port."""
    config = course / "config.yaml"
    text = config.read_text()
    for name in COPIES:
        (course / "matlab_ref" / f"{name}.m").write_text((course / "matlab_ref" / "example_rnn.m").read_text())
        port = (course / "ports" / "example_rnn.py").read_text().replace("def example_rnn(", f"def {name}(")
        (course / "ports" / f"{name}.py").write_text(port)
        text = append_case(text, case_entry(name, f"matlab_ref/{name}.m", f"ports.{name}:{name}", ["ht", "y", "p"]))
    config.write_text(text)
    return course


def console(capsys) -> tuple[str, list[str]]:
    captured = capsys.readouterr()
    text = captured.out + captured.err
    return text, text.splitlines()


def log_of(folder, text: str):
    match = re.search(r"rnncore run: log: (results/logs/run-\d{8}T\d{6}Z(?:-\d+)?\.log)$", text, re.M)
    assert match, text
    return folder / match.group(1)


def last_compared(folder) -> dict[str, str]:
    """case -> the 'last compared' cell of the report's overview table."""
    page = (folder / layout.report_html()).read_text()
    overview = page[page.index('<table class="overview">'):]
    overview = overview[:overview.index("</table>")]
    return dict(re.findall(r'<th scope="row"><a href="#case-([\w-]+)">[\w-]+</a></th>.*?<td class="when">([^<]*)</td>',
                           overview, re.S))


def test_a_run_shows_a_few_lines_and_logs_snakemakes_output(five, octave, capsys):
    assert main(["run"]) == 0
    text, lines = console(capsys)
    assert len(lines) <= MAX_LINES, text
    n_jobs = 4 * len(CASES) + 7  # four jobs per case; summary, verdict, gate, provenance, junit, report, parity
    assert re.search(rf"^rnncore run: {n_jobs} of {n_jobs} jobs done, 5 of 5 cases compared in \d+:\d\d$", text, re.M)
    assert "rnncore run: parity passed (every case): 15 of 15 comparisons pass" in lines
    assert "rnncore run: report: results/report/index.html" in lines
    for noise in ("Building DAG", "jobid:", "steps (", "SNAKEMAKE", "Complete log"):
        assert noise not in text, noise
    # Every line Snakemake wrote is in the log, and it tells the same story as the closing line.
    log = log_of(five, text)
    written = log.read_text()
    assert "Building DAG of jobs..." in written and f"{n_jobs} of {n_jobs} steps (100%) done" in written
    progress = SnakemakeProgress()
    for line in written.splitlines():
        progress.feed(line)
    assert (progress.done, progress.total, progress.cases_done, progress.cases_total) == (n_jobs, n_jobs, 5, 5)
    assert progress.running == {} and progress.failed == []

    # --verbose: Snakemake's output on the console as it comes (here: that there is nothing to do).
    assert main(["run", "--verbose"]) == 0
    text, lines = console(capsys)
    assert "Nothing to be done (all requested files are present and up to date)." in text
    assert "rnncore run: nothing to do: every result is up to date" in lines
    assert log_of(five, text) != log  # each run its own log

    # A port off by 1e-7 in one weight: each failing row with its worst element and both values there, and
    # nothing of Snakemake's failed gate job (the verdict says it all).
    port = five / "ports" / "ex5.py"
    port.write_text(port.read_text().replace("[0.5, -0.3, 0.8]", "[0.5, -0.3, 0.8000001]"))
    assert main(["run"]) == 1
    text, lines = console(capsys)
    assert "rnncore run: parity FAILED (every case): 3 of 15 comparisons fail" in lines
    for variable in ("ht", "y", "p"):
        row = next(line for line in lines if line.startswith(f"  - ex5 {variable} octave-vs-python: fail"))
        assert re.search(r"at \(\d,\d\) \(octave -?0\.\d+, python -?0\.\d+\)$", row), row
    assert "RuleException" not in text and "Snakemake exited" not in text and "Error in rule" not in text
    assert len(lines) <= MAX_LINES + 6, text  # the 3 failing rows take two lines each


def test_running_one_case_keeps_the_report_of_every_case(five, octave, capsys):
    assert main(["run"]) == 0
    capsys.readouterr()
    first = {c: (five / layout.case_summary(c)).stat().st_mtime for c in CASES}
    shown = last_compared(five)
    assert shown == {c: last_run_text(five / layout.case_summary(c)) for c in CASES}
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC", t) for t in shown.values()), shown

    time.sleep(1.1)  # the report's times are to the second: the rerun must land on a later one
    before = time.time()
    port = five / "ports" / "ex3.py"
    port.write_text(port.read_text() + "# edited: ex3 is compared again\n")
    assert main(["run", "ex3"]) == 0
    text, lines = console(capsys)
    assert "rnncore run: parity passed (case ex3): 3 of 3 comparisons pass" in lines
    assert "rnncore run: report: results/report/index.html (every case, each at its last run)" in lines
    assert re.search(r"^rnncore run: \d+ of \d+ jobs done, 1 of 1 case compared in ", text, re.M), text
    assert "removed" not in text and not (five / layout.incomplete()).exists()
    # The report still lists every case; ex3 at its new comparison, the others at the first run's.
    shown = last_compared(five)
    assert set(shown) == set(CASES)
    after = {c: (five / layout.case_summary(c)).stat().st_mtime for c in CASES}
    assert after["ex3"] >= before - 1
    assert {c: after[c] for c in CASES if c != "ex3"} == {c: first[c] for c in CASES if c != "ex3"}
    assert shown == {c: last_run_text(five / layout.case_summary(c)) for c in CASES}
    assert shown["ex3"] > max(t for c, t in shown.items() if c != "ex3")  # ISO times sort as text
    assert "15 of 15 comparisons pass" in (five / layout.summary_md()).read_text()

    # ex4 edited but not run: a report of every case would show its results of other sources. Only ex3
    # runs, the report is left to a run of every case, and the closing lines say so.
    for name in ("ex3", "ex4"):
        port = five / "ports" / f"{name}.py"
        port.write_text(port.read_text() + "# edited again\n")
    assert main(["run", "ex3"]) == 0
    text, lines = console(capsys)
    assert "1 of 1 case compared" in text
    assert ("rnncore run: report: not rebuilt: the results of ex4 are out of date or missing (their files changed "
            "since their last run); `rnncore run` runs them and rebuilds it") in lines
    assert any(line.startswith("rnncore run: removed ") and "results/report/index.html" in line for line in lines)
    assert not (five / layout.report_html()).exists()
    assert main(["run"]) == 0
    assert "rnncore run: report: results/report/index.html" in console(capsys)[1]
    assert set(last_compared(five)) == set(CASES)


def test_a_results_file_in_the_way_is_one_sentence(course, capsys):
    (course / "results").write_text("not a folder\n")
    assert main(["run"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and captured.err.startswith("rnncore run: cannot write the run's log under")
    assert "Traceback" not in captured.err


class _Terminal(io.StringIO):
    def isatty(self):
        return True


def test_the_live_line_is_rewritten_in_place_on_a_terminal():
    screen = _Terminal()
    live = LiveLine(screen, "rnncore run: ")
    live.update("1 of 9 jobs done; 0:01")
    live.update("1 of 9 jobs done; 0:01")  # the same text: nothing written
    live.update("2 of 9 jobs done; running ex3; 0:02")
    live.message("rnncore: results/engines/ex3/octave.npz: damaged")
    live.update("3 of 9 jobs done; 0:03")
    live.clear()
    assert screen.getvalue() == ("\r\x1b[Krnncore run: 1 of 9 jobs done; 0:01"
                                 "\r\x1b[Krnncore run: 2 of 9 jobs done; running ex3; 0:02"
                                 "\r\x1b[Krnncore: results/engines/ex3/octave.npz: damaged\n"
                                 "\r\x1b[Krnncore run: 3 of 9 jobs done; 0:03"
                                 "\r\x1b[K")


def test_elsewhere_the_live_line_is_an_occasional_plain_line():
    now = [0.0]
    log = io.StringIO()
    live = LiveLine(log, "rnncore run: ", every=30.0, clock=lambda: now[0])
    for t, text in ((0, "0 of 9 jobs done; 0:00"), (10, "2 of 9 jobs done; 0:10"), (31, "3 of 9 jobs done; 0:31"),
                    (45, "4 of 9 jobs done; 0:45"), (65, "3 of 9 jobs done; 1:05"), (70, "4 of 9 jobs done; 1:10"),
                    (80, "5 of 9 jobs done; 1:20")):
        now[0] = t
        live.update(text)
    # Nothing in the first 30 s (a short run shows no progress line at all), then at most one line per 30 s,
    # and none while only the clock moves (3 of 9 again at 1:05: no line).
    assert log.getvalue() == "rnncore run: 3 of 9 jobs done; 0:31\nrnncore run: 4 of 9 jobs done; 1:10\n"


SWITCH = "mode = 'tanh';\nx = [0.25; -0.5];\nswitch mode\n  case 'tanh'\n    h = tanh(x);\n  otherwise\n    h = x;\nend\n"


def test_adding_several_scripts_shows_one_line_each(course, octave, capsys):
    from rnncore.config import load_settings, read_config_file

    scripts = course / "matlab_ref"
    (scripts / "twin.m").write_text((scripts / "example_rnn.m").read_text())
    (scripts / "switching.m").write_text(SWITCH)  # outside the translator's subset: a skeleton
    (scripts / "crash.m").write_text("a = 1;\nb = [1 2] * [3 4];\n")
    given = ["matlab_ref/twin.m", "matlab_ref/switching.m", "matlab_ref/crash.m"]
    assert main(["add", *given, "--name", "one"]) == 2
    assert "--name names one case" in capsys.readouterr().err
    assert main(["add", *given]) == 1
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert re.fullmatch(r"  matlab_ref/twin\.m: case 'twin', \d+ variable\(s\) compared; ports/twin\.py translated",
                        lines[0]), lines[0]
    assert lines[1].startswith("  matlab_ref/switching.m: case 'switching', 3 variable(s) compared; ports/switching.py "
                               "is a skeleton to write by hand")
    assert lines[2].startswith("  matlab_ref/crash.m: not added: ") and "crash.m:2" in lines[2]
    assert re.fullmatch(r"rnncore add: added 2 of 3 script\(s\) in \d+:\d\d; 1 port\(s\) to write by hand", lines[3])
    assert re.fullmatch(r"rnncore add: each script's variables \(class, size\): results/logs/add-\S+\.log", lines[4])
    assert len(lines) == 5 and "variable  class" not in captured.out  # no per-script listing: it is in the log
    listings = (course / lines[4].rpartition(": ")[2]).read_text()
    for script in given:
        assert f"==> rnncore add {script}\n" in listings
    assert re.search(r"^  ht +double +3x4 +yes$", listings, re.M)  # twin.m's listing, as `rnncore add` prints it
    crash = listings.split("==> rnncore add matlab_ref/crash.m\n", 1)[1]
    assert crash.startswith("rnncore add: ") and "crash.m:2:" in crash.splitlines()[0]  # why, with file and line
    assert captured.err == "rnncore add: 1 script(s) could not be added (the reason is beside each)\n"
    settings = load_settings(read_config_file(course / "config.yaml"), course, "config.yaml")
    assert [c.name for c in settings.cases] == ["example_rnn", "twin", "switching"]


def test_ctrl_c_stops_the_run_in_one_sentence_and_the_next_run_finishes(five, octave):
    """Ctrl-C at a terminal reaches rnncore and Snakemake alike (one process group): Snakemake stops its jobs,
    rnncore says so in one line, and the next run redoes what was left half done."""
    import os
    import signal
    import subprocess
    import sys

    from conftest import ROOT

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "rnncore", "run"], cwd=five, env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:  # until a job has finished: the run is under way
        logs = list((five / "results" / "logs").glob("run-*.log"))
        if logs and " steps (" in logs[0].read_text():
            break
        time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGINT)
    out, _ = proc.communicate(timeout=300)
    assert proc.returncode == 130, out
    lines = out.splitlines()
    assert lines[0] == "rnncore run: interrupted; run it again to finish (half-done jobs are redone)", out
    assert re.fullmatch(r"rnncore run: log: results/logs/run-\S+\.log", lines[-1]) and len(lines) == 2, out
    assert "Traceback" not in out and "execution_exception" not in out
    again = subprocess.run([sys.executable, "-m", "rnncore", "run"], cwd=five, env=env, stdin=subprocess.DEVNULL,
                           capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "rnncore run: parity passed (every case): 15 of 15 comparisons pass" in again.stdout
