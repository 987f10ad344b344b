"""``bedrock-gen lint``: offline checks of IAM JSON documents, generated or hand-written.

``rules`` holds every rule (code, severity, description, source, fix); ``engine`` runs the rule
sets: ``grammar`` (every document), ``access`` and ``bedrock`` (identity policies), ``trust``
(role trust policies), ``scp`` (service control policies). To add a rule: a ``Rule`` in
``rules`` and its check in the rule set it belongs to.
"""
