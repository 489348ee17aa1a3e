"""Build an OCR lexicon from content sources (the publisher's corpus); see lexicon.py.

python -m offline_index.ocr.lexicon_build SOURCE... --out FILE.json.gz
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from pathlib import Path

from offline_index.ocr.lexicon import DEFAULT_PATH, Lexicon


def document_texts(sources: list[Path]) -> Iterator[str]:
    """Every text a set of content sources holds: articles, pages, publications, Q&A."""
    from offline_index.source import load_sources

    content = load_sources(sources)
    for doc in content.documents.values():
        for node in doc.body:
            yield "\n".join(filter(None, (node.title, node.full_text())))
            for child in node.walk()[1:]:
                if child.title:
                    yield child.title
        yield from doc.pages
        yield doc.title
    for pub in content.publications.values():
        yield from pub.pages
        yield pub.transcript
    for qa in content.qa.values():
        yield f"{qa.question}\n{qa.answer}"


def build_lexicon(sources: list[Path], out: Path, *, min_pair: int = 2) -> Lexicon:
    lex = Lexicon.from_texts(document_texts(sources), min_pair=min_pair)
    lex.save(out)
    return lex


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="Build the OCR lexicon from content sources.")
    ap.add_argument("sources", nargs="+", type=Path)
    ap.add_argument("--out", type=Path, default=DEFAULT_PATH)
    args = ap.parse_args(argv)
    lex = build_lexicon(args.sources, args.out)
    print(f"{args.out}: {len(lex.syllables)} syllables, {len(lex.bigrams)} bigrams ({lex.name})")


if __name__ == "__main__":
    main()
