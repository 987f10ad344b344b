"""Allow ``python -m bedrock_gen``."""

from bedrock_gen.cli.main import main

if __name__ == "__main__":
    main()
