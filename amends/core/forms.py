"""Form rendering: every Django form renders GOV.UK Design System markup through these templates."""

from django.forms.renderers import TemplatesSetting


class GovukFormRenderer(TemplatesSetting):
    """Renders forms with templates/govuk/forms/ and the widget overrides in templates/django/forms/widgets/."""

    form_template_name = "govuk/forms/form.html"
    field_template_name = "govuk/forms/field.html"
