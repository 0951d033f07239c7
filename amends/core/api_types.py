"""The API's input types, each saying in the OpenAPI schema every limit the server holds it to, and holding to exactly
that: what the schema allows is accepted (or refused only for the state of the records, 409), what it forbids is
refused (422). pydantic's lax parsing would take `0` for false, `"12"` for 12 or a Unix time for a date, none of which
the schema allows, so each type takes only the JSON type it documents.

Dates and times are on or after 2000-01-01 and before 3000, as they are sent: a time is an RFC 3339 date-time with
its offset, and its year is read as written.
"""

import datetime
import re
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, WithJsonSchema
from pydantic_core import PydanticCustomError

# Ids and versions fit the database's integer columns; anything larger is refused as invalid (422), not a crash.
MAX_ID = 2_147_483_647

# Text never holds NUL, which PostgreSQL refuses to store.
NO_NUL = r"^[^\x00]*$"
# Text that must say something: at least one character that is not blank. Python's str.strip() (which the services
# use) also strips \x1c-\x1f, which a regular expression's \s does not match, so they are named.
NOT_BLANK = r"^[^\x00]*[^\s\x00\x1c-\x1f][^\x00]*$"

DAY_PATTERN = r"^2[0-9]{3}-[0-9]{2}-[0-9]{2}$"
MOMENT_PATTERN = (
    r"^2[0-9]{3}-[0-9]{2}-[0-9]{2}"
    r"T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,6})?"
    r"(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$"
)
# More than nothing, under ten million, in pounds and pence: 120, 120.5, 0.01; never 0, 0.00 or 01.
AMOUNT_PATTERN = r"^([1-9][0-9]{0,6}(\.[0-9]{1,2})?|0\.(0[1-9]|[1-9][0-9]?))$"


def _whole_number(value: Any) -> Any:
    """A JSON integer: 12, or 12.0 (the same number in JSON); never true, "12" or 12.5."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PydanticCustomError("int_type", "Input should be an integer")
    if isinstance(value, float):
        if not value.is_integer():
            raise PydanticCustomError("int_from_float", "Input should be an integer, not a number with a fraction")
        return int(value)
    return value


def _yes_or_no(value: Any) -> Any:
    if not isinstance(value, bool):
        raise PydanticCustomError("bool_type", "Input should be true or false")
    return value


def _matching(pattern: str, kind: str, message: str) -> Any:
    compiled = re.compile(pattern)

    def check(value: Any) -> Any:
        if not isinstance(value, str) or not compiled.fullmatch(value):
            raise PydanticCustomError(kind, message)
        return value

    return check


def _in_range(value: datetime.date) -> datetime.date:
    if not 2000 <= value.year <= 2999:
        raise PydanticCustomError("date_range", "Input should be a date on or after 2000-01-01, before 3000")
    return value


# A whole number's limits are stated before the check of its JSON type, or pydantic leaves them out of the schema:
# `Annotated[int, Field(ge=0, le=10), WholeNumber]`.
WholeNumber = BeforeValidator(_whole_number)
YesNo = Annotated[bool, BeforeValidator(_yes_or_no)]

Id = Annotated[int, Field(ge=1, le=MAX_ID), WholeNumber]
Version = Annotated[int, Field(ge=1, le=MAX_ID), WholeNumber]
# For a write that records a record or changes the one recorded: 0 says "I read none", so a record made since by
# someone else is not silently overwritten (409), as a stale version is not.
VersionOrNew = Annotated[
    int,
    Field(
        ge=0,
        le=MAX_ID,
        description="The version read, or 0 when there was none yet (409 if it changed, or one was recorded, since).",
    ),
    WholeNumber,
]

ShortText = Annotated[str, Field(max_length=200, pattern=NO_NUL)]
LongText = Annotated[str, Field(max_length=20_000, pattern=NO_NUL)]
# The same, where something must be said (blank is refused).
ShortStatement = Annotated[str, Field(min_length=1, max_length=200, pattern=NOT_BLANK)]
LongStatement = Annotated[str, Field(min_length=1, max_length=20_000, pattern=NOT_BLANK)]

Day = Annotated[
    datetime.date,
    BeforeValidator(_matching(DAY_PATTERN, "date_format", "Input should be a date, YYYY-MM-DD, from 2000")),
    AfterValidator(_in_range),
    WithJsonSchema(
        {"type": "string", "format": "date", "pattern": DAY_PATTERN, "description": "A date such as 2026-12-03."}
    ),
]
Moment = Annotated[
    datetime.datetime,
    BeforeValidator(
        _matching(MOMENT_PATTERN, "datetime_format", "Input should be a date and time with its offset, from 2000")
    ),
    AfterValidator(_in_range),
    WithJsonSchema(
        {
            "type": "string",
            "format": "date-time",
            "pattern": MOMENT_PATTERN,
            "description": "A date and time with its offset, such as 2026-12-03T10:00:00Z.",
        }
    ),
]
# Pounds and pence as a string, such as "120.00".
Amount = Annotated[
    Decimal,
    BeforeValidator(_matching(AMOUNT_PATTERN, "decimal_format", "Input should be an amount such as 120.00")),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": AMOUNT_PATTERN,
            "description": "Pounds and pence, more than nothing, such as 120.00.",
        }
    ),
]
