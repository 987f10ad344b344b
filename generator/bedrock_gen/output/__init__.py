"""The last stage: write generated files safely, or compare them (``--check``/``--diff``).

``manifest`` is the record of what bedrock-gen generated in an output folder (and for which
config, from which catalog overlay, with which policy parts); ``write`` plans and applies
changes atomically under a lock.
"""
