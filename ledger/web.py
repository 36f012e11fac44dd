"""Articles from the web: fetch a page once, politely, and read its main text, title, outlet, author and date.

Reading (`read_article`) is pure: HTML in, an `WebArticle` out, through trafilatura (main text
without menus, share bars, related stories or comments) and htmldate (the publication date from
the page's markup). Fetching (`fetch`) is the only network use in the ledger: one GET, a timeout,
a user agent naming the tool.
"""

from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Optional
from urllib.parse import urldefrag, urlsplit

from ledger import __version__
from ledger.errors import LedgerError

USER_AGENT = f"forecast-ledger/{__version__}"
TIMEOUT_SECONDS = 20.0
MAX_PAGE_BYTES = 20_000_000  # trafilatura's own MAX_FILE_SIZE
# Fewer words of running text than this is a section front, a search page or a video page, not an article.
MIN_ARTICLE_WORDS = 80
HTML_SUFFIXES = (".html", ".htm")
HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass(frozen=True)
class Page:
    """A page's HTML as it was read: from `url` (fetched at `fetched_at`, ending at `final_url` after redirects) or from a saved file."""

    html: bytes
    url: Optional[str]
    fetched_at: Optional[datetime] = None
    final_url: Optional[str] = None
    path: Optional[str] = None


@dataclass(frozen=True)
class WebArticle:
    """What the page says about itself, and its main text (paragraphs, one per line)."""

    title: str
    outlet: Optional[str]
    author: Optional[str]
    published_on: Optional[date]
    url: Optional[str]
    body: str

    @property
    def text(self) -> str:
        """The text the ledger keeps and the extractor reads: the headline, the byline, the body."""
        byline = [f"By {self.author}"] if self.author else []
        return "\n\n".join([self.title, *byline, *self.body.splitlines()]) + "\n"


def is_url(reference: str) -> bool:
    return urlsplit(reference.strip()).scheme.lower() in ("http", "https")


def is_page(reference: str) -> bool:
    """A web address, or a saved page (a .html or .htm file)."""
    return is_url(reference) or reference.strip().lower().endswith(HTML_SUFFIXES)


def page_url(reference: str) -> Optional[str]:
    """The address a reference names, without its #fragment (the same page); None for a saved file."""
    return urldefrag(reference.strip())[0] if is_url(reference) else None


def fetch(url: str, *, timeout: float = TIMEOUT_SECONDS) -> Page:
    """One GET of an article's page; every failure is a LedgerError naming what failed."""
    import urllib.error
    import urllib.request

    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "text/html,application/xhtml+xml"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            content_type = response.headers.get_content_type()
            if content_type not in HTML_TYPES:
                raise LedgerError(f"{url} is {content_type}, not a web page: give the address of an article's HTML page")
            html = response.read(MAX_PAGE_BYTES + 1)
            final_url = response.geturl()
    except urllib.error.HTTPError as error:
        raise LedgerError(f"cannot fetch {url}: the server answered {error.code} {error.reason}: check the address") from None
    except urllib.error.URLError as error:
        reason = error.reason
        raise LedgerError(f"cannot fetch {url}: {reason} (offline, or no such host?): check the address and the connection, or give a saved .html file") from None
    except TimeoutError:
        raise LedgerError(f"cannot fetch {url}: no answer within {timeout:g} s: try again later, or give a saved .html file") from None
    except (ValueError, OSError) as error:
        raise LedgerError(f"cannot fetch {url}: {error}: give an http:// or https:// address, or a saved .html file") from None
    if len(html) > MAX_PAGE_BYTES:
        raise LedgerError(f"{url} is larger than {MAX_PAGE_BYTES // 1_000_000} MB: not an article's page")
    return Page(html=html, url=url, fetched_at=datetime.now(timezone.utc), final_url=final_url)


def read_saved(path: str) -> Page:
    try:
        with open(path, "rb") as handle:
            html = handle.read(MAX_PAGE_BYTES + 1)
    except FileNotFoundError:
        raise LedgerError(f"no such file {path!r}: give a saved .html page or an http:// or https:// address") from None
    except (IsADirectoryError, PermissionError) as error:
        raise LedgerError(f"cannot read {path!r} ({error.__class__.__name__}): give a saved .html page") from None
    if len(html) > MAX_PAGE_BYTES:
        raise LedgerError(f"{path} is larger than {MAX_PAGE_BYTES // 1_000_000} MB: not an article's page")
    return Page(html=html, url=None, path=path)


def load(reference: str) -> Page:
    """The page a URL or a saved .html file names; a URL is fetched (once)."""
    url = page_url(reference)
    return fetch(url) if url else read_saved(reference.strip())


def read_article(page: Page, *, today: date) -> WebArticle:
    """The article in a page, or a LedgerError when the page holds none.

    The date is htmldate's reading of the markup only (meta tags, JSON-LD, <time>, the address):
    its "extensive search" of the text would take a copyright year or a date in a story for the
    publication date, and a page with no date must say so rather than guess.
    """
    import trafilatura

    where = page.url or page.path
    found = trafilatura.bare_extraction(
        page.html, url=page.final_url or page.url, with_metadata=True, include_comments=False, include_tables=False,
        favor_precision=True, date_extraction_params={"original_date": True, "extensive_search": False, "max_date": today.isoformat()},
    )
    lines = [line.strip() for line in (found.text or "").splitlines() if line.strip()] if found else []
    title = _one_line(found.title) if found else None
    if lines and title and " ".join(lines[0].split()) == title:
        lines = lines[1:]  # the headline, kept once, above the byline
    body = "\n".join(lines)
    words = len(body.split())
    if words < MIN_ARTICLE_WORDS:
        raise LedgerError(
            f"{where} does not look like an article: {words} words of running text, fewer than {MIN_ARTICLE_WORDS} "
            "(a section front, a search or a video page?): give the address of one article's page"
        )
    return WebArticle(
        title=title or lines[0][:200],
        outlet=_one_line(found.sitename),
        author=_one_line(found.author),
        published_on=date.fromisoformat(found.date) if found.date else None,
        url=page.url or _one_line(found.url),
        body=body,
    )


def _one_line(value: Optional[str]) -> Optional[str]:
    return " ".join(value.split()) or None if value else None
