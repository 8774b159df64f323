"""kg: build a knowledge graph from research-interview transcripts."""
__version__ = "0.1.0"
