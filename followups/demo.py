"""The Huddinge demo data set, built from the facts in the source documents
(``shared/seeds``): the programme 2018–2021, its five responsibility areas,
goals, indicators with the documented figures, the two guidelines, the
reference lists, the 2021 follow-up with its activities and assessments, and
one demo user per role.

Where the sources give no wording or figures, the text says so ("Exempeldata")
and indicator values carry ``is_example``. Loading only ever creates what is
missing, so running it again changes nothing, not even text that users have
edited since.
"""

import secrets
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from programmes.models import (
    District,
    Goal,
    Guideline,
    Indicator,
    IndicatorValue,
    OrganisationalUnit,
    Partner,
    Programme,
    ResponsibilityArea,
)

from . import extensions
from .demo_history import load_history
from .models import (
    Activity,
    AreaSummary,
    ConfidentialityGround,
    Contributor,
    FollowUp,
    GoalAssessment,
    GuidelineFollowUp,
    Rating,
)

EXAMPLE = "Exempeldata: formuleringen finns inte i källdokumenten."
EXAMPLE_VALUE = "Exempeldata: källdokumenten anger inget värde för året."

PROGRAMME = {
    "name": "Program för trygghet och säkerhet",
    "municipality": "Huddinge kommun",
    "first_year": 2018,
    "last_year": 2021,
    "adopted_by": "Kommunfullmäktige",
    "adopted_on": date(2018, 6, 18),
    "overall_goal": (
        "Huddinge ska vara en trygg och säker kommun för alla som bor, verkar och vistas där."
    ),
    "description": (
        "Programmet definierar ansvarsområden för Huddinge kommuns arbete med trygghet och "
        "säkerhet och fastställer övergripande mål för verksamheten inom dessa. Det gäller för "
        "samtliga av kommunens nämnder, förvaltningar och anställda. Kommunstyrelsens "
        "förvaltning har det övergripande ansvaret för genomförandet. Planen ryms inom "
        "kommunens fokus med social hållbarhet och har ett tydligt barnperspektiv."
    ),
}

# (number, name, overarching sub-goal)
AREAS = [
    (
        1,
        "Trygghetsskapande och brottsförebyggande arbete",
        "Att öka den upplevda tryggheten och minska utsattheten för brott i kommunen.",
    ),
    (
        2,
        "Skydd mot olyckor",
        f"Färre människor ska skadas och omkomma i olyckor och bränder i kommunen. ({EXAMPLE})",
    ),
    (
        3,
        "Krisberedskap",
        "Kommunen ska kunna upprätthålla sina viktigaste verksamheter och leda arbetet "
        f"vid en allvarlig händelse eller kris. ({EXAMPLE})",
    ),
    (
        4,
        "Civilt försvar",
        "Kommunen ska kunna bedriva sin verksamhet och bidra till totalförsvaret vid "
        f"höjd beredskap. ({EXAMPLE})",
    ),
    (
        5,
        "Internt skydds- och säkerhetsarbete",
        "Kommunens medarbetare, förtroendevalda, information och egendom ska ha ett "
        f"skydd som motsvarar riskerna. ({EXAMPLE})",
    ),
]

AGREEMENT = (
    "Prioriterat område i samverkansöverenskommelsen 2021–2022 mellan Huddinge kommun, "
    "Lokalpolisområde Huddinge och Södertörns brandförsvarsförbund (KS-2018/91.103)."
)

# area number -> [(code, title, description)]
GOALS = {
    1: [
        ("1.1", "Ökad trygghet i den offentliga miljön", AGREEMENT),
        ("1.2", "Barn och unga ges goda förutsättningar och skyddas mot brott", AGREEMENT),
        (
            "1.3",
            "Minskat bruk av alkohol, narkotika, doping, tobak och spel (ANDTS)",
            AGREEMENT,
        ),
        (
            "1.4",
            "En ren och trygg utemiljö där klotter åtgärdas inom given tid",
            "Särskild prioritering för trygghets- och delaktighetsberedningen 2021; följs upp "
            "med riktlinjerna för klotterrelaterad skadegörelse.",
        ),
        (
            "1.5",
            "Lokal samverkan och dialog med invånarna utifrån lägesbilden",
            "Bygger på samverkansöverenskommelsen och beredningens prioritering Lokal samverkan.",
        ),
        (
            "1.6",
            "Våld i nära relationer upphör",
            "Ett av kommunens övergripande mål för preventionsarbetet enligt "
            "verksamhetsberättelsen 2021.",
        ),
    ],
    2: [
        ("2.1", "Färre bränder och olyckor i kommunens verksamheter", EXAMPLE),
        ("2.2", "Alla verksamheter bedriver systematiskt brandskyddsarbete", EXAMPLE),
    ],
    3: [
        ("3.1", "Kommunen har en aktuell risk- och sårbarhetsanalys", EXAMPLE),
        (
            "3.2",
            "Krisledningen är övad och erfarenheterna från pandemin tas tillvara",
            f"Kommunen ser över rekommendationerna från pandemiarbetet 2022. {EXAMPLE}",
        ),
    ],
    4: [
        ("4.1", "Planeringen för verksamhet under höjd beredskap är påbörjad", EXAMPLE),
        ("4.2", "Nyckelpersoner är utbildade i civilt försvar", EXAMPLE),
    ],
    5: [
        ("5.1", "Medarbetare upplever en trygg och säker arbetsmiljö", EXAMPLE),
        ("5.2", "Informationssäkerhet och fysiskt skydd är anpassade efter risk", EXAMPLE),
    ],
}

SCB = "SCB:s medborgarundersökning"

# (area, order, name, unit, higher_is_better, source, description, {year: (value, is_example)})
INDICATORS = [
    (
        1,
        1,
        "Klotterärenden på kommunens mark",
        Indicator.Unit.COUNT,
        False,
        "Kommunens felanmälan",
        "Antal hanterade klotterärenden på kommunens mark under året.",
        {2020: (Decimal(474), False), 2021: (Decimal(415), False)},
    ),
    (
        1,
        2,
        "Felanmälningar om klotter åtgärdade inom given tid",
        Indicator.Unit.PERCENT,
        True,
        "Kommunens felanmälan",
        "Andel av de inkomna felanmälningarna som avser klotter som åtgärdats inom det "
        "givna tidsintervallet.",
        {2019: (Decimal(77), False), 2020: (Decimal(64), False), 2021: (Decimal(74), False)},
    ),
    (
        1,
        3,
        "Invånare som upplever att kommunen är en bra plats att leva och bo på",
        Indicator.Unit.PERCENT,
        True,
        SCB,
        "Nyckeltal i kommunens bedömning av måluppfyllelse från och med 2021.",
        {2019: (Decimal(74), True), 2020: (Decimal(72), True), 2021: (Decimal(73), True)},
    ),
    (
        1,
        4,
        "Upplevd trygghet i bostadsområdet",
        Indicator.Unit.PERCENT,
        True,
        SCB,
        "Nyckeltal i kommunens bedömning av måluppfyllelse från och med 2021.",
        {2019: (Decimal(68), True), 2020: (Decimal(66), True), 2021: (Decimal(67), True)},
    ),
]

GUIDELINES = [
    (
        1,
        "Riktlinjer för klotterrelaterad skadegörelse",
        "Gäller 2018–2022. Beskriver mål, tillvägagångssätt och ansvarsfördelning för att "
        "förebygga och åtgärda klotter.",
    ),
    (
        2,
        "Riktlinjer för att förebygga och förhindra våldsbejakande extremism",
        "Beskriver mål, insatser samt ansvarsfördelning och roller inom området.",
    ),
]

UNITS = [
    "Kommunstyrelsens förvaltning",
    "Trygghets- och säkerhetssektionen",
    "Barn- och utbildningsförvaltningen",
    "Kultur- och fritidsförvaltningen",
    "Gymnasie- och arbetsmarknadsförvaltningen",
    "Socialförvaltningen",
    "Samhällsbyggnadsavdelningen",
]

PARTNERS = [
    "Polisen, lokalpolisområde Huddinge",
    "Södertörns brandförsvarsförbund",
    "Hüge Bostäder AB",
    "Huddinge Samhällsfastigheter AB",
    "Kriminalvården",
    "Samverkan i Huddinge",
    "Karolinska institutet",
    "Ungdomsjouren Kraftbyrån",
    "Kvinnojouren Huddinge",
    "Länsstyrelserna",
]

DISTRICTS = [
    "Flemingsberg",
    "Fullersta",
    "Huddinge centrum",
    "Kungens kurva",
    "Länna",
    "Segeltorp",
    "Sjödalen",
    "Skogås",
    "Trångsund",
    "Vårby",
]

YEAR = 2021
SECTION = "Trygghets- och säkerhetssektionen"

FOLLOWUP = {
    "registration_number": "KS-2022/177.173",
    "decided_by": "Kommunstyrelsen",
    "summary": (
        "Trots den extraordinära situation som gällt under pandemin utvecklades arbetet under "
        "2021, och förvaltningen bedömer att målen för arbetet med trygghet och säkerhet uppnås "
        "under programperioden. Flertalet planerade trygghetsdialoger fick ställas in, medan "
        "trygghetskameror, trygghetsvärdar och arbetet med trygghet i den offentliga miljön "
        "kom igång under året."
    ),
}


@dataclass
class DemoActivity:
    title: str
    area: int
    goals: list[str]
    status: str
    description: str
    result: str
    unit: str = SECTION
    partners: list[str] = field(default_factory=list)
    districts: list[str] = field(default_factory=list)
    # A confidential activity's legal ground (empty: public).
    confidentiality_ground: str = ""
    confidentiality_note: str = ""


POLICE = PARTNERS[0]
FIRE = PARTNERS[1]
HUGE = PARTNERS[2]

ACTIVITIES = [
    DemoActivity(
        "Trygghetskameror i Grantorp",
        1,
        ["1.1"],
        Activity.Status.DONE,
        "Efter flera års arbete med riktlinjer, tillståndsansökan och upphandling av "
        "leverantör installeras trygghetskameror i Grantorp. Finansieras med de "
        "bostadssociala medlen.",
        "I december genomfördes installationen i Grantorp, som hade tillstånd från "
        "Integritetsskyddsmyndigheten, och anläggningen startades i slutet av året.",
        districts=["Flemingsberg"],
    ),
    DemoActivity(
        "Projektering av trygghetskameror i centrumanläggningens garage",
        1,
        ["1.1"],
        Activity.Status.ONGOING,
        "I samband med arbetet i Grantorp projekterar kommunen tillsammans med Hüge Bostäder "
        "AB trygghetskameror i centrumanläggningens garage.",
        "Projekteringen pågick vid årets slut.",
        partners=[HUGE],
        districts=["Flemingsberg"],
    ),
    DemoActivity(
        "Översyn av kameror vid Annerstaskolan",
        1,
        ["1.1", "1.2"],
        Activity.Status.DONE,
        "Tillsammans med Annerstaskolan ses befintliga kameror över och kompletteringar planeras.",
        "Befintliga kameror är genomgångna och kompletteringar planerade.",
        unit="Barn- och utbildningsförvaltningen",
    ),
    DemoActivity(
        "Trygghetsvärdar i den offentliga miljön",
        1,
        ["1.1"],
        Activity.Status.ONGOING,
        "Trygghetsvärdar finns ute i den offentliga miljön för att möta kommunens invånare och "
        "ha en trygghetsskapande roll som representerar Huddinge kommun. Tillfälliga "
        "anställningar 2021–2022, finansierade med de bostadssociala medlen.",
        "I mitten av september anställdes tre trygghetsvärdar.",
    ),
    DemoActivity(
        "Trygghetsdialoger i Fullersta, Trångsund och Skogås",
        1,
        ["1.5"],
        Activity.Status.DONE,
        "Trygghetsdialoger med invånarna i ordinarie form.",
        "Dialogerna i Fullersta, Trångsund och Skogås genomfördes. Flertalet av de övriga "
        "inplanerade dialogerna fick ställas in på grund av pandemin.",
        partners=[POLICE],
        districts=["Fullersta", "Trångsund", "Skogås"],
    ),
    DemoActivity(
        "Digitala trygghetsdialoger för Vårby och Flemingsberg",
        1,
        ["1.5"],
        Activity.Status.DONE,
        "Försök med digitala dialoger under våren, när dialoger på plats inte kunde hållas.",
        "Två digitala dialoger genomfördes under våren, för Vårby och för Flemingsberg.",
        partners=[POLICE],
        districts=["Vårby", "Flemingsberg"],
    ),
    DemoActivity(
        "Trygghetsanalys runt Skogås centrum",
        1,
        ["1.1"],
        Activity.Status.ONGOING,
        "Arbetet med trygghet i den offentliga miljön inleddes i slutet av året, med en "
        "trygghetsanalys av området runt Skogås centrum.",
        "Analysen är genomförd och presenteras under första kvartalet 2022.",
        districts=["Skogås"],
    ),
    DemoActivity(
        "Demokratidagar 2021: Huddinge fritt från våld",
        1,
        ["1.2", "1.6"],
        Activity.Status.DONE,
        "Två dagar i november med det övergripande temat Huddinge fritt från våld, med "
        "fördjupning i kommunens trygghetsskapande åtgärder och mäns våld mot kvinnor, som del "
        "av Europarådets lokala demokrativecka. Livesändning och på plats i Karolinska "
        "institutets lokaler i Flemingsberg.",
        "Drygt 500 unika tittare följde livesändningarna och ett 20-tal besökare var på plats. "
        "Ungdomsjouren Kraftbyrån nådde cirka 460 elever på Segeltorpsskolan, Annerstaskolan "
        "och Widerströmska gymnasiet med information om sexuellt våld och stöd.",
        unit="Kommunstyrelsens förvaltning",
        partners=["Karolinska institutet", "Ungdomsjouren Kraftbyrån"],
        districts=["Flemingsberg"],
    ),
    DemoActivity(
        "Kampanj på internationella kvinnodagen: Kvinnors rätt – hur långt har vi kommit?",
        1,
        ["1.6"],
        Activity.Status.DONE,
        "Kampanj den 8 mars om att mäns våld mot kvinnor ska upphöra, med hotellhängare i "
        "verksamheterna och inlägg i sociala medier.",
        "Kampanjen nådde cirka 14 000 personer i sociala medier, långt fler än tidigare års "
        "fysiska föreläsningar, och nådde för första gången fler män i åldern 25–34 år.",
        unit="Kommunstyrelsens förvaltning",
        partners=["Kvinnojouren Huddinge", "Ungdomsjouren Kraftbyrån"],
    ),
    DemoActivity(
        "Hantering av klotter på kommunens mark",
        1,
        ["1.4"],
        Activity.Status.DONE,
        "Felanmälningar om klotter på kommunens mark åtgärdas inom det givna tidsintervallet "
        "enligt riktlinjerna för klotterrelaterad skadegörelse.",
        "415 klotterärenden hanterades (474 år 2020). 74 % åtgärdades inom given tid, "
        "jämfört med 64 % år 2020.",
    ),
    DemoActivity(
        "Operativ samordnare för Samverkan i Huddinge i Flemingsberg",
        1,
        ["1.1", "1.5"],
        Activity.Status.ONGOING,
        "Fastighetsägarföreningen Samverkan i Huddinge arbetar utifrån en antagen "
        "handlingsplan, lett av en operativ samordnare på heltid.",
        "Arbetet har under 2021 fokuserat på Flemingsberg; planering för Vårby med start 2022 "
        "pågår.",
        partners=["Samverkan i Huddinge", HUGE, "Huddinge Samhällsfastigheter AB"],
        districts=["Flemingsberg", "Vårby"],
    ),
    DemoActivity(
        "Insatser enligt samverkansöverenskommelsen 2021–2022",
        1,
        ["1.1", "1.2", "1.3"],
        Activity.Status.ONGOING,
        "Insatser utifrån den gemensamma lägesbilden inom de prioriterade områdena Barn och "
        "unga, ANDTS och Trygghet i offentlig miljö, med särskilt fokus på Flemingsberg, "
        "Skogås och Vårby. Styrgruppen följer upp arbetet tre gånger per år.",
        "Beredningen har under året informerats om aktiviteterna och utfallet av dem.",
        partners=[POLICE, FIRE],
        districts=["Flemingsberg", "Skogås", "Vårby"],
    ),
    DemoActivity(
        "Krishantering ur ett jämlikhetsperspektiv under pandemin",
        3,
        ["3.2"],
        Activity.Status.DONE,
        "Tvärsektoriellt samarbete med Länsstyrelserna, civilsamhällesaktörer och myndigheter "
        "om pandemin och de mänskliga rättigheterna.",
        "Samarbetet resulterade i konferensen Vägen framåt – pandemin och de mänskliga "
        "rättigheterna och en rapport med rekommendationer som kommunen ser över 2022.",
        unit="Kommunstyrelsens förvaltning",
        partners=["Länsstyrelserna"],
    ),
    # The sources describe no such measure; a confidential example shows how
    # one is kept out of the report and from contributors.
    DemoActivity(
        "Förstärkt skalskydd vid en samhällsviktig anläggning (exempel)",
        5,
        ["5.2"],
        Activity.Status.ONGOING,
        f"Skalskydd, larm och passerkontroll ses över utifrån en riskbedömning. ({EXAMPLE})",
        "Åtgärderna planeras vara genomförda under 2022.",
        unit="Kommunstyrelsens förvaltning",
        confidentiality_ground=ConfidentialityGround.OSL_18_8,
        confidentiality_note="Uppgifter om säkerhets- och bevakningsåtgärder",
    ),
]

EXAMPLE_ASSESSMENT = "Exempelbedömning utifrån verksamhetsberättelsen 2021."

# goal code -> (rating, analysis); goals without an entry are left to assess.
ASSESSMENTS = {
    "1.1": (
        Rating.PARTLY,
        "Trygghetskamerorna i Grantorp kom i drift i slutet av året och tre trygghetsvärdar "
        "anställdes i september. Arbetet med trygghet i den offentliga miljön inleddes först "
        f"i slutet av året och kunde inte slutföras. {EXAMPLE_ASSESSMENT}",
    ),
    "1.2": (
        Rating.HIGH,
        f"Demokratidagarna och Kraftbyråns skolbesök nådde cirka 460 elever. {EXAMPLE_ASSESSMENT}",
    ),
    "1.4": (
        Rating.HIGH,
        "Andelen klotteranmälningar som åtgärdats i tid ökade från 64 % till 74 %, men är "
        "tre procentenheter lägre än 2019. Låga temperaturer, nya ärendehanteringssystem och "
        f"semestrar förklarar en del av förseningarna. {EXAMPLE_ASSESSMENT}",
    ),
    "1.5": (
        Rating.PARTLY,
        "Flertalet trygghetsdialoger fick ställas in under pandemin; dialoger hölls i "
        f"Fullersta, Trångsund och Skogås och digitalt för Vårby och Flemingsberg. "
        f"{EXAMPLE_ASSESSMENT}",
    ),
}

AREA_SUMMARIES = {
    1: "Under 2021 togs flera steg i arbetet med trygghetskameror, trygghetsvärdar och "
    "trygghet i den offentliga miljön, finansierat med de bostadssociala medlen. Pandemin "
    "gjorde att flertalet trygghetsdialoger fick ställas in.",
}

GUIDELINE_TEXTS = {
    1: "415 klotterärenden på kommunens mark har hanterats under 2021, jämfört med 474 år "
    "2020. 74 % av felanmälningarna om klotter åtgärdades inom det givna tidsintervallet, en "
    "ökning från 64 % år 2020 men en försämring med tre procentenheter jämfört med 2019. "
    "Låga temperaturer vissa perioder, nya ärendehanteringssystem och semestrar förklarar "
    "en del av de 26 % som inte åtgärdades i tid.",
}

# username -> (first name, last name, group, superuser)
USERS = {
    "handlaggare": ("Demo", "Handläggare", "Handläggare", False),
    "sekreterare": ("Demo", "Nämndsekreterare", "Nämndsekreterare", False),
    "admin": ("Demo", "Administratör", "Administratör", True),
    "lasare": ("Demo", "Läsare", "Läsare", False),
    "bidragsgivare": ("Demo", "Bidragsgivare", "Bidragsgivare", False),
}
# username -> the organisational units the demo contributor reports for
CONTRIBUTOR_UNITS = {"bidragsgivare": ["Barn- och utbildningsförvaltningen"]}


@dataclass
class DemoUser:
    username: str
    role: str
    password: str | None  # None when an existing password was kept


def load_demo(password: str | None = None) -> list[DemoUser]:
    """Creates whatever part of the demo data set is missing.

    Side effects: rows in both apps, history records for the rows created,
    the demo users, the approved 2019 and 2020 follow-ups with their archived
    reports and the copied 2022–2025 programme (``demo_history``). Existing
    rows are never changed; an existing user's password changes only when
    ``password`` is given and differs. Returns the demo users with the
    password to show (``None`` when it was kept).
    """
    demo_users, programme, goals = _load_programme_and_year(password)
    load_history(programme, goals, {"caseworker": "handlaggare", "secretary": "sekreterare"})
    for load in extensions.demo_loaders:  # the data of apps built on this one
        load()
    return demo_users


@transaction.atomic
def _load_programme_and_year(password: str | None) -> tuple[list[DemoUser], Programme, dict]:
    """The plan, the 2021 follow-up and the users, in one transaction."""
    programme, _ = Programme.objects.get_or_create(
        name=PROGRAMME["name"], first_year=PROGRAMME["first_year"], defaults=PROGRAMME
    )
    areas = {}
    goals = {}
    for number, name, overarching in AREAS:
        areas[number], _ = ResponsibilityArea.objects.get_or_create(
            programme=programme,
            number=number,
            defaults={"name": name, "overarching_goal": overarching},
        )
        for order, (code, title, description) in enumerate(GOALS[number], start=1):
            goals[code], _ = Goal.objects.get_or_create(
                area=areas[number],
                code=code,
                defaults={"title": title, "description": description, "order": order},
            )
    for area, order, name, unit, higher, source, description, values in INDICATORS:
        indicator, _ = Indicator.objects.get_or_create(
            area=areas[area],
            name=name,
            defaults={
                "unit": unit,
                "counted": "ärenden" if unit == Indicator.Unit.COUNT else "",
                "higher_is_better": higher,
                "source": source,
                "description": description,
                "order": order,
            },
        )
        for year, (value, is_example) in values.items():
            IndicatorValue.objects.get_or_create(
                indicator=indicator,
                year=year,
                defaults={
                    "value": value,
                    "is_example": is_example,
                    "comment": EXAMPLE_VALUE if is_example else "",
                },
            )
    guidelines = {}
    for order, name, description in GUIDELINES:
        guidelines[order], _ = Guideline.objects.get_or_create(
            programme=programme, name=name, defaults={"description": description, "order": order}
        )

    units = {name: OrganisationalUnit.objects.get_or_create(name=name)[0] for name in UNITS}
    partners = {name: Partner.objects.get_or_create(name=name)[0] for name in PARTNERS}
    districts = {name: District.objects.get_or_create(name=name)[0] for name in DISTRICTS}

    followup, _ = FollowUp.objects.get_or_create(programme=programme, year=YEAR, defaults=FOLLOWUP)
    for item in ACTIVITIES:
        activity, created = Activity.objects.get_or_create(
            followup=followup,
            title=item.title,
            defaults={
                "area": areas[item.area],
                "status": item.status,
                "description": item.description,
                "result": item.result,
                "responsible_unit": units[item.unit],
                "is_confidential": bool(item.confidentiality_ground),
                "confidentiality_ground": item.confidentiality_ground,
                "confidentiality_note": item.confidentiality_note,
            },
        )
        if created:
            activity.goals.set([goals[code] for code in item.goals])
            activity.partners.set([partners[name] for name in item.partners])
            activity.districts.set([districts[name] for name in item.districts])
    for code, (rating, analysis) in ASSESSMENTS.items():
        GoalAssessment.objects.get_or_create(
            followup=followup,
            goal=goals[code],
            defaults={"rating": rating, "analysis": analysis},
        )
    for number, text in AREA_SUMMARIES.items():
        AreaSummary.objects.get_or_create(
            followup=followup, area=areas[number], defaults={"text": text}
        )
    for order, text in GUIDELINE_TEXTS.items():
        GuidelineFollowUp.objects.get_or_create(
            followup=followup, guideline=guidelines[order], defaults={"text": text}
        )
    demo_users = [
        _ensure_user(username, *spec, password=password) for username, spec in USERS.items()
    ]
    for username, names in CONTRIBUTOR_UNITS.items():
        contributor, created = Contributor.objects.get_or_create(
            user=get_user_model().objects.get(username=username)
        )
        if created:
            contributor.units.set([units[name] for name in names])
    return demo_users, programme, goals


def _ensure_user(
    username: str,
    first_name: str,
    last_name: str,
    group_name: str,
    superuser: bool,
    password: str | None,
) -> DemoUser:
    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first()
    shown = password
    if user is None:
        shown = password or secrets.token_urlsafe(12)
        user = user_model(
            username=username,
            first_name=first_name,
            last_name=last_name,
            is_staff=superuser,
            is_superuser=superuser,
        )
        user.set_password(shown)
        user.save()
    elif password is not None and not user.check_password(password):
        user.set_password(password)
        user.save(update_fields=["password"])
    user.groups.add(Group.objects.get(name=group_name))
    return DemoUser(username=username, role=group_name, password=shown)
