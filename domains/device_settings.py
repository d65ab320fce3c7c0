"""What an index reads of a device besides its data: its settings and its registered position.

The evaluator (`alerts.observe`) and the API's index views (`api.index_view`) both hand an
index's `compute` the device's settings through :func:`device_settings`, so an index sees the
same device either way. Settings are the scalar entries of the device's metadata
(``placard_kpa``, ``altitude_m``...); the position registered with the device (the ``devices``
table's latitude and longitude, in degrees) comes as ``latitude`` and ``longitude`` — what the
FAO-56 evapotranspiration index needs for the day's extraterrestrial radiation.
"""

from __future__ import annotations

from collections.abc import Mapping


def device_settings(
    metadata: Mapping[str, object], *, latitude: float | None = None, longitude: float | None = None
) -> dict[str, object]:
    """The device's scalar settings, with its registered position as ``latitude`` / ``longitude``.

    A registered position replaces metadata entries of the same name: the devices table is where
    a device's position is kept. A device registered without one passes its metadata as it is.
    """
    settings: dict[str, object] = {
        k: v for k, v in metadata.items() if isinstance(v, str | int | float | bool)
    }
    if latitude is not None:
        settings["latitude"] = latitude
    if longitude is not None:
        settings["longitude"] = longitude
    return settings
