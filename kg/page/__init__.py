"""The interactive HTML page: one self-contained, offline ``graph.html`` per corpus.

`data` is what the page shows, filled from a built graph or read back from
RDF; `parts` is each interview's share of it, kept between builds; `network`
the networkx graph, its measures and its layout; `render` the page itself,
from the template, script and style in ``assets/``.
"""
