"""The composition root: the `sensegrid` command and the all-in-one demo runner."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("sensegrid")
except PackageNotFoundError:  # running from a source tree without installing
    __version__ = "0.0.0+source"
