"""A small real index, built once per session: hand-written records plus the real text of
Luật Cư trú (alqac23_law.json), so ranking runs against genuine legal language."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from offline_index import ranking as rk
from offline_index.analysis import analyse_query
from offline_index.search_engine import IndexRecord, SearchEngine, write_index


def rec(key: str, doc_id: str, number: str, title: str, kind: str, text: str, **kw) -> IndexRecord:
    return IndexRecord(
        key=key,
        hit_type=kw.pop("hit_type", "article"),
        doc_id=doc_id,
        doc_number=number,
        doc_title=title,
        kind=kind,
        scope=kw.pop("scope", "central"),
        validity=kw.pop("validity", "in_force"),
        text=text,
        **kw,
    )


def engine_of(tmp_path: Path, records: list[IndexRecord]) -> SearchEngine:
    """An index of just these records, opened for searching."""
    write_index(tmp_path / "ix", records)
    return SearchEngine.open(tmp_path / "ix")


def first_after(
    stage: rk.Stage, eng: SearchEngine, text: str, scores: tuple[float, float], **weights: float
) -> str:
    """The key one ranking stage puts first of records 1 and 0, scored so, for a search."""
    c = rk.Candidates(np.array([1, 0]), np.array(scores), eng.records)
    return stage(rk.Query(analyse_query(text), rk.Weights(**weights)), c).stored(0)["key"]


def hand_records() -> list[IndexRecord]:
    nd100 = dict(
        doc_id="100-2019-nd-cp",
        number="100/2019/NĐ-CP",
        kind="Nghị định",
        title="Nghị định quy định xử phạt vi phạm hành chính trong lĩnh vực giao thông "
        "đường bộ và đường sắt",
        year=2019,
        validity="not_in_force",
        fields=["giao-thong"],
    )
    blhs = dict(
        doc_id="100-2015-qh13",
        number="100/2015/QH13",
        kind="Bộ luật",
        title="Bộ luật Hình sự",
        year=2015,
        fields=["hinh-su"],
    )
    dd24 = dict(
        doc_id="31-2024-qh15",
        number="31/2024/QH15",
        kind="Luật",
        title="Luật Đất đai",
        year=2024,
        fields=["dat-dai"],
    )
    dd13 = dict(
        doc_id="45-2013-qh13",
        number="45/2013/QH13",
        kind="Luật",
        title="Luật Đất đai",
        year=2013,
        validity="not_in_force",
        fields=["dat-dai"],
    )
    hn = dict(
        doc_id="qd-12-2024-ubnd",
        number="12/2024/QĐ-UBND",
        kind="Quyết định",
        title="Quyết định về quản lý trật tự vỉa hè trên địa bàn thành phố Hà Nội",
        year=2024,
        scope="hanoi",
        fields=["do-thi"],
    )

    def r(key: str, doc: dict, article: str, atitle: str, text: str) -> IndexRecord:
        d = dict(doc)
        return rec(
            key,
            d.pop("doc_id"),
            d.pop("number"),
            d.pop("title"),
            d.pop("kind"),
            text,
            article=article,
            article_title=atitle,
            **d,
        )

    return [
        r(
            "nd100#a5",
            nd100,
            "5",
            "Xử phạt người điều khiển xe ô tô vi phạm quy tắc giao thông",
            "Phạt tiền từ 3.000.000 đồng đến 5.000.000 đồng đối với người điều khiển xe không chấp "
            "hành hiệu lệnh của đèn tín hiệu giao thông (vượt đèn đỏ).",
        ),
        r(
            "nd100#a21",
            nd100,
            "21",
            "Xử phạt các hành vi vi phạm quy định về điều kiện của người điều khiển xe cơ giới",
            "Phạt tiền đối với người điều khiển xe mô tô không mang theo "
            "giấy phép lái xe; công an xã được lập biên bản và xử phạt theo thẩm quyền.",
        ),
        r(
            "blhs#a173",
            blhs,
            "173",
            "Tội trộm cắp tài sản",
            "Người nào trộm cắp tài sản của người khác trị giá từ 2.000.000 đồng thì bị phạt cải "
            "tạo không giam giữ đến 03 năm hoặc phạt tù từ 06 tháng đến 03 năm.",
        ),
        r(
            "dd24#a1",
            dd24,
            "1",
            "Phạm vi điều chỉnh",
            "Luật này quy định về chế độ sở hữu đất đai, quyền hạn và trách nhiệm của Nhà nước "
            "đại diện chủ sở hữu toàn dân về đất đai.",
        ),
        r(
            "dd24#a236",
            dd24,
            "236",
            "Giải quyết tranh chấp đất đai",
            "Tranh chấp đất đai mà các bên tranh chấp hoặc một trong các bên tranh chấp có Giấy "
            "chứng nhận thì do Tòa án giải quyết.",
        ),
        r(
            "dd13#a1",
            dd13,
            "1",
            "Phạm vi điều chỉnh",
            "Luật này quy định về chế độ sở hữu đất đai, quyền hạn và trách nhiệm của Nhà nước.",
        ),
        r(
            "hn#a3",
            hn,
            "3",
            "Người bán hàng rong",
            "Người bán hàng rong trên vỉa hè phải giữ vệ sinh và không lấn chiếm lòng đường.",
        ),
        r(
            "hn#a4",
            hn,
            "4",
            "Người bàn hàng rong",
            "Người bàn hàng rong trên vỉa hè với tổ dân phố về giờ giấc và vệ sinh chung.",
        ),
        rec(
            "qa:1",
            "qa:1",
            "",
            "Không mang bằng lái bị phạt bao nhiêu?",
            "Hỏi đáp",
            "Hỏi: Không mang bằng lái xe máy bị phạt bao nhiêu? Đáp: <b>phạt</b> tiền & nhắc nhở.",
            hit_type="qa",
            fields=["giao-thong"],
        ),
    ]


def cu_tru_records(shared_data: Path) -> list[IndexRecord]:
    laws = json.loads((shared_data / "laws" / "alqac23_law.json").read_text(encoding="utf-8"))
    law = next(x for x in laws if x["id"] == "Luật Cư trú")
    out = []
    for art in law["articles"]:
        title, _, text = art["text"].partition("\n")
        out.append(
            rec(
                f"68-2020-qh14#a{art['id']}",
                "68-2020-qh14",
                "68/2020/QH14",
                "Luật Cư trú",
                "Luật",
                text.strip(),
                article=str(art["id"]),
                article_title=title.strip(),
                year=2020,
                fields=["cu-tru"],
            )
        )
    return out


@pytest.fixture(scope="session")
def index_dir(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Path:
    path = tmp_path_factory.mktemp("search") / "index"
    write_index(path, hand_records() + cu_tru_records(shared_data))
    return path


@pytest.fixture(scope="session")
def engine(index_dir: Path) -> SearchEngine:
    eng = SearchEngine.open(index_dir)
    yield eng
    eng.close()
