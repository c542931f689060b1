"""Demo accounts in every lifecycle state, made through the services so history,
permissions and checks are exactly as in real use."""

import datetime

from django.utils import timezone

from accounts.models import Unit, User
from channels_registry import lifecycle_services, member_services, services
from channels_registry.escrow import services as escrow_services
from channels_registry.models import (
    AccountMember,
    EscrowDeposit,
    Platform,
    SocialAccount,
)
from channels_registry.selectors import required_checklist_items
from nora_social.core.history import set_history_user

# How each platform writes an account's own address (§4, §10), as a citizen sees it.
ADDRESS_FORMATS = {
    "facebook": "https://www.facebook.com/{handle}",
    "instagram": "https://www.instagram.com/{handle}/",
    "youtube": "https://www.youtube.com/@{handle}",
    "linkedin": "https://www.linkedin.com/company/{handle}",
    "x": "https://x.com/{handle}",
    "tiktok": "https://www.tiktok.com/@{handle}",
}


def demo_address(platform, handle: str) -> str:
    return ADDRESS_FORMATS.get(
        platform.slug, "https://www." + platform.domain_list[0] + "/{handle}"
    ).format(handle=handle)


def _data(platform, unit, name, handle, purpose, **extra) -> services.AccountData:
    url = extra.pop("url", None) or demo_address(platform, handle)
    return services.AccountData(
        platform=platform,
        display_name=name,
        handle=handle,
        unit=unit,
        purpose=purpose,
        contact=extra.pop("contact", "nora.kommun@nora.se"),
        update_frequency_text=extra.pop("update_frequency_text", "Ett par gånger i veckan"),
        response_time_text=extra.pop("response_time_text", "Vi svarar inom en arbetsdag"),
        url=url,
        planned_url=url,
        **extra,
    )


def _make(actor, data, owner, deputy, *, admins=(), ready=True, activate=False, pre_existing=False):
    account = SocialAccount.objects.filter(platform=data.platform, handle=data.handle).first()
    if account is not None:
        return account
    # Demo accounts that are not pre-existing stand for ones whose activity plans
    # were approved before the demo begins (§2–§3): the plans app has no plan to
    # vouch for yet, and attaches one afterwards (activity_plans/demo.py). Only
    # this DEBUG-only seed enters them without the approved-plan check.
    if pre_existing:
        account = services.account_register(actor=actor, data=data, is_pre_existing=True)
    else:
        account = services._register(
            actor=actor, data=data, is_pre_existing=False, override_reason=""
        )
    member_services.member_add(
        account_id=account.pk,
        actor=actor,
        user=owner,
        role=AccountMember.Role.OWNER,
        holds_credentials=True,
    )
    member_services.member_add(
        account_id=account.pk,
        actor=actor,
        user=deputy,
        role=AccountMember.Role.DEPUTY,
        holds_credentials=True,
    )
    for admin in admins:
        member_services.member_add(
            account_id=account.pk,
            actor=actor,
            user=admin,
            role=AccountMember.Role.ADMIN,
            holds_credentials=False,
        )
    if ready:
        if data.platform.access_kind == Platform.AccessKind.SHARED_LOGIN:
            secrets = {
                "login_name": data.handle,
                "password": "demo-Lösen-" + data.handle[-4:],
                "recovery_codes": "1111-2222\n3333-4444",
                "bound_contact": "sociala.medier@nora.se",
            }
            kind = EscrowDeposit.Kind.SHARED_LOGIN
        else:
            secrets = {
                "business_account": f"Nora kommun företagskonto ({data.platform.name})",
                "business_recovery": "Återställning via sociala.medier@nora.se och reservkoder 5555-6666",
            }
            kind = EscrowDeposit.Kind.NAMED_ROLES
        escrow_services.escrow_deposit(
            account_id=account.pk, actor=actor, kind=kind, secrets=secrets
        )
        for item in required_checklist_items(account):
            services.checklist_confirm(account_id=account.pk, actor=owner, item=item)
    if activate:
        lifecycle_services.account_activate(account_id=account.pk, actor=actor)
    account.refresh_from_db()  # the services changed a locked copy
    return account


def seed(people: dict[str, User], units: dict[str, Unit]) -> None:
    io = people["kommunchef"]
    fb = Platform.objects.get(slug="facebook")
    ig = Platform.objects.get(slug="instagram")
    yt = Platform.objects.get(slug="youtube")
    x = Platform.objects.get(slug="x")
    li = Platform.objects.get(slug="linkedin")

    _make(
        io,
        _data(
            fb,
            units["kommunikation"],
            "Nora kommun",
            "norakommun",
            "Nyheter och information från Nora kommun till invånare och besökare.",
            posts_min=3,
            update_frequency_text="Flera gånger i veckan",
        ),
        people["medarbetare"],
        people["kollega"],
        admins=[people["chef"]],
        activate=True,
    )
    _make(
        io,
        _data(
            li,
            units["naringsliv"],
            "Nora kommun Näringsliv",
            "norakommunnaringsliv",
            "Nyheter för företagare och om näringslivet i Nora.",
            posts_min=1,
            url="https://www.linkedin.com/company/nora-kommun-naringsliv",
        ),
        people["naringslivsutvecklare"],
        people["medarbetare"],
        activate=True,
    )
    _make(
        io,
        _data(
            ig,
            units["kulturskolan"],
            "Nora kommun Kulturskolan",
            "norakommun.kulturskolan",
            "Bilder och evenemang från kulturskolan i Nora.",
            posts_min=2,
            update_frequency_text="Ett par gånger i veckan",
        ),
        people["kulturpedagog"],
        people["larare"],
        activate=True,
    )
    _make(
        io,
        _data(
            yt,
            units["kommunikation"],
            "Nora kommun Film",
            "norakommunfilm",
            "Filmer från kommunfullmäktige och om kommunens verksamheter.",
            posts_min=2,
            posts_period="month",
            update_frequency_text="Ett par gånger i månaden",
        ),
        people["kollega"],
        people["medarbetare"],
        activate=True,
    )
    # Planned: everything but the checklist and deposit.
    _make(
        io,
        _data(
            ig,
            units["gata"],
            "Nora kommun Gata och park",
            "norakommun_gataochpark",
            "Driftinformation om gator, parker och snöröjning.",
        ),
        people["gatuingenjor"],
        people["parkarbetare"],
        ready=False,
    )
    # Active, but the deputy has since left the municipality: a finding.
    _make(
        io,
        _data(
            fb,
            units["gymnasiet"],
            "Nora kommun Gymnasiet",
            "norakommun.gymnasiet",
            "Information till elever och vårdnadshavare på gymnasiet.",
        ),
        people["larare"],
        people["studievagledare"],
        activate=True,
    )
    leaver = people["studievagledare"]
    if leaver.left_on is None:
        leaver.left_on = timezone.localdate() - datetime.timedelta(days=3)
        set_history_user(leaver, io)
        leaver.save()
    # Pre-existing from before the policy, its plan due within 90 days.
    _make(
        io,
        _data(
            x,
            units["kommunikation"],
            "Nora kommun Krisinformation",
            "norakommun_kris",
            "Snabb information vid kriser och störningar.",
            response_time_text="Vi svarar inom fyra timmar",
            response_hours=4,
            response_clock="calendar",
        ),
        people["medarbetare"],
        people["kollega"],
        activate=True,
        pre_existing=True,
    )
    # Closing and closed.
    closing = _make(
        io,
        _data(
            fb,
            units["bygglov"],
            "Nora kommun Bygglov",
            "norakommunbygglov",
            "Frågor och svar om bygglov.",
        ),
        people["handlaggare"],
        people["gatuingenjor"],
        activate=True,
    )
    if closing.status == SocialAccount.Status.ACTIVE:
        lifecycle_services.account_start_closing(
            account_id=closing.pk,
            actor=io,
            reason="Frågorna besvaras nu på nora.se och i e-tjänsten.",
        )
    closed = _make(
        io,
        _data(
            x,
            units["kulturskolan"],
            "Nora kommun Bibliotek",
            "norakommunbibliotek",
            "Boktips och evenemang på biblioteket.",
        ),
        people["kulturpedagog"],
        people["larare"],
        activate=True,
    )
    if closed.status == SocialAccount.Status.ACTIVE:
        lifecycle_services.account_start_closing(
            account_id=closed.pk,
            actor=io,
            reason="Biblioteket samlar sin kommunikation på kommunens huvudkonto.",
        )
        # Closing needs the final snapshot (§10), which the archive app makes
        # and then closes the account in its own demo data.
