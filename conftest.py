"""pytest configuration shared by the unit tests and strict nbval.

Kernels that nbval starts inherit this environment: progress bars stay off (nobody watches a
test run, and a bar must never reach a committed output).
"""

import os

os.environ["NEWSFRAMES_BATCH"] = "1"
