"""Splitting the national portal's tables that the 2026 collection flattened to text.

The portal (dichvucong.gov.vn) shows a procedure's channels, components, legal basis and results
as tables (Decree 63/2010/NĐ-CP Art. 8.2 lists what they state); the collection kept only their
text, cells glued together: ``Trực tiếp15 Ngày làm việcMiễn phí(ghi chú)Mô tả…``. The portal's
own cell grammar is the only separator left, so each splitter here reads that grammar:

- a channel row starts with a channel name directly followed by a time cell (a number, with or
  without unit, "Không có thông tin", "Không quy định", or prose up to the fee cell) and a fee cell
  ("Miễn phí", "Không có thông tin", amounts with currency and a bracketed note); descriptions
  that merely mention "Trực tiếp tại …" or "- Trực tuyến: …" do not start rows;
- a component row ends with its quantity cell ("1 bản chính", "0 bản chính,1 bản sao"), a single
  digit glued to the name; a form's file name ("NA5.doc") sits between name and quantity;
- a legal-basis row ends with a document number ("02/2011/QH13") glued to the next title;
- a result ends with "Mã: <result-type code>".

These functions only cut text; reading limits, fees and counts into values is the caller's.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass

from motcua.catalog.channels import CATALOGUE_NAMES
from motcua.catalog.fees import closing_bracket

# Letters by case: ranges such as [À-Ỹ] mix both cases in Latin Extended Additional (Ạ ạ Ả ả …).
_LETTERS = [chr(code) for code in range(0xC0, 0x1EFA) if chr(code).isalpha()]
UPPER = "[A-Z" + "".join(letter for letter in _LETTERS if letter.isupper()) + "]"
LOWER = "[a-z" + "".join(letter for letter in _LETTERS if letter.islower()) + "]"

CHANNEL_HEADER = "Hình thức nộpThời gianPhí, lệ phíMô tả"
COMPONENT_HEADER = "Tên giấy tờMẫu đơn, tờ khaiSố lượng"
LEGAL_BASIS_HEADER = "Tên văn bản pháp lýMã văn bản"

_CHANNEL_NAMES = "|".join(re.escape(name) for name in CATALOGUE_NAMES)
_UNITS = r"ngày\s*làm\s*việc|giờ\s*làm\s*việc|ngày|giờ|tháng|năm|phút"
_CURRENCY = r"Việt\s*Nam\s*Đồng|VNĐ|VND|USD|Đồng|đồng"
_FEE_WORDS = r"Miễn phí|Không có thông tin"
# One row's channel and time cell; the fee cell is read after it by hand (its note nests brackets).
_ROW_HEAD_RE = re.compile(
    rf"(?P<channel>{_CHANNEL_NAMES})(?:"
    rf"(?P<time>\d+(?:[.,]\d+)?\s*(?i:{_UNITS})|Không có thông tin|Không quy định|Không)"
    rf"(?=\s*(?:{_FEE_WORDS}|\d[\d.,]*\s*(?:{_CURRENCY})))"
    rf"|(?P<bare>\d+)(?={_FEE_WORDS})"
    rf"|(?P<glued>\d[\d.,]*)(?=\s*(?:{_CURRENCY}))"
    rf"|(?P<prose>{UPPER}[^\n]{{0,200}}?)(?={_FEE_WORDS})"
    r")"
)
_AMOUNT_RE = re.compile(rf"\s*\d[\d.,]*\s*(?:{_CURRENCY})")
_GROUPED_AMOUNT_RE = re.compile(r"[1-9]\d{0,2}(?:[.,]\d{3})+|[1-9]\d*|0")


@dataclass(frozen=True, slots=True)
class ChannelRow:
    channel_name: str  # as the catalogue names it ("Trực tiếp")
    time_text: str
    fee_text: str
    description: str
    #: The time cell is a bare number written against an amount ("Trực tuyến120 VNĐ" = 1 + "20 VNĐ").
    is_time_glued_to_fee: bool = False


def split_channel_rows(text: str) -> tuple[list[ChannelRow], str]:
    """The rows of a "Cách thức thực hiện" text, and any text before the first row (normally none)."""
    body = text.removeprefix(CHANNEL_HEADER)
    heads: list[tuple[int, int, ChannelRow]] = []  # row start, fee end, row without its description
    search_from = 0
    for found in re.finditer(_CHANNEL_NAMES, body):
        if found.start() < search_from:
            continue
        head = _ROW_HEAD_RE.match(body, found.start())
        if head is None:
            continue
        glued = False
        if head.group("glued") is not None:
            time_text, fee_start = _split_glued(head.group("glued"), head.start("glued"))
            glued = bool(time_text)
        else:
            time_text, fee_start = (head.group("time") or head.group("bare") or head.group("prose")).strip(), head.end()
        fee_end = _fee_cell_end(body, fee_start)
        row = ChannelRow(head.group("channel"), time_text, body[fee_start:fee_end].strip(), "", glued)
        heads.append((head.start(), fee_end, row))
        search_from = fee_end
    rows = []
    for index, (_start, fee_end, row) in enumerate(heads):
        next_start = heads[index + 1][0] if index + 1 < len(heads) else len(body)
        description = body[fee_end:next_start].strip()
        rows.append(ChannelRow(row.channel_name, row.time_text, row.fee_text, description, row.is_time_glued_to_fee))
    leading = body[: heads[0][0]] if heads else body
    return rows, leading.strip()


def _split_glued(digits: str, start: int) -> tuple[str, int]:
    """Cut "120,000" into the time "1" and the amount "20,000": the shortest leading number that leaves
    a well-formed amount. An unsplittable run is all amount (time "")."""
    for cut in range(1, len(digits)):
        if digits[:cut].isdigit() and _GROUPED_AMOUNT_RE.fullmatch(digits[cut:]):
            return digits[:cut], start + cut
    return "", start


def _fee_cell_end(text: str, position: int) -> int:
    """Where the fee cell that starts at ``position`` ends: "Miễn phí" with its note, "Không có thông tin",
    or one or more amounts, each with its note."""
    if text.startswith("Không có thông tin", position):
        return position + len("Không có thông tin")
    if text.startswith("Miễn phí", position):
        end = position + len("Miễn phí")
        return closing_bracket(text, end) or end
    end = position
    while (amount := _AMOUNT_RE.match(text, end)) is not None:
        end = closing_bracket(text, amount.end()) or amount.end()
    return end


@dataclass(frozen=True, slots=True)
class ComponentRow:
    group: str
    name: str
    form_names: tuple[str, ...]
    originals: int
    copies: int
    has_quantity: bool = True


# A quantity cell: one digit (a glued "năm 20261 bản chính" is "năm 2026" + "1 bản chính").
_QUANTITY_RE = re.compile(r"(?P<originals>\d) bản chính(?:\s*,\s*(?P<copies>\d) bản sao)?|(?P<only_copies>\d) bản sao")
# "(01 bản chính hoặc 01 bản sao)", ": 02 bản chính. Tại ô…": quantities inside a name's prose.
_PROSE_AFTER_QUANTITY_RE = re.compile(rf"\s+{LOWER}")
_FORM_EXTENSION_RE = re.compile(r"\.+(?:docx|doc|pdf|xlsx|xls|rtf|odt|zip)", re.IGNORECASE)
# Where a form's file name may begin inside "…Bộ Công an.NA5.doc": after ";" or ":", or after ")" or a
# non-digit's "." directly followed by a letter or digit; or where a word runs into a capital ("sảnMau 19",
# "NĐ-CPMau42").
_FORM_START_RE = re.compile(
    rf"(?:[;:]|(?<=[^\d\s])[.)])(?=[^\s.\-])|(?<={LOWER})(?={UPPER})|(?<=[A-ZĐ]{{2}})(?={UPPER}{LOWER}{{2}})"
)
#: Longer than any file name in the catalogue: a longer "form" is prose that was cut at the wrong place.
_LONGEST_FORM_NAME = 130
_BULLET_RE = re.compile(r"^[\s\-+*•–\uf0fc\uf0d8\uf0b7\u2022]+")


def split_components(text: str) -> list[ComponentRow]:
    """The rows of a "Thành phần hồ sơ" text, group by group; trailing text with no quantity becomes a
    row with ``has_quantity`` False, so that nothing is dropped."""
    chunks = text.split(COMPONENT_HEADER)
    group = clean_heading(chunks[0])
    rows: list[ComponentRow] = []
    for index, chunk in enumerate(chunks[1:], start=1):
        position = 0
        for quantity in _iter_quantities(chunk):
            name, forms = split_form_names(chunk[position : quantity.start()])
            copies = quantity.group("copies") or quantity.group("only_copies") or "0"
            rows.append(ComponentRow(group, name, forms, int(quantity.group("originals") or 0), int(copies)))
            position = quantity.end()
        tail = chunk[position:]
        if index + 1 < len(chunks):
            group = clean_heading(tail)
        elif clean_heading(tail):
            name, forms = split_form_names(tail)
            rows.append(ComponentRow(group, name, forms, 0, 0, has_quantity=False))
    return rows


def _iter_quantities(chunk: str) -> list[re.Match[str]]:
    found = []
    for match in _QUANTITY_RE.finditer(chunk):
        start = match.start()
        zero_padded = start >= 1 and chunk[start - 1] == "0" and (start < 2 or not chunk[start - 2].isdigit())
        bracketed = start >= 1 and chunk[start - 1] == "("
        if zero_padded or bracketed or _PROSE_AFTER_QUANTITY_RE.match(chunk, match.end()):
            continue
        found.append(match)
    return found


def split_form_names(cell: str) -> tuple[str, tuple[str, ...]]:
    """Cut "Tờ khai (mẫu NA5).NA5.doc" into the name and the form file names glued after it."""
    extensions = list(_FORM_EXTENSION_RE.finditer(cell))
    if not extensions or extensions[-1].end() != len(cell.rstrip()):
        return clean_name(cell), ()
    # Files glued one after the other ("Mẫu số 38.docxMẫu số 39.docx") each end in an extension.
    first = extensions[0]
    for previous, current in itertools.pairwise(extensions):
        if current.start() - previous.end() > 120:
            first = current
    starts = [match.end() for match in _FORM_START_RE.finditer(cell, 0, first.start()) if _is_form_start(cell, match)]
    form_start = starts[-1] if starts else 0
    if form_start == 0 or first.end() - form_start > _LONGEST_FORM_NAME:
        return clean_name(cell), ()
    forms = []
    position = form_start
    for match in extensions:
        if match.start() >= form_start:
            forms.append(cell[position : match.end()].strip(" ;"))
            position = match.end()
    return clean_name(cell[:form_start]), tuple(form for form in forms if form)


def _is_form_start(cell: str, match: re.Match[str]) -> bool:
    """A capital glued to a lower-case letter starts a file name only after a plain word ("sảnMau"), not
    inside a file name's own camel case ("1.MuCT01banhnhkmtheoThngts53.doc")."""
    if match.group(0) == ".":
        # "I.1.4.docx" is one name; "…NĐ-CP).1.MuCT01.doc" starts one after the bracket.
        return not cell[match.end()].isdigit() or cell[match.start() - 1] == ")" or cell[match.start() - 1].islower()
    if match.group(0):
        return True
    word_start = max(cell.rfind(" ", 0, match.start()), cell.rfind("\n", 0, match.start())) + 1
    word = cell[word_start : match.start()]
    return word.isalpha() and (word[1:].islower() or word.isupper())


def clean_name(text: str) -> str:
    """A component's or heading's name without leading bullets and with single spaces."""
    return " ".join(_BULLET_RE.sub("", text).split()).rstrip(" ;,")


def clean_heading(text: str) -> str:
    """A group heading: "* Giấy tờ phải nộp:" → "Giấy tờ phải nộp"; the portal's "--" placeholder → ""."""
    return clean_name(text).rstrip(" :").strip("-").strip()


_DOCUMENT_KINDS = r"Bộ luật|Luật|Nghị định|Nghị quyết|Thông tư liên tịch|Thông tư|Quyết định|Pháp lệnh|Chỉ thị|Lệnh"
# A document number ending a legal-basis row: "02/2011/QH13", "2222/QĐ-BHXH", "12/2021/QĐ-TTg". Where the
# title's last digits run into it, a year ("năm 2011" + "02/2011/QH13") or a legislature ("QH14" +
# "51/2019/QH14") ends the title. The symbol may swallow the next title's first letters; see _trim_symbol.
_LEGAL_NUMBER_RE = re.compile(
    r"(?:(?<=(?:19|20)\d\d)|(?<=QH\d\d)|(?<=[^\W\dH_])|(?<=[^Q]H)|(?<!\w))"
    r"(?P<number>\d{1,5}(?:/\d{4})?/(?:TTg|[A-ZĐ][A-ZĐ0-9]*+)(?:[-–](?:TTg|[A-ZĐ][A-ZĐ0-9]*+))*+)\.?"
    rf"(?=\s*$|[^\W\d_]|\s+(?:{_DOCUMENT_KINDS})\s)"
)
_GLUED_KIND_RE = re.compile(rf"(?<=\S)(?P<kind>(?:{_DOCUMENT_KINDS})\s*(?:số\s*)?)$")
# How a title's first word can begin after a symbol swallowed its capital: a vowel or a Vietnamese onset.
_VOWELS = "".join(letter for letter in _LETTERS if unicodedata.normalize("NFD", letter)[0] in "aeiouy")
_WORD_START_RE = re.compile(rf"[BCDĐGHKLMNPQRSTVX]?[aeiouy{_VOWELS}]|[CGKNPT]h|Gi|Ng|Qu|Tr")
# Upper-case titles whose first word a symbol swallows ("TT-BCAQUY ĐỊNH", "NĐ-CPLUẬT").
_CAPITAL_WORDS = ("QUY", "QUYẾT", "BAN", "HƯỚNG", "SỬA", "LUẬT", "BỘ", "NGHỊ", "THÔNG", "VỀ", "CHỈ", "PHÁP")


def split_legal_basis(text: str) -> list[tuple[str, str]]:
    """(title, number) rows of a "Căn cứ pháp lý" text; a title with no number found keeps number ""."""
    body = text.removeprefix(LEGAL_BASIS_HEADER).strip()
    rows = []
    position = 0
    for match in _LEGAL_NUMBER_RE.finditer(body):
        if match.start() < position:
            continue
        number = _trim_symbol(match.group("number"), body[match.end("number") :])
        end = match.start("number") + len(number)
        if number.endswith(("-", "–")) or body[end : end + 1] in ("-", "–", "/"):
            continue  # "166/2016/NĐ-CP-Quy định …": the number stands inside the title
        title = body[position : match.start()]
        glued_kind = _GLUED_KIND_RE.search(title)
        if glued_kind is not None:
            # "…quản lý nhà ởThông tư số 03/2023/TT-BTP": the kind belongs to the number's cell.
            title, number = title[: glued_kind.start()], glued_kind.group("kind") + number
        rows.append((" ".join(title.split()).lstrip("-– "), number))
        position = end + (1 if body[end : end + 1] == "." else 0)
    if body[position:].strip(" .;"):
        rows.append((" ".join(body[position:].split()).lstrip("-– "), ""))
    return rows


def _trim_symbol(number: str, following: str) -> str:
    """Give back the letters of the next title that ``number``'s symbol swallowed: "TT-BCAL" + "uật …"
    is "TT-BCA" + "Luật …"; "TT-BCAQUY" + " ĐỊNH" is "TT-BCA" + "QUY ĐỊNH"."""
    if number.endswith("TTg"):
        return number
    if following[:1].islower() and _WORD_START_RE.match(number[-1] + following[:2]):
        return number[:-1]
    run = re.match(rf"{UPPER}*", following)
    tail = run.group(0) if run else ""
    for size in range(min(6, len(number) - 1), 0, -1):
        if number[-size:].isalpha() and number[-size:] + tail in _CAPITAL_WORDS and number[-size - 1] != "/":
            return number[:-size]
    return number


def sections_from_page(page: str, steps: str) -> tuple[str, str] | None:
    """The steps and the components as the page text (``raw_text``) has them, when it has a components
    table: a few pages cite "(Thành phần hồ sơ)" in their steps, where the collection cut the fields."""
    channels_at = page.find("Cách Thức Thực Hiện")
    start = page.find("Thành phần hồ sơ", channels_at + 1) if channels_at >= 0 else -1
    end = page.find("Căn cứ pháp lý", start)
    if start < 0 or end < 0 or COMPONENT_HEADER not in page[start:end]:
        return None
    steps_at = page.find("Trình Tự Thực Hiện")
    page_steps = page[steps_at + len("Trình Tự Thực Hiện") : channels_at].strip() if steps_at >= 0 else ""
    return (page_steps if page_steps.startswith(steps.strip()) else steps), page[start + len("Thành phần hồ sơ") : end]


# The portal's search box and agency picker follow the results in the same text.
_RESULT_BOILERPLATE_RE = re.compile(r"Từ khóa|Chọn cơ quan thực hiện|Mô tảKhông có thông tin")
_RESULT_CODE_RE = re.compile(rf"Mã:\s*(?P<code>[\w.\-/]+?)(?=\s*$|\s|{UPPER}{LOWER}|{UPPER}{{2,}}\s)")


def split_results(text: str) -> list[tuple[str, str]]:
    """(name, result-type code) pairs of a "Kết quả xử lý" text, the portal's trailing boilerplate cut off."""
    boilerplate = _RESULT_BOILERPLATE_RE.search(text)
    body = text[: boilerplate.start()] if boilerplate else text
    results = []
    position = 0
    for match in _RESULT_CODE_RE.finditer(body):
        results.append((" ".join(body[position : match.start()].split()), match.group("code")))
        position = match.end()
    if body[position:].strip():
        results.append((" ".join(body[position:].split()), ""))
    return results
