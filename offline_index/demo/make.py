"""Regenerate the committed demo content source (format v1) from ../shared/data.

    python -m offline_index.demo.make ../shared/data offline_index/demo/content

The demo library is what a fresh kiosk shows, so it holds the texts residents ask
about most, with validity and relations as known for November 2026 (laws replaced
since the shared texts were collected say so, and name the replacing text even when
it is not in the data). Everything written is validated by the model (round trip).
Only documents/, qa/traffic-fines.json, files/*.pdf and the manifest are ours:
contests/, notices/ and files/quiz/ belong to the contests generator and are left alone.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import shutil
from datetime import date
from pathlib import Path
from typing import Any

from offline_index.corpus import TRAFFIC_FIELDS, registry_entries, registry_meta
from offline_index.fsutil import atomic_write_text
from offline_index.model import FORMAT_VERSION, Citation, Document, QAEntry, nfc
from offline_index.parsers import field_for_url, parse_file, source_urls

log = logging.getLogger(__name__)

UTS = "laws/uts_vlc/"
AMENDED_BHYT = "Luật sửa đổi, bổ sung một số điều của Luật Bảo hiểm y tế"
AMENDED_100 = "Nghị định sửa đổi, bổ sung một số điều của các nghị định xử phạt vi phạm hành chính"


def _rel(type_: str, target: str, effective: str | None = None, note: str = "") -> dict[str, Any]:
    return {"type": type_, "target": target, "effective": effective, "note": note}


def _gone(target: str, effective: str, note: str) -> dict[str, Any]:
    """Metadata of a law that a newer one has replaced."""
    return {"validity": "not_in_force", "relations": [_rel("replaced_by", target, effective, note)]}


# (file under shared/data, fields shown on the bookshelf, metadata overrides)
# fmt: off
R = _rel
DEMO_DOCUMENTS: list[tuple[str, list[str], dict[str, Any]]] = [
    (UTS + "Luat-dat-dai-2013-215836.txt", ["Đất đai"],
     _gone("31/2024/QH15", "2024-08-01", "Luật Đất đai 2024")),
    (UTS + "Luat-Hon-nhan-va-gia-dinh-2014-238640.txt", ["Hôn nhân - Gia đình"], {"validity": "in_force"}),
    (UTS + "Luat-68-2020-QH14-cu-tru-435315.txt", ["Cư trú - Hộ tịch"], {
        "validity": "in_force",
        "relations": [R("replaces", "81/2006/QH11", "2021-07-01", "Luật Cư trú 2006")]}),
    (UTS + "Bo-Luat-lao-dong-2019-333670.txt", ["Lao động - Việc làm"], {
        "validity": "in_force",
        "relations": [R("replaces", "10/2012/QH13", "2021-01-01", "Bộ luật Lao động 2012")]}),
    (UTS + "Bo-luat-dan-su-2015-296215.txt", ["Dân sự - Thừa kế"], {
        "validity": "in_force",
        "relations": [R("replaces", "33/2005/QH11", "2017-01-01", "Bộ luật Dân sự 2005")]}),
    (UTS + "Bo-luat-hinh-su-2015-296661.txt", ["Hình sự"], {
        "validity": "in_force",
        "effective": "2018-01-01",  # postponed from 2016-07-01 (Nghị quyết 144/2016/QH13)
        "relations": [R("amended_by", "12/2017/QH14", "2018-01-01",
                        "Luật sửa đổi, bổ sung một số điều của Bộ luật Hình sự")]}),
    ("laws/nd100_2019.html", TRAFFIC_FIELDS, {
        "validity": "partly_in_force",
        "relations": [
            R("replaced_by", "168/2024/NĐ-CP", "2025-01-01",
              "Các quy định xử phạt trong lĩnh vực giao thông đường bộ được thay thế"),
            R("amended_by", "123/2021/NĐ-CP", "2022-01-01", AMENDED_100)]}),
    ("laws/nd168_2024.html", TRAFFIC_FIELDS, {
        "validity": "in_force",
        "relations": [R("replaces", "100/2019/NĐ-CP", "2025-01-01",
                        "Thay thế các quy định xử phạt trong lĩnh vực giao thông đường bộ")]}),
    (UTS + "Luat-xu-ly-vi-pham-hanh-chinh-2012-142766.txt", ["Vi phạm hành chính"], {
        "validity": "in_force",
        "relations": [R("amended_by", "67/2020/QH14", "2022-01-01",
                        "Luật sửa đổi, bổ sung một số điều của Luật Xử lý vi phạm hành chính")]}),
    (UTS + "Luat-giao-thong-duong-bo-2008-23-2008-QH12-82203.txt", ["Giao thông - Vận tải"], {
        "validity": "not_in_force",
        "relations": [R("replaced_by", "35/2024/QH15", "2025-01-01", "Luật Đường bộ"),
                      R("replaced_by", "36/2024/QH15", "2025-01-01",
                        "Luật Trật tự, an toàn giao thông đường bộ")]}),
    (UTS + "Luat-Can-cuoc-cong-dan-2014-259782.txt", ["Cư trú - Hộ tịch"],
     _gone("26/2023/QH15", "2024-07-01", "Luật Căn cước")),
    (UTS + "Luat-Bao-hiem-xa-hoi-2014-259700.txt", ["Bảo hiểm"],
     _gone("41/2024/QH15", "2025-07-01", "Luật Bảo hiểm xã hội 2024")),
    (UTS + "Luat-bao-hiem-y-te-2008-25-2008-QH12-82196.txt", ["Bảo hiểm"], {
        "validity": "in_force",
        "relations": [R("amended_by", "46/2014/QH13", "2015-01-01", AMENDED_BHYT),
                      R("amended_by", "51/2024/QH15", "2025-07-01", AMENDED_BHYT)]}),
    # Its Chương V (tiếp công dân) ended with Luật Tiếp công dân 42/2013/QH13, Điều 35.
    (UTS + "Luat-khieu-nai-2011-132446.txt", ["Khiếu nại - Tố cáo"], {"validity": "partly_in_force"}),
    (UTS + "Luat-To-cao-336713.txt", ["Khiếu nại - Tố cáo"], {
        "validity": "in_force",
        "relations": [R("replaces", "03/2011/QH13", "2019-01-01", "Luật Tố cáo 2011")]}),
    (UTS + "Luat-tiep-cong-dan-2013-215839.txt", ["Khiếu nại - Tố cáo"], {"validity": "in_force"}),
    (UTS + "Luat-Ho-tich-2014-259727.txt", ["Cư trú - Hộ tịch"], {"validity": "in_force"}),
    (UTS + "Luat-Nha-o-2014-259721.txt", ["Đất đai", "Nhà ở"],
     _gone("27/2023/QH15", "2024-08-01", "Luật Nhà ở 2023")),
    (UTS + "Luat-Kinh-doanh-bat-dong-san-2014-259722.txt", ["Nhà ở"],
     _gone("29/2023/QH15", "2024-08-01", "Luật Kinh doanh bất động sản 2023")),
    (UTS + "Luat-phong-chong-bao-luc-gia-dinh-2007-02-2007-QH12-59647.txt", ["Hôn nhân - Gia đình"],
     _gone("13/2022/QH15", "2023-07-01", "Luật Phòng, chống bạo lực gia đình 2022")),
    (UTS + "Luat-nuoi-con-nuoi-2010-108082.txt", ["Hôn nhân - Gia đình"], {"validity": "in_force"}),
    (UTS + "Luat-tre-em-2016-303313.txt", ["Trẻ em - Người cao tuổi"], {"validity": "in_force"}),
    (UTS + "Luat-nguoi-cao-tuoi-nam-2009-98672.txt", ["Trẻ em - Người cao tuổi"], {"validity": "in_force"}),
    (UTS + "Luat-Tro-giup-phap-ly-2017-322938.txt", ["Hỗ trợ pháp lý"], {"validity": "in_force"}),
    (UTS + "Luat-hoa-giai-o-co-so-nam-2013-197282.txt", ["Hỗ trợ pháp lý"], {"validity": "in_force"}),
    (UTS + "Luat-pho-bien-giao-duc-phap-luat-2012-142765.txt", ["Hỗ trợ pháp lý"], {"validity": "in_force"}),
    (UTS + "Luat-viec-lam-nam-2013-215628.txt", ["Lao động - Việc làm"],
     _gone("74/2025/QH15", "2026-01-01", "Luật Việc làm 2025")),
    (UTS + "Luat-Phong-chong-ma-tuy-2021-445185.txt", ["Hình sự"], {"validity": "in_force"}),
]
# fmt: on
DEMO_PRECEDENTS = ["an_le_so_432021AL.pdf", "an_le_so_722024AL.pdf"]
# Who the resident is -> (entity prefix in violations.json, how to ask, how many entries).
SUBJECTS = (
    ("xe máy", "Người điều khiển xe mô tô", "Đi xe máy", 16),
    ("ô tô", "Người điều khiển xe ô tô", "Lái ô tô", 14),
    ("xe đạp", "Người điều khiển xe đạp", "Đi xe đạp", 6),
    ("người đi bộ", "Người đi bộ", "Người đi bộ", 4),
)
# What residents ask about most, in their words (words of the violation -> everyday words).
# These entries are picked first; the everyday words lead the question so a search finds it.
COMMON = (  # (pattern near the start of the violation, everyday words)
    (r"^không chấp hành hiệu lệnh của đèn tín hiệu giao thông", "vượt đèn đỏ"),
    (r"có nồng độ cồn", "uống rượu bia"),
    (r"^(người điều khiển xe đạp máy )?không đội “?mũ bảo hiểm", "không đội mũ bảo hiểm"),
    (r"^không có giấy phép lái xe", "không có bằng lái"),
    (r"sử dụng điện thoại", "dùng điện thoại khi lái xe"),
    (r"chạy quá tốc độ quy định", "chạy quá tốc độ"),
    (r"^đi ngược chiều", "đi ngược chiều"),
    (r"^không thắt dây đai an toàn", "không thắt dây an toàn"),
    (r"vỉa hè", "đi, đỗ xe trên vỉa hè"),
    (r"lạng lách", "lạng lách, đánh võng"),
)
BOOKMARK_RE = re.compile(r"Điểm\s+([a-zđ])\s+Khoản\s+(\d+)\s+Điều\s+(\d+)\s+NĐ\s*168", re.I)


# Official titles where the preamble writes the name in lower case ("ban hành Luật đất đai").
TITLES = {
    "45/2013/QH13": "Luật Đất đai",
    "52/2014/QH13": "Luật Hôn nhân và gia đình",
    "45/2019/QH14": "Bộ luật Lao động",
    "91/2015/QH13": "Bộ luật Dân sự",
    "100/2015/QH13": "Bộ luật Hình sự",
    "15/2012/QH13": "Luật Xử lý vi phạm hành chính",
    "23/2008/QH12": "Luật Giao thông đường bộ",
    "59/2014/QH13": "Luật Căn cước công dân",
    "58/2014/QH13": "Luật Bảo hiểm xã hội",
    "25/2008/QH12": "Luật Bảo hiểm y tế",
    "02/2011/QH13": "Luật Khiếu nại",
    "25/2018/QH14": "Luật Tố cáo",
    "42/2013/QH13": "Luật Tiếp công dân",
    "60/2014/QH13": "Luật Hộ tịch",
    "65/2014/QH13": "Luật Nhà ở",
    "66/2014/QH13": "Luật Kinh doanh bất động sản",
    "02/2007/QH12": "Luật Phòng, chống bạo lực gia đình",
    "52/2010/QH12": "Luật Nuôi con nuôi",
    "102/2016/QH13": "Luật Trẻ em",
    "39/2009/QH12": "Luật Người cao tuổi",
    "11/2017/QH14": "Luật Trợ giúp pháp lý",
    "35/2013/QH13": "Luật Hòa giải ở cơ sở",
    "14/2012/QH13": "Luật Phổ biến, giáo dục pháp luật",
    "38/2013/QH13": "Luật Việc làm",
}


def _doc_meta(data_dir: Path, rel: str, fields: list[str], meta: dict[str, Any]) -> dict[str, Any]:
    out = {"fields": fields, "scope": "central", **meta}
    if rel.startswith(UTS):
        url = source_urls(data_dir / UTS).get(Path(rel).stem)
        if url:
            out["source_url"] = url
            out["fields"] = fields + [f for f in [field_for_url(url)] if f and f not in fields]
    return out


def make_documents(data_dir: Path) -> list[Document]:
    docs = []
    for rel, fields, meta in DEMO_DOCUMENTS:
        doc = parse_file(data_dir / rel, _doc_meta(data_dir, rel, fields, meta))
        doc.title = TITLES.get(doc.number, doc.title)
        docs.append(doc)
    registry = registry_entries(data_dir)
    for name in DEMO_PRECEDENTS:
        path = data_dir / "documents" / name
        entry = registry.get(re.sub(r"[^a-z0-9]", "", path.stem.lower()))
        meta = {**(registry_meta(entry) if entry else {}), "scope": "central", "pdf": name}
        meta["fields"] = ["Dân sự - Thừa kế"]
        docs.append(parse_file(path, meta))
    return docs


def _question(item: dict[str, Any]) -> tuple[str, str] | None:
    """A resident's question for a violation, or None if it is not about a resident's vehicle."""
    entity = nfc(item.get("entities", "")).strip()
    violation = nfc(item["violation"]).strip().rstrip(".;")
    everyday = next((w for pat, w in COMMON if re.search(pat, violation[:130], re.I)), "")
    violation = violation[:1].lower() + violation[1:]
    for subject, prefix, lead, _ in SUBJECTS:
        if entity.startswith(prefix):
            if everyday:
                return f"{lead} {everyday} ({violation}) thì bị phạt bao nhiêu?", subject
            joint = " mà" if subject != "người đi bộ" else ""
            return f"{lead}{joint} {violation} thì bị phạt bao nhiêu?", subject
    return None


def _clause_text(decree: Document, cite: Citation) -> str | None:
    """The text of Điểm/Khoản/Điều in the parsed decree, or None if it does not exist."""
    for art in decree.articles():
        if art.number != cite.article:
            continue
        for clause in art.children:
            if clause.level == "khoan" and clause.number == cite.clause:
                for point in clause.children:
                    if point.level == "diem" and point.number == cite.point:
                        return clause.text + "\n" + point.text
    return None


def _amounts(text: str) -> list[str]:
    return re.findall(r"\d{1,3}(?:\.\d{3})+ đồng", text)


def make_qa(data_dir: Path, decree: Document) -> list[QAEntry]:
    """Traffic-fine Q&A whose citation resolves in the parsed 168/2024 and whose fine matches it."""
    items = json.loads((data_dir / "quiz" / "violations.json").read_text(encoding="utf-8"))
    entries: list[QAEntry] = []
    seen: set[str] = set()
    for item in sorted(items, key=lambda x: (x.get("topicCode") or 0, x["no"])):
        marks = [BOOKMARK_RE.search(b.get("bookmark", "")) for b in item.get("bookmarks", [])]
        m = next((x for x in marks if x), None)
        if m is None or not item.get("fines"):
            continue
        cite = Citation("168/2024/NĐ-CP", m.group(3), m.group(2), m.group(1).lower())
        text = _clause_text(decree, cite)
        fine = nfc(item["fines"]).strip()
        amounts = _amounts(fine)[:2]
        if text is None or not amounts or not set(amounts) <= set(_amounts(text)):
            continue
        asked = _question(item)
        if asked is None or asked[0] in seen:
            continue
        question, subject = asked
        seen.add(question)
        extra = nfc(item.get("additionalPenalties") or "").strip()
        remedial = nfc(item.get("remedial") or "").strip()
        where = (
            f"điểm {cite.point} khoản {cite.clause} Điều {cite.article} Nghị định 168/2024/NĐ-CP"
        )
        answer = "\n".join(
            p
            for p in (
                f"Mức phạt: {fine}",
                f"Hình thức xử phạt bổ sung: {extra}" if extra else "",
                f"Biện pháp khắc phục hậu quả: {remedial}" if remedial else "",
                f"Căn cứ: {where}.",
            )
            if p
        )
        entries.append(
            QAEntry(
                id=f"traffic-{item['no']}",
                question=question,
                answer=answer,
                fields=TRAFFIC_FIELDS,
                citations=[cite],
                subject=subject,
                fine=fine,
                extra_penalties=extra,
                remedial=remedial,
            )
        )
    picked: list[QAEntry] = []
    for subject, _, _, count in SUBJECTS:
        mine = [e for e in entries if e.subject == subject]
        first = []
        for _, words in COMMON:  # one entry per common topic first
            hit = next((e for e in mine if f" {words} (" in e.question and e not in first), None)
            if hit:
                first.append(hit)
        rest = [e for e in mine if e not in first]
        picked += first[:count] + _spread(rest, max(0, count - len(first)))
    return picked


def _spread(entries: list[QAEntry], count: int) -> list[QAEntry]:
    """An even pick over the list, so every topic and vehicle is represented."""
    if count <= 0:
        return []
    if len(entries) <= count:
        return entries
    step = len(entries) / count
    return [entries[int(i * step)] for i in range(count)]


def write_json(path: Path, data: Any, compact: bool = False) -> None:
    """Demo source JSON (also for pubs_make, contests_make): atomic and durable,
    because a half-written JSON would break every kiosk build."""
    if compact:
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    else:
        text = json.dumps(data, ensure_ascii=False, indent=1)
    atomic_write_text(path, text + "\n", mode=0o644)


def _lean(value: Any) -> Any:
    """Drop empty node fields (the model defaults them): indentation and empty `children`
    lists doubled the size of the big codes."""
    if isinstance(value, dict):
        return {k: _lean(v) for k, v in value.items() if v not in ("", [], None)}
    if isinstance(value, list):
        return [_lean(v) for v in value]
    return value


def _validated(doc: Document, name: str) -> dict[str, Any]:
    data = doc.to_dict()
    data["body"] = _lean(data["body"])
    back = Document.from_dict(json.loads(json.dumps(data)), name)  # what the builder reads
    if back.to_dict() != doc.to_dict():
        raise ValueError(f"{name}: does not survive the JSON round trip")
    return data


def make_demo(data_dir: Path, out_dir: Path, updated: str | None = None) -> dict[str, int]:
    """Write the demo content into out_dir; returns counts. Stale files of ours are removed."""
    data_dir, out_dir = Path(data_dir), Path(out_dir)
    docs = make_documents(data_dir)
    decree = next(d for d in docs if d.number == "168/2024/NĐ-CP")
    qa = make_qa(data_dir, decree)
    doc_dir = out_dir / "documents"
    keep = set()
    for doc in docs:
        name = f"{doc.id}.json"
        write_json(doc_dir / name, _validated(doc, f"documents/{name}"), compact=True)
        keep.add(name)
    for stale in doc_dir.glob("*.json"):
        if stale.name not in keep:
            stale.unlink()
    files = out_dir / "files"
    files.mkdir(parents=True, exist_ok=True)
    for old in files.glob("an_le_*.pdf"):  # ours; files/quiz/ belongs to the contests helper
        if old.name not in DEMO_PRECEDENTS:
            old.unlink()
    for name in DEMO_PRECEDENTS:
        shutil.copyfile(data_dir / "documents" / name, files / name)
        os.chmod(files / name, 0o644)
    qa_data = {
        "entries": [q.__dict__ | {"citations": [c.__dict__ for c in q.citations]} for q in qa]
    }
    for entry in qa_data["entries"]:
        QAEntry.from_dict(entry, "qa/traffic-fines.json")
    write_json(out_dir / "qa" / "traffic-fines.json", qa_data)
    write_json(
        out_dir / "lawshelf-content.json",
        {
            "format": FORMAT_VERSION,
            "name": "LawShelf demo library",
            "updated": updated or date.today().isoformat(),
        },
    )
    counts = {
        "documents": len(docs),
        "articles": sum(len(d.articles()) for d in docs),
        "qa": len(qa),
        "pdfs": len(DEMO_PRECEDENTS),
    }
    log.info("demo content written to %s: %s", out_dir, counts)
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data_dir", type=Path, help="the shared data folder (../shared/data)")
    parser.add_argument("out_dir", type=Path, help="offline_index/demo/content")
    parser.add_argument("--updated", help="content date for the manifest (default: today)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    make_demo(args.data_dir, args.out_dir, args.updated)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
