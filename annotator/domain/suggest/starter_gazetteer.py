"""A starter gazetteer for reports from Syria: a project copies it and its lead edits it.

The 14 governorates, the main towns and cities (most of all in the north-west, where the
seeds' war is), the routes and crossings named in reports, and the common parties with the
ways English news writes them. Villages are left to each project: too many, too local.
Where a name is both a governorate and its capital, the governorate is assumed, except
for Damascus, Aleppo and Homs, which reports mostly mean as cities; "Idlib city" or
"Idlib Province" in the text settles it either way.
"""

from .gazetteer import GazetteerEntry


def _place(name: str, feature_type: str, *aliases: str) -> GazetteerEntry:
    return GazetteerEntry(name, "LOCATION", aliases, {"feature_type": feature_type})


def _actor(name: str, actor_type: str, *aliases: str) -> GazetteerEntry:
    return GazetteerEntry(name, "ACTOR", aliases, {"actor_type": actor_type})


_GOVERNORATES = (
    _place("Damascus", "populated_place"),
    _place("Rif Dimashq", "governorate", "Rural Damascus", "Damascus Countryside", "Reef Dimashq"),
    _place("Aleppo", "populated_place", "Halab"),
    _place("Homs", "populated_place"),
    _place("Hama", "governorate", "Hamah"),
    _place("Idlib", "governorate", "Idleb"),
    _place("Latakia", "governorate", "Lattakia", "Latakiya"),
    _place("Tartus", "governorate", "Tartous"),
    _place("Raqqa", "governorate", "Raqqah", "al-Raqqa", "ar-Raqqah"),
    _place("Deir ez-Zor", "governorate", "Deir ez-Zour", "Deir al-Zour", "Deir Ezzor"),
    _place("Hasakah", "governorate", "Hasaka", "al-Hasakah", "Hassakeh"),
    _place("Daraa", "governorate", "Deraa", "Dar'a"),
    _place("Suwayda", "governorate", "Sweida", "as-Suwayda", "Suwaida"),
    _place("Quneitra", "governorate", "Qunaitra"),
)

_TOWNS = tuple(
    _place(name, "populated_place", *aliases)
    for name, *aliases in (
        ("Khan Sheikhoun", "Khan Shaykhun", "Khan Shaikhoun"),
        ("Ma'arat al-Num'an", "Maarat al-Numan", "Ma'arrat al-Nu'man", "Maarrat al-Numan"),
        ("Saraqeb", "Saraqib"),
        ("Ariha",),
        ("Binnish", "Binnesh"),
        ("Jisr al-Shughur", "Jisr ash-Shughur"),
        ("Sarmada",),
        ("Kafr Nabl", "Kafranbel"),
        ("al-Atarib", "Atarib"),
        ("Harem", "Harim"),
        ("Salqin",),
        ("Darkush",),
        ("Maarat Misrin",),
        ("Taftanaz",),
        ("Sarmin",),
        ("Abu al-Duhur",),
        ("Kafr Zita",),
        ("al-Lataminah", "Latamneh"),
        ("Morek", "Murak"),
        ("Suqaylabiyah", "Suqaylabiyya"),
        ("Salamiyah",),
        ("Qalaat al-Madiq",),
        ("Manbij",),
        ("Afrin",),
        ("Azaz", "A'zaz"),
        ("al-Bab",),
        ("Jarabulus",),
        ("Tal Rifaat",),
        ("Kobani", "Ayn al-Arab"),
        ("Tabqa",),
        ("Tal Abyad",),
        ("Qamishli",),
        ("Ras al-Ain",),
        ("Mayadin", "al-Mayadin"),
        ("Abu Kamal", "Albu Kamal", "Bukamal"),
        ("Palmyra", "Tadmur"),
        ("Qusayr", "al-Qusayr"),
        ("Rastan", "al-Rastan"),
        ("Talbiseh",),
        ("Douma",),
        ("Harasta",),
        ("Daraya",),
        ("Zamalka",),
        ("Jobar",),
        ("Yarmouk",),
        ("Zabadani",),
        ("Madaya",),
        ("Bosra",),
        ("Jableh",),
        ("Baniyas",),
    )
)

_OTHER_PLACES = (
    _place("Syria", "country"),
    _place("Lebanon", "country"),
    _place("Jordan", "country"),
    _place("Iraq", "country"),
    _place("Eastern Ghouta", "region", "Ghouta"),
    _place("Jabal al-Zawiya", "region", "Jabal al-Zawiyah", "Jebel al-Zawiya"),
    _place("Jabal al-Akrad", "region"),
    _place("M5", "route"),
    _place("M4", "route"),
    _place("Bab al-Hawa", "border"),
    _place("Bab al-Salama", "border"),
)

_ACTORS = (
    _actor(
        "Assad regime",
        "syrian_government",
        "Syrian regime",
        "regime forces",
        "regime army",
        "Syrian government forces",
        "Syrian government",
        "government forces",
        "Syrian army",
        "Syrian Arab Army",
        "SAA",
        "Assad forces",
        "Assad's forces",
    ),
    _actor("Bashar al-Assad", "syrian_government", "Bashar Assad"),
    _actor(
        "pro-Assad forces",
        "pro_government_alliance",
        "pro-Assad",
        "pro-regime forces",
        "pro-regime",
        "pro-government forces",
    ),
    _actor(
        "pro-regime militias",
        "pro_government_militia",
        "pro-Iran militias",
        "pro-Iranian militias",
        "National Defence Forces",
        "NDF",
        "Hezbollah",
    ),
    _actor(
        "Russia",
        "foreign_state",
        "Russians",
        "Russian forces",
        "Russian military",
        "Russian warplanes",
        "Russian jets",
        "Moscow",
    ),
    _actor("Vladimir Putin", "foreign_state", "Putin"),
    _actor("Turkey", "foreign_state", "Turkish forces", "Turkish army", "Ankara"),
    _actor("Recep Tayyip Erdogan", "foreign_state", "Erdogan"),
    _actor(
        "Iran",
        "foreign_state",
        "Iranian forces",
        "Tehran",
        "IRGC",
        "Revolutionary Guards",
    ),
    _actor("Israel", "foreign_state", "Israeli warplanes", "Israeli jets"),
    _actor(
        "US-led coalition",
        "foreign_state",
        "United States",
        "US",
        "U.S.",
        "American forces",
        "Washington",
        "international coalition",
    ),
    _actor(
        "Hayat Tahrir al-Sham",
        "rebel",
        "Hay'at Tahrir al-Sham",
        "Tahrir al-Sham",
        "HTS",
        "Jabhat al-Nusra",
        "Nusra Front",
        "al-Nusra",
    ),
    _actor("National Liberation Front", "rebel", "NLF"),
    _actor("Free Syrian Army", "rebel", "FSA"),
    _actor("Syrian National Army", "rebel", "SNA"),
    _actor("anti-Assad", "rebel", "anti-Assad fighters", "anti-Assad rebels"),
    _actor("ISIS", "other", "Islamic State", "IS", "ISIL", "Daesh"),
    _actor("al-Qaeda", "other", "al-Qaida", "Al Qaeda"),
    _actor(
        "SDF",
        "kurdish_sdf",
        "Syrian Democratic Forces",
        "YPG",
        "People's Protection Units",
        "Kurdish-led forces",
    ),
    _actor("UN", "international_org", "United Nations", "U.N.", "UN Security Council"),
    _actor("OCHA", "international_org"),
    _actor("UNICEF", "international_org"),
    _actor("UNHCR", "international_org"),
    _actor("World Health Organization", "international_org", "WHO"),
    _actor("OPCW", "international_org"),
    _actor(
        "White Helmets",
        "civil_defence_medical",
        "Syria Civil Defence",
        "Syria Civil Defense",
        "Syrian Civil Defence",
        "Syrian Civil Defense",
    ),
    _actor("Syrian American Medical Society", "civil_defence_medical", "SAMS"),
    _actor("Doctors Without Borders", "civil_defence_medical", "MSF"),
    _actor("Syrian Arab Red Crescent", "civil_defence_medical", "SARC"),
    _actor(
        "Syrian Observatory for Human Rights",
        "monitor_ngo",
        "SOHR",
        "Observatory",
    ),
    _actor("Syrian Network for Human Rights", "monitor_ngo", "SNHR"),
    _actor("Violations Documentation Center", "monitor_ngo", "VDC"),
    _actor("Human Rights Watch", "monitor_ngo", "HRW"),
    _actor("Amnesty International", "monitor_ngo"),
    _actor("Airwars", "monitor_ngo"),
    _actor("SANA", "media"),
    _actor("Zaman Al Wasl", "media", "Zaman al-Wasl"),
    _actor("Enab Baladi", "media"),
    _actor("Reuters", "media"),
    _actor("AFP", "media", "Agence France-Presse"),
)

STARTER_GAZETTEER: tuple[GazetteerEntry, ...] = (
    *_GOVERNORATES,
    *_TOWNS,
    *_OTHER_PLACES,
    *_ACTORS,
)
