"""What a validated config is (``model``) and the vocabulary gateways and auth modes share
(``gateway``)."""

DEFAULT_OUTPUT_DIR = "generated"  # where render writes, next to the config, unless it says
