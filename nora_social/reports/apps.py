"""Called from the project's AppConfig.ready: the navigation entry and the task."""

from django.utils.translation import gettext_lazy as _


def ready() -> None:
    from accounts.navigation import register_nav
    from channels_registry.compliance.links import DashboardLink, register_dashboard_link
    from nora_social.reports import tasks  # noqa: F401 - registers the Celery task
    from nora_social.reports.permissions import can_make_reports

    register_nav(_("Årsrapport"), "reports:index", can_make_reports, order=75)
    register_dashboard_link(
        DashboardLink(
            label=_("Årsrapport till kommunstyrelsen och revisorerna"),
            description=_(
                "samma siffror för en period och en förvaltning, som PDF/A, kalkylblad och CSV"
            ),
            url_name="reports:index",
            visible=can_make_reports,
            order=10,
        )
    )
