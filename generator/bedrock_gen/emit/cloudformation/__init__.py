"""CloudFormation templates beside the Terraform module (``cloudformation:`` in the config).

JSON, not YAML: the policy documents are then the very JSON objects of ``iam/*.json`` (no YAML
reading of ``2012-10-17`` or ``on``/``yes`` to think about, by CloudFormation or any other tool),
a StackSet embeds the stack template as a string (``TemplateBody``) without a second syntax, and
``json.dumps`` gives the same bytes on every machine. Key order is fixed by construction (the
sections in CloudFormation's documented order, resources in part order), never sorted, so the
documents read like the IAM files.
"""

from __future__ import annotations

import json
from typing import Any

from bedrock_gen.access.resolve import Documents
from bedrock_gen.config.model import CLOUDFORMATION_DIR, STACK_TEMPLATE, STACKSET_TEMPLATE, Config


def dumps(template: Any) -> bytes:
    """Two-space JSON with a final newline, as ``iam/*.json``."""
    return (json.dumps(template, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def render(config: Config, docs: Documents) -> dict[str, bytes]:
    """``cloudformation/*`` files by path relative to the output folder; none without the
    ``cloudformation`` section. Raises ``BedrockGenError`` when a StackSet cannot hold the
    stack template."""
    if config.cloudformation is None:
        return {}
    from bedrock_gen.emit.cloudformation.readme import readme
    from bedrock_gen.emit.cloudformation.stackset import stackset
    from bedrock_gen.emit.cloudformation.template import stack

    template = stack(config, docs)
    files = {STACK_TEMPLATE: dumps(template)}
    outer = None
    if config.cloudformation.stackset is not None:
        outer = stackset(config, docs)
        files[STACKSET_TEMPLATE] = dumps(outer)
    text = readme(config, template, len(files[STACK_TEMPLATE]), outer)
    files[f"{CLOUDFORMATION_DIR}/README.md"] = text.encode("utf-8")
    return dict(sorted(files.items()))
