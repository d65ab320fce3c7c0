"""The one unit registry (pint) and cached linear converters between unit expressions."""

from __future__ import annotations

from functools import lru_cache

import pint

registry: pint.UnitRegistry[float] = pint.UnitRegistry(autoconvert_offset_to_baseunit=True)


class UnitError(ValueError):
    """A unit that pint does not know, or that cannot be converted to the wanted one."""


@lru_cache(maxsize=4096)
def linear_conversion(from_unit: str, to_unit: str) -> tuple[float, float]:
    """(gain, offset) such that value_in_to_unit = gain * value_in_from_unit + offset.

    Every conversion between the units sensegrid uses is affine (temperature scales included), so
    two pint evaluations per unit pair replace a pint call per reading on the ingest hot path.
    """
    if from_unit == to_unit:
        return 1.0, 0.0
    try:
        zero = registry.Quantity(0.0, from_unit).to(to_unit).magnitude
        hundred = registry.Quantity(100.0, from_unit).to(to_unit).magnitude
    except pint.errors.DimensionalityError as exc:
        raise UnitError(f"cannot convert {from_unit!r} to {to_unit!r}: {exc}") from None
    except (pint.errors.UndefinedUnitError, pint.errors.DefinitionSyntaxError, ValueError) as exc:
        raise UnitError(f"unknown unit {from_unit!r} ({exc})") from None
    except Exception as exc:  # pint raises assorted errors for malformed expressions
        raise UnitError(f"unknown unit {from_unit!r} ({type(exc).__name__}: {exc})") from None
    return float(hundred - zero) / 100.0, float(zero)


def is_known_unit(unit: str) -> bool:
    """True when pint can parse `unit`."""
    try:
        registry.parse_units(unit)
    except Exception:
        return False
    return True
