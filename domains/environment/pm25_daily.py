"""The PM2.5 24-hour mean as the exceedance rule judges it: only a valid period (GB 3095-2012 §8).

docs/standards.md §1.1 and §1.4. The mean of the valid hourly means (45 minutes of sampling each)
of the 24 clock hours ending now, published only when at least 20 of them are valid; otherwise no
value, and ``invalid`` says why ("PM2.5 24 h: 17 of 20 required hours"). A rule on this index
therefore never calls a day exceeded on too few hours of data.
"""

from __future__ import annotations

from collections.abc import Mapping

from domains.environment.metrics import PM25
from domains.environment.validity import Screen
from domains.model import IndexInput, IndexResult, IndexSpec, Text, Window

KEY = "pm25_24h"


def compute(values: Mapping[str, object]) -> IndexResult | None:
    """IndexSpec adapter: the valid PM2.5 24-h mean in µg/m³, or None with ``invalid`` explained."""
    screen = Screen(values)
    mean = screen.day_mean("pm25", KEY)
    if mean is None and not screen.invalid:
        return None
    details: dict[str, object] = {"invalid": {k: {"en": t.en, "zh": t.zh} for k, t in screen.invalid.items()}}
    return IndexResult(value=mean, level=None, details=details)


PM25_24H_MEAN = IndexSpec(
    id="pm25_24h_mean",
    title=Text(en="PM2.5 24-h mean (valid periods only)", zh="PM2.5 24小时平均（仅有效时段）"),
    inputs=(IndexInput(PM25.name, Window.HOURLY_MEANS), IndexInput(PM25.name, Window.HOURLY_MINUTES)),
    compute=compute,
    source="GB 3095-2012 §8 Table 4: a 24-h mean needs 20 hourly means of 45 minutes each "
    "(docs/standards.md §1.4)",
    unit=PM25.unit,
    values_of=PM25.name,
)
