"""The approved plan as PDF/A-2b: bilaga 1 rendered by the kernel's PDF/A
writer (``nora_social.core.pdf``)."""

from django.template.loader import render_to_string

from activity_plans.selectors import decisions_of, people_facts, plan_content
from nora_social.core.pdf import html_to_pdf, to_pdfa


def plan_pdf_html(plan) -> str:
    """Bilaga 1 as approved: the fields, the people with §9/§12, the full approval
    trail with names, roles and times, and the revision number."""
    return render_to_string(
        "pdf/activity_plan.html",
        {
            "plan": plan,
            "content": plan_content(plan),
            "people": people_facts(plan),
            "decisions": decisions_of(plan),
        },
    )


def render_plan_pdf(plan) -> bytes:
    return to_pdfa(html_to_pdf(plan_pdf_html(plan)))
