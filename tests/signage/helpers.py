"""A small content source for public screens: media, playlists, a broken video if asked."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from offline_index import demo

DEMO_MEDIA = demo.CONTENT / "files" / "media"
TITLES = {
    "info-den-do": "Vượt đèn đỏ: phạt bao nhiêu?",
    "info-ruou-bia": "Uống rượu bia – không lái xe",
    "video": "Đã uống rượu bia – không lái xe",
}
NIGHT = {
    "id": "dem",
    "title": "Ban đêm",
    "hours": ["22:00-06:00"],
    "starts": "2026-11-01",
    "ends": "2026-11-09",
    "items": [{"media": "info-ruou-bia", "duration_s": 1}],
}
DAY = {
    "id": "ngay",
    "title": "Ban ngày",
    "hours": ["06:00-22:00"],
    "items": [{"media": "video"}, {"media": "info-den-do", "duration_s": 1}],
}


def write_json(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def content(root: Path, *, broken_video: bool = False, playlists: list[dict] | None = None) -> Path:
    """Two infographics and a video (a real demo MP4, or garbage bytes), and playlists."""
    write_json(
        root / "lawshelf-content.json", {"format": 1, "name": "Màn hình", "updated": "2026-11-01"}
    )
    files = root / "files" / "media"
    files.mkdir(parents=True)
    for name in ("info-den-do.png", "info-ruou-bia.png"):
        shutil.copy(DEMO_MEDIA / name, files / name)
    video = files / "video.mp4"
    if broken_video:
        video.write_bytes(b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 40)
    else:
        shutil.copy(DEMO_MEDIA / "loop-ruou-bia.mp4", video)
    for mid, kind, file in (
        ("info-den-do", "infographic", "info-den-do.png"),
        ("info-ruou-bia", "infographic", "info-ruou-bia.png"),
        ("video", "video", "video.mp4"),
    ):
        write_json(
            root / "media" / f"{mid}.json",
            {
                "id": mid,
                "type": kind,
                "title": TITLES[mid],
                "file": f"media/{file}",
                "duration_s": 1,
            },
        )
    for p in playlists if playlists is not None else [NIGHT, DAY]:
        write_json(root / "playlists" / f"{p['id']}.json", p)
    return root


def home_with_library(tmp: Path, **kw: object) -> Path:
    from offline_index.build import build_into_home

    home = tmp / "home"
    build_into_home(home, [content(tmp / "src", **kw)])  # type: ignore[arg-type]
    return home
