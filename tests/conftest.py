"""Unit tests read the fixture dictionaries under ``tests/fixtures/dictionaries``.

``corpus/`` holds the user's editable dictionaries: adding an actor or a frame cue there must
never turn ``pytest tests`` red, so every bundled default resolves to the fixture copy here.
"""

import os
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
os.environ["NEWSFRAMES_DICTIONARIES"] = str(FIXTURES / "dictionaries")
