"""The API's input types take exactly what the schema says they take, and the schema says each limit."""

import datetime
from decimal import Decimal
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from amends.core.api_types import Amount, Day, Id, LongStatement, Moment, YesNo


class Sample(BaseModel):
    day: Day | None = None
    moment: Moment | None = None
    amount: Amount | None = None
    flag: YesNo | None = None
    id: Id | None = None
    said: LongStatement | None = None


def _refused(**values: Any) -> bool:
    try:
        Sample(**values)
    except ValidationError:
        return True
    return False


@pytest.mark.parametrize(
    "values",
    [
        {"day": "1999-12-31"},
        {"day": "3000-01-01"},
        {"day": 946684800},  # a Unix time, which lax parsing would take for a date
        {"day": "2026-12-03T00:00:00"},
        {"moment": "2026-12-03T10:00:00"},  # no offset
        {"moment": "1999-12-31T23:30:00-01:00"},  # 2000 in UTC, but not as written
        {"moment": "2026-12-03 10:00:00Z"},
        {"amount": "0"},
        {"amount": "0.00"},
        {"amount": 12.5},
        {"amount": "12.345"},
        {"amount": "10000000"},
        {"flag": 0},
        {"flag": "false"},
        {"id": True},
        {"id": "12"},
        {"id": 12.5},
        {"id": 0},
        {"said": ""},
        {"said": " \t\x1c "},  # blank to str.strip(), which the services use
    ],
)
def test_it_refuses_what_the_schema_forbids(values: dict[str, Any]) -> None:
    assert _refused(**values)


def test_it_takes_what_the_schema_allows_as_sent() -> None:
    sample = Sample(
        day="2000-01-01",
        moment="2000-01-01T00:30:00+01:00",
        amount="0.01",
        flag=False,
        id=12.0,
        said=" Sorry. ",
    )
    assert sample.day == datetime.date(2000, 1, 1)
    assert sample.moment is not None
    assert sample.moment.utcoffset() == datetime.timedelta(hours=1)
    assert (sample.amount, sample.flag, sample.id) == (Decimal("0.01"), False, 12)


def test_the_schema_states_each_limit() -> None:
    properties = Sample.model_json_schema()["properties"]
    day, moment, amount, id_, said = (
        properties[name]["anyOf"][0] for name in ("day", "moment", "amount", "id", "said")
    )
    assert day["pattern"].startswith("^2[0-9]{3}-")
    assert day["format"] == "date"
    assert moment["pattern"].startswith("^2[0-9]{3}-")
    assert moment["format"] == "date-time"
    assert amount["type"] == "string"
    assert "pattern" in amount
    assert (id_["minimum"], id_["maximum"]) == (1, 2_147_483_647)
    assert said["minLength"] == 1
    assert "pattern" in said
