"""The record of processing activities for this system (GDPR art. 30.1).

Kept as data next to the code, so a change to what the system stores is
reviewed together with this record. Shown at /personuppgifter/behandlingar/.
"""

from django.utils.translation import gettext_lazy as _

_NO_TRANSFER = _("Nej. Systemet för inte över personuppgifter till länder utanför EU/EES.")
_BASE_SECURITY = _(
    "Krypterad förbindelse (HTTPS med HSTS); behörighet efter roll och per konto; "
    "ändringshistorik med vem och när; krypterade säkerhetskopior."
)

PROCESSING_ACTIVITIES = [
    {
        "name": _("Registret över kommunens konton i sociala medier"),
        "purpose": _(
            "Hålla en förteckning över kommunens konton och vem som ansvarar för, administrerar "
            "och ersätter på varje konto, så att inget konto lämnas obevakat (policyn §2–§5, §10)."
        ),
        "legal_basis": _("Artikel 6.1 e (allmänt intresse) och 6.1 c (arkivlagen 1990:782)."),
        "subjects": _(
            "Medarbetare: namn, användarnamn, e-postadress, befattning, enhet, roll på kontot "
            "och datum från–till. Den publicerade listan visar inga personer, bara kontots "
            "funktionsadress."
        ),
        "recipients": _(
            "Behöriga medarbetare; den som begär ut allmän handling efter sekretessprövning."
        ),
        "transfers": _NO_TRANSFER,
        "retention": _(
            "Så länge kontot finns, därefter enligt dokumenthanteringsplanen. Historiken sparas."
        ),
        "security": _BASE_SECURITY,
    },
    {
        "name": _("Medarbetarnas inloggning, frånvaro, kvittens och kunskap"),
        "purpose": _(
            "Logga in och bekräfta identiteten inför känsliga åtgärder; veta vem som har läst "
            "policyn (§12), har kunskap om plattformen (§9) och är frånvarande (§3, §5)."
        ),
        "legal_basis": _("Artikel 6.1 e (allmänt intresse) och 6.1 c (artikel 32, säkerhet)."),
        "subjects": _(
            "Medarbetare: användarnamn, lösenord (bara som hash), nyckel för engångskoder, "
            "frånvaroperioder, datum för kvittens och plattformskunskap, notiser."
        ),
        "recipients": _("Medarbetaren själv, närmaste chef och informationsansvarig."),
        "transfers": _NO_TRANSFER,
        "retention": _(
            "Så länge personen arbetar med kommunens konton; inloggningen upphör efter "
            "åtta timmar. Därefter enligt dokumenthanteringsplanen."
        ),
        "security": _(
            "Lösenord lagras som saltad hash; ny bekräftelse med lösenord eller engångskod "
            "inför känsliga åtgärder; säkra kakor som bara skickas över HTTPS."
        ),
    },
    {
        "name": _("Deponering av inloggningsuppgifter"),
        "purpose": _(
            "Se till att kommunen alltid kommer åt sina konton, även när de ansvariga slutar "
            "eller är frånvarande (§3)."
        ),
        "legal_basis": _("Artikel 6.1 e (allmänt intresse)."),
        "subjects": _(
            "Kommunägda inloggningar: användarnamn, lösenord, återställningskoder och den "
            "e-postadress eller det telefonnummer kontot är kopplat till. Medarbetare: vem som "
            "deponerat, begärt, beviljat eller visat uppgifterna, när och varför."
        ),
        "recipients": _(
            "Bara informationsansvarig och dennes ersättare, samt en chef som fått tidsbegränsad "
            "åtkomst beviljad."
        ),
        "transfers": _NO_TRANSFER,
        "retention": _(
            "Tills kontot stängs, då deponeringen avslutas. Loggen sparas enligt "
            "dokumenthanteringsplanen."
        ),
        "security": _(
            "Krypterat i databasen med nycklar som förvaras utanför den; visas bara efter ny "
            "bekräftelse av identiteten och med angivet skäl; kontoansvarig underrättas; sidan "
            "sparas aldrig i cache; uppgifterna finns aldrig i historik, loggar eller e-post."
        ),
    },
    {
        "name": _("Aktivitetsplaner och godkännanden"),
        "purpose": _(
            "Ge medarbetaren ett skriftligt uppdrag som chef, förvaltning och "
            "informationsansvarig har godkänt innan ett konto startar (§2, §3, bilaga 1)."
        ),
        "legal_basis": _("Artikel 6.1 e (allmänt intresse) och 6.1 c (arkivlagen 1990:782)."),
        "subjects": _("Medarbetare och chefer: namn, roll, enhet, beslut, datum och kommentarer."),
        "recipients": _(
            "De som godkänner planen, informationsansvarig (kopia); den som begär ut allmän "
            "handling efter sekretessprövning."
        ),
        "transfers": _NO_TRANSFER,
        "retention": _("Enligt dokumenthanteringsplanen; godkända planer sparas som PDF/A."),
        "security": _BASE_SECURITY,
    },
    {
        "name": _("Kommunens inlägg, kommentarer, frågor och moderering"),
        "purpose": _(
            "Bevara inlägg och kommentarer som allmänna handlingar, besvara frågor i tid och "
            "ta bort innehåll som bryter mot lagen eller kommentarsreglerna, efter att det "
            "bevarats (§5, §6, §10)."
        ),
        "legal_basis": _(
            "Artikel 6.1 c (tryckfrihetsförordningen, offentlighets- och sekretesslagen, "
            "arkivlagen, lagen 1998:112 om ansvar för elektroniska anslagstavlor) och 6.1 e. "
            "Känsliga uppgifter: artikel 9.2 g och 3 kap. 3 § dataskyddslagen (2018:218)."
        ),
        "subjects": _(
            "Allmänheten: namn eller användarnamn på plattformen, profillänk, innehållet i "
            "kommentaren eller frågan och tidpunkt. Medarbetare: vem som skrev, rättade, "
            "besvarade eller tog bort, och varför."
        ),
        "recipients": _(
            "Kontots ansvariga, registrator; den som begär ut allmän handling efter "
            "sekretessprövning (21 kap. 7 § offentlighets- och sekretesslagen)."
        ),
        "transfers": _(
            "Nej, inte från systemet. Plattformarna behandlar innehållet under eget ansvar."
        ),
        "retention": _(
            "Enligt dokumenthanteringsplanen; gallring bara med stöd av gallringsbeslut, och "
            "varje gallring antecknas."
        ),
        "security": _BASE_SECURITY,
    },
    {
        "name": _("Hot, brott och polisanmälningar"),
        "purpose": _(
            "Anmäla hot och brott till polisen och skydda medarbetare, med kommunens "
            "säkerhetssamordnare (§5)."
        ),
        "legal_basis": _(
            "Artikel 6.1 e (allmänt intresse); uppgifter om brott enligt 3 kap. 8 § "
            "dataskyddslagen (2018:218)."
        ),
        "subjects": _(
            "Allmänheten och medarbetare: uppgifter om misstänkta brott, den utsatta, "
            "polisens diarienummer. Material som det är brottsligt att inneha sparas aldrig."
        ),
        "recipients": _("Säkerhetssamordnaren, överordnad chef och Polismyndigheten."),
        "transfers": _NO_TRANSFER,
        "retention": _("Enligt dokumenthanteringsplanen."),
        "security": _(
            "Begränsad behörighet; sekretessmarkering enligt offentlighets- och "
            "sekretesslagen; rensning av material kräver två personer och antecknas."
        ),
    },
    {
        "name": _("Diariet, arkivet och ögonblicksbilder av kontona"),
        "purpose": _(
            "Registrera allmänna handlingar, hålla dem sökbara, spara en ögonblicksbild av "
            "varje konto minst en gång om året och gallra enligt beslut (§10)."
        ),
        "legal_basis": _(
            "Artikel 6.1 c (offentlighets- och sekretesslagen 5 kap., arkivlagen 1990:782)."
        ),
        "subjects": _(
            "Allmänheten och medarbetare: uppgifter i ärenden och handlingar, skärmdumpar som "
            "kan visa namn och profilbilder. Den offentliga delen av diariet visar inga "
            "personnamn."
        ),
        "recipients": _(
            "Registrator och behöriga medarbetare; den som begär ut allmän handling efter "
            "sekretessprövning; kommunens arkiv."
        ),
        "transfers": _NO_TRANSFER,
        "retention": _(
            "Bevaras eller gallras enligt gallringsbeslut; det som ska bevaras förs till "
            "kommunens arkiv."
        ),
        "security": _BASE_SECURITY,
    },
    {
        "name": _("Uppföljning av policyn och notiser"),
        "purpose": _(
            "Upptäcka konton som inte följer policyn och påminna den som ansvarar (§3–§5)."
        ),
        "legal_basis": _("Artikel 6.1 e (allmänt intresse)."),
        "subjects": _("Medarbetare: vem som ansvarar för en brist, notiser och e-post."),
        "recipients": _("Kontoansvarig, chef, förvaltningschef och informationsansvarig."),
        "transfers": _NO_TRANSFER,
        "retention": _(
            "Brister sparas med datum för när de upptäcktes och åtgärdades; notiser enligt "
            "dokumenthanteringsplanen."
        ),
        "security": _BASE_SECURITY,
    },
    {
        "name": _("Rapporter om bristande tillgänglighet"),
        "purpose": _("Ta emot, besvara och åtgärda rapporter om tillgänglighetsbrister."),
        "legal_basis": _(
            "Artikel 6.1 c (lagen 2018:1937 om tillgänglighet till digital offentlig service)."
        ),
        "subjects": _("Allmänheten: beskrivningen och, om personen vill, namn och e-postadress."),
        "recipients": _(
            "Kommunens funktionsbrevlåda för tillgänglighet. Rapporten sparas inte i systemet."
        ),
        "transfers": _NO_TRANSFER,
        "retention": _("Som annan e-post till kommunen, enligt dokumenthanteringsplanen."),
        "security": _("Skickas som e-post till kommunens egen e-posttjänst."),
    },
    {
        "name": _("Begäran om allmän handling"),
        "purpose": _(
            "Ta emot, pröva och besvara begäranden om att ta del av allmänna handlingar, "
            "lämna ut kopior, fatta beslut som kan överklagas och ta ut avgift enligt taxan "
            "(tryckfrihetsförordningen 2 kap., offentlighets- och sekretesslagen 6 kap.)."
        ),
        "legal_basis": _(
            "Artikel 6.1 c (tryckfrihetsförordningen 2 kap., offentlighets- och "
            "sekretesslagen 2009:400, arkivlagen 1990:782)."
        ),
        "subjects": _(
            "Den som begär: bara det den själv väljer att lämna (namn, e-postadress, "
            "postadress), vad som begärs och när. Man får vara anonym och får då en länk i "
            "stället. Medarbetare: vem som prövade, maskerade och beslutade."
        ),
        "recipients": _(
            "Registrator och de med delegation att besluta; säkerhetssamordnaren för en "
            "begäran som innehåller hot; kammarrätten vid överklagande."
        ),
        "transfers": _NO_TRANSFER,
        "retention": _(
            "Begäran är en allmän handling i diariet och gallras enligt gallringsbeslutet för "
            "diarieserien. Länkar till utlämnade kopior slutar gälla efter 14 dagar."
        ),
        "security": _BASE_SECURITY,
    },
    {
        "name": _("Drift och säkerhet för webbplatsen"),
        "purpose": _("Hålla webbplatsen tillgänglig och säker och utreda incidenter."),
        "legal_basis": _("Artikel 6.1 c (artikel 32, säkerhet i behandlingen)."),
        "subjects": _(
            "Besökare och medarbetare: IP-adress och tidpunkt i serverns loggar; kakor för "
            "inloggning, formulärskydd och språkval."
        ),
        "recipients": _("Kommunens it-drift och dess personuppgiftsbiträden med avtal."),
        "transfers": _NO_TRANSFER,
        "retention": _(
            "Inloggningskakan upphör när webbläsaren stängs eller efter åtta timmar; loggar "
            "enligt kommunens rutin för it-säkerhet."
        ),
        "security": _(
            "Inga kakor för statistik eller marknadsföring; loggar innehåller aldrig "
            "formulärinnehåll eller inloggningsuppgifter."
        ),
    },
]
