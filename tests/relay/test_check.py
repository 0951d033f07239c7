"""The identifying-details check, as a pure function: what it finds in a message's text."""

from amends.relay.check import SenderRecord, find_identifying, redact
from amends.relay.models import FlagKind


def _found(text: str, record: SenderRecord | None = None) -> dict[str, FlagKind]:
    return {item.text: item.kind for item in find_identifying(text, record or SenderRecord())}


def test_it_finds_uk_postcodes_with_or_without_the_space() -> None:
    found = _found("Send it to CF10 1AA or to sw1a2aa, not to ABC 123.")
    assert found == {"CF10 1AA": FlagKind.POSTCODE, "sw1a2aa": FlagKind.POSTCODE}


def test_it_finds_phone_numbers_written_the_uk_way() -> None:
    found = _found("Ring 029 2087 1234 or my mobile +44 7700 900123. I paid 1500 in 2026.")
    assert found == {"029 2087 1234": FlagKind.PHONE, "+44 7700 900123": FlagKind.PHONE}


def test_it_finds_email_addresses() -> None:
    assert _found("Write to rob.r+rj@example.co.uk please.") == {"rob.r+rj@example.co.uk": FlagKind.EMAIL}


def test_it_finds_street_addresses_in_english_and_welsh_and_flats() -> None:
    found = _found("I was at 14 Elm Grove Road, then Flat 3, and now 12 Heol y Bont, near 2 Lôn Isaf.")
    assert found == {
        "14 Elm Grove Road": FlagKind.ADDRESS,
        "12 Heol y Bont": FlagKind.ADDRESS,
        "2 Lôn Isaf": FlagKind.ADDRESS,
        "Flat 3": FlagKind.ADDRESS,
    }


def test_it_does_not_flag_ordinary_words_and_numbers() -> None:
    assert _found("I was 24 when it happened, 3 years ago, on the road home. I walk every day.") == {}


def test_it_finds_what_the_senders_record_holds_as_whole_words_in_any_case() -> None:
    record = SenderRecord(
        address="Ty Gwyn\nLlanfair, Powys",
        phone="01938 555123",
        email="rob@example.com",
        family_name="Pryce",
        details=["Ysgol Glan Hafren", "Tesco Welshpool"],
    )
    text = "The PRYCE family from ty gwyn. My son goes to ysgol glan hafren. I work at Tesco Welshpool. Pryceless."
    found = _found(text, record)
    assert found == {
        "PRYCE": FlagKind.ON_RECORD,
        "ty gwyn": FlagKind.ON_RECORD,
        "ysgol glan hafren": FlagKind.ON_RECORD,
        "Tesco Welshpool": FlagKind.ON_RECORD,
    }


def test_it_finds_the_postcode_held_in_the_senders_address() -> None:
    record = SenderRecord(address="1 Any Street\nNewtown SY16 1AA")
    assert _found("See you in sy16 1aa.", record) == {"sy16 1aa": FlagKind.POSTCODE}


def test_the_same_words_are_one_finding() -> None:
    record = SenderRecord(address="14 Elm Grove Road")
    found = find_identifying("14 Elm Grove Road and again 14 elm grove road", record)
    assert [(item.kind, item.text) for item in found] == [(FlagKind.ADDRESS, "14 Elm Grove Road")]


def test_redacting_replaces_every_whole_word_occurrence() -> None:
    assert redact("Pryce wrote. pryce again. Pryceless.", "Pryce", "[redacted]") == (
        "[redacted] wrote. [redacted] again. Pryceless."
    )


def test_it_finds_the_record_however_accents_apostrophes_and_the_house_number_are_written() -> None:
    record = SenderRecord(address="12 Acacia Avenue\nAbertawe", family_name="O'Brien", details=["Siân's café"])
    found = _found("Mrs O’Brien from Acacia Avenue, at Sian’s Cafe.", record)
    assert found == {
        "O’Brien": FlagKind.ON_RECORD,
        "Acacia Avenue": FlagKind.ON_RECORD,
        "Sian’s Cafe": FlagKind.ON_RECORD,
    }


def test_redacting_folds_accents_and_apostrophes_and_keeps_the_rest() -> None:
    assert (
        redact("Siân O’Brien wrote to Sian O'Brien.", "Siân O'Brien", "[redacted]") == "[redacted] wrote to [redacted]."
    )
    assert redact("Dŵr a thân", "Sian", "[redacted]") == "Dŵr a thân"


def test_a_value_without_a_word_matches_nothing() -> None:
    record = SenderRecord(details=["---", "- -"])
    assert _found("Nothing here - at all.", record) == {}
    assert redact("Nothing here - at all.", "---", "[redacted]") == "Nothing here - at all."
