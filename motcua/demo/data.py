"""What the demo installation contains: one whole province, its departments, two
fully staffed communes and one account per role.

The identifier codes below have the official form (Decision 20/2020/QĐ-TTg) but are
demonstration values, not the codes the real agencies were issued.
"""

from __future__ import annotations

from dataclasses import dataclass

DEMO_PASSWORD = "motcua-demo-2026"  # noqa: S105 - printed in the README; created only when DEBUG is on

#: Phú Thọ: after the 2025 reorganisation it merged Vĩnh Phúc and Hòa Bình.
PROVINCE_CODE = "25"
PROVINCE_IDENTIFIER = "000.00.00.H25"

#: Provincial departments (sở) and vertically-organised agencies after the 2025
#: reorganisation (Decree 150/2025/NĐ-CP on the specialised bodies of provincial and
#: commune People's Committees).
PROVINCE_DEPARTMENTS: tuple[tuple[str, str, str], ...] = (
    # (name, short name, kind)
    ("Văn phòng Ủy ban nhân dân tỉnh Phú Thọ", "VP UBND tỉnh", "department"),
    ("Sở Nội vụ tỉnh Phú Thọ", "Sở Nội vụ", "department"),
    ("Sở Tư pháp tỉnh Phú Thọ", "Sở Tư pháp", "department"),
    ("Sở Tài chính tỉnh Phú Thọ", "Sở Tài chính", "department"),
    ("Sở Công Thương tỉnh Phú Thọ", "Sở Công Thương", "department"),
    ("Sở Nông nghiệp và Môi trường tỉnh Phú Thọ", "Sở NN&MT", "department"),
    ("Sở Xây dựng tỉnh Phú Thọ", "Sở Xây dựng", "department"),
    ("Sở Khoa học và Công nghệ tỉnh Phú Thọ", "Sở KH&CN", "department"),
    ("Sở Giáo dục và Đào tạo tỉnh Phú Thọ", "Sở GD&ĐT", "department"),
    ("Sở Y tế tỉnh Phú Thọ", "Sở Y tế", "department"),
    ("Sở Văn hóa, Thể thao và Du lịch tỉnh Phú Thọ", "Sở VHTT&DL", "department"),
    ("Sở Dân tộc và Tôn giáo tỉnh Phú Thọ", "Sở DT&TG", "department"),
    ("Thanh tra tỉnh Phú Thọ", "Thanh tra tỉnh", "department"),
    ("Công an tỉnh Phú Thọ", "Công an tỉnh", "vertical_unit"),
    ("Thuế tỉnh Phú Thọ", "Thuế tỉnh", "vertical_unit"),
    ("Bảo hiểm xã hội tỉnh Phú Thọ", "BHXH tỉnh", "vertical_unit"),
)

#: Communes staffed in the demo (administrative-division codes) with their identifier codes.
STAFFED_COMMUNES: tuple[tuple[str, str], ...] = (
    ("07900", "000.01.25.H25"),  # Phường Việt Trì
    ("08515", "000.02.25.H25"),  # Xã Hy Cương
)

#: A commune's own departments after the 2025 reorganisation (same decree).
COMMUNE_DEPARTMENTS: tuple[str, ...] = (
    "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân",
    "Phòng Kinh tế",
    "Phòng Văn hóa - Xã hội",
)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    role: str  # a StaffRoleName value, or "citizen"
    workplace: str  # "province", "province:<department short name>", "commune", "commune:<department>", "centre"
    email: str


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("admin", "Quản trị hệ thống", "system_admin", "province", "admin@demo.motcua.invalid"),
    DemoAccount("tiepnhan", "Nguyễn Thị Lan", "receiving_officer", "centre", "tiepnhan@demo.motcua.invalid"),
    DemoAccount(
        "chuyenvien",
        "Trần Văn Minh",
        "specialist",
        "commune:Văn phòng Hội đồng nhân dân và Ủy ban nhân dân",
        "chuyenvien@demo.motcua.invalid",
    ),
    DemoAccount(
        "truongphong",
        "Lê Thị Hoa",
        "department_head",
        "commune:Văn phòng Hội đồng nhân dân và Ủy ban nhân dân",
        "truongphong@demo.motcua.invalid",
    ),
    DemoAccount("lanhdao", "Phạm Quốc Hùng", "agency_leader", "commune", "lanhdao@demo.motcua.invalid"),
    DemoAccount("quantri", "Hoàng Văn Nam", "agency_admin", "commune", "quantri@demo.motcua.invalid"),
    DemoAccount("thanhtra", "Đỗ Thị Mai", "inspector", "province:Sở Nội vụ", "thanhtra@demo.motcua.invalid"),
    DemoAccount("congdan", "Vũ Minh Anh", "citizen", "", "congdan@demo.motcua.invalid"),
)

#: The demo citizen: a made-up number of the right shape (born 1990 in Phú Thọ, male).
CITIZEN_PERSONAL_ID = "025090123456"
CITIZEN_BORN = (1990, 5, 12)
CITIZEN_PHONE = "0912345678"
