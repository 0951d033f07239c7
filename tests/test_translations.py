"""The Welsh catalogues: complete, well-formed, compiled, and used for our strings and for third-party ones.

Services in Wales must offer everything in Welsh (Welsh Language Standards), so an untranslated or fuzzy
message is a failure, not a warning. locale/ holds our own strings; locale_vendor/ holds Welsh for the
django-allauth and Django strings people see, which those packages do not ship (see settings.LOCALE_PATHS).

The rendering tests need compiled .mo files: `make test` compiles them, or run
`.venv/bin/python manage.py compilemessages --ignore=.venv --ignore=frontend -v 0`.
"""

import gettext as gettext_module
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.conf import settings
from django.contrib.auth.password_validation import (
    CommonPasswordValidator,
    MinimumLengthValidator,
    NumericPasswordValidator,
    UserAttributeSimilarityValidator,
)
from django.core.exceptions import ValidationError
from django.forms import DateField
from django.utils import translation
from django.utils.translation import gettext, ngettext

from amends.accounts.models import Role

ROOT = Path(settings.BASE_DIR)
CATALOGUES = {
    "ours": ROOT / "locale" / "cy" / "LC_MESSAGES" / "django.po",
    "vendor": ROOT / "locale_vendor" / "cy" / "LC_MESSAGES" / "django.po",
}
WELSH_PLURAL_FORMS = "nplurals=4; plural=(n==1) ? 0 : (n==2) ? 1 : (n != 8 && n != 11) ? 2 : 3;"
# What must survive translation unchanged: %(name)s, %s and %d placeholders, {name} fields, and HTML tags.
PRESERVED = re.compile(r"%\(\w+\)[sdr]|%[sd]|\{\w*\}|<[^>]+>")


def msgfmt(po: Path, mo: Path) -> subprocess.CompletedProcess[str]:
    assert shutil.which("msgfmt"), "GNU gettext's msgfmt is needed: install the 'gettext' package"
    return subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", str(mo), str(po)],
        capture_output=True,
        text=True,
        check=False,
    )


def compiled(po: Path, tmp_path: Path) -> gettext_module.GNUTranslations:
    mo = tmp_path / "django.mo"
    result = msgfmt(po, mo)
    assert result.returncode == 0, result.stderr
    with mo.open("rb") as handle:
        return gettext_module.GNUTranslations(handle)


@pytest.mark.parametrize("name", CATALOGUES)
def test_it_translates_every_string_into_welsh(name: str, tmp_path: Path) -> None:
    result = msgfmt(CATALOGUES[name], tmp_path / "django.mo")
    assert result.returncode == 0, result.stderr
    statistics = result.stderr.strip()  # e.g. "397 translated messages."
    assert re.fullmatch(r"\d+ translated messages?\.", statistics), statistics
    assert "untranslated" not in statistics
    assert "fuzzy" not in statistics


@pytest.mark.parametrize("name", CATALOGUES)
def test_it_marks_nothing_fuzzy_and_declares_welsh(name: str) -> None:
    text = CATALOGUES[name].read_text(encoding="utf-8")
    assert not re.search(r"^#,.*\bfuzzy\b", text, flags=re.MULTILINE)
    assert '"Language: cy\\n"' in text
    assert '"Content-Type: text/plain; charset=UTF-8\\n"' in text


@pytest.mark.parametrize("name", CATALOGUES)
def test_it_gives_all_four_welsh_plural_forms(name: str, tmp_path: Path) -> None:
    catalogue = compiled(CATALOGUES[name], tmp_path)
    assert catalogue.info()["plural-forms"] == WELSH_PLURAL_FORMS
    forms: dict[str, set[int]] = {}
    for key in catalogue._catalog:  # the stdlib keeps plural forms as (msgid, index)
        if isinstance(key, tuple):
            forms.setdefault(key[0], set()).add(key[1])
    assert forms, "expected some plural messages"
    for msgid, indexes in forms.items():
        assert indexes == {0, 1, 2, 3}, msgid


@pytest.mark.parametrize("name", CATALOGUES)
def test_it_keeps_every_placeholder_and_html_tag(name: str, tmp_path: Path) -> None:
    catalogue = compiled(CATALOGUES[name], tmp_path)
    for key, welsh in catalogue._catalog.items():
        msgid = key[0] if isinstance(key, tuple) else key
        if not msgid:
            continue  # the header
        msgid = msgid.split("\x04", 1)[-1]  # drop any msgctxt
        assert sorted(PRESERVED.findall(welsh)) == sorted(PRESERVED.findall(msgid)), (msgid, welsh)


@pytest.mark.parametrize("name", CATALOGUES)
def test_the_compiled_catalogues_are_up_to_date(name: str) -> None:
    po = CATALOGUES[name]
    mo = po.with_suffix(".mo")
    assert mo.exists(), f"{mo} is missing: run `make compiled-messages` or manage.py compilemessages"
    assert mo.stat().st_mtime >= po.stat().st_mtime, f"{mo} is older than {po.name}: run manage.py compilemessages"


def test_it_shows_our_own_strings_in_welsh() -> None:
    with translation.override("cy"):
        assert gettext("Invite someone") == "Gwahodd rhywun"
        assert gettext("Sign in") == "Mewngofnodi"
        assert gettext("Sign out") == "Allgofnodi"
        assert str(Role.COORDINATOR.label) == "Cydlynydd"
        assert str(Role.FACILITATOR.label) == "Hwylusydd"
        assert {str(role.label) for role in Role}.isdisjoint({"Coordinator", "Facilitator", "Supervisor"})
        assert gettext("English") == "Saesneg"
        assert gettext("Welsh") == "Cymraeg"
        assert gettext("CPD") == "DPP"
        assert ngettext("%(counter)s event", "%(counter)s events", 2) % {"counter": 2} == "2 ddigwyddiad"


def test_it_keeps_english_under_english() -> None:
    with translation.override("en-gb"):
        assert gettext("Invite someone") == "Invite someone"
        assert str(Role.COORDINATOR.label) == "Coordinator"


def test_it_shows_allauth_messages_in_welsh() -> None:
    with translation.override("cy"):
        account_errors = DefaultAccountAdapter.error_messages
        assert str(account_errors["incorrect_code"]) == "Cod anghywir."
        assert str(DefaultMFAAdapter.error_messages["incorrect_code"]) == "Cod anghywir."
        welsh = {key: str(account_errors[key]) for key in ("too_many_login_attempts", "email_password_mismatch")}
        assert gettext("Successfully signed in as %(name)s.") == "Rydych wedi mewngofnodi fel %(name)s."
        assert gettext("Two-Factor Authentication") == "Dilysu dau gam"
        assert gettext("Recovery Codes") == "Codau adfer"
    with translation.override("en-gb"):
        for key, text in welsh.items():
            assert text != str(account_errors[key]), key


def welsh_errors(
    validator: MinimumLengthValidator | CommonPasswordValidator | NumericPasswordValidator, password: str
) -> list[str]:
    with translation.override("cy"), pytest.raises(ValidationError) as raised:
        validator.validate(password)
    return raised.value.messages


def test_it_explains_password_rules_in_welsh() -> None:
    assert welsh_errors(MinimumLengthValidator(min_length=12), "short") == [
        "Mae'r cyfrinair hwn yn rhy fyr. Rhaid iddo gynnwys o leiaf 12 nod."
    ]
    assert welsh_errors(CommonPasswordValidator(), "password123") == ["Mae'r cyfrinair hwn yn rhy gyffredin."]
    assert welsh_errors(NumericPasswordValidator(), "123456789012") == [
        "Mae'r cyfrinair hwn yn cynnwys rhifau yn unig."
    ]
    with translation.override("cy"):
        assert MinimumLengthValidator(min_length=12).get_help_text() == ("Rhaid i'ch cyfrinair gynnwys o leiaf 12 nod.")
        assert "Your password" not in UserAttributeSimilarityValidator().get_help_text()


def test_it_corrects_djangos_own_welsh_where_it_is_wrong() -> None:
    with translation.override("cy"):
        with pytest.raises(ValidationError) as raised:
            DateField().clean("not a date")
        assert raised.value.messages == ["Rhowch ddyddiad dilys."]  # Django's own cy says "Rhif ddyddiad dilys."
        assert gettext("July") == "Gorffennaf"  # Django's own cy says "Gorffenaf"
