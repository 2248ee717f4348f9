"""The commune sync server: receives what laptops did, hands out what they need.

It imports `fieldkit.core` (the shared synced models, the validators, the protocol) and never
Qt; it installs with `pip install fieldkit[server]`.
"""
