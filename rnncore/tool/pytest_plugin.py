"""rnncore's pytest plugin (registered through the ``pytest11`` entry point): the ``matlab_parity`` fixture.

::

    from ports.cat_rnn import cat_rnn

    def test_cat_rnn(matlab_parity):
        matlab_parity("matlab_ref/cat_rnn.m", cat_rnn, ["H", "Y"])

``matlab_parity(script, port, variables, *, inputs=None, ulp=None, atol=None, check_class=True, ...)`` is
:func:`rnncore.tool.testing.assert_parity` with the course folder found from the test file (the nearest
folder at or above it with ``config.yaml`` or ``config/config.yaml``, else pytest's rootdir): its
tolerance, timeout and shims, and relative script paths taken from there. It returns the
:class:`rnncore.tool.testing.ParityResult`; a failure shows the worst elements (variable, 1-based row and
col, both values, errors, ULP).

Without GNU Octave a test using the fixture is skipped, with the reason, except under CI
(``CI=true``), where it fails: a CI machine that lost Octave must not turn parity green by skipping.
One Octave session serves the whole test run (rnncore's session pool), reset before each use.
"""

from __future__ import annotations

import pytest

__all__ = ["matlab_parity"]


@pytest.fixture
def matlab_parity(request):
    """Compare a MATLAB file run in Octave with its Python port; see :mod:`rnncore.tool.pytest_plugin`."""
    from rnncore.engine.octave import OctaveNotFoundError, find_octave
    from rnncore.tool.project import find_project
    from rnncore.config import in_ci
    from rnncore.tool.testing import assert_parity

    try:
        find_octave()
    except OctaveNotFoundError as exc:
        if in_ci():
            pytest.fail(f"CI=true and GNU Octave is missing, so MATLAB parity cannot be checked: {exc}",
                        pytrace=False)
        pytest.skip(f"GNU Octave is missing: {exc}")
    project = find_project(request.path.parent) or request.config.rootpath

    def check(script, port, variables, **options):
        __tracebackhide__ = True
        options.setdefault("project", project)
        return assert_parity(script, port, variables, **options)

    return check
