"""The command-line tests' fixture, registered by each test module (`pytest_plugins = ["course_fixture"]`;
a second conftest.py would shadow tests/conftest.py for `from conftest import ...`): a fresh course folder
made by `rnncore init`, as the working directory."""

import pytest

from rnncore.tool.scaffold import init_course


@pytest.fixture
def course(tmp_path, monkeypatch):
    folder = tmp_path / "course"
    init_course(folder)
    monkeypatch.chdir(folder)
    return folder
