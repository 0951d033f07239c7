"""{% bilingual %}: a part of a page written in each language its reader reads.

The page's context gives `reader_languages` (amends.people.languages: ["cy", "en"], say). With one language or none,
the part is written once, in the page's own language. With more, it is written once in each, in order:

    {% bilingual %}...{% endbilingual %}                stacked, each in a <div lang="..">
    {% bilingual inline as name %}...{% endbilingual %} side by side in <span lang=".."> parts, kept as `name`
    {% bilingual plain %}...{% endbilingual %}          side by side as plain text (for the page's <title>)
"""

from django import template
from django.template.base import Parser, Token
from django.utils.html import format_html_join, strip_tags
from django.utils.safestring import mark_safe

from amends.core.languages import BETWEEN, in_each

register = template.Library()


class BilingualNode(template.Node):
    def __init__(self, nodelist: template.NodeList, mode: str, name: str | None) -> None:
        self.nodelist = nodelist
        self.mode = mode
        self.name = name

    def render(self, context: template.Context) -> str:
        languages = list(context.get("reader_languages") or [])
        written: str
        if len(languages) < 2:
            written = self.nodelist.render(context)
        else:
            parts = in_each(languages, lambda: self.nodelist.render(context).strip())
            if self.mode == "plain":
                written = BETWEEN.join(strip_tags(text) for _code, text in parts)
            elif self.mode == "inline":
                written = format_html_join(BETWEEN, '<span lang="{}">{}</span>', ((c, mark_safe(t)) for c, t in parts))  # noqa: S308
            else:
                written = format_html_join(
                    "\n",
                    '<div lang="{}" class="amends-in-language">{}</div>',
                    ((c, mark_safe(t)) for c, t in parts),  # noqa: S308
                )
        if self.name:
            # The template's own output, already escaped where it should be.
            context[self.name] = mark_safe(written.strip())  # noqa: S308
            return ""
        return written


@register.tag("bilingual")
def do_bilingual(parser: Parser, token: Token) -> BilingualNode:
    bits = token.split_contents()[1:]
    name = None
    if len(bits) >= 2 and bits[-2] == "as":
        name = bits[-1]
        bits = bits[:-2]
    mode = bits[0] if bits else "stacked"
    if mode not in {"stacked", "inline", "plain"} or len(bits) > 1:
        raise template.TemplateSyntaxError("{% bilingual [inline|plain] [as name] %}")
    nodelist = parser.parse(("endbilingual",))
    parser.delete_first_token()
    return BilingualNode(nodelist, mode, name)
