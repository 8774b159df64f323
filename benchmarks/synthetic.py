#!/usr/bin/env python3
"""A deterministic synthetic corpus of research interviews, for timing kg at scale.

usage: python benchmarks/synthetic.py OUT [--n 50] [--words 2000] [--seed 1]

Interviews alternate French and English and rotate through six shapes, so
that every shape comes in both languages:

    md           Markdown, YAML front matter, ``**Name:**`` turns        (kg format: plain)
    header       ``Key: value`` header, ``Name:`` turns                  (plain)
    qa           ``Key: value`` header, ``Q:``/``A:`` (``Question :``...)  (qa)
    timestamped  ``[00:01:02] Name: text`` lines                        (timestamped)
    vtt          WebVTT cues with ``<v Name>`` voice tags               (vtt)
    srt          SRT cues, ``Name:`` on the first cue of a turn         (srt)

The speech is assembled from sentence templates in both languages, with
fillers ("euh", "you know"), invented people, and about 150 real tools,
organisations, places, works and concepts.  Answers run 20 to 300 words,
questions stay short.  Interview ``i`` depends only on ``seed`` and ``i``, so
``--n 20`` is a prefix of ``--n 1000``.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

STYLES = ("md", "header", "qa", "timestamped", "vtt", "srt")
KG_FORMAT = {"md": "plain", "header": "plain", "qa": "qa", "timestamped": "timestamped", "vtt": "vtt", "srt": "srt"}
"""The format kg's sniffing should report for each style."""
SUFFIX = {"md": ".md", "header": ".txt", "qa": ".txt", "timestamped": ".txt", "vtt": ".vtt", "srt": ".srt"}
LANGUAGES = ("fr", "en")

FIRST = ("Léa Camille Hugo Inès Mathis Chloé Karim Nadia Yasmine Théo Maëlle Bastien Soline Amadou Fatou Kofi "
         "Priya Hannah Tomás Ingrid Jonas Aiko Mei Ravi Olga Piotr Zoé Rémi Gaëlle Étienne Loïc Margaux Youssef "
         "Leïla Nour Sven Astrid Mateo Lucía Beatriz João Kwame Ama Tariq Siobhan Declan Ewa Hiroshi Ngozi Chiara "
         "Matteo Aurélien Clémence Benoît Solène Anouk Malik Rosa Ilse Dmitri").split()
LAST = ("Fontaine|Dubreuil|Marchetti|Lefebvre|Benali|Haddad|N'Diaye|Okonkwo|Raman|Castillo|Weiss|Mensah|Ortega|"
        "Kowalski|Nakamura|Lindqvist|Ferreira|Moreau|Girard|Chevalier|Rousseau|Mercier|Bertrand|Lambert|Garnier|"
        "Faure|Roussel|Leclerc|Perrin|de La Tour|Van den Berg|O'Connell|Müller|Schäfer|Novak|Horvat|Ionescu|"
        "Papadopoulos|Oliveira|Diallo|Traoré|Keita|Okafor|Nguyen|Tran|Gupta|Rahman|El Amrani|Cohen|Dufresne|"
        "Tremblay|Gagnon|Côté|Bouchard|Aubert|Vasseur|Delorme|Quintero|Sørensen|Halvorsen").split("|")

TOOLS = ("Python|spaCy|TensorFlow|PyTorch|Processing|p5.js|openFrameworks|Max/MSP|Pure Data|SuperCollider|"
         "TouchDesigner|Arduino|Raspberry Pi|Blender|Unity|Unreal Engine|Photoshop|Illustrator|InDesign|Figma|"
         "GIMP|Inkscape|Git|Jupyter|RStudio|Excel|QGIS|Zotero|Omeka|WordPress|Ableton Live|Audacity|Reaper|"
         "FFmpeg|OpenCV|scikit-learn|Stable Diffusion|Midjourney|ChatGPT|StyleGAN|GPT-2|Runway|Tesseract|"
         "Transkribus|Gephi|Neo4j|Three.js|D3.js|React|Node.js|Debian|Docker|LaTeX|Pandoc|Jekyll|"
         "DaVinci Resolve|After Effects|Rhino|Grasshopper|FontForge|Glyphs|vvvv|Houdini|Kinect|Cinema 4D|"
         "OpenRefine|Tropy|Scribus|Krita").split("|")
ORGS = ("CNRS|Inria|Ircam|Centre Pompidou|Bibliothèque nationale de France|Gaîté Lyrique|Ars Electronica|Google|"
        "Mozilla Foundation|Wikimedia Foundation|Adobe|Microsoft|OpenAI|Hugging Face|Serpentine Galleries|"
        "Tate Modern|MoMA|British Library|Internet Archive|Europeana|UNESCO|European Research Council|"
        "Sorbonne Université|EPFL|ETH Zurich|MIT Media Lab|Goldsmiths|Royal College of Art|ECAL|HEAD Genève|"
        "Le Fresnoy|Fondation Cartier|Radio France|Arte|BBC|Archives nationales|Villa Médicis|Eyebeam|"
        "Rhizome|Processing Foundation").split("|")
PLACES = ("Paris|Lyon|Marseille|Genève|Lausanne|Bruxelles|Montréal|Berlin|London|Lisbon|Barcelona|Nantes|Lille|"
          "Bordeaux|Toulouse|Grenoble|Rennes|Strasbourg|Dakar|Tokyo|New York|San Francisco|Amsterdam|Rotterdam|"
          "Milan|Linz|Québec|Abidjan").split("|")
WORKS = ("Frankenstein|Metropolis|Le Petit Prince|Les Misérables|The Nature of Code|Whole Earth Catalog|"
         "Atlas Mnemosyne|Un coup de dés|Neuromancer|Solaris|La Jetée|Playtime").split("|")
CONCEPTS = {
    "fr": ("apprentissage automatique|réseaux de neurones|données ouvertes|logiciel libre|code créatif|"
           "art génératif|photogrammétrie|humanités numériques|reconnaissance optique de caractères|web sémantique|"
           "données liées|fouille de textes|visualisation de données|archives numériques|métadonnées|"
           "interopérabilité|numérisation patrimoniale|design génératif|typographie variable|"
           "cartographie sensible|sciences participatives|conservation numérique|modèles de langue|"
           "vision par ordinateur|licences libres|éditorialisation|médiation culturelle|design d'interaction|"
           "culture du remix|éthique des données").split("|"),
    "en": ("machine learning|neural networks|open data|free software|creative coding|generative art|"
           "photogrammetry|digital humanities|optical character recognition|semantic web|linked data|"
           "text mining|data visualisation|digital archives|metadata|interoperability|heritage digitisation|"
           "generative design|variable typography|sensory mapping|citizen science|digital preservation|"
           "language models|computer vision|open licences|digital publishing|cultural mediation|"
           "interaction design|remix culture|data ethics").split("|"),
}

ANSWERS = {
    "fr": [
        "J'ai commencé avec {tool} quand j'étais à {place}, un peu par hasard.",
        "À l'époque on travaillait surtout avec {tool} et {tool}, rien de très sophistiqué.",
        "C'est {person} qui m'a montré {tool} pendant un atelier chez {org}.",
        "Le projet a été financé en partie par {org}, ce qui nous a laissé deux ans pour chercher.",
        "Pour moi la question de {concept} est devenue centrale vers {year}.",
        "On a monté une résidence à {place} avec {person} et deux étudiants de {org}.",
        "Je relis souvent {work}, c'est un texte qui revient tout le temps dans mes cours.",
        "Le prototype tournait sur un {tool} caché derrière l'écran, avec des câbles partout.",
        "Aujourd'hui je passe beaucoup de temps à nettoyer des données, c'est la partie invisible du travail.",
        "Il y avait une vraie tension entre {concept} et ce que l'institution attendait de nous.",
        "J'ai appris {tool} toute seule, avec des tutoriels et beaucoup de patience.",
        "On a exposé la pièce à {place}, puis elle est partie à {org} pendant six mois.",
        "{person} disait toujours qu'un outil n'est jamais neutre, et je crois que c'est vrai.",
        "Le plus dur c'était de convaincre {org} que {concept} n'était pas un gadget.",
        "On a écrit nos propres scripts en {tool} parce que rien ne faisait exactement ce qu'on voulait.",
        "Je suis arrivée à {place} en {year}, sans réseau, sans atelier, avec un ordinateur portable.",
        "La collaboration avec {person} a duré presque dix ans, on se comprenait sans parler.",
        "Les archives de {org} sont incroyables, mais il faut savoir où chercher.",
        "Ce qui m'intéresse dans {concept}, c'est la manière dont ça change notre rapport au temps.",
        "On exportait tout vers {tool}, puis on refaisait les mises en page à la main.",
        "J'ai enseigné pendant trois ans à {org}, surtout des ateliers autour de {concept}.",
        "Quand on a découvert {tool}, ça a complètement changé notre façon de travailler.",
        "Il faut dire que le public de {place} est très curieux, il pose beaucoup de questions.",
        "Le premier festival où on a montré ça, c'était à {place}, dans une salle minuscule.",
        "Je ne suis pas sûr que {tool} soit le bon choix, mais c'est ce que tout le monde connaissait.",
        "Avec {person}, on a passé des nuits entières à déboguer des capteurs qui ne répondaient plus.",
        "La question des licences est revenue très vite, surtout avec {org}.",
        "On avait un budget ridicule, donc on a tout fait avec {tool} et des composants de récupération.",
        "Ça ressemble un peu à ce qu'on voit dans {work}, cette idée d'une machine qui se souvient.",
        "Je me méfie un peu du discours autour de {concept}, il y a beaucoup de promesses.",
        "C'est en {year} que j'ai rencontré {person}, lors d'une conférence à {place}.",
        "On travaille maintenant avec {org} sur un projet de {concept}, c'est encore très ouvert.",
        "Le code est sur un dépôt public, n'importe qui peut le reprendre et le modifier.",
        "J'ai gardé tous les carnets de cette période, avec les schémas et les ratés.",
        "Il y a eu un moment où on a tout arrêté, parce que ça ne ressemblait plus à rien.",
        "Les étudiants arrivent avec {tool} déjà installé, ils ne se posent plus la question.",
        "C'était vraiment une autre époque, on gravait des CD pour montrer nos travaux.",
        "Je pense que {person} a eu une influence énorme sur toute une génération à {place}.",
    ],
    "en": [
        "I started with {tool} when I was living in {place}, more or less by accident.",
        "Back then we mostly worked with {tool} and {tool}, nothing fancy at all.",
        "It was {person} who showed me {tool} during a workshop at {org}.",
        "The project was partly funded by {org}, which gave us two years to explore.",
        "For me the question of {concept} became central around {year}.",
        "We set up a residency in {place} with {person} and two students from {org}.",
        "I keep going back to {work}, it comes up in my teaching all the time.",
        "The prototype ran on {tool} hidden behind the screen, with cables everywhere.",
        "These days I spend a lot of time cleaning data, which is the invisible part of the job.",
        "There was a real tension between {concept} and what the institution expected from us.",
        "I taught myself {tool}, with tutorials and a lot of patience.",
        "We showed the piece in {place}, and then it went to {org} for six months.",
        "{person} always said that a tool is never neutral, and I think that's right.",
        "The hardest part was convincing {org} that {concept} was not a gimmick.",
        "We wrote our own scripts in {tool} because nothing did exactly what we needed.",
        "I moved to {place} in {year}, with no network, no studio, just a laptop.",
        "Working with {person} lasted almost ten years, we understood each other without talking.",
        "The archives at {org} are amazing, but you have to know where to look.",
        "What interests me about {concept} is how it changes our relationship to time.",
        "We exported everything to {tool} and then redid the layouts by hand.",
        "I taught for three years at {org}, mostly workshops around {concept}.",
        "When we discovered {tool}, it completely changed the way we worked.",
        "The audience in {place} is very curious, they ask a lot of questions.",
        "The first festival where we showed it was in {place}, in a tiny room.",
        "I'm not sure {tool} was the right choice, but it's what everybody knew.",
        "With {person} we spent whole nights debugging sensors that stopped responding.",
        "The licensing question came up very quickly, especially with {org}.",
        "We had a ridiculous budget, so we built everything with {tool} and salvaged parts.",
        "It's a bit like what you see in {work}, that idea of a machine that remembers.",
        "I'm a little wary of the hype around {concept}, there are a lot of promises.",
        "It was in {year} that I met {person}, at a conference in {place}.",
        "We're now working with {org} on a {concept} project, it's still very open.",
        "The code is in a public repository, anybody can pick it up and change it.",
        "I kept all the notebooks from that period, with the sketches and the failures.",
        "There was a moment when we stopped everything, because it didn't look like anything anymore.",
        "Students arrive with {tool} already installed, they don't even ask the question.",
        "It really was another era, we burned CDs to show our work.",
        "I think {person} had a huge influence on a whole generation in {place}.",
    ],
}
QUESTIONS = {
    "fr": ["Comment est-ce que tu as découvert {tool} ?", "Et {place}, c'était comment à ce moment-là ?",
           "Tu peux me parler de ton travail avec {person} ?", "Qu'est-ce qui t'a amenée vers {concept} ?",
           "Et {org}, ils vous ont soutenus ?", "Pourquoi {tool} plutôt qu'autre chose ?",
           "Comment le public a réagi ?", "Qu'est-ce que tu ferais différemment aujourd'hui ?",
           "Tu enseignes encore ?", "Et ensuite, il s'est passé quoi ?", "Tu peux préciser ?",
           "C'était en quelle année, à peu près ?", "Qui d'autre travaillait sur ce projet ?"],
    "en": ["How did you come across {tool}?", "And what was {place} like at the time?",
           "Can you tell me about working with {person}?", "What drew you to {concept}?",
           "Did {org} support you?", "Why {tool} rather than something else?", "How did the audience react?",
           "What would you do differently today?", "Are you still teaching?", "And then what happened?",
           "Can you say more about that?", "Roughly what year was that?", "Who else worked on the project?"],
}
ACKS = {"fr": ["D'accord.", "Je vois.", "Ah oui.", "Intéressant.", "Hm hm."],
        "en": ["Right.", "I see.", "Okay.", "Interesting.", "Mm-hm."]}
FILLERS = {"fr": ["Euh,", "Bon,", "En fait,", "Du coup,", "Alors,", "Voilà,", "Enfin,", "Tu vois,", "Ben,"],
           "en": ["Um,", "So,", "I mean,", "You know,", "Like,", "Well,", "Honestly,", "Right,", "Uh,"]}
MID_FILLERS = {"fr": ["euh", "enfin", "tu vois", "disons"], "en": ["uh", "like", "you know", "I guess"]}
OPENINGS = {
    "fr": ("Bonjour {first}, merci d'avoir accepté cet entretien. Tu peux te présenter ?",
           "Je m'appelle {name}, je suis {job} et je travaille à {place} depuis quelques années."),
    "en": ("Hello {first}, thanks for doing this interview. Could you introduce yourself?",
           "My name is {name}, I'm {job} and I've been working in {place} for a few years now."),
}
JOBS = {"fr": ["designer", "chercheuse", "artiste", "bibliothécaire", "développeur", "archiviste", "enseignante"],
        "en": ["a designer", "a researcher", "an artist", "a librarian", "a developer", "an archivist", "a teacher"]}
TITLES = {"fr": ["{name}, {concept} et atelier", "Entretien avec {name}", "{name} : du code à l'exposition"],
          "en": ["A conversation with {name}", "{name} on {concept}", "Tools and practice: {name}"]}
HEADER_KEYS = {"fr": ("Titre", "Date", "Langue", "Enquêtrice", "Enquêté"),
               "en": ("Title", "Date", "Language", "Interviewer", "Interviewee")}
_ELISION = re.compile(r"\b(de|que|le|je|ne) (?=[AEIOUYÉÈÊÀÂÎaeiouyéèêàâî])")
_ELIDED = {"de": "d'", "que": "qu'", "le": "l'", "je": "j'", "ne": "n'"}


@dataclass(frozen=True)
class Transcript:
    """One generated file and what kg should find in it."""

    path: str
    style: str
    format: str
    language: str
    words: int
    turns: int


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def _turn_words(rng: random.Random) -> int:
    """Answer length: log-normal around 90 words, kept within 20..300."""
    return max(20, min(300, int(rng.lognormvariate(math.log(90), 0.7))))


class _Speech:
    """Sentence maker for one interview: its own cast, and a topic that favours some names."""

    def __init__(self, rng: random.Random, language: str, cast: list[str]) -> None:
        self.rng, self.lang, self.cast = rng, language, cast
        pool = {"tool": TOOLS, "org": ORGS, "place": PLACES, "work": WORKS, "concept": CONCEPTS[language]}
        self.topic = {k: rng.sample(v, min(len(v), 6)) for k, v in pool.items()}
        self.pool = pool

    def slot(self, kind: str) -> str:
        if kind == "person":
            return self.rng.choice(self.cast)
        if kind == "year":
            return str(self.rng.randint(1985, 2024))
        return self.rng.choice(self.topic[kind] if self.rng.random() < 0.7 else self.pool[kind])

    def fill(self, template: str) -> str:
        text = re.sub(r"\{(\w+)\}", lambda m: self.slot(m.group(1)), template)
        return _ELISION.sub(lambda m: _ELIDED[m.group(1)], text) if self.lang == "fr" else text

    def sentence(self) -> str:
        template = self.rng.choice(ANSWERS[self.lang])
        s = self.fill(template)
        r = self.rng.random()
        if r < 0.25:
            keep = template.startswith(("{", "I ", "I'"))  # a name, or English "I", keeps its capital
            s = f"{self.rng.choice(FILLERS[self.lang])} {s if keep else s[0].lower() + s[1:]}"
        elif r < 0.35:
            words = s.split()
            k = self.rng.randint(1, max(1, len(words) - 2))
            if words[k - 1][-1].isalnum():  # "we wrote, uh, our own scripts"
                words[k - 1] += ","
                words.insert(k, f"{self.rng.choice(MID_FILLERS[self.lang])},")
            s = " ".join(words)
        return s

    def answer(self) -> str:
        target, out, n = _turn_words(self.rng), [], 0
        while n < target:
            s = self.sentence()
            out.append(s)
            n += len(s.split())
        if n > 300 and len(out) > 1:
            n -= len(out.pop().split())
        if n > 150 and len(out) > 3:
            cut = len(out) // 2
            return " ".join(out[:cut]) + "\n\n" + " ".join(out[cut:])
        return " ".join(out)

    def question(self) -> str:
        q = self.fill(self.rng.choice(QUESTIONS[self.lang]))
        return f"{self.rng.choice(ACKS[self.lang])} {q}" if self.rng.random() < 0.3 else q


def _dialogue(rng: random.Random, speech: _Speech, words: int, guest: str) -> list[tuple[int, str]]:
    """(speaker index, text) turns: 0 asks, 1 answers, until about ``words`` words."""
    ask, intro = OPENINGS[speech.lang]
    intro = speech.fill(intro.format(name=guest, job=rng.choice(JOBS[speech.lang]), place="{place}"))
    turns: list[tuple[int, str]] = [(0, ask.format(first=guest.split()[0])), (1, intro)]
    total = sum(len(t.split()) for _, t in turns)
    while total < words:
        q, a = speech.question(), speech.answer()
        turns += [(0, q), (1, a)]
        total += len(q.split()) + len(a.split())
        if rng.random() < 0.15:  # a follow-up answer without a question
            turns.append((0, rng.choice(ACKS[speech.lang])))
            extra = speech.answer()
            turns.append((1, extra))
            total += len(extra.split()) + 1
    return turns


def _clock(seconds: float, sep: str = "") -> str:
    ms = int(round(seconds * 1000))
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}" + (f"{sep}{ms:03d}" if sep else "")


def _timed(turns: list[tuple[int, str]]) -> list[tuple[float, float, int, str]]:
    """Start and end times at 150 words a minute, with short pauses."""
    t, out = 2.0, []
    for who, text in turns:
        d = len(text.split()) / 2.5
        out.append((t, t + d, who, text))
        t += d + 1.5
    return out


def _cues(text: str, rng: random.Random) -> list[str]:
    words = text.split()
    out, i = [], 0
    while i < len(words):
        k = rng.randint(7, 14)
        out.append(" ".join(words[i:i + k]))
        i += k
    return out


def _render(style: str, lang: str, meta: dict[str, str], names: tuple[str, str], labels: tuple[str, str],
            turns: list[tuple[int, str]], rng: random.Random) -> str:
    colon = " :" if lang == "fr" else ":"
    if style == "md":
        head = (f"---\ntitle: {json.dumps(meta['title'], ensure_ascii=False)}\ndate: {meta['date']}\n"
                f"language: {lang}\nparticipants:\n  - name: {names[0]}\n    role: interviewer\n"
                f"  - name: {names[1]}\n    role: interviewee\n---\n\n")
        return head + "".join(f"**{labels[w]}:** {t}\n\n" for w, t in turns)
    keys = HEADER_KEYS[lang]
    values = (meta["title"], meta["date"], "français" if lang == "fr" else "English", *names)
    header = "".join(f"{k}{colon} {v}\n" for k, v in zip(keys, values, strict=False))
    if style == "header":
        return header + "\n" + "".join(f"{labels[w]}{colon} {t}\n\n" for w, t in turns)
    if style == "qa":
        qa = ("Question", "Réponse") if lang == "fr" else ("Q", "A")
        return header + "\n" + "".join(f"{qa[w]}{colon} {t}\n\n" for w, t in turns)
    timed = _timed(turns)
    if style == "timestamped":
        return "".join(f"[{_clock(s)}] {names[w]}: {t}\n" + ("\n" if "\n" in t else "") for s, _, w, t in timed)
    if style == "vtt":
        parts = ["WEBVTT\n"]
        for s, e, w, t in timed:
            chunks = _cues(t, rng)
            step = (e - s) / len(chunks)
            for k, c in enumerate(chunks):
                start, end = _clock(s + k * step, '.'), _clock(s + (k + 1) * step, '.')
                parts.append(f"\n{start} --> {end}\n<v {names[w]}>{c}\n")
        return "".join(parts)
    if style == "srt":
        parts, n = [], 0
        for s, e, w, t in timed:
            chunks = _cues(t, rng)
            step = (e - s) / len(chunks)
            label = names[w].upper() + " : " if lang == "fr" else names[w] + ": "
            for k, c in enumerate(chunks):
                n += 1
                parts.append(f"{n}\n{_clock(s + k * step, ',')} --> {_clock(s + (k + 1) * step, ',')}\n"
                             f"{label if k == 0 else ''}{c}\n\n")
        return "".join(parts)
    raise ValueError(f"unknown style {style!r}; choose from {', '.join(STYLES)}")


def interview(i: int, *, words: int = 2000, seed: int = 1) -> tuple[str, str, str, str, int, int]:
    """Interview ``i``: (file name, style, language, text, spoken words, turns)."""
    rng = random.Random(f"kg-synthetic/{seed}/{i}")
    lang = LANGUAGES[i % 2]
    style = STYLES[(i // 2) % len(STYLES)]
    names = (_person(rng), _person(rng))
    while names[1] == names[0]:
        names = (names[0], _person(rng))
    # Half the files label turns by first name, as people do when the metadata names everyone.
    labels = tuple(n.split()[0] for n in names) if rng.random() < 0.5 else names
    cast = [_person(rng) for _ in range(rng.randint(3, 7))]
    speech = _Speech(rng, lang, cast)
    turns = _dialogue(rng, speech, words, names[1])
    title = rng.choice(TITLES[lang]).format(name=names[1], concept=speech.slot("concept"))
    date = f"{rng.randint(2015, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    text = _render(style, lang, {"title": title, "date": date}, names, labels, turns, rng)  # type: ignore[arg-type]
    spoken = sum(len(t.split()) for _, t in turns)
    return f"itw-{i:04d}-{lang}-{style}{SUFFIX[style]}", style, lang, text, spoken, len(turns)


def generate(out_dir: str | Path, n: int, *, words: int = 2000, seed: int = 1) -> list[Transcript]:
    """Write ``n`` interviews of about ``words`` spoken words into ``out_dir``; return what was written.

    Also writes ``manifest.json`` (kg reads only transcript suffixes, so it is ignored by builds).
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    made = []
    for i in range(n):
        name, style, lang, text, spoken, nturns = interview(i, words=words, seed=seed)
        path = out / name
        path.write_text(text, encoding="utf-8")
        made.append(Transcript(str(path), style, KG_FORMAT[style], lang, spoken, nturns))
    manifest = {"n": n, "words": words, "seed": seed, "transcripts": [asdict(t) for t in made]}
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return made


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path, help="folder to write the transcripts into")
    ap.add_argument("--n", type=int, default=50, help="number of interviews (default 50)")
    ap.add_argument("--words", type=int, default=2000, help="spoken words per interview, about (default 2000)")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    made = generate(args.out, args.n, words=args.words, seed=args.seed)
    total = sum(t.words for t in made)
    print(f"wrote {len(made)} interviews, {total:,} spoken words, to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
