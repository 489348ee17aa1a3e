"""Home paints before the kiosk imports sqlite-utils (which imports numpy) or the search stack:
they cost about a sixth of a second of the start (docs/benchmarks.md, "Kiosk UI on the 10×
library"). The library and the state database open after the first paint."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PROBE = """
import sys
from pathlib import Path
from ui import app
app.create(Path(sys.argv[1]), windowed=True, load_library=False)
print(sorted(m for m in ("sqlite_utils", "numpy", "whoosh") if m in sys.modules))
"""


def test_the_shell_is_built_without_sqlite_utils_numpy_or_whoosh(home: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "LAWSHELF_HOME": str(home)}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(home)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "[]"
