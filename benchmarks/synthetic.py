"""A synthetic corpus of Vietnamese directive documents, for benchmarks at any size.

    python benchmarks/synthetic.py text    --docs 1000   --out DIR         [--seed 7] [--provinces N]
    python benchmarks/synthetic.py records --docs 100000 --out FILE.jsonl  [--seed 7] [--no-text]

or, from Python, ``generate_records(n, seed)`` (an iterator of contract dicts) and
``generate_documents(n, seed)`` (the abstract documents, each with ``.text()``, ``.raw_text()``
and ``.record()``).

The world: N provinces (by default n // 250, between 2 and 58), each with its Provincial
Party Committee (Tỉnh ủy), People's Committee (UBND tỉnh) and its Office, the steering
committee for science, technology, innovation and digital transformation (BCĐ tỉnh),
eleven departments (Sở Nội vụ, Sở Tài chính, Sở Khoa học và Công nghệ…), 6–12 districts
and 6–14 communes in each. Documents come in rounds, about a month apart from January
2025: in each round every province runs one campaign (implementing 57-NQ/TW and 71/NQ-CP,
02-KH/BCĐTW, 01-KH/BCĐTW or 03/NQ-CP, or a conclusion notice of the BCĐ tỉnh), and the
campaign cascades down the chain: party programme → provincial plan (sometimes with a
submission and a decision) → department letters and plans → district plans → commune
letters. Each document cites up the chain, so every citation with a ref names either a
document generated earlier in the same corpus or one of the central documents of the
goal catalog (graph/catalog). From July 2025 districts are gone (two-tier local
government) and communes cite the province directly.

Documents follow the layout of Nghị định 30/2020/NĐ-CP (issuer block, national motto,
Số/ký hiệu, place and date, title or V/v line, Kính gửi, body, Nơi nhận, signature) in
one of two layouts: one column, or the printed two-column header flattened into lines
padded with spaces. Tasks read "Giao X chủ trì, phối hợp với Y …", "Đề nghị X …",
"X chủ trì …" and, in plans, a body heading followed by bullet points; deadlines are
"trước ngày dd/mm/yyyy", "trong tháng m/yyyy", "trong Quý I/2026", "6 tháng đầu năm",
"hằng năm", "thường xuyên", or none.

Noise, at fixed rates: a blank number ("Số:     /UBND-VP", with a blank day) on some
leaf letters nobody cites; documents printed without diacritics; a deadline a year off
(before the document's own date, the parser's `deadline_before_issue` warning).

Everything comes from one ``random.Random`` per (seed, round, province): no clock, no
global state, the same (n, seed, provinces) gives the same corpus byte for byte.

RECORDS are what `chidao parse` would write for the TEXT documents (see
docs/contract/parsed-document.md): the same keys (source, parser_version, document with
spans and confidence, citations with span/mentions/title/confidence, tasks with lead,
support, mentions {name, canonical, text, span, generic, confidence}, deadline,
deadline_text, deadline_span, period, recurring, implicit_lead, parent, heading,
warnings, page_starts, text, context {province, locality}). Values are the generator's
ground truth written the way the parser writes them (names expanded, "tỉnh"/"huyện"/"xã"
localised, text kept as printed), so a graph can be built at 100k documents without
parsing; spans point into the record's ``text`` (the one-column rendering).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import math
import random
import re
import sys
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

PARSER_VERSION = "0.4.1"  # the parser version these records imitate (ingest/pipeline.py)

# ---------------------------------------------------------------------------------------
# Vocabulary of the synthetic world
# ---------------------------------------------------------------------------------------

# Provinces (tỉnh only: "thành phố" is also a district-level word, and keeping them out
# keeps "UBND thành phố" unambiguous in the synthetic text).
PROVINCES = (
    "Lạng Sơn", "Thái Nguyên", "Nghệ An", "Đắk Lắk", "Quảng Ninh", "Đồng Tháp", "An Giang", "Bắc Giang",
    "Bắc Kạn", "Bạc Liêu", "Bắc Ninh", "Bến Tre", "Bình Định", "Bình Dương", "Bình Phước", "Bình Thuận",
    "Cà Mau", "Cao Bằng", "Đắk Nông", "Điện Biên", "Đồng Nai", "Gia Lai", "Hà Giang", "Hà Nam", "Hà Tĩnh",
    "Hải Dương", "Hậu Giang", "Hòa Bình", "Hưng Yên", "Khánh Hòa", "Kiên Giang", "Kon Tum", "Lai Châu",
    "Lâm Đồng", "Lào Cai", "Long An", "Nam Định", "Ninh Bình", "Ninh Thuận", "Phú Thọ", "Phú Yên",
    "Quảng Bình", "Quảng Nam", "Quảng Ngãi", "Quảng Trị", "Sóc Trăng", "Sơn La", "Tây Ninh", "Thái Bình",
    "Thanh Hóa", "Tiền Giang", "Trà Vinh", "Tuyên Quang", "Vĩnh Long", "Vĩnh Phúc", "Yên Bái",
)  # the 56 tỉnh of the 63 units before the 2025 merger, less Bà Rịa - Vũng Tàu (a hyphen in the name)

# Syllables for district and commune names ("Yên Lạc", "Tân Phú").
PLACE_SYLLABLES = (
    "An", "Bảo", "Cẩm", "Chiêm", "Đông", "Gia", "Hòa", "Hưng", "Kim", "Lạc", "Long", "Minh", "Mỹ", "Ngọc",
    "Phú", "Phúc", "Quang", "Tân", "Thạch", "Thanh", "Thuận", "Tiên", "Trung", "Vạn", "Xuân", "Yên", "Hồng",
    "Lương", "Hải", "Kỳ", "Lâm", "Quế", "Tam", "Tú", "Vân", "Đức", "Hiệp", "Khánh", "Lộc", "Sơn", "Thịnh",
    "Bản", "Cao", "Châu", "Chí", "Dương", "Điền", "Định", "Hà", "Hậu", "Hoàng", "Hợp", "Kiến", "Lai", "Lập",
    "Liên", "Mai", "Mường", "Nghĩa", "Nhân", "Phong", "Quảng", "Quý", "Sen", "Tây", "Thái", "Thắng", "Thọ",
    "Thủy", "Tiến", "Toàn", "Tường", "Văn", "Việt", "Vinh", "Vũ", "Xuyên",
)

SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý",
            "Nông", "Hà", "Lương", "Phan", "Trịnh", "Mai", "Đinh")
MIDDLE = ("Văn", "Thị", "Minh", "Đức", "Thanh", "Quang", "Thu", "Hữu", "Ngọc", "Xuân", "Hồng", "Anh")
GIVEN = ("Hùng", "Lan", "Tuấn", "Hà", "Long", "Hương", "Dũng", "Thảo", "Nam", "Hải", "Phương", "Trung",
         "Yến", "Khải", "Vinh", "Quân", "Hạnh", "Tâm", "Cường", "Nga", "Thắng", "Hiền", "Toàn", "Linh")

ROMAN = ("I", "II", "III", "IV")

KIND_WORD = {
    "nghi_quyet": "Nghị quyết", "chuong_trinh": "Chương trình hành động", "ke_hoach": "Kế hoạch",
    "cong_van": "Công văn", "thong_bao": "Thông báo", "quyet_dinh": "Quyết định", "to_trinh": "Tờ trình",
    "huong_dan": "Hướng dẫn", "chi_thi": "Chỉ thị", "bao_cao": "Báo cáo",
}
TITLE_WORD = {"ke_hoach": "KẾ HOẠCH", "chuong_trinh": "CHƯƠNG TRÌNH HÀNH ĐỘNG", "thong_bao": "THÔNG BÁO",
              "quyet_dinh": "QUYẾT ĐỊNH", "to_trinh": "TỜ TRÌNH"}


@dataclass(frozen=True)
class Central:
    ref: str
    kind: str
    date: str
    printed_issuer: str  # as a provincial document prints it after "của"
    issuer: str  # as the parser resolves it
    about: str  # a short "về …" phrase (no refs inside)


CENTRAL = {
    "57-NQ/TW": Central("57-NQ/TW", "nghi_quyet", "2024-12-22", "Bộ Chính trị", "Bộ Chính trị",
                        "về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia"),
    "03/NQ-CP": Central("03/NQ-CP", "nghi_quyet", "2025-01-09", "Chính phủ", "Chính phủ",
                        "ban hành Chương trình hành động của Chính phủ"),
    "71/NQ-CP": Central("71/NQ-CP", "nghi_quyet", "2025-04-01", "Chính phủ", "Chính phủ",
                        "sửa đổi, bổ sung, cập nhật Chương trình hành động của Chính phủ"),
    "01-KH/BCĐTW": Central("01-KH/BCĐTW", "ke_hoach", "2025-03-21", "Ban Chỉ đạo Trung ương",
                           "Ban Chỉ đạo Trung ương về phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số",
                           "về triển khai phong trào \"Bình dân học vụ số\""),
    "02-KH/BCĐTW": Central("02-KH/BCĐTW", "ke_hoach", "2025-06-19", "Ban Chỉ đạo Trung ương",
                           "Ban Chỉ đạo Trung ương về phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số",
                           "về thúc đẩy chuyển đổi số liên thông, đồng bộ, nhanh, hiệu quả đáp ứng yêu cầu sắp xếp "
                           "tổ chức bộ máy của hệ thống chính trị"),
}
CENTRAL_REFS = frozenset(CENTRAL)


@dataclass(frozen=True)
class Campaign:
    key: str
    central: tuple[str, ...]  # what the provincial plan implements
    party_central: tuple[str, ...]  # what the party programme implements
    topic: str  # "… thực hiện {topic}"
    party_kind: str  # chuong_trinh or ke_hoach


CAMPAIGNS = (
    Campaign("nq57", ("57-NQ/TW", "71/NQ-CP"), ("57-NQ/TW",),
             "đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số", "chuong_trinh"),
    Campaign("ct03", ("03/NQ-CP", "57-NQ/TW"), ("57-NQ/TW",),
             "Chương trình hành động của Chính phủ về khoa học, công nghệ và chuyển đổi số", "ke_hoach"),
    Campaign("bdhvs", ("01-KH/BCĐTW",), ("01-KH/BCĐTW",), "phong trào \"Bình dân học vụ số\"", "ke_hoach"),
    Campaign("cds", ("02-KH/BCĐTW", "57-NQ/TW"), ("02-KH/BCĐTW",),
             "chuyển đổi số liên thông, đồng bộ trong hệ thống chính trị", "ke_hoach"),
    Campaign("tb", ("57-NQ/TW", "71/NQ-CP", "02-KH/BCĐTW"), (), "kết luận của Ban Chỉ đạo tỉnh", "ke_hoach"),
)

# Actions a task asks for, by theme. No refs and no deadline words inside.
ACTIONS = {
    "general": (
        "tuyên truyền, phổ biến nội dung kế hoạch trên cổng thông tin điện tử và hệ thống truyền thanh cơ sở",
        "tổng hợp kết quả thực hiện, tham mưu báo cáo định kỳ theo quy định",
        "rà soát, cập nhật danh mục nhiệm vụ, bảo đảm phù hợp với điều kiện thực tế của địa phương",
        "bảo đảm an toàn thông tin mạng cho các hệ thống thông tin của cơ quan, đơn vị",
        "đưa chỉ tiêu chuyển đổi số vào nội dung đánh giá, xếp loại cơ quan, đơn vị",
    ),
    "noi_vu": (
        "tổ chức bồi dưỡng kiến thức, kỹ năng số cho cán bộ, công chức, viên chức",
        "rà soát vị trí việc làm về công nghệ thông tin, chuyển đổi số trong các cơ quan hành chính",
        "hoàn thiện cơ sở dữ liệu cán bộ, công chức, viên chức, kết nối với cơ sở dữ liệu quốc gia",
        "tham mưu cơ chế thu hút, đãi ngộ nhân lực chất lượng cao trong lĩnh vực khoa học, công nghệ",
    ),
    "tai_chinh": (
        "bố trí kinh phí thực hiện chuyển đổi số trong dự toán ngân sách địa phương",
        "hướng dẫn các cơ quan, đơn vị lập dự toán chi cho khoa học, công nghệ và đổi mới sáng tạo",
        "thẩm định, cân đối nguồn vốn cho các dự án hạ tầng số, trung tâm dữ liệu",
    ),
    "khcn": (
        "xây dựng nền tảng theo dõi, đánh giá tiến độ thực hiện nhiệm vụ, kết nối với hệ thống của Trung ương",
        "đề xuất danh mục nhiệm vụ khoa học và công nghệ cấp tỉnh, đặt hàng giải quyết vấn đề thực tiễn",
        "hỗ trợ doanh nghiệp khởi nghiệp sáng tạo, ứng dụng công nghệ số trong sản xuất, kinh doanh",
        "hướng dẫn các cơ quan, đơn vị triển khai các nền tảng số dùng chung của tỉnh",
        "xây dựng kho dữ liệu dùng chung, kết nối với Nền tảng tích hợp, chia sẻ dữ liệu quốc gia",
    ),
    "y_te": (
        "triển khai hồ sơ sức khỏe điện tử, sổ sức khỏe điện tử cho người dân trên ứng dụng VNeID",
        "đẩy mạnh thanh toán không dùng tiền mặt tại các cơ sở khám bệnh, chữa bệnh",
    ),
    "gd": (
        "triển khai học bạ số, cơ sở dữ liệu ngành giáo dục",
        "đưa nội dung kỹ năng số, trí tuệ nhân tạo vào hoạt động giáo dục trong nhà trường",
    ),
    "xay_dung": (
        "số hóa dữ liệu quy hoạch, cấp phép xây dựng, kết nối với cơ sở dữ liệu quốc gia",
        "phát triển hạ tầng đô thị thông minh tại các đô thị trung tâm",
    ),
    "cong_thuong": (
        "hỗ trợ doanh nghiệp, hợp tác xã đưa sản phẩm lên sàn thương mại điện tử",
        "phát triển hạ tầng điện, bảo đảm cung cấp điện cho các trung tâm dữ liệu",
    ),
    "nnmt": (
        "làm sạch dữ liệu đất đai, kết nối với cơ sở dữ liệu quốc gia về dân cư",
        "ứng dụng công nghệ số trong truy xuất nguồn gốc nông sản",
    ),
    "tu_phap": (
        "rà soát văn bản quy phạm pháp luật của tỉnh, đề xuất sửa đổi các quy định cản trở chuyển đổi số",
        "số hóa sổ hộ tịch, cấp bản sao trích lục hộ tịch điện tử",
    ),
    "vhttdl": (
        "phát triển du lịch thông minh, số hóa di sản văn hóa của tỉnh",
        "xây dựng thư viện số, bảo tàng số phục vụ người dân",
    ),
    "cong_an": (
        "làm sạch dữ liệu dân cư, hỗ trợ người dân kích hoạt tài khoản định danh điện tử mức độ 2",
        "bảo đảm an ninh mạng, phòng, chống lừa đảo trực tuyến trên địa bàn",
    ),
    "district": (
        "nâng tỷ lệ hồ sơ thủ tục hành chính giải quyết trực tuyến toàn trình",
        "số hóa hồ sơ, kết quả giải quyết thủ tục hành chính còn tồn đọng",
        "kiện toàn và duy trì hoạt động của Tổ công nghệ số cộng đồng",
        "rà soát hạ tầng viễn thông, xóa các điểm lõm sóng trên địa bàn",
        "đẩy mạnh phong trào \"Bình dân học vụ số\" đến từng thôn, tổ dân phố",
    ),
    "commune": (
        "hướng dẫn người dân sử dụng dịch vụ công trực tuyến toàn trình, thanh toán trực tuyến phí, lệ phí",
        "tuyên truyền đến từng hộ gia đình về phong trào \"Bình dân học vụ số\"",
        "hỗ trợ người dân cài đặt và sử dụng ứng dụng VNeID",
        "rà soát, thống kê các điểm lõm sóng, đề xuất giải pháp với doanh nghiệp viễn thông",
        "cập nhật dữ liệu hộ tịch, dân cư trên địa bàn xã",
    ),
}

# (name, symbol code, theme, units) for the departments of every province.
DEPARTMENTS = (
    ("Sở Nội vụ", "SNV", "noi_vu", ("Phòng Công chức, viên chức", "Phòng Tổ chức, biên chế")),
    ("Sở Tài chính", "STC", "tai_chinh", ("Phòng Ngân sách", "Phòng Đầu tư")),
    ("Sở Khoa học và Công nghệ", "SKHCN", "khcn", ("Phòng Chuyển đổi số", "Phòng Quản lý khoa học")),
    ("Sở Y tế", "SYT", "y_te", ("Phòng Nghiệp vụ Y", "Phòng Kế hoạch - Tài chính")),
    ("Sở Giáo dục và Đào tạo", "SGDĐT", "gd", ("Phòng Giáo dục phổ thông", "Phòng Kế hoạch - Tài chính")),
    ("Sở Xây dựng", "SXD", "xay_dung", ("Phòng Quản lý xây dựng", "Phòng Quy hoạch - Kiến trúc")),
    ("Sở Công Thương", "SCT", "cong_thuong", ("Phòng Quản lý thương mại", "Phòng Quản lý năng lượng")),
    ("Sở Nông nghiệp và Môi trường", "SNNMT", "nnmt", ("Phòng Quản lý đất đai", "Phòng Trồng trọt")),
    ("Sở Tư pháp", "STP", "tu_phap", ("Phòng Xây dựng và Kiểm tra văn bản", "Phòng Hành chính tư pháp")),
    ("Sở Văn hóa, Thể thao và Du lịch", "SVHTTDL", "vhttdl", ("Phòng Quản lý du lịch", "Phòng Quản lý văn hóa")),
    ("Công an tỉnh", "CAT", "cong_an", ("Phòng Cảnh sát quản lý hành chính về trật tự xã hội",
                                       "Phòng An ninh mạng và phòng, chống tội phạm sử dụng công nghệ cao")),
)
DEPARTMENT_LETTER_UNIT = {"SNV": "CCVC", "STC": "NS", "SKHCN": "CĐS", "SYT": "NVY", "SGDĐT": "GDPT",
                          "SXD": "QLXD", "SCT": "QLTM", "SNNMT": "QLĐĐ", "STP": "XDKTVB", "SVHTTDL": "QLDL",
                          "CAT": "PV06"}
DISTRICT_UNITS = ("Phòng Nội vụ", "Phòng Tài chính - Kế hoạch", "Phòng Văn hóa và Thông tin",
                  "Phòng Kinh tế và Hạ tầng", "Phòng Giáo dục và Đào tạo", "Phòng Tư pháp")
COMMUNE_UNITS = ("Phòng Kinh tế", "Phòng Văn hóa - Xã hội", "Công an xã", "Trung tâm Phục vụ hành chính công xã",
                 "Đoàn Thanh niên xã", "Hội Liên hiệp Phụ nữ xã")

# Rates of noise (per document unless said otherwise).
P_NO_DIACRITICS = 0.08
P_BLANK_NUMBER = 0.10  # of commune letters, which nobody cites
P_YEAR_OFF = 0.03  # of exact deadlines
P_TWO_COLUMN = 0.5

TWO_TIER_FROM = date(2025, 7, 1)  # districts dissolved: communes answer to the province
FIRST_ROUND = date(2025, 1, 20)

# ---------------------------------------------------------------------------------------
# Organisations
# ---------------------------------------------------------------------------------------


@dataclass
class Org:
    key: str
    name: str  # full name, as the record's document.issuer gives it
    cited_as: str  # how another document prints it after "của"
    cited_issuer: str  # how the parser resolves `cited_as` in a citation
    header: tuple[str, ...]  # the issuer block, top to bottom (the superior body first)
    level: str  # province, department, district, commune
    province: str
    locality: tuple[str, str]  # (level word, name) for the record's context
    place: str  # the place of the place-date line
    code: str  # symbol code: UBND, TU, SNV…
    party: bool
    signer: str
    capacity: tuple[str, ...]
    theme: str = "general"
    units: tuple[str, ...] = ()
    district: Org | None = None
    counters: dict[tuple[str, int], int] = field(default_factory=dict)

    def next_number(self, rng: random.Random, series: str, year: int) -> int:
        current = self.counters.get((series, year))
        current = rng.randint(3, 120) if current is None else current + rng.randint(1, 9)
        self.counters[(series, year)] = current
        return current


def _person(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def _upper(text: str) -> str:
    return text.upper()


@dataclass
class Province:
    index: int
    name: str
    ubnd: Org
    party: Org
    office: Org
    bcd: Org
    departments: list[Org]
    districts: list[Org]
    communes: list[Org]


def _place_names(rng: random.Random, count: int, taken: set[str]) -> list[str]:
    """Names unique in the whole world: two syllables, three once two hardly find a free one."""
    names: list[str] = []
    misses = 0
    while len(names) < count:
        name = " ".join(rng.sample(PLACE_SYLLABLES, 2 if misses < 30 else 3))
        misses += 1
        key = _strip(name).lower()  # "Vân Yên" and "Văn Yên" fold to one key: keep only one
        if key not in taken and key not in {_strip(p).lower() for p in PROVINCES}:  # "Vinh Phúc" reads as Vĩnh Phúc
            taken.add(key)
            names.append(name)
            misses = 0
    return names


def build_province(seed: int, index: int, name: str, taken: set[str]) -> Province:
    rng = random.Random(f"chidao-synthetic/{seed}/province/{index}")
    up = _upper(name)
    ubnd = Org(f"ubnd:{name}", f"Ủy ban nhân dân tỉnh {name}", "UBND tỉnh", f"Ủy ban nhân dân tỉnh {name}",
               ("ỦY BAN NHÂN DÂN", f"TỈNH {up}"), "province", name, ("tỉnh", name), name, "UBND", False,
               _person(rng), ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"))
    party = Org(f"tu:{name}", f"Ban Thường vụ Tỉnh ủy {name}", f"Ban Thường vụ Tỉnh ủy {name}",
                f"Ban Thường vụ Tỉnh ủy {name}", (f"TỈNH ỦY {up}",), "province", name, ("tỉnh", name), name,
                "TU", True, _person(rng), ("T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ THƯỜNG TRỰC"))
    office = Org(f"vp:{name}", f"Văn phòng Ủy ban nhân dân tỉnh {name}", "Văn phòng UBND tỉnh",
                 f"Văn phòng Ủy ban nhân dân tỉnh {name}", (f"UBND TỈNH {up}", "VĂN PHÒNG"), "province", name,
                 ("tỉnh", name), name, "VP", False, _person(rng), ("KT. CHÁNH VĂN PHÒNG", "PHÓ CHÁNH VĂN PHÒNG"))
    bcd_long = "Ban Chỉ đạo về phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số"
    bcd = Org(f"bcd:{name}", f"{bcd_long} tỉnh {name}", "Ban Chỉ đạo tỉnh",
              "Ban Chỉ đạo tỉnh về phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số",
              (f"TỈNH ỦY {up}", "BAN CHỈ ĐẠO VỀ PHÁT TRIỂN KHOA HỌC,", "CÔNG NGHỆ, ĐỔI MỚI SÁNG TẠO VÀ",
               "CHUYỂN ĐỔI SỐ"), "province", name, ("tỉnh", name), name, "BCĐ", True, _person(rng),
              ("T/M BAN CHỈ ĐẠO", "TRƯỞNG BAN"))
    departments = []
    for dept, code, theme, units in DEPARTMENTS:
        full = f"{dept} {name}" if dept == "Công an tỉnh" else f"{dept} tỉnh {name}"
        header_name = _upper(dept) if dept != "Công an tỉnh" else f"CÔNG AN TỈNH {up}"
        header = (f"UBND TỈNH {up}", header_name) if dept != "Công an tỉnh" else ("BỘ CÔNG AN", header_name)
        capacity = ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC") if rng.random() < 0.6 else ("GIÁM ĐỐC",)
        # cited by its bare name ("của Sở Nội vụ"), which the parser localises with the province
        departments.append(Org(f"{code.lower()}:{name}", full, dept, full, header, "department", name,
                               ("tỉnh", name), name, code, False, _person(rng), capacity, theme, units))
    districts, communes = [], []
    for dname in _place_names(rng, rng.randint(6, 12), taken):
        district = Org(f"huyen:{name}:{dname}", f"Ủy ban nhân dân huyện {dname}", f"UBND huyện {dname}",
                       f"Ủy ban nhân dân huyện {dname}", ("ỦY BAN NHÂN DÂN", f"HUYỆN {_upper(dname)}"),
                       "district", name, ("huyện", dname), dname, "UBND", False, _person(rng),
                       ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"), "district", DISTRICT_UNITS)
        districts.append(district)
        for cname in _place_names(rng, rng.randint(6, 14), taken):
            communes.append(Org(f"xa:{name}:{cname}", f"Ủy ban nhân dân xã {cname}", f"UBND xã {cname}",
                                f"Ủy ban nhân dân xã {cname}", (f"UBND HUYỆN {_upper(dname)}", f"UBND XÃ {_upper(cname)}"),
                                "commune", name, ("xã", cname), cname, "UBND", False, _person(rng),
                                ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"), "commune", COMMUNE_UNITS, district))
    return Province(index, name, ubnd, party, office, bcd, departments, districts, communes)


# ---------------------------------------------------------------------------------------
# Abstract documents
# ---------------------------------------------------------------------------------------


@dataclass
class Mention:
    printed: str  # as the sentence prints it
    name: str  # abbreviations expanded, a bare "tỉnh"/"huyện"/"xã" given its name
    canonical: str
    generic: bool = False
    place: str | None = None  # the locality name the parser appends to `printed`
    nd_name: str | None = None  # the name the parser gives the text printed without diacritics


@dataclass
class Cite:
    ref: str | None
    kind: str
    date: str | None
    issuer: str | None  # as the record gives it
    printed_issuer: str | None
    relation: str
    title: str | None = None  # a document named without a number
    issuer_place: str | None = None  # a district's or commune's name ending `issuer`
    about: str | None = None  # "về …" after the reference, for the text


@dataclass
class Task:
    lead: list[Mention]
    support: list[Mention]
    action: str
    style: str  # giao, de_nghi, plain
    deadline_kind: str  # day, month, quarter, half, recurring, none
    deadline: date | None = None
    recurring_word: str = ""
    year_off: bool = False
    lead_in: bool = False  # "hoàn thành trước ngày …" rather than "trước ngày …"


@dataclass
class Section:
    heading: str  # "NHIỆM VỤ VÀ GIẢI PHÁP"
    tasks: list[Task]


@dataclass
class Document:
    index: int
    org: Org
    kind: str
    series: str  # KH, CV, TB…
    number: int | None
    date: date
    blank_day: bool
    subject: str
    citations: list[Cite]  # in the order the body prints them; relation from the trigger
    preamble: list[tuple[str, list[int]]]  # (trigger, indexes into citations): "Căn cứ …;", "Thực hiện …,"
    sections: list[Section]  # plans: several; letters: one with heading ""
    recipients: list[str]
    no_diacritics: bool
    two_column: bool
    campaign: str
    names_top: bool = False  # a decision's "ỦY BAN NHÂN DÂN TỈNH X" line before the preamble
    decision_articles: list[str] = field(default_factory=list)
    campaign_topic: str = ""
    _rendered: tuple[str, dict[str, Any]] | None = None

    # -- identity ------------------------------------------------------------------------

    @property
    def symbol(self) -> str:
        return _symbol(self.org, self.series)

    @property
    def ref(self) -> str | None:
        if self.number is None:
            return None
        sep = "-" if self.org.party else "/"
        return f"{self.number:02d}{sep}{self.symbol}" if self.org.party else f"{self.number}{sep}{self.symbol}"

    @property
    def iso_date(self) -> str:
        return self.date.strftime("%Y-%m") if self.blank_day else self.date.isoformat()

    @property
    def stem(self) -> str:
        slug = _strip(self.org.province).lower().replace(" ", "-")
        number = f"{self.number}" if self.number is not None else "so-trong"
        return f"{self.index:06d}_{slug}_{self.org.level}_{self.kind}_{number}"

    def as_cite(self, relation: str, citing_org: Org) -> Cite:
        printed = self.org.cited_as
        if citing_org.level in ("district", "commune") and printed in ("UBND tỉnh", "Văn phòng UBND tỉnh"):
            printed = f"{printed} {self.org.province}"
        about = {"ke_hoach": "về việc thực hiện", "cong_van": "về việc triển khai"}.get(self.kind)
        place = self.org.locality[1] if self.org.level in ("district", "commune") else None
        return Cite(self.ref, self.kind, self.date.isoformat(), self.org.cited_issuer, printed, relation,
                    about=f"{about} {self.subject_tail()}" if about else None, issuer_place=place)

    def subject_tail(self) -> str:
        return self.campaign_topic

    # -- rendering -----------------------------------------------------------------------

    def _render(self) -> tuple[str, dict[str, Any]]:
        if self._rendered is None:
            self._rendered = _render(self)
        return self._rendered

    def text(self) -> str:
        """The one-column text the record's spans point into."""
        return self._render()[0]

    def raw_text(self) -> str:
        """The text file's content: one column, or the two-column header padded with spaces."""
        text = self.text()
        if not self.two_column:
            return text + "\n"
        return _two_column(self) + "\n"

    def record(self, *, with_text: bool = True, path: str | None = None) -> dict[str, Any]:
        text, marks = self._render()
        raw = self.raw_text().encode("utf-8")
        return _record(self, text, marks, raw, with_text, path or f"synthetic/{self.stem}.txt")


def _symbol(org: Org, series: str) -> str:
    if org.party:
        return f"{series}/{org.code}"  # CTr/TU, KH/TU, TB/BCĐ
    if series == "CV":
        unit = DEPARTMENT_LETTER_UNIT.get(org.code)
        if org.code == "UBND":
            return "UBND-VP" if org.level != "province" else "UBND-KGVX"
        if org.code == "VP":
            return "VP-KGVX"
        return f"{org.code}-{unit}" if unit else org.code
    return f"{series}-{org.code}"  # KH-UBND, QĐ-UBND, TTr-SKHCN, KH-SNV


# ---------------------------------------------------------------------------------------
# Generation
# ---------------------------------------------------------------------------------------


def default_provinces(n: int) -> int:
    return max(2, min(len(PROVINCES), n // 250))


def _docs_per_round(province_count: int) -> float:
    # province docs ~3, departments 11 × 0.55, districts ~9 (first half-year), communes ~90 × 0.3
    return province_count * 40.0


class World:
    def __init__(self, n: int, seed: int, provinces: int | None = None):
        self.n = n
        self.seed = seed
        count = provinces or default_provinces(n)
        if count > len(PROVINCES):
            raise ValueError(f"at most {len(PROVINCES)} provinces")
        taken: set[str] = set()  # district and commune names, unique across provinces
        self.provinces = [build_province(seed, i, PROVINCES[i], taken) for i in range(count)]
        rounds = max(1, math.ceil(n / _docs_per_round(count)))
        # Spread the rounds over about two years, at least a week apart.
        self.spacing = max(7, min(40, 700 // rounds))
        self.emitted = 0
        # the latest plan of each province, for notices and yearly plans to mention
        self.latest_plan: dict[int, Document] = {}

    def documents(self) -> Iterator[Document]:
        round_index = 0
        yielded = 0
        while yielded < self.n:
            start = FIRST_ROUND + timedelta(days=round_index * self.spacing)
            for province in self.provinces:
                rng = random.Random(f"chidao-synthetic/{self.seed}/round/{round_index}/{province.index}")
                for doc in self._round(rng, province, start, round_index):
                    yield doc
                    yielded += 1
                    if yielded >= self.n:
                        return
            round_index += 1

    # -- one campaign in one province --------------------------------------------------------

    def _new(self, rng: random.Random, org: Org, kind: str, series: str, when: date, subject: str,
             campaign: Campaign, *, blank: bool = False) -> Document:
        number = None if blank else org.next_number(rng, series, when.year)
        doc = Document(self.emitted, org, kind, series, number, when, blank and rng.random() < 0.7, subject,
                       [], [], [], [], rng.random() < P_NO_DIACRITICS, rng.random() < P_TWO_COLUMN, campaign.key)
        doc.campaign_topic = campaign.topic
        self.emitted += 1
        return doc

    def _campaign(self, rng: random.Random, when: date) -> Campaign:
        available = [c for c in CAMPAIGNS
                     if all(date.fromisoformat(CENTRAL[r].date) < when for r in c.central)]
        return rng.choice(available)

    def _round(self, rng: random.Random, province: Province, start: date, round_index: int) -> Iterator[Document]:
        when = start + timedelta(days=rng.randint(0, 5))
        campaign = self._campaign(rng, when)
        year = when.year
        top_docs: list[Document] = []
        if campaign.key == "tb":
            notice = self._new(rng, province.bcd, "thong_bao", "TB", when,
                               f"kết luận của đồng chí Trưởng Ban Chỉ đạo tại Hội nghị sơ kết việc thực hiện "
                               f"nhiệm vụ phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số "
                               f"năm {year}", campaign)
            cites = [_central_cite(r, "implements") for r in campaign.central]
            if province.index in self.latest_plan:
                cites.append(self.latest_plan[province.index].as_cite("implements", province.bcd))
            self._body(rng, notice, cites, "Ngày", heading="Nhiệm vụ trọng tâm thời gian tới",
                       leads=self._province_leads(rng, province), theme="general", tasks=(3, 6))
            yield notice
            when = when + timedelta(days=rng.randint(3, 10))
            letter = self._new(rng, province.office, "cong_van", "CV", when,
                               f"triển khai Thông báo số {notice.ref} của Ban Chỉ đạo tỉnh", campaign)
            self._body(rng, letter, [notice.as_cite("implements", province.office)], "Thực hiện",
                       leads=self._province_leads(rng, province), theme="general", tasks=(3, 6),
                       recipients=["Các sở, ban, ngành tỉnh", "UBND các huyện, thành phố"
                                   if when < TWO_TIER_FROM else "UBND các xã, phường"])
            yield letter
            top = letter
            top_docs.append(letter)
        else:
            party_doc = None
            if campaign.party_central and rng.random() < 0.6:
                kind = campaign.party_kind
                series = "CTr" if kind == "chuong_trinh" else "KH"
                party_doc = self._new(rng, province.party, kind, series, when,
                                      f"thực hiện {campaign.topic} trên địa bàn tỉnh", campaign)
                self._body(rng, party_doc, [_central_cite(r, "implements") for r in campaign.party_central],
                           "Thực hiện", heading="Nhiệm vụ, giải pháp", leads=self._province_leads(rng, province),
                           theme="general", tasks=(3, 6), plan=True)
                yield party_doc
                when = when + timedelta(days=rng.randint(5, 20))
            submission = None
            if rng.random() < 0.3:
                skhcn = province.departments[2]
                submission = self._new(rng, skhcn, "to_trinh", "TTr", when,
                                       f"ban hành Kế hoạch thực hiện {campaign.topic} năm {year}", campaign)
                self._body(rng, submission, [_central_cite(r, "implements") for r in campaign.central[:1]],
                           "Thực hiện", leads=[], theme="khcn", tasks=(0, 0),
                           recipients=[f"Ủy ban nhân dân tỉnh {province.name}"])
                yield submission
                when = when + timedelta(days=rng.randint(2, 6))
            plan = self._new(rng, province.ubnd, "ke_hoach", "KH", when,
                             f"Triển khai thực hiện {campaign.topic} trên địa bàn tỉnh {province.name} năm {year}",
                             campaign)
            cites = [_central_cite(r, "implements") for r in campaign.central]
            if party_doc is not None:
                cites.append(party_doc.as_cite("implements", province.ubnd))
            based = [submission.as_cite("based_on", province.ubnd)] if submission else []
            self._body(rng, plan, cites, "Thực hiện", based_on=based, heading="Nhiệm vụ và giải pháp",
                       leads=self._province_leads(rng, province), theme="general", tasks=(4, 9), plan=True)
            yield plan
            self.latest_plan[province.index] = plan
            top = plan
            top_docs.append(plan)
            if rng.random() < 0.2:
                when = when + timedelta(days=rng.randint(2, 8))
                decision = self._new(rng, province.ubnd, "quyet_dinh", "QĐ", when,
                                     f"Về việc phê duyệt Danh mục nhiệm vụ thực hiện {campaign.topic} năm {year}",
                                     campaign)
                cites = [Cite(None, "luat", None, None, None, "based_on",
                              title="Luật Tổ chức chính quyền địa phương năm 2025")]
                cites.append(_central_cite(campaign.central[0], "based_on"))
                cites.append(plan.as_cite("based_on", province.ubnd))
                self._decision(rng, decision, cites, province)
                yield decision
        # departments
        dept_docs: list[Document] = []
        for dept in province.departments:
            if rng.random() >= 0.55:
                continue
            day = top.date + timedelta(days=rng.randint(3, 25))
            is_plan = rng.random() < 0.3
            kind, series = ("ke_hoach", "KH") if is_plan else ("cong_van", "CV")
            subject = (f"Triển khai thực hiện Kế hoạch số {top.ref} của UBND tỉnh" if is_plan and top.kind == "ke_hoach"
                       else f"triển khai thực hiện {campaign.topic} năm {day.year}")
            doc = self._new(rng, dept, kind, series, day, subject, campaign)
            cites = [top.as_cite("implements", dept)]
            if rng.random() < 0.5:
                cites.append(_central_cite(rng.choice(campaign.central), "implements"))
            units = [_unit(u, dept) for u in dept.units]
            leads = units + [_collective("UBND các huyện, thành phố" if day < TWO_TIER_FROM else "UBND các xã, phường",
                                         province.name)]
            others = [_dept_mention(d) for d in province.departments if d is not dept]
            self._body(rng, doc, cites, "Thực hiện", heading="Nhiệm vụ cụ thể", leads=leads, supports=others,
                       theme=dept.theme, tasks=(2, 6), plan=is_plan,
                       recipients=[] if is_plan else ["Các phòng, đơn vị thuộc Sở" if dept.code != "CAT"
                                                      else "Các phòng, đơn vị thuộc Công an tỉnh",
                                                      "UBND các huyện, thành phố" if day < TWO_TIER_FROM
                                                      else "UBND các xã, phường"])
            dept_docs.append(doc)
            yield doc
        # districts (before the two-tier reform)
        district_plans: dict[str, Document] = {}
        if top.date < TWO_TIER_FROM:
            for district in province.districts:
                if rng.random() >= 0.8:
                    continue
                day = top.date + timedelta(days=rng.randint(4, 20))
                if day >= TWO_TIER_FROM:
                    continue
                doc = self._new(rng, district, "ke_hoach", "KH", day,
                                f"Triển khai thực hiện Kế hoạch số {top.ref} ngày {_dmy(top.date)} của UBND tỉnh "
                                f"{province.name} về {campaign.topic}", campaign)
                cites = [top.as_cite("implements", district)]
                if rng.random() < 0.4:
                    cites.append(_central_cite(campaign.central[0], "implements"))
                leads = [_unit(u, district) for u in district.units] + [_collective("UBND các xã, thị trấn", district.place)]
                supports = [_unit(u, district) for u in district.units] + [
                    _unit("Trung tâm Văn hóa, Thể thao và Truyền thông huyện", district), _office_mention(district)]
                self._body(rng, doc, cites, "Thực hiện", heading="Nhiệm vụ và giải pháp", leads=leads,
                           supports=supports, theme="district", tasks=(3, 7), plan=True)
                district_plans[district.key] = doc
                yield doc
        # communes
        for commune in province.communes:
            if rng.random() >= 0.3:
                continue
            parent = district_plans.get(commune.district.key) if commune.district else None
            if parent is None:
                candidates = [top] + [d for d in dept_docs if d.kind == "cong_van"]
                parent = rng.choice(candidates) if rng.random() < 0.4 else top
            day = parent.date + timedelta(days=rng.randint(2, 15))
            blank = rng.random() < P_BLANK_NUMBER
            doc = self._new(rng, commune, "cong_van", "CV", day,
                            f"triển khai {KIND_WORD[parent.kind]} số {parent.ref} của {parent.org.cited_as}"
                            + (f" {province.name}" if parent.org.cited_as.endswith("tỉnh") else ""),
                            campaign, blank=blank)
            cites = [parent.as_cite("implements", commune)]
            if parent.org.level != "province" and rng.random() < 0.3:
                cites.append(top.as_cite("implements", commune))
            if rng.random() < 0.3:
                cites.append(_central_cite("57-NQ/TW", "implements"))
            leads = [_unit(u, commune) for u in commune.units] + [_office_mention(commune)]
            self._body(rng, doc, cites, "Thực hiện", leads=leads, supports=leads, theme="commune", tasks=(2, 5),
                       recipients=["Văn phòng HĐND và UBND xã", "Các phòng, đơn vị thuộc UBND xã",
                                   "Trưởng các thôn, tổ dân phố"])
            yield doc

    def _province_leads(self, rng: random.Random, province: Province) -> list[Mention]:
        leads = [_dept_mention(d) for d in province.departments]
        leads.append(Mention("Văn phòng UBND tỉnh", f"Văn phòng Ủy ban nhân dân tỉnh {province.name}",
                             f"Văn phòng Ủy ban nhân dân tỉnh {province.name}", place=province.name,
                             nd_name=f"Văn phòng Ủy ban nhân dân tỉnh {province.name}"))
        return leads

    # -- bodies ----------------------------------------------------------------------------

    def _body(self, rng: random.Random, doc: Document, implements: list[Cite], trigger: str, *,
              based_on: list[Cite] = (), heading: str = "", leads: list[Mention], supports: list[Mention] = (),
              theme: str, tasks: tuple[int, int], plan: bool = False, recipients: list[str] = ()) -> None:
        doc.citations = list(based_on) + list(implements)
        if based_on:
            doc.preamble.append(("Căn cứ", list(range(len(based_on)))))
        doc.preamble.append((trigger, list(range(len(based_on), len(doc.citations)))))
        doc.recipients = list(recipients)
        count = rng.randint(*tasks)
        pool = list(ACTIONS.get(theme, ())) + list(ACTIONS["general"])
        supports = list(supports) or leads
        made = []
        for _ in range(count):
            lead = rng.choice(leads)
            support_pool = [s for s in supports if s.name != lead.name]
            support = rng.sample(support_pool, k=min(len(support_pool), rng.choice((0, 1, 1, 2))))
            made.append(self._task(rng, doc, [lead], support, rng.choice(pool)))
        if plan and made:
            doc.sections = [Section(heading.upper() if heading else "NHIỆM VỤ VÀ GIẢI PHÁP", made)]
        else:
            doc.sections = [Section("", made)] if made else []

    def _task(self, rng: random.Random, doc: Document, lead: list[Mention], support: list[Mention],
              action: str) -> Task:
        style = rng.choice(("giao", "giao", "plain", "de_nghi"))
        roll = rng.random()
        task = Task(lead, support, action, style, "none", lead_in=rng.random() < 0.5)
        if roll < 0.45:
            task.deadline_kind = "day"
            task.deadline = doc.date + timedelta(days=rng.randint(10, 120))
            if rng.random() < P_YEAR_OFF:
                task.deadline = task.deadline.replace(year=doc.date.year - 1) if not (
                    task.deadline.month == 2 and task.deadline.day == 29) else task.deadline
                task.year_off = True
        elif roll < 0.55:
            task.deadline_kind = "month"
            task.deadline = doc.date + timedelta(days=rng.randint(20, 100))
        elif roll < 0.70:
            task.deadline_kind = "quarter"
            task.deadline = doc.date + timedelta(days=rng.randint(30, 200))
        elif roll < 0.75:
            task.deadline_kind = "half"
            task.deadline = doc.date + timedelta(days=rng.randint(0, 150))
        elif roll < 0.88:
            task.deadline_kind = "recurring"
            task.recurring_word = rng.choice(("thường xuyên", "hằng năm", "định kỳ hằng quý"))
        return task

    def _decision(self, rng: random.Random, doc: Document, cites: list[Cite], province: Province) -> None:
        doc.citations = cites
        doc.preamble = [("Căn cứ", [i]) for i in range(len(cites))]
        doc.names_top = True
        skhcn = _dept_mention(province.departments[2])
        support = [_dept_mention(province.departments[0]), _dept_mention(province.departments[1])]
        task = self._task(rng, doc, [skhcn], support, "hướng dẫn, theo dõi, đôn đốc các cơ quan, đơn vị triển "
                                                   "khai Danh mục nhiệm vụ, tổng hợp kết quả báo cáo UBND tỉnh")
        task.style = "giao"
        doc.sections = [Section("", [task])]
        doc.decision_articles = [
            f"Phê duyệt kèm theo Quyết định này Danh mục nhiệm vụ thực hiện {doc.campaign_topic} năm {doc.date.year}.",
            "__task__",
            "Quyết định này có hiệu lực kể từ ngày ký.",
        ]


def _central_cite(ref: str, relation: str) -> Cite:
    c = CENTRAL[ref]
    return Cite(c.ref, c.kind, c.date, c.issuer, c.printed_issuer, relation, about=c.about)


def _dept_mention(dept: Org) -> Mention:
    if dept.code == "CAT":
        return Mention("Công an tỉnh", f"Công an tỉnh {dept.province}", f"Công an tỉnh {dept.province}",
                       place=dept.province)
    # a department the parser knows by name: restored from text without diacritics too
    return Mention(dept.cited_as, dept.cited_as, dept.cited_as, nd_name=dept.cited_as)


def _unit(name: str, org: Org) -> Mention:
    level, place = org.locality
    if name.endswith(f" {level}"):
        full = f"{name} {place}"
        return Mention(name, full, full, place=place)
    return Mention(name, name, name)


def _office_mention(org: Org) -> Mention:
    """"Văn phòng HĐND và UBND xã/huyện": the parser knows the expanded form, diacritics or not."""
    level, place = org.locality
    full = f"Văn phòng Hội đồng nhân dân và Ủy ban nhân dân {level} {place}"
    return Mention(f"Văn phòng HĐND và UBND {level}", full, full, place=place,
                   nd_name=f"Văn phòng Hội đồng nhân dân và Ủy ban nhân dân {level} {_strip(place)}")


def _collective(printed: str, place: str) -> Mention:
    canonical = printed.replace("UBND", "Ủy ban nhân dân")
    return Mention(printed, printed, canonical)


# ---------------------------------------------------------------------------------------
# Rendering: the one-column text with the spans the record needs
# ---------------------------------------------------------------------------------------


class _Writer:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0

    def add(self, text: str) -> tuple[int, int]:
        start = self.length
        self.parts.append(text)
        self.length += len(text)
        return (start, self.length)

    def line(self, text: str = "") -> tuple[int, int]:
        span = self.add(text)
        self.add("\n")
        return span

    def text(self) -> str:
        return "".join(self.parts)


def _dmy(d: date) -> str:
    return f"{d.day:02d}/{d.month}/{d.year}" if d.day < 10 else f"{d.day}/{d.month}/{d.year}"


def _quarter(d: date) -> tuple[str, date, date]:
    q = (d.month - 1) // 3
    first = date(d.year, 3 * q + 1, 1)
    last = _month_end(date(d.year, 3 * q + 3, 1))
    return ROMAN[q], first, last


def _month_end(d: date) -> date:
    nxt = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    return nxt - timedelta(days=1)


def _deadline_phrase(task: Task) -> tuple[str, str, dict[str, Any]]:
    """(phrase in the sentence, the part the parser reports, record fields)."""
    d = task.deadline
    if task.deadline_kind == "day" and d:
        shown = f"trước ngày {_dmy(d)}"
        lead_in = "hoàn thành " if task.lead_in else ""
        return lead_in + shown, lead_in + shown, {"deadline": d.isoformat(), "period": [d.isoformat(), d.isoformat()],
                                                  "recurring": False}
    if task.deadline_kind == "month" and d:
        shown = f"tháng {d.month}/{d.year}"
        return f"hoàn thành trong {shown}", f"hoàn thành trong {shown}", {"deadline": None, "period": [date(d.year, d.month, 1).isoformat(),
                                                                          _month_end(d).isoformat()], "recurring": False}
    if task.deadline_kind == "quarter" and d:
        roman, first, last = _quarter(d)
        shown = f"Quý {roman}/{d.year}"
        return f"trong {shown}", f"trong {shown}", {"deadline": None, "period": [first.isoformat(),
                                                                                   last.isoformat()],
                                                     "recurring": False}
    if task.deadline_kind == "half" and d:
        if d.month <= 6:
            shown, first, last = f"6 tháng đầu năm {d.year}", date(d.year, 1, 1), date(d.year, 6, 30)
        else:
            shown, first, last = f"6 tháng cuối năm {d.year}", date(d.year, 7, 1), date(d.year, 12, 31)
        return f"trong {shown}", f"trong {shown}", {"deadline": None, "period": [first.isoformat(),
                                                                                   last.isoformat()],
                                                     "recurring": False}
    if task.deadline_kind == "recurring":
        return f"thực hiện {task.recurring_word}", task.recurring_word, {"deadline": None, "period": None,
                                                                         "recurring": True}
    return "", "", {"deadline": None, "period": None, "recurring": False}


def _join_names(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " và " + names[-1]


def _header_rows(doc: Document) -> list[tuple[str, str]]:
    """(left, right) rows of the printed header: issuer block | motto, number | place-date."""
    org = doc.org
    issuer = list(org.header)
    if org.level == "commune" and doc.date >= TWO_TIER_FROM:
        issuer = [f"TỈNH {_upper(org.province)}", issuer[-1]]
    if org.party:
        rows = [(issuer[0], "ĐẢNG CỘNG SẢN VIỆT NAM")] + [(line, "") for line in issuer[1:]] + [("*", "")]
    else:
        mottos = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
        rows = [(line, mottos[i] if i < 2 else "") for i, line in enumerate(issuer)]
        if len(issuer) < 2:
            rows.append(("", mottos[1]))
    return rows


def _number_line(doc: Document) -> tuple[str, tuple[int, int] | None, tuple[int, int]]:
    """The "Số: …" line with the spans of number and symbol inside it."""
    org = doc.org
    head = "Số " if org.party else "Số: "
    if doc.number is None:
        line = head + "     /" + doc.symbol
        return line, None, (len(line) - len(doc.symbol), len(line))
    number_text = f"{doc.number:02d}" if org.party else str(doc.number)
    line = head + number_text + ("-" if org.party else "/") + doc.symbol
    return line, (len(head), len(head) + len(number_text)), (len(line) - len(doc.symbol), len(line))


def _date_line(doc: Document) -> tuple[str, tuple[int, int], tuple[int, int]]:
    org = doc.org
    if doc.blank_day:
        when = f"ngày    tháng {doc.date.month:02d} năm {doc.date.year}"
    else:
        when = f"ngày {doc.date.day:02d} tháng {doc.date.month:02d} năm {doc.date.year}"
    line = f"{org.place}, {when}"
    return line, (0, len(org.place)), (len(line) - len(when), len(line))


def _render(doc: Document) -> tuple[str, dict[str, Any]]:
    w = _Writer()
    marks: dict[str, Any] = {"recipients": [], "citations": {}, "tasks": []}
    org = doc.org
    rows = _header_rows(doc)
    number_line, number_in, symbol_in = _number_line(doc)
    date_line, place_in, date_in = _date_line(doc)
    issuer_lines = [left for left, _ in rows if left and left != "*"]
    if doc.two_column:
        # the order in which the normaliser reads a two-column header: left cell, then right cell
        cells = [c for left, right in rows for c in (left, right) if c] + [number_line, date_line]
    else:
        cells = [left for left, _ in rows if left] + [right for _, right in rows if right] + [number_line, date_line]
    issuer_start = issuer_end = None
    for cell in cells:
        span = w.line(cell)
        if cell in issuer_lines:
            issuer_start = span[0] if issuer_start is None else issuer_start
            issuer_end = span[1]
        if cell is number_line:
            marks["number"] = (span[0] + number_in[0], span[0] + number_in[1]) if number_in else None
            marks["symbol"] = (span[0] + symbol_in[0], span[0] + symbol_in[1])
            marks["ref"] = (marks["number"][0], marks["symbol"][1]) if number_in else None
        if cell is date_line:
            marks["place"] = (span[0] + place_in[0], span[0] + place_in[1])
            marks["date"] = (span[0] + date_in[0], span[0] + date_in[1])
    marks["issuer"] = (issuer_start or 0, issuer_end or 0)
    if doc.kind == "cong_van":
        w.add("V/v ")
        marks["subject"] = w.line(doc.subject)
        marks["kind"] = (marks["subject"][0] - 4, marks["subject"][0] - 1)
    else:
        w.line()
        marks["kind"] = w.line(TITLE_WORD[doc.kind])
        marks["subject"] = w.line(doc.subject)
    if len(doc.recipients) == 1:
        w.line()
        w.add("Kính gửi: ")
        marks["recipients"].append(w.add(doc.recipients[0]))
        w.line(".")
    elif doc.recipients:
        w.line()
        w.line("Kính gửi:")
        for i, name in enumerate(doc.recipients):
            w.add("- ")
            marks["recipients"].append(w.add(name))
            w.line(";" if i < len(doc.recipients) - 1 else ".")
    w.line()
    if doc.names_top:
        w.line(f"ỦY BAN NHÂN DÂN TỈNH {_upper(org.province)}")
        w.line()
    # preamble: "Căn cứ …;" lines, then one "Thực hiện …, X ban hành …" sentence
    for trigger, indexes in doc.preamble:
        if not indexes:
            continue
        if trigger == "Ngày":
            w.add(f"Ngày {_dmy(doc.date - timedelta(days=2))}, Ban Chỉ đạo tỉnh tổ chức Hội nghị sơ kết việc thực hiện ")
        else:
            w.add(f"{trigger} ")
        for j, ci in enumerate(indexes):
            cite = doc.citations[ci]
            if j:
                w.add("; " if trigger == "Căn cứ" else ", ")
            _render_cite(w, cite, ci, marks)
        if trigger == "Căn cứ":
            w.line(";")
        elif trigger == "Ngày":
            w.line(". Sau khi nghe báo cáo và ý kiến của các thành viên, đồng chí Trưởng Ban Chỉ đạo kết luận như sau:")
        elif doc.kind == "cong_van":
            w.line(f", {org.cited_as if org.level != 'province' or org.code != 'UBND' else 'UBND tỉnh'} "
                   "đề nghị các cơ quan, đơn vị thực hiện một số nội dung sau:")
        elif doc.kind == "to_trinh":
            w.line(f", {org.cited_as} kính trình UBND tỉnh xem xét, ban hành Kế hoạch thực hiện năm "
                   f"{doc.date.year} với các nội dung chủ yếu sau:")
        else:
            w.line(f", {org.name} ban hành {KIND_WORD[doc.kind]} thực hiện như sau:")
    w.line()
    year = doc.date.year
    if doc.decision_articles:
        w.line("QUYẾT ĐỊNH:")
        w.line()
        for k, article in enumerate(doc.decision_articles, start=1):
            w.add(f"Điều {k}. ")
            if article == "__task__":
                _render_task(w, doc, doc.sections[0].tasks[0], str(k), None, marks)
            else:
                span = w.line(article)
                marks["tasks"].append(("fixed", str(k), (span[0], span[1] - 1), [], []))
        k = len(doc.decision_articles) + 1
        w.add(f"Điều {k}. ")
        start = w.length
        w.add("Chánh Văn phòng UBND tỉnh")
        chief = (start, w.length)
        w.add("; ")
        directors = w.add("Giám đốc các sở, ban, ngành tỉnh")
        w.add(" và ")
        generic = w.add("các cơ quan, đơn vị có liên quan")
        end = w.add(" chịu trách nhiệm thi hành Quyết định này")[1] + 2  # the span runs over "./"
        w.line("./.")
        place = org.province
        marks["tasks"].append(("fixed", str(k), (start, end),
                               [(f"Chánh Văn phòng UBND tỉnh {place}", chief, False),
                                (f"Giám đốc các sở, ban, ngành tỉnh {place}", directors, False),
                                ("các cơ quan, đơn vị có liên quan", generic, True)], []))
    elif doc.kind == "to_trinh":
        w.line(f"Sự cần thiết: cụ thể hóa các nhiệm vụ trọng tâm năm {year}, phân công rõ cơ quan chủ trì, "
               "thời hạn hoàn thành và sản phẩm cụ thể.")
        w.line(f"{org.cited_as} kính trình UBND tỉnh xem xét, quyết định./.")
    elif doc.sections and doc.sections[0].heading:
        w.line(f"{ROMAN[0]}. MỤC ĐÍCH, YÊU CẦU")
        w.line("Cụ thể hóa các nhiệm vụ cấp trên giao phù hợp với điều kiện của địa phương; phân công rõ trách "
               "nhiệm của từng cơ quan, đơn vị, bảo đảm hoàn thành đúng tiến độ.")
        w.line()
        for s, section in enumerate(doc.sections, start=1):
            roman = ROMAN[s]
            heading_span = w.add(f"{roman}. ")
            heading_span = w.line(section.heading)
            marks["tasks"].append(("heading", roman, section.heading, heading_span))
            for t, task in enumerate(section.tasks, start=1):
                w.add(f"{t}. ")
                _render_task(w, doc, task, f"{roman}.{t}", roman, marks)
        w.line()
        roman = ROMAN[len(doc.sections) + 1]
        w.add(f"{roman}. ")
        marks["tasks"].append(("heading", roman, "TỔ CHỨC THỰC HIỆN", w.line("TỔ CHỨC THỰC HIỆN")))
        prose = w.line(CLOSING_PROSE)
        # the parser keeps the closing paragraph as a task of the section, up to its last full stop
        # (its text stops before "/.", its span runs to the "/")
        marks["tasks"].append(("prose", roman, (prose[0], prose[1] - 1), (prose[0], prose[0] + len(CLOSING_WHO))))
    else:
        for section in doc.sections:
            for t, task in enumerate(section.tasks, start=1):
                w.add(f"{t}. ")
                _render_task(w, doc, task, str(t), None, marks)
        w.line("Đề nghị các cơ quan, đơn vị quan tâm phối hợp thực hiện./.")
    w.line()
    w.line("Nơi nhận:")
    w.line("- Như trên;" if doc.recipients else "- Các cơ quan, đơn vị có liên quan;")
    w.line("- Lãnh đạo cơ quan;")
    w.line("- Lưu: VT.")
    capacity_span = None
    for i, line in enumerate(org.capacity):
        span = w.line(line)
        capacity_span = (span[0] if capacity_span is None else capacity_span[0], span[1])
    marks["capacity"] = capacity_span
    w.line()
    marks["signer"] = w.line(org.signer)
    text = w.text().rstrip("\n")  # the normaliser drops the final line break
    if doc.no_diacritics:
        text = _strip(text)  # same length: every span still holds
    return text, marks


CLOSING_WHO = "Các cơ quan, đơn vị"
CLOSING_PROSE = (f"{CLOSING_WHO} căn cứ nhiệm vụ được giao chủ động triển khai thực hiện. Trong quá trình thực hiện, "
                 "nếu có khó khăn, vướng mắc, kịp thời phản ánh để được hướng dẫn./.")


def _render_cite(w: _Writer, cite: Cite, index: int, marks: dict[str, Any]) -> None:
    if cite.ref is None:
        marks["citations"][index] = w.add(cite.title or "")
        return
    start = w.length
    w.add(f"{KIND_WORD.get(cite.kind, 'Văn bản')} số {cite.ref}")
    if cite.date:
        w.add(f" ngày {_dmy(date.fromisoformat(cite.date))}")
    if cite.printed_issuer:
        w.add(f" của {cite.printed_issuer}")
    marks["citations"][index] = (start, start + len(f"{KIND_WORD.get(cite.kind, 'Văn bản')} số {cite.ref}"))
    if cite.about:
        w.add(f" {cite.about}")


def _render_task(w: _Writer, doc: Document, task: Task, task_id: str, parent: str | None,
                 marks: dict[str, Any]) -> None:
    phrase, shown, fields = _deadline_phrase(task)
    if task.year_off and fields["deadline"]:
        pass
    lead = task.lead[0]
    start = w.length
    lead_spans: list[tuple[int, int]] = []
    support_spans: list[tuple[int, int]] = []
    support_names = [s.printed for s in task.support]
    if task.style == "giao":
        w.add("Giao ")
        lead_spans.append(w.add(lead.printed))
        w.add(" chủ trì")
        if task.support:
            w.add(", phối hợp với ")
            for k, s in enumerate(task.support):
                if k:
                    w.add(" và " if k == len(task.support) - 1 else ", ")
                support_spans.append(w.add(s.printed))
        w.add(f" {task.action}")
    elif task.style == "de_nghi":
        w.add("Đề nghị ")
        lead_spans.append(w.add(lead.printed))
        w.add(f" {task.action}")
        if task.support:
            w.add(", phối hợp chặt chẽ với ")
            for k, s in enumerate(task.support):
                if k:
                    w.add(" và " if k == len(task.support) - 1 else ", ")
                support_spans.append(w.add(s.printed))
    else:
        lead_spans.append(w.add(lead.printed))
        w.add(" chủ trì")
        if task.support:
            w.add(", phối hợp với ")
            for k, s in enumerate(task.support):
                if k:
                    w.add(" và " if k == len(task.support) - 1 else ", ")
                support_spans.append(w.add(s.printed))
        w.add(f" {task.action}")
    del support_names
    deadline_span = None
    if phrase:
        w.add(", ")
        offset = len(phrase) - len(shown)
        span = w.add(phrase)
        deadline_span = (span[0] + offset, span[1])
    end = w.length
    w.line(".")
    marks["tasks"].append(("task", task_id, parent, task, (start, end), lead_spans, support_spans,
                           deadline_span, shown, fields))


def _strip(text: str) -> str:
    out = []
    for ch in text:
        if ch in "đĐ":
            out.append("d" if ch == "đ" else "D")
            continue
        base = unicodedata.normalize("NFD", ch)[0]
        out.append(base)
    return "".join(out)


def _two_column(doc: Document) -> str:
    """The printed two-column header (issuer | motto, number | place-date), padded with spaces."""
    text = doc.text()
    rows = _header_rows(doc)
    number_line, _, _ = _number_line(doc)
    date_line, _, _ = _date_line(doc)
    if doc.no_diacritics:
        rows = [(_strip(left), _strip(right)) for left, right in rows]
        number_line, date_line = _strip(number_line), _strip(date_line)
    width = max(len(left) for left, _ in rows) + 6
    printed = [(left.ljust(width) + right).rstrip() if right else (left.center(width).rstrip() if left == "*" else left)
               for left, right in rows]
    printed.append(number_line.ljust(width) + date_line)
    cells = sum(1 for left, right in rows for c in (left, right) if c) + 2
    body = text.split("\n", cells)[cells]
    return "\n".join(printed) + "\n" + body


# ---------------------------------------------------------------------------------------
# Records
# ---------------------------------------------------------------------------------------


def _printed(doc: Document, value: str | None) -> str | None:
    return _strip(value) if value is not None and doc.no_diacritics else value


def _record(doc: Document, text: str, marks: dict[str, Any], raw: bytes, with_text: bool,
            path: str) -> dict[str, Any]:
    org = doc.org
    sub_span = marks["subject"]
    document = {
        "kind": doc.kind,
        "number": (f"{doc.number:02d}" if org.party else str(doc.number)) if doc.number is not None else None,
        "symbol": _nd_ref(doc.symbol) if doc.no_diacritics else doc.symbol,
        "ref": _nd_ref(doc.ref) if doc.no_diacritics else doc.ref,
        "issuer": _nd_place_name(org.name, org) if doc.no_diacritics else org.name,
        "date": doc.iso_date,
        "place": org.place if not doc.no_diacritics or org.level in ("province", "department") else _strip(org.place),
        # a decision's "Về việc" is the parser's subject marker, not part of the subject
        "subject": text[sub_span[0]:sub_span[1]].removeprefix(_printed(doc, "Về việc ")),
        "signer": _printed(doc, org.signer),
        "signing_capacity": _printed(doc, " / ".join(org.capacity)),
        "recipients": [text[a:b] for a, b in marks["recipients"]],
        "spans": {
            "kind": list(marks["kind"]), "number": list(marks["number"]) if marks["number"] else None,
            "symbol": list(marks["symbol"]), "ref": list(marks["ref"]) if marks["ref"] else None,
            "issuer": list(marks["issuer"]), "date": list(marks["date"]), "place": list(marks["place"]),
            "subject": list(sub_span), "signer": list(marks["signer"]),
            "signing_capacity": list(marks["capacity"]) if marks["capacity"] else None,
            "recipients": [list(s) for s in marks["recipients"]],
        },
        "confidence": {"kind": 0.95, "number": 1.0 if doc.number is not None else 0.0, "symbol": 1.0,
                       "ref": 1.0 if doc.number is not None else 0.0, "issuer": 0.9, "date": 1.0, "place": 0.95,
                       "subject": 0.9, "signer": 0.9, "signing_capacity": 0.9},
    }
    citations = []
    for i, cite in enumerate(doc.citations):
        span = marks["citations"].get(i, (0, 0))
        citations.append({
            "ref": _nd_ref(cite.ref) if doc.no_diacritics else cite.ref, "kind": cite.kind, "date": cite.date,
            "issuer": (cite.issuer[:-len(cite.issuer_place)] + _strip(cite.issuer_place)
                       if doc.no_diacritics and cite.issuer and cite.issuer_place else cite.issuer),
            "relation": cite.relation, "span": list(span), "mentions": [list(span)],
            "title": _printed(doc, cite.title), "confidence": 0.95 if cite.ref else 0.6,
        })
    tasks = []
    warnings = []
    level, place = org.locality
    context_locality = [level, place if not doc.no_diacritics or place in PROVINCES else _strip(place)]
    for entry in marks["tasks"]:
        if entry[0] == "fixed":  # a decision's article: who is named, as the parser reads it
            _, task_id, span, named, _ = entry
            mentions = [{"name": _printed(doc, n) if g else n, "canonical": _printed(doc, n) if g else n,
                         "text": text[a:b], "span": [a, b], "generic": g, "confidence": 0.8 if g else 0.9}
                        for n, (a, b), g in named]
            tasks.append({
                "id": task_id, "text": text[span[0]:span[1] - 2], "span": list(span),
                "lead": [m["name"] for m in mentions if not m["generic"]], "support": [],
                "generic": [m["name"] for m in mentions if m["generic"]], "deadline": None, "deadline_text": None,
                "deadline_span": None, "period": None, "recurring": False, "implicit_lead": False, "parent": None,
                "heading": None, "mentions": {"lead": mentions, "support": []}, "confidence": 0.9,
            })
            continue
        if entry[0] == "prose":
            _, roman, span, who = entry
            tasks.append({
                "id": roman, "text": text[span[0]:span[1] - 1], "span": list(span), "lead": [], "support": [],
                "generic": [text[who[0]:who[1]]], "deadline": None, "deadline_text": None, "deadline_span": None,
                "period": None, "recurring": False, "implicit_lead": False, "parent": roman, "heading": None,
                "mentions": {"lead": [{"name": text[who[0]:who[1]], "canonical": text[who[0]:who[1]],
                                       "text": text[who[0]:who[1]], "span": list(who), "generic": True,
                                       "confidence": 0.8}], "support": []},
                "confidence": 0.9,
            })
            continue
        if entry[0] == "heading":  # a section heading is no task; its tasks name it as their parent
            continue
        _, task_id, parent, task, span, lead_spans, support_spans, deadline_span, _shown, fields = entry
        lead_mentions = [_mention(doc, m, s, text) for m, s in zip(task.lead, lead_spans)]
        support_mentions = [_mention(doc, m, s, text) for m, s in zip(task.support, support_spans)]
        deadline = fields["deadline"]
        tasks.append({
            "id": task_id, "text": text[span[0]:span[1]], "span": list(span),
            "lead": [m["name"] for m in lead_mentions], "support": [m["name"] for m in support_mentions],
            "generic": [], "deadline": deadline,
            "deadline_text": text[deadline_span[0]:deadline_span[1]] if deadline_span else None,
            "deadline_span": list(deadline_span) if deadline_span else None,
            "period": fields["period"], "recurring": fields["recurring"], "implicit_lead": False,
            "parent": parent, "heading": None,
            "mentions": {"lead": lead_mentions, "support": support_mentions}, "confidence": 0.9,
        })
        if deadline and deadline < doc.iso_date[:len(deadline)]:
            warnings.append({"code": "deadline_before_issue",
                             "message": f"task {task_id}: deadline {deadline} is before the document's date "
                                        f"{doc.iso_date} (a typo for the next year?)",
                             "span": list(deadline_span)})
    record: dict[str, Any] = {
        "source": {"path": path, "sha256": hashlib.sha256(raw).hexdigest(), "format": "txt", "encoding": "utf-8",
                   "size": len(raw)},
        "parser_version": PARSER_VERSION,
        "document": document,
        "citations": citations,
        "tasks": tasks,
        "warnings": warnings,
        "page_starts": [0],
    }
    if with_text:
        record["text"] = text
    record["context"] = {"province": org.province if org.level in ("province", "department") else None,
                         "locality": context_locality}
    return record


def _mention(doc: Document, mention: Mention, span: tuple[int, int], text: str) -> dict[str, Any]:
    name, canonical = mention.name, mention.canonical
    if doc.no_diacritics:
        # Printed without diacritics the name stays as printed; the locality the parser appends
        # keeps the spelling it knows (a province's), else as printed.
        name = canonical = mention.nd_name or _nd_name(mention)
    return {"name": name, "canonical": canonical, "text": text[span[0]:span[1]], "span": list(span),
            "generic": mention.generic, "confidence": 0.9}


def _nd_place_name(name: str, org: Org) -> str:
    """An issuer's name read from text without diacritics: a district's or commune's name as printed."""
    place = org.locality[1]
    if place in PROVINCES or not name.endswith(place):
        return name
    return name[:-len(place)] + _strip(place)


def _nd_name(mention: Mention) -> str:
    if mention.place and mention.name.endswith(" " + mention.place):
        place = mention.place if mention.place in PROVINCES else _strip(mention.place)
        return _strip(mention.name[:-len(mention.place)]) + place
    return _strip(mention.name)


# Symbol segments the parser restores from text without diacritics (ingest/vocab symbol
# spellings); any other segment stays as printed, "QLĐĐ" read as "QLDD".
KNOWN_SEGMENTS = frozenset({"BCĐ", "BCĐTW", "QĐ", "SGDĐT", "ĐU", "NĐ", "TW", "TU", "UBND", "KH", "CTr", "TB",
                            "TTr", "CV", "NQ", "CP", "SNV", "STC", "SKHCN", "SYT", "SXD", "SCT", "SNNMT", "STP",
                            "VP", "CAT"})


def _nd_ref(ref: str | None) -> str | None:
    """A ref as the parser reads it from text printed without diacritics."""
    if ref is None:
        return None
    parts = re.split(r"([-/])", ref)
    return "".join(p if p in "-/" or p in KNOWN_SEGMENTS or p.isdigit() else _strip(p) for p in parts)


# ---------------------------------------------------------------------------------------
# Public API and command line
# ---------------------------------------------------------------------------------------


def generate_documents(n: int, seed: int = 7, provinces: int | None = None) -> Iterator[Document]:
    """The abstract documents of an n-document corpus, in citation order (cited before citing)."""
    return World(n, seed, provinces).documents()


def generate_records(n: int, seed: int = 7, provinces: int | None = None, *,
                     with_text: bool = True) -> Iterator[dict[str, Any]]:
    """Contract records (dicts) of an n-document corpus, as `chidao parse` writes them."""
    for doc in generate_documents(n, seed, provinces):
        yield doc.record(with_text=with_text)


def write_text(n: int, out: Path, seed: int = 7, provinces: int | None = None) -> int:
    out.mkdir(parents=True, exist_ok=True)
    count = 0
    for doc in generate_documents(n, seed, provinces):
        (out / f"{doc.stem}.txt").write_bytes(doc.raw_text().encode("utf-8"))
        count += 1
    return count


def write_records(n: int, out: Path, seed: int = 7, provinces: int | None = None, *, with_text: bool = True) -> int:
    out.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with out.open("w", encoding="utf-8") as handle:
        for record in generate_records(n, seed, provinces, with_text=with_text):
            handle.write(json.dumps(record, ensure_ascii=False))
            handle.write("\n")
            count += 1
    return count


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    sub = ap.add_subparsers(dest="command", required=True)
    for name, help_text in (("text", "write one .txt document per file into a folder"),
                            ("records", "write contract records, one JSON object a line")):
        p = sub.add_parser(name, help=help_text)
        p.add_argument("--docs", type=int, required=True, help="how many documents")
        p.add_argument("--out", type=Path, required=True, help="folder (text) or .jsonl file (records)")
        p.add_argument("--seed", type=int, default=7)
        p.add_argument("--provinces", type=int, default=None,
                       help=f"how many provinces (default docs // 250, between 2 and {len(PROVINCES)})")
        if name == "records":
            p.add_argument("--no-text", action="store_true", help="leave the records' text field out")
    args = ap.parse_args(argv)
    if args.command == "text":
        count = write_text(args.docs, args.out, args.seed, args.provinces)
    else:
        count = write_records(args.docs, args.out, args.seed, args.provinces, with_text=not args.no_text)
    print(f"{count} documents → {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
