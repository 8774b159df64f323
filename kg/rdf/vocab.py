"""Namespaces: kg's own ontology terms (checked, so a typo fails) and the standard ones reused."""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

NS = "https://w3id.org/kg-interviews/ns#"
DEFAULT_BASE = "https://w3id.org/kg-interviews/data/"


class KGI(DefinedNamespace):
    """kg's ontology (ontology/kg.ttl): only what the standard vocabularies lack."""

    _fail = True
    _NS = Namespace(NS)

    Interview: URIRef
    Turn: URIRef
    Note: URIRef
    Quote: URIRef
    Mention: URIRef
    Build: URIRef
    Person: URIRef
    Organisation: URIRef
    Tool: URIRef
    Work: URIRef
    Place: URIRef
    Concept: URIRef
    interviewer: URIRef
    interviewee: URIRef
    participant: URIRef
    speaker: URIRef
    speakerLabel: URIRef
    timestamp: URIRef
    startTime: URIRef
    endTime: URIRef
    timeInterpolated: URIRef
    media: URIRef
    mediaFragment: URIRef
    confidence: URIRef
    extractor: URIRef
    sourceFormat: URIRef
    sourceFile: URIRef
    sourceChecksum: URIRef
    kgVersion: URIRef
    model: URIRef
    modelVersion: URIRef
    mentionCount: URIRef
    quoteCount: URIRef
    entityCount: URIRef
    interviewCount: URIRef
    Tally: URIRef
    SpeakerTally: URIRef
    CoMentionTally: URIRef
    MentionTally: URIRef
    talliedEntity: URIRef
    mentionTally: URIRef
    interview: URIRef
    entity: URIRef
    mentionedEntity: URIRef
    tallySpeaker: URIRef
    coMentionedPerson: URIRef
    quoteTally: URIRef
    turnTally: URIRef
    EntityQuotes: URIRef
    quotedEntity: URIRef
    entityQuote: URIRef
    SpeakerTotal: URIRef
    totalSpeaker: URIRef
    totalEntity: URIRef
    quoteTotal: URIRef
    interviewTotal: URIRef
    sharedRank: URIRef
    caseSensitive: URIRef
    caseSensitiveLabel: URIRef
    toolKind: URIRef
    ReviewState: URIRef
    Unreviewed: URIRef
    Checked: URIRef
    Corrected: URIRef
    reviewState: URIRef
    CurationFile: URIRef
    reviewedIn: URIRef
    curationContent: URIRef
    staleEntry: URIRef
    AuthorityMatch: URIRef
    acceptedMatch: URIRef
    suggestedMatch: URIRef
    matchTarget: URIRef
    matchScore: URIRef
    matchService: URIRef


SCHEMA = Namespace("https://schema.org/")
NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
ITSRDF = Namespace("http://www.w3.org/2005/11/its/rdf#")
PROV = Namespace("http://www.w3.org/ns/prov#")
WD = Namespace("http://www.wikidata.org/entity/")

PREFIXES = {
    "kgi": NS, "schema": str(SCHEMA), "nif": str(NIF), "itsrdf": str(ITSRDF), "prov": str(PROV),
    "skos": "http://www.w3.org/2004/02/skos/core#", "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#", "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
}

ENTITY_CLASSES = {
    "Person": [SCHEMA.Person, KGI.Person],
    "Organisation": [SCHEMA.Organization, KGI.Organisation],
    "Tool": [SCHEMA.SoftwareApplication, KGI.Tool],
    "Work": [SCHEMA.CreativeWork, KGI.Work],
    "Place": [SCHEMA.Place, KGI.Place],
    "Concept": [URIRef("http://www.w3.org/2004/02/skos/core#Concept"), SCHEMA.DefinedTerm, KGI.Concept],
}
"""An entity's classes: the schema.org / SKOS class that other tools read, then kg's own subclass."""

REVIEW_STATES = {"unreviewed": KGI.Unreviewed, "checked": KGI.Checked, "corrected": KGI.Corrected}
"""An entity's review state (`kg.model.Entity.review`) and the individual that names it in the RDF."""
