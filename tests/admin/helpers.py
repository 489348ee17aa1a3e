"""Small real inputs for the admin tests: a PDF with Vietnamese text."""

from __future__ import annotations

from pathlib import Path

NOTO = Path("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf")


def make_pdf(path: Path, pages: list[str]) -> Path:
    import pymupdf

    doc = pymupdf.open()
    for text in pages:
        page = doc.new_page()
        if NOTO.exists():
            page.insert_font(fontname="noto", fontfile=str(NOTO))
            page.insert_textbox(pymupdf.Rect(50, 50, 550, 800), text, fontname="noto")
        else:
            page.insert_textbox(pymupdf.Rect(50, 50, 550, 800), text)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    doc.close()
    return path


def doc_json(n: int, title: str) -> str:
    import json

    doc = {
        "type": "document",
        "format": 1,
        "number": f"{n}/2020/QH14",
        "kind": "Luật",
        "title": title,
        "issued": "2020-01-01",
        "validity": "in_force",
        "body": [{"level": "dieu", "number": "1", "title": "Phạm vi", "text": f"{title} đất đai."}],
    }
    return json.dumps(doc, ensure_ascii=False)


class Publisher:
    """A real signed release repository with a tiny content source (sync's own publish)."""

    def __init__(self, base: Path) -> None:
        from sync import keys

        self.src, self.repo, self.keys = base / "src", base / "repo", base / "keys"
        keys.init_keys(self.keys)

    def publish(self, titles: dict[int, str], updated: str = "2026-01-01") -> None:
        import json

        from sync import release

        (self.src / "documents").mkdir(parents=True, exist_ok=True)
        manifest = {"format": 1, "name": "test", "updated": updated}
        (self.src / "lawshelf-content.json").write_text(json.dumps(manifest))
        for n, title in titles.items():
            (self.src / "documents" / f"d{n}.json").write_text(doc_json(n, title), "utf-8")
        release.publish(self.src, self.repo, self.keys)

    def trust(self, home: Path) -> None:
        from sync.verify import install_trusted_root

        install_trusted_root(home, self.repo / "metadata" / "1.root.json")
