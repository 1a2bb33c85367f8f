"""The model and its inputs: the scenario, how it is read and checked, and one replication of the case flow."""
