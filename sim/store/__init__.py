"""The scenario store: named scenarios saved as YAML files in one folder."""
