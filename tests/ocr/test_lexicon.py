"""The lexicon shipped with the app is what the publisher's command makes from the shared laws."""

from __future__ import annotations

from pathlib import Path

import pytest

from offline_index.ocr.lexicon import DEFAULT_PATH
from tests.ocr.conftest import DATA

LAWS = DATA / "laws"


@pytest.mark.slow
@pytest.mark.skipif(not (LAWS / "uts_vlc").is_dir(), reason="shared data not present")
def test_committed_lexicon_is_reproducible(tmp_path: Path) -> None:
    from offline_index.ocr.lexicon_build import build_lexicon

    sources = [LAWS / "uts_vlc", LAWS / "nd100_2019.html", LAWS / "nd168_2024.html"]
    built = build_lexicon(sources, tmp_path / "lexicon-vi.json.gz")
    regen = (
        "python -m offline_index.ocr.lexicon_build ../shared/data/laws/uts_vlc "
        "../shared/data/laws/nd100_2019.html ../shared/data/laws/nd168_2024.html"
    )
    assert (tmp_path / "lexicon-vi.json.gz").read_bytes() == DEFAULT_PATH.read_bytes(), regen
    assert len(built.syllables) > 2500 and built.count("quyền") > 20000
