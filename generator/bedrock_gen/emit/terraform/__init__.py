"""The Terraform module: templates (``templates/terraform/``) rendered with the facts in
``module``, aligned by ``hcl.fmt``, and for ``terraform.format: json`` converted to Terraform
JSON by ``tfjson``; the README's reference section comes from ``docs``."""

from __future__ import annotations

from bedrock_gen.access.resolve import Documents
from bedrock_gen.config.model import Config

TERRAFORM_DIR = "terraform"
MODULE_FILES = ("versions", "variables", "policies", "main", "outputs", "migrations", "port")
# Kept in HCL in the JSON flavour too: checkov cannot parse a versions.tf.json with
# required_version, nor any .tf.json with moved blocks (checkov #7454); Terraform reads both
# syntaxes side by side.
HCL_ALWAYS = ("versions", "migrations")


def render(config: Config, docs: Documents, legacy: str | None = None) -> dict[str, bytes]:
    """``terraform/*`` files, by path relative to the output directory."""
    from bedrock_gen.emit.terraform import docs as docs_mod
    from bedrock_gen.emit.terraform import hcl, tfjson
    from bedrock_gen.emit.terraform.module import context, json_dumps
    from bedrock_gen.emit.terraform.templates import environment
    from bedrock_gen.working_files import gitignore

    env = environment()
    ctx = context(config, docs, legacy)
    wanted = {"migrations": bool(ctx["moved"]), "port": ctx["port_secret"]}
    hcl_files: dict[str, str] = {}
    for name in MODULE_FILES:
        if wanted.get(name, True):
            text = env.get_template(f"terraform/{name}.tf.j2").render(ctx)
            hcl_files[f"{name}.tf"] = hcl.fmt(text)
    files: dict[str, str] = {}
    if config.terraform.format == "json":
        for name, text in hcl_files.items():
            if name.removesuffix(".tf") in HCL_ALWAYS:
                files[name] = text
            else:
                files[f"{name}.json"] = json_dumps(tfjson.to_json(text))
    else:
        files.update(hcl_files)
    files["tests/bedrock_gen.tftest.hcl"] = hcl.fmt(
        env.get_template("terraform/tests/bedrock_gen.tftest.hcl.j2").render(ctx)
    )
    files["examples/complete/main.tf"] = hcl.fmt(
        env.get_template("terraform/examples/main.tf.j2").render(ctx)
    )
    files[".gitignore"] = gitignore()
    ctx["docs"] = docs_mod.section(hcl_files)
    files["README.md"] = env.get_template("terraform/README.md.j2").render(ctx)
    return {f"{TERRAFORM_DIR}/{k}": v.encode("utf-8") for k, v in sorted(files.items())}
