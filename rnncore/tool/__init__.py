"""The tool a lecturer uses: the command line, the course-folder scaffolding, and the pytest
integration (``rnncore.tool.testing.assert_parity``, the ``matlab_parity`` fixture)."""
