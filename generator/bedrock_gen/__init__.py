"""bedrock-gen: least-privilege IAM for LLM gateways that call AWS Bedrock.

The package is a pipeline of small stages, each a module that can be read alone:
``loader`` (YAML with locations) -> ``validation`` (schema, then meaning) -> ``resolve``
(plain IAM documents, the single source of truth) -> ``render_json`` / ``render_terraform``
-> ``output`` (atomic write, or ``--check``). ``api`` ties them together for the CLI and tests.

Nothing heavy is imported here: the CLI is run by pre-commit on every commit.
"""

__version__ = "0.1.0"
