"""Reading numbers in five languages and checking that translations keep them.

``signature`` and ``read_numbers`` read one text; ``check_units`` compares the translations of aligned units;
``FINDING_KINDS`` maps every kind of finding it gives to its severity.
"""

from __future__ import annotations

from functools import lru_cache

from aligner.numbers.compare import FINDING_KINDS, check_units
from aligner.numbers.config import NumberConfig
from aligner.numbers.reader import read_numbers
from aligner.numbers.unit_convert import base_amount
from aligner.types import NumberValue


@lru_cache(maxsize=1 << 16)  # stories, the aligner's prior and their tests read the same sentences again
def _values(text: str, lang: str) -> tuple[NumberValue, ...]:
    """The numbers of ``text`` with a value, codes and phone numbers left out (read once a text)."""
    return tuple(number for number in read_numbers(text, lang) if number.kind != "code")


def signature(text: str, lang: str) -> frozenset[float]:
    """Every plausible numeric value in ``text`` (codes and phone numbers left out), as plain floats.

    Digit scripts, separators, scale words and spelled-out numbers are normalised, so ``2,8 млрд`` (ru)
    and ``2.8bn`` (en) both give 2.8e9; an ambiguous ``3,881`` gives both of its readings.
    """
    return frozenset(value for number in _values(text, lang) for value in number.values)


def amounts(text: str, lang: str) -> frozenset[float]:
    """The amounts with a unit in ``text``, each in SI base units to two significant figures
    (``unit_convert.base_amount``): ``25,4 см`` (uk) and ``10 انچ`` (ur) both give 0.25."""
    keys = (
        base_amount(value, number.unit)
        for number in _values(text, lang)
        if number.unit
        for value in number.values
    )
    return frozenset(key for key in keys if key is not None)


__all__ = ["FINDING_KINDS", "NumberConfig", "amounts", "check_units", "read_numbers", "signature"]
