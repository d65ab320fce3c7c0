"""Domain knowledge, pure: metric catalogues, indices and rules of each application area.

No I/O here. The platform lists areas through `domains.registry`.
"""
