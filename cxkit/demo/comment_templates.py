"""Sentence templates for the demo's open comments, per theme and tone.

Theme ids follow ``cxkit/text/themes.yaml``. Slots in braces are filled from
:data:`FILLERS`. All sentences are written for this demo; none come from real customers.
"""
from __future__ import annotations

THEMES: tuple[str, ...] = (
    "product_reliability", "wait_time", "staff_attitude", "billing", "onboarding",
    "price_value", "ease_of_use", "integrations", "documentation", "performance",
)
"""Themes the demo comments talk about; ``product_reliability`` dominates detractors."""

FILLERS: dict[str, tuple[str, ...]] = {
    "feature": ("dashboards", "scheduled reports", "the export", "the Salesforce sync",
                "the mobile app", "the report builder", "user permissions"),
    "agent": ("Zoë", "Marek", "Priya", "Tom", "Inès", "Kwame", "Sofia"),
    "duration": ("40 minutes", "over an hour", "two days", "three days", "almost a week",
                 "25 minutes"),
    "connector": ("HubSpot", "Salesforce", "Slack", "Zapier", "our ERP", "the webhook"),
    "times": ("twice", "three times", "again", "for the second week running"),
}

NEGATIVE: dict[str, tuple[str, ...]] = {
    "product_reliability": (
        "{feature} crashed {times} this month and we lost an afternoon of work.",
        "Too many bugs. Every release breaks something that used to work.",
        "The platform was down during our month-end close. Not acceptable.",
        "We keep hitting errors in {feature}; it is just not reliable enough.",
        "Another outage this week. My team has stopped trusting the numbers.",
        "Data went missing after the last update and nobody could explain why.",
        "It stopped working without warning and we found out from our own customers.",
        "Buggy and unstable lately. I am tired of reporting the same glitch.",
    ),
    "wait_time": (
        "I waited {duration} before anyone answered.",
        "Stuck in the queue for {duration}. Far too long for a simple question.",
        "Still waiting for a reply to my ticket from last week.",
        "Response time is terrible; it took {duration} to hear back.",
        "Put on hold {times} and then the call dropped.",
        "Nobody got back to me, even though a call back was promised.",
    ),
    "staff_attitude": (
        "The agent was dismissive and did not read what I had written.",
        "Felt like I was talking to a script, not a person who wanted to help.",
        "Unhelpful answer, and a bit rude when I asked for more detail.",
        "The representative clearly did not know the product.",
        "I was passed around between people who all seemed uninterested.",
    ),
    "billing": (
        "We were charged twice for the same month and the refund took ages.",
        "The invoice does not match what we agreed on the order form.",
        "Billing is a mess: wrong VAT, wrong entity, wrong amount.",
        "Got a payment reminder for an invoice we had already paid.",
        "Nobody could explain the extra charges on our last bill.",
    ),
    "onboarding": (
        "Onboarding dragged on for {duration} longer than planned.",
        "The setup was confusing and the kickoff call did not really help.",
        "Our migration failed {times} and we had to redo the configuration by hand.",
        "Training was rushed; my admins still do not know how to set things up.",
        "Getting started took far more effort than the sales team promised.",
    ),
    "price_value": (
        "Too expensive for what we actually use.",
        "The price increase at renewal was hard to justify to our finance team.",
        "Not worth the money any more; cheaper tools do most of this.",
        "We pay for features we never use. Poor value.",
        "The new pricing tiers push small teams like ours out.",
    ),
    "ease_of_use": (
        "The interface is clunky and hard to find your way around.",
        "Far too many clicks to do something simple in {feature}.",
        "Confusing screens; new colleagues need weeks to get comfortable.",
        "Navigation changed again and now nobody can find {feature}.",
        "It is complicated to use unless you are a power user.",
    ),
    "integrations": (
        "The {connector} integration breaks every few weeks.",
        "Sync with {connector} keeps failing silently and records go missing.",
        "The API is poorly versioned; our import scripts broke {times}.",
        "We expected the {connector} connector to just work. It does not.",
        "Export to CSV truncates fields, so the integration with our warehouse is useless.",
    ),
    "documentation": (
        "The help centre is out of date; screenshots show the old interface.",
        "Documentation for {feature} is thin and the examples do not work.",
        "I could not find a single article that answered my question.",
        "The FAQ just sends you in circles.",
        "Release notes never mention what changed in {feature}.",
    ),
    "performance": (
        "Pages are really slow to load, especially {feature}.",
        "{feature} takes forever when we have more than a few thousand rows.",
        "Sluggish all afternoon; reports time out before they finish.",
        "Performance has got worse since the last release.",
        "Loading a dashboard takes over a minute. Painful.",
    ),
}
"""Negative sentences per theme."""

POSITIVE: dict[str, tuple[str, ...]] = {
    "product_reliability": (
        "Rock solid. We have not had a single outage this year.",
        "It just works, every day, which is all we ask.",
        "Very reliable platform; {feature} has never let us down.",
        "Fewer bugs than the tool we used before, by a long way.",
    ),
    "wait_time": (
        "Got an answer within minutes. Impressive.",
        "Quick reply and no time on hold at all.",
        "The chat picked up straight away and my issue was sorted fast.",
        "Fast response, even late on a Friday.",
    ),
    "staff_attitude": (
        "{agent} was brilliant: patient, friendly and knew exactly what to do.",
        "Really helpful support team. {agent} went above and beyond.",
        "Our customer success manager is knowledgeable and genuinely cares.",
        "Friendly, professional people who actually listen.",
        "{agent} explained everything clearly and followed up the next day.",
    ),
    "billing": (
        "Billing is clear and the invoices are always correct.",
        "A billing question was answered the same day, thank you.",
        "Easy to change our payment details and get a proper receipt.",
    ),
    "onboarding": (
        "Onboarding was smooth and well organised from the kickoff onwards.",
        "The migration went better than expected; we were live in {duration}.",
        "Great training sessions. Our admins were confident after the first week.",
        "Setup was straightforward and the checklist helped a lot.",
    ),
    "price_value": (
        "Good value for money compared with the alternatives we looked at.",
        "Worth every cent for the time it saves my team.",
        "Fair pricing and no surprises at renewal.",
    ),
    "ease_of_use": (
        "Easy to use. New starters pick it up in a day.",
        "Intuitive interface, and {feature} is a joy to work with.",
        "Simple and clean. I can find what I need without thinking.",
        "Very user friendly, even for colleagues who hate new tools.",
    ),
    "integrations": (
        "The {connector} integration saves us hours every week.",
        "Setting up the {connector} connector took five minutes.",
        "Solid API with good examples; our developers like it.",
    ),
    "documentation": (
        "The help articles are clear and up to date.",
        "Found the answer in the knowledge base in a couple of minutes.",
        "Good tutorials; I rarely need to contact support.",
    ),
    "performance": (
        "Fast, even with large data sets.",
        "{feature} loads quickly now; the speed improvements are noticeable.",
        "Snappy and responsive across the whole product.",
    ),
}
"""Positive sentences per theme."""

OPENERS_NEGATIVE: tuple[str, ...] = (
    "", "", "", "Honestly, ", "To be frank, ", "Disappointed. ", "Frustrating. ",
    "The product itself is fine, but ", "We like the idea, but ",
)
"""Optional starts of a negative comment (the next sentence is joined in lower case)."""

CLOSERS_NEGATIVE: tuple[str, ...] = (
    "", "", "", " Please fix this.", " We are reviewing alternatives before renewal.",
    " This needs to improve.", " Not what we expected from a paid product.",
)
"""Optional ends of a negative comment."""

OPENERS_POSITIVE: tuple[str, ...] = ("", "", "", "Great experience. ", "Overall very happy. ",
                                     "Thanks! ", "Good stuff. ")
"""Optional starts of a positive comment."""

CLOSERS_POSITIVE: tuple[str, ...] = ("", "", "", " Keep it up.", " Would recommend.",
                                     " Thank you!", " Small things to improve, but happy overall.")
"""Optional ends of a positive comment."""

SENSITIVE: tuple[str, ...] = (
    "Please call me back on +44 20 7946 0958, nobody has answered my emails.",
    "Contact me at jordan.ellis@example.com about the invoice error.",
    "My number is (555) 010-4477 if someone can finally explain the outage.",
    "Reach our admin at it-admin@example.org; the sync has been broken for days.",
    "The export shows <b>bold tags</b> instead of formatting, which looks broken.",
    "Report titles with <script>alert(1)</script> run in the preview. Security issue?",
    "Typing <i>anything</i> with angle brackets breaks the dashboard title & legend.",
    "Email me: priya.n@example.net or call +1 555 0100 199. Still waiting for a refund.",
    "I pasted <a href=\"http://example.com\">this link</a> and the page went blank.",
    "Support asked me to write to support@example.com and then never replied.",
)
"""Comments with planted personal data or markup, for redaction and escaping checks."""
