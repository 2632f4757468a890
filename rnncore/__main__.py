"""``python -m rnncore``: the same command line as ``rnncore`` (:mod:`rnncore.tool.cli`)."""

import sys

from rnncore.tool.cli import main

if __name__ == "__main__":
    sys.exit(main())
