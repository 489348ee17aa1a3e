"""Regenerate the demo contests, quiz images and notices in the demo content source.

    python -m offline_index.demo.contests_make ../shared/data offline_index/demo/content

Contest 1 is a ~200-question subset of the official 600-question driving-licence theory
bank (all 60 "điểm liệt" questions -> critical, the rest drawn per topic), with images
under an explicit byte budget so the demo library stays under ~40 MB. Contest 2 is 30
general-law questions written for the demo; each cites the article that answers it, and
this script checks the cited article's real text contains the answer before writing.
"""

from __future__ import annotations

import json
import logging
import random
import re
import shutil
import sys
from pathlib import Path

from offline_index.demo.contests_data import LAW_FILES, LAW_QUESTIONS, NOTICES
from offline_index.demo.make import write_json
from offline_index.model import Contest, Notice, nfc

log = logging.getLogger(__name__)

BANK_SUBSET = 200
IMAGE_BUDGET = 14 * 1024 * 1024  # bytes of quiz images in the demo content
TRAFFIC_ID = "atgt-gplx-2026"
LAW_ID = "phap-luat-doi-song-2026"


def _plain(tip: str) -> str:
    """The bank's tips as the kiosk shows them: `<br/>` a line break, `<b>` left out."""
    lines = re.split(r"<br\s*/?>", tip)
    return "\n".join(" ".join(re.sub(r"</?b>", "", line).split()) for line in lines).strip()


def _bank_question(q: dict) -> dict:
    critical = any(q.get(f"required{i}") for i in (1, 2, 3))
    return {
        "id": f"gplx-{q['no']:03d}",
        "text": nfc(q["text"]),
        "choices": [
            {"id": str(a["id"]), "text": nfc(a["text"]), "correct": bool(a["correct"])}
            for a in q["answers"]
        ],
        "image": f"quiz/{q['image']}" if q.get("image") else "",
        "critical": critical,
        "explanation": _plain(nfc(q.get("tip") or "")),
    }


def select_bank(bank: list[dict], images: Path) -> list[dict]:
    """All critical questions, then a seeded per-topic sample, within the image budget."""
    rng = random.Random(2026)
    critical = [q for q in bank if any(q.get(f"required{i}") for i in (1, 2, 3))]
    others = [q for q in bank if q not in critical]
    rng.shuffle(others)
    chosen, used = [], 0
    for q in critical + others:
        if len(chosen) >= BANK_SUBSET:
            break
        size = (images / q["image"]).stat().st_size if q.get("image") else 0
        if used + size > IMAGE_BUDGET and q not in critical:
            continue
        chosen.append(q)
        used += size
    return sorted(chosen, key=lambda q: q["no"])


def traffic_contest(data: Path, out: Path) -> dict:
    bank = json.loads((data / "quiz" / "questions_600.json").read_text(encoding="utf-8"))
    images = data / "quiz" / "images" / "questions"
    chosen = select_bank(bank, images)
    quiz_dir = out / "files" / "quiz"
    if quiz_dir.exists():
        shutil.rmtree(quiz_dir)
    quiz_dir.mkdir(parents=True)
    for q in chosen:
        if q.get("image"):
            shutil.copyfile(images / q["image"], quiz_dir / q["image"])
    return {
        "id": TRAFFIC_ID,
        "title": "Cuộc thi tìm hiểu pháp luật về trật tự, an toàn giao thông đường bộ",
        "organiser": "Sở Tư pháp thành phố Hà Nội",
        "opens": "2026-11-01T00:00:00+07:00",
        "closes": "2027-06-30T23:59:59+07:00",
        "rules": (
            "Mỗi lượt thi gồm 25 câu hỏi rút ngẫu nhiên từ bộ 600 câu hỏi sát hạch lái xe"
            " (bản trình diễn dùng 200 câu), làm trong 19 phút. Mỗi lượt có 1 câu hỏi điểm liệt:"
            " trả lời sai câu này là không đạt, dù đúng các câu khác. Đạt khi đúng từ 21/25 câu."
            " Mỗi người được dự thi tối đa 3 lần. Giải thưởng xét theo điểm, sau đó theo thời"
            " gian làm bài, sau đó theo câu dự đoán số người dự thi."
        ),
        "questions": [_bank_question(q) for q in chosen],
        "draw": 25,
        "time_limit_s": 19 * 60,
        "pass_mark": 21,
        "prediction_question": "Theo bạn, có bao nhiêu lượt người dự thi tại các điểm thi này?",
        "required_fields": ["name", "birth_year", "ward"],
        "max_attempts": 3,
        "retention_days": 180,
    }


def _article_text(path: Path, number: str) -> str:
    text = nfc(path.read_text(encoding="utf-8"))
    match = re.search(rf"(?m)^\s*Điều {number}\.(.*?)(?=^\s*Điều \d+\.|\Z)", text, re.S)
    if not match:
        raise ValueError(f"{path.name}: no Điều {number}")
    return " ".join(match.group(0).split())


def law_contest(data: Path) -> dict:
    """The written questions, each checked against the real text of the cited article."""
    questions = []
    for i, item in enumerate(LAW_QUESTIONS, 1):
        cite = item["citation"]
        law = data / "laws" / "uts_vlc" / LAW_FILES[cite["doc_number"]]
        body = _article_text(law, cite["article"])
        if nfc(item["check"]) not in body:
            raise ValueError(f"question {i}: {item['check']!r} not in Điều {cite['article']}")
        questions.append(
            {
                "id": f"pl-{i:02d}",
                "text": item["text"],
                "choices": [
                    {"id": str(k + 1), "text": t, "correct": k == item["answer"]}
                    for k, t in enumerate(item["choices"])
                ],
                "explanation": item["check"],
                "citation": cite,
            }
        )
    return {
        "id": LAW_ID,
        "title": 'Cuộc thi "Pháp luật trong đời sống hằng ngày" năm 2026',
        "organiser": "Hội đồng phối hợp phổ biến, giáo dục pháp luật thành phố Hà Nội",
        "opens": "2026-11-09T00:00:00+07:00",
        "closes": "2027-03-31T23:59:59+07:00",
        "rules": (
            "Mỗi lượt thi gồm 15 câu hỏi rút ngẫu nhiên từ 30 câu, làm trong 15 phút. Mỗi câu"
            " có một đáp án đúng; sau khi nộp bài, bạn xem được điều luật trả lời từng câu."
            " Đạt khi đúng từ 10 câu. Mỗi người được dự thi 1 lần."
        ),
        "questions": questions,
        "draw": 15,
        "time_limit_s": 15 * 60,
        "pass_mark": 10,
        "prediction_question": "Theo bạn, có bao nhiêu người tham gia cuộc thi này?",
        "required_fields": ["name", "birth_year", "ward"],
        "max_attempts": 1,
        "retention_days": 365,
    }


def make(data: Path, out: Path) -> None:
    for contest in (traffic_contest(data, out), law_contest(data)):
        Contest.from_dict(contest, contest["id"])  # validate before writing
        write_json(out / "contests" / f"{contest['id']}.json", contest)
    notices = out / "notices"
    if notices.exists():
        shutil.rmtree(notices)
    for notice in NOTICES:
        Notice.from_dict(notice, notice["id"])
        write_json(notices / f"{notice['id']}.json", notice)


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    make(Path(sys.argv[1]), Path(sys.argv[2]))
