"""Templates precompiled by Jinja2 (``make templates``); generated, do not edit.

See ``bedrock_gen.emit.terraform.templates``: each is used only while its source matches."""
