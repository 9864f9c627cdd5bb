"""Tests for cxkit.text.redact: personal data goes, ordinary numbers stay."""
from __future__ import annotations

import pandas as pd
import pytest

from cxkit.text.redact import redact, redact_series

HOSTILE = ("<script>alert(1)</script> mail me at jane.doe+x@corp.co.uk or +44 20 7946 0958, "
           "card 4111 1111 1111 1111, https://app.example.com/reset?token=abc123")


def test_hostile_comment_loses_every_personal_item():
    out = redact(HOSTILE)
    assert out == "<script>alert(1)</script> mail me at [email] or [phone], card [card], [link]"
    for secret in ("jane.doe", "7946", "4111", "abc123", "token="):
        assert secret not in out


@pytest.mark.parametrize("text, expected", [
    ("write to a.b-c@sub.example.org.", "write to [email]."),
    ("jane (at) corp.com", "[email]"),
    ("call (555) 123-4567 today", "call [phone] today"),
    ("or 555.123.4567", "or [phone]"),
    ("UK 020 7946 0958", "UK [phone]"),
    ("mobile 07700 900123", "mobile [phone]"),
    ("from abroad 0044 20 7946 0958", "from abroad [phone]"),
    ("US +1-800-555-0199", "US [phone]"),
    ("France +33 1 23 45 67 89", "France [phone]"),
    ("Paris 01 23 45 67 89", "Paris [phone]"),
    ("Berlin +49 (0)30 1234567", "Berlin [phone]"),
    ("ring 0612345678", "ring [phone]"),
    ("mail JANE at corp dot com", "mail [email]"),  # spelled out
    ("jane(at)corp(dot)com", "[email]"),
    ("jane [at] corp [dot] co [dot] uk now", "[email] now"),
    ("jane.doe at corp.co.uk", "[email]"),  # the local part has an address's dot
    ("tom at gmail.com thanks", "[email] thanks"),  # a public mailbox
])
def test_emails_and_phone_formats(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize("text", [
    "look at google.com for help",
    "arrived at home.Then nothing",
    "we met at reception dot dot dot",
    "paid at 9 dot 30",
])
def test_at_and_dot_in_ordinary_sentences_survive(text):
    assert redact(text) == text


@pytest.mark.parametrize("text, expected", [
    ("card 4111111111111111 ok", "card [card] ok"),  # plain 16 digits, no separators
    ("amex 3782 822463 10005", "amex [card]"),  # 4-6-5 layout
    ("mc 5500-0000-0000-0004", "mc [card]"),
    ("card 4111 1111 1111 1112 bad luhn", "card [card] bad luhn"),  # 4-4-4-4 layout kept even without Luhn
    ("IBAN GB29 NWBK 6016 1331 9268 19", "IBAN [account]"),
    ("DE89370400440532013000 please", "[account] please"),
    ("my account number is 12345678", "my account number is [account]"),
    ("sort code 12-34-56", "sort code [account]"),
    ("customer id: 99887766", "customer id: [account]"),
])
def test_cards_and_accounts(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("https://app.example.com/reset?token=abc123.", "[link]."),
    ("see https://x.io/p?email=a@b.co now", "see [link] now"),
    ("https://example.com/u/AbC123xyz987QwErTy6543 reset", "[link] reset"),  # long token in the path
    ("docs at https://docs.example.com/guide/setup.", "docs at https://docs.example.com/guide/setup."),
    ("www.example.com is fine", "www.example.com is fine"),
])
def test_links_with_personal_tokens(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize("text", [
    "waited 3 days and 10 minutes, version 2.4 in 2024",
    "paid €49 and $1,299.00 and € 1 299 000",
    "On 2024-01-15 and 15.01.2024 and 15/01/2024",
    "I rated 9 10 8 7 6 5 4 over the years",
    "ticket 12345, 1000 users, 25000 licences, 3.5 stars, 1.000.000 rows",
    "customer since 2019, customer 2019-2024, the 2023 2024 contract",
    "version 10.2.3, room 101 floor 3, 24/7 support, top 5%",
])
def test_ordinary_numbers_survive(text):
    assert redact(text) == text


def test_missing_values_give_empty_string():
    assert redact(None) == ""
    assert redact(float("nan")) == ""


def test_redact_series_keeps_index_and_missing():
    s = pd.Series(["mail x@y.org", None, "mail x@y.org"], index=[10, 11, 12], name="comment")
    out = redact_series(s)
    assert out.index.tolist() == [10, 11, 12]
    assert out.tolist() == ["mail [email]", None, "mail [email]"]
    assert out.name == "comment"


@pytest.mark.parametrize("text, expected", [
    ("My name is Sarah Whitfield and I waited", "My name is [name] and I waited"),
    ("my name's tom, please call", "my name's [name], please call"),
    ("I spoke to Mark at support and he fixed it", "I spoke to [name] at support and he fixed it"),
    ("Agent Priya Natarajan was brilliant", "Agent [name] was brilliant"),
    ("the account manager Tom Baker said", "the account manager [name] said"),
    ("Thanks to Jamal for sorting the invoice", "Thanks to [name] for sorting the invoice"),
    ("Mrs. Jones from billing never called back", "[name] from billing never called back"),
    ("Fix it. Regards, John Smith", "Fix it. Regards, [name]"),
    ("My engineer Lisa M. helped", "My engineer [name] helped"),
    ("talked to Sean O'Neil and Jean-Luc", "talked to [name] and Jean-Luc"),
    ("helped by Ewan McDonald today", "helped by [name] today"),
    ("I'm Sarah Jones, account holder", "I'm [name], account holder"),
    ("Hi, I am Priya from Leeds", "Hi, I am [name] from Leeds"),
])
def test_names_introduced_by_a_cue(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Send it to 221B Baker Street, London NW1 6XE please", "Send it to [address], London [address] please"),
    ("I live at 12 baker street, which you have wrong", "I live at [address], which you have wrong"),
    ("deliver to Hauptstraße 5, 10115 Berlin", "deliver to [address] Berlin"),
    ("Kerkstraat 12, 1017 GL Amsterdam", "[address] Amsterdam"),
    ("office at 5 rue de Rivoli, Paris", "office at [address], Paris"),
    ("write to PO Box 1234", "write to [address]"),
    ("HQ: Cupertino, CA 95014", "HQ: Cupertino, [address]"),
])
def test_postal_addresses(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize("text", [
    "The agent was rude and Support never called",
    "Spoke with Support twice; thanks again for nothing",
    "I asked for a refund on Monday",
    "my name is spelled wrong on the invoice",
    "call me back please, waited 2 hours on the road",
    "3 Easy steps, version 10 Way better, Q1 2PM meeting",
    "The Zendesk integration is great, top 10 St Albans",
    "Ms Office crashed again",
    "I am Furious! I'm Not happy, I'm sure I am Done",
])
def test_ordinary_words_after_name_cues_survive(text):
    assert redact(text) == text
