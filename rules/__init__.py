"""The built-in rule packs, shipped in the package as compliance.builtin_rules (data only; see
compliance/builtin.py). This file only makes the folder an importable package for
importlib.resources; packs are the YAML files and folders beside it."""
