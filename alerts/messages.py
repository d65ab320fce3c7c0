"""What operators read: a rule's message template filled in both languages, and the alert's labels."""

from __future__ import annotations

import math
from collections.abc import Mapping

from domains.conditions import SEVERITY_TITLES
from domains.model import Severity, Text, Threshold

# Units as operators write them (catalogue units are pint expressions).
_UNIT_DISPLAY = {
    "ug/m^3": "µg/m³",
    "mg/m^3": "mg/m³",
    "degC": "°C",
    "percent": "%",
    "ohm": "Ω",
    "ohm/V": "Ω/V",
    "second": "s",
}


def display_unit(unit: str | None) -> str:
    """A catalogue unit as an operator reads it."""
    return _UNIT_DISPLAY.get(unit or "", unit or "")


def format_number(value: float | None) -> str:
    """A value for a message: no float noise (499.99999999 → 500), 2 decimals at most."""
    if value is None or not math.isfinite(value):
        return "—"
    if value != 0 and abs(value) < 0.01:
        return f"{value:.3g}"
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


class _Template(dict[str, str]):
    """Fills what a template names; an unknown {name} stays as written instead of failing."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def level_title(threshold: Threshold | None, severity: Severity) -> Text:
    """The name of the rung that fired (its Level, else the severity's name)."""
    if threshold is not None and threshold.level is not None:
        return threshold.level.title
    return SEVERITY_TITLES[severity]


def level_code(threshold: Threshold | None, severity: Severity) -> str:
    """The Level code of the rung that fired ("orange"), else the severity's name ("major")."""
    if threshold is not None and threshold.level is not None:
        return threshold.level.code
    return severity.name.lower()


def render(
    template: Text,
    *,
    device: str,
    value: float | None,
    unit: str | None,
    severity: Severity,
    threshold: Threshold | None,
    advice: Text | None,
    coverage: Text | None = None,
) -> Text:
    """`template` filled with {device}, {value}, {unit}, {level}, {threshold}, {advice}, {coverage}.

    {coverage} is what an incomplete index stands on, in brackets after the value
    (" (PM2.5 only; missing SO2, …)"), and nothing when the index is complete.
    """
    level = level_title(threshold, severity)
    common = {
        "device": device,
        "value": format_number(value),
        "unit": display_unit(unit),
        "threshold": format_number(threshold.value if threshold is not None else None),
    }

    def fill(text: str, lang: str) -> str:
        note = coverage.get(lang) if coverage else ""
        bracketed = (f"（{note}）" if lang == "zh" else f" ({note})") if note else ""
        values = _Template(
            common, level=level.get(lang), advice=advice.get(lang) if advice else "", coverage=bracketed
        )
        return " ".join(text.format_map(values).split())

    return Text(en=fill(template.en, "en"), zh=fill(template.zh, "zh"))


def join_advice(*parts: Text | None) -> Text | None:
    """Several pieces of advice read one after the other."""
    given = [p for p in parts if p is not None and (p.en or p.zh)]
    if not given:
        return None
    return Text(en=" ".join(p.en for p in given), zh="".join(p.zh for p in given))


def details_advice(details: Mapping[str, object]) -> Text | None:
    """The advice an index result carries for the exact value (``advice_en``/``advice_zh``), then
    the periods it left out as invalid and why (``invalid``: {key: {en, zh}}, docs/standards.md §1.4)."""
    return join_advice(_bilingual(details, "advice"), _invalid_note(details.get("invalid")))


def _bilingual(details: Mapping[str, object], name: str) -> Text | None:
    """The text a result carries as ``<name>_en`` / ``<name>_zh``, when it carries both."""
    en, zh = details.get(f"{name}_en"), details.get(f"{name}_zh")
    return Text(en=en, zh=zh) if isinstance(en, str) and isinstance(zh, str) else None


def _invalid_note(invalid: object) -> Text | None:
    if not isinstance(invalid, Mapping):
        return None
    reasons = [r for r in invalid.values() if isinstance(r, Mapping)]
    if not reasons:
        return None
    return Text(
        en="Not indexed (data validity): " + "; ".join(str(r.get("en", "")) for r in reasons) + ".",
        zh="未计入（数据有效性）：" + "；".join(str(r.get("zh", "")) for r in reasons) + "。",
    )


def details_coverage(details: Mapping[str, object]) -> Text | None:
    """The note of an index that stands on fewer inputs than it should (``coverage_en``/``coverage_zh``)."""
    return _bilingual(details, "coverage")


def coverage_labels(details: Mapping[str, object]) -> dict[str, str]:
    """Labels saying what an index stands on, when its result tells (``indexed``, ``missing``,
    ``complete``): comma-separated names and "true"/"false", strings as silence matchers compare."""
    if "complete" not in details:
        return {}

    def names(key: str) -> str:
        raw = details.get(key)
        return ",".join(str(x) for x in raw) if isinstance(raw, list | tuple) else ""

    return {
        "indexed": names("indexed"),
        "missing": names("missing"),
        "complete": "true" if details.get("complete") is True else "false",
    }
