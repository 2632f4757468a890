"""`snakemake all --profile profiles/slurm` on a real single-node SLURM cluster (Debian's slurm-wlm).

The test brings the cluster up with `.ci/slurm-up` (installing slurm-wlm and munge with apt-get when
missing), runs the workflow through the SLURM executor plugin in one copy of the project and with
the plain local profile in another (every parity case, a one-run training grid), checks that every
job went through SLURM and that the CSV reports are byte-identical, and stops the cluster with
`.ci/slurm-down`, leaving no daemon behind.

It needs root (packages, /etc/slurm/slurm.conf, slurmd). Under CI (CI=true) it never skips: a
machine that cannot bring the cluster up fails. Elsewhere it skips when not root or when the
plugin is not installed (`pip install -e '.[cluster]'`).
"""

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import set_config
from rnncore.config import in_ci

pytestmark = pytest.mark.workflow

ROOT = Path(__file__).resolve().parents[2]
DAEMONS = ("munged", "slurmctld", "slurmd", "slurmstepd")


def unavailable(reason: str):
    if in_ci():
        pytest.fail(f"CI=true and the SLURM test cannot run: {reason}")
    pytest.skip(reason)


def running_daemons() -> dict[int, str]:
    """pid -> name of live (non-zombie) munge/SLURM daemons on this machine."""
    found = {}
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            stat = (proc / "stat").read_text()
        except OSError:
            continue
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        state = stat[stat.rindex(")") + 2:].split()[0]
        if name in DAEMONS and state != "Z":
            found[int(proc.name)] = name
    return found


def clean_env(repo: Path) -> dict:
    # PYTHONPATH: the copy's own rnncore, not the installed one, runs in the copy's jobs (sbatch
    # exports the environment). No SLURM_* of an enclosing job, no site partition or account.
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("SLURM_", "SBATCH_", "SRUN_")) and k not in (
               "RNNCORE_SLURM_PARTITION", "RNNCORE_SLURM_ACCOUNT", "SNAKEMAKE_PROFILE")}
    env["PYTHONPATH"] = str(repo)
    return env


@pytest.fixture
def slurm_cluster():
    """A running single-node cluster (partition `debug`), stopped again afterwards."""
    if os.geteuid() != 0:
        unavailable("needs root to install and run slurmctld, slurmd and munged")
    try:
        import snakemake_executor_plugin_slurm  # noqa: F401
    except ImportError:
        unavailable("snakemake-executor-plugin-slurm is not installed (pip install -e '.[cluster]')")
    before = running_daemons()
    up = subprocess.run(["bash", str(ROOT / ".ci/slurm-up")], capture_output=True, text=True, timeout=900)
    try:
        assert up.returncode == 0, f".ci/slurm-up failed:\n{up.stdout[-2000:]}\n{up.stderr[-6000:]}"
        yield
    finally:
        down = subprocess.run(["bash", str(ROOT / ".ci/slurm-down")], capture_output=True, text=True,
                              timeout=180)
        left = {}
        for _ in range(50):  # an exiting daemon may linger for a moment
            left = {pid: name for pid, name in running_daemons().items() if pid not in before}
            if not left:
                break
            time.sleep(0.2)
        assert down.returncode == 0, f".ci/slurm-down failed:\n{down.stderr[-3000:]}"
        assert not left, f"daemons left running after .ci/slurm-down: {left}"


def csv_reports(repo: Path) -> dict[str, bytes]:
    # Not results/training: its CSVs record each run's wall time.
    return {str(p.relative_to(repo)): p.read_bytes() for p in sorted((repo / "results" / "parity").rglob("*.csv"))}


# The parity stage and the training (not the report and notebooks: they add minutes, not information).
TARGETS = ("parity", "results/training/summary.csv")


def test_thirty_cases_on_slurm_are_a_few_submissions_and_match_a_local_run_byte_for_byte(
        repo_copy, tmp_path, octave, slurm_cluster):
    """30 course-style cases (benchmarks/course_scale.py's) and one training run through SLURM: the cases'
    120 jobs go out bundled, 10 cases to a submission (profiles/slurm: group-components), and every CSV is
    byte-identical to a local run's."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from course_scale import generate_case

    cases = []
    (repo_copy / "ports").mkdir()
    (repo_copy / "ports" / "__init__.py").write_text("")
    for k in range(30):
        case, m, port = generate_case(k)
        (repo_copy / case["script"]).write_text(m)
        (repo_copy / "ports" / f"{case['name']}.py").write_text(port)
        cases.append(case)
    set_config(repo_copy, cases=["rnn2"], extra_cases=cases, study={},
               training=[{"task": "pig", "model": ["diagonal"], "hidden": [3], "seed": [0],
                          "epochs": 200, "optimizer": "sgd", "lr": 0.1}])
    local_copy = tmp_path / "local"
    shutil.copytree(repo_copy, local_copy)

    # The local reference run goes alongside the SLURM run: it uses the CPUs while the SLURM run
    # waits between status checks.
    local_log = tmp_path / "local.log"
    with open(local_log, "w") as log:
        local = subprocess.Popen([sys.executable, "-m", "snakemake", *TARGETS], cwd=local_copy,
                                 env=clean_env(local_copy), stdout=log, stderr=subprocess.STDOUT,
                                 start_new_session=True)
    try:
        # Status checks 1 s after the last job finished (the profile's 10 s suits a shared cluster).
        run = subprocess.run([sys.executable, "-m", "snakemake", *TARGETS, "--profile", "profiles/slurm",
                              "--slurm-init-seconds-before-status-checks", "1"],
                             cwd=repo_copy, env=clean_env(repo_copy), capture_output=True, text=True, timeout=1800)
        local.wait(timeout=900)
    finally:
        if local.poll() is None:
            os.killpg(local.pid, signal.SIGKILL)
            local.wait()
    out = run.stdout + run.stderr
    local_out = local_log.read_text()
    assert "Using profiles profiles/slurm and workflow specific profile profiles/default" in out
    assert run.returncode == local.returncode == 0, (
        f"SLURM run exited {run.returncode}, local run {local.returncode}\n--- SLURM run:\n{out[-5000:]}"
        f"\n--- local run:\n{local_out[-3000:]}")

    # 31 cases are 124 parity jobs: they went out as 4 group submissions (10 cases each, the last 1), and
    # the one training run as one more: 5, not 125. Every submission has its own SLURM job id.
    submitted = re.findall(r"SLURM jobid (\d+)", out)
    assert len(set(submitted)) == len(submitted)
    assert len(submitted) == 5, f"{len(submitted)} submissions:\n{out[-4000:]}"
    queue = subprocess.run(["squeue", "--noheader", "--states=all", "--format=%i|%T"], capture_output=True,
                           text=True, timeout=30)
    assert queue.returncode == 0, queue.stderr
    states = dict(line.split("|") for line in queue.stdout.split())
    assert all(states.get(i) == "COMPLETED" for i in submitted), (submitted, states)

    # The same reports, to the byte, as the local run's.
    on_slurm, on_local = csv_reports(repo_copy), csv_reports(local_copy)
    assert sum(rel.startswith("results/parity/case_") for rel in on_slurm) >= 30 * 4
    assert sorted(on_slurm) == sorted(on_local)
    differ = [rel for rel in on_slurm if on_slurm[rel] != on_local[rel]]
    assert not differ, f"CSV reports differ between SLURM and local runs: {differ}"
    assert (repo_copy / "results/parity/gate.txt").read_bytes() == (local_copy / "results/parity/gate.txt").read_bytes()
