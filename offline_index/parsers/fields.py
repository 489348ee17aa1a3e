"""Fields of state management (`lĩnh vực`) from source URLs.

The uts_vlc corpus lists each law's original thuvienphapluat.vn page; the first
path segment after /van-ban/ is the site's field. We map the segments that occur
to readable Vietnamese names; an unknown segment is turned into words rather
than dropped, so a new one still gives a usable (if plainer) field.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse

SEGMENT_FIELDS = {
    "Bo-may-hanh-chinh": "Bộ máy hành chính",
    "Tai-nguyen-Moi-truong": "Tài nguyên - Môi trường",
    "Linh-vuc-khac": "Lĩnh vực khác",
    "Thuong-mai": "Thương mại",
    "Quyen-dan-su": "Quyền dân sự",
    "Doanh-nghiep": "Doanh nghiệp",
    "Van-hoa-Xa-hoi": "Văn hóa - Xã hội",
    "Thu-tuc-To-tung": "Thủ tục tố tụng",
    "The-thao-Y-te": "Thể thao - Y tế",
    "Thue-Phi-Le-Phi": "Thuế - Phí - Lệ phí",
    "Trach-nhiem-hinh-su": "Trách nhiệm hình sự",
    "Cong-nghe-thong-tin": "Công nghệ thông tin",
    "Lao-dong-Tien-luong": "Lao động - Tiền lương",
    "Giao-thong-Van-tai": "Giao thông - Vận tải",
    "Xay-dung-Do-thi": "Xây dựng - Đô thị",
    "Tien-te-Ngan-hang": "Tiền tệ - Ngân hàng",
    "Tai-chinh-nha-nuoc": "Tài chính nhà nước",
    "Giao-duc": "Giáo dục",
    "Ke-toan-Kiem-toan": "Kế toán - Kiểm toán",
    "Dau-tu": "Đầu tư",
    "Bao-hiem": "Bảo hiểm",
    "Xuat-nhap-khau": "Xuất nhập khẩu",
    "Dich-vu-phap-ly": "Dịch vụ pháp lý",
    "Bat-dong-san": "Bất động sản",
    "Vi-pham-hanh-chinh": "Vi phạm hành chính",
    "So-huu-tri-tue": "Sở hữu trí tuệ",
    "Chung-khoan": "Chứng khoán",
    "Quyen-dan-su-Hon-nhan-gia-dinh": "Hôn nhân - Gia đình",
}


def field_for_url(url: str) -> str:
    """`https://thuvienphapluat.vn/van-ban/Trach-nhiem-hinh-su/...` -> `Trách nhiệm hình sự`."""
    parts = [p for p in urlparse(url.strip()).path.split("/") if p]
    if len(parts) < 3 or parts[0] != "van-ban":
        return ""
    segment = parts[1]
    return SEGMENT_FIELDS.get(segment) or segment.replace("-", " ").capitalize()


def source_urls(folder: Path) -> dict[str, str]:
    """Map file stem -> source URL from a folder's `_source_urls.txt` (missing file: empty)."""
    listing = folder / "_source_urls.txt"
    if not listing.is_file():
        return {}
    out: dict[str, str] = {}
    for line in listing.read_text(encoding="utf-8").splitlines():
        url = line.strip()
        if url:
            stem = re.sub(r"\.aspx$", "", urlparse(url).path.rsplit("/", 1)[-1])
            out[stem] = url
    return out
