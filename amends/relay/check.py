"""The identifying-details check: what in a message's text could identify or locate its sender.

Pure functions: given the text and what the sender's record holds, they say what was found. Audio, video and scanned
letters cannot be read here, so every file is left to be checked by eye (the services add one flag per file).
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import phonenumbers

from amends.relay.models import FlagKind

# A full UK postcode (outward and inward code), with or without the space; GIR 0AA is Girobank's.
POSTCODE = re.compile(
    r"(?<![A-Za-z0-9])"
    r"(GIR ?0AA|[A-PR-UWYZ](?:[0-9][0-9A-HJKPSTUW]?|[A-HK-Y][0-9][0-9ABEHMNPRV-Y]?) ?[0-9][ABD-HJLNP-UW-Z]{2})"
    r"(?![A-Za-z0-9])",
    re.IGNORECASE,
)
EMAIL = re.compile(r"(?<![\w.+-])[\w.%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w-])")
STREET_WORDS = (
    "Road|Rd|Street|Avenue|Ave|Lane|Close|Drive|Way|Court|Crescent|Place|Terrace|Gardens|Grove|Hill|Row|Walk|Square"
)
WELSH_STREET_WORDS = "Heol|Ffordd|Stryd|Lôn|Lon"
WORD = r"[^\W\d_][\w'’-]*"
# A house number, then one to four words, the last of them a kind of street: "14 Elm Grove Road", "3a Mill Lane".
STREET = re.compile(
    rf"(?<![\w])\d{{1,4}}[A-Za-z]?,?\s+(?:{WORD}\s+){{0,3}}(?:{STREET_WORDS})(?![\w])",
    re.IGNORECASE,
)
# Welsh puts the kind of street first: "12 Heol y Bont", "5 Stryd Fawr", "2 Lôn Isaf".
WELSH_STREET = re.compile(
    rf"(?<![\w])\d{{1,4}}[A-Za-z]?,?\s+(?:{WELSH_STREET_WORDS})(?:\s+(?:y|yr|'r)\b)?\s+{WORD}",
    re.IGNORECASE,
)
FLAT = re.compile(r"(?<![\w])Flat\s+\d+[A-Za-z]?(?![\w])", re.IGNORECASE)
# Shorter than this, a detail on the record would match too much that is not about the sender.
SHORTEST_DETAIL = 3
# A UK number written in full has ten digits after the 0 (or +44).
UK_NUMBER_DIGITS = 10


def normalised(text: str) -> str:
    """Text as compared between runs of the check: any case, any spacing."""
    return " ".join(text.casefold().split())


@dataclass(frozen=True)
class Found:
    """One detail found: what kind, and the words as they appear in the text."""

    kind: FlagKind
    text: str

    @property
    def key(self) -> tuple[str, str]:
        return (self.kind.value, normalised(self.text))


@dataclass
class SenderRecord:
    """What the sender's record holds that could identify or locate them."""

    address: str = ""
    phone: str = ""
    email: str = ""
    family_name: str = ""
    details: list[str] = field(default_factory=list)

    def values(self) -> list[str]:
        """Each thing to look for: every address line, the postcode in it, phone, email, family name, details."""
        values = [line.strip() for line in re.split(r"[\n,]", self.address) if line.strip()]
        values += [match.group(0) for match in POSTCODE.finditer(self.address)]
        values += [self.phone, self.email, self.family_name, *self.details]
        return [value.strip() for value in values if len(value.strip()) >= SHORTEST_DETAIL]


def _whole_words(value: str) -> re.Pattern[str]:
    """The value as whole words, case-insensitive, with any run of spaces matching any other."""
    words = [re.escape(word) for word in value.split()]
    return re.compile(r"(?<![\w])" + r"\s+".join(words) + r"(?![\w])", re.IGNORECASE)


def _regex_matches(pattern: re.Pattern[str], kind: FlagKind, text: str) -> Iterable[Found]:
    return (Found(kind, match.group(0).strip()) for match in pattern.finditer(text))


def _phone_numbers(text: str) -> list[str]:
    """Valid numbers, and those that merely look possible if they are as long as a UK number (Ofcom's numbers for
    drama, such as 07700 900123, are not valid but are still someone's way of writing a number)."""
    valid = [match.raw_string.strip() for match in phonenumbers.PhoneNumberMatcher(text, "GB")]
    possible = [
        match.raw_string.strip()
        for match in phonenumbers.PhoneNumberMatcher(text, "GB", leniency=phonenumbers.Leniency.POSSIBLE)
        if sum(character.isdigit() for character in match.raw_string) >= UK_NUMBER_DIGITS
    ]
    return valid + possible


def find_identifying(text: str, record: SenderRecord) -> list[Found]:
    """Every postcode, phone number, email address, street address and detail of the sender's record in the text,
    each once (the same words found twice, or in another case, are one finding)."""
    if not text.strip():
        return []
    found: list[Found] = []
    found += _regex_matches(STREET, FlagKind.ADDRESS, text)
    found += _regex_matches(WELSH_STREET, FlagKind.ADDRESS, text)
    found += _regex_matches(FLAT, FlagKind.ADDRESS, text)
    found += _regex_matches(POSTCODE, FlagKind.POSTCODE, text)
    found += (Found(FlagKind.PHONE, raw) for raw in _phone_numbers(text))
    found += _regex_matches(EMAIL, FlagKind.EMAIL, text)
    for value in record.values():
        found += (Found(FlagKind.ON_RECORD, match.group(0)) for match in _whole_words(value).finditer(text))
    # The same words are one finding, under the first kind that found them (an address on the record is an address).
    unique: dict[str, Found] = {}
    for item in found:
        unique.setdefault(normalised(item.text), item)
    return list(unique.values())


def redact(text: str, words: str, replacement: str) -> str:
    """The text with every whole-word occurrence of `words` (any case) replaced."""
    if not words.strip():
        return text
    return _whole_words(words).sub(replacement, text)
