"""The package's version: one place, read by pyproject.toml and exported as
``autograd.__version__``. CHANGELOG.md says what each version changed for users."""

__version__ = "0.2.0.dev0"
