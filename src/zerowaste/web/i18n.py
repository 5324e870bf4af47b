"""Language choice (`?lang=`, then a cookie, then the default) and message translation."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from starlette.requests import Request

from zerowaste.web.messages import MESSAGES

LANGUAGE_COOKIE = "zerowaste_lang"
LANGUAGE_QUERY = "lang"
SUPPORTED_LANGUAGES = ("zh", "en")
HTML_LANG = {"zh": "zh-CN", "en": "en"}
COOKIE_MAX_AGE_S = 365 * 24 * 3600


@dataclass(frozen=True, slots=True)
class LanguageChoice:
    """The language of one response, and whether the response should remember it.

    Attributes:
        language: `zh` or `en`.
        remember: True when `?lang=` chose it, so the response sets the cookie.
    """

    language: str
    remember: bool

    @property
    def html_lang(self) -> str:
        """The BCP 47 tag for the `<html lang>` attribute."""
        return HTML_LANG[self.language]


def choose_language(request: Request, default: str) -> LanguageChoice:
    """Pick the page language: the `lang` query parameter, else the cookie, else `default`.

    Args:
        request: The incoming request.
        default: The configured default language (`settings.default_language`).

    Returns:
        The language and whether it came from the query (and should be stored).
    """
    asked = request.query_params.get(LANGUAGE_QUERY)
    if asked in SUPPORTED_LANGUAGES:
        return LanguageChoice(asked, remember=True)
    stored = request.cookies.get(LANGUAGE_COOKIE)
    if stored in SUPPORTED_LANGUAGES:
        return LanguageChoice(stored, remember=False)
    return LanguageChoice(default if default in SUPPORTED_LANGUAGES else "zh", remember=False)


class Translator:
    """Look up messages of one language; a missing key falls back to English, then to itself."""

    def __init__(self, language: str) -> None:
        self.language = language
        self._messages = MESSAGES[language]
        self._fallback = MESSAGES["en"]

    def __call__(self, key: str, **values: object) -> str:
        """Return the text for `key`, with `{name}` placeholders filled from `values`.

        Args:
            key: The message id, such as `nav.home`.
            **values: Values for the placeholders in the message.
        """
        text = self._messages.get(key) or self._fallback.get(key) or key
        return text.format(**values) if values else text

    def enum(self, prefix: str, value: StrEnum | str) -> str:
        """Return the label of an enumeration member, such as `role.generator`.

        Args:
            prefix: The message group (`role`, `site_kind`, `permit_kind`, `activity`).
            value: The member or its value.
        """
        return self(f"{prefix}.{value}")
