"""Reading the fields of a content file's JSON objects (offline_index.model, playlists).

Every reader names the file, the field (with its path: `questions[2].choices`) and the
reason in the ContentError it raises, so a publisher can mend a release in one pass.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from offline_index.errors import ContentError


def nfc(text: str) -> str:
    """Normalise to NFC: the shared data mixes NFC and NFD."""
    return unicodedata.normalize("NFC", text)


_MARKUP = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*\s*/?>|&[a-z]+;")


class FieldReader:
    """Reads fields of one JSON object, raising ContentError that names file and field."""

    def __init__(self, data: Any, path: str, prefix: str = "") -> None:
        if not isinstance(data, dict):
            raise ContentError(path, "expected a JSON object", prefix or None)
        self.data, self.path, self.prefix = data, path, prefix

    def _name(self, key: str) -> str:
        return f"{self.prefix}.{key}" if self.prefix else key

    def fail(self, key: str, reason: str) -> ContentError:
        return ContentError(self.path, reason, self._name(key))

    def str(self, key: str, required: bool = True, default: str = "") -> str:
        value = self.data.get(key)
        if value is None or value == "":
            if required:
                raise self.fail(key, "is required")
            return default
        if not isinstance(value, str):
            raise self.fail(key, f"must be a string, not {type(value).__name__}")
        return nfc(value)

    def plain(self, key: str, required: bool = True) -> str:
        """A text shown as written (a question, its explanation): markup is refused, since
        the kiosk would show `<br/>` and `<b>` to residents as they are."""
        value = self.str(key, required)
        if tag := _MARKUP.search(value):
            raise self.fail(key, f"is plain text: no markup ({tag.group()}); use line breaks")
        return value

    def choice(self, key: str, choices: tuple[str, ...], default: str | None = None) -> str:
        value = self.str(key, required=default is None, default=default or "")
        if value not in choices:
            raise self.fail(key, f"must be one of {', '.join(choices)}; got {value!r}")
        return value

    def date(self, key: str, required: bool = False) -> str | None:
        return self._iso(key, required, date.fromisoformat, "a date YYYY-MM-DD")

    def datetime(self, key: str, required: bool = False) -> str | None:
        return self._iso(key, required, datetime.fromisoformat, "an ISO date-time")

    def _iso(
        self, key: str, required: bool, parse: Callable[[str], object], what: str
    ) -> str | None:
        """An ISO date or date-time, kept as written once `parse` accepts it."""
        value = self.str(key, required=required)
        if not value:
            return None
        try:
            parse(value)
        except ValueError:
            raise self.fail(key, f"must be {what}; got {value!r}") from None
        return value

    def int(self, key: str, required: bool = True, default: int = 0, minimum: int = 0) -> int:
        value = self.data.get(key)
        if value is None:
            if required:
                raise self.fail(key, "is required")
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(key, f"must be an integer, not {type(value).__name__}")
        if value < minimum:
            raise self.fail(key, f"must be at least {minimum}")
        return value

    def words(self, key: str, text: str, most: int, chars: int | None = None) -> None:
        """Check a short phrase already read (a chip, an everyday word): 1 to `most` words,
        and at most `chars` characters when given."""
        n = len(re.findall(r"\w+", text))
        if not 1 <= n <= most or (chars is not None and len(text) > chars):
            limit = f" and at most {chars} characters" if chars is not None else ""
            raise self.fail(key, f"must be 1 to {most} words{limit}; got {n} words")

    def bool(self, key: str, default: bool = False) -> bool:
        value = self.data.get(key, default)
        if not isinstance(value, bool):
            raise self.fail(key, "must be true or false")
        return value

    def strlist(self, key: str) -> list[str]:
        value = self.data.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(key, "must be a list of strings")
        return [nfc(v) for v in value]

    def objlist(self, key: str, required: bool = False) -> list[FieldReader]:
        value = self.data.get(key)
        if value is None:
            if required:
                raise self.fail(key, "is required")
            return []
        if not isinstance(value, list):
            raise self.fail(key, "must be a list")
        return [FieldReader(v, self.path, f"{self._name(key)}[{i}]") for i, v in enumerate(value)]
