"""Stage 1, load: files become plain data that remembers where each value came from.

``document`` holds the located ``Document`` every later stage reports against; ``files`` reads
bounded, decoded text; ``yaml_source`` and ``json_source`` parse configs and policy documents.
"""
