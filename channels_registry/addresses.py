"""§4, §10: the account's own address on its platform, the link citizens use to
check that an account is the real one.

A valid address is https, on one of the platform's own domains (kept on the
``Platform`` row as data) and leads to the account's handle: one segment of its
path is the handle, compared as the naming rules compare handles (case and
separators ignored, so ``linkedin.com/company/nora-kommun-naringsliv`` matches
``norakommunnaringsliv`` and ``youtube.com/@norakommunfilm`` matches
``norakommunfilm``). Pure functions, so the services (refusing a change), the
sweep (finding a lapse) and the public list (publishing a link) apply one rule.
"""

import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from django.utils.translation import gettext as _

from channels_registry.naming import normalise

_DOMAIN = re.compile(r"^(?=.{3,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
_DOMAIN_SEPARATORS = re.compile(r"[\s,;]+")


@dataclass(frozen=True)
class AddressProblem:
    rule: str
    message: str


def parse_domains(text: str) -> tuple[list[str], list[str]]:
    """``(domains, invalid)`` from a list separated by spaces, commas or lines;
    lower-cased, without a leading "www." or scheme, duplicates dropped."""
    domains: list[str] = []
    invalid: list[str] = []
    for raw in _DOMAIN_SEPARATORS.split(text or ""):
        word = raw.strip().lower().rstrip(".")
        if not word:
            continue
        if "://" in word:
            word = urlsplit(word).hostname or ""
        word = word.removeprefix("www.")
        if not _DOMAIN.match(word):
            invalid.append(raw.strip())
        elif word not in domains:
            domains.append(word)
    return domains, invalid


def on_domain(host: str, domains: list[str]) -> bool:
    """The host is one of the domains or a subdomain of one (www., m., sv-se.);
    never a look-alike such as ``evilfacebook.com`` or ``facebook.com.evil.se``."""
    host = host.lower().rstrip(".")
    return any(host == d or host.endswith("." + d) for d in domains)


def address_problems(
    *, url: str, platform_name: str, domains: list[str], handle: str
) -> list[AddressProblem]:
    """Every way ``url`` fails to be the account's own address, in Swedish.
    An empty ``url`` is one problem ("missing"); an empty handle is not checked."""
    url = (url or "").strip()
    if not url:
        return [
            AddressProblem(
                "missing",
                _(
                    "Kontots adress saknas. Registrera kontots riktiga adress på %(platform)s, "
                    "så att förteckningen kan länka till det (§4, §10)."
                )
                % {"platform": platform_name},
            )
        ]
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return [AddressProblem("malformed", _("Adressen är inte en giltig webbadress."))]
    problems = _form_problems(parts, host, port, domains)
    if not host:
        return problems
    problems.extend(_domain_problems(host, platform_name, domains))
    wanted = normalise(handle or "")
    # The handle is checked only on an otherwise sound address on the right domain.
    if wanted and problems == []:
        segments = [normalise(unquote(s)) for s in parts.path.split("/") if s]
        if wanted not in segments:
            problems.append(
                AddressProblem(
                    "handle",
                    _(
                        "Adressen leder inte till användarnamnet %(handle)s. Användarnamnet ska "
                        "finnas i adressen, t.ex. https://www.%(domain)s/%(handle)s."
                    )
                    % {"handle": handle, "domain": domains[0]},
                )
            )
    return problems


def _form_problems(parts, host: str, port: int | None, domains: list[str]) -> list[AddressProblem]:
    """https, a host, nothing but the address: no credentials, port, query or fragment."""
    problems = []
    if parts.scheme.lower() != "https":
        problems.append(
            AddressProblem(
                "scheme",
                _("Adressen måste börja med https:// (en säker adress), t.ex. https://%(d)s/…")
                % {"d": domains[0] if domains else "example.com"},
            )
        )
    if not host:
        problems.append(AddressProblem("malformed", _("Adressen är inte en giltig webbadress.")))
        return problems
    if parts.username is not None or parts.password is not None or port is not None:
        problems.append(
            AddressProblem(
                "malformed",
                _("Adressen får inte innehålla användarnamn, lösenord eller portnummer."),
            )
        )
    if parts.query or parts.fragment:
        problems.append(
            AddressProblem(
                "query",
                _("Ange kontots egen adress utan ?- eller #-del (till exempel spårningskoder)."),
            )
        )
    return problems


def _domain_problems(host: str, platform_name: str, domains: list[str]) -> list[AddressProblem]:
    """The address lies on one of the platform's own domains (§4, §10)."""
    if not domains:
        return [
            AddressProblem(
                "no_domains",
                _(
                    "Plattformen %(platform)s har inga registrerade domäner. "
                    "Informationsansvarig anger dem under Plattformar."
                )
                % {"platform": platform_name},
            )
        ]
    if not on_domain(host, domains):
        return [
            AddressProblem(
                "domain",
                _(
                    "Adressen måste ligga på %(platform)s egen domän (%(domains)s), "
                    "inte på %(host)s."
                )
                % {"platform": platform_name, "domains": ", ".join(domains), "host": host},
            )
        ]
    return []


def account_address_problems(account) -> list[AddressProblem]:
    """``address_problems`` for an account (its platform loaded)."""
    return address_problems(
        url=account.url,
        platform_name=account.platform.name,
        domains=account.platform.domain_list,
        handle=account.handle,
    )
