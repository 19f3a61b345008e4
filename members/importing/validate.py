"""Row checks before anything is written: every problem becomes (row, column, value, reason) in Chinese."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError

from lianxin import dates
from lianxin.validators import FORMULA_START_TEXT, normalize_phone, validate_no_formula_start
from members import idcard
from members.importing.columns import LABELS
from members.importing.dates import DateError, parse_date
from members.models import Gender, Member, MembershipType, Occupation

CIRCLED = "①②③④⑤⑥⑦⑧⑨"
COMPARED = [
    "name",
    "gender",
    "ethnicity",
    "birth_date",
    "joined_on",
    "phone",
    "membership_type",
    "occupation",
    "workplace",
    "residence",
    "wechat",
    "organization_id",
]


@dataclass
class RowError:
    row: int
    column: str
    value: str
    reason: str


# Control characters never belong in a 花名册 cell (and NUL breaks PostgreSQL text).
CONTROL = dict.fromkeys(range(32))


# Free-text columns and their limits: the model's, so the importer refuses what the forms refuse.
TEXT_FIELDS = {
    f: Member._meta.get_field(f).max_length for f in ("ethnicity", "wechat", "workplace", "residence")
}
NAME_LIMIT = Member._meta.get_field("name").max_length


def _text(value, limit=None):
    return "" if value is None else str(value).translate(CONTROL).strip()[:limit]


def _gender(value):
    text = _text(value)
    if text in (Gender.MALE, "男性"):
        return Gender.MALE
    if text in (Gender.FEMALE, "女性"):
        return Gender.FEMALE
    raise ValueError("性别应为“男”或“女”")


def _membership(value):
    text = _text(value)
    if text in ("", "正式党员", "正式"):
        return MembershipType.FULL
    if text in ("预备党员", "预备"):
        return MembershipType.PROBATIONARY
    raise ValueError("人员类别应为“正式党员”或“预备党员”")


def _occupation(value):
    text = _text(value)
    if not text:
        return Occupation.OTHER
    if text[0] in CIRCLED:
        text = str(CIRCLED.index(text[0]) + 1)
    if text.split(".")[0].isdigit() and 1 <= int(float(text)) <= 8:
        return int(float(text))
    for code, label in Occupation.choices:
        if text == label:
            return code
    raise ValueError("职业应为代码1–8（或①–⑧）或其名称")


def clean_row(number, raw, branches, today: date):
    """(data, errors) for one row; `branches` maps branch names and codes to Organizations."""
    errors = []
    data = {}

    def fail(field, reason):
        errors.append(RowError(number, LABELS.get(field, field), _text(raw.get(field), 60), reason))

    data["name"] = _text(raw.get("name"))
    if not data["name"]:
        fail("name", "姓名不能为空")
    elif len(data["name"]) > NAME_LIMIT:
        fail("name", f"姓名不能超过{NAME_LIMIT}字")
    else:
        try:
            validate_no_formula_start(data["name"])
        except ValidationError:
            fail("name", f"姓名不能以{FORMULA_START_TEXT}开头")
    for field, parser in (("gender", _gender), ("membership_type", _membership), ("occupation", _occupation)):
        try:
            data[field] = parser(raw.get(field))
        except ValueError as exc:
            fail(field, str(exc))
    for field in ("birth_date", "joined_on", "last_contact_on"):
        try:
            data[field] = parse_date(raw.get(field))
        except DateError as exc:
            fail(field, str(exc))
            continue
        earliest = dates.EARLIEST_BIRTH if field == "birth_date" else dates.EARLIEST
        problem = data[field] and dates.range_problem(data[field], earliest)
        if problem:
            fail(field, problem.rstrip("。"))
    for field in ("birth_date", "joined_on"):
        if field in data and data[field] is None:
            fail(field, "不能为空")
    parsed = None
    try:
        parsed = idcard.parse(_text(raw.get("id_number")), today=today)
        data["id_number"] = parsed.number
    except idcard.IdNumberError as exc:
        fail("id_number", str(exc))
    birth, joined = data.get("birth_date"), data.get("joined_on")
    if parsed and birth and (birth.year, birth.month) != (parsed.birth_date.year, parsed.birth_date.month):
        fail("birth_date", f"与身份证号中的出生日期（{parsed.birth_date:%Y.%m}）不一致")
    if parsed and data.get("gender") and data["gender"] != parsed.gender:
        fail("gender", f"与身份证号中的性别（{parsed.gender}）不一致")
    if joined and joined > today:
        fail("joined_on", "入党时间不能晚于今天")
    if (
        joined
        and birth
        and (joined.year - birth.year, joined.month, joined.day) < (18, birth.month, birth.day)
    ):
        fail("joined_on", "入党时应年满十八岁")
    if data.get("last_contact_on") and data["last_contact_on"] > today:
        fail("last_contact_on", "不能晚于今天")
    branch_key = _text(raw.get("branch"))
    branch = branches.get(branch_key) if branch_key else branches.get("")
    if branch is None:
        fail("branch", "所在党支部不在所选党组织范围内（按名称或代码）" if branch_key else "请填写所在党支部")
    else:
        data["organization_id"] = branch.pk
    try:
        data["phone"] = normalize_phone(_text(raw.get("phone")))
    except ValidationError as exc:
        fail("phone", exc.messages[0].rstrip("。"))
    for field, limit in TEXT_FIELDS.items():
        data[field] = _text(raw.get(field))
        if len(data[field]) > limit:
            fail(field, f"不能超过{limit}字（现有{len(data[field])}字）")
    data["ethnicity"] = data["ethnicity"] or "汉族"
    return data, errors


def changes(member, data):
    """The fields whose values differ: [(field, old, new)]."""
    out = []
    for field in COMPARED:
        old, new = getattr(member, field), data.get(field)
        if new not in (None, "") and old != new:
            out.append((field, old, new))
    return out
