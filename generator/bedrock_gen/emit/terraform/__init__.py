"""The Terraform module, built in Python: ``module`` computes the facts, each of ``files/``
builds one file's blocks (``blocks``), written as HCL (``hcl``) or Terraform JSON
(``tfjson``), with the README's reference section read from the same blocks (``docs``)."""

from __future__ import annotations

from bedrock_gen.access.resolve import Documents
from bedrock_gen.config.model import Config

TERRAFORM_DIR = "terraform"


def render(config: Config, docs: Documents, legacy: str | None = None) -> dict[str, bytes]:
    """``terraform/*`` files, by path relative to the output directory."""
    from bedrock_gen.emit.terraform import docs as docs_mod
    from bedrock_gen.emit.terraform import hcl, tfjson
    from bedrock_gen.emit.terraform.files import (
        example,
        main,
        migrations,
        outputs,
        policies,
        port,
        readme,
        tftest,
        variables,
        versions,
    )
    from bedrock_gen.emit.terraform.module import facts, json_dumps
    from bedrock_gen.working_files import gitignore

    f = facts(config, docs, legacy)
    module = {
        "versions": versions.build(f),
        "variables": variables.build(f),
        "policies": policies.build(f),
        "main": main.build(f),
        "outputs": outputs.build(f),
        "migrations": migrations.build(f) if f.moved else None,
        "port": port.build(f) if f.port_secret else None,
    }
    built = {name: body for name, body in module.items() if body is not None}
    files: dict[str, str] = {}
    for name, body in built.items():
        # The JSON flavour is JSON only. checkov's directory scan (terraform_json, 3.3.30)
        # cannot read required_version or moved blocks in Terraform JSON: it reports the file
        # as a parsing error and scans the rest (these two files hold no resources), and its
        # plan scan, which sees the policies, is unaffected (bench/decisions.md).
        if config.terraform.format == "json":
            files[f"{name}.tf.json"] = json_dumps(tfjson.document(body))
        else:
            files[f"{name}.tf"] = hcl.write(body) + "\n"
    files["tests/bedrock_gen.tftest.hcl"] = hcl.write(tftest.build(f)) + "\n"
    files["examples/complete/main.tf"] = hcl.write(example.build(f)) + "\n"
    files[".gitignore"] = gitignore()
    reference = docs_mod.section(built[name] for name in sorted(built))
    files["README.md"] = readme.build(f, reference) + "\n"
    return {f"{TERRAFORM_DIR}/{k}": v.encode("utf-8") for k, v in sorted(files.items())}
