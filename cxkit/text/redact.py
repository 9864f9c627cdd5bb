"""Remove personal data from free-text comments.

:func:`redact` replaces e-mail addresses (spelled-out ones too: ``jane at corp dot com``,
``jane.doe at corp.com``), phone numbers, payment card numbers, bank account
numbers (IBAN and "account number ..." phrases), links that carry a query string or a
token, postal addresses and people's names with labelled placeholders: ``[email]``,
``[phone]``, ``[card]``, ``[account]``, ``[link]``, ``[address]`` and ``[name]``. Ordinary
numbers (``3 days``, ``10 minutes``, ``version 2.4``, ``2025``, ``€49``) are kept.

The patterns run in a fixed order so that a number is labelled by the most specific rule:
links, e-mails, IBANs, account phrases, cards, phones, any remaining long digit run, then
addresses and names (:mod:`cxkit.text.people`). Redaction is a safety net, not a
guarantee: a name is found only where the comment introduces it (``spoke to Mark``,
``my name is``, ``Mrs Jones``, ``Regards, Tom``).
"""
from __future__ import annotations

import re

import pandas as pd

from cxkit.text.people import redact_addresses, redact_names

_URL = re.compile(r"""(?:\bhttps?://|\bwww\.)[^\s<>"'`]*[^\s<>"'`.,;:!?)\]}]""", re.IGNORECASE)
_TOKEN_SEGMENT = re.compile(r"(?=[A-Za-z0-9_\-]*\d)(?=[A-Za-z0-9_\-]*[A-Za-z])[A-Za-z0-9_\-]{20,}")
_EMAIL = re.compile(
    r"(?<![\w.%+-])[A-Za-z0-9._%+-]+(?:@|\s?[(\[]at[)\]]\s?)[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b"
)
_AT_WORD = r"(?:\s*[(\[{<]\s*at\s*[)\]}>]\s*|\s+at\s+)"
_DOT_WORD = r"(?:\s*[(\[{<]\s*dot\s*[)\]}>]\s*|\s+dot\s+)"
_LABEL = r"(?!dot\b)[A-Za-z0-9-]+"  # a domain label; the word "dot" is never one ("... dot dot dot")
_SPELLED_EMAIL = re.compile(  # jane at corp dot com, jane(at)corp(dot)co(dot)uk
    rf"(?<![\w.%+-])[A-Za-z0-9._%+-]+{_AT_WORD}{_LABEL}(?:(?:{_DOT_WORD}|\.){_LABEL})*{_DOT_WORD}(?!dot\b)[A-Za-z]{{2,}}\b",
    re.IGNORECASE,
)
_AT_EMAIL = re.compile(  # jane.doe at corp.com: redacted only when it looks like an address (see _at_email)
    r"(?<![\w.%+-])(?P<local>[A-Za-z0-9._%+-]+)\s+at\s+(?P<domain>[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})\b",
    re.IGNORECASE,
)
MAIL_PROVIDERS = frozenset(
    "gmail googlemail yahoo ymail hotmail outlook live msn icloud me aol gmx web proton protonmail zoho mail "
    "yandex orange wanadoo free laposte libero virgilio btinternet sky comcast verizon".split())
"""Domains (first label) of public mailboxes: ``tom at gmail.com`` is an address, ``look at acme.com`` is not."""
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[A-Z0-9]{11,30}|(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?)\b")
_ACCOUNT_PHRASE = re.compile(
    r"""\b(?P<lead>(?:bank\s+|savings\s+|checking\s+|current\s+)?
        (?:account|acct|a/c|customer|client|member(?:ship)?|policy|contract|sort\s+code|routing|iban|bsb)
        (?:\s*(?:number|no\.?|num|nr\.?|id|code|\#))?\s*(?:is|was|:|=|\#)?\s*)
        (?P<value>\#?[A-Z]{0,4}[\-/]?(?=(?:[\-/ ]?\d){4})\d[\d\-/ ]{2,30}\d)
        (?![\w])""",
    re.IGNORECASE | re.VERBOSE,
)
_CARD = re.compile(r"(?<![\w+])\d(?:[ -]?\d){12,18}(?![\w])")
_PHONE = re.compile(
    r"""(?<![\w+/.,\-])
        (?:\+\s?|\b00\s?)?
        (?:\(\d{1,5}\)|\d{1,15})
        (?:(?:\s?[.\-]\s?|\s)?(?:\(\d{1,5}\)|\d{1,15})){0,7}
        (?![\w]|[.,]\d)""",
    re.VERBOSE,
)
_LONG_DIGITS = re.compile(r"(?<![\w])\d{9,}(?![\w])")
_THOUSANDS = re.compile(r"[1-9]\d{0,2}(?:\.\d{3})+")
_DATE_GROUPS = {(4, 2, 2), (2, 2, 4), (1, 2, 4), (2, 1, 4), (1, 1, 4), (4, 1, 1), (4, 2, 1), (4, 1, 2)}
_CURRENCY_BEFORE = re.compile(r"(?:[€$£¥₹]|\b(?:eur|usd|gbp|chf|sek|nok|dkk|aud|cad))\s*$", re.IGNORECASE)


def redact(text: str) -> str:
    """Replace personal data in one comment with labelled placeholders.

    Parameters
    ----------
    text : str
        A raw comment. ``None`` and NaN are returned as an empty string.

    Returns
    -------
    str
        The comment with e-mails, phone numbers, card numbers, account numbers, personal
        links, addresses and names replaced by ``[email]``, ``[phone]``, ``[card]``,
        ``[account]``, ``[link]``, ``[address]`` and ``[name]``.
        Nothing else (markup included) is changed: escaping is :func:`cxkit.text.safe.safe_comment`'s job.

    Examples
    --------
    >>> redact("Call me on +44 20 7946 0958 or mail jane@corp.co.uk within 3 days")
    'Call me on [phone] or mail [email] within 3 days'
    >>> redact("Card 4111 1111 1111 1111 was charged €49 twice")
    'Card [card] was charged €49 twice'
    >>> redact("Agent Priya at 10 Harbour Road was great")
    'Agent [name] at [address] was great'
    """
    if text is None or (isinstance(text, float) and text != text):
        return ""
    text = str(text)
    text = _URL.sub(_link, text)
    text = _EMAIL.sub("[email]", text)
    text = _SPELLED_EMAIL.sub("[email]", text)
    text = _AT_EMAIL.sub(_at_email, text)
    text = _IBAN.sub(_iban, text)
    text = _ACCOUNT_PHRASE.sub(_account_phrase, text)
    text = _CARD.sub(_card, text)
    text = _PHONE.sub(_phone, text)
    text = _LONG_DIGITS.sub("[account]", text)
    return redact_names(redact_addresses(text))


def redact_series(s: pd.Series) -> pd.Series:
    """Redact every comment of a Series.

    Parameters
    ----------
    s : pandas.Series
        Raw comments; missing values stay missing.

    Returns
    -------
    pandas.Series
        Redacted comments (object dtype) with the same index. Repeated comments are
        redacted once.

    Examples
    --------
    >>> redact_series(pd.Series(["mail a.b@c.io", None])).tolist()
    ['mail [email]', None]
    """
    values = s.astype(object)
    present = values.notna()
    unique = pd.unique(values[present])
    mapping = {value: redact(value) for value in unique}
    out = pd.Series([None] * len(s), index=s.index, dtype=object, name=s.name)
    out[present] = values[present].map(mapping)
    return out


def _link(match: re.Match[str]) -> str:
    url = match.group(0)
    if "?" in url or "#" in url or "@" in url or _TOKEN_SEGMENT.search(url.split("/", 3)[-1]):
        return "[link]"
    return url


def _at_email(match: re.Match[str]) -> str:
    local, domain = match.group("local"), match.group("domain").lower()
    address_like = any(ch in local for ch in "._%+-") or any(ch.isdigit() for ch in local)
    return "[email]" if address_like or domain.split(".")[0] in MAIL_PROVIDERS else match.group(0)


def _iban(match: re.Match[str]) -> str:
    compact = match.group(0).replace(" ", "")
    digits = sum(ch.isdigit() for ch in compact)
    return "[account]" if 15 <= len(compact) <= 34 and digits >= 8 else match.group(0)


def _account_phrase(match: re.Match[str]) -> str:
    value = match.group("value")
    groups = [len(g) for g in re.findall(r"\d+", value)]
    if _looks_like_date_or_years(value, groups):
        return match.group(0)
    return match.group("lead") + "[account]"


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _card(match: re.Match[str]) -> str:
    raw = match.group(0)
    groups = [len(g) for g in re.split(r"[ -]", raw)]
    digits = re.sub(r"\D", "", raw)
    card_layout = (
        len(groups) == 1
        or all(g == 4 for g in groups[:-1]) and 1 <= groups[-1] <= 4
        or groups in ([4, 6, 5], [4, 6, 4])
    )
    return "[card]" if card_layout or _luhn_ok(digits) else raw


def _phone(match: re.Match[str]) -> str:
    raw = match.group(0)
    groups = [len(g) for g in re.findall(r"\d+", raw)]
    digits = sum(groups)
    international = raw.startswith(("+", "00", "("))
    paired_local = raw.startswith("0") and digits >= 9
    if not 7 <= digits <= 15 or (max(groups) < 3 and not (international or paired_local)):
        return raw
    if not international and (_looks_like_date_or_years(raw, groups) or _THOUSANDS.fullmatch(raw)):
        return raw
    before = match.string[: match.start()]
    if _CURRENCY_BEFORE.search(before):
        return raw
    if len(groups) == 1 and not international and not raw.startswith("0") and digits < 9:
        return raw
    return "[phone]"


def _looks_like_date_or_years(raw: str, groups: list[int]) -> bool:
    if tuple(groups) in _DATE_GROUPS and re.search(r"[./\-]", raw):
        return True
    years = re.findall(r"\d+", raw)
    return all(len(y) == 4 and y[:2] in ("19", "20") for y in years)
