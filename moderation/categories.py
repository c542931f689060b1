"""Why content is removed: a legal duty or a policy rule (DESIGN.md "Content rules").

Lag (1998:112) om ansvar för elektroniska anslagstavlor, § 5 (SFS 2018:1314), obliges
removal of content that is obviously one of the offences below, or an obvious
copyright infringement. The policy (§5, §10) adds its own grounds. Criticism of the
municipality is never a ground (§6).
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    # Lag (1998:112) § 5 första stycket 1 a–g och 2.
    OLAGA_HOT = "olaga_hot", _("Olaga hot")
    OLAGA_INTEGRITETSINTRANG = "olaga_integritetsintrang", _("Olaga integritetsintrång")
    UPPVIGLING = "uppvigling", _("Uppvigling")
    HETS_MOT_FOLKGRUPP = "hets_mot_folkgrupp", _("Hets mot folkgrupp")
    BARNPORNOGRAFI = "barnpornografi", _("Barnpornografibrott")
    OLAGA_VALDSSKILDRING = "olaga_valdsskildring", _("Olaga våldsskildring")
    TERRORISM = "terrorism", _("Offentlig uppmaning till terrorism")
    UPPHOVSRATT = "upphovsratt", _("Uppenbart intrång i upphovsrätt")
    # The policy's own grounds (§5, §10).
    KRANKANDE = "krankande", _("Kränkande uppgifter")
    REKLAM = "reklam", _("Reklam")
    SEKRETESS = "sekretess", _("Sekretessbelagt material")
    PERSONANGREPP = "personangrepp", _("Personangrepp")
    KOMMENTARSREGLER = "kommentarsregler", _("Brott mot kontots kommentarsregler")
    # The municipality's own post, no longer current or wrong (§10).
    INAKTUELLT = "inaktuellt", _("Inaktuellt eller felaktigt eget inlägg")


@dataclass(frozen=True)
class Ground:
    legal_duty: bool
    provision: str


LAW = "lag (1998:112) om ansvar för elektroniska anslagstavlor, 5 §"

# The provision each legal category rests on. Checked against SFS 2018:1314; the
# terrorism offence moved from 3 § lag (2010:299) to terroristbrottslagen (2022:666).
GROUNDS: dict[str, Ground] = {
    Category.OLAGA_HOT: Ground(True, "4 kap. 5 § brottsbalken"),
    Category.OLAGA_INTEGRITETSINTRANG: Ground(True, "4 kap. 6 c § brottsbalken"),
    Category.UPPVIGLING: Ground(True, "16 kap. 5 § brottsbalken"),
    Category.HETS_MOT_FOLKGRUPP: Ground(True, "16 kap. 8 § brottsbalken"),
    Category.BARNPORNOGRAFI: Ground(True, "16 kap. 10 a § brottsbalken"),
    Category.OLAGA_VALDSSKILDRING: Ground(True, "16 kap. 10 c § brottsbalken"),
    Category.TERRORISM: Ground(
        True,
        "terroristbrottslagen (2022:666); i 2018 års lydelse 3 § lagen (2010:299)",
    ),
    Category.UPPHOVSRATT: Ground(
        True, "lagen (1960:729) om upphovsrätt till litterära och konstnärliga verk"
    ),
    Category.KRANKANDE: Ground(False, "policyn §5"),
    Category.REKLAM: Ground(False, "policyn §5"),
    Category.SEKRETESS: Ground(False, "policyn §5, §10; offentlighets- och sekretesslagen"),
    Category.PERSONANGREPP: Ground(False, "policyn §5"),
    Category.KOMMENTARSREGLER: Ground(False, "kontots kommentarsregler (§4)"),
    Category.INAKTUELLT: Ground(False, "policyn §10"),
}

LEGAL_CATEGORIES = frozenset(c for c, g in GROUNDS.items() if g.legal_duty)
# Possessing it is a crime: never store content or attachment, only metadata.
NO_CONTENT_CATEGORIES = frozenset({Category.BARNPORNOGRAFI})
OWN_POST_ONLY = frozenset({Category.INAKTUELLT})


def is_legal_duty(category: str) -> bool:
    return category in LEGAL_CATEGORIES


def ground_text(category: str) -> str:
    """E.g. "Lagkrav: lag (1998:112) ... 5 § – 4 kap. 5 § brottsbalken"."""
    ground = GROUNDS[Category(category)]
    if ground.legal_duty:
        return str(
            _("Lagkrav: %(law)s – %(provision)s") % {"law": LAW, "provision": ground.provision}
        )
    return str(_("Policyregel: %(provision)s") % {"provision": ground.provision})


def grouped_choices() -> list:
    """For a select with one group for the law and one for the policy."""
    legal = [(c.value, f"{c.label} ({GROUNDS[c].provision})") for c in Category if is_legal_duty(c)]
    policy = [(c.value, c.label) for c in Category if not is_legal_duty(c)]
    return [
        (_("Lagkrav enligt lag (1998:112) 5 § – ska tas bort och eskaleras"), legal),
        (_("Kommunens policy"), policy),
    ]
