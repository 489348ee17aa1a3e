"""Hand-written demo data: 30 general-law contest questions, notices, legal-aid contacts.

Each question cites the article that answers it; `check` is a phrase that must occur in
that article's real text (contests_make verifies it against ../shared/data).
Legal-aid contacts are marked as illustrative: verify before a real deployment.
"""

from __future__ import annotations

HNGD, BLDS, BLLD = "52/2014/QH13", "91/2015/QH13", "45/2019/QH14"
CU_TRU, BLHS, TO_CAO = "68/2020/QH14", "100/2015/QH13", "25/2018/QH14"
HOA_GIAI = "35/2013/QH13"
HO_TICH, KHIEU_NAI, TGPL, CON_NUOI = "60/2014/QH13", "02/2011/QH13", "11/2017/QH14", "52/2010/QH12"

LAW_FILES = {
    HNGD: "Luat-Hon-nhan-va-gia-dinh-2014-238640.txt",
    BLDS: "Bo-luat-dan-su-2015-296215.txt",
    BLLD: "Bo-Luat-lao-dong-2019-333670.txt",
    CU_TRU: "Luat-68-2020-QH14-cu-tru-435315.txt",
    BLHS: "Bo-luat-hinh-su-2015-296661.txt",
    TO_CAO: "Luat-To-cao-336713.txt",
    HOA_GIAI: "Luat-hoa-giai-o-co-so-nam-2013-197282.txt",
    HO_TICH: "Luat-Ho-tich-2014-259727.txt",
    KHIEU_NAI: "Luat-khieu-nai-2011-132446.txt",
    TGPL: "Luat-Tro-giup-phap-ly-2017-322938.txt",
    CON_NUOI: "Luat-nuoi-con-nuoi-2010-108082.txt",
}


def _q(
    text: str,
    choices: list[str],
    answer: int,
    doc: str,
    article: str,
    clause: str = "",
    point: str = "",
    check: str = "",
) -> dict:
    return {
        "text": text,
        "choices": choices,
        "answer": answer,
        "check": check,
        "citation": {"doc_number": doc, "article": article, "clause": clause, "point": point},
    }


LAW_QUESTIONS = [
    _q(
        "Theo Luật Hôn nhân và gia đình 2014, độ tuổi kết hôn tối thiểu là bao nhiêu?",
        [
            "Nam đủ 18 tuổi, nữ đủ 16 tuổi",
            "Nam đủ 20 tuổi, nữ đủ 18 tuổi",
            "Nam và nữ đều đủ 18 tuổi",
            "Nam đủ 22 tuổi, nữ đủ 20 tuổi",
        ],
        1,
        HNGD,
        "8",
        "1",
        "a",
        "Nam từ đủ 20 tuổi trở lên, nữ từ đủ 18 tuổi trở lên",
    ),
    _q(
        "Hành vi nào sau đây bị pháp luật hôn nhân và gia đình nghiêm cấm?",
        [
            "Tổ chức lễ cưới theo phong tục",
            "Đăng ký kết hôn tại UBND cấp xã",
            "Tảo hôn, cưỡng ép kết hôn",
            "Thỏa thuận về tài sản trước khi kết hôn",
        ],
        2,
        HNGD,
        "5",
        "2",
        "b",
        "Tảo hôn, cưỡng ép kết hôn",
    ),
    _q(
        "Sau khi ly hôn, con dưới bao nhiêu tháng tuổi được giao cho mẹ trực tiếp nuôi (trừ trường"
        " hợp mẹ không đủ điều kiện hoặc cha mẹ thỏa thuận khác)?",
        ["Dưới 12 tháng tuổi", "Dưới 24 tháng tuổi", "Dưới 36 tháng tuổi", "Dưới 72 tháng tuổi"],
        2,
        HNGD,
        "81",
        "3",
        "",
        "Con dưới 36 tháng tuổi được giao cho mẹ trực tiếp nuôi",
    ),
    _q(
        "Khi cha mẹ ly hôn không thỏa thuận được người nuôi con, Tòa án phải xem xét nguyện vọng"
        " của con từ bao nhiêu tuổi?",
        ["Từ đủ 5 tuổi", "Từ đủ 7 tuổi", "Từ đủ 10 tuổi", "Từ đủ 15 tuổi"],
        1,
        HNGD,
        "81",
        "2",
        "",
        "nếu con từ đủ 07 tuổi trở lên thì phải xem xét nguyện vọng của con",
    ),
    _q(
        "Trường hợp nào người chồng KHÔNG có quyền yêu cầu ly hôn?",
        [
            "Vợ đang có thai, sinh con hoặc đang nuôi con dưới 12 tháng tuổi",
            "Vợ đi làm ăn xa",
            "Vợ chồng sống ly thân trên 1 năm",
            "Vợ không đồng ý ly hôn",
        ],
        0,
        HNGD,
        "51",
        "3",
        "",
        "đang nuôi con dưới 12 tháng tuổi",
    ),
    _q(
        "Quyền sử dụng đất mà vợ, chồng có được sau khi kết hôn (không phải được thừa kế riêng,"
        " tặng cho riêng) là tài sản gì?",
        [
            "Tài sản riêng của người đứng tên",
            "Tài sản chung của vợ chồng",
            "Tài sản của gia đình hai bên",
            "Tài sản của Nhà nước giao",
        ],
        1,
        HNGD,
        "33",
        "1",
        "",
        "Quyền sử dụng đất mà vợ, chồng có được sau khi kết hôn là tài sản chung",
    ),
    _q(
        "Vợ chồng cùng yêu cầu ly hôn, thật sự tự nguyện và đã thỏa thuận được về tài sản, con"
        " cái thì Tòa án giải quyết thế nào?",
        [
            "Bác yêu cầu ly hôn",
            "Công nhận thuận tình ly hôn",
            "Chuyển UBND xã hòa giải bắt buộc",
            "Buộc hai bên ly thân 1 năm",
        ],
        1,
        HNGD,
        "55",
        "",
        "",
        "Tòa án công nhận thuận tình ly hôn",
    ),
    _q(
        "Theo Bộ luật Dân sự 2015, người thành niên là người từ bao nhiêu tuổi trở lên?",
        ["Đủ 16 tuổi", "Đủ 18 tuổi", "Đủ 20 tuổi", "Đủ 21 tuổi"],
        1,
        BLDS,
        "20",
        "1",
        "",
        "Người thành niên là người từ đủ mười tám tuổi trở lên",
    ),
    _q(
        "Thời hiệu để người thừa kế yêu cầu chia di sản là bất động sản là bao lâu kể từ thời"
        " điểm mở thừa kế?",
        ["05 năm", "10 năm", "20 năm", "30 năm"],
        3,
        BLDS,
        "623",
        "1",
        "",
        "30 năm đối với bất động sản",
    ),
    _q(
        "Theo Bộ luật Dân sự 2015, hàng thừa kế thứ nhất gồm những ai?",
        [
            "Ông bà nội, ông bà ngoại, anh chị em ruột",
            "Vợ, chồng, cha mẹ đẻ, cha mẹ nuôi, con đẻ, con nuôi của người chết",
            "Chỉ vợ hoặc chồng và con đẻ",
            "Cô, dì, chú, bác ruột",
        ],
        1,
        BLDS,
        "651",
        "1",
        "a",
        "Hàng thừa kế thứ nhất gồm: vợ, chồng, cha đẻ, mẹ đẻ",
    ),
    _q(
        "Người từ đủ 15 tuổi đến chưa đủ 18 tuổi có được lập di chúc không?",
        [
            "Không được lập di chúc",
            "Được, nếu cha, mẹ hoặc người giám hộ đồng ý",
            "Được lập di chúc miệng mà không cần ai đồng ý",
            "Chỉ được lập khi đã kết hôn",
        ],
        1,
        BLDS,
        "625",
        "2",
        "",
        "Người từ đủ mười lăm tuổi đến chưa đủ mười tám tuổi được lập di chúc",
    ),
    _q(
        "Hình thức của di chúc theo Bộ luật Dân sự 2015 là gì?",
        [
            "Chỉ được lập bằng văn bản có công chứng",
            "Lập thành văn bản; nếu không thể lập bằng văn bản thì có thể di chúc miệng",
            "Chỉ cần nói với người thân",
            "Chỉ được lập bằng video",
        ],
        1,
        BLDS,
        "627",
        "",
        "",
        "Di chúc phải được lập thành văn bản",
    ),
    _q(
        "Lãi suất cho vay do các bên thỏa thuận không được vượt quá mức nào (trừ trường hợp luật"
        " khác quy định khác)?",
        ["10%/năm", "20%/năm", "30%/năm", "Không giới hạn"],
        1,
        BLDS,
        "468",
        "1",
        "",
        "không được vượt quá 20%/năm",
    ),
    _q(
        "Thời giờ làm việc bình thường theo Bộ luật Lao động 2019 là bao nhiêu?",
        [
            "Không quá 08 giờ/ngày và 48 giờ/tuần",
            "Không quá 10 giờ/ngày và 60 giờ/tuần",
            "Không quá 08 giờ/ngày và 40 giờ/tuần",
            "Không quá 12 giờ/ngày",
        ],
        0,
        BLLD,
        "105",
        "1",
        "",
        "không quá 08 giờ trong 01 ngày và không quá 48 giờ trong 01 tuần",
    ),
    _q(
        "Thời gian thử việc tối đa đối với công việc cần trình độ cao đẳng trở lên là bao lâu?",
        ["06 ngày làm việc", "30 ngày", "60 ngày", "180 ngày"],
        2,
        BLLD,
        "25",
        "2",
        "",
        "Không quá 60 ngày",
    ),
    _q(
        "Lao động nữ được nghỉ thai sản trước và sau khi sinh con bao lâu?",
        ["04 tháng", "05 tháng", "06 tháng", "12 tháng"],
        2,
        BLLD,
        "139",
        "1",
        "",
        "nghỉ thai sản trước và sau khi sinh con là 06 tháng",
    ),
    _q(
        "Người lao động làm đủ 12 tháng trong điều kiện bình thường được nghỉ hằng năm hưởng"
        " nguyên lương bao nhiêu ngày làm việc?",
        ["10 ngày", "12 ngày", "14 ngày", "16 ngày"],
        1,
        BLLD,
        "113",
        "1",
        "a",
        "12 ngày làm việc đối với người làm công việc trong điều kiện bình thường",
    ),
    _q(
        "Người lao động được nghỉ Tết Âm lịch hưởng nguyên lương bao nhiêu ngày?",
        ["03 ngày", "04 ngày", "05 ngày", "07 ngày"],
        2,
        BLLD,
        "112",
        "1",
        "b",
        "Tết Âm lịch: 05 ngày",
    ),
    _q(
        "Người lao động làm việc theo hợp đồng không xác định thời hạn muốn đơn phương nghỉ việc"
        " phải báo trước ít nhất bao nhiêu ngày?",
        ["03 ngày làm việc", "30 ngày", "45 ngày", "60 ngày"],
        2,
        BLLD,
        "35",
        "1",
        "a",
        "Ít nhất 45 ngày nếu làm việc theo hợp đồng lao động không xác định thời hạn",
    ),
    _q(
        "Lao động chưa thành niên là người lao động chưa đủ bao nhiêu tuổi?",
        ["15 tuổi", "16 tuổi", "18 tuổi", "20 tuổi"],
        2,
        BLLD,
        "143",
        "1",
        "",
        "Lao động chưa thành niên là người lao động chưa đủ 18 tuổi",
    ),
    _q(
        "Công dân đến sinh sống ngoài xã, phường nơi thường trú từ bao nhiêu ngày trở lên thì"
        " phải đăng ký tạm trú?",
        ["07 ngày", "15 ngày", "30 ngày", "90 ngày"],
        2,
        CU_TRU,
        "27",
        "1",
        "",
        "từ 30 ngày trở lên thì phải thực hiện đăng ký tạm trú",
    ),
    _q(
        "Thời hạn tạm trú tối đa theo Luật Cư trú 2020 là bao lâu?",
        ["06 tháng, không được gia hạn", "01 năm", "02 năm và có thể gia hạn nhiều lần", "05 năm"],
        2,
        CU_TRU,
        "27",
        "2",
        "",
        "Thời hạn tạm trú tối đa là 02 năm",
    ),
    _q(
        "Người từ đủ bao nhiêu tuổi trở lên phải chịu trách nhiệm hình sự về mọi tội phạm (trừ"
        " trường hợp Bộ luật Hình sự quy định khác)?",
        ["Đủ 14 tuổi", "Đủ 16 tuổi", "Đủ 18 tuổi", "Đủ 20 tuổi"],
        1,
        BLHS,
        "12",
        "1",
        "",
        "Người từ đủ 16 tuổi trở lên phải chịu trách nhiệm hình sự về mọi tội phạm",
    ),
    _q(
        "Thời hạn giải quyết tố cáo (không tính gia hạn) là bao lâu kể từ ngày thụ lý?",
        ["Không quá 15 ngày", "Không quá 30 ngày", "Không quá 60 ngày", "Không quá 90 ngày"],
        1,
        TO_CAO,
        "30",
        "1",
        "",
        "Thời hạn giải quyết tố cáo là không quá 30 ngày",
    ),
    _q(
        "Việc hòa giải ở cơ sở KHÔNG được tiến hành đối với trường hợp nào?",
        [
            "Mâu thuẫn giữa hàng xóm về lối đi chung",
            "Vi phạm pháp luật mà theo quy định phải bị truy cứu trách nhiệm hình sự",
            "Mâu thuẫn trong gia đình",
            "Tranh chấp nhỏ về tiền vay mượn giữa người quen",
        ],
        1,
        HOA_GIAI,
        "3",
        "1",
        "c",
        "Vi phạm pháp luật mà theo quy định phải bị truy cứu trách nhiệm hình sự",
    ),
    _q(
        "Cha hoặc mẹ có trách nhiệm đăng ký khai sinh cho con trong thời hạn bao lâu kể từ ngày"
        " sinh?",
        ["15 ngày", "30 ngày", "60 ngày", "90 ngày"],
        2,
        HO_TICH,
        "15",
        "1",
        "",
        "Trong thời hạn 60 ngày kể từ ngày sinh con",
    ),
    _q(
        "Thời hiệu khiếu nại quyết định hành chính, hành vi hành chính là bao lâu?",
        ["30 ngày", "60 ngày", "90 ngày", "01 năm"],
        2,
        KHIEU_NAI,
        "9",
        "",
        "",
        "Thời hiệu khiếu nại là 90 ngày",
    ),
    _q(
        "Ai sau đây thuộc diện được trợ giúp pháp lý miễn phí theo Luật Trợ giúp pháp lý 2017?",
        [
            "Mọi người dân có yêu cầu",
            "Người thuộc hộ nghèo",
            "Doanh nghiệp nhỏ và vừa",
            "Người nước ngoài du lịch tại Việt Nam",
        ],
        1,
        TGPL,
        "7",
        "2",
        "",
        "Người thuộc hộ nghèo",
    ),
    _q(
        "Người cao tuổi có khó khăn về tài chính có thuộc diện được trợ giúp pháp lý không?",
        ["Không", "Có", "Chỉ khi trên 80 tuổi", "Chỉ khi là đảng viên"],
        1,
        TGPL,
        "7",
        "7",
        "c",
        "c) Người cao tuổi;",
    ),
    _q(
        "Người nhận con nuôi phải hơn con nuôi ít nhất bao nhiêu tuổi?",
        ["10 tuổi", "15 tuổi", "18 tuổi", "20 tuổi"],
        3,
        CON_NUOI,
        "14",
        "1",
        "b",
        "Hơn con nuôi từ 20 tuổi trở lên",
    ),
]

_DEMO = " (Thông tin minh họa trong bản trình diễn; vui lòng xác minh trước khi sử dụng.)"

NOTICES = [
    {
        "id": "tin-muc-phat-giao-thong-2025",
        "type": "news",
        "title": "Mức phạt vi phạm giao thông đường bộ theo Nghị định 168/2024/NĐ-CP, áp dụng từ"
        " 01/01/2025",
        "body": "Nghị định 168/2024/NĐ-CP quy định xử phạt vi phạm hành chính về trật tự, an toàn"
        " giao thông trong lĩnh vực giao thông đường bộ, trừ điểm, phục hồi điểm giấy phép lái"
        " xe. Nghị định có hiệu lực từ ngày 01/01/2025; một số điểm có hiệu lực từ ngày"
        " 01/01/2026 (Điều 53). Vi phạm xảy ra và kết thúc trước ngày 01/01/2025, sau đó mới bị"
        " phát hiện, thì áp dụng nghị định đang có hiệu lực lúc vi phạm (Điều 54). Tra mức phạt"
        " ngay trên ki-ốt: mục Tra cứu pháp luật hoặc Hỏi đáp.",
        "date": "2025-01-01",
        "citations": [
            {"doc_number": "168/2024/NĐ-CP", "article": "53"},
            {"doc_number": "168/2024/NĐ-CP", "article": "54"},
        ],
    },
    {
        "id": "doi-thoai-2026-12-cu-tru",
        "type": "policy_dialogue",
        "title": "Đối thoại chính sách: thủ tục cư trú và căn cước sau sắp xếp đơn vị hành chính",
        "body": "UBND phường tổ chức đối thoại với Nhân dân về thủ tục đăng ký thường trú, tạm trú"
        " và cấp căn cước. Người dân có thể gửi ý kiến trước qua ki-ốt này." + _DEMO,
        "date": "2026-12-12",
        "place": "Hội trường UBND phường, tầng 2",
    },
    {
        "id": "doi-thoai-2027-01-dat-dai",
        "type": "policy_dialogue",
        "title": "Đối thoại chính sách: cấp Giấy chứng nhận quyền sử dụng đất theo Luật Đất đai 2024",
        "body": "Lãnh đạo phường và cán bộ địa chính giải đáp về hồ sơ, thời hạn cấp Giấy chứng"
        " nhận và nghĩa vụ tài chính. Gửi ý kiến, câu hỏi trước qua ki-ốt." + _DEMO,
        "date": "2027-01-09",
        "place": "Nhà văn hóa tổ dân phố số 5",
    },
    {
        "id": "tgpl-ha-noi",
        "type": "legal_aid",
        "title": "Trung tâm Trợ giúp pháp lý nhà nước thành phố Hà Nội",
        "body": "Trợ giúp pháp lý miễn phí cho người thuộc hộ nghèo, người có công, trẻ em, người"
        " cao tuổi có khó khăn về tài chính và các đối tượng khác theo Điều 7 Luật Trợ giúp"
        " pháp lý 2017." + _DEMO,
        "phone": "(minh họa) 024 0000 0000",
        "address": "(minh họa) trụ sở Trung tâm, Hà Nội",
        "hours": "Thứ Hai - Thứ Sáu, 8:00 - 17:00",
        "citations": [{"doc_number": "11/2017/QH14", "article": "7"}],
    },
    {
        "id": "tgpl-chi-nhanh-phuong",
        "type": "legal_aid",
        "title": "Điểm tiếp nhận yêu cầu trợ giúp pháp lý tại UBND phường",
        "body": "Cán bộ tư pháp - hộ tịch tiếp nhận yêu cầu trợ giúp pháp lý và chuyển đến Trung"
        " tâm; hướng dẫn hòa giải ở cơ sở." + _DEMO,
        "phone": "(minh họa) 024 0000 0001",
        "address": "(minh họa) Bộ phận một cửa, UBND phường",
        "hours": "Thứ Hai - Thứ Sáu, 8:00 - 11:30 và 13:30 - 17:00; sáng Thứ Bảy",
    },
    {
        "id": "tu-van-luat-su-thang-12",
        "type": "legal_aid",
        "title": "Tư vấn pháp luật miễn phí của Đoàn Luật sư thành phố (buổi lưu động)",
        "body": "Luật sư tình nguyện tư vấn về đất đai, hôn nhân gia đình, lao động, thừa kế."
        + _DEMO,
        "date": "2026-12-20",
        "place": "Sân UBND phường",
        "hours": "Sáng Chủ nhật 20/12/2026, 8:00 - 11:00",
    },
]
