"""Links from the UI's "§N" references to the policy's sections.

``{% policylinks %}…{% endpolicylinks %}`` (around the page content in
base.html) turns every "§N" in the rendered text into a link to section N of
the policy page; ``{{ text|policy_links }}`` does the same for one string. Text
inside links, buttons, form controls, scripts and the like is left alone, as
are attribute values, and "§ 145" (a decision's paragraph, with a space) and
"5 kap. 1 §" (a law's) are not ours.
"""

import re

from django import template
from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from accounts.policy_text import SECTION_REFERENCE, anchor

register = template.Library()

TAG = re.compile(r"(<!--.*?-->|<[^>]*>)", re.DOTALL)
TAG_NAME = re.compile(r"^</?\s*([a-zA-Z0-9]+)")
# Elements whose text must not get a link inside (nested interactive content,
# raw text, or text that is not shown as text). In a label a link would also
# take the click meant for the checkbox or field it names.
SKIP = {
    "a",
    "button",
    "label",
    "select",
    "option",
    "textarea",
    "script",
    "style",
    "title",
    "summary",
}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


def _link_text(text: str, base: str) -> str:
    def link(match: re.Match) -> str:
        number = match.group(1)
        # The link text stays "§N", as written: the sentence around it says
        # what it refers to, and text copied or read aloud is unchanged.
        return f'<a class="policy-ref" href="{base}#{anchor(int(number))}">§{number}</a>'

    return SECTION_REFERENCE.sub(link, text)


def link_sections(html: str) -> str:
    """``html`` (already escaped, as a template renders it) with its "§N" text
    linked to the policy."""
    if "§" not in html:
        return html
    base = reverse("accounts:policy")
    out = []
    skipping: list[str] = []
    for part in TAG.split(html):
        if not part:
            continue
        if part.startswith("<"):
            out.append(part)
            found = TAG_NAME.match(part)
            if found is None:
                continue
            name = found.group(1).lower()
            if name not in SKIP or name in VOID or part.endswith("/>"):
                continue
            if part.startswith("</"):
                if name in skipping:
                    while skipping and skipping.pop() != name:
                        pass
            else:
                skipping.append(name)
            continue
        out.append(part if skipping else _link_text(part, base))
    return "".join(out)


@register.filter(is_safe=True)
def policy_links(value):
    return mark_safe(link_sections(str(conditional_escape(value))))  # noqa: S308 - escaped above  # nosec B308 B703


class PolicyLinksNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        return mark_safe(link_sections(self.nodelist.render(context)))  # noqa: S308 - rendered (escaped) template output  # nosec B308 B703


@register.tag
def policylinks(parser, token):
    nodelist = parser.parse(("endpolicylinks",))
    parser.delete_first_token()
    return PolicyLinksNode(nodelist)


@register.simple_tag
def policy_section(number: int):
    """Section ``number`` of the current policy (its heading and blocks), or
    None when no policy is published or it has no such section."""
    from accounts.policy_text import parse
    from accounts.selectors import current_policy

    policy = current_policy()
    if policy is None:
        return None
    return parse(policy.text).section(int(number))
