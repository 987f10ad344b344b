"""Port end to end: the provider registration bedrock-gen writes (``port/``), Port's API rules
as validation errors, the printed commands run against a local stand-in for Port's API, and
the optional ``port_organization_secret`` in the Terraform module.

Every body is checked against Port's own request schemas, kept in ``tests/data/port/`` with
their source and date (port-labs/port-docs, snapshot of 2026-01-28).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, NamedTuple

import hcl2
import jsonschema
import pytest

from bedrock_gen.api import render_config
from bedrock_gen.gateways.presets import port
from bedrock_gen.gateways.presets.port.api import default_description
from conftest import ROOT, RunCli

DATA = Path(__file__).parent / "data" / "port"
PORT_EXAMPLES = ("port-specific-models", "port-all-models", "access-keys")
SECRET = "s3cr3t-Ext.ID=42@port:x/y"  # an external ID within STS's rules, easy to search for
KEY_ID = "AKIAFAKEKEYID0000042"
KEY_SECRET = "fAkE/sEcReT+aCcEsS=kEy0000000000000042"


def _schema(name: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((DATA / name).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


POST = _schema("llm-provider-post.schema.json")
PUT = _schema("llm-provider-put.schema.json")
SECRET_POST = _schema("organization-secret-post.schema.json")


def _errors(validator: jsonschema.Draft202012Validator, body: Any) -> list[str]:
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(body)
    ]


BASE = """\
version: 1
name: port-gw
models:
  ids: [{models}]
  geographies: [eu]
"""

# name -> (config text after BASE's models, expected enabled Port models)
VARIANTS: dict[str, tuple[str, str, set[str]]] = {
    "role-env-id": (
        "claude-sonnet-4-5, claude-haiku-4-5",
        """\
account_id: "123456789012"
regions: [eu-west-1, eu-central-1]
auth:
  mode: assume_role
  external_id: {env: PORT_TEST_EXTERNAL_ID}
""",
        {"claude-sonnet-4-5-20250929", "claude-haiku-4-5-20251001"},
    ),
    "role-literal-id-unpinned": (
        "claude-haiku-4-5, claude-opus-4-6",
        """\
port: {region: eu-west-1, account_id: "123456789012"}
auth:
  mode: assume_role
  external_id: literal-ext-id-1
""",
        {"claude-haiku-4-5-20251001"},
    ),
    "role-no-external-id": (
        "claude-haiku-4-5",
        """\
port: {region: eu-central-1, account_id: "123456789012"}
auth:
  mode: assume_role
  external_id: {none: "reviewed: test tenant"}
""",
        {"claude-haiku-4-5-20251001"},
    ),
    "role-guardrail-us-api": (
        "claude-sonnet-4-5",
        """\
regions: [eu-west-1]
guardrails: [arn:aws:bedrock:eu-west-1:123456789012:guardrail/abcd1234efgh]
port: {api_region: us, guardrail_version: "3", secret_description: "for the tests"}
auth:
  mode: assume_role
  external_id_secret_name: PORT-TEST_SECRET
  external_id: {env: PORT_TEST_EXTERNAL_ID}
""",
        {"claude-sonnet-4-5-20250929"},
    ),
    "access-keys": (
        "claude-sonnet-4-5, claude-haiku-4-5",
        """\
regions: [eu-west-1]
port: {access_key_id_secret_name: kid, secret_access_key_secret_name: ksecret}
auth:
  mode: access_keys
""",
        {"claude-sonnet-4-5-20250929", "claude-haiku-4-5-20251001"},
    ),
    "access-keys-terraform-key": (
        "claude-haiku-4-5",
        """\
regions: [eu-west-1]
auth:
  mode: access_keys
terraform:
  create_access_key: true
""",
        {"claude-haiku-4-5-20251001"},
    ),
}
ALL_MODELS = """\
version: 1
name: port-all
models: {allow: all}
port: {region: us-east-1, account_id: "123456789012"}
auth:
  mode: assume_role
  external_id: {env: PORT_TEST_EXTERNAL_ID}
"""


def _config(variant: str) -> str:
    models, rest, _enabled = VARIANTS[variant]
    return BASE.format(models=models) + rest


class Rendered(NamedTuple):
    config: Path
    out: Path
    stdout: str
    post: dict[str, Any]
    put: dict[str, Any]


@pytest.fixture
def render(
    tmp_path: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> Callable[[str], Rendered]:
    """Render a config's text in tmp_path (as the user would, from its folder)."""
    monkeypatch.setenv("PORT_TEST_EXTERNAL_ID", SECRET)

    def run(text: str) -> Rendered:
        cfg = tmp_path / "bedrock-gen.yaml"
        cfg.write_text(text, encoding="utf-8")
        result = run_cli("render", "bedrock-gen.yaml", cwd=tmp_path)
        assert result.code == 0, result.out + result.err
        out = tmp_path / "generated"
        return Rendered(
            cfg,
            out,
            result.out,
            json.loads((out / "port/llm-provider.json").read_text()),
            json.loads((out / "port/llm-provider.update.json").read_text()),
        )

    return run


# ------------------------------------------------------------------------------------------
# the bodies


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_bodies_follow_ports_schemas_and_enable_exactly_the_granted_models(
    variant: str, render: Callable[[str], Rendered]
) -> None:
    r = render(_config(variant))
    assert _errors(POST, r.post) == []
    assert _errors(PUT, r.put) == []
    assert r.post["provider"] == "bedrock" and "provider" not in r.put
    enabled = {m for m, v in r.post["overrides"]["models"].items() if v["enabled"]}
    assert enabled == VARIANTS[variant][2]
    assert list(r.post["overrides"]["models"]) == list(port.MODELS)
    assert r.put["overrides"]["models"]["gpt-5"] == {"enabled": False}
    assert {k: v for k, v in r.put["overrides"]["models"].items() if k != "gpt-5"} == r.post[
        "overrides"
    ]["models"]
    assert r.put["config"] == r.post["config"]


def test_assume_role_body_names_the_role_region_secret_and_guardrail(
    render: Callable[[str], Rendered],
) -> None:
    r = render(_config("role-guardrail-us-api"))
    assert r.post["config"] == {
        "roleArn": "arn:aws:iam::123456789012:role/port-gw",
        "externalIdSecretName": "PORT-TEST_SECRET",
        "region": "eu-west-1",
        "guardrailIdentifier": "arn:aws:bedrock:eu-west-1:123456789012:guardrail/abcd1234efgh",
        "guardrailVersion": "3",
    }


def test_region_is_the_first_listed_and_port_region_overrides_it(
    render: Callable[[str], Rendered],
) -> None:
    assert render(_config("role-env-id")).post["config"]["region"] == "eu-west-1"
    text = _config("role-env-id").replace("auth:", "port: {region: eu-central-1}\nauth:")
    assert render(text).post["config"]["region"] == "eu-central-1"


def test_one_guardrail_defaults_to_draft_and_two_set_none(
    render: Callable[[str], Rendered],
) -> None:
    one = (
        _config("role-env-id") + "guardrails: [arn:aws:bedrock:eu-west-1:123456789012:"
        "guardrail/abc123]\n"
    )
    assert render(one).post["config"]["guardrailVersion"] == "DRAFT"
    two = one.replace(
        "guardrail/abc123]",
        "guardrail/abc123, arn:aws:bedrock:eu-west-1:123456789012:guardrail/def456]",
    )
    assert "guardrailIdentifier" not in render(two).post["config"]


def test_access_keys_body_names_the_two_secrets(render: Callable[[str], Rendered]) -> None:
    r = render(_config("access-keys"))
    assert r.post["config"] == {
        "accessKeyIdSecretName": "kid",
        "secretAccessKeySecretName": "ksecret",
        "region": "eu-west-1",
    }


def test_allow_all_enables_all_of_ports_models(render: Callable[[str], Rendered]) -> None:
    r = render(ALL_MODELS)
    assert _errors(POST, r.post) == []
    assert all(v == {"enabled": True} for v in r.post["overrides"]["models"].values())


def test_models_port_cannot_name_are_left_out_with_a_note(
    render: Callable[[str], Rendered],
) -> None:
    r = render(_config("role-literal-id-unpinned"))
    assert "anthropic.claude-opus-4-6-v1" in r.stdout and "is not known" in r.stdout
    readme = (r.out / "port/README.md").read_text()
    assert "`anthropic.claude-opus-4-6-v1`" in readme and "left out" in readme


def test_no_secret_value_in_any_file_and_same_bytes_every_time(
    render: Callable[[str], Rendered], tmp_path: Path
) -> None:
    first = render(_config("role-env-id"))
    files = {p.relative_to(first.out): p.read_bytes() for p in first.out.rglob("*") if p.is_file()}
    assert all(SECRET.encode() not in data for data in files.values())
    assert all(str(tmp_path).encode() not in data for data in files.values())
    again = render(_config("role-env-id"))
    assert files == {
        p.relative_to(again.out): p.read_bytes() for p in again.out.rglob("*") if p.is_file()
    }


def test_without_a_region_validate_warns_and_render_writes_no_port_files(
    run_cli: RunCli, tmp_path: Path
) -> None:
    cfg = tmp_path / "bedrock-gen.yaml"
    cfg.write_text(
        BASE.format(models="claude-sonnet-4-5")
        + "auth: {mode: assume_role, external_id: gw-7f3a9c2e5b1d4086}\n"
    )
    checked = run_cli("validate", str(cfg))
    assert checked.code == 0
    (line,) = [x for x in checked.out.splitlines() if "[port-no-region]" in x]
    assert re.match(rf"{re.escape(str(cfg))}:\d+:\d+: warning: ", line)
    assert "port.region" in line and "2026-01-28" in line
    rendered = run_cli("render", str(cfg))
    assert rendered.code == 0
    assert not (tmp_path / "generated/port").exists()
    assert "set port.region (or regions)" in rendered.out


def test_checked_in_examples_hold_valid_port_requests() -> None:
    for name in PORT_EXAMPLES:
        folder = ROOT / "examples" / name / "generated" / "port"
        post = json.loads((folder / "llm-provider.json").read_text())
        put = json.loads((folder / "llm-provider.update.json").read_text())
        assert _errors(POST, post) == [], name
        assert _errors(PUT, put) == [], name
        assert port.ACCOUNT_PLACEHOLDER not in json.dumps(post)
    variants = {
        json.loads((ROOT / "examples" / n / "generated/port/llm-provider.json").read_text())[
            "config"
        ].get("roleArn")
        is None
        for n in PORT_EXAMPLES
    }
    assert variants == {True, False}  # both of Port's variants: access keys and assume role


# ------------------------------------------------------------------------------------------
# Port's API rules


RULES = {
    # config text, expected code, the key the error points at
    "role-path": (
        _config("role-env-id") + "terraform: {path: /gateways/}\n",
        "port-role-path",
        "terraform:",
    ),
    "dotted-secret-name": (
        _config("role-env-id").replace(
            "  mode: assume_role\n", "  mode: assume_role\n  external_id_secret_name: a.b\n"
        ),
        "invalid-value",
        "external_id_secret_name",
    ),
    "dotted-access-key-secret": (
        _config("access-keys").replace("kid", "k.id"),
        "invalid-value",
        "port:",
    ),
    "govcloud-access-keys": (
        BASE.format(models="claude-sonnet-4-5").replace("[eu]", "[us-gov]")
        + "regions: [us-gov-west-1]\nauth: {mode: access_keys}\n",
        "port-partition",
        "regions:",
    ),
    "govcloud-port-region": (
        _config("role-no-external-id").replace("region: eu-central-1", "region: us-gov-west-1"),
        "port-region",
        "port:",
    ),
    "long-description": (
        _config("access-keys").replace(
            "ksecret}", "ksecret, secret_description: " + "d" * 201 + "}"
        ),
        "port-secret-description",
        "port:",
    ),
    "port-region-outside-regions": (
        _config("role-env-id").replace("auth:", "port: {region: eu-north-1}\nauth:"),
        "port-region-not-granted",
        "port:",
    ),
    "port-secret-without-external-id": (
        _config("role-no-external-id") + "terraform: {port_organization_secret: true}\n",
        "port-secret-without-external-id",
        "terraform:",
    ),
}


@pytest.mark.parametrize("case", sorted(RULES))
def test_configs_port_would_refuse_fail_validation_located_with_the_source(
    case: str, run_cli: RunCli, tmp_path: Path
) -> None:
    text, code, where = RULES[case]
    cfg = tmp_path / "bedrock-gen.yaml"
    cfg.write_text(text)
    result = run_cli("validate", str(cfg))
    assert result.code == 1, result.out
    assert "Traceback" not in result.out + result.err
    errors = [x for x in result.out.splitlines() if ": error: " in x]
    (line,) = [x for x in errors if x.endswith(f"[{code}]")]
    m = re.match(rf"{re.escape(str(cfg))}:(\d+):(\d+): error: ", line)
    assert m, line
    assert where in text.splitlines()[int(m[1]) - 1]
    if (
        code.startswith("port-")
        and code != "port-secret-without-external-id"
        and code != "port-region-not-granted"
    ):
        assert "source: Port's API reference" in line and "2026-01-28" in line
    assert not (tmp_path / "generated").exists()


def test_china_is_refused_too(run_cli: RunCli, tmp_path: Path) -> None:
    """China's Regions match Port's region pattern; the catalog knows none of them (Bedrock is
    not offered there), so validation refuses them before Port's partition rule."""
    cfg = tmp_path / "bedrock-gen.yaml"
    cfg.write_text(
        "version: 1\nname: gw\nregions: [cn-north-1]\nmodels: {allow: all}\n"
        "auth: {mode: access_keys}\n"
    )
    result = run_cli("validate", str(cfg))
    assert result.code == 1
    assert [x for x in result.out.splitlines() if ": error: " in x]


# ------------------------------------------------------------------------------------------
# the printed commands, run against a stand-in for Port's API


class Request(NamedTuple):
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@pytest.fixture
def standin() -> Iterator[tuple[str, list[Request]]]:
    """Port's API on 127.0.0.1 (a free port, in a thread): records each request and answers
    as Port documents, 422 for a body its schema refuses."""
    seen: list[Request] = []
    routes = {
        ("POST", "/v1/organization/secrets"): (SECRET_POST, 201),
        ("POST", "/v1/llm-providers"): (POST, 201),
        ("PUT", "/v1/llm-providers/bedrock"): (PUT, 200),
    }

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            seen.append(Request(self.command, self.path, dict(self.headers.items()), body))
            path = self.path.split("?", 1)[0]
            status, answer = 404, {"ok": False, "error": "not_found"}
            if (self.command, path) == ("POST", "/v1/auth/access_token"):
                status, answer = (
                    200,
                    {
                        "ok": True,
                        "accessToken": "token-from-client-secret",
                        "expiresIn": 10800,
                        "tokenType": "Bearer",
                    },
                )
            elif (self.command, path) in routes:
                validator, status = routes[(self.command, path)]
                try:
                    errors = _errors(validator, json.loads(body))
                except ValueError as exc:
                    errors = [str(exc)]
                if errors:
                    status, answer = 422, {"ok": False, "error": "; ".join(errors)}
                else:
                    answer = {"ok": True}
            data = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_POST = do_PUT = do_GET = _answer

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()


def _commands(stdout: str) -> list[str]:
    """The command lines of the printed next steps: the indented lines under a step, except
    the '(by hand instead: ...)' remarks."""
    steps = stdout.split("Next steps:", 1)[1].splitlines()
    return [x.strip() for x in steps if re.match(r"^ {5}\S", x) and not x.strip().startswith("(")]


def _shims(tmp_path: Path) -> tuple[Path, Path]:
    """A curl that logs its arguments before running the real one, and an aws CLI stand-in
    that answers create-access-key (text output) with the test key."""
    real = shutil.which("curl")
    assert real
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "argv.log"
    (bin_dir / "curl").write_text(f'#!/bin/bash\nprintf "%s\\n" "$*" >> {log}\nexec {real} "$@"\n')
    (bin_dir / "aws").write_text(f'#!/bin/bash\nprintf "%s\\t%s\\n" {KEY_ID} {KEY_SECRET}\n')
    for shim in bin_dir.iterdir():
        shim.chmod(0o755)
    return bin_dir, log


def _run(lines: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    script = "set -eo pipefail\n" + "\n".join(lines) + "\n"
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-c", script],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
    )


needs_shell = pytest.mark.skipif(
    shutil.which("bash") is None or shutil.which("curl") is None,
    reason="bash or curl is not installed",
)


def _check_requests(seen: list[Request], r: Rendered, secrets: dict[str, str], token: str) -> None:
    assert [(q.method, q.path) for q in seen] == [
        *[("POST", "/v1/organization/secrets")] * len(secrets),
        ("POST", "/v1/llm-providers?validate_connection=true"),
        ("PUT", "/v1/llm-providers/bedrock?validate_connection=true"),
    ]
    for q in seen:
        assert q.headers["Authorization"] == f"Bearer {token}"
        assert q.headers["Content-Type"] == "application/json"
    stored = {}
    for q in seen[: len(secrets)]:
        body = json.loads(q.body)
        assert _errors(SECRET_POST, body) == []
        stored[body["secretName"]] = body["secretValue"]
    assert stored == secrets  # exactly, with no trailing newline
    assert json.loads(seen[-2].body) == r.post
    assert json.loads(seen[-1].body) == r.put


@needs_shell
@pytest.mark.parametrize("variant", ["role-env-id", "role-guardrail-us-api"])
def test_printed_commands_work_against_a_standin_and_never_show_the_secret(
    variant: str,
    render: Callable[[str], Rendered],
    standin: tuple[str, list[Request]],
    tmp_path: Path,
) -> None:
    url, seen = standin
    r = render(_config(variant))
    commands = _commands(r.stdout)
    port_commands = [c for c in commands if "PORT_API_URL" in c]
    assert len(port_commands) == 3, commands
    assert SECRET not in r.stdout
    bin_dir, log = _shims(tmp_path)
    env = {
        "PATH": f"{bin_dir}:{os.environ['PATH']}",
        "HOME": str(tmp_path),
        "PORT_API_URL": url,
        "PORT_API_TOKEN": "tok-123",
        "PORT_TEST_EXTERNAL_ID": SECRET,
    }
    proc = _run(port_commands, env, r.config.parent)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert SECRET not in proc.stdout + proc.stderr  # never echoed
    assert SECRET not in log.read_text()  # on no command line
    secret_name = r.post["config"]["externalIdSecretName"]
    _check_requests(seen, r, {secret_name: SECRET}, "tok-123")
    description = json.loads(seen[0].body)["description"]
    assert len(description) <= port.SECRET_DESCRIPTION_MAX
    files = [p.read_bytes() for p in r.out.rglob("*") if p.is_file()]
    assert all(SECRET.encode() not in f for f in files)


@needs_shell
def test_a_literal_external_id_is_stored_as_written(
    render: Callable[[str], Rendered], standin: tuple[str, list[Request]], tmp_path: Path
) -> None:
    url, seen = standin
    r = render(_config("role-literal-id-unpinned"))
    assert "the value of auth.external_id" in r.stdout
    assert "literal-ext-id-1" not in r.stdout  # read from the trust policy, not repeated
    assert all(b"literal-ext-id-1" not in p.read_bytes() for p in (r.out / "port").iterdir())
    port_commands = [c for c in _commands(r.stdout) if "PORT_API_URL" in c]
    bin_dir, _log = _shims(tmp_path)
    env = {
        "PATH": f"{bin_dir}:{os.environ['PATH']}",
        "PORT_API_URL": url,
        "PORT_API_TOKEN": "tok-lit",
    }
    proc = _run(port_commands, env, tmp_path / "bin")  # absolute paths: any folder works
    assert proc.returncode == 0, proc.stdout + proc.stderr
    _check_requests(seen, r, {"BEDROCK_ROLE_EXTERNAL_ID": "literal-ext-id-1"}, "tok-lit")


@needs_shell
def test_a_missing_variable_stores_no_empty_secret(
    render: Callable[[str], Rendered], standin: tuple[str, list[Request]], tmp_path: Path
) -> None:
    url, seen = standin
    r = render(_config("role-env-id"))
    (command,) = [c for c in _commands(r.stdout) if "/v1/organization/secrets" in c]
    bin_dir, _log = _shims(tmp_path)
    env = {"PATH": f"{bin_dir}:{os.environ['PATH']}", "PORT_API_URL": url, "PORT_API_TOKEN": "tok"}
    proc = _run([command], env, r.config.parent)
    assert proc.returncode != 0
    assert "PORT_TEST_EXTERNAL_ID" in proc.stderr
    assert all(json.loads(q.body or b"{}").get("secretValue") for q in seen if q.body)


@needs_shell
@pytest.mark.parametrize("variant", ["access-keys", "access-keys-terraform-key"])
def test_access_key_commands_store_the_users_key_without_showing_it(
    variant: str,
    render: Callable[[str], Rendered],
    standin: tuple[str, list[Request]],
    tmp_path: Path,
) -> None:
    url, seen = standin
    r = render(_config(variant))
    commands = _commands(r.stdout)
    port_commands = [
        c for c in commands if "PORT_API_URL" in c or c.startswith(("read -r", "BEDROCK_AWS_"))
    ]
    bin_dir, log = _shims(tmp_path)
    if variant.endswith("terraform-key"):  # terraform output -raw, as after the apply
        (bin_dir / "terraform").write_text(
            '#!/bin/bash\ncase "$*" in *access_key_id*) printf %s ' + KEY_ID + ";; "
            "*secret_access_key*) printf %s " + KEY_SECRET.replace("/", "\\/") + ";; esac\n"
        )
        (bin_dir / "terraform").chmod(0o755)
    env = {
        "PATH": f"{bin_dir}:{os.environ['PATH']}",
        "HOME": str(tmp_path),
        "PORT_API_URL": url,
        "PORT_API_TOKEN": "tok-keys",
    }
    proc = _run(port_commands, env, r.config.parent)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    names = r.post["config"]
    _check_requests(
        seen,
        r,
        {names["accessKeyIdSecretName"]: KEY_ID, names["secretAccessKeySecretName"]: KEY_SECRET},
        "tok-keys",
    )
    assert KEY_SECRET not in proc.stdout + proc.stderr + log.read_text() + r.stdout


@needs_shell
@pytest.mark.parametrize("variant", ["role-env-id", "role-literal-id-unpinned", "access-keys"])
def test_port_readme_commands_work_from_the_output_folder(
    variant: str,
    render: Callable[[str], Rendered],
    standin: tuple[str, list[Request]],
    tmp_path: Path,
) -> None:
    url, seen = standin
    r = render(_config(variant))
    readme = (r.out / "port/README.md").read_text()
    blocks = re.findall(r"```bash\n(.*?)```", readme, flags=re.S)
    lines = [x.strip() for block in blocks for x in block.splitlines() if x.strip()]
    assert lines[0].startswith("export PORT_API_TOKEN=")
    bin_dir, log = _shims(tmp_path)
    env = {
        "PATH": f"{bin_dir}:{os.environ['PATH']}",
        "HOME": str(tmp_path),
        "PORT_API_URL": url,
        "PORT_CLIENT_ID": "cid",
        "PORT_CLIENT_SECRET": "csecret",
        "PORT_TEST_EXTERNAL_ID": SECRET,
    }
    proc = _run(lines, env, r.out)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert seen[0].path == "/v1/auth/access_token"
    assert json.loads(seen[0].body) == {"clientId": "cid", "clientSecret": "csecret"}
    secrets = {
        "role-env-id": {"BEDROCK_ROLE_EXTERNAL_ID": SECRET},
        "role-literal-id-unpinned": {"BEDROCK_ROLE_EXTERNAL_ID": "literal-ext-id-1"},
        "access-keys": {"kid": KEY_ID, "ksecret": KEY_SECRET},
    }[variant]
    _check_requests(seen[1:], r, secrets, "token-from-client-secret")
    assert "csecret" not in log.read_text() and SECRET not in log.read_text()


def test_printed_base_url_defaults_follow_api_region(render: Callable[[str], Rendered]) -> None:
    eu = render(_config("role-env-id")).stdout
    assert "${PORT_API_URL:-https://api.port.io}/v1/llm-providers" in eu
    assert "https://api.us.port.io" in eu  # named beside it
    us = render(_config("role-guardrail-us-api")).stdout
    assert "${PORT_API_URL:-https://api.us.port.io}/v1/llm-providers" in us


# ------------------------------------------------------------------------------------------
# Terraform: port_organization_secret (optional)


def _port_module(tmp_path: Path, flavour: str = "hcl") -> Path:
    text = (
        _config("role-env-id") + f"terraform: {{port_organization_secret: true, format: "
        f"{flavour}}}\n"
    )
    cfg = tmp_path / f"{flavour}.yaml"
    cfg.write_text(text)
    result = render_config(cfg, output=tmp_path / flavour)
    assert result.ok, [d.format_text() for d in result.diagnostics]
    return tmp_path / flavour / "terraform"


def test_port_secret_is_off_by_default(render: Callable[[str], Rendered]) -> None:
    r = render(_config("role-env-id"))
    assert not (r.out / "terraform/port.tf").exists()
    assert "port-labs" not in (r.out / "terraform/versions.tf").read_text()


def test_port_secret_takes_the_external_id_variable_and_the_commands_description(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PORT_TEST_EXTERNAL_ID", SECRET)
    module = _port_module(tmp_path)
    parsed = _plain(hcl2.loads((module / "port.tf").read_text()))
    (resource,) = parsed["resource"]
    body = resource["port_organization_secret"]["external_id"]
    assert body["secret_value"] == "${var.external_id}"
    assert body["secret_name"] == "${var.port_secret_name}"
    from bedrock_gen.api import check

    config = check(tmp_path / "hcl.yaml", None).config
    assert config is not None
    assert body["description"] == default_description(config, "sts:ExternalId")
    assert 'source  = "port-labs/port-labs"' in (module / "versions.tf").read_text()
    assert SECRET not in "".join(p.read_text() for p in module.rglob("*") if p.is_file())
    as_json = json.loads((_port_module(tmp_path, "json") / "port.tf.json").read_text())
    assert "port_organization_secret" in json.dumps(as_json["resource"])


def _plain(value: Any) -> Any:
    """python-hcl2's output with keys unquoted and literal strings decoded."""
    if isinstance(value, str):
        return json.loads(value) if value.startswith('"') else value
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {_plain(k): _plain(v) for k, v in value.items() if k != "__is_block__"}
    return value


def _port_provider_env() -> dict[str, str] | str:
    """terraform's environment when Port's provider can be installed, else the reason."""
    from terraform_env import _mirror, _registry_reachable, terraform_env

    env = terraform_env()
    if isinstance(env, str):
        return env
    mirror = _mirror()
    if mirror is not None and (mirror / "registry.terraform.io/port-labs/port-labs").is_dir():
        return env
    if _registry_reachable():
        return {k: v for k, v in env.items() if k != "TF_CLI_CONFIG_FILE"}
    return (
        f"the local provider mirror ({mirror}) holds only hashicorp/aws, not "
        "port-labs/port-labs, and registry.terraform.io cannot be reached"
        if mirror is not None
        else "no local provider mirror holds port-labs/port-labs "
        "and registry.terraform.io cannot be reached"
    )


@pytest.mark.skipif(shutil.which("terraform") is None, reason="terraform is not installed")
def test_port_tf_is_fmt_clean(tmp_path: Path) -> None:
    module = _port_module(tmp_path)
    proc = subprocess.run(
        ["terraform", "fmt", "-check", "-diff", "port.tf"],
        cwd=module,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


PORT_ENV = _port_provider_env()


@pytest.mark.terraform
@pytest.mark.skipif(isinstance(PORT_ENV, str), reason=str(PORT_ENV))
@pytest.mark.parametrize("flavour", ["hcl", "json"])
def test_module_with_port_secret_validates_and_passes_its_tests(
    flavour: str, tmp_path: Path
) -> None:
    assert not isinstance(PORT_ENV, str)
    module = _port_module(tmp_path, flavour)
    for args in (["init", "-backend=false", "-input=false"], ["validate"], ["test"]):
        proc = subprocess.run(
            ["terraform", *args, "-no-color"],
            cwd=module,
            env=PORT_ENV,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert proc.returncode == 0, proc.stdout + proc.stderr
