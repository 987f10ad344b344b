"""``init`` never writes a placeholder that renders: what only the user knows (the cluster's
OIDC provider, the cluster) is asked for, taken from a flag, or left out with a comment naming
it, so that validate and render fail until it is filled in."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import RunCli

OIDC = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC123DEF4"
CLUSTER = "arn:aws:eks:us-east-1:123456789012:cluster/gw"
BASE = ("--account-id", "123456789012", "--regions", "us-east-1", "--models", "claude-haiku-4-5")


@pytest.mark.parametrize(
    ("gateway", "mode", "key", "code"),
    [
        ("litellm", "eks_irsa", "oidc_provider_arn", "oidc-provider-missing"),
        ("envoy-ai-gateway", "eks_pod_identity", "cluster_arn", "cluster-arn-missing"),
    ],
)
def test_init_leaves_what_only_the_user_knows_unset_and_the_config_invalid(
    run_cli: RunCli, tmp_path: Path, gateway: str, mode: str, key: str, code: str
) -> None:
    result = run_cli("init", "c.yaml", "--gateway", gateway, "--mode", mode, *BASE, cwd=tmp_path)
    assert result.code == 0, result.out
    assert f"Before rendering, set auth.{key}" in result.out and code in result.out
    text = (tmp_path / "c.yaml").read_text()
    assert f"# {key}: FILL IN" in text
    assert key not in (yaml.safe_load(text)["auth"])
    for command in ("validate", "render"):
        checked = run_cli(command, "c.yaml", cwd=tmp_path)
        assert checked.code == 1 and f"[{code}]" in checked.out, checked.out
    assert not (tmp_path / "generated").exists()


@pytest.mark.parametrize(
    ("gateway", "mode", "flag", "value"),
    [
        ("litellm", "eks_irsa", "--oidc-provider-arn", OIDC),
        ("envoy-ai-gateway", "eks_pod_identity", "--cluster-arn", CLUSTER),
    ],
)
def test_init_takes_the_cluster_from_a_flag_and_renders(
    run_cli: RunCli, tmp_path: Path, gateway: str, mode: str, flag: str, value: str
) -> None:
    args = ("init", "c.yaml", "--gateway", gateway, "--mode", mode, flag, value, *BASE)
    result = run_cli(*args, cwd=tmp_path)
    assert result.code == 0 and "Before rendering" not in result.out, result.out
    assert value in yaml.safe_load((tmp_path / "c.yaml").read_text())["auth"].values()
    assert run_cli("render", "c.yaml", cwd=tmp_path).code == 0
