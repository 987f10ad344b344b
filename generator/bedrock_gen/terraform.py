"""The Terraform module: built once as HCL blocks, written as HCL (via the Jinja2 templates in
``templates/``) or as Terraform JSON from the very same blocks.

The policies inside are the ``resolve`` documents, written as HCL object expressions, so the
module creates exactly what ``iam/*.json`` holds; the shipped ``terraform test`` proves it with
a mocked provider. The external ID never appears here: it is a sensitive input variable.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any, NamedTuple

from bedrock_gen import __version__
from bedrock_gen.config import Config
from bedrock_gen.hcl import Attr, Blank, Block, Expr, Item, block_lines, json_document
from bedrock_gen.resolve import Documents, PolicyDocument
from bedrock_gen.validation import EXTERNAL_ID_CHARS

TERRAFORM_DIR = "terraform"
REQUIRED_TERRAFORM = ">= 1.7"  # mock_provider in `terraform test`
REQUIRED_AWS = ">= 5.0"
MOCK_ACCOUNT = "123456789012"

NAME_RE = "^[A-Za-z0-9_+=,.@-]+$"
EXTERNAL_ID_RE = EXTERNAL_ID_CHARS.pattern  # lengths apart: RE2 allows no repeat over 1000


class Variable(NamedTuple):
    name: str
    type: str
    description: str
    default: Any = ...
    sensitive: bool = False
    nullable: bool | None = None
    validations: tuple[tuple[str, str], ...] = ()

    def block(self) -> Block:
        body: list[Item] = [Attr("description", self.description), Attr("type", Expr(self.type))]
        if self.default is not ...:
            body.append(Attr("default", self.default))
        if self.sensitive:
            body.append(Attr("sensitive", True))
        if self.nullable is not None:
            body.append(Attr("nullable", self.nullable))
        for condition, message in self.validations:
            body += [Blank(), Block("validation", (), [Attr("condition", Expr(condition)),
                                                       Attr("error_message", message)])]
        return Block("variable", (self.name,), body)


class Output(NamedTuple):
    name: str
    description: str
    value: str
    sensitive: bool = False

    def block(self) -> Block:
        body: list[Item] = [Attr("description", self.description), Attr("value", Expr(self.value))]
        if self.sensitive:
            body.append(Attr("sensitive", True))
        return Block("output", (self.name,), body)


class Module(NamedTuple):
    """Everything the module holds, in file order."""

    versions: list[Item]
    variables: list[Variable]
    main: list[Item]
    outputs: list[Output]
    tests: list[Item]
    policies: list[tuple[str, PolicyDocument]]  # (resource name, document)
    config: Config


def _policy_resource_names(docs: Documents) -> list[tuple[str, PolicyDocument]]:
    if len(docs.invoke) == 1:
        return [("invoke", docs.invoke[0])]
    return [(f"invoke_{i}", d) for i, d in enumerate(docs.invoke, start=1)]


def _trust_local(config: Config, docs: Documents) -> dict[str, Any]:
    assert docs.trust is not None
    document = json.loads(json.dumps(docs.trust.document))
    for statement in document["Statement"]:
        if "Condition" in statement:  # the value comes from the sensitive variable
            statement["Condition"]["StringEquals"]["sts:ExternalId"] = Expr("var.external_id")
    return document  # type: ignore[no-any-return]


def _variables(config: Config, docs: Documents) -> list[Variable]:
    role = config.auth.mode == "assume_role"
    entity = "role" if role else "user"
    name_var = "role_name" if role else "user_name"
    split = len(docs.invoke) > 1
    policy_room = 128 - (len(f"-{len(docs.invoke)}") if split else 0)
    out = [
        Variable(name_var, "string",
                 f"Name of the IAM {entity} the gateway {'assumes' if role else 'signs in as'}.",
                 config.auth.role_name if role else config.auth.user_name,
                 validations=((f"length(var.{name_var}) <= 64 && can(regex(\"{NAME_RE}\", "
                               f"var.{name_var}))",
                               f"The {entity} name must be 1 to 64 characters of letters, digits "
                               "and +=,.@_-."),)),
        Variable("policy_name", "string",
                 "Name of the managed invoke policy" + (" (numbered -1, -2, ... as it is split)."
                                                        if split else "."),
                 config.invoke_policy_name,
                 validations=((f"length(var.policy_name) <= {policy_room} && "
                               f"can(regex(\"{NAME_RE}\", var.policy_name))",
                               f"The policy name must be 1 to {policy_room} characters of letters, "
                               "digits and +=,.@_-."),)),
        Variable("path", "string", "IAM path of the role or user and of the policies. Port "
                 "cannot register a role whose path is not /.", config.terraform.path,
                 validations=(("length(var.path) <= 512 && can(regex(\"^(/|/[!-~]+/)$\", "
                               "var.path))",
                               "The path must be / or begin and end with / and hold printable "
                               "ASCII only."),)),
        Variable("permissions_boundary", "string",
                 f"ARN of a managed policy to use as the {entity}'s permissions boundary, or "
                 "null.", config.terraform.permissions_boundary,
                 validations=(("var.permissions_boundary == null || can(regex(\"^arn:aws[a-z-]*:"
                               "iam::([0-9]{12}|aws):policy/\", var.permissions_boundary))",
                               "The permissions boundary must be a managed policy ARN."),)),
        Variable("tags", "map(string)", "Tags for every IAM resource of this module.",
                 dict(config.terraform.tags),
                 validations=(("length(var.tags) <= 50",
                               "IAM allows at most 50 tags per resource."),)),
    ]
    if role:
        out.append(Variable(
            "max_session_duration", "number",
            "Maximum session duration of the role, in seconds (3600 to 43200).",
            config.auth.max_session_duration or 3600,
            validations=(("var.max_session_duration >= 3600 && var.max_session_duration <= "
                          "43200", "The maximum session duration must be 3600 to 43200 "
                          "seconds."),)))
        if config.auth.external_id is not None:
            out.append(Variable(
                "external_id", "string",
                "The sts:ExternalId the gateway sends. Store the same value as a secret in the "
                "gateway (Port: " + config.auth.external_id_secret_name + "), character for "
                "character.", sensitive=True, nullable=False,
                validations=(("length(var.external_id) >= 2 && length(var.external_id) <= 1224 "
                              f"&& can(regex(\"{EXTERNAL_ID_RE}\", var.external_id))",
                              "The external ID must be 2 to 1224 characters of letters, digits "
                              "and +=,.@:/_- (STS rules); a trailing space or newline makes the "
                              "assume-role fail silently."),)))
    else:
        out.append(Variable(
            "create_access_key", "bool",
            "Create an access key for the user. Its secret is then stored in the Terraform "
            "state; see the README.", config.terraform.create_access_key))
        out.append(Variable(
            "pgp_key", "string",
            "A base64 PGP public key or keybase:USERNAME to encrypt the access key's secret "
            "with, so the state holds only the encrypted secret; or null.", None))
    return out


def _policy_name_expr(name: str, n: int) -> Expr:
    return Expr("var.policy_name") if name == "invoke" else Expr(f"\"${{var.policy_name}}-{n}\"")


def _main(config: Config, docs: Documents,
          policies: list[tuple[str, PolicyDocument]]) -> list[Item]:
    role = config.auth.mode == "assume_role"
    locals_body: list[Item] = []
    for name, doc in policies:
        locals_body.append(Attr(f"{name}_policy", doc.document))
    if role:
        locals_body.append(Attr("trust_policy", _trust_local(config, docs)))
    items: list[Item] = [Block("locals", (), locals_body)]
    gateway = "Port's LLM gateway" if config.auth.gateway == "port" else "the LLM gateway"
    if role:
        items.append(Block("resource", ("aws_iam_role", "this"), [
            Attr("name", Expr("var.role_name")),
            Attr("path", Expr("var.path")),
            Attr("description", f"Assumed by {gateway} to call Amazon Bedrock. Generated by "
                                "bedrock-gen."),
            Attr("assume_role_policy", Expr("jsonencode(local.trust_policy)")),
            Attr("max_session_duration", Expr("var.max_session_duration")),
            Attr("permissions_boundary", Expr("var.permissions_boundary")),
            Attr("tags", Expr("var.tags")),
        ]))
    else:
        items.append(Block("resource", ("aws_iam_user", "this"), [
            Attr("name", Expr("var.user_name")),
            Attr("path", Expr("var.path")),
            Attr("permissions_boundary", Expr("var.permissions_boundary")),
            Attr("tags", Expr("var.tags")),
        ]))
    for n, (name, _doc) in enumerate(policies, start=1):
        items.append(Block("resource", ("aws_iam_policy", name), [
            Attr("name", _policy_name_expr(name, n)),
            Attr("path", Expr("var.path")),
            Attr("description", f"Lets {gateway} invoke the selected Amazon Bedrock models"
                                + (f" (part {n} of {len(policies)})." if len(policies) > 1
                                   else ".") + " Generated by bedrock-gen."),
            Attr("policy", Expr(f"jsonencode(local.{name}_policy)")),
            Attr("tags", Expr("var.tags")),
        ]))
        if role:
            items.append(Block("resource", ("aws_iam_role_policy_attachment", name), [
                Attr("role", Expr("aws_iam_role.this.name")),
                Attr("policy_arn", Expr(f"aws_iam_policy.{name}.arn")),
            ]))
        else:
            items.append(Block("resource", ("aws_iam_user_policy_attachment", name), [
                Attr("user", Expr("aws_iam_user.this.name")),
                Attr("policy_arn", Expr(f"aws_iam_policy.{name}.arn")),
            ]))
    if not role:
        items.append(Block("resource", ("aws_iam_access_key", "this"), [
            Attr("count", Expr("var.create_access_key ? 1 : 0")),
            Blank(),
            Attr("user", Expr("aws_iam_user.this.name")),
            Attr("pgp_key", Expr("var.pgp_key")),
        ]))
    return items


def _outputs(config: Config, policies: list[tuple[str, PolicyDocument]]) -> list[Output]:
    arns = "[" + ", ".join(f"aws_iam_policy.{n}.arn" for n, _ in policies) + "]"
    region = json.dumps(config.regions[0]) if config.regions else "null"
    if config.auth.mode == "assume_role":
        secret = (f", externalIdSecretName = {json.dumps(config.auth.external_id_secret_name)}"
                  if config.auth.external_id is not None else "")
        return [
            Output("role_arn", "ARN of the role the gateway assumes.", "aws_iam_role.this.arn"),
            Output("role_name", "Name of the role.", "aws_iam_role.this.name"),
            Output("policy_arns", "ARNs of the managed invoke policies.", arns),
            Output("port_provider_config",
                   "What to enter in Port's Bedrock provider form (assume role).",
                   f"{{ roleArn = aws_iam_role.this.arn, region = {region}{secret} }}"),
        ]
    return [
        Output("user_arn", "ARN of the IAM user.", "aws_iam_user.this.arn"),
        Output("user_name", "Name of the IAM user.", "aws_iam_user.this.name"),
        Output("policy_arns", "ARNs of the managed invoke policies.", arns),
        Output("access_key_id", "ID of the access key, or null when none is created.",
               "one(aws_iam_access_key.this[*].id)"),
        Output("secret_access_key", "Secret of the access key (null when encrypted with pgp_key "
               "or not created). It is stored in the Terraform state.",
               "one(aws_iam_access_key.this[*].secret)", sensitive=True),
        Output("encrypted_secret_access_key", "The secret encrypted with pgp_key, or null.",
               "one(aws_iam_access_key.this[*].encrypted_secret)"),
        Output("port_provider_config",
               "What to enter in Port's Bedrock provider form (access keys): store the key ID "
               "and secret as Port secrets under these names.",
               "{ accessKeyIdSecretName = \"aws-bedrock-access-key-id\", "
               "secretAccessKeySecretName = \"aws-bedrock-secret-access-key\", region = "
               f"{region} }}"),
    ]


def _tests(config: Config, docs: Documents,
           policies: list[tuple[str, PolicyDocument]]) -> list[Item]:
    role = config.auth.mode == "assume_role"
    account = config.account_id or MOCK_ACCOUNT
    part = config.partition
    mocks: list[Item] = []
    if role:
        mocks.append(Block("mock_resource", ("aws_iam_role",), [Attr("defaults", {
            "arn": f"arn:{part}:iam::{account}:role/{config.auth.role_name}",
            "unique_id": "AROA" + "EXAMPLE" * 2 + "AB"})]))
    else:
        mocks.append(Block("mock_resource", ("aws_iam_user",), [Attr("defaults", {
            "arn": f"arn:{part}:iam::{account}:user/{config.auth.user_name}",
            "unique_id": "AIDA" + "EXAMPLE" * 2 + "AB"})]))
        mocks.append(Block("mock_resource", ("aws_iam_access_key",), [Attr("defaults", {
            "id": "AKIA" + "EXAMPLE" * 2 + "AB"})]))
    mocks.append(Block("mock_resource", ("aws_iam_policy",), [Attr("defaults", {
        "arn": f"arn:{part}:iam::{account}:policy/{config.invoke_policy_name}"})]))
    items: list[Item] = [Block("mock_provider", ("aws",), mocks)]
    if role and config.auth.external_id is not None:
        items.append(Block("variables", (), [Attr("external_id", Expr(
            'jsondecode(file("../iam/trust-policy.json")).Statement[0].Condition.StringEquals'
            '["sts:ExternalId"]'))]))
    asserts: list[Item] = []
    for name, doc in policies:
        asserts.append(Block("assert", (), [
            Attr("condition", Expr(f"jsondecode(aws_iam_policy.{name}.policy) == "
                                   f"jsondecode(file(\"../iam/{doc.filename}\"))")),
            Attr("error_message", f"The planned {doc.filename} differs from "
                                  f"iam/{doc.filename}."),
        ]))
    if role:
        asserts.append(Block("assert", (), [
            Attr("condition", Expr("jsondecode(aws_iam_role.this.assume_role_policy) == "
                                   "jsondecode(file(\"../iam/trust-policy.json\"))")),
            Attr("error_message", "The planned trust policy differs from iam/trust-policy.json."),
        ]))
    items.append(Block("run", ("documents_match_generated_json",),
                       [Attr("command", Expr("plan")), Blank(), *_spaced(asserts)]))
    arn_output = "role_arn" if role else "user_arn"
    expected = (f"arn:{part}:iam::{account}:role/{config.auth.role_name}" if role
                else f"arn:{part}:iam::{account}:user/{config.auth.user_name}")
    items.append(Block("run", ("outputs_are_wired",), [
        Attr("command", Expr("apply")),
        Blank(),
        Block("assert", (), [
            Attr("condition", Expr(f"output.{arn_output} == \"{expected}\"")),
            Attr("error_message", f"output.{arn_output} is not the created ARN."),
        ]),
        Blank(),
        Block("assert", (), [
            Attr("condition", Expr(f"length(output.policy_arns) == {len(policies)}")),
            Attr("error_message", "Every invoke policy must be attached."),
        ]),
    ]))
    return items


def _spaced(items: list[Item]) -> list[Item]:
    out: list[Item] = []
    for i, item in enumerate(items):
        if i:
            out.append(Blank())
        out.append(item)
    return out


def build(config: Config, docs: Documents) -> Module:
    policies = _policy_resource_names(docs)
    versions: list[Item] = [Block("terraform", (), [
        Attr("required_version", REQUIRED_TERRAFORM),
        Blank(),
        Block("required_providers", (), [Attr("aws", {"source": "hashicorp/aws",
                                                      "version": REQUIRED_AWS})]),
    ])]
    return Module(versions, _variables(config, docs), _main(config, docs, policies),
                  _outputs(config, policies), _tests(config, docs, policies), policies, config)


# --------------------------------------------------------------------------------------------
# writing


def _bytecode_cache(directory: str | None) -> Any:
    """Compiled templates, kept between runs: lexing and compiling six templates costs more
    than the rest of a render. Keyed by template source; never required (read-only homes and
    CI without a cache just compile)."""
    import os

    import jinja2

    class QuietCache(jinja2.FileSystemBytecodeCache):
        def load_bytecode(self, bucket: Any) -> None:
            try:
                super().load_bytecode(bucket)
            except (OSError, ValueError, EOFError):
                bucket.reset()

        def dump_bytecode(self, bucket: Any) -> None:
            try:
                os.makedirs(self.directory, exist_ok=True)
                super().dump_bytecode(bucket)
            except OSError:
                pass

    return QuietCache(directory) if directory else None


def _cache_directory() -> str | None:
    import os

    if os.environ.get("BEDROCK_GEN_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "bedrock-gen", __version__, "jinja")


def _environment() -> Any:
    """The Jinja2 environment (one per process and cache directory: many configs, one setup)."""
    return _environment_for(_cache_directory())


@functools.cache
def _environment_for(cache_directory: str | None) -> Any:
    import jinja2

    from bedrock_gen.resources import folder

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(folder("templates"))),
        bytecode_cache=_bytecode_cache(cache_directory),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["hcl"] = lambda blocks: "\n\n".join("\n".join(block_lines(b)) for b in blocks)
    env.filters["md"] = lambda text: str(text).replace("|", "\\|").replace("\n", " ")
    return env


def _hcl_value_inline(value: Any) -> str:
    if value is ...:
        return "n/a (required)"
    if isinstance(value, dict) and not value:
        return "{}"
    return json.dumps(value, ensure_ascii=False)


def render(config: Config, docs: Documents) -> dict[str, bytes]:
    """``terraform/*`` files, by path relative to the output directory."""
    module = build(config, docs)
    env = _environment()
    variables: list[Item] = [v.block() for v in module.variables]
    outputs: list[Item] = [o.block() for o in module.outputs]
    context = {
        "version": __version__,
        "config": config,
        "config_name": Path(config.file).name,  # not the path typed: output must not depend on it
        "module": module,
        "variables": variables,
        "variable_rows": [(v.name, v.type, v.description, _hcl_value_inline(v.default),
                           v.sensitive) for v in module.variables],
        "outputs": outputs,
        "output_rows": [(o.name, o.description, o.sensitive) for o in module.outputs],
        "main": module.main,
        "versions": module.versions,
        "tests": module.tests,
        "policies": module.policies,
    }
    files: dict[str, str] = {}
    if config.terraform.format == "json":
        for name, blocks in (("versions", module.versions), ("variables", variables),
                             ("main", module.main), ("outputs", outputs)):
            doc = json_document(blocks)
            files[f"{name}.tf.json"] = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    else:
        for name in ("versions", "variables", "main", "outputs"):
            files[f"{name}.tf"] = env.get_template(f"{name}.tf.j2").render(context)
    files["tests/bedrock_gen.tftest.hcl"] = env.get_template("bedrock_gen.tftest.hcl.j2") \
        .render(context)
    files["README.md"] = env.get_template("README.md.j2").render(context)
    return {f"{TERRAFORM_DIR}/{k}": v.encode("utf-8") for k, v in sorted(files.items())}
