"""Text of the demo bookshelf and media loop (see pubs_make.py for how it is rendered).

Plain-language sentences are ours; every legal rule is QUOTED from the demo documents by
reference (`Q`, `FINE`), so the generator copies the official wording and fails loudly if an
Điều/Khoản/Điểm does not exist. Nothing here is invented law: each statement names its source.
"""

from __future__ import annotations

from typing import Any

# Block constructors. A publication is a list of blocks; "break" starts a new page.
Block = tuple[Any, ...]


def H(text: str) -> Block:  # noqa: N802 - short names keep the content readable
    return ("h", text)


def P(text: str) -> Block:  # noqa: N802
    return ("p", text)


def LI(*items: str) -> Block:  # noqa: N802
    return ("li", items)


def Q(doc: str, art: str, clauses: tuple[str, ...] = (), points: dict | None = None) -> Block:  # noqa: N802
    """Verbatim quote of an article (optionally only some khoản, and some điểm of them)."""
    return ("q", doc, art, clauses, points or {})


def FINE(who: str, what: str, art: str, clause: str, point: str, extra: str = "") -> Block:  # noqa: N802
    """One row of a fine table from Decree 168/2024/NĐ-CP; the amount is read from the text."""
    return ("fine", who, what, art, clause, point, extra)


BREAK: Block = ("break",)
ND168 = "168-2024-nd-cp"
CU_TRU = "68-2020-qh14"
BLDS = "91-2015-qh13"
HNGD = "52-2014-qh13"
TGPL = "11-2017-qh14"
HOA_GIAI = "35-2013-qh13"
TRAFFIC = ["Giao thông - Vận tải", "Vi phạm hành chính"]

NOTE = (
    "Tài liệu phổ biến pháp luật, chỉ có giá trị tham khảo, không thay thế tư vấn pháp lý. "
    "Lời văn trong khung trích nguyên văn văn bản; hãy tra cứu trên kiosk để xem tình trạng "
    "hiệu lực mới nhất."
)

# ----------------------------------------------------------------------- publications
CU_TRU_HANDBOOK: list[Block] = [
    H("Lời giới thiệu"),
    P(
        "Luật Cư trú số 68/2020/QH14 được Quốc hội thông qua ngày 13/11/2020 và có hiệu lực từ "
        "ngày 01/7/2021. Sổ tay này giúp người dân nắm những việc thường gặp: đăng ký thường trú, "
        "đăng ký tạm trú, thông báo lưu trú và khai báo tạm vắng."
    ),
    P(
        "Từ khi Luật có hiệu lực, thông tin cư trú được quản lý trong Cơ sở dữ liệu về cư trú; "
        "cơ quan đăng ký cư trú là Công an xã, phường, thị trấn (khoản 4 Điều 2)."
    ),
    Q(CU_TRU, "2", ("2", "6", "7", "8", "9")),
    P("Cần hỗ trợ? Hỏi Công an phường nơi cư trú, hoặc dùng mục Hỏi đáp trên kiosk."),
    BREAK,
    H("1. Quyền của công dân về cư trú"),
    P(
        "Công dân được tự lựa chọn nơi cư trú và được bảo vệ bí mật thông tin cá nhân. "
        "Mỗi người tại một thời điểm chỉ có một nơi thường trú và có thể có thêm một nơi tạm trú "
        "(khoản 4 Điều 3)."
    ),
    Q(CU_TRU, "8", ("1", "2", "3", "7")),
    BREAK,
    H("2. Đăng ký thường trú"),
    P(
        "Có nhà thuộc sở hữu của mình thì được đăng ký thường trú tại đó. Về ở với vợ, chồng, "
        "cha mẹ, con thì cần chủ hộ và chủ sở hữu chỗ ở đồng ý. Nhà thuê, mượn, ở nhờ thì cần "
        "chủ nhà đồng ý và bảo đảm diện tích tối thiểu (không thấp hơn 08 m² sàn/người)."
    ),
    Q(CU_TRU, "20", ("1", "2", "3"), {"2": ("a",)}),
    BREAK,
    H("Thủ tục đăng ký thường trú"),
    P(
        "Hồ sơ nộp tại Công an cấp xã nơi cư trú. Trong 07 ngày làm việc kể từ khi nhận đủ hồ sơ "
        "hợp lệ, cơ quan đăng ký cư trú phải cập nhật thông tin hoặc trả lời bằng văn bản nếu "
        "từ chối:"
    ),
    Q(CU_TRU, "22", ("1", "3", "4")),
    H("Nơi không được đăng ký thường trú mới"),
    P("Không đăng ký thường trú mới được tại chỗ ở thuộc các trường hợp sau (trích):"),
    Q(CU_TRU, "23", ("2", "5")),
    BREAK,
    H("3. Đăng ký tạm trú"),
    P(
        "Đến sống ở nơi khác ngoài xã, phường nơi thường trú từ 30 ngày trở lên để làm việc, "
        "học tập… thì phải đăng ký tạm trú. Mỗi lần tạm trú tối đa 02 năm và được gia hạn nhiều "
        "lần; phải gia hạn trong 15 ngày trước khi hết hạn."
    ),
    Q(CU_TRU, "27", ("1", "2")),
    Q(CU_TRU, "28", ("1", "3")),
    BREAK,
    H("4. Thông báo lưu trú"),
    P(
        "Có người đến ở lại nhà mình dưới 30 ngày, gia đình thông báo lưu trú với Công an cấp xã "
        "trước 23 giờ của ngày bắt đầu lưu trú (đến sau 23 giờ thì trước 08 giờ sáng hôm sau); "
        "có thể thông báo trực tiếp, qua điện thoại hoặc phương tiện điện tử."
    ),
    Q(CU_TRU, "30", ("1", "2", "4")),
    H("5. Khai báo tạm vắng"),
    P(
        "Người bình thường chỉ phải khai báo tạm vắng khi đi khỏi xã, phường nơi thường trú từ "
        "12 tháng liên tục trở lên mà chưa đăng ký tạm trú ở nơi mới hoặc chưa xuất cảnh:"
    ),
    Q(CU_TRU, "31", ("1",), {"1": ("d",)}),
]

LEAFLET_TRAFFIC: list[Block] = [
    H("Mức phạt vi phạm giao thông thường gặp"),
    P(
        "Theo Nghị định số 168/2024/NĐ-CP của Chính phủ, có hiệu lực từ ngày 01/01/2025. "
        "Ngoài tiền phạt, nhiều lỗi còn bị trừ điểm giấy phép lái xe."
    ),
    H("Vượt đèn đỏ (không chấp hành hiệu lệnh của đèn tín hiệu giao thông)"),
    FINE("Xe máy", "Vượt đèn đỏ", "7", "7", "c", "Trừ 04 điểm GPLX (điểm b khoản 13 Điều 7)"),
    FINE("Ô tô", "Vượt đèn đỏ", "6", "9", "b", "Trừ 04 điểm GPLX (điểm b khoản 16 Điều 6)"),
    FINE("Xe đạp", "Vượt đèn đỏ", "9", "2", "đ"),
    H("Uống rượu, bia rồi lái xe"),
    FINE(
        "Xe máy",
        "Nồng độ cồn chưa vượt quá 50 mg/100 ml máu hoặc 0,25 mg/1 lít khí thở",
        "7",
        "6",
        "a",
        "Trừ 04 điểm GPLX (điểm b khoản 13 Điều 7)",
    ),
    FINE(
        "Xe máy",
        "Vượt quá 50 đến 80 mg/100 ml máu hoặc 0,25 đến 0,4 mg/1 lít khí thở",
        "7",
        "8",
        "b",
        "Trừ 10 điểm GPLX (điểm d khoản 13 Điều 7)",
    ),
    FINE(
        "Xe máy",
        "Vượt quá 80 mg/100 ml máu hoặc 0,4 mg/1 lít khí thở",
        "7",
        "9",
        "d",
        "Tước GPLX 22–24 tháng (điểm c khoản 12 Điều 7)",
    ),
    FINE(
        "Ô tô",
        "Nồng độ cồn chưa vượt quá 50 mg/100 ml máu hoặc 0,25 mg/1 lít khí thở",
        "6",
        "6",
        "c",
        "Trừ 04 điểm GPLX (điểm b khoản 16 Điều 6)",
    ),
    FINE(
        "Ô tô",
        "Vượt quá 80 mg/100 ml máu hoặc 0,4 mg/1 lít khí thở",
        "6",
        "11",
        "a",
        "Tước GPLX 22–24 tháng (điểm c khoản 15 Điều 6)",
    ),
    FINE(
        "Xe đạp",
        "Nồng độ cồn chưa vượt quá 50 mg/100 ml máu hoặc 0,25 mg/1 lít khí thở",
        "9",
        "1",
        "p",
    ),
    BREAK,
    H("Mũ bảo hiểm"),
    FINE(
        "Xe máy", "Người lái không đội mũ bảo hiểm hoặc không cài quai đúng quy cách", "7", "2", "h"
    ),
    FINE(
        "Xe máy",
        "Chở người ngồi sau không đội mũ bảo hiểm (trừ trẻ em dưới 06 tuổi, "
        "người bệnh đi cấp cứu…)",
        "7",
        "2",
        "i",
    ),
    FINE("Xe đạp máy", "Người lái không đội mũ bảo hiểm", "9", "4", "d"),
    H("Điện thoại và tốc độ"),
    FINE(
        "Xe máy",
        "Cầm và sử dụng điện thoại khi lái xe",
        "7",
        "4",
        "đ",
        "Trừ 04 điểm GPLX (điểm b khoản 13 Điều 7)",
    ),
    FINE(
        "Ô tô",
        "Cầm và sử dụng điện thoại khi xe đang di chuyển",
        "6",
        "5",
        "h",
        "Trừ 04 điểm GPLX (điểm b khoản 16 Điều 6)",
    ),
    FINE(
        "Xe máy",
        "Chạy quá tốc độ trên 20 km/h",
        "7",
        "8",
        "a",
        "Trừ 04 điểm GPLX (điểm b khoản 13 Điều 7)",
    ),
    P(
        "Tra cứu đầy đủ: mở Nghị định 168/2024/NĐ-CP trên kiosk, hoặc mục Hỏi đáp → "
        "“Mức phạt giao thông”."
    ),
]

OUTLINE_168: list[Block] = [
    H("I. Giới thiệu chung"),
    P(
        "Ngày 26/12/2024, Chính phủ ban hành Nghị định số 168/2024/NĐ-CP quy định xử phạt vi phạm "
        "hành chính về trật tự, an toàn giao thông trong lĩnh vực giao thông đường bộ; trừ điểm, "
        "phục hồi điểm giấy phép lái xe. Nghị định gồm 55 điều, thay thế các quy định xử phạt "
        "về giao thông đường bộ của Nghị định số 100/2019/NĐ-CP."
    ),
    H("II. Phạm vi điều chỉnh"),
    Q(ND168, "1", ("1",)),
    H("III. Hiệu lực thi hành"),
    Q(ND168, "53", ("1",)),
    BREAK,
    H("IV. Điểm mới: trừ điểm, phục hồi điểm giấy phép lái xe"),
    P(
        "Mỗi hành vi vi phạm có thể bị trừ 02, 04, 06 hoặc 10 điểm giấy phép lái xe. Dữ liệu điểm "
        "được quản lý trên môi trường điện tử:"
    ),
    Q(ND168, "49"),
    P("Nguyên tắc trừ điểm:"),
    Q(ND168, "50", ("1",), {"1": ("a", "b", "c", "đ")}),
    BREAK,
    H("V. Phục hồi điểm giấy phép lái xe"),
    P(
        "Không bị trừ điểm trong 12 tháng kể từ lần bị trừ gần nhất thì giấy phép lái xe tự động "
        "được phục hồi đủ 12 điểm:"
    ),
    Q(ND168, "51", ("2",), {"2": ("a",)}),
    P(
        "Bị trừ hết điểm thì phải tham gia kiểm tra kiến thức pháp luật về trật tự, an toàn giao "
        "thông đường bộ; đạt yêu cầu thì được phục hồi đủ 12 điểm (khoản 3 Điều 51)."
    ),
    BREAK,
    H("VI. Một số mức phạt người dân cần biết"),
    FINE("Xe máy", "Vượt đèn đỏ", "7", "7", "c", "Trừ 04 điểm GPLX"),
    FINE("Xe máy", "Nồng độ cồn chưa vượt quá 50 mg/100 ml máu", "7", "6", "a", "Trừ 04 điểm GPLX"),
    FINE("Ô tô", "Vượt đèn đỏ", "6", "9", "b", "Trừ 04 điểm GPLX"),
    FINE("Ô tô", "Nồng độ cồn vượt quá 80 mg/100 ml máu", "6", "11", "a", "Tước GPLX 22–24 tháng"),
    H("VII. Tổ chức thực hiện"),
    P(
        "Các cơ quan, đoàn thể ở phường, xã tuyên truyền Nghị định đến từng tổ dân phố; người dân "
        "tra cứu toàn văn tại kiosk pháp luật và chấp hành nghiêm quy tắc giao thông."
    ),
]

STORY_INHERITANCE: list[Block] = [
    H("Chuyện nhà ông Hải"),
    P(
        "Ông Hải mất năm 2025, không để lại di chúc. Ông có vợ là bà Lan, mẹ đẻ là cụ Mơ, "
        "hai người con là anh Hùng và chị Mai. Con trai cả của ông là anh Tuấn đã mất từ trước, "
        "để lại một con gái là bé Na. Em ruột ông Hải là chú Bình cũng muốn được chia phần."
    ),
    P(
        "Trong buổi họp gia đình, chị Mai mở kiosk pháp luật ở nhà văn hóa phường để tra Bộ luật "
        "Dân sự số 91/2015/QH13. Cả nhà lần lượt tìm ra câu trả lời."
    ),
    H("“Di sản của bố gồm những gì?”"),
    P(
        "Ngôi nhà ông bà mua sau khi cưới bằng thu nhập của hai người là tài sản chung của vợ chồng (Điều 33 Luật Hôn nhân và "
        "gia đình số 52/2014/QH13). Khi chia di sản, tài sản chung được chia đôi, phần của ông Hải "
        "mới là di sản:"
    ),
    Q(BLDS, "612"),
    Q(HNGD, "66", ("2",)),
    BREAK,
    H("“Không có di chúc thì chia thế nào?”"),
    Q(BLDS, "650", ("1",), {"1": ("a",)}),
    Q(BLDS, "651", ("1", "2", "3"), {"1": ("a", "b")}),
    P(
        "Bà Lan, cụ Mơ, anh Hùng, chị Mai đều ở hàng thừa kế thứ nhất. Chú Bình là em ruột, "
        "thuộc hàng thứ hai, nên không được hưởng vì hàng thứ nhất vẫn còn người."
    ),
    BREAK,
    H("“Bé Na có được phần của bố cháu không?”"),
    Q(BLDS, "652"),
    P(
        "Vì anh Tuấn mất trước ông Hải, bé Na được hưởng phần anh Tuấn lẽ ra được hưởng. Di sản "
        "chia làm năm phần bằng nhau: bà Lan, cụ Mơ, anh Hùng, chị Mai và bé Na (thế vị anh Tuấn)."
    ),
    P(
        "Ví dụ: ngôi nhà trị giá 2 tỷ đồng là tài sản chung, phần của ông Hải là 1 tỷ đồng; thêm "
        "500 triệu đồng tiền tiết kiệm riêng của ông, di sản là 1,5 tỷ đồng, mỗi suất 300 triệu đồng."
    ),
    BREAK,
    H("“Để lâu có mất quyền không?”"),
    Q(BLDS, "623", ("1",)),
    H("Bài học"),
    LI(
        "Tài sản chung của vợ chồng được chia đôi trước, phần của người mất mới là di sản.",
        "Không có di chúc: chia đều cho những người cùng hàng; hàng sau chỉ hưởng khi hàng trước "
        "không còn ai.",
        "Con mất trước cha mẹ thì cháu được thế vị.",
        "Những người thừa kế có thể thỏa thuận; có tranh chấp thì nhờ tổ hòa giải ở cơ sở hoặc "
        "trợ giúp pháp lý.",
    ),
    P("Nhân vật trong truyện là hư cấu; các quy định được trích nguyên văn."),
]

STORY_MARRIAGE: list[Block] = [
    H("Cưới rồi, nhưng đã là vợ chồng chưa?"),
    P(
        "Lan và Minh tổ chức đám cưới ở quê năm Lan 19 tuổi, Minh 21 tuổi. Hai họ đông đủ, "
        "nhưng vì bận nên hai người chưa ra Ủy ban nhân dân xã đăng ký kết hôn. Mấy năm sau, "
        "khi làm giấy tờ mua nhà, Lan mới hỏi: “Chúng mình đã là vợ chồng theo pháp luật chưa?”"
    ),
    H("Pháp luật nói gì?"),
    Q(HNGD, "9", ("1",)),
    Q(HNGD, "14", ("1", "2")),
    BREAK,
    P(
        "Nghĩa là: đám cưới chưa đủ. Chưa đăng ký thì giữa Lan và Minh chưa phát sinh quyền, "
        "nghĩa vụ vợ chồng; tài sản chung được giải quyết theo thỏa thuận hoặc Bộ luật Dân sự "
        "(Điều 16). Quyền của con thì không bị ảnh hưởng:"
    ),
    Q(HNGD, "15"),
    H("Đủ điều kiện kết hôn không?"),
    Q(HNGD, "8", ("1",), {"1": ("a", "b", "c")}),
    P(
        "Lan và Minh đều đã đủ tuổi, tự nguyện và không thuộc trường hợp cấm kết hôn (khoản 2 "
        "Điều 5), nên chỉ cần đi đăng ký."
    ),
    H("Đăng ký ở đâu, bao lâu?"),
    Q("60-2014-qh13", "17", ("1",)),
    Q("60-2014-qh13", "18", ("1",)),
    P(
        "Nếu đủ giấy tờ và đủ điều kiện, công chức tư pháp - hộ tịch ghi việc kết hôn vào Sổ hộ "
        "tịch ngay; cần xác minh thì không quá 05 ngày làm việc (khoản 2 Điều 18 Luật Hộ tịch "
        "số 60/2014/QH13)."
    ),
    H("Bài học"),
    LI(
        "Hôn nhân chỉ có giá trị pháp lý khi được đăng ký tại cơ quan nhà nước có thẩm quyền.",
        "Chung sống như vợ chồng, dù đã làm đám cưới, không làm phát sinh quyền, nghĩa vụ vợ chồng.",
        "Đăng ký sau thì quan hệ hôn nhân được tính từ ngày đăng ký, không tính lùi về ngày cưới.",
        "Quyền, nghĩa vụ giữa cha mẹ và con vẫn theo quy định của Luật về cha mẹ và con (Điều 15).",
    ),
    P("Nhân vật trong truyện là hư cấu; các quy định được trích nguyên văn."),
]

BOOK_ESSENTIALS: list[Block] = [
    H("Lời nói đầu"),
    P(
        "Cuốn sách tập hợp những quy định người dân hay hỏi nhất tại bộ phận một cửa phường, xã: "
        "hôn nhân, thừa kế, cư trú, hòa giải và trợ giúp pháp lý miễn phí. Mỗi chương có lời giải "
        "thích ngắn và trích nguyên văn điều luật."
    ),
    H("Chương 1. Hôn nhân và gia đình"),
    P("Luật Hôn nhân và gia đình số 52/2014/QH13, có hiệu lực từ 01/01/2015."),
    Q(HNGD, "8"),
    Q(HNGD, "9", ("1",)),
    BREAK,
    Q(HNGD, "33", ("1", "3")),
    BREAK,
    H("Chương 2. Thừa kế"),
    P("Bộ luật Dân sự số 91/2015/QH13, có hiệu lực từ 01/01/2017."),
    Q(BLDS, "630", ("1",)),
    Q(BLDS, "644", ("1",)),
    BREAK,
    Q(BLDS, "651", ("1",)),
    BREAK,
    H("Chương 3. Cư trú"),
    P("Luật Cư trú số 68/2020/QH14, có hiệu lực từ 01/7/2021."),
    Q(CU_TRU, "27", ("1", "2")),
    Q(CU_TRU, "30", ("4",)),
    BREAK,
    H("Chương 4. Hòa giải ở cơ sở"),
    P(
        "Luật Hòa giải ở cơ sở số 35/2013/QH13: mâu thuẫn nhỏ trong xóm, trong nhà có thể nhờ tổ "
        "hòa giải ở tổ dân phố giúp các bên tự thỏa thuận."
    ),
    Q(HOA_GIAI, "2", ("1", "4")),
    Q(HOA_GIAI, "3", ("1",)),
    BREAK,
    H("Chương 5. Trợ giúp pháp lý miễn phí"),
    P(
        "Luật Trợ giúp pháp lý số 11/2017/QH14. Người thuộc diện dưới đây được trợ giúp pháp lý "
        "miễn phí (địa chỉ Trung tâm trợ giúp pháp lý: mục Trợ giúp pháp lý trên kiosk)."
    ),
    Q(TGPL, "2"),
    Q(TGPL, "7", ("1", "2", "3", "7")),
]

PUBLICATIONS: list[dict[str, Any]] = [
    {
        "id": "so-tay-cu-tru",
        "title": "Sổ tay pháp luật về cư trú",
        "category": "handbook",
        "fields": ["Cư trú - Hộ tịch", "Quyền dân sự"],
        "published": "2026-06-15",
        "summary": "Đăng ký thường trú, tạm trú, thông báo lưu trú, khai báo tạm vắng theo Luật "
        "Cư trú số 68/2020/QH14.",
        "blocks": CU_TRU_HANDBOOK,
    },
    {
        "id": "to-gap-muc-phat-giao-thong",
        "title": "Tờ gấp: Mức phạt vi phạm giao thông thường gặp",
        "category": "leaflet",
        "fields": TRAFFIC,
        "published": "2026-09-01",
        "summary": "Vượt đèn đỏ, nồng độ cồn, mũ bảo hiểm, điện thoại, tốc độ: mức phạt và trừ điểm "
        "theo Nghị định 168/2024/NĐ-CP.",
        "blocks": LEAFLET_TRAFFIC,
    },
    {
        "id": "de-cuong-nghi-dinh-168-2024",
        "category": "outline",
        "title": "Đề cương giới thiệu Nghị định 168/2024/NĐ-CP về xử phạt vi phạm giao thông "
        "đường bộ, trừ điểm giấy phép lái xe",
        "fields": TRAFFIC,
        "published": "2025-01-10",
        "summary": "Phạm vi, hiệu lực, điểm mới về trừ điểm và phục hồi điểm giấy phép lái xe.",
        "blocks": OUTLINE_168,
    },
    {
        "id": "chuyen-thua-ke-nha-ong-hai",
        "category": "story",
        "title": "Câu chuyện pháp luật: Chia thừa kế khi không có di chúc",
        "fields": ["Dân sự - Thừa kế", "Hôn nhân - Gia đình"],
        "published": "2026-03-20",
        "summary": "Chuyện nhà ông Hải: di sản, hàng thừa kế, thừa kế thế vị, thời hiệu "
        "(Bộ luật Dân sự 2015).",
        "blocks": STORY_INHERITANCE,
    },
    {
        "id": "chuyen-dang-ky-ket-hon",
        "category": "story",
        "title": "Câu chuyện pháp luật: Cưới rồi nhưng chưa đăng ký kết hôn",
        "fields": ["Hôn nhân - Gia đình", "Cư trú - Hộ tịch"],
        "published": "2026-05-10",
        "summary": "Chuyện của Lan và Minh: giá trị của đăng ký kết hôn, chung sống như vợ chồng, "
        "thủ tục tại Ủy ban nhân dân cấp xã.",
        "blocks": STORY_MARRIAGE,
    },
    {
        "id": "phap-luat-thiet-yeu",
        "category": "book",
        "title": "Pháp luật thiết yếu cho mọi nhà",
        "fields": ["Hôn nhân - Gia đình", "Dân sự - Thừa kế", "Cư trú - Hộ tịch", "Hỗ trợ pháp lý"],
        "published": "2026-10-05",
        "summary": "Tuyển chọn quy định về hôn nhân, thừa kế, cư trú, hòa giải ở cơ sở và trợ giúp "
        "pháp lý miễn phí.",
        "blocks": BOOK_ESSENTIALS,
    },
]
