"""What a curator's review may say of an entity: its review state and the authority links it may carry.

Shared by the curation file (`kg.curation`), the RDF (`kg.rdf`) and the review mode of the page
(`kg.page`, which carries the patterns in its data so that the browser checks links the same way).
"""

from __future__ import annotations

import re

AUTHORITIES = {
    "Wikidata": r"^https?://(www\.)?wikidata\.org/(entity|wiki)/Q[1-9][0-9]*$",
    "VIAF": r"^https?://(www\.)?viaf\.org/viaf/[1-9][0-9]*/?$",
    "IdRef": r"^https?://(www\.)?idref\.fr/[0-9]{8}[0-9X](/id)?$",
    "ORCID": r"^https?://orcid\.org/[0-9]{4}-[0-9]{4}-[0-9]{4}-[0-9]{3}[0-9X]$",
    "GeoNames": r"^https?://(www\.|sws\.)?geonames\.org/[1-9][0-9]*(/[A-Za-z0-9._-]*)?/?$",
}
"""The authority links a curator may attach, by the pattern of their IRIs (http or https only).  The patterns
are written so that Python and JavaScript read them alike; ontology/shapes.ttl holds them joined by ``|``."""
_AUTHORITY = {name: re.compile(pattern) for name, pattern in AUTHORITIES.items()}

REVIEW_STATES = ("unreviewed", "checked", "corrected")
"""An entity's review state: no curator said anything of it, one found it right, or one changed it."""

ID_PREFIX = {"Person": "person", "Organisation": "org", "Tool": "tool", "Work": "work", "Place": "place",
             "Concept": "concept"}
"""The first part of an entity id, by type (resolution's; the page, which may not import resolution, reads it here)."""


def authority_of(iri: str) -> str | None:
    """The authority an IRI belongs to, or None when it matches no known pattern.

    Examples:
        >>> authority_of("https://www.wikidata.org/wiki/Q28865")
        'Wikidata'
        >>> authority_of("javascript:alert(1)") is None
        True
    """
    return next((name for name, pattern in _AUTHORITY.items() if pattern.match(iri)), None)
