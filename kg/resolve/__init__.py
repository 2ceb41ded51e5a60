"""Resolution steps: what is computed against the whole store after a write (legal status, links).

Each step reads the store through the GraphStore protocol and returns a Resolution (its derived
triples and its notes); ``runner.run_resolvers`` replaces each step's derived graph atomically.
May import kg.core, kg.errors and kg.store.base; never ingest/, the CLI, search or the app.
"""
