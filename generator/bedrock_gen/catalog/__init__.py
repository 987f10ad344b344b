"""The facts bedrock-gen's documents rest on: which model is routed where, from where.

``model`` holds the types; ``bundled`` reads the shipped ``data/catalog.json``; ``overlay``
reads, writes and applies a user's overlay; ``aws_outputs`` reads saved AWS API outputs,
``importer`` turns them into an overlay, ``fetch`` asks a live account for them, ``diff``
compares them with the bundled catalog, and ``build`` is the maintainer's path that makes the
bundled file from its sources.
"""
