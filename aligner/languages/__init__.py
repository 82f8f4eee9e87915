"""Registry of supported languages: one module per language, each defining ``PROFILE``.

Adding a language means adding one file here and its code to ``_MODULES``.
"""

from __future__ import annotations

import re
from importlib import import_module

from aligner.languages.base import LanguageProfile

_MODULES = ("en", "ru", "uk", "ur", "ar")
# A language code names files (pairs/en-ru.tsv): letters, digits, - and _ only, never a path.
_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,34}")
_REGISTRY: dict[str, LanguageProfile] = {}


def _load() -> dict[str, LanguageProfile]:
    if not _REGISTRY:
        for name in _MODULES:
            profile: LanguageProfile = import_module(f"aligner.languages.{name}").PROFILE
            _REGISTRY[profile.code] = profile
    return _REGISTRY


def get(code: str) -> LanguageProfile:
    """The profile of a language; an unknown code gets a plain default profile."""
    return _load().get(code) or LanguageProfile(code=code, name=code)


def supported() -> tuple[str, ...]:
    """Codes of every language with a profile, in registry order."""
    return tuple(_load())


def is_code(code: str) -> bool:
    """True for a code that can name a file (``en``, ``zh-cn``, ``sr_Latn``); ``../x`` and ``a/b`` are not."""
    return bool(_CODE.fullmatch(code))


__all__ = ["LanguageProfile", "get", "is_code", "supported"]
