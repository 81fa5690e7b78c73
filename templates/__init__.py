"""The built-in templates, shipped in the package as compliance.builtin_templates (data only;
see compliance/builtin.py). This file only makes the folder an importable package for
importlib.resources."""
