"""Chinese header names, with the variants people and the 党员管理信息系统 use, mapped to fields."""

HEADERS = {
    "name": ["姓名"],
    "gender": ["性别"],
    "ethnicity": ["民族"],
    "birth_date": ["出生年月", "出生日期", "出生年月日"],
    "joined_on": ["入党时间", "入党日期", "入党年月"],
    "id_number": ["身份证号", "公民身份号码", "身份证号码", "身份证"],
    "phone": ["联系电话", "手机号码", "手机", "手机号", "电话"],
    "branch": ["所在党支部", "所在党组织", "党支部", "党组织", "所在支部"],
    "membership_type": ["人员类别", "党员类型", "党员类别"],
    "occupation": ["职业", "职业代码"],
    "workplace": ["工作单位", "工作单位及职务", "学习单位"],
    "residence": ["居住地", "现居住地", "家庭住址", "现住址"],
    "wechat": ["微信号", "微信"],
    "last_contact_on": ["最近联系日期", "最近一次参加组织生活日期"],
}
REQUIRED = ["name", "gender", "birth_date", "joined_on", "id_number"]
LABELS = {field: names[0] for field, names in HEADERS.items()}


def normalize_header(text):
    return "".join(str(text or "").split()).replace("（", "(").replace("）", ")").strip("*")


def map_headers(header_cells):
    """{column index: field} for the header row; unknown columns are ignored."""
    lookup = {normalize_header(name): field for field, names in HEADERS.items() for name in names}
    mapping = {}
    for index, cell in enumerate(header_cells):
        field = lookup.get(normalize_header(cell))
        if field and field not in mapping.values():
            mapping[index] = field
    return mapping


def looks_like_header(cells):
    fields = set(map_headers(cells).values())
    return "name" in fields and "id_number" in fields
