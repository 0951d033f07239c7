"""The identifying-details check: what in a message's text could identify or locate its sender.

Pure functions: given the text and what the sender's record holds, they say what was found. Audio, video and scanned
letters cannot be read here, so every file is left to be checked by eye (the services add one flag per file).
"""

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache

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


# Characters written for one another: a curly apostrophe for a straight one (word processors), a dash for a hyphen.
_WRITTEN_FOR = {
    "\u2018": "'",
    "\u2019": "'",
    "\u02bc": "'",
    "\u00b4": "'",
    "`": "'",
    "\u2010": "-",
    "\u2011": "-",
    "\u2013": "-",
    "\u2014": "-",
    "\u00a0": " ",
}


@cache
def _fold_character(character: str) -> str:
    if character in _WRITTEN_FOR:
        return _WRITTEN_FOR[character]
    decomposed = unicodedata.normalize("NFD", character)
    base, marks = decomposed[0], decomposed[1:]
    return base if marks and all(unicodedata.combining(mark) for mark in marks) else character


def fold(text: str) -> str:
    """The text as the check matches it: accents dropped (Siân is Sian, Ŵyn is Wyn) and curly apostrophes and dashes
    made plain, character for character, so that a match in the folded text is at the same place in the text itself
    (which must be in NFC, as `matches` and `substitute` make it)."""
    return "".join(_fold_character(character) for character in text)


def matches(pattern: re.Pattern[str], text: str) -> Iterator[str]:
    """Each match of a pattern built from folded values, as the words appear in the (NFC) text."""
    text = unicodedata.normalize("NFC", text)
    for match in pattern.finditer(fold(text)):
        yield text[match.start() : match.end()]


def substitute(pattern: re.Pattern[str], text: str, replacement: str) -> str:
    """The text with each match of a pattern built from folded values replaced."""
    text = unicodedata.normalize("NFC", text)
    pieces, end = [], 0
    for match in pattern.finditer(fold(text)):
        pieces += [text[end : match.start()], replacement]
        end = match.end()
    return "".join([*pieces, text[end:]])


# A pattern that matches nothing: a value without a word in it ("---") must not match every place in a text.
NOTHING = r"(?!)"


def words_pattern(value: str) -> str:
    """A value as folded words, any run of spaces or hyphens between them matching any other ("Smith-Jones" is also
    "Smith Jones")."""
    words = [re.escape(word) for word in re.split(r"[\s-]+", fold(value).strip()) if word]
    return r"[\s-]+".join(words) if words else NOTHING


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
        """Each thing to look for: every address line (and the street without its number), the postcode in it,
        phone, email, family name, details."""
        lines = [line.strip() for line in re.split(r"[\n,]", self.address) if line.strip()]
        values = [*lines, *(street for line in lines if (street := street_of(line)))]
        values += [match.group(0) for match in POSTCODE.finditer(self.address)]
        values += [self.phone, self.email, self.family_name, *self.details]
        return [value.strip() for value in values if len(value.strip()) >= SHORTEST_DETAIL]


# An address line that starts with a house (or flat) number: "12 Acacia Avenue", "3a, Mill Lane", "Flat 2 14 Elm Road".
_NUMBERED_LINE = re.compile(r"^(?:flat\s+\w+,?\s+)?\d{1,4}[a-z]?,?\s+(?P<street>\S+(?:\s+\S+)+)$", re.IGNORECASE)


def street_of(line: str) -> str:
    """The street of a numbered address line, without its number ("Acacia Avenue"), when it has two words or more:
    a street is written without the number as often as with it."""
    match = _NUMBERED_LINE.match(line.strip())
    return match.group("street") if match else ""


def _whole_words(value: str) -> re.Pattern[str]:
    """The value as whole words, case-insensitive, accents and apostrophes folded (`matches`, `substitute`)."""
    return re.compile(r"(?<![\w])" + words_pattern(value) + r"(?![\w])", re.IGNORECASE)


# Where a detail was found: its start and end in the text, and its kind.
Span = tuple[int, int, FlagKind]


def _spans(pattern: re.Pattern[str], kind: FlagKind, text: str) -> Iterator[Span]:
    return ((match.start(), match.end(), kind) for match in pattern.finditer(text))


def _phone_numbers(text: str) -> Iterator[Span]:
    """Valid numbers, and those that merely look possible if they are as long as a UK number (Ofcom's numbers for
    drama, such as 07700 900123, are not valid but are still someone's way of writing a number)."""
    for match in phonenumbers.PhoneNumberMatcher(text, "GB"):
        yield match.start, match.end, FlagKind.PHONE
    for match in phonenumbers.PhoneNumberMatcher(text, "GB", leniency=phonenumbers.Leniency.POSSIBLE):
        if sum(character.isdigit() for character in match.raw_string) >= UK_NUMBER_DIGITS:
            yield match.start, match.end, FlagKind.PHONE


def find_identifying(text: str, record: SenderRecord) -> list[Found]:
    """Every postcode, phone number, email address, street address and detail of the sender's record in the text,
    each once (the same words found twice, or in another case, are one finding; words found only inside a longer
    finding, such as the street of "14 Elm Grove Road", are part of it)."""
    if not text.strip():
        return []
    text = unicodedata.normalize("NFC", text)
    folded = fold(text)
    spans: list[Span] = []
    spans += _spans(STREET, FlagKind.ADDRESS, text)
    spans += _spans(WELSH_STREET, FlagKind.ADDRESS, text)
    spans += _spans(FLAT, FlagKind.ADDRESS, text)
    spans += _spans(POSTCODE, FlagKind.POSTCODE, text)
    spans += _phone_numbers(text)
    spans += _spans(EMAIL, FlagKind.EMAIL, text)
    for value in record.values():
        spans += _spans(_whole_words(value), FlagKind.ON_RECORD, folded)
    # The same words are one finding, under the first kind that found them (an address on the record is an address).
    order = {span: index for index, span in reversed(list(enumerate(spans)))}
    unique: dict[str, Found] = {}
    reach = -1
    for start, end, kind in sorted(spans, key=lambda span: (span[0], -span[1], order[span])):
        words = text[start:end].strip()
        if end <= reach or not words:
            continue  # inside a longer finding
        reach = max(reach, end)
        unique.setdefault(normalised(words), Found(kind, words))
    return list(unique.values())


def redact(text: str, words: str, replacement: str) -> str:
    """The text with every whole-word occurrence of `words` (any case, accents and apostrophes folded) replaced."""
    if not words.strip():
        return text
    return substitute(_whole_words(words), text, replacement)
