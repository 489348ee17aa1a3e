"""The index records a build will (re)index, held on disk while the sources stream in.

A build loads documents one at a time (offline_index/source.py, `on_document`) and cannot
index them as they come: a later source may replace a document, and an incremental build
must know which units changed before it drops them from the base. Each unit's records go
to this spool as JSON lines (a replaced unit's later copy wins) unless its hash equals the
base's, in which case only the hash is kept. Memory holds one entry per unit, not the text.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path

from offline_index.index_units import unit_hash
from offline_index.search_types import IndexRecord


class UnitSpool:
    def __init__(self, path: Path, base_hashes: dict[str, str]) -> None:
        self.path = path
        self.base = base_hashes
        self.hashes: dict[str, str] = {}  # every unit of the new library
        self._where: dict[str, tuple[int, int, int]] = {}  # changed unit -> offset, size, records
        self._fh = open(path, "w+b")  # noqa: SIM115 - closed by close()
        self._end = 0

    def add(self, unit: str, records: list[IndexRecord]) -> None:
        h = self.hashes[unit] = unit_hash(records)
        self._where.pop(unit, None)  # a later copy of the unit replaces the earlier one
        if self.base.get(unit) == h:
            return
        data = json.dumps([asdict(r) for r in records], ensure_ascii=False).encode()
        self._fh.seek(self._end)
        self._fh.write(data)
        self._where[unit] = (self._end, len(data), len(records))
        self._end += len(data)

    def keep(self, unit: str, base_hash: str) -> None:
        """A unit known unchanged without its records (the base's hash stands)."""
        self.hashes[unit] = base_hash
        self._where.pop(unit, None)

    @property
    def reused(self) -> set[str]:
        return {u for u, h in self.hashes.items() if self.base.get(u) == h}

    @property
    def pending(self) -> int:
        """Records to index."""
        return sum(n for _, _, n in self._where.values())

    def units(self) -> list[str]:
        return list(self._where)

    def records(self) -> Iterator[IndexRecord]:
        """The changed units' records, unit by unit, in the order they were (last) added."""
        self._fh.flush()
        for at, size, _ in list(self._where.values()):
            self._fh.seek(at)
            for data in json.loads(self._fh.read(size)):
                yield IndexRecord(**data)

    def close(self) -> None:
        self._fh.close()
        self.path.unlink(missing_ok=True)
