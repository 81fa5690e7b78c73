"""Values as people type them are read in YAML (and sheets): Chinese labels, dates, 万, units."""

from __future__ import annotations

import datetime as dt

import pytest

from compliance.loader import Document, load_text
from compliance.schema import validate_document
from tests.conftest import MINIMAL_UNIT


def check(text: str) -> Document:
    return validate_document(load_text(text, Document("u.yaml")), "unit")


HAZARDS = """\
risks:
  hidden_dangers:
    - {id: H1, description: 护栏缺失, level: 一般, status: 未整改, found_on: 2024/3/5,
       deadline: 2024.3.5, funds_cny: '1,500,000'}
    - {id: H2, description: 漏油, level: 重大隐患, status: 已销号, found_on: 2024年3月5日,
       funds_cny: 132万元}
    - {id: H3, description: x, level: Major, status: 整改中, funds_cny: 1.5亿}
quality:
  staff:
    - name: 张三
      role: 新员工
      training: [{date: 2024-03-05, hours: 32学时}, {date: 2024-03-06, hours: 8 小时}]
standards:
  standardisation: {grade: 二级}
  two_tickets: {work_tickets: 是, operation_tickets: 否, qualified_rate: 98.5%}
"""


def test_chinese_labels_aliases_dates_amounts_and_units_are_read() -> None:
    doc = check(MINIMAL_UNIT.replace("employees: 50", "employees: 62人") + HAZARDS)
    assert [str(d) for d in doc.diagnostics] == []
    h1, h2, h3 = doc.data["risks"]["hidden_dangers"]
    assert (h1["level"], h1["status"], h1["funds_cny"]) == ("general", "open", 1_500_000)
    assert h1["found_on"] == h1["deadline"] == dt.date(2024, 3, 5)
    assert (h2["level"], h2["status"], h2["funds_cny"]) == ("major", "closed", 1_320_000)
    assert h2["found_on"] == dt.date(2024, 3, 5)
    assert (h3["level"], h3["status"], h3["funds_cny"]) == ("major", "rectifying", 150_000_000)
    staff = doc.data["quality"]["staff"][0]
    assert staff["role"] == "new_employee"
    assert [t["hours"] for t in staff["training"]] == [32, 8]
    assert doc.data["unit"]["employees"] == 62
    assert doc.data["standards"]["standardisation"]["grade"] == 2
    tickets = doc.data["standards"]["two_tickets"]
    assert (tickets["work_tickets"], tickets["operation_tickets"]) == (True, False)
    assert tickets["qualified_rate"] == 98.5


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("valid_on", "24/3/5", "'24/3/5' is not a date: write it as YYYY-MM-DD"),
        ("valid_on", "2024/2/30", "'2024/2/30' is not a real date"),
        ("employees", "1.5万5", "expected a whole number, found text '1.5万5': write a whole"),
        ("employees", "62.5人", "'62.5人' is not a whole number"),
        ("employees", "1,50,000", "found text '1,50,000'"),
        ("employees", "62公斤", "or 62人"),
    ],
)
def test_what_cannot_be_read_is_one_error_saying_what_to_write(
    field: str, value: str, message: str
) -> None:
    text = MINIMAL_UNIT.replace(
        "employees: 50", f"employees: {value}" if field == "employees" else "employees: 50"
    )
    if field == "valid_on":
        text = text.replace("valid_on: 2026-06-01", f"valid_on: {value}")
    doc = check(text)
    errors = [str(d) for d in doc.diagnostics]
    assert len(errors) == 1 and message in errors[0], errors
    assert doc.data is None


def test_an_unknown_chinese_value_lists_the_codes_and_their_labels() -> None:
    doc = check(
        MINIMAL_UNIT + "risks:\n  hidden_dangers: [{id: H1, description: x, level: 较大}]\n"
    )
    (only,) = [str(d) for d in doc.diagnostics]
    assert only.endswith("'较大' is not one of: general, major (or 一般隐患、重大隐患)")
