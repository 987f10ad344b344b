"""Allow ``python -m bedrock_gen``."""

from bedrock_gen.cli import main

if __name__ == "__main__":
    main()
