"""The command-line tests' fixture (imported by each test module; a second conftest.py would shadow
tests/conftest.py for `from conftest import ...`): a fresh course folder made by `rnncore init`, as the
working directory."""

from pathlib import Path

import pytest

from rnncore.scaffold import init_course

ROOT = Path(__file__).resolve().parents[2]  # the repository


@pytest.fixture
def course(tmp_path, monkeypatch):
    folder = tmp_path / "course"
    init_course(folder)
    monkeypatch.chdir(folder)
    return folder
