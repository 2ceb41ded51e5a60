"""The graph store: the GraphStore protocol, its backends, the factory that opens them, the home folder.

Callers type against ``base.GraphStore`` and open stores through ``factory.open_store`` or
``home.Home``; only this folder names a backend class. May import kg.core and kg.errors only.
"""
