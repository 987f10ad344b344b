"""Facts about IAM and STS that hold for any service: ARNs and their matching, quotas and name
rules, the actions each service defines, and (``evaluate``) how a request is decided."""
