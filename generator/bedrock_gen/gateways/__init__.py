"""Everything about one gateway product or one way of authenticating, each in its own module.

``modes/`` holds the auth modes (assume_role, eks_irsa, eks_pod_identity, aws_service,
existing_role/existing_user, access_keys); ``presets/`` holds the gateway products (port,
portkey, litellm, envoy-ai-gateway, ...). To add either, add a module there and list it in
``registry``.
"""
