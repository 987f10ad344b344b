"""The command line: a thin Click layer over ``bedrock_gen.api``. ``main`` is the entry point
and the group; each command module registers its commands; ``options`` holds the options
several commands share; ``reporters`` the output formats."""
