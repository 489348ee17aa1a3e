"""What the app did, for tests and benchmarks driving the real app from outside.

When LAWSHELF_UI_EVENTS names a file, every event is appended to it as one JSON line
(with a monotonic timestamp), so an end-to-end test or the benchmark can wait for
"home painted" or "results shown" without peeking into the process. Off by default.
"""

from __future__ import annotations

import json
import os
import time
from typing import Any

_path = os.environ.get("LAWSHELF_UI_EVENTS") or None
recent: list[dict[str, Any]] = []  # last events, for in-process tests
_MAX = 200


def emit(event: str, **data: Any) -> None:
    record = {"event": event, "t": time.monotonic(), **data}
    recent.append(record)
    del recent[:-_MAX]
    if _path:
        with open(_path, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
