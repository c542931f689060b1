"""The auditors' control questions, answered from the report's own tables and
a few counts, each with its evidence and a link to where it can be checked, in
the order an audit report uses: guidelines, decisions, responsibilities,
supervision, archiving and disposal."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.selectors import current_policy
from archive.disposal.models import RetentionDecision
from archive.register.models import Document
from channels_registry.compliance.models import SweepRun
from channels_registry.models import SocialAccount
from nora_social.reports.tables import Column, Period, Table, percent


def _link(name: str, query: str = "") -> str:
    return f"{settings.SITE_URL}{reverse(name)}{query}"


def _answer(good: int, whole: int) -> str:
    if whole == 0 or good == whole:
        return _("Ja")
    return _("Delvis") if good else _("Nej")


def _share_answer(share: float | None) -> str:
    if share is None or share >= 100:
        return _("Ja")
    return _("Delvis") if share > 0 else _("Nej")


def _rows(tables: dict[str, Table], key: str) -> list[list]:
    return tables[key].rows if key in tables else []


def _guidelines(tables: dict[str, Table]) -> list[list]:
    policy = current_policy()
    people = _rows(tables, "personer")
    persons = sum(r[3] for r in people)
    acknowledged = sum(r[7] for r in people)
    if policy is None:
        policy_evidence = _("Ingen policy är publicerad i systemet.")
    else:
        policy_evidence = _("%(label)s, beslutad %(date)s (%(ref)s).") % {
            "label": policy.label,
            "date": policy.decided_on.isoformat(),
            "ref": policy.decision_reference or _("utan diarienummer"),
        }
    return [
        [
            _("Riktlinjer"),
            _("Finns en beslutad policy för sociala medier?"),
            _("Ja") if policy else _("Nej"),
            policy_evidence,
            _link("accounts:policy"),
        ],
        [
            _("Riktlinjer"),
            _("Känner de som arbetar med kontona till den gällande policyn?"),
            _answer(acknowledged, persons),
            _("%(n)s av %(of)s uppdrag har kvitterat gällande version (%(p)s %%).")
            % {"n": acknowledged, "of": persons, "p": percent(acknowledged, persons) or 0},
            _link("channels_registry:findings_dashboard"),
        ],
    ]


def _decisions(tables: dict[str, Table]) -> list[list]:
    plans = _rows(tables, "planer")
    active = [r for r in plans if r[4] != _("Saknas") or r[6] == _("Ja")]
    missing = sum(1 for r in plans if r[4] == _("Saknas") and r[6] == _("Ja"))
    late = sum(1 for r in plans if r[4] != _("Saknas") and r[6] == _("Ja"))
    with_plan = sum(1 for r in plans if r[4] != _("Saknas"))
    return [
        [
            _("Beslut"),
            _("Är varje aktivt konto beslutat genom en godkänd aktivitetsplan?"),
            _answer(len(active) - missing, len(active)),
            _("%(missing)s aktiva konton saknar godkänd plan; %(n)s konton har en.")
            % {"missing": missing, "n": with_plan},
            _link("channels_registry:findings", "?regel=no_approved_plan"),
        ],
        [
            _("Beslut"),
            _("Utvärderas aktivitetsplanerna i tid?"),
            _answer(with_plan - late, with_plan),
            _("%(late)s av %(n)s planer passerade sin utvärderingsdag före periodens slut.")
            % {"late": late, "n": with_plan},
            _link("activity_plans:plan_list"),
        ],
    ]


def _responsibilities(tables: dict[str, Table]) -> list[list]:
    people = _rows(tables, "personer")
    accounts = len(people)
    owners = sum(1 for r in people if r[5] == _("Ja"))
    deputies = sum(1 for r in people if r[6] == _("Ja"))
    persons = sum(r[3] for r in people)
    competent = sum(r[8] for r in people)
    return [
        [
            _("Ansvar"),
            _("Har varje konto en kontoansvarig och en ersättare?"),
            _answer(min(owners, deputies), accounts),
            _("%(o)s av %(n)s konton har kontoansvarig, %(d)s har ersättare.")
            % {"o": owners, "d": deputies, "n": accounts},
            _link("channels_registry:findings", "?regel=deputy"),
        ],
        [
            _("Ansvar"),
            _("Har de som sköter kontona kompetens för plattformen?"),
            _answer(competent, persons),
            _("%(n)s av %(of)s uppdrag har registrerad plattformskompetens.")
            % {"n": competent, "of": persons},
            _link("channels_registry:account_list"),
        ],
    ]


def _supervision(period: Period, tables: dict[str, Table]) -> list[list]:
    sweeps = SweepRun.objects.filter(
        started_at__gte=period.starts_at,
        started_at__lt=period.ends_at,
        finished_at__isnull=False,
        time_critical_only=False,
        scoped=False,
    ).count()
    findings = _rows(tables, "efterlevnad")
    total = findings[-1] if findings else ["", 0, 0, None, 0]
    questions = _rows(tables, "fragor")
    q_total = questions[-1] if questions else ["", 0, 0, None, None, None]
    escalations = dict((r[0], r[1]) for r in _rows(tables, "eskaleringar"))
    pending = escalations.get(_("Ej bedömda"), 0)
    all_escalations = escalations.get(_("Eskaleringar (lagkrav)"), 0)
    return [
        [
            _("Uppföljning"),
            _("Följs kontona upp löpande?"),
            _("Ja") if sweeps else _("Nej"),
            _(
                "%(sweeps)s fullständiga kontroller under perioden; %(opened)s brister "
                "upptäcktes, %(resolved)s åtgärdades, %(open)s var öppna vid periodens slut."
            )
            % {"sweeps": sweeps, "opened": total[1], "resolved": total[2], "open": total[4]},
            _link("channels_registry:findings_dashboard"),
        ],
        [
            _("Uppföljning"),
            _("Besvaras frågor från allmänheten inom utlovad tid?"),
            _share_answer(q_total[5]),
            _("%(n)s frågor; %(p)s %% besvarade inom utlovad tid.")
            % {"n": q_total[1], "p": q_total[5] if q_total[5] is not None else 0},
            _link("moderation:overdue"),
        ],
        [
            _("Uppföljning"),
            _("Bedöms innehåll som tagits bort enligt lag för polisanmälan?"),
            _answer(all_escalations - pending, all_escalations),
            _("%(n)s eskaleringar, %(p)s ännu inte bedömda.")
            % {"n": all_escalations, "p": pending},
            _link("moderation:escalation_list"),
        ],
    ]


def _archiving(period: Period, accounts: list[SocialAccount], tables) -> list[list]:
    snapshots = _rows(tables, "ogonblicksbilder")
    total = snapshots[-1] if snapshots else ["", 0, 0, 0, 0]
    decisions = RetentionDecision.objects.count()
    runs = sum(r[2] for r in _rows(tables, "gallring"))
    documents = Document.objects.filter(
        account_id__in=[a.pk for a in accounts],
        registered_on__gte=period.start,
        registered_on__lte=period.end,
    ).count()
    return [
        [
            _("Arkivering och gallring"),
            _("Bevaras kontona genom ögonblicksbilder minst en gång om året?"),
            _answer(total[2], total[1]),
            _(
                "%(covered)s av %(due)s konton hade en aktuell ögonblicksbild; %(made)s "
                "bilder togs under perioden, %(ok)s av dem oförändrade."
            )
            % {"covered": total[2], "due": total[1], "made": total[3], "ok": total[4]},
            _link("archive:snapshots"),
        ],
        [
            _("Arkivering och gallring"),
            _("Registreras kontonas handlingar i diariet?"),
            _("Ja") if documents else _("Nej"),
            _("%(n)s handlingar om kontona registrerades under perioden.") % {"n": documents},
            _link("archive:search"),
        ],
        [
            _("Arkivering och gallring"),
            _("Gallras handlingar bara enligt beslut?"),
            _("Ja") if decisions else _("Nej"),
            _(
                "%(d)s gallringsbeslut finns; gallring verkställdes %(r)s gånger under "
                "perioden, alltid med stöd av ett beslut."
            )
            % {"d": decisions, "r": runs},
            _link("archive:retention_index"),
        ],
        _packages_row(tables),
    ]


def _packages_row(tables) -> list:
    packages = _rows(tables, "arkivpaket")
    total = packages[-1] if packages else ["", 0, 0, 0, 0]
    return [
        _("Arkivering och gallring"),
        _("Lämnas handlingarna till arkivet i kontrollerade arkivpaket?"),
        _answer(total[3], total[1]) if total[1] else _("Nej"),
        _(
            "%(n)s arkivpaket exporterades under perioden, %(valid)s giltiga när de skrevs; "
            "%(checked)s paket kontrollerades igen och var oförändrade, %(failed)s kontroller "
            "fann fel."
        )
        % {"n": total[1], "valid": total[2], "checked": total[3], "failed": total[4]},
        _link("archive:export_package"),
    ]


def audit_table(period: Period, accounts: list[SocialAccount], tables: dict[str, Table]) -> Table:
    rows = [
        *_guidelines(tables),
        *_decisions(tables),
        *_responsibilities(tables),
        *_supervision(period, tables),
        *_archiving(period, accounts, tables),
    ]
    return Table(
        key="revision",
        section=_("Revisionens kontrollfrågor"),
        title=_("Revisionens kontrollfrågor"),
        columns=[
            Column(_("Område"), _("Granskningsområde i den ordning en revisionsrapport har.")),
            Column(_("Kontrollfråga"), _("Frågan revisorerna ställer.")),
            Column(_("Svar"), _("Ja, Delvis eller Nej, enligt underlaget.")),
            Column(_("Underlag"), _("Antalen svaret bygger på.")),
            Column(_("Länk"), _("Sidan i systemet där underlaget kan granskas.")),
        ],
        rows=rows,
    )
