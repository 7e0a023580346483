"""The demo's sample articles ingest cleanly: four new articles, real headlines, no page noise kept.

A newcomer's first look at Briefbot is these samples, so a caption or a "Follow us" line that a
citation could land on would be the first thing they see.
"""

from __future__ import annotations

import re

from bot.components import Components
from tests.conftest import ROOT

SAMPLES = ROOT / "samples" / "articles"
NOISE = re.compile(r"^(?:photo:|read more|follow us)|\(credits?:|cookies|related coverage", re.I | re.M)


def test_samples_ingest_as_four_clean_articles(components: Components) -> None:
    results = list(components.ingest.ingest_paths([SAMPLES]))

    assert [r.status for r in results] == ["new"] * 4, [r.line() for r in results]
    titles = {r.source: r.title for r in results}
    assert titles["biden_xi_woodside_2023.html"].startswith("Biden and Xi agree")
    assert titles["macron_xi_beijing_2023.md"].startswith("Macron urges Xi")
    for result in results:
        article = components.store.get_article(result.article_id)
        assert article is not None
        assert 250 <= len(article.text.split()) <= 450
        assert not NOISE.search(article.text), NOISE.search(article.text)


def test_sample_html_page_states_outlet_and_date(components: Components) -> None:
    (result,) = components.ingest.ingest_paths([SAMPLES / "biden_xi_woodside_2023.html"])
    article = components.store.get_article(result.article_id)
    assert article is not None
    assert article.outlet == "Meridian Wire"
    assert str(article.published).startswith("2023-11-15")
    assert "Explainer: How U.S.-China military hotlines work" not in article.text
