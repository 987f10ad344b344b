"""bedrock-gen: least-privilege IAM for LLM gateways that call AWS Bedrock.

The package is a pipeline of stages, each a subpackage that can be read alone: ``load`` (YAML
and JSON with locations) -> ``validate`` (structure, then meaning against the ``catalog``) ->
``access`` (config -> IAM documents, pure functions) -> ``emit`` (IAM JSON, the Terraform
module, a gateway's files) -> ``output`` (atomic write, or compare). ``api`` ties them together
for the CLI (``cli``) and tests; ARCHITECTURE.md draws the whole.

Nothing heavy is imported here: the CLI is run by pre-commit on every commit.
"""

__version__ = "0.1.0"
