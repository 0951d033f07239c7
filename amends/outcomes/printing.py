"""The outcome agreement printed for one participant, as a PDF in their language (or Welsh and English together).

What it shows is what both parties agreed to, in their own words, and the actions agreed. Whose each action is
is given by their part in the case ("you", "the person responsible"), never by the other party's name, and it holds
no address or contact detail of anyone but the service.
"""

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from amends.outcomes.models import AgreementAction, OutcomeAgreement, ParticipantAgreement
from amends.people.languages import participant_languages
from amends.people.models import Participant, ParticipantRole


def _whose(owner: Participant, reader: Participant) -> str:
    if owner.pk == reader.pk:
        return _("You")
    return {
        ParticipantRole.PERSON_HARMED: _("The person harmed"),
        ParticipantRole.PERSON_RESPONSIBLE: _("The person responsible"),
    }.get(ParticipantRole(owner.role), str(owner.get_role_display()))


def _section(
    agreement: OutcomeAgreement,
    actions: list[AgreementAction],
    agreements: list[ParticipantAgreement],
    reader: Participant,
) -> str:
    return render_to_string(
        "outcomes/agreement_pdf_section.html",
        {
            "service": agreement.case.service,
            "case": agreement.case,
            "made_on": date_format(agreement.made_on, "j F Y"),
            "summary": agreement.summary,
            "actions": [
                {
                    "label": action.label(),
                    "description": action.description,
                    "whose": _whose(action.owner, reader),
                    "due": date_format(action.due_on, "j F Y"),
                    "status": action.get_status_display(),
                }
                for action in actions
            ],
            "agreed": [
                {
                    "who": _whose(record.participant, reader),
                    "day": date_format(record.agreed_on, "j F Y"),
                    "how": record.get_method_display(),
                }
                for record in agreements
            ],
        },
    )


def agreement_document(
    agreement: OutcomeAgreement,
    actions: list[AgreementAction],
    agreements: list[ParticipantAgreement],
    reader: Participant,
) -> str:
    """The HTML the PDF is made from: one section per language the reader reads."""
    languages = participant_languages(reader)
    sections = []
    for code in languages:
        with translation.override(code):
            sections.append(_section(agreement, actions, agreements, reader))
    with translation.override(languages[0]):
        title = _("Outcome agreement: case %(reference)s") % {"reference": agreement.case.reference}
    return render_to_string(
        "outcomes/agreement_pdf.html", {"sections": sections, "language": languages[0], "title": title}
    )


def agreement_pdf(
    agreement: OutcomeAgreement,
    actions: list[AgreementAction],
    agreements: list[ParticipantAgreement],
    reader: Participant,
) -> bytes:
    # WeasyPrint loads Pango when imported: only printing needs it.
    from weasyprint import HTML

    pdf: bytes = HTML(string=agreement_document(agreement, actions, agreements, reader)).write_pdf()
    return pdf
