"""Empty: see tonic/__init__.py."""
