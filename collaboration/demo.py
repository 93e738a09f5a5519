"""The collaboration's demo data, built from the source documents
(``shared/seeds``): the declaration of intent 2019–2022 and the
collaboration agreement 2021–2022 (seed 002, governance from seed 004), the
situation picture 2019 (seed 002, annex 2), the 2021 citizen promises and
tertial follow-ups (seeds 003 and 004) and an example action plan.

Where the sources give no wording, the text says so ("Exempeldata") and the
row carries ``is_example``. Loading only ever creates what is missing, so
running it again changes nothing, not even text that users have edited
since. Run by ``load_demo`` after the follow-ups' own demo data
(``demo_registration``), whose partners, districts, units and 2021
activities it links to.
"""

from datetime import date

from django.db import transaction

from followups import demo as followups_demo
from followups.models import Activity
from programmes.models import District, OrganisationalUnit, Partner

from .models import (
    ActionPlan,
    Agreement,
    CitizenPromise,
    Measure,
    PriorityArea,
    PriorityAreaStatus,
    Problem,
    PromiseRating,
    SituationPicture,
    TertialFollowUp,
    tertial_frozen,
)

EXAMPLE = "Exempeldata: källdokumenten anger ingen formulering."
EXAMPLE_RATING = "Exempelbedömning utifrån verksamhetsberättelsen 2021."

MUNICIPALITY = "Huddinge kommun"
POLICE = followups_demo.POLICE  # "Polisen, lokalpolisområde Huddinge"
FIRE = followups_demo.FIRE  # "Södertörns brandförsvarsförbund"
PARTIES = [POLICE, FIRE]
FOCUS_DISTRICTS = ["Flemingsberg", "Skogås", "Vårby"]
YEAR = 2021

# Seed 002: signed by the three parties in 2019, valid 2019-2022 (its annex
# title says 2019-2023, the text and seed 004's footnote 2019-01-01 to
# 2022-12-31, which we take).
INTENT = {
    "kind": Agreement.Kind.INTENT,
    "municipality": MUNICIPALITY,
    "title": "Avsiktsförklaring mellan Huddinge kommun, Polisen och Södertörns "
    "brandförsvarsförbund",
    "first_year": 2019,
    "last_year": 2022,
    "status": Agreement.Status.IN_FORCE,
    "governance": (
        "Avsiktsförklaringen syftar till att stärka och utveckla samverkan mellan kommun, "
        "polis och räddningstjänst. Den gäller från och med 2019-01-01 till och med "
        "2022-12-31 och kan förlängas med fyra år i taget. Utifrån den har "
        "samverkansöverenskommelser tecknats för åren 2019–2020 och 2021–2022."
    ),
}

# Seed 002: Kommunstyrelsen commissioned the municipal director to draw up
# the agreement (decision point 1); the seeds give no signing date. Valid
# 2021-01-01 to 2022-12-31 (seed 004).
AGREEMENT = {
    "kind": Agreement.Kind.AGREEMENT,
    "municipality": MUNICIPALITY,
    "title": "Samverkansöverenskommelse mellan Huddinge kommun, Lokalpolisområde Huddinge "
    "och Södertörns brandförsvarsförbund",
    "first_year": 2021,
    "last_year": 2022,
    "registration_number": "KS-2018/91.103",
    "decided_by": "Kommundirektören",
    "status": Agreement.Status.IN_FORCE,
    "governance": (
        "Samverkan organiseras genom en gemensamt ägd styrgrupp där strategiska frågor "
        "planeras, behandlas, beslutas om och följs upp. Styrgruppen sammanträder tre gånger "
        "per år samt vid behov och följer upp samverkansarbetet enligt kommunens struktur för "
        "tertialuppföljning. I styrgruppen ingår från kommunen kommundirektör, "
        "utbildningsdirektör, gymnasie- och arbetsmarknadsdirektör, kultur- och "
        "fritidsdirektör, teknisk direktör, socialdirektör och säkerhetschef, från Polisen "
        "lokalpolisområdeschef och från brandförsvarsförbundet förbundsdirektör (eller "
        "personligen utsedd ersättare).\n\n"
        "En operativ samverkansgrupp (OSG) sköter det kontinuerliga arbetet och träffas varje "
        "vecka. Den består av parternas samordnare, representanter från kommunens "
        "förvaltningar och bolag samt andra intressenter, till exempel stora fastighetsbolag. "
        "OSG har en överblick över pågående trygghetsinsatser och den rådande "
        "trygghetssituationen och tar, på uppdrag av styrgruppen, fram underlag och förslag "
        "till nya insatser. En gång per tertial sammanställer samordnarna i OSG händelser, "
        "aktiviteter och insatser på kommundelsnivå till styrgruppen. Medborgarlöftena tas "
        "fram i OSG och beslutas av styrgruppen."
    ),
}

# Seed 002's list of the priority areas, in its order: (name, description).
PRIORITY_AREAS = [
    (
        "Trygghet i den offentliga miljön",
        "Den upplevda tryggheten i den offentliga miljön, med särskilt fokus på Flemingsberg, "
        "Skogås och Vårby.",
    ),
    (
        "Narkotika/ANDTS",
        "Alkohol, narkotika, doping, tobak och spel (ANDTS).",
    ),
    (
        "Barn och unga (skola/fritid)",
        "Barn och unga i skolan och på fritiden.",
    ),
]
SAFETY, DRUGS, YOUTH = (name for name, _description in PRIORITY_AREAS)

# Titles from followups.demo.ACTIVITIES (all public, all 2021).
CAMERAS = "Trygghetskameror i Grantorp"
GARAGE = "Projektering av trygghetskameror i centrumanläggningens garage"
SCHOOL_CAMERAS = "Översyn av kameror vid Annerstaskolan"
HOSTS = "Trygghetsvärdar i den offentliga miljön"
DIALOGUES = "Trygghetsdialoger i Fullersta, Trångsund och Skogås"
DIGITAL_DIALOGUES = "Digitala trygghetsdialoger för Vårby och Flemingsberg"
SKOGAS_ANALYSIS = "Trygghetsanalys runt Skogås centrum"
DEMOCRACY_DAYS = "Demokratidagar 2021: Huddinge fritt från våld"
WOMENS_DAY = "Kampanj på internationella kvinnodagen: Kvinnors rätt – hur långt har vi kommit?"
AGREEMENT_WORK = "Insatser enligt samverkansöverenskommelsen 2021–2022"

# priority area -> the 2021 activities working in it. The garage cameras
# are left out of every promise and measure below, so the trace page flags
# them as an activity of a priority area that serves neither.
AREA_ACTIVITIES = {
    SAFETY: [CAMERAS, GARAGE, HOSTS, SKOGAS_ANALYSIS],
    DRUGS: [AGREEMENT_WORK],
    YOUTH: [DEMOCRACY_DAYS, SCHOOL_CAMERAS],
}

# Bilaga 2 "Lägesbild 2019" of seed 002, made by the municipality, the local
# police and the fire service. Its own date is not given: 2020-10-05 is the
# date of the report it is annexed to.
PICTURE = {
    "title": "Lägesbild 2019",
    "made_on": date(2020, 10, 5),
    "first_year": 2019,
    "last_year": 2019,
    "municipality_made": True,
    "analysis": (
        "Den stora utmaningen är att öka tryggheten i hela kommunen, då kommunen är stor till "
        "ytan, har ett stort antal invånare och har en demografi som spänner från landsbygd "
        "till miljonprogramsområden. Därför beskriver lägesbilden både utmaningarna på "
        "kommunal nivå och i de olika kommundelarna. Genom en bred insamling av material och "
        "analyser från statistik, trygghetsdialoger, trygghetsvandringar och "
        "medarbetardialoger har de samverkande parterna kommit fram till att Trygghet i den "
        "offentliga miljön, Narkotika/ANDTS och Barn och unga (skola/fritid) bör prioriteras "
        "under åren 2021–2022. Kommundelarna Flemingsberg, Skogås och Vårby är de områden där "
        "utmaningarna är störst när det gäller den upplevda tryggheten, vissa typer av brott "
        "samt aktualisering av barn och ungdomar till socialtjänsten. Därför bör de få en "
        "extra hög prioritet, men insatser behövs i alla kommundelar utifrån respektive "
        "lägesbild."
    ),
}
PICTURE_SOURCES = (
    "Statistik, trygghetsdialoger, trygghetsvandringar och medarbetardialoger "
    "(tjänsteutlåtande 2020-10-05, KS-2018/91.103, bilaga 2)."
)
PROBLEM_EXAMPLE = "Exempeldata: lägesbildens sammanfattning anger inget om detta."

# The problems seed 002 names: (name, mapping, extent, consequences, districts).
# The seed ties the focus districts to insecurity and to children referred
# to the social services; it names none for drugs.
UNSAFETY = "Otrygghet i offentlig miljö"
NARCOTICS = "Narkotika/ANDTS"
CHILDREN = "Barn och unga"
PROBLEMS = [
    (
        UNSAFETY,
        "Utmaningarna är störst i Flemingsberg, Skogås och Vårby när det gäller den upplevda "
        "tryggheten och vissa typer av brott.",
        PROBLEM_EXAMPLE,
        PROBLEM_EXAMPLE,
        FOCUS_DISTRICTS,
    ),
    (
        NARCOTICS,
        "Lägesbilden pekar ut narkotika och övrig ANDTS (alkohol, narkotika, doping, tobak "
        "och spel) som ett område att prioritera.",
        PROBLEM_EXAMPLE,
        PROBLEM_EXAMPLE,
        [],
    ),
    (
        CHILDREN,
        "Aktualiseringen av barn och ungdomar till socialtjänsten är störst i Flemingsberg, "
        "Skogås och Vårby; skolan och fritiden är de arenor som pekas ut.",
        PROBLEM_EXAMPLE,
        PROBLEM_EXAMPLE,
        FOCUS_DISTRICTS,
    ),
]

# The 2021 promises, one per category of the 2022 promises (seed 004); the
# seeds give no wording. (category, priority area, text, parties, activities)
# No priority area fits "Särskilt utsatta brottsoffer": it stays without one.
PROMISES = [
    (
        "Trygghet i offentlig miljö",
        SAFETY,
        "Exempeldata: Kommunen och Polisen lovar att öka den synliga närvaron i den "
        "offentliga miljön, med trygghetsvärdar och trygghetskameror på prioriterade platser.",
        [POLICE],
        [HOSTS, CAMERAS],
    ),
    (
        "Narkotika",
        DRUGS,
        "Exempeldata: Kommunen, Polisen och Södertörns brandförsvarsförbund lovar att "
        "gemensamt följa upp platser där narkotika säljs och att agera på det som invånarna "
        "rapporterar.",
        [POLICE, FIRE],
        [AGREEMENT_WORK],
    ),
    (
        "Barn och unga",
        YOUTH,
        "Exempeldata: Kommunen och Polisen lovar att möta elever i skolorna för att prata om "
        "våld, stöd och var unga kan vända sig.",
        [POLICE],
        [DEMOCRACY_DAYS],
    ),
    (
        "Särskilt utsatta brottsoffer",
        None,
        "Exempeldata: Kommunen och Polisen lovar att informera om vart den som utsatts för "
        "våld i nära relation kan vända sig för att få stöd.",
        [POLICE],
        [WOMENS_DAY],
    ),
]
PROMISE_CATEGORIES = [category for category, *_rest in PROMISES]

DONE = PromiseRating.Rating.DONE
ON_TRACK = PromiseRating.Rating.ON_TRACK
DELAYED = PromiseRating.Rating.DELAYED
NOT_STARTED = PromiseRating.Rating.NOT_STARTED

# tertial -> (summary, {priority area: status}, {promise category: rating}).
# What happened comes from seed 003; where it gives no date, the tertial is
# our reading and the text says so. The ratings are examples (the seeds rate
# no promise).
TERTIALS = {
    1: (
        "I början av 2021 beslutades en extra satsning med bostadssociala medel på "
        "trygghetskameror, trygghetsvärdar och trygghet i den offentliga miljön. Pandemin "
        "gjorde att flertalet inplanerade trygghetsdialoger fick ställas in.",
        {
            SAFETY: "Beslut i början av året om extra medel för trygghetskameror, "
            "trygghetsvärdar och trygghet i den offentliga miljön. Flertalet "
            "trygghetsdialoger fick ställas in på grund av pandemin; under våren gjordes två "
            "försök med digitala dialoger, för Vårby och Flemingsberg.",
            DRUGS: f"Arbetet pågår inom samverkansöverenskommelsen. {EXAMPLE}",
            YOUTH: "Kampanjen på internationella kvinnodagen 8 mars togs fram med Kvinnojouren "
            "Huddinge och ungdomsjouren Kraftbyrån och nådde cirka 14 000 personer i sociala "
            "medier.",
        },
        {
            "Trygghet i offentlig miljö": DELAYED,
            "Narkotika": NOT_STARTED,
            "Barn och unga": ON_TRACK,
            "Särskilt utsatta brottsoffer": ON_TRACK,
        },
    ),
    2: (
        "Arbetet med tillstånd för och installation av trygghetskameror var i stort fokus. "
        "Samverkan i Huddinge arbetade i Flemingsberg. (Exempeldata: källdokumenten daterar "
        "inte arbetet till tertialen.)",
        {
            SAFETY: "Kommunen byggde utifrån de antagna riktlinjerna upp den struktur som krävs "
            "för installation av trygghetskameror och fick en leverantör som möjliggör "
            "installation. Fastighetsägarföreningen Samverkan i Huddinge arbetade i "
            "Flemingsberg med en operativ samordnare på heltid. (Exempeldata: "
            "källdokumenten daterar inte arbetet till tertialen.)",
            DRUGS: f"Arbetet pågår inom samverkansöverenskommelsen. {EXAMPLE}",
            YOUTH: f"Arbetet med barn och unga pågår i skolan och på fritiden. {EXAMPLE}",
        },
        {
            "Trygghet i offentlig miljö": ON_TRACK,
            "Narkotika": ON_TRACK,
            "Barn och unga": ON_TRACK,
            "Särskilt utsatta brottsoffer": DONE,
        },
    ),
    3: (
        "Tre trygghetsvärdar anställdes i mitten av september och trygghetskamerorna i "
        "Grantorp var i drift vid årets slut. Arbetet med trygghet i den offentliga miljön "
        "inleddes först i slutet av året. I november hölls demokratidagarna med temat "
        "Huddinge fritt från våld.",
        {
            SAFETY: "I mitten av september anställdes tre trygghetsvärdar. I december "
            "installerades trygghetskamerorna i Grantorp, som hade tillstånd från "
            "Integritetsskyddsmyndigheten, och anläggningen startades i slutet av året. "
            "Kameror i centrumanläggningens garage projekteras med Hüge Bostäder AB. Arbetet "
            "med trygghet i den offentliga miljön inleddes i slutet av året med en "
            "trygghetsanalys runt Skogås centrum, som presenteras under första kvartalet 2022.",
            DRUGS: f"Arbetet pågår inom samverkansöverenskommelsen. {EXAMPLE}",
            YOUTH: "I november genomfördes demokratidagarna med temat Huddinge fritt från våld. "
            "Ungdomsjouren Kraftbyrån nådde cirka 460 elever på Segeltorpsskolan, "
            "Annerstaskolan och Widerströmska gymnasiet. Befintliga kameror vid "
            "Annerstaskolan sågs över och kompletteringar planerades.",
        },
        {
            "Trygghet i offentlig miljö": DONE,
            "Narkotika": ON_TRACK,
            "Barn och unga": DONE,
            "Särskilt utsatta brottsoffer": DONE,
        },
    ),
}

# An action plan as Lag (2023:196) asks for; the municipality had none in
# 2021, so the whole plan is an example (its title says so).
PLAN = {
    "title": "Åtgärdsplan mot brott (exempel)",
    "first_year": 2021,
    "last_year": 2022,
    "decided_by": "Kommunfullmäktige",
    "decided_on": date(2020, 12, 14),
    "is_example": True,
}
SECTION = followups_demo.SECTION  # "Trygghets- och säkerhetssektionen"

# (title, description, problems, responsible unit, activities). The problem
# Narkotika/ANDTS has no measure, and the parents' counselling has no
# activity (the seeds name it, seed 004, but no 2021 activity carries it):
# each flag of the trace page shows once.
MEASURES = [
    (
        "Trygghetskameror på prioriterade platser",
        f"Kameror där otryggheten och brotten är störst, med tillstånd. {EXAMPLE}",
        [UNSAFETY],
        SECTION,
        [CAMERAS, SCHOOL_CAMERAS],
    ),
    (
        "Trygghetsvärdar i den offentliga miljön",
        f"Synlig vuxennärvaro som representerar kommunen. {EXAMPLE}",
        [UNSAFETY],
        SECTION,
        [HOSTS],
    ),
    (
        "Dialog med invånarna om tryggheten i kommundelarna",
        f"Trygghetsdialoger och trygghetsanalyser, särskilt i fokusområdena. {EXAMPLE}",
        [UNSAFETY],
        SECTION,
        [DIALOGUES, DIGITAL_DIALOGUES, SKOGAS_ANALYSIS],
    ),
    (
        "Våldsförebyggande insatser för barn och unga i skolan",
        f"Information i skolorna om våld och om var unga kan få stöd. {EXAMPLE}",
        [CHILDREN],
        "Kommunstyrelsens förvaltning",
        [DEMOCRACY_DAYS],
    ),
    (
        "Föräldrarådgivning i skolan",
        f"Stöd till föräldrar för trygga familjerelationer och skolframgång. {EXAMPLE}",
        [CHILDREN],
        "Socialförvaltningen",
        [],
    ),
]


@transaction.atomic
def load_collaboration_demo() -> None:
    """Creates whatever part of the collaboration's demo data is missing.

    Side effects: the agreements, the situation picture, the action plan and
    the 2021 promises and tertials with their history records, and the
    partners, districts and units they need if missing. Existing rows and
    their links are never changed. The tertials are skipped once the 2021
    follow-up is approved (the year is frozen).
    """
    partners = {name: Partner.objects.get_or_create(name=name)[0] for name in PARTIES}
    districts = {name: District.objects.get_or_create(name=name)[0] for name in FOCUS_DISTRICTS}
    activities = {
        activity.title: activity
        for activity in Activity.objects.public().filter(
            followup__year=YEAR,
            followup__programme__name=followups_demo.PROGRAMME["name"],
            followup__programme__first_year=followups_demo.PROGRAMME["first_year"],
        )
    }

    def linked(titles: list[str]) -> list[Activity]:
        return [activities[title] for title in titles if title in activities]

    intent, created = Agreement.objects.get_or_create(
        title=INTENT["title"], first_year=INTENT["first_year"], defaults=INTENT
    )
    if created:
        intent.partners.set(partners.values())

    agreement, created = Agreement.objects.get_or_create(
        title=AGREEMENT["title"], first_year=AGREEMENT["first_year"], defaults=AGREEMENT
    )
    if created:
        agreement.partners.set(partners.values())
        agreement.districts.set(districts.values())

    areas = {}
    for order, (name, description) in enumerate(PRIORITY_AREAS, start=1):
        areas[name], created = PriorityArea.objects.get_or_create(
            agreement=agreement, name=name, defaults={"order": order, "description": description}
        )
        if created:
            areas[name].activities.set(linked(AREA_ACTIVITIES[name]))

    promises = {}
    for category, area, text, parties, titles in PROMISES:
        promises[category], created = CitizenPromise.objects.get_or_create(
            agreement=agreement,
            year=YEAR,
            category=category,
            defaults={
                "priority_area": areas[area] if area else None,
                "text": text,
                "is_example": True,
            },
        )
        if created:
            promises[category].partners.set([partners[name] for name in parties])
            promises[category].activities.set(linked(titles))

    if not tertial_frozen(YEAR):
        for number, (summary, statuses, ratings) in TERTIALS.items():
            tertial, _ = TertialFollowUp.objects.get_or_create(
                agreement=agreement,
                year=YEAR,
                tertial=number,
                defaults={"summary": summary, "ready": True},
            )
            for name, text in statuses.items():
                PriorityAreaStatus.objects.get_or_create(
                    tertial=tertial, priority_area=areas[name], defaults={"text": text}
                )
            for category, rating in ratings.items():
                PromiseRating.objects.get_or_create(
                    tertial=tertial,
                    promise=promises[category],
                    defaults={"rating": rating, "comment": EXAMPLE_RATING},
                )

    picture, created = SituationPicture.objects.get_or_create(
        title=PICTURE["title"], made_on=PICTURE["made_on"], defaults=PICTURE
    )
    if created:
        picture.partners.set(partners.values())
    problems = {}
    for order, (name, mapping, extent, consequences, names) in enumerate(PROBLEMS, start=1):
        problems[name], created = Problem.objects.get_or_create(
            picture=picture,
            name=name,
            defaults={
                "order": order,
                "mapping": mapping,
                "extent": extent,
                "consequences": consequences,
                "sources": PICTURE_SOURCES,
            },
        )
        if created:
            problems[name].districts.set(
                [District.objects.get_or_create(name=district)[0] for district in names]
            )

    plan, _ = ActionPlan.objects.get_or_create(
        title=PLAN["title"], first_year=PLAN["first_year"], picture=picture, defaults=PLAN
    )
    for order, (title, description, addressed, unit, titles) in enumerate(MEASURES, start=1):
        measure, created = Measure.objects.get_or_create(
            plan=plan,
            title=title,
            defaults={
                "order": order,
                "description": description,
                "responsible_unit": OrganisationalUnit.objects.get_or_create(name=unit)[0],
            },
        )
        if created:
            measure.problems.set([problems[name] for name in addressed])
            measure.activities.set(linked(titles))
