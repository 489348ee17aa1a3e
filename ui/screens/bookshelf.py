"""Bookshelf: browse by field of state management and by kind of material, newest first.

Fields come from the documents and publications; categories (books, handbooks, leaflets,
legal stories, outlines of new laws, video skits and e-lectures) from the publications. Every
list shows its count; until one is chosen the shelf shows its newest items. Tapping an item
opens the reader, the PDF reader or the video player.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ui.i18n import N_, tr
from ui.qt import QVBoxLayout, QWidget
from ui.screens.registry import register_screen
from ui.scrolling import scroller
from ui.widgets import Card, Screen, chip_row, clear_layout, label, validity_text

if TYPE_CHECKING:
    from offline_index.document_view import DocumentInfo
    from offline_index.library import Library
    from offline_index.model import Publication
    from ui.shell import Shell

CATEGORY_LABELS = {
    "book": N_("Sách pháp luật"),
    "handbook": N_("Sổ tay pháp luật"),
    "leaflet": N_("Tờ gấp"),
    "story": N_("Chuyện kể pháp luật"),
    "outline": N_("Đề cương luật mới"),
    "video_skit": N_("Tiểu phẩm pháp luật (video)"),
    "video_lecture": N_("Bài giảng điện tử (video)"),
}
VIDEO = ("video_skit", "video_lecture")


NEWEST = 8  # items the shelf shows before a field or a kind is chosen


def load_shelves(lib: Library) -> dict[str, Any]:
    return {"fields": lib.fields(), "categories": lib.categories(), "newest": newest_items(lib)}


def load_items(lib: Library, field: str | None, category: str | None) -> list[dict[str, Any]]:
    """Documents and publications for one shelf, newest first (library thread)."""
    items = [document_item(d) for d in lib.documents(field=field)] if field else []
    for p in lib.publications(field=field, category=category) if (field or category) else []:
        items.append(publication_item(p))
    items.sort(key=lambda it: it["date"] or "", reverse=True)
    return items


def newest_items(lib: Library, n: int = NEWEST) -> list[dict[str, Any]]:
    """The newest laws and publications of the whole shelf: its first page, before a resident
    picks a field or a kind, is never a blank space under the chips."""
    items = [document_item(d) for d in lib.documents()]
    items += [publication_item(p) for p in lib.publications()]
    items.sort(key=lambda it: it["date"] or "", reverse=True)
    return items[:n]


def document_item(d: DocumentInfo) -> dict[str, Any]:
    """A shelf item for a law: what the reader needs to open it, and its status now."""
    return {
        "type": "document",
        "id": d.id,
        "title": d.title,
        "sub": f"{d.kind} {d.number}",
        "date": d.issued or "",
        "validity": d.validity,
    }


def publication_item(p: Publication) -> dict[str, Any]:
    """A shelf item for a publication: what `open_publication` needs to show it."""
    return {
        "type": "publication",
        "id": p.id,
        "title": p.title,
        "file": p.file,
        "category": p.category,
        "subtitles": p.subtitles,
        "sub": p.summary,
        "date": p.published or "",
    }


def open_publication(shell: Shell, it: dict[str, Any], page: int = 1, **marks: str) -> None:
    """A video plays, a handbook or leaflet opens in the PDF viewer (at `page`, with a
    search's `terms` and `law` words marked), a publication with no file shows its summary:
    from the shelf and from a search hit alike."""
    if it.get("category") in VIDEO:
        shell.navigate(
            "video", file=it.get("file"), subtitles=it.get("subtitles"), title=it["title"]
        )
    elif it.get("file"):
        shell.navigate("pdf", file=it["file"], title=it["title"], page=page, **marks)
    else:
        shell.show_message(it["title"], it.get("sub") or "")


class BookshelfScreen(Screen):
    def __init__(self, shell: Shell) -> None:
        super().__init__(shell, tr("Tủ sách pháp luật"))
        self.shelves = QWidget(objectName="shelves")
        self.shelves_lay = QVBoxLayout(self.shelves)
        self.shelves_lay.addWidget(label(tr("Đang mở tủ sách…"), "title"))
        self.items = QWidget(objectName="shelf_items")
        self.items_lay = QVBoxLayout(self.items)
        inner = QWidget()
        inner_lay = QVBoxLayout(inner)
        inner_lay.addWidget(self.shelves)
        inner_lay.addWidget(self.items)
        inner_lay.addStretch(1)
        self.area = scroller(inner)  # one scroll: shelves reflow at any text size
        self.layout_.addWidget(self.area, 1)
        self.chips: list[tuple[tuple, Any]] = []
        self.entries: list[dict[str, Any]] = []  # the open shelf's items, as listed
        shell.with_library(load_shelves, self._shelves, owner=self)

    def _shelves(self, data: dict[str, Any]) -> None:
        clear_layout(self.shelves_lay, detach=True)
        fields, cats = data["fields"], data["categories"]
        if not fields and not cats:
            self.shelves_lay.addWidget(label(tr("Tủ sách chưa có tài liệu nào."), "notice"))
            return
        if fields:
            self.shelves_lay.addWidget(label(tr("Theo lĩnh vực:"), "title"))
            box, btns = chip_row(
                [(f"{f} ({n})", lambda f=f: self.open_shelf(f, None)) for f, n in fields],
                checkable=True,
                name="fields",
            )
            self.chips += [((f, None), b) for (f, _n), b in zip(fields, btns, strict=True)]
            self.shelves_lay.addWidget(box)
        if cats:
            self.shelves_lay.addWidget(label(tr("Theo loại tài liệu:"), "title"))
            box, btns = chip_row(
                [
                    (f"{tr(CATEGORY_LABELS.get(c, c))} ({n})", lambda c=c: self.open_shelf(None, c))
                    for c, n in cats
                ],
                checkable=True,
                name="categories",
            )
            self.chips += [((None, c), b) for (c, _n), b in zip(cats, btns, strict=True)]
            self.shelves_lay.addWidget(box)
        if not self.entries and data.get("newest"):
            self._items(data["newest"], heading=tr("Mới nhất:"))

    def open_shelf(self, field: str | None, category: str | None) -> None:
        for key, chip in self.chips:
            chip.setChecked(key == (field, category))
        self.entries = []  # the newest, or the last shelf, go at once: no stale card is tapped
        clear_layout(self.items_lay, detach=True)
        self.shell.with_library(
            lambda lib: load_items(lib, field, category), self._items, owner=self
        )

    def _items(self, items: list[dict[str, Any]], heading: str = "") -> None:
        self.entries = items
        clear_layout(self.items_lay, detach=True)
        if heading:
            self.items_lay.addWidget(label(heading, "title", name="shelf_heading"))
        if not items:
            self.items_lay.addWidget(label(tr("Chưa có tài liệu trong mục này."), "notice"))
        for i, it in enumerate(items):
            lines = [(it["title"], "title", False)]
            if it.get("sub"):
                lines.append((it["sub"], "small", False))
            if it["type"] == "document":
                # A repealed law on the shelf carries the same red bar as in search results.
                gone = it.get("validity") == "not_in_force"
                text = validity_text(it.get("validity") or "unknown")
                lines.append((text, "banner" if gone else "small", False))
            card = Card(lines, name=f"shelf_item_{i}", role="hit")
            card.clicked.connect(lambda it=it: self.open_item(it))
            self.items_lay.addWidget(card)

    def open_item(self, it: dict[str, Any]) -> None:
        self.shell.record("document_open", it["title"])
        if it["type"] == "document":
            self.shell.navigate("reader", doc_id=it["id"])
        else:
            open_publication(self.shell, it)


register_screen("bookshelf", lambda shell, **kw: BookshelfScreen(shell))
