"""Slides of the demo videos and the idle-loop infographics (rendered by pubs_make.py).

Each figure on a slide is a rule of Decree 168/2024/NĐ-CP or the Luật Cư trú, cited on the slide;
infographic fine amounts are read from the decree text itself (rows name Điều/Khoản/Điểm).
"""

from __future__ import annotations

from typing import Any

from offline_index.demo.pubs_data import TRAFFIC

# ----------------------------------------------------------------------- videos
# Each slide: (heading, body lines, subtitle text shown while the slide is on screen).
SKIT_RED_LIGHT: list[tuple[str, list[str], str]] = [
    (
        "Tiểu phẩm: “Chỉ vài giây thôi mà!”",
        ["Ngã tư gần chợ, 7 giờ sáng"],
        "Anh Nam đi xe máy đến ngã tư, đèn vừa chuyển sang đỏ.",
    ),
    (
        "Anh Nam:",
        ["“Đường vắng, vượt nhanh vài giây thôi mà!”"],
        "Anh Nam: Đường vắng, vượt nhanh vài giây thôi mà!",
    ),
    (
        "Cảnh sát giao thông:",
        ["“Anh đã không chấp hành hiệu lệnh", "của đèn tín hiệu giao thông.”"],
        "Cảnh sát giao thông: Anh đã không chấp hành hiệu lệnh của đèn tín hiệu giao thông.",
    ),
    (
        "Mức phạt xe máy vượt đèn đỏ",
        ["4.000.000 – 6.000.000 đồng", "Trừ 04 điểm giấy phép lái xe"],
        "Phạt từ 4 đến 6 triệu đồng và trừ 4 điểm giấy phép lái xe.",
    ),
    (
        "Căn cứ",
        ["Điểm c khoản 7 Điều 7;", "điểm b khoản 13 Điều 7", "Nghị định 168/2024/NĐ-CP"],
        "Căn cứ điểm c khoản 7 và điểm b khoản 13 Điều 7 Nghị định 168/2024/NĐ-CP.",
    ),
]

LECTURE_POINTS: list[tuple[str, list[str], str]] = [
    (
        "Bài giảng: Điểm giấy phép lái xe",
        ["Nghị định 168/2024/NĐ-CP", "hiệu lực từ 01/01/2025"],
        "Từ ngày 1 tháng 1 năm 2025, nhiều lỗi vi phạm giao thông còn bị trừ điểm giấy phép lái xe.",
    ),
    (
        "Trừ điểm khi nào?",
        ["Ngay khi quyết định xử phạt", "có hiệu lực thi hành", "(điểm a khoản 1 Điều 50)"],
        "Việc trừ điểm thực hiện ngay sau khi quyết định xử phạt có hiệu lực thi hành.",
    ),
    (
        "Nhiều lỗi cùng lúc?",
        ["Chỉ trừ điểm của lỗi", "bị trừ nhiều điểm nhất", "(điểm b khoản 1 Điều 50)"],
        "Nhiều lỗi bị xử phạt cùng một lần thì chỉ trừ điểm của lỗi bị trừ nhiều điểm nhất.",
    ),
    (
        "Phục hồi điểm",
        ["12 tháng không bị trừ điểm", "→ tự động phục hồi đủ 12 điểm", "(khoản 2 Điều 51)"],
        "Sau 12 tháng không bị trừ điểm, giấy phép lái xe tự động được phục hồi đủ 12 điểm.",
    ),
    (
        "Bị trừ hết điểm?",
        ["Kiểm tra kiến thức pháp luật", "về trật tự, an toàn giao thông", "(khoản 3 Điều 51)"],
        "Bị trừ hết điểm thì phải kiểm tra kiến thức pháp luật, đạt yêu cầu mới được phục hồi điểm.",
    ),
]

ALCOHOL_LOOP: list[tuple[str, list[str], str]] = [
    ("Đã uống rượu bia", ["KHÔNG LÁI XE"], "Đã uống rượu bia thì không lái xe."),
    (
        "Xe máy có nồng độ cồn",
        ["Phạt 2 – 10 triệu đồng", "Trừ điểm hoặc tước GPLX đến 24 tháng"],
        "Xe máy có nồng độ cồn: phạt từ 2 đến 10 triệu đồng, trừ điểm hoặc tước giấy phép lái xe.",
    ),
    (
        "Ô tô có nồng độ cồn",
        ["Phạt 6 – 40 triệu đồng", "Trừ điểm hoặc tước GPLX đến 24 tháng"],
        "Ô tô có nồng độ cồn: phạt từ 6 đến 40 triệu đồng, trừ điểm hoặc tước giấy phép lái xe.",
    ),
    (
        "Căn cứ",
        ["Điều 6 và Điều 7", "Nghị định 168/2024/NĐ-CP"],
        "Căn cứ Điều 6 và Điều 7 Nghị định 168/2024/NĐ-CP.",
    ),
]

VIDEOS: list[dict[str, Any]] = [
    {
        "id": "tieu-pham-den-do",
        "title": "Tiểu phẩm: Chỉ vài giây thôi mà! (vượt đèn đỏ)",
        "category": "video_skit",
        "fields": TRAFFIC,
        "published": "2026-08-20",
        "summary": "Tiểu phẩm ngắn về lỗi vượt đèn đỏ của xe máy và mức phạt theo Nghị định "
        "168/2024/NĐ-CP.",
        "slides": SKIT_RED_LIGHT,
    },
    {
        "id": "bai-giang-diem-gplx",
        "title": "Bài giảng: Trừ điểm, phục hồi điểm giấy phép lái xe",
        "category": "video_lecture",
        "fields": TRAFFIC,
        "published": "2026-07-01",
        "summary": "Bài giảng điện tử ngắn về trừ điểm và phục hồi điểm giấy phép lái xe "
        "(Điều 50, 51 Nghị định 168/2024/NĐ-CP).",
        "slides": LECTURE_POINTS,
    },
    {
        "id": "loop-ruou-bia",
        "title": "Đã uống rượu bia – không lái xe",
        "media_only": True,
        "slides": ALCOHOL_LOOP,
    },
]

# ----------------------------------------------------------------------- infographics
# (id, title, starts, ends, colour scheme, heading, rows of (big, small)).
INFOGRAPHICS: list[dict[str, Any]] = [
    {
        "id": "info-den-do",
        "title": "Vượt đèn đỏ: phạt bao nhiêu?",
        "starts": "2026-01-01",
        "ends": "2027-12-31",
        "bg": "#0b1f3a",
        "accent": "#ffd400",
        "rows": [
            ("Xe máy", "7", "7", "c", "trừ 04 điểm GPLX"),
            ("Ô tô", "6", "9", "b", "trừ 04 điểm GPLX"),
            ("Xe đạp", "9", "2", "đ", ""),
        ],
    },
    {
        "id": "info-ruou-bia",
        "title": "Uống rượu bia – không lái xe",
        "starts": "2026-11-01",
        "ends": "2027-12-31",
        "bg": "#5a0000",
        "accent": "#ffffff",
        "rows": [
            ("Xe máy, mức thấp nhất", "7", "6", "a", "trừ 04 điểm GPLX"),
            ("Xe máy, mức cao nhất", "7", "9", "d", "tước GPLX 22–24 tháng"),
            ("Ô tô, mức cao nhất", "6", "11", "a", "tước GPLX 22–24 tháng"),
        ],
    },
    {
        "id": "info-tam-tru",
        "title": "Ở nơi khác từ 30 ngày: đăng ký tạm trú",
        "starts": "2026-06-01",
        "ends": "2027-12-31",
        "bg": "#003d2b",
        "accent": "#ffe066",
        "lines": [
            ("Từ 30 ngày trở lên", "sống ngoài xã, phường nơi thường trú → đăng ký tạm trú"),
            ("Tối đa 02 năm", "gia hạn nhiều lần; làm thủ tục trong 15 ngày trước khi hết hạn"),
            ("Nộp tại Công an cấp xã", "nơi dự kiến tạm trú; giải quyết trong 03 ngày làm việc"),
        ],
        "source": "Điều 27, Điều 28 Luật Cư trú số 68/2020/QH14",
    },
    {
        "id": "info-mu-bao-hiem-thang-9",
        "title": "Tháng an toàn giao thông: đội mũ bảo hiểm",
        "starts": "2026-09-01",
        "ends": "2026-09-30",
        "bg": "#1b1b1b",
        "accent": "#39d353",
        "rows": [
            ("Xe máy: người lái không đội mũ", "7", "2", "h", ""),
            ("Xe máy: người ngồi sau không đội mũ", "7", "2", "i", ""),
        ],
    },
]
