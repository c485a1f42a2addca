"""Reading YAML and JSON exactly as Kubernetes reads it: plain data plus a position index.

The bottom layer: it imports nothing of jobcheck but the finding types.
"""
