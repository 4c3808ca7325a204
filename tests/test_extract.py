"""The extract stage on its own: pipeline wiring, overrides, authors, page kinds."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from crawler.sources import load_sources
from pipelines.analysis import AnalyzeConfig, analyze_page
from pipelines.analyze import AnalyzePipeline
from pipelines.dedup import Signature
from pipelines.items import ArticleItem
from pipelines.page import ExtractRules, FetchedPage
from pipelines.related import without_related_tail
from tests.conftest import FIXTURES

FETCHED = datetime(2024, 12, 20, tzinfo=UTC)
PARAGRAPH = (
    "The council voted on Tuesday to extend the contract for another three years, despite objections "
    "from residents who had packed the chamber to argue that the process was rushed and opaque. "
)


def page(path: str) -> FetchedPage:
    file = FIXTURES / path
    return FetchedPage(file.as_uri(), file.read_bytes(), None, FETCHED)


def html_page(head: str, body: str) -> FetchedPage:
    html = f"<html><head>{head}</head><body><article>{body}</article></body></html>"
    return FetchedPage("https://example.org/news/1", html.encode(), "text/html; charset=utf-8", FETCHED)


def run(pipeline: AnalyzePipeline, item: ArticleItem) -> ArticleItem:
    async def go() -> ArticleItem:
        await pipeline.open_spider()
        try:
            return await pipeline.process_item(item)
        finally:
            await pipeline.close_spider()

    return asyncio.run(go())


def item_for(path: str, rules: ExtractRules | None = None) -> ArticleItem:
    p = page(path)
    return ArticleItem(url=p.url, body=p.body, fetched_at=FETCHED, rules=rules or ExtractRules())


@pytest.mark.slow  # spawns a worker process
def test_pipeline_from_crawler_extracts_in_worker_processes() -> None:
    crawler = get_crawler(settings_dict={"EXTRACT_WORKERS": 1, "EXTRACT_MIN_TEXT_CHARS": 100})
    pipeline = AnalyzePipeline.from_crawler(crawler)
    assert pipeline.config.extract.min_text_chars == 100
    item = run(
        pipeline, item_for("sites/antiwar/2014/01/01/al-qaeda-seizes-parts-of-two-major-iraqi-cities/index.html")
    )
    assert item.extraction is not None and item.extraction.authors == ["Jason Ditz"]
    assert crawler.stats.get_value("extract/articles") == 1
    # Signed for dedup in the same worker trip, with the crawl's DEDUP_* settings.
    assert isinstance(item.signature, Signature) and len(item.signature.band_keys) == 32


def test_pipeline_drops_listing_pages_with_a_reason() -> None:
    crawler = get_crawler(settings_dict={"EXTRACT_WORKERS": 0})
    pipeline = AnalyzePipeline.from_crawler(crawler)
    with pytest.raises(DropItem, match=r"jawareport/index.html: listing of \d posts") as caught:
        run(pipeline, item_for("sites/jawareport/index.html"))
    assert type(caught.value).__name__ == "NotAnArticle"
    assert crawler.stats.get_value("extract/rejected/NotAnArticle") == 1


def test_headline_and_byline_are_read_as_the_page_shows_them() -> None:
    """The theme's only <h1> is the blog's name (a link home): the headline is the post's
    own heading, which the <title> confirms; the byline's date is no part of the name."""
    path = "sites/captainsjournal/2010/09/17/aqi-courting-shiite-gangs/index.html"
    generic = analyze_page(page(path), ExtractRules(), AnalyzeConfig()).extraction
    assert generic.title == "AQI Courting Shi’ite Gangs?"
    assert generic.title_source != "title_xpath"
    assert generic.authors == ["Herschel Smith"]


def test_source_overrides_win_over_what_the_page_declares() -> None:
    path = "sites/captainsjournal/2010/09/17/aqi-courting-shiite-gangs/index.html"
    source = next(s for s in load_sources(FIXTURES / "sources.toml") if s.name == "captainsjournal")
    fixed = analyze_page(page(path), source.rules, AnalyzeConfig()).extraction
    assert (fixed.title, fixed.authors) == ("AQI Courting Shi’ite Gangs?", ["Herschel Smith"])
    assert (fixed.title_source, fixed.authors_source) == ("title_xpath", "author_xpath")


def test_date_and_body_overrides() -> None:
    rules = ExtractRules(
        timezone="Europe/Paris",
        date_xpath="//span[@class='stamp']",
        body_xpath="//div[@class='story']",
    )
    fetched = html_page(
        "<title>x</title>",
        f"<span class='stamp'>21 mars 2011, 09:41</span><div class='story'><p>{PARAGRAPH}</p><p>{PARAGRAPH}</p></div>"
        "<div class='promo'><p>Subscribe now for unlimited access to every story we publish.</p></div>",
    )
    extraction = analyze_page(fetched, rules, AnalyzeConfig()).extraction
    assert extraction.published_at == datetime(2011, 3, 21, 8, 41, tzinfo=UTC)
    assert "Subscribe now" not in extraction.text
    assert extraction.text.count("The council voted") == 2


def test_several_authors_are_a_list() -> None:
    fetched = html_page(
        '<meta name="author" content="Jane Roe; John Doe">',
        f"<h1>Contract extended</h1><p class='byline'>By Jane Roe and John Doe</p><p>{PARAGRAPH * 2}</p>",
    )
    extraction = analyze_page(fetched, ExtractRules(), AnalyzeConfig()).extraction
    assert (extraction.authors, extraction.authors_source) == (["Jane Roe", "John Doe"], "byline")


def test_an_author_only_the_metadata_names_must_be_on_the_page() -> None:
    """A CMS fills the author meta tag with an account or the company on every page: a name
    the page never prints, or the site's own name, is no credit; a person the page declares
    and prints (a blog's owner in its footer) is."""
    article = f"<h1>Contract extended</h1><p>{PARAGRAPH * 2}</p>"
    unseen = html_page('<meta name="author" content="Jane Roe">', article)
    assert analyze_page(unseen, ExtractRules(), AnalyzeConfig()).extraction.authors == []
    company = html_page(
        '<meta name="author" content="Ledger Media GmbH"><meta property="og:site_name" content="The Ledger">',
        f"{article}<footer>© Ledger Media GmbH</footer>",
    )
    assert analyze_page(company, ExtractRules(), AnalyzeConfig()).extraction.authors == []
    owner = html_page('<meta name="author" content="Jane Roe">', f"{article}<footer id='colophon'>© Jane Roe</footer>")
    extraction = analyze_page(owner, ExtractRules(), AnalyzeConfig()).extraction
    assert (extraction.authors, extraction.authors_source) == (["Jane Roe"], "meta")


def test_language_is_detected_from_the_text() -> None:
    german = (
        "Der Stadtrat hat am Dienstag beschlossen, den Vertrag um weitere drei Jahre zu verlängern, obwohl "
        "zahlreiche Anwohner den Sitzungssaal gefüllt hatten, um gegen das Verfahren zu protestieren. "
    )
    fetched = html_page("<title>Vertrag verlängert</title>", f"<p>{german * 3}</p>")
    assert analyze_page(fetched, ExtractRules(), AnalyzeConfig()).extraction.language == "de"


_READ_ALSO_PAGE = """<html lang="es"><head><title>La deuda externa crece</title></head><body><article>
<h1>La deuda externa crece</h1>
<p>El servicio de la deuda externa fue de 1.813 millones de dólares en 2021, de los cuales la mayor
parte fueron pagos de principal y el resto intereses y comisiones, precisó el Banco Central.</p>
<p><strong>Lea también:&nbsp;<a href="/nacionales/115002-impiden-ingreso">Impiden ingreso a Nicaragua a
reportero estadounidense</a></strong></p>
<p>Del total del servicio pagado, el sector público no financiero pagó la mayor parte, mientras que
el Banco Central y el sector privado pagaron el resto, según el informe anual publicado el lunes.</p>
<p>Lea <a href="/autores/lea">Lea Martínez</a> es la autora del informe, y sus cifras coinciden con las
del Ministerio de Hacienda, que publicará las suyas en junio.</p>
</article></body></html>"""


def test_a_read_also_teaser_between_paragraphs_leaves_the_body() -> None:
    """ "Lea también: <another article>" is a link to elsewhere, not the article's words;
    a paragraph that merely starts with a name and a link stays."""
    page = FetchedPage("https://noticias.example/deuda", _READ_ALSO_PAGE.encode(), "text/html", datetime.now(UTC))
    text = analyze_page(page, ExtractRules(), AnalyzeConfig()).extraction.text
    assert "Impiden ingreso" not in text
    assert "Del total del servicio pagado" in text and "Lea Martínez es la autora" in text


def test_a_closing_related_articles_block_leaves_the_body_and_an_early_one_stays() -> None:
    article = "\n".join(f"Paragraph {i} of the article, with enough words to be prose." for i in range(8))
    teasers = "Another story's headline\n05. Februar 2020\nA third story's headline"
    assert without_related_tail(f"{article}\nRelated posts\n{teasers}") == article
    assert without_related_tail(f"{article}\nEmpfohlene Beiträge:\n{teasers}") == article
    early = f"Lead paragraph.\nRelated\n{teasers}\n{article}"
    assert without_related_tail(early) == early
    # A sentence that starts with the words is no heading.
    closing = f"{article}\nRelated posts are listed on the author's page, she said."
    assert without_related_tail(closing) == closing
