"""Synthetic Vietnamese Party office documents for the search benchmark (bench/search.py).

Vocabulary and phrasing of real administrative text (about 450 phrases: bodies, positions, topics,
actions, results, indicators, places, people), ~45 sentence templates, Zipf-weighted fillers (weight
1/rank in the order written, most common first), nine document types (NQ CT KL CV TB BC KH HD QĐ) with
their title patterns, ~200 senders with their symbols ("12-NQ/TU", "345-CV/BTCTU"), dates over ten
years rising with the document number (so rowid order is roughly date order), 130 organisations
(the first holds 30% of the documents, the rest 1/rank), ~5% secret (levels 1-3) and 1-4 reader
tokens (users / units) per document. Deterministic: the same (seed, n) gives the same corpus in any
process, and the first k documents of a corpus do not depend on later ones except through the date.

Speed: sentences are made once (a pool per topic plus a general pool, with their folded form), and a
document is a title plus ~9 pooled sentences plus one sentence of its own (names, places, figures),
so generation runs at well over 50,000 documents/s. Each document comes with its folded text (NFD,
marks dropped, đ→d, lowercase), equal to vanphong.core.text.fold of the text.
"""

from __future__ import annotations

import bisect
import datetime
import itertools
import random
import unicodedata
from collections.abc import Iterator
from typing import NamedTuple


def fold(text: str) -> str:
    """Same as vanphong.core.text.fold (kept here so the generator has no Django import)."""
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    for old, new in (("đ", "d"), ("Đ", "D"), ("ð", "d"), ("Ð", "D")):
        stripped = stripped.replace(old, new)
    return unicodedata.normalize("NFC", stripped.lower())


# ---------------------------------------------------------------------------------------------------------
# Vocabulary (most common first within each list: the weight of the k-th entry is 1/k)
# ---------------------------------------------------------------------------------------------------------

TYPES = [  # code, name, weight (share of documents)
    ("CV", "Công văn", 30),
    ("BC", "Báo cáo", 14),
    ("TB", "Thông báo", 12),
    ("KH", "Kế hoạch", 11),
    ("QĐ", "Quyết định", 10),
    ("HD", "Hướng dẫn", 6),
    ("NQ", "Nghị quyết", 6),
    ("KL", "Kết luận", 6),
    ("CT", "Chỉ thị", 5),
]

TOPICS = [
    "công tác xây dựng Đảng",
    "công tác cán bộ",
    "công tác kiểm tra, giám sát",
    "phát triển kinh tế - xã hội",
    "chuyển đổi số",
    "công tác tổ chức, cán bộ",
    "xây dựng, chỉnh đốn Đảng và hệ thống chính trị",
    "công tác phát triển đảng viên",
    "nâng cao chất lượng sinh hoạt chi bộ",
    "củng cố tổ chức cơ sở đảng",
    "công tác dân vận",
    "bảo đảm quốc phòng, an ninh",
    "phòng, chống tham nhũng, tiêu cực",
    "cải cách hành chính",
    "đại hội đảng bộ các cấp nhiệm kỳ 2025 - 2030",
    "công tác tuyên giáo",
    "học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    "công tác quy hoạch cán bộ",
    "đánh giá, xếp loại chất lượng tổ chức đảng và đảng viên",
    "xây dựng nông thôn mới",
    "sắp xếp tổ chức bộ máy tinh gọn, hoạt động hiệu lực, hiệu quả",
    "thi hành kỷ luật đảng",
    "công tác văn thư, lưu trữ",
    "bảo vệ nền tảng tư tưởng của Đảng",
    "giảm nghèo bền vững",
    "thực hành tiết kiệm, chống lãng phí",
    "công tác bảo vệ chính trị nội bộ",
    "ứng dụng công nghệ thông tin",
    "xây dựng chính quyền số",
    "công tác giải quyết khiếu nại, tố cáo",
    "công tác tiếp công dân",
    "thực hiện quy chế dân chủ ở cơ sở",
    "giải ngân vốn đầu tư công",
    "thu ngân sách nhà nước",
    "công tác luân chuyển, điều động cán bộ",
    "công tác đào tạo, bồi dưỡng cán bộ",
    "bồi dưỡng lý luận chính trị",
    "phát triển kinh tế số",
    "an toàn, an ninh mạng",
    "bảo vệ bí mật nhà nước",
    "công tác thông tin đối ngoại",
    "đấu tranh phản bác các quan điểm sai trái, thù địch",
    "công tác nội chính và phòng, chống tham nhũng",
    "phát triển văn hóa, con người",
    "giáo dục và đào tạo",
    "chăm sóc sức khỏe nhân dân",
    "phòng, chống dịch bệnh",
    "bảo đảm an sinh xã hội",
    "công tác dân tộc, tôn giáo",
    "xây dựng khu vực phòng thủ",
    "quản lý đất đai, tài nguyên và môi trường",
    "bảo vệ môi trường",
    "phòng, chống thiên tai và tìm kiếm cứu nạn",
    "ứng phó với biến đổi khí hậu",
    "phát triển nông nghiệp công nghệ cao",
    "thu hút đầu tư",
    "phát triển du lịch",
    "phát triển hạ tầng giao thông",
    "giải phóng mặt bằng",
    "quy hoạch tỉnh thời kỳ 2021 - 2030, tầm nhìn đến năm 2050",
    "sắp xếp đơn vị hành chính cấp huyện, cấp xã",
    "tinh giản biên chế",
    "xây dựng đội ngũ cán bộ các cấp, nhất là cấp chiến lược",
    "công tác thanh niên",
    "công tác phụ nữ",
    "công tác cựu chiến binh",
    "hoạt động của Mặt trận Tổ quốc và các đoàn thể chính trị - xã hội",
    "đổi mới phương thức lãnh đạo của Đảng",
    "trách nhiệm nêu gương của cán bộ, đảng viên",
    "kiểm soát quyền lực trong công tác cán bộ",
    "công tác thu, nộp, quản lý và sử dụng đảng phí",
    "quản lý hồ sơ đảng viên",
    "cấp, phát và quản lý thẻ đảng viên",
    "kết nạp đảng viên trong học sinh, sinh viên",
    "tổ chức đảng trong doanh nghiệp ngoài khu vực nhà nước",
    "phát triển kinh tế tập thể, hợp tác xã",
    "phát triển doanh nghiệp nhỏ và vừa",
    "cải thiện môi trường đầu tư kinh doanh",
    "nâng cao chỉ số năng lực cạnh tranh cấp tỉnh",
    "phát triển khoa học, công nghệ và đổi mới sáng tạo",
    "cơ sở dữ liệu đảng viên",
    "văn bản điện tử và chữ ký số",
    "hệ thống thông tin điều hành tác nghiệp",
    "xây dựng đô thị văn minh",
    "phát triển nhà ở xã hội",
    "bảo hiểm xã hội, bảo hiểm y tế",
    "giải quyết việc làm cho người lao động",
    "chăm sóc người có công với cách mạng",
    "công tác gia đình và trẻ em",
    "phòng, chống ma túy",
    "bảo đảm trật tự, an toàn giao thông",
    "phòng cháy, chữa cháy",
    "quản lý thị trường, chống buôn lậu, gian lận thương mại",
    "công tác biên giới, biển đảo",
    "công tác đối ngoại nhân dân",
    "kỷ niệm các ngày lễ lớn của đất nước",
    "tổ chức lễ kỷ niệm 95 năm Ngày thành lập Đảng Cộng sản Việt Nam",
    "bầu cử đại biểu Quốc hội và đại biểu Hội đồng nhân dân các cấp",
    "lấy phiếu tín nhiệm đối với người giữ chức vụ",
    "tổng kết 40 năm đổi mới",
    "xây dựng văn kiện đại hội",
    "công tác nhân sự đại hội",
    "chuẩn bị và tổ chức hội nghị Ban Chấp hành Đảng bộ tỉnh",
    "chương trình làm việc toàn khóa",
    "chương trình công tác năm",
    "công tác thi đua, khen thưởng",
    "tặng Huy hiệu Đảng",
    "chính sách đối với cán bộ dôi dư",
    "chế độ, chính sách đối với cán bộ không chuyên trách cấp xã",
    "quản lý, sử dụng tài sản công",
    "công tác tài chính đảng",
    "xây dựng trụ sở làm việc",
    "phát triển điện mặt trời mái nhà",
    "phòng, chống sạt lở bờ sông, bờ biển",
    "xử lý ô nhiễm môi trường tại các làng nghề",
    "phòng, chống bệnh dịch tả lợn châu Phi",
    "phòng, chống hạn hán, xâm nhập mặn",
    "chống khai thác hải sản bất hợp pháp, không báo cáo và không theo quy định",
    "xây dựng cao tốc Bắc - Nam phía Đông",
    "phát triển vùng nguyên liệu cây sầu riêng",
    "bảo tồn và phát huy giá trị di sản văn hóa",
    "xây dựng thiết chế văn hóa cơ sở",
    "phát triển phong trào thể dục, thể thao quần chúng",
    "chăm lo đời sống đồng bào dân tộc thiểu số",
    "xóa nhà tạm, nhà dột nát",
    "công tác phổ biến, giáo dục pháp luật",
    "công tác tư pháp và cải cách tư pháp",
    "công tác thi hành án dân sự",
    "đấu tranh phòng, chống tội phạm",
    "giữ gìn an ninh chính trị, trật tự, an toàn xã hội",
    "xây dựng lực lượng dân quân tự vệ",
    "công tác tuyển chọn và gọi công dân nhập ngũ",
    "diễn tập khu vực phòng thủ",
    "giáo dục quốc phòng và an ninh",
    "công tác hậu phương quân đội",
    "xây dựng Đảng bộ Quân sự tỉnh trong sạch, vững mạnh",
    "công tác báo chí, xuất bản",
    "nắm bắt, định hướng dư luận xã hội",
    "công tác lý luận chính trị",
    "nghiên cứu, biên soạn lịch sử đảng bộ",
    "công tác khoa giáo",
    "công tác bảo vệ, chăm sóc sức khỏe cán bộ",
    "đào tạo nguồn nhân lực chất lượng cao",
    "xây dựng xã hội học tập",
    "thực hiện chương trình mục tiêu quốc gia phát triển kinh tế - xã hội vùng đồng bào dân tộc thiểu số và miền núi",
    "phát triển thương mại điện tử",
    "bảo đảm cung ứng điện",
    "thực hiện Đề án 06 về phát triển ứng dụng dữ liệu về dân cư",
]

BODIES = [  # bodies named in sentences (not the senders; see SENDERS)
    "Ban Thường vụ Tỉnh ủy",
    "Thường trực Tỉnh ủy",
    "Ban Chấp hành Đảng bộ tỉnh",
    "các cấp ủy, tổ chức đảng",
    "Ban Tổ chức Tỉnh ủy",
    "Ủy ban Kiểm tra Tỉnh ủy",
    "Văn phòng Tỉnh ủy",
    "Ban Tuyên giáo Tỉnh ủy",
    "Ban Dân vận Tỉnh ủy",
    "Ban Nội chính Tỉnh ủy",
    "Ban cán sự đảng Ủy ban nhân dân tỉnh",
    "Đảng đoàn Hội đồng nhân dân tỉnh",
    "Đảng đoàn Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh",
    "các huyện ủy, thị ủy, thành ủy, đảng ủy trực thuộc Tỉnh ủy",
    "Đảng ủy Khối các cơ quan tỉnh",
    "Đảng ủy Khối doanh nghiệp tỉnh",
    "Đảng ủy Quân sự tỉnh",
    "Đảng ủy Công an tỉnh",
    "Ủy ban nhân dân tỉnh",
    "Hội đồng nhân dân tỉnh",
    "các sở, ban, ngành, Mặt trận Tổ quốc và các đoàn thể chính trị - xã hội tỉnh",
    "Trường Chính trị tỉnh",
    "Báo Ngọc Sơn",
    "Đài Phát thanh và Truyền hình tỉnh",
    "Sở Nội vụ",
    "Sở Tài chính",
    "Sở Kế hoạch và Đầu tư",
    "Sở Thông tin và Truyền thông",
    "Sở Khoa học và Công nghệ",
    "Sở Nông nghiệp và Phát triển nông thôn",
    "Sở Tài nguyên và Môi trường",
    "Sở Giáo dục và Đào tạo",
    "Sở Y tế",
    "Sở Lao động - Thương binh và Xã hội",
    "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Giao thông vận tải",
    "Sở Xây dựng",
    "Sở Công Thương",
    "Sở Tư pháp",
    "Thanh tra tỉnh",
    "Công an tỉnh",
    "Bộ Chỉ huy Quân sự tỉnh",
    "Bộ Chỉ huy Bộ đội Biên phòng tỉnh",
    "Tòa án nhân dân tỉnh",
    "Viện Kiểm sát nhân dân tỉnh",
    "Cục Thi hành án dân sự tỉnh",
    "Tỉnh đoàn",
    "Hội Liên hiệp Phụ nữ tỉnh",
    "Hội Nông dân tỉnh",
    "Hội Cựu chiến binh tỉnh",
    "Liên đoàn Lao động tỉnh",
    "Liên minh Hợp tác xã tỉnh",
    "Ban Chỉ đạo phòng, chống tham nhũng, tiêu cực tỉnh",
    "Ban Chỉ đạo chuyển đổi số tỉnh",
    "Ban Chỉ đạo 35 Tỉnh ủy",
    "Ban Bảo vệ, chăm sóc sức khỏe cán bộ tỉnh",
    "Tiểu ban Văn kiện Đại hội",
    "Tiểu ban Nhân sự Đại hội",
    "Ban Chấp hành Trung ương",
    "Bộ Chính trị",
    "Ban Bí thư",
    "Ủy ban Kiểm tra Trung ương",
    "Ban Tổ chức Trung ương",
    "Văn phòng Trung ương Đảng",
    "Ban Tuyên giáo Trung ương",
    "Ban Dân vận Trung ương",
    "Ban Nội chính Trung ương",
    "Ban Kinh tế Trung ương",
    "Đảng ủy Khối các cơ quan Trung ương",
]

POSITIONS = [
    "Bí thư Tỉnh ủy",
    "Phó Bí thư Thường trực Tỉnh ủy",
    "Ủy viên Ban Thường vụ Tỉnh ủy",
    "Phó Bí thư Tỉnh ủy, Chủ tịch Ủy ban nhân dân tỉnh",
    "Trưởng Ban Tổ chức Tỉnh ủy",
    "Chủ nhiệm Ủy ban Kiểm tra Tỉnh ủy",
    "Chánh Văn phòng Tỉnh ủy",
    "Trưởng Ban Tuyên giáo Tỉnh ủy",
    "Trưởng Ban Dân vận Tỉnh ủy",
    "Trưởng Ban Nội chính Tỉnh ủy",
    "Phó Chủ tịch Ủy ban nhân dân tỉnh",
    "Chủ tịch Hội đồng nhân dân tỉnh",
    "Chủ tịch Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh",
    "Tỉnh ủy viên, Bí thư Huyện ủy",
    "Bí thư Thành ủy",
    "Phó Chánh Văn phòng Tỉnh ủy",
    "Phó Trưởng Ban Tổ chức Tỉnh ủy",
    "Phó Chủ nhiệm Ủy ban Kiểm tra Tỉnh ủy",
    "Giám đốc Sở Nội vụ",
    "Giám đốc Công an tỉnh",
    "Chỉ huy trưởng Bộ Chỉ huy Quân sự tỉnh",
    "Bí thư Đảng ủy xã",
    "Chủ tịch Ủy ban nhân dân xã",
    "Bí thư chi bộ",
    "Trưởng phòng Tổng hợp",
    "Trưởng phòng Hành chính - Lưu trữ",
    "Trưởng phòng Tổ chức cơ sở đảng, đảng viên",
    "chuyên viên Văn phòng Tỉnh ủy",
    "Hiệu trưởng Trường Chính trị tỉnh",
    "Tổng Biên tập Báo Ngọc Sơn",
]

ACTIONS = [
    "tổ chức triển khai thực hiện",
    "lãnh đạo, chỉ đạo",
    "quán triệt, triển khai thực hiện",
    "tăng cường",
    "đẩy mạnh",
    "nâng cao chất lượng, hiệu quả",
    "tiếp tục đổi mới",
    "rà soát, bổ sung",
    "kiểm tra, đôn đốc",
    "tổ chức sơ kết",
    "tổng kết",
    "tham mưu thực hiện",
    "chấn chỉnh",
    "kiện toàn",
    "chỉ đạo quyết liệt",
    "theo dõi, đánh giá",
    "hướng dẫn thực hiện",
    "tuyên truyền sâu rộng",
    "phối hợp thực hiện",
    "xây dựng kế hoạch",
    "tập trung chỉ đạo",
    "thực hiện nghiêm",
    "nghiên cứu, đề xuất",
    "khắc phục hạn chế, khuyết điểm trong",
    "cụ thể hóa",
    "giám sát chuyên đề",
    "kiểm tra việc thực hiện",
    "đánh giá kết quả",
    "hoàn thiện cơ chế, chính sách về",
    "bố trí nguồn lực cho",
]

RESULTS = [
    "đạt được nhiều kết quả quan trọng",
    "có chuyển biến tích cực",
    "cơ bản hoàn thành các chỉ tiêu đề ra",
    "còn một số hạn chế, khuyết điểm",
    "chưa đáp ứng yêu cầu nhiệm vụ",
    "được cấp ủy các cấp quan tâm lãnh đạo, chỉ đạo",
    "tạo sự thống nhất cao trong nhận thức và hành động",
    "đi vào chiều sâu, thực chất",
    "có mặt còn hình thức",
    "tiến độ còn chậm so với kế hoạch",
    "vượt chỉ tiêu nghị quyết đề ra",
    "góp phần quan trọng vào việc hoàn thành nhiệm vụ chính trị của địa phương",
    "được nhân dân đồng tình, ủng hộ",
    "vẫn còn tình trạng nể nang, né tránh",
    "chất lượng chưa đồng đều giữa các địa phương",
    "công tác phối hợp có lúc chưa chặt chẽ",
    "một số chỉ tiêu chưa đạt",
    "bảo đảm đúng nguyên tắc, quy trình, quy định",
    "được thực hiện công khai, dân chủ, khách quan",
    "đáp ứng yêu cầu trong tình hình mới",
]

METRICS = [
    "tốc độ tăng trưởng kinh tế (GRDP)",
    "thu ngân sách nhà nước trên địa bàn",
    "tỷ lệ tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ trở lên",
    "tỷ lệ đảng viên hoàn thành tốt nhiệm vụ trở lên",
    "số đảng viên mới được kết nạp",
    "tỷ lệ hộ nghèo theo chuẩn nghèo đa chiều",
    "thu nhập bình quân đầu người",
    "tỷ lệ xã đạt chuẩn nông thôn mới",
    "tỷ lệ hồ sơ công việc được xử lý trên môi trường mạng",
    "tỷ lệ văn bản điện tử có chữ ký số",
    "tỷ lệ giải ngân vốn đầu tư công",
    "tỷ lệ dân số tham gia bảo hiểm y tế",
    "tỷ lệ lao động qua đào tạo",
    "tỷ lệ che phủ rừng",
    "tỷ lệ thôn, tổ dân phố có chi bộ",
    "số vụ việc khiếu nại, tố cáo được giải quyết",
    "tỷ lệ trường đạt chuẩn quốc gia",
    "tổng vốn đầu tư toàn xã hội",
    "kim ngạch xuất khẩu",
    "lượng khách du lịch",
]

CONNECTIVES = [  # sentence openers
    "Thời gian qua,",
    "Bên cạnh đó,",
    "Tuy nhiên,",
    "Nhìn chung,",
    "Trong thời gian tới,",
    "Để khắc phục tình trạng trên,",
    "Trong năm,",
    "Đồng thời,",
    "Qua kiểm tra,",
    "Theo báo cáo,",
    "Từ đầu nhiệm kỳ đến nay,",
    "Thực hiện chỉ đạo của Ban Thường vụ Tỉnh ủy,",
]

# Rare things: specific projects, events and objects named once in a while.
SPECIFICS = [
    "dự án hồ chứa nước Suối Cát",
    "tuyến đường ven biển",
    "khu công nghiệp Tân Phước",
    "cầu Bến Đình",
    "cụm công nghiệp Phú Thạnh",
    "cảng cá Mỹ Hiệp",
    "bệnh viện đa khoa tỉnh",
    "trung tâm hành chính công",
    "khu di tích lịch sử Đồi Mây",
    "lễ hội Nghinh Ông",
    "cơn bão số 3",
    "đợt mưa lũ cuối năm",
    "dịch sốt xuất huyết",
    "hội chợ thương mại",
    "giải việt dã truyền thống",
    "đề án sáp nhập thôn, tổ dân phố",
    "kho lưu trữ chuyên dụng",
    "phần mềm quản lý văn bản",
    "nền tảng họp trực tuyến",
    "hệ thống camera giám sát",
    "trạm bơm Cầu Ngang",
    "nhà máy xử lý rác thải",
    "khu tái định cư Hòa Lợi",
    "chợ đầu mối nông sản",
    "vùng trồng thanh long",
    "mô hình nuôi tôm công nghệ cao",
    "trang trại điện gió",
    "đê biển Tây",
    "quỹ vì người nghèo",
    "mái ấm công đoàn",
    "sân vận động tỉnh",
    "thư viện tỉnh",
    "bảo tàng tỉnh",
    "nghĩa trang liệt sĩ tỉnh",
    "tượng đài Bác Hồ",
    "di chỉ khảo cổ Gò Tháp",
    "làng nghề đan lát",
    "hợp tác xã dừa sáp",
    "sản phẩm OCOP",
    "tuyến xe buýt liên huyện",
]

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
          "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Trương", "Lâm", "Mai", "Tạ", "Cao", "Châu", "Quách"]
MIDDLE = ["Văn", "Thị", "Minh", "Hữu", "Đức", "Quang", "Thanh", "Ngọc", "Xuân", "Hoàng", "Công", "Đình",
          "Anh", "Thu", "Kim", "Bảo", "Trọng", "Thế", "Tuấn", "Hồng"]
GIVEN = ["Hùng", "Dũng", "Hà", "Lan", "Hương", "Minh", "Tuấn", "Nam", "Hải", "Sơn", "Long", "Thắng",
         "Phương", "Hạnh", "Trang", "Thảo", "Quân", "Khoa", "Bình", "Cường", "Đạt", "Hiếu", "Hòa", "Huy",
         "Khánh", "Linh", "Lộc", "Mai", "Nga", "Nhung", "Phúc", "Quang", "Tâm", "Thành", "Thủy", "Toàn",
         "Trung", "Tú", "Vân", "Việt", "Vinh", "Yến", "Chiến", "Dương", "Giang", "Hoa", "Kiên", "Lực",
         "Ngân", "Oanh", "Sang", "Tín", "Uyên", "Xuyến", "Khuê", "Thoa", "Nghĩa", "Phụng", "Luận", "Tường"]

PLACE_SYLLABLES = ["An", "Bình", "Hòa", "Phú", "Tân", "Thạnh", "Long", "Mỹ", "Đông", "Tây", "Hưng",
                   "Thịnh", "Lộc", "Phước", "Thuận", "Xuân", "Hải", "Sơn", "Lâm", "Quang", "Trung", "Đức",
                   "Vĩnh", "Hiệp", "Thành", "Lợi", "Nghĩa", "Tiến", "Khánh", "Điền", "Hội", "Cát"]

DISTRICT_NAMES = ["Tân Hòa", "Phú Lộc", "Mỹ Xuyên", "Long Điền", "Bình Sơn", "Hòa Vang", "Đông Hưng",
                  "Vĩnh Thạnh", "Thuận An", "Xuân Lộc", "Hải Lăng", "Quang Trung", "Đức Phổ", "Tiên Phước",
                  "Hiệp Đức", "Cát Tiên", "Lâm Hà", "Phước Sơn", "Tây Sơn", "An Nhơn", "Ngọc Sơn"]

TERMS = ["2020 - 2025", "2025 - 2030", "2015 - 2020"]
PERIODS = ["6 tháng đầu năm", "quý I", "quý II", "quý III", "9 tháng", "năm", "tháng 12", "tháng 6"]
STATUSES = ["registered", "routed", "done", "issued", "draft"]


# ---------------------------------------------------------------------------------------------------------
# Sentences
# ---------------------------------------------------------------------------------------------------------

TEMPLATES = [
    "Thực hiện {doc} của {body} về {topic}, {body2} {action} {topic2} trên địa bàn.",
    "Căn cứ Điều lệ Đảng; căn cứ Quy chế làm việc của {body} khóa XV, nhiệm kỳ {term};",
    "Các cấp ủy, tổ chức đảng tập trung lãnh đạo, chỉ đạo {topic}, gắn với {topic2}.",
    "{conn} {body} đã {action} {topic}, {result}.",
    "Kết quả kiểm tra cho thấy {body} cơ bản thực hiện tốt {topic}; tuy nhiên {result}.",
    "Giao {body} chủ trì, phối hợp với {body2} tham mưu {body3} {action} {topic}, báo cáo kết quả trước ngày {date}.",
    "{body} yêu cầu các cơ quan, đơn vị nghiêm túc {action} {topic}, kịp thời báo cáo những khó khăn, vướng mắc.",
    "{metric} đạt {pct}%, tăng {pct2}% so với cùng kỳ năm trước.",
    "{metric} ước đạt {num} tỷ đồng, bằng {pct}% dự toán.",
    "Toàn Đảng bộ hiện có {num} tổ chức cơ sở đảng với {num2} đảng viên; trong năm kết nạp {num3} đảng viên mới.",
    "{conn} việc {topic} {result}, nhất là ở cơ sở.",
    "Đề nghị {body} quan tâm chỉ đạo {topic}; bố trí kinh phí bảo đảm thực hiện.",
    "Ban Thường vụ Tỉnh ủy thống nhất chủ trương {action} {topic} và giao {body} cụ thể hóa thành chương trình, kế hoạch.",
    "Người đứng đầu cấp ủy, chính quyền các cấp chịu trách nhiệm trước Ban Thường vụ Tỉnh ủy về {topic}.",
    "Tiếp tục quán triệt sâu sắc các nghị quyết, chỉ thị, kết luận của Trung ương và của Tỉnh ủy về {topic}.",
    "Phát huy vai trò của Mặt trận Tổ quốc và các đoàn thể chính trị - xã hội trong {topic}.",
    "Tăng cường công tác kiểm tra, giám sát việc thực hiện {topic}; xử lý nghiêm các tổ chức, cá nhân vi phạm.",
    "Chú trọng {topic}, gắn với {topic2} và {topic3}.",
    "Cán bộ, đảng viên phải gương mẫu, đi đầu trong {topic}.",
    "{conn} {body} đã ban hành {num} văn bản lãnh đạo, chỉ đạo về {topic}.",
    "Đoàn kiểm tra của {body} đã làm việc với {body2} về {topic} và {topic2}.",
    "Ủy ban Kiểm tra các cấp đã kiểm tra {num} tổ chức đảng và {num2} đảng viên khi có dấu hiệu vi phạm; thi hành kỷ luật {num3} đảng viên.",
    "Hội nghị đã thảo luận, cho ý kiến vào dự thảo {doctype} về {topic}.",
    "Văn phòng Tỉnh ủy theo dõi, đôn đốc, tổng hợp kết quả thực hiện, báo cáo Thường trực Tỉnh ủy.",
    "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, các cơ quan, đơn vị phản ánh về {body} để tổng hợp, báo cáo.",
    "Đẩy mạnh {topic}; phấn đấu đến năm 2030 {metric} đạt trên {pct}%.",
    "Tổ chức học tập, quán triệt {doc} cho {pct}% cán bộ, đảng viên.",
    "Ban Thường vụ Tỉnh ủy đánh giá cao {body} trong {topic}.",
    "Tình hình {topic} {result}; một số nơi còn chậm, lúng túng trong tổ chức thực hiện.",
    "Cấp ủy các cấp cần chủ động nắm tình hình, dự báo sát, kịp thời có giải pháp về {topic}.",
    "Nghiên cứu, đề xuất sửa đổi, bổ sung quy định về {topic} cho phù hợp với tình hình thực tế.",
    "{body} xây dựng kế hoạch {action} {topic} năm {year}, trình Ban Thường vụ Tỉnh ủy xem xét.",
    "Việc ứng dụng công nghệ thông tin, chuyển đổi số trong hoạt động của các cơ quan đảng {result}.",
    "Đồng chí {person}, {position}, phát biểu chỉ đạo hội nghị.",
    "Tham dự hội nghị có đồng chí {person}, {position}; đại diện lãnh đạo {body}.",
    "{body} có trách nhiệm hướng dẫn, kiểm tra, đôn đốc việc thực hiện {doc}.",
    "Văn bản này thay thế {doc} và có hiệu lực kể từ ngày ký.",
    "Nơi nhận: {body}, {body2}, các đồng chí Tỉnh ủy viên, lưu Văn phòng Tỉnh ủy.",
    "{conn} tình hình an ninh chính trị, trật tự, an toàn xã hội trên địa bàn ổn định; {result}.",
    "Kinh tế của tỉnh tiếp tục phát triển; {metric} đạt {pct}%, {result}.",
    "Cần tiếp tục {action} {topic}, nhất là {topic2}.",
    "Giao Đảng ủy các xã, thị trấn {action} {topic} tại cơ sở.",
    "Các chi bộ thực hiện nghiêm nguyên tắc tập trung dân chủ, tự phê bình và phê bình, đoàn kết thống nhất trong Đảng.",
    "Kịp thời biểu dương, khen thưởng các tập thể, cá nhân có thành tích xuất sắc trong {topic}.",
    "Về {specific}: {body} {action} bảo đảm tiến độ, chất lượng.",
]

# Rare names: storms and highland villages (their syllables are the rare words of the corpus).
STORMS = ["Yagi", "Noru", "Damrey", "Molave", "Xangsane", "Ketsana", "Lekima", "Wutip", "Usagi", "Haiyan",
          "Rammasun", "Kalmaegi", "Mangkhut", "Vamco", "Conson", "Talas", "Doksuri", "Nalgae", "Sonca",
          "Saola", "Podul", "Chanchu", "Durian", "Linda", "Kajiki"]
VILLAGES = ["Kon Rơ Wang", "Đắk Pxi", "Nậm Pồ", "Pa Cheo", "Huổi Só", "Kon Klor", "Plei Kần", "Tà Xùa",
            "Mò Ó", "Ia Grai", "Krông Nô", "Bu Prăng", "Tà Lùng", "Nà Hẩu", "Pác Nặm", "Khuổi Khon",
            "Lũng Cú", "Sủng Là", "Mường Nhé", "Chiềng Khương", "Xín Mần", "Phìn Hồ", "Hồ Thầu", "Y Tý",
            "A Lưới", "Tr'hy", "Đắk Glei", "Ngok Tem", "Măng Bút", "Xốp Nghét", "Mường Lống", "Tây Giang",
            "Ka Đơn", "Bơ Ngao", "Ea Súp", "Cư Mgar", "Lắk Thiện", "Buôn Đôn", "Ea Kiết", "Krông Bông"]

OWN_TEMPLATES = [  # the sentence of each document's own: names, places, figures
    "Ủy ban nhân dân xã {commune} báo cáo thiệt hại do bão {storm} gây ra tại thôn {village}: {num} nhà bị tốc mái.",
    "Ngày {day}/{month}/{year}, tại {district}, đồng chí {person}, {position}, đã làm việc với Đảng ủy xã {commune} về {specific}.",
    "Đồng chí {person} ({position}) báo cáo tình hình {specific} tại xã {commune}, huyện {district}; số liệu đến ngày {day}/{month}/{year}: {num} trường hợp.",
    "Đảng ủy xã {commune}, huyện {district} đề nghị hỗ trợ {num} triệu đồng cho {specific}.",
    "Đoàn công tác do đồng chí {person}, {position}, làm trưởng đoàn đã khảo sát {specific} ở thị trấn {commune} ngày {day}/{month}/{year}.",
]


class Doc(NamedTuple):
    number: int  # 0-based index in the corpus
    org: int  # 0-based organisation index (0 holds 30%)
    doc_type: str  # "NQ", "QĐ", ...
    reference: str  # "12-NQ/TU"
    date: datetime.date
    secrecy: int  # 0..3
    readers: tuple[str, ...]  # reader tokens: ("u17", "n3")
    sender: str
    status: str
    title: str
    title_folded: str
    body: str
    body_folded: str
    attachment: str = ""  # the text of an attached file (Corpus(attachments=share)), "" if none
    attachment_folded: str = ""


def _zipf_cum(n: int, s: float = 1.0) -> list[float]:
    return list(itertools.accumulate(1.0 / (k + 1) ** s for k in range(n)))


class _Picker:
    """Zipf-weighted choice of (text, folded) pairs."""

    def __init__(self, items: list[str], s: float = 1.0) -> None:
        self.items = [(item, fold(item)) for item in items]
        self.cum = _zipf_cum(len(items), s)

    def pick(self, rng: random.Random) -> tuple[str, str]:
        return self.items[bisect.bisect(self.cum, rng.random() * self.cum[-1])]


def _senders() -> list[tuple[str, str]]:
    """~200 senders with their symbol (the part after the slash)."""
    senders = [
        ("Tỉnh ủy Ngọc Sơn", "TU"),
        ("Văn phòng Tỉnh ủy", "VPTU"),
        ("Ban Tổ chức Tỉnh ủy", "BTCTU"),
        ("Ủy ban Kiểm tra Tỉnh ủy", "UBKTTU"),
        ("Ban Tuyên giáo Tỉnh ủy", "BTGTU"),
        ("Ban Dân vận Tỉnh ủy", "BDVTU"),
        ("Ban Nội chính Tỉnh ủy", "BNCTU"),
        ("Ban Chấp hành Trung ương", "TW"),
        ("Bộ Chính trị", "TW"),
        ("Ban Bí thư", "TW"),
        ("Văn phòng Trung ương Đảng", "VPTW"),
        ("Ban Tổ chức Trung ương", "BTCTW"),
        ("Ủy ban Kiểm tra Trung ương", "UBKTTW"),
        ("Ban Tuyên giáo Trung ương", "BTGTW"),
        ("Ban Dân vận Trung ương", "BDVTW"),
        ("Ban Nội chính Trung ương", "BNCTW"),
        ("Đảng ủy Khối các cơ quan tỉnh", "ĐUK"),
        ("Đảng ủy Khối doanh nghiệp tỉnh", "ĐUDN"),
        ("Đảng ủy Quân sự tỉnh", "ĐUQS"),
        ("Đảng ủy Công an tỉnh", "ĐUCA"),
        ("Ban cán sự đảng Ủy ban nhân dân tỉnh", "BCSĐ"),
        ("Đảng đoàn Hội đồng nhân dân tỉnh", "ĐĐ"),
        ("Đảng đoàn Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "ĐĐMTTQ"),
        ("Ủy ban nhân dân tỉnh", "UBND"),
        ("Trường Chính trị tỉnh", "TCT"),
    ]
    senders += [(f"Đảng ủy {body}", "ĐU") for body in BODIES[24:52]]
    for district in DISTRICT_NAMES:
        senders.append((f"Huyện ủy {district}", "HU"))
        senders.append((f"Ủy ban Kiểm tra Huyện ủy {district}", "UBKTHU"))
        senders.append((f"Ban Tổ chức Huyện ủy {district}", "BTCHU"))
    for a, b in itertools.islice(itertools.permutations(PLACE_SYLLABLES, 2), 0, 400, 4):
        senders.append((f"Đảng ủy xã {a} {b}", "ĐU"))
        if len(senders) >= 200:
            break
    return senders[:200]


SENDERS = _senders()


def _table(cum: list[float], bits: int = 16) -> list[int]:
    """Inverse CDF lookup: a 16-bit random value -> an index drawn with the weights of `cum`."""
    size = 1 << bits
    total = cum[-1]
    return [bisect.bisect(cum, (v + 0.5) / size * total) for v in range(size)]


def _fast_folder() -> dict[int, str]:
    """Translation table folding every Latin letter up to U+1EFF the way fold() does."""
    table = {}
    for code in range(0x20, 0x1F00):
        char = chr(code)
        if unicodedata.category(char).startswith("M"):
            continue
        folded = fold(char)
        if folded != char:
            table[code] = folded
    return table


_FOLD_TABLE = _fast_folder()


def fast_fold(text: str) -> str:
    """fold() by table for NFC text of Latin letters; falls back to fold() for anything else."""
    text = unicodedata.normalize("NFC", text)
    folded = text.translate(_FOLD_TABLE)
    if not folded.isascii() and any(
        ord(ch) >= 0x1F00 or unicodedata.category(ch).startswith("M") for ch in folded if ord(ch) > 0x7F
    ):
        return fold(text)
    return folded


class Corpus:
    """generate(n) yields batches of Doc; the same (seed, n) always gives the same documents."""

    DRAWS = 18  # 16-bit random values per document

    def __init__(
        self, seed: int = 20261129, pool_per_topic: int = 150, general_pool: int = 30_000, own_pool: int = 200_000,
        attachments: float = 0.0,
    ) -> None:
        rng = random.Random(seed)
        self.seed = seed
        # Share of documents with an attached file's text: 3 to 120 pages (30 to 1,200 sentences of the
        # general pool, log-uniform), as a scanned report or plan read by OCR. Drawn apart from the other
        # draws, so the documents are otherwise those of the corpus without attachments.
        self.attachments = attachments
        self.topics = _Picker(TOPICS, 0.9)
        self.bodies = _Picker(BODIES)
        self.positions = _Picker(POSITIONS)
        self.actions = _Picker(ACTIONS)
        self.results = _Picker(RESULTS)
        self.metrics = _Picker(METRICS)
        self.connectives = _Picker(CONNECTIVES, 0.5)
        self.specifics = _Picker(SPECIFICS, 0.7)
        self.templates = _zipf_cum(len(TEMPLATES), 0.6)
        self.types = [(code, name, fold(name), fold(code)) for code, name, _w in TYPES]
        self.senders = [(name, fold(name), symbol, fold(symbol)) for name, symbol in SENDERS]
        self.periods = [(x, fold(x)) for x in PERIODS]
        first = datetime.date(2016, 1, 1).toordinal()
        last = datetime.date(2025, 12, 31).toordinal()
        self.dates = [datetime.date.fromordinal(first + k) for k in range(last - first + 1)]
        self.communes = [f"{a} {b}" for a, b in itertools.permutations(PLACE_SYLLABLES, 2)]
        self.people = _zipf_cum(len(FAMILY), 0.9), _zipf_cum(len(GIVEN), 0.6)
        self.storm_cum, self.village_cum = _zipf_cum(len(STORMS), 2.0), _zipf_cum(len(VILLAGES), 2.0)
        # Lookup tables for the per-document draws.
        self.topic_table = _table(self.topics.cum)
        self.type_table = _table(list(itertools.accumulate(w for _c, _n, w in TYPES)))
        self.sender_table = _table(_zipf_cum(len(SENDERS), 0.8))
        harmonic = sum(1 / k for k in range(1, 130))
        self.org_table = _table(list(itertools.accumulate([3 / 7 * harmonic, *(1 / k for k in range(1, 130))])))
        self.secrecy_table = [0 if v < 0.95 * 65536 else 1 if v < 0.985 * 65536 else 2 if v < 0.997 * 65536 else 3
                              for v in range(65536)]
        self.readers_pool = [
            tuple(
                f"u{int(1 / (rng.random() * 0.98 + 0.02))}" if rng.random() < 0.6
                else f"n{int(1 / (rng.random() * 0.95 + 0.05))}"
                for _ in range(1 + int(rng.random() * 4))
            )
            for _ in range(65536)
        ]
        # Sentence pools: for each topic, sentences about it; a general pool; sentences of one's own.
        # Documents take runs of consecutive pool sentences (one slice is cheaper than many picks); the
        # pools wrap around so that a run never falls off the end.
        self.pool_per_topic, self.n_general = pool_per_topic, general_pool
        topic_pools = [[self._sentence(rng, index) for _ in range(pool_per_topic)] for index in range(len(TOPICS))]
        general = [self._sentence(rng, None) for _ in range(general_pool)]
        self.topic_raw = [[t for t, _f in pool + pool[:8]] for pool in topic_pools]
        self.topic_folded = [[f for _t, f in pool + pool[:8]] for pool in topic_pools]
        self.general_raw = [t for t, _f in general + general[:32]]
        self.general_folded = [f for _t, f in general + general[:32]]
        self.own_pool = [self._own(rng, k) for k in range(own_pool)]

    # -- sentences -------------------------------------------------------------------------------------
    def _person(self, rng: random.Random) -> str:
        family_cum, given_cum = self.people
        family = FAMILY[bisect.bisect(family_cum, rng.random() * family_cum[-1])]
        given = GIVEN[bisect.bisect(given_cum, rng.random() * given_cum[-1])]
        return f"{family} {rng.choice(MIDDLE)} {given}"

    def _doc_ref(self, rng: random.Random) -> str:
        code, name, _f, _cf = self.types[self.type_table[rng.getrandbits(16)]]
        symbol = self.senders[self.sender_table[rng.getrandbits(16)]][2]
        number = rng.randint(1, 60 if code in ("NQ", "CT", "KL") else 900)
        return f"{name} số {number}-{code}/{symbol}, ngày {rng.randint(1, 28)}/{rng.randint(1, 12)}/{rng.randint(2015, 2025)}"

    def _own(self, rng: random.Random, k: int) -> tuple[str, str]:
        text = OWN_TEMPLATES[k % len(OWN_TEMPLATES)].format(
            day=rng.randint(1, 28),
            month=rng.randint(1, 12),
            year=rng.randint(2016, 2025),
            district=rng.choice(DISTRICT_NAMES),
            commune=self.communes[int(rng.random() * rng.random() * len(self.communes))],
            person=self._person(rng),
            position=POSITIONS[int(rng.random() * rng.random() * len(POSITIONS))],
            specific=SPECIFICS[int(rng.random() * rng.random() * len(SPECIFICS))],
            num=rng.randint(1, 2000),
            storm=STORMS[bisect.bisect(self.storm_cum, rng.random() * self.storm_cum[-1])],
            village=VILLAGES[bisect.bisect(self.village_cum, rng.random() * self.village_cum[-1])],
        )
        return text, fast_fold(text)

    def _sentence(self, rng: random.Random, topic: int | None) -> tuple[str, str]:
        template = TEMPLATES[bisect.bisect(self.templates, rng.random() * self.templates[-1])]
        topic_text = TOPICS[topic] if topic is not None else self.topics.pick(rng)[0]
        text = template.format(
            doc=self._doc_ref(rng),
            doctype=rng.choice(["nghị quyết", "chỉ thị", "kết luận", "quy định", "đề án", "báo cáo chính trị"]),
            body=self.bodies.pick(rng)[0],
            body2=self.bodies.pick(rng)[0],
            body3=self.bodies.pick(rng)[0],
            topic=topic_text,
            topic2=self.topics.pick(rng)[0],
            topic3=self.topics.pick(rng)[0],
            action=self.actions.pick(rng)[0],
            result=self.results.pick(rng)[0],
            metric=self.metrics.pick(rng)[0],
            conn=self.connectives.pick(rng)[0],
            specific=self.specifics.pick(rng)[0],
            person=self._person(rng),
            position=self.positions.pick(rng)[0],
            term=rng.choice(TERMS),
            date=f"{rng.randint(1, 28)}/{rng.randint(1, 12)}/{rng.randint(2016, 2025)}",
            year=rng.randint(2016, 2025),
            pct=rng.randint(50, 99),
            pct2=rng.randint(1, 20),
            num=rng.randint(2, 5000),
            num2=rng.randint(100, 90000),
            num3=rng.randint(1, 900),
        )
        text = text[0].upper() + text[1:]
        return text, fast_fold(text)

    # -- documents -------------------------------------------------------------------------------------
    def generate(self, n: int, batch: int = 10_000, start: int = 0) -> Iterator[list[Doc]]:
        for first in range(start, n, batch):
            yield self._batch(first, min(batch, n - first), n)

    def _batch(self, start: int, count: int, n: int) -> list[Doc]:
        rng = random.Random(self.seed * 1_000_003 + start)
        draws = self.DRAWS
        r = memoryview(rng.randbytes(count * draws * 2)).cast("H").tolist()
        span = len(self.dates) - 1
        dates = self.dates
        topic_table, type_table, sender_table, org_table = (
            self.topic_table, self.type_table, self.sender_table, self.org_table)
        secrecy_table, readers_pool = self.secrecy_table, self.readers_pool
        topics, types, senders, actions, periods = (
            self.topics.items, self.types, self.senders, self.actions.items, self.periods)
        topic_raw, topic_folded_pool, n_topic_pool = self.topic_raw, self.topic_folded, self.pool_per_topic
        general_raw, general_folded, n_general = self.general_raw, self.general_folded, self.n_general
        own_pool = self.own_pool
        n_own, n_periods = len(own_pool), len(periods)
        statuses = STATUSES
        join = " ".join
        attach = random.Random(self.seed * 7_000_003 + start) if self.attachments else None
        docs = []
        for k in range(count):
            b = k * draws
            number = start + k
            topic = topic_table[r[b]]
            code, type_name, type_folded, code_folded = types[type_table[r[b + 1]]]
            sender, sender_folded, symbol, symbol_folded = senders[sender_table[r[b + 2]]]
            day = int(number / n * span + (r[b + 3] - 32768) * 0.0006)
            date = dates[0 if day < 0 else span if day > span else day]
            year = date.year
            serial = r[b + 4] % (60 if code in ("NQ", "CT", "KL") else 900) + 1
            topic_text, topic_folded = topics[topic]
            action, action_folded = actions[r[b + 5] % 12]
            shape = r[b + 6] & 3
            if shape == 0:
                tail, tail_folded = f" năm {year}", f" nam {year}"
            elif shape == 1:
                tail, tail_folded = " trên địa bàn tỉnh", " tren dia ban tinh"
            elif shape == 2 and code == "BC":
                period, period_folded = periods[(r[b + 6] >> 2) % n_periods]
                tail, tail_folded = f" {period} {year}", f" {period_folded} {year}"
            else:
                tail = tail_folded = ""
            if r[b + 7] & 1:  # incoming: the sender is part of the title
                title = f"{serial}-{code}/{symbol} · {sender} · {type_name} về việc {action} {topic_text}{tail}"
                title_folded = (f"{serial}-{code_folded}/{symbol_folded} · {sender_folded} · {type_folded} ve viec "
                                f"{action_folded} {topic_folded}{tail_folded}")
            else:
                title = f"{serial}-{code}/{symbol} · {type_name} về việc {action} {topic_text}{tail}"
                title_folded = (f"{serial}-{code_folded}/{symbol_folded} · {type_folded} ve viec "
                                f"{action_folded} {topic_folded}{tail_folded}")
            # Body: a run of sentences about the topic, one of its own, a run of general sentences.
            v = r[b + 8]
            about = 1 + (v & 3)
            more = 2 + (v >> 2) % 4 + ((v >> 4) % 8) * ((v >> 7) & 1)
            o1 = r[b + 9] % n_topic_pool
            o2 = r[b + 10] * n_general >> 16
            own, own_folded = own_pool[(r[b + 11] << 16 | r[b + 12]) % n_own]
            pool_raw, pool_folded = topic_raw[topic], topic_folded_pool[topic]
            attachment = attachment_folded = ""
            if attach is not None and attach.random() < self.attachments:
                sentences = int(30 * 40 ** attach.random())
                starts = [attach.randrange(n_general) for _ in range(-(-sentences // 32))]
                attachment = join(join(general_raw[o:o + 32]) for o in starts)
                attachment_folded = join(join(general_folded[o:o + 32]) for o in starts)
            docs.append(
                Doc(number, org_table[r[b + 13]], code, f"{serial}-{code}/{symbol}", date,
                    secrecy_table[r[b + 14]], readers_pool[r[b + 15]], sender,
                    statuses[(r[b + 16] % 5) * (r[b + 17] % 5) // 4], title, title_folded,
                    f"{join(pool_raw[o1:o1 + about])} {own} {join(general_raw[o2:o2 + more])}",
                    f"{join(pool_folded[o1:o1 + about])} {own_folded} {join(general_folded[o2:o2 + more])}",
                    attachment, attachment_folded)
            )
        return docs


if __name__ == "__main__":  # a sample and the generation rate
    import collections
    import re
    import time

    t0 = time.perf_counter()
    corpus = Corpus()
    t1 = time.perf_counter()
    total = 0
    words: collections.Counter[str] = collections.Counter()
    lengths = []
    for docs in corpus.generate(100_000):
        total += len(docs)
    t2 = time.perf_counter()
    sample = next(corpus.generate(20_000))
    for doc in sample:
        tokens = re.findall(r"[^\W_]+", doc.title_folded + " " + doc.body_folded)
        words.update(set(tokens))
        lengths.append((len(doc.title.split()), len(doc.body.split())))
    print(f"pools {t1 - t0:.1f} s; {total / (t2 - t1):,.0f} docs/s")
    print("title words", sorted(t for t, _b in lengths)[len(lengths) // 2], "body words p5/p50/p95",
          [sorted(b for _t, b in lengths)[int(len(lengths) * q)] for q in (0.05, 0.5, 0.95)])
    for word, count in words.most_common(40):
        print(f"{word}:{count / len(sample):.0%}", end=" ")
    print()
    print(sample[7].title)
    print(sample[7].body[:1200])
