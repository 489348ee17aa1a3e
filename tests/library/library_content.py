"""A small but complete content source (format v1) written by the tests themselves.

Real raw files from ../shared/data are copied in so the parser path is exercised too.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pymupdf

RAW_LAW = "laws/uts_vlc/Luat-quyen-tu-do-hoi-hop-1957-101-SL-L-003-36793.txt"
RAW_PDF = "documents/an_le_so_432021AL.pdf"


def article(number: str, title: str, text: str = "", khoan: list[Any] = ()) -> dict:
    children = []
    for i, k in enumerate(khoan, 1):
        if isinstance(k, tuple):
            text_k, points = k
            diem = [
                {"level": "diem", "number": chr(96 + j), "text": p} for j, p in enumerate(points, 1)
            ]
            children.append({"level": "khoan", "number": str(i), "text": text_k, "children": diem})
        else:
            children.append({"level": "khoan", "number": str(i), "text": k})
    return {"level": "dieu", "number": number, "title": title, "text": text, "children": children}


def nd100() -> dict:
    return {
        "number": "100/2019/NĐ-CP",
        "kind": "Nghị định",
        "issuer": "Chính phủ",
        "title": "Quy định xử phạt vi phạm hành chính trong lĩnh vực giao thông đường bộ và đường sắt",
        "issued": "2019-12-30",
        "effective": "2020-01-01",
        "validity": "not_in_force",
        "fields": ["Giao thông"],
        "body": [
            {
                "level": "chuong",
                "number": "I",
                "title": "Quy định chung",
                "children": [
                    article(
                        "1",
                        "Phạm vi điều chỉnh",
                        "Nghị định này quy định về hành vi vi phạm hành chính.",
                    ),
                    article(
                        "5",
                        "Xử phạt người điều khiển xe ô tô",
                        khoan=[
                            (
                                "Phạt tiền từ 200.000 đồng đến 400.000 đồng đối với người điều khiển xe thực hiện một trong các hành vi vi phạm sau đây:",
                                [
                                    "Không chấp hành hiệu lệnh, chỉ dẫn của biển báo hiệu, vạch kẻ đường;",
                                    "Không thắt dây an toàn khi điều khiển xe chạy trên đường.",
                                ],
                            ),
                        ],
                    ),
                ],
            }
        ],
    }


def nd168() -> dict:
    return {
        "number": "168/2024/NĐ-CP",
        "kind": "Nghị định",
        "issuer": "Chính phủ",
        "title": "Quy định về xử phạt vi phạm hành chính về trật tự, an toàn giao thông trong lĩnh vực giao thông đường bộ",
        "issued": "2024-12-26",
        "effective": "2025-01-01",
        "validity": "in_force",
        "fields": ["Giao thông"],
        "relations": [
            {"type": "replaces", "target": "Nghị định 100/2019/ND-CP", "effective": "2025-01-01"}
        ],
        "body": [
            article(
                "1",
                "Phạm vi điều chỉnh",
                "Nghị định này quy định về xử phạt vi phạm hành chính về trật tự, an toàn giao thông.",
            ),
            article(
                "6",
                "Xử phạt, trừ điểm giấy phép lái xe của người điều khiển xe ô tô",
                khoan=[
                    (
                        "Phạt tiền từ 18.000.000 đồng đến 20.000.000 đồng đối với người điều khiển xe thực hiện một trong các hành vi vi phạm sau đây:",
                        [
                            "Không chấp hành hiệu lệnh của đèn tín hiệu giao thông;",
                            "Điều khiển xe trên đường mà trong máu hoặc hơi thở có nồng độ cồn.",
                        ],
                    ),
                ],
            ),
            article(
                "7",
                "Xử phạt người điều khiển xe mô tô, xe gắn máy",
                khoan=[
                    "Phạt tiền từ 400.000 đồng đến 600.000 đồng đối với người không đội mũ bảo hiểm."
                ],
            ),
        ],
    }


def land_law() -> dict:
    return {
        "number": "31/2024/QH15",
        "kind": "Luật",
        "issuer": "Quốc hội",
        "title": "Luật Đất đai",
        "issued": "2024-01-18",
        "effective": "2024-08-01",
        "validity": "in_force",
        "fields": ["Đất đai"],
        "scope": "central",
        "body": [
            article(
                "1",
                "Phạm vi điều chỉnh",
                "Luật này quy định về chế độ sở hữu đất đai, quyền hạn và trách nhiệm của Nhà nước đại diện chủ sở hữu toàn dân về đất đai.",
            ),
            article(
                "27",
                "Quyền chuyển đổi, chuyển nhượng, tặng cho, thừa kế quyền sử dụng đất",
                khoan=[
                    "Người sử dụng đất được thực hiện quyền chuyển đổi, chuyển nhượng, cho thuê, thừa kế, tặng cho quyền sử dụng đất.",
                    "Hợp đồng chuyển nhượng quyền sử dụng đất phải được công chứng hoặc chứng thực.",
                ],
            ),
            article(
                "28",
                "Nhận chuyển quyền sử dụng đất",
                "Cá nhân được nhận chuyển quyền sử dụng đất thông qua nhận thừa kế.",
            ),
        ],
    }


def write_pdf(path: Path, pages: list[str]) -> None:
    doc = pymupdf.open()
    for text in pages:
        page = doc.new_page()
        page.insert_text((72, 72), text, fontname="helv")
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    doc.close()


def dump(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def content_source(
    root: Path, name: str, documents: list[dict], **entries: list[dict] | None
) -> Path:
    """A content source folder `root/name`: its manifest, these documents, and one
    `entries.json` for each other folder given (`thesaurus=[…]`, `topics=[…]`; None: none)."""
    src = root / name
    dump(src / "lawshelf-content.json", {"format": 1, "name": name})
    for i, doc in enumerate(documents):
        dump(src / "documents" / f"doc{i}.json", doc)
    for folder, items in entries.items():
        if items is not None:
            dump(src / folder / "entries.json", {"entries": items})
    return src


def make_content(root: Path, shared_data: Path) -> Path:
    """Write the test content source at root and return it."""
    dump(root / "lawshelf-content.json", {"format": 1, "name": "test", "updated": "2026-11-01"})
    dump(root / "documents" / "nd100.json", nd100())
    dump(root / "documents" / "nd168.json", nd168())
    dump(root / "documents" / "land.json", land_law())
    raw = root / "raw"
    raw.mkdir()
    shutil.copy(shared_data / RAW_LAW, raw / "hoi-hop.txt")
    dump(raw / "hoi-hop.txt.meta.json", {"validity": "not_in_force", "fields": ["Dân sự"]})
    shutil.copy(shared_data / RAW_PDF, raw / "an-le-43.pdf")
    write_pdf(
        root / "files" / "leaflet.pdf", ["Tim hieu Luat Dat dai", "Thua ke quyen su dung dat"]
    )
    (root / "files" / "media").mkdir(parents=True)
    (root / "files" / "media" / "poster.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 64)
    dump(
        root / "publications" / "leaflet.json",
        {
            "id": "to-roi-dat-dai",
            "title": "Tờ rơi tìm hiểu Luật Đất đai 2024",
            "category": "leaflet",
            "fields": ["Đất đai"],
            "file": "leaflet.pdf",
            "published": "2024-09-01",
            "pages": [
                "Tìm hiểu Luật Đất đai năm 2024 cho người dân.",
                "Thừa kế quyền sử dụng đất và sổ đỏ.",
            ],
        },
    )
    dump(
        root / "qa" / "traffic.json",
        {
            "entries": [
                {
                    "id": "vp-001",
                    "question": "Xe mô tô không đội mũ bảo hiểm bị phạt bao nhiêu?",
                    "answer": "Phạt tiền từ 400.000 đồng đến 600.000 đồng.",
                    "fields": ["Giao thông"],
                    "subject": "xe mô tô",
                    "fine": "400.000 - 600.000 đồng",
                    "citations": [{"doc_number": "168/2024/NĐ-CP", "article": "7", "clause": "1"}],
                },
                {
                    "id": "vp-002",
                    "question": "Uống rượu bia lái ô tô bị phạt thế nào?",
                    "answer": "Phạt tiền từ 18 đến 20 triệu đồng.",
                    "ticket_hash": "abc123",
                    "citations": [{"doc_number": "100/2019/NĐ-CP", "article": "5"}],
                },
                {
                    "id": "vp-003",
                    "question": "Lái ô tô không theo vạch kẻ đường bị phạt bao nhiêu?",
                    "answer": "Phạt tiền từ 200.000 đồng đến 400.000 đồng.",
                    "citations": [{"doc_number": "100/2019/NĐ-CP", "article": "5", "clause": "1"}],
                },
            ]
        },
    )
    dump(
        root / "contests" / "c1.json",
        {
            "id": "thi-2026",
            "title": "Tìm hiểu pháp luật giao thông",
            "organiser": "UBND phường",
            "opens": "2026-01-01T00:00:00+07:00",
            "closes": "2026-12-31T23:59:00+07:00",
            "rules": "Trả lời 2 câu.",
            "draw": 1,
            "time_limit_s": 300,
            "questions": [
                {
                    "id": "q1",
                    "text": "Đội mũ bảo hiểm có bắt buộc không?",
                    "image": "media/poster.png",
                    "choices": [
                        {"id": "a", "text": "Có", "correct": True},
                        {"id": "b", "text": "Không"},
                    ],
                }
            ],
        },
    )
    dump(
        root / "media" / "m1.json",
        {
            "id": "poster",
            "type": "infographic",
            "title": "Đội mũ",
            "file": "media/poster.png",
            "starts": "2026-01-01",
            "ends": "2026-06-30",
        },
    )
    dump(
        root / "notices" / "n1.json",
        {
            "id": "tro-giup",
            "type": "legal_aid",
            "title": "Trợ giúp pháp lý miễn phí",
            "body": "Trung tâm trợ giúp pháp lý nhà nước thành phố Hà Nội",
            "phone": "024 1234 5678",
            "date": "2026-11-01",
            "citations": [{"doc_number": "168/2024/NĐ-CP", "article": "7"}],
        },
    )
    return root
