"""Every diagnostic code bedrock-gen emits outside lint, with what it means.

Lint's codes (IAM Access Analyzer's where it has the check) are registered with their severity
and source in ``lint/rules.py``; these are the codes of reading inputs, validating configs,
rendering and the catalog commands. A code is a stable name a user can search for and a CI
script can match: one meaning per code. The tests fail when a diagnostic carries a code
registered in neither place, and, when the whole suite runs, when a code registered here is made
by no test (it is dead, or untested): tests/conftest.py.
"""

from __future__ import annotations

CODES: dict[str, str] = {
    # -- reading files ----------------------------------------------------------------------------
    "file-unreadable": "A file or folder named on the command line cannot be read, or is missing.",
    "file-too-large": "A file is larger than anything of its kind should be.",
    "file-encoding": "A file is not valid UTF-8 (or starts with another encoding's mark).",
    "invalid-path": "A path (a file name, output_dir, catalog) holds a NUL or control character, "
    "is too long, or cannot be encoded by the running system.",
    "config-empty": "The config file is empty.",
    "config-not-mapping": "The config's top level is not a mapping of keys.",
    "yaml-syntax": "The config is not well-formed YAML.",
    "yaml-duplicate-key": "A YAML mapping names the same key twice.",
    "yaml-key": "A YAML mapping key is not a plain string.",
    "yaml-tag": "A YAML tag (like !!python/object) that a config may not hold.",
    "yaml-alias": "A YAML alias names no anchor defined before it.",
    "yaml-too-deep": "The YAML nests deeper than a config may.",
    "yaml-too-large": "The YAML expands (aliases included) to more nodes than a config may hold.",
    "yaml-multiple-documents": "The file holds more than one YAML document.",
    "yaml-number": "A number longer than any a config holds (read before int() would).",
    "yaml-ambiguous": "An unquoted value that YAML 1.1 and YAML 1.2 read differently: refused "
    "with the form to write, so a config means the same to every tool.",
    # -- the config's structure -------------------------------------------------------------------
    "schema": "The config does not match the schema (reported when no plainer sentence fits).",
    "missing-key": "A required key is missing.",
    "unknown-key": "A key the schema does not know (with a did-you-mean).",
    "wrong-type": "A value of the wrong type (a YAML reading named when that is the cause).",
    "invalid-value": "A value outside what the key accepts (a pattern, a range, an enum).",
    "account-id-number": "account_id written as a number: YAML drops a leading zero.",
    "empty-list": "A list that must name at least one item is empty.",
    "duplicate-item": "A list names the same item twice.",
    # -- models, Regions, routes ------------------------------------------------------------------
    "unknown-model": "A model ID or alias the catalog does not know (with a did-you-mean).",
    "wrong-model-id": "A model ID known to be wrong (Port's guide's Opus 4.6), with the right one.",
    "profile-id-as-model": "An inference-profile ID written where a model ID goes.",
    "model-id-lookalike": "A model ID with a non-ASCII character that looks like an ASCII one.",
    "invalid-model-id": "A model ID that is not the shape Bedrock's model IDs have.",
    "duplicate-model": "The same model listed twice (by ID and alias, or in ids and custom).",
    "no-models": "No model is selected.",
    "no-geographies": "No inference-profile geography and no direct calls: nothing callable.",
    "unknown-region": "A Region bedrock-gen's catalog does not know (with a did-you-mean).",
    "mixed-partitions": "The config mixes AWS partitions; one role lives in one.",
    "model-needs-profile": "A model callable only through an inference profile, with none chosen.",
    "model-not-in-geography": "A model not offered in a chosen geography.",
    "model-unreachable": "A model no chosen Region can call, by profile or directly.",
    "profile-unreachable": "A model's profile in a chosen geography is called from none of the "
    "regions: it gets no grant there.",
    "region-cannot-call-geography": "No chosen Region is a source of a chosen geography.",
    "in-region-unsupported": "Direct (in-Region) calls asked for in Regions where AWS offers none.",
    "routes-unpublished": "AWS names a profile but publishes no per-source routes for it: not "
    "granted from the bundled catalog (catalog fetch, or models.custom with routes).",
    "model-end-of-life": "A model past its end of life everywhere: nothing is granted.",
    "model-region-end-of-life": "A model past its end of life in some chosen Regions: not granted "
    "there.",
    "model-legacy": "A model AWS lists as Legacy, with the date it ends.",
    "model-limited-access": "A model AWS offers only to accounts it has approved.",
    "model-mantle-only": "A model served only on the bedrock-mantle endpoint.",
    "custom-routes-needed": "A custom model's profile without routes, and no regions to make it "
    "exact.",
    "custom-routes-assumed": "A custom model's profile without routes: each chosen Region is "
    "granted as its only destination.",
    "custom-routes-partition": "A custom model's route crosses partitions.",
    "custom-routes-global": "Routes given for a global profile, which AWS serves anywhere.",
    "custom-overrides-catalog": "models.custom changes facts the catalog has for a model.",
    # -- Marketplace ------------------------------------------------------------------------------
    "marketplace-unneeded": "marketplace.subscribe with no selected model sold through it.",
    "marketplace-product-id-unknown": "A selected Marketplace model whose product ID no AWS page "
    "gives: Subscribe is never granted without it.",
    "marketplace-unknown": "No AWS page says whether a model is sold through Marketplace.",
    "marketplace-subscribe-all": "With models.allow: all, Subscribe names only the product IDs the "
    "catalog knows.",
    # -- the gateway and its trust ----------------------------------------------------------------
    "mode-unsupported": "The gateway preset does not document this auth mode.",
    "gateway-contradiction": "gateway and auth.gateway name different presets.",
    "gateway-partition": "The gateway's roles are in another partition than the config.",
    "auth-contradiction": "auth keys that do not belong to the chosen mode.",
    "no-principals": "assume_role with no role to trust (the preset documents none).",
    "custom-principals": "Trusted principals outside the preset's, not confirmed.",
    "principal-wildcard": "A trust for '*': any principal could assume the role.",
    "principal-account-root": "A trust for an account's root, not confirmed.",
    "principal-partition": "A trusted principal in another partition.",
    "invalid-principal": "A trusted principal that is not a role or user ARN.",
    "external-id": "An external ID STS would not accept.",
    "external-id-missing": "A multi-tenant SaaS gateway's role without an external ID.",
    "external-id-required": "The gateway requires an external ID; it cannot be opted out of.",
    "external-id-opt-out": "external_id: {none: REASON} without a reason.",
    "external-id-weak": "An external ID short or easy to guess.",
    "external-id-unset": "The environment variable an external ID is read from is not set.",
    "external-id-unsupported": "An external ID for a mode that assumes no role by STS.",
    "role-name-missing": "existing_role without the role's name.",
    "iam-name-length": "A generated IAM name longer than IAM allows.",
    "invalid-oidc-provider": "An OIDC provider ARN of the wrong shape.",
    "oidc-provider-missing": "IRSA without the cluster's OIDC provider.",
    "oidc-provider-account": "The OIDC provider is in another account than the role.",
    "oidc-provider-partition": "The OIDC provider is in another partition.",
    "invalid-service-account": "A Kubernetes service account that is not NAMESPACE:NAME.",
    "service-accounts-missing": "EKS modes without the service accounts to trust.",
    "service-account-wildcard": "A service account with a wildcard.",
    "invalid-cluster-arn": "An EKS cluster ARN of the wrong shape.",
    "cluster-arn-missing": "Pod Identity without the cluster.",
    "cluster-account": "The cluster is in another account than the role.",
    "cluster-partition": "The cluster is in another partition.",
    "service-missing": "aws_service without the service.",
    "service-unpinned": "A service role without account_id: no aws:SourceAccount condition.",
    "permission-unusual": "An opt-in permission the gateway's documented setup does not use.",
    "no-trust-policy": "trust-policy for a mode that creates no identity.",
    # -- guardrails -------------------------------------------------------------------------------
    "guardrail-region": "A guardrail in a Region no chosen route is called from.",
    "guardrail-partition": "A guardrail in another partition.",
    "guardrail-other-account": "A guardrail in another account: its resource policy must allow "
    "the role.",
    "guardrail-profile": "A guardrail profile not offered from the guardrail's Region.",
    "guardrail-draft": "An enforced guardrail without a version enforces its DRAFT.",
    "guardrail-enforce-region": "An enforced guardrail that leaves a chosen Region without one: "
    "every call from there would be denied.",
    "service-tier-default": "Service tiers that leave out default.",
    # -- Bedrock's newer surfaces -----------------------------------------------------------------
    "duplicate-profile-name": "Two application inference profiles with one name.",
    "source-region-missing": "An application profile copying a model with no Region to copy it in.",
    "application-profile-region": "An application profile in a Region the config does not call.",
    "application-profile-unreachable": "An application profile whose model cannot be copied "
    "from its Region.",
    "too-many-tags": "More tags than AWS allows on the resource.",
    "invalid-tag": "A tag key or value IAM (or the resource) does not accept.",
    "invalid-model-arn": "A model ARN (provisioned, deployment, imported) of the wrong shape.",
    "provisioned-other-account": "A model ARN in another account than the role.",
    "provisioned-region": "A model ARN in a Region the config does not call.",
    "responses-guardrail-enforced": "The Responses API with an enforced guardrail (AWS: guardrails "
    "do not apply to it).",
    "responses-needs-profile": "The Responses API with no profile chosen for its models.",
    "mantle-models": "mantle without its own model IDs.",
    "mantle-region": "mantle in a Region its endpoint does not serve.",
    "batch-unpinned": "batch without account_id (the service role's trust names the account).",
    "batch-no-models": "batch with no model a job could name.",
    "batch-role-name": "The batch service role's name is not a valid IAM name.",
    # -- the organization -------------------------------------------------------------------------
    "scp-blocks-route": "organization.allowed_regions blocks a Region a chosen route is served in.",
    "scp-global-profiles": "Global profiles under a Region-deny SCP: the Region-less ARN's "
    "'unspecified' Region.",
    "scp-profile-exemption": "The SCP's profile exemption lets calls be served outside the "
    "allowed Regions.",
    # -- Port -------------------------------------------------------------------------------------
    "port-region": "A Region Port refuses (GovCloud, China).",
    "port-region-not-granted": "Port's Region is not one of the config's regions.",
    "port-region-not-a-source": "Port's Region is not a source of the profiles granted for its "
    "models.",
    "port-no-region": "No Region for Port: no port/ files.",
    "port-partition": "Port calls Bedrock only in the aws partition.",
    "port-role-path": "A role with an IAM path: Port refuses it.",
    "port-account": "port.account_id contradicts account_id.",
    "port-account-unknown": "No account for Port's roleArn.",
    "port-secret-name": "A secret name Port refuses.",
    "port-secret-description": "A secret description longer than Port accepts.",
    "port-secret-without-external-id": "Port's secret managed with no external ID to hold.",
    "port-guardrails": "Several guardrails: Port applies one.",
    "port-guardrail-region": "Port's guardrail is in another Region than Port calls in.",
    "port-guardrail-version": "Port's guardrail without a version.",
    "ignored-key": "A key that has no effect with the rest of the config.",
    # -- CloudFormation ---------------------------------------------------------------------------
    "invalid-template-url": "cloudformation.template_url is not an Amazon S3 object URL.",
    "stackset-one-account": "A StackSet of something that exists in one account only.",
    "cloudformation-profile-regions": "Application inference profiles in two source Regions "
    "with CloudFormation output: one stack creates one Region's resources.",
    "stackset-region": "A StackSet with no Region to deploy in.",
    "stackset-template-too-large": "The stack template a StackSet holds inline is too large.",
    # -- documents, lint and render ---------------------------------------------------------------
    "policy-too-large": "The invoke policy needs more managed policies than can be attached.",
    "trust-policy-too-large": "The trust policy is larger than the trust-policy quota.",
    "self-lint": "A generated document fails bedrock-gen's own lint (a bug, or an ignored rule "
    "needed).",
    "unknown-lint-code": "lint.ignore names a code lint does not have.",
    "output-unsafe": "The output folder cannot be written safely (a symlink, a FIFO, a file "
    "bedrock-gen did not generate, a hand edit, another config's folder, no room).",
    "output-dir-unsafe": "output_dir is a file system root, the config's folder or above it.",
    "output-dir-outside": "output_dir is outside the config's git work tree.",
    "not-generated": "Files under the output folder that no render wrote.",
    "not-a-config": "A path that is no config and under no output folder, or a manifest naming a "
    "config that renders elsewhere.",
    "no-policies": "A folder with no IAM policy files.",
    "git": "A git command failed (a ref that does not exist, no work tree).",
    "usage": "A command was asked something it cannot do (exit 2).",
    # -- the catalog ------------------------------------------------------------------------------
    "catalog-input": "A file catalog import cannot read as an AWS API output.",
    "catalog-overlay": "A catalog overlay that is not one bedrock-gen wrote.",
    "catalog-unknown-region": "An imported file names a Region no AWS source names.",
    "catalog-fetch": "catalog fetch could not ask the account (credentials, access, boto3).",
    "catalog-output": "catalog fetch cannot write its output.",
    "catalog-build": "catalog diff was given a file that is not a catalog build.",
}
