"""High-voltage insulation check after GB 18384: ohms per volt of working voltage, DC and AC circuits.

docs/standards.md §5. GB 18384 asks for an insulation resistance of at least 100 Ω/V of the
working voltage for DC circuits and 500 Ω/V for AC circuits; both figures are **[verify]** and
therefore parameters. The standard's voltage is the circuit's *maximum working voltage*; a
vehicle reports its present pack voltage, which is lower, so where the maker's maximum is known
pass it as the device setting ``max_working_voltage_v`` (otherwise the measured pack voltage is
used, which judges slightly leniently).
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from domains.inputs import as_choice, read_number
from domains.model import (
    IndexInput,
    IndexResult,
    IndexSpec,
    InvalidInputError,
    Level,
    Severity,
    Text,
    require_finite,
    strictly_below,
)


class Circuit(StrEnum):
    DC = "dc"
    AC = "ac"


# GB 18384 [verify] configurable defaults (docs/standards.md §5), Ω per volt of working voltage.
MIN_OHM_PER_VOLT: Mapping[Circuit, float] = {Circuit.DC: 100.0, Circuit.AC: 500.0}
LOW_FROM_OHM_PER_VOLT: Mapping[Circuit, float] = {c: strictly_below(v) for c, v in MIN_OHM_PER_VOLT.items()}
"""The highest Ω/V that is too low (the next float below the minimum, which itself passes)."""


def minimum_insulation_ohm(
    working_voltage_v: float, circuit: Circuit = Circuit.DC, ohm_per_volt: float | None = None
) -> float:
    """The lowest acceptable insulation resistance (Ω) of a circuit at `working_voltage_v`."""
    v = require_finite("working voltage (V)", working_voltage_v, minimum=0.0)
    circuit = as_choice("circuit", circuit, Circuit)
    per_volt = MIN_OHM_PER_VOLT[circuit] if ohm_per_volt is None else ohm_per_volt
    return require_finite("ohm_per_volt", per_volt, minimum=0.0) * v


def ohm_per_volt(resistance_ohm: float, working_voltage_v: float) -> float:
    """Insulation resistance divided by the working voltage (Ω/V)."""
    r = require_finite("insulation resistance (Ω)", resistance_ohm, minimum=0.0)
    v = require_finite("working voltage (V)", working_voltage_v, minimum=0.0)
    if v == 0:
        raise InvalidInputError("working voltage must be > 0 V to judge insulation in Ω/V")
    return r / v


INSULATION_OK = Level(
    code="insulation_ok", title=Text(en="Insulation sufficient", zh="绝缘正常"), color="#2E7D32"
)
INSULATION_LOW = Level(
    code="insulation_low",
    title=Text(en="Insulation resistance too low", zh="绝缘电阻过低"),
    severity=Severity.CRITICAL,
    color="#D32F2F",
    advice=Text(
        en="Risk of electric shock: stop, do not touch high-voltage parts, have the vehicle inspected.",
        zh="存在触电风险：请停车，勿接触高压部件，尽快送检。",
    ),
)


def insulation_check(
    resistance_ohm: float,
    working_voltage_v: float,
    circuit: Circuit = Circuit.DC,
    minimum_ohm_per_volt: float | None = None,
) -> IndexResult:
    """Ω/V as the value; too low when below the circuit's minimum (exactly the minimum passes)."""
    per_volt = ohm_per_volt(resistance_ohm, working_voltage_v)
    circuit = as_choice("circuit", circuit, Circuit)
    minimum = MIN_OHM_PER_VOLT[circuit] if minimum_ohm_per_volt is None else minimum_ohm_per_volt
    minimum = require_finite("minimum_ohm_per_volt", minimum, minimum=0.0)
    return IndexResult(
        value=per_volt,
        level=INSULATION_LOW if per_volt < minimum else INSULATION_OK,
        details={"circuit": str(circuit), "minimum_ohm_per_volt": minimum},
    )


def insulation_spec(circuit: Circuit = Circuit.DC, minimum_ohm_per_volt: float | None = None) -> IndexSpec:
    """Ω/V of the traction circuit from insulation_resistance and pack_voltage.

    Device setting read from the inputs: ``max_working_voltage_v`` (preferred over the measured
    pack voltage). None without a resistance, or without a voltage above 0 V (contactors open).
    """
    circuit = as_choice("circuit", circuit, Circuit)

    def compute(inputs: Mapping[str, object]) -> IndexResult | None:
        resistance = read_number(inputs, "insulation_resistance", minimum=0.0)
        voltage = read_number(inputs, "max_working_voltage_v", minimum=0.0)
        if voltage is None:
            voltage = read_number(inputs, "pack_voltage", minimum=0.0)
        if resistance is None or voltage is None or voltage == 0:
            return None
        return insulation_check(resistance, voltage, circuit, minimum_ohm_per_volt)

    return IndexSpec(
        id="insulation_ohm_per_volt",
        title=Text(en="Insulation resistance per volt", zh="单位电压绝缘电阻"),
        inputs=(IndexInput("insulation_resistance"), IndexInput("pack_voltage")),
        compute=compute,
        source="GB 18384: ≥ 100 Ω/V DC, ≥ 500 Ω/V AC — [verify] configurable default (docs/standards.md §5)",
        levels=(INSULATION_OK, INSULATION_LOW),
        unit="ohm/V",
    )


INSULATION = insulation_spec()
