"""What the corpus knows of Vietnamese syllables and their neighbours, as plain data.

A lexicon is syllable counts and syllable-bigram counts from legal texts, kept as gzipped
JSON (never a pickle: a lexicon can come from a release, and a pickle is code). The one
shipped with the app (`data/lexicon-vi.json.gz`) is built by the publisher from the 208 laws
and the two traffic decrees of the shared corpus:

    python -m offline_index.ocr.lexicon_build ../shared/data/laws/uts_vlc \\
        ../shared/data/laws/nd100_2019.html ../shared/data/laws/nd168_2024.html \\
        --out offline_index/ocr/data/lexicon-vi.json.gz

`lawshelf scans lexicon SOURCES --out FILE` does the same from any content sources.
Bigrams are counted inside runs of words only (punctuation and numbers break a run), and
bigrams seen once are dropped: they are mostly typos and cost half the file.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from offline_index.errors import ContentError
from offline_index.fsutil import atomic_write_bytes

FORMAT = 1
KIND = "lawshelf-ocr-lexicon"
DEFAULT_PATH = Path(__file__).with_name("data") / "lexicon-vi.json.gz"
MAX_BYTES = 64 * 1024 * 1024
_LETTERS = re.compile(r"[^\W\d_]+")
_BREAK = re.compile(r"[^\w\s]|\d|_")
# U+00D0/U+00F0 (Icelandic eth) stand in for Đ/đ in some texts and in tesseract's output.
_ETH = str.maketrans({"\u00d0": "Đ", "\u00f0": "đ"})


def normalise(text: str) -> str:
    return unicodedata.normalize("NFC", text).translate(_ETH)


def word_runs(text: str) -> Iterator[list[str]]:
    """Lower-case syllables, in runs that punctuation, digits and line ends break."""
    for line in normalise(text).splitlines():
        for run in _BREAK.split(line):
            words = [w.lower() for w in _LETTERS.findall(run)]
            if words:
                yield words


@dataclass
class Lexicon:
    syllables: dict[str, int]
    bigrams: dict[str, int]  # "a b" -> count
    name: str = ""  # short content hash: which lexicon corrected a scan

    @functools.cached_property
    def total(self) -> int:
        return sum(self.syllables.values())

    def count(self, syllable: str) -> int:
        return self.syllables.get(syllable, 0)

    def pair(self, a: str, b: str) -> int:
        return self.bigrams.get(f"{a} {b}", 0)

    def to_json(self) -> bytes:
        data = {
            "format": FORMAT,
            "type": KIND,
            "syllables": dict(sorted(self.syllables.items())),
            "bigrams": dict(sorted(self.bigrams.items())),
        }
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    def save(self, path: Path) -> Path:
        """Gzipped JSON, byte-for-byte reproducible (no timestamp in the gzip header)."""
        atomic_write_bytes(path, gzip.compress(self.to_json(), compresslevel=9, mtime=0))
        return Path(path)

    @classmethod
    def from_json(cls, raw: bytes, where: str) -> Lexicon:
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise ContentError(where, f"not a JSON lexicon: {exc}") from None
        if not isinstance(data, dict) or data.get("type") != KIND or data.get("format") != FORMAT:
            raise ContentError(where, f"not a {KIND} of format {FORMAT}")
        syl, bi = data.get("syllables"), data.get("bigrams")
        if not (_counts(syl) and _counts(bi)):
            raise ContentError(where, "syllables and bigrams must map text to counts")
        return cls(syl, bi, hashlib.sha256(raw).hexdigest()[:12])

    @classmethod
    def load(cls, path: Path | None = None) -> Lexicon:
        path = Path(path or DEFAULT_PATH)
        try:
            if path.stat().st_size > MAX_BYTES:
                raise ContentError(str(path), "lexicon file too large")
            raw = path.read_bytes()
            if raw[:2] == b"\x1f\x8b":
                raw = gzip.decompress(raw)
        except (OSError, EOFError, gzip.BadGzipFile) as exc:
            raise ContentError(str(path), f"cannot read the lexicon: {exc}") from None
        return cls.from_json(raw, str(path))

    @classmethod
    def from_texts(cls, texts: Iterable[str], *, min_pair: int = 2) -> Lexicon:
        syllables: Counter[str] = Counter()
        pairs: Counter[tuple[str, str]] = Counter()
        for text in texts:
            for run in word_runs(text):
                syllables.update(run)
                pairs.update(zip(run, run[1:], strict=False))
        bigrams = {f"{a} {b}": n for (a, b), n in pairs.items() if n >= min_pair}
        lex = cls(dict(syllables), bigrams)
        lex.name = hashlib.sha256(lex.to_json()).hexdigest()[:12]
        return lex


def _counts(value: object) -> bool:
    return isinstance(value, dict) and all(
        isinstance(k, str) and isinstance(v, int) for k, v in list(value.items())[:1000]
    )


@functools.cache
def default_lexicon() -> Lexicon:
    """The lexicon shipped with the app (loaded once per process, ~15 MB in memory)."""
    return Lexicon.load(DEFAULT_PATH)
