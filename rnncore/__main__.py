"""``python -m rnncore``: the same command line as ``rnncore`` (:mod:`rnncore.cli`)."""

import sys

from rnncore.cli import main

if __name__ == "__main__":
    sys.exit(main())
