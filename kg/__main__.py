"""`python -m kg` is the `vetgraph` command."""

from kg.cli.main import main

if __name__ == "__main__":
    main()
