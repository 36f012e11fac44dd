"""Articles from web pages: `source add URL_OR_HTML_FILE` and `extract URL_OR_HTML_FILE`, served from 127.0.0.1 by the test."""

import http.server
import socket
import threading
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from conftest import snapshot
from ledger import web
from ledger.errors import LedgerError

PAGES = Path(__file__).resolve().parent / "data" / "pages"
TODAY = date(2026, 11, 23)
# Words that appear only in the pages' menus, share bars, related stories, cookie banners, promos and comments.
FURNITURE = (
    "cookie", "Share on", "Subscribe", "Related stories", "Fish exporters count", "Most read", "Finance minister signals",
    "Sign up for our", "Log in", "Advertisement", "Farmer_Joe", "More stories", "Barley prices climb", "Skip to main",
    "Privacy", "Tram extension", "Copy link", "All rights reserved", "Search Northern Wire",
)


class Site:
    """A news site on 127.0.0.1: serves tests/data/pages, counts the requests per path and keeps the user agents seen."""

    def __init__(self):
        site = self
        self.requests: Counter = Counter()
        self.user_agents: list[str] = []

        class Handler(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, directory=str(PAGES), **kwargs)

            def do_GET(self):
                site.requests[self.path] += 1
                site.user_agents.append(self.headers.get("User-Agent", ""))
                if self.path == "/moved":
                    self.send_response(301)
                    self.send_header("Location", "/harbour-meta.html")
                    self.end_headers()
                    return
                if self.path == "/feed.json":
                    body = b'{"items": []}'
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                    return
                super().do_GET()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/{path}"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def site():
    serving = Site()
    yield serving
    serving.close()


def read(name: str) -> web.WebArticle:
    return web.read_article(web.read_saved(str(PAGES / name)), today=TODAY)


# ---- reading a page (pure) ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, title, outlet, author, published_on, first_words",
    [
        ("harbour-meta.html", "Port strike likely to end by March, mediators say", "The Harbour Gazette", "Maria Okafor",
         date(2025, 2, 3), "The strike that has idled"),
        ("courier-jsonld.html", "Central bank expected to cut rates in June", "Valley Courier", "Daniel Reyes",
         date(2024, 4, 18), "The central bank is expected"),
        ("wire-time.html", "Wheat harvest to fall short this summer, growers warn", "Northern Wire", "Sofia Lindgren",
         date(2023, 5, 9), "Wheat growers on the northern plains"),
        ("undated-blog.html", "Why the bridge will not open on time", "The Civic Ledger", "Grace Mbeki", None,
         "The new river crossing"),
    ],
)
def test_a_page_gives_its_main_text_and_what_it_says_about_itself(name, title, outlet, author, published_on, first_words):
    article = read(name)
    assert (article.title, article.outlet, article.author, article.published_on) == (title, outlet, author, published_on)
    assert article.body.startswith(first_words)
    assert article.text.startswith(f"{title}\n\nBy {author}\n\n{first_words}")
    assert article.text.count(title) == 1
    for words in FURNITURE:
        assert words.lower() not in article.text.lower(), (name, words)


def test_the_canonical_address_is_read_from_a_saved_page():
    assert read("harbour-meta.html").url == "https://harbour-gazette.example/business/2025/02/03/port-strike-talks"


def test_a_page_that_is_not_an_article_is_refused():
    with pytest.raises(LedgerError, match="does not look like an article"):
        read("section-front.html")


def test_a_date_later_than_today_is_not_taken_for_the_publication_date():
    article = web.read_article(web.read_saved(str(PAGES / "harbour-meta.html")), today=date(2025, 1, 1))
    assert article.published_on is None


def test_what_counts_as_a_page():
    assert web.is_page("https://example.org/story") and web.is_page("saved/Story.HTML") and web.is_page("a.htm")
    assert not web.is_page("seeds/000.txt") and not web.is_page("12") and not web.is_page("file:///etc/passwd")
    assert web.page_url("https://example.org/story#comments") == "https://example.org/story"
    assert web.page_url("story.html") is None


# ---- fetching -----------------------------------------------------------------------------------


def test_a_fetch_is_one_request_naming_the_tool(site):
    page = web.fetch(site.url("wire-time.html"))
    assert site.requests["/wire-time.html"] == 1
    assert site.user_agents == [f"forecast-ledger/{web.__version__}"]
    assert page.fetched_at is not None and page.fetched_at.tzinfo is not None
    assert page.final_url == page.url == site.url("wire-time.html")


def test_a_redirect_is_followed_and_where_it_ended_is_kept(site):
    page = web.fetch(site.url("moved"))
    assert page.url == site.url("moved") and page.final_url == site.url("harbour-meta.html")


def test_a_server_that_does_not_answer_times_out():
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)  # accepts the connection, never answers
    try:
        with pytest.raises(LedgerError, match="no answer within"):
            web.fetch(f"http://127.0.0.1:{silent.getsockname()[1]}/story.html", timeout=0.2)
    finally:
        silent.close()


def closed_port() -> int:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return port


# ---- through the CLI ----------------------------------------------------------------------------


def test_source_add_url_keeps_the_text_the_address_and_the_fetch_time(cli, site, db_url):
    from sqlalchemy import select

    from ledger.model import SOURCE, SOURCE_FETCH
    from ledger.store import open_ledger

    url = site.url("courier-jsonld.html")
    added = cli.json("source", "add", url)
    assert added["title"] == "Central bank expected to cut rates in June"
    assert (added["outlet"], added["author"], added["published_on"], added["url"]) == ("Valley Courier", "Daniel Reyes", "2024-04-18", url)
    opened = open_ledger(db_url)
    try:
        with opened.reading() as connection:
            source = connection.execute(select(SOURCE)).mappings().one()
            fetch = connection.execute(select(SOURCE_FETCH)).mappings().one()
    finally:
        opened.close()
    assert source["text"].startswith("Central bank expected to cut rates in June\n\nBy Daniel Reyes\n\nThe central bank")
    assert (fetch["source_id"], fetch["url"]) == (source["id"], url)
    assert fetch["fetched_at"].endswith("Z") and fetch["fetched_at"][:10] == added["fetched_at"][:10]
    assert cli.ok("verify").stdout.startswith("OK: 2 records")


def test_a_page_fetched_twice_is_one_source(cli, site, db_url):
    url = site.url("harbour-meta.html")
    cli.ok("source", "add", url)
    before = snapshot(db_url)
    again = cli("source", "add", url + "#comments")
    assert again.exit_code == 2 and "already in the ledger as source 1" in again.stderr
    assert site.requests["/harbour-meta.html"] == 1  # known by its address: not fetched again
    # The same text under another address (a redirect, a saved copy) is the same source too.
    assert "already in the ledger as source 1" in cli("source", "add", site.url("moved")).stderr
    assert "already in the ledger as source 1" in cli("source", "add", str(PAGES / "harbour-meta.html")).stderr
    assert snapshot(db_url) == before
    assert [row["source_id"] for row in cli.json("source", "list")] == [1]


def test_extract_url_lists_candidates_read_against_the_pages_date_and_writes_nothing(cli, site, db_url):
    before = snapshot(db_url)
    found = cli.json("extract", site.url("harbour-meta.html"))
    assert snapshot(db_url) == before
    speakers = {candidate["speaker"] for candidate in found}
    assert {"Helen Achterberg"} <= speakers
    by_february = [c for c in found if c["speaker"] == "Helen Achterberg" and c["cue"] == "expect"]
    assert by_february and by_february[0]["resolve_by"] == "2025-02-28"  # "by the end of February", said 2025-02-03
    for candidate in found:
        assert not any(words.lower() in candidate["sentence"].lower() for words in FURNITURE)
        assert "Maria Okafor" not in candidate["sentence"]  # the byline is not a sentence


def test_extract_url_accept_all_registers_the_page_once_and_accepting_again_adds_nothing(cli, site):
    url = site.url("courier-jsonld.html")
    recorded = cli.json("extract", url, "--accept-all")
    assert any(row["status"] == "recorded" and row["forecaster"] == "Priya Natarajan" for row in recorded)
    sources = cli.json("source", "list")
    assert len(sources) == 1 and sources[0]["url"] == url and sources[0]["published_on"] == "2024-04-18"
    forecasts = cli.json("show", str(recorded[0]["question_id"]))["forecasts"]
    assert forecasts[0]["stated_on"] == "2024-04-18"
    again = cli.json("extract", url, "--accept-all")
    assert {row["status"] for row in again} <= {"already in the ledger", "skipped"}
    assert site.requests["/courier-jsonld.html"] == 1  # the second time the text came from the ledger
    assert len(cli.json("source", "list")) == 1


def test_extract_from_a_web_source_id_needs_no_fetch(cli, site):
    cli.ok("source", "add", site.url("wire-time.html"))
    found = cli.json("extract", "1")
    assert any(candidate["speaker"] == "Erik Strand" for candidate in found)
    assert site.requests["/wire-time.html"] == 1


def test_review_records_a_forecast_from_a_saved_page(cli):
    page = str(PAGES / "courier-jsonld.html")
    listed = cli.json("extract", page)
    answers = "".join("a\n" if c["speaker"] == "Robert Halloran" else "s\n" for c in listed)
    cli.ok("extract", page, "--review", input=answers)
    questions = cli.json("list")
    assert [(q["forecasters"], q["resolve_by"]) for q in questions] == [(["Robert Halloran"], "2024-09-30")]
    forecast = cli.json("show", str(questions[0]["question_id"]))["forecasts"][0]
    assert forecast["stated_on"] == "2024-04-18" and forecast["source"] == "Central bank expected to cut rates in June"


def test_a_page_with_no_date_says_so_and_is_not_guessed(cli, site, db_url):
    url = site.url("undated-blog.html")
    before = snapshot(db_url)
    listed = cli("extract", url, "--format", "json")
    assert listed.exit_code == 0 and "no publication date" in listed.stderr
    assert all(candidate["resolve_by"] is None or candidate["deadline_phrase"] for candidate in listed.json())
    refused = cli("extract", url, "--accept-all")
    assert refused.exit_code == 2 and "--published" in refused.stderr and "no publication date" in refused.stderr
    refused = cli("source", "add", url)
    assert refused.exit_code == 2 and "give --published DATE" in refused.stderr
    assert snapshot(db_url) == before
    added = cli.json("source", "add", url, "--published", "2025-06-02")
    assert added["published_on"] == "2025-06-02" and added["author"] == "Grace Mbeki"


def test_a_saved_page_as_a_forecasts_source_is_registered_through_source_add(cli, db_url):
    page = str(PAGES / "wire-time.html")
    before = snapshot(db_url)
    refused = cli("add", "Wheat prices rise", "--by", "2023-09-30", "--who", "Erik Strand", "--prob", "0.7", "--source", page)
    assert refused.exit_code == 2 and f"ledger source add {page}" in refused.stderr
    assert snapshot(db_url) == before
    cli.ok("source", "add", page)
    added = cli.json("add", "Wheat prices rise", "--by", "2023-09-30", "--who", "Erik Strand", "--prob", "0.7", "--source", "1")
    assert added["stated_on"] == "2023-05-09" and added["source"] == "Wheat harvest to fall short this summer, growers warn"


@pytest.mark.parametrize(
    "case", ["not an article", "not found", "not html", "offline", "missing saved page"],
)
def test_bad_pages_are_refused_in_one_line_and_nothing_is_written(cli, site, db_url, case):
    cli.ok("add", "A claim", "--by", "2030-01-01", "--who", "X", "--prob", "0.5")
    bad_cases = {
        "not an article": (site.url("section-front.html"), "does not look like an article"),
        "not found": (site.url("no-such-story.html"), "404"),
        "not html": (site.url("feed.json"), "not a web page"),
        "offline": (f"http://127.0.0.1:{closed_port()}/story.html", "cannot fetch"),
        "missing saved page": ("no/such/page.html", "no such file"),
    }
    reference, hint = bad_cases[case]
    before = snapshot(db_url)
    for command in (["source", "add", reference], ["extract", reference], ["extract", reference, "--accept-all"]):
        result = cli(*command)
        assert result.exit_code == 2, result.stdout + result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: ") and hint in lines[0], result.stderr
    assert snapshot(db_url) == before


def test_the_web_reader_is_not_loaded_by_other_commands():
    import subprocess
    import sys

    loaded = subprocess.run(
        [sys.executable, "-c", "import sys; from ledger.cli import app; import ledger.web; print('trafilatura' in sys.modules)"],
        capture_output=True, text=True, check=True,
    )
    assert loaded.stdout.strip() == "False"
