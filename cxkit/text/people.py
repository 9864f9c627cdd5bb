"""Names and postal addresses in free-text comments, found by the words around them.

No language model is involved (nothing is downloaded): a name is recognised where a
comment introduces one (``my name is``, ``I'm``, ``spoke to``, ``thanks to``, ``agent``,
``Regards,``, a title such as ``Mrs``), and an address where it has the shape of one
(a house number and a street word, a continental street name and number, a P.O. box,
a UK postcode, a US state and ZIP code after a comma, or ``my address is ...``). Words
that commonly follow those cues without being names (``Support``, ``the``, weekdays)
are left alone. Like the rest of redaction this is a safety net: a name mentioned with
no cue at all is not found.
"""
from __future__ import annotations

import re

NOT_NAMES = frozenset("""
i me my the a an this that these those it he she they we you his her their our your its someone somebody anyone
anybody everyone everybody nobody no not none all any one two again also and or but so very really still only
support sales billing customer customers service services team teams help helpdesk desk chat phone email mail
online web website app portal account accounts manager managers agent agents staff tech technical it hr finance
legal admin office onboarding success product products store shop head level first second
monday tuesday wednesday thursday friday saturday sunday january february march april may june july august
september october november december today yesterday tomorrow please thanks thank regards sir madam
happy unhappy disappointed frustrated angry annoyed furious satisfied dissatisfied pleased glad sorry sure afraid
extremely absolutely totally completely quite rather just never always done fed tired writing calling here back
""".split())
"""Capitalised words that follow a name cue without being a name (compared in lower case)."""

_WORD = r"[A-Z](?:['’][A-Z])?[a-zà-öø-ÿß]+(?:[A-Z][a-zà-öø-ÿß]+)?(?:-[A-Z]?[a-zà-öø-ÿß]+)*"  # O'Neil, McDonald, Jean-Luc
_NAME = rf"(?P<name>{_WORD}(?:\s+(?:[A-Z]\.(?!\w)|{_WORD}))?)"
_SELF_NAMED = re.compile(  # a lower-case name counts only where the sentence clearly ends with it
    r"(?P<lead>\b(?i:my\s+name\s+is|my\s+name's|name\s+is|i\s+am\s+called)\s+)"
    rf"(?P<name>{_WORD}(?:\s+{_WORD})?|[a-zà-öø-ÿ][a-zà-öø-ÿß'’\-]+(?=\s*(?:[,.!?;:)]|$)|\s+(?:and|from|here)\b))")
_TITLED = re.compile(rf"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Herr|Frau|Mme|Mlle)\.?\s+{_NAME}")
_INTRODUCED = re.compile(
    r"""(?P<lead>\b(?i:
        named|signed|call\ me|i'm|i’m|i\ am|
        (?:spoke|speaking|talked|talking|chatted|chatting)\ (?:to|with)|ask(?:ed)?\ for|
        (?:helped|served|assisted|called|contacted|visited)\ by|thanks\ to|thank\ you|thanks|shout-?out\ to|
        kudos\ to|regards|cheers|
        agent|rep|representative|advisor|adviser|consultant|technician|engineer|operator|colleague|
        manager|supervisor|driver|installer|courier
    )[,:]?\s+)""" + _NAME,
    re.VERBOSE,
)
_SUFFIX = (r"(?i:street|st|road|rd|avenue|ave|lane|ln|drive|boulevard|blvd|way|court|ct|place|pl|square|sq|"
           r"terrace|close|crescent|parkway|pkwy|highway|hwy|gardens|grove|mews|loop)")
_STREET = re.compile(rf"\b\d{{1,5}}[A-Za-z]?(?:[-/]\d{{1,4}}[A-Za-z]?)?,?\s+(?:{_WORD}\s+){{0,3}}{_WORD}\s+{_SUFFIX}\b\.?")
_STREET_THEN_NUMBER = re.compile(
    r"\b[A-Z][a-zà-öø-ÿß]*(?i:straße|strasse|str\.|straat|laan|weg|gasse|plein|gracht|allee|platz|gatan|vej)"
    r"\s+\d{1,4}[a-zA-Z]?\b(?:,?\s+\d{4}\s?[A-Z]{2}\b|,?\s+\d{4,5}\b)?")
_STREET_ROMANCE = re.compile(
    rf"\b\d{{1,4}},?\s+(?i:rue|avenue|boulevard|place|chemin|impasse|quai|via|viale|piazza|calle|avenida|rua)\s+"
    rf"(?:(?i:de|du|des|la|le|l'|del|della|di|da|do|dos)\s+)*{_WORD}")
_PO_BOX = re.compile(r"\b(?i:p\.?\s?o\.?\s?box|post\s+office\s+box)\s*#?\d{1,6}\b")
_UK_POSTCODE = re.compile(r"\b(?:[A-Z]{1,2}\d[A-Z\d]?|GIR)\s?\d[ABD-HJLNP-UW-Z]{2}\b")
_US_STATE_ZIP = re.compile(r"(?<=,)\s*[A-Z]{2}\s+\d{5}(?:-\d{4})?\b")
_ADDRESS_PHRASE = re.compile(
    r"(?P<lead>\b(?i:my\s+(?:home\s+|postal\s+|delivery\s+|billing\s+|new\s+)?address\s+is|address:|i\s+live\s+at)\s+)"
    r"(?P<value>[^.,;!?\n]{3,80}?)(?=[.,;!?\n]|$)")


def redact_addresses(text: str) -> str:
    """Replace postal addresses with ``[address]``.

    Examples
    --------
    >>> redact_addresses("Ship to 221B Baker Street, London NW1 6XE, not the office")
    'Ship to [address], London [address], not the office'
    >>> redact_addresses("waited 2 hours on the road")
    'waited 2 hours on the road'
    """
    text = _ADDRESS_PHRASE.sub(lambda m: m.group("lead") + "[address]", text)
    for pattern in (_STREET, _STREET_THEN_NUMBER, _STREET_ROMANCE, _PO_BOX, _UK_POSTCODE):
        text = pattern.sub("[address]", text)
    return _US_STATE_ZIP.sub(" [address]", text)


def redact_names(text: str) -> str:
    """Replace people's names introduced by a cue with ``[name]`` (the cue stays).

    Examples
    --------
    >>> redact_names("I spoke to Mark Evans twice; thanks to Support for nothing")
    'I spoke to [name] twice; thanks to Support for nothing'
    >>> redact_names("Mrs. Jones never called back. Regards, Tom")
    '[name] never called back. Regards, [name]'
    """
    for pattern in (_SELF_NAMED, _TITLED, _INTRODUCED):
        text = pattern.sub(_person, text)
    return text


def _person(match: re.Match[str]) -> str:
    words = match.group("name").split()
    if words[0].lower() in NOT_NAMES:
        return match.group(0)
    lead = match.groupdict().get("lead") or ""
    kept = " " + words[1] if len(words) > 1 and words[1].lower() in NOT_NAMES else ""
    return lead + "[name]" + kept
