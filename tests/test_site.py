"""`ledger site DIR`: the pages' numbers are the report's, nothing from an article can inject markup, and a real browser renders them."""

import os
import shutil
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

from ledger import site
from tests.conftest import SEEDS, LedgerCLI, snapshot


class PageCells(HTMLParser):
    """Every element's tag and attributes, the cells of each table (by table id, row and data-key), and the scripts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict]] = []
        self.tables: dict[str, dict[str, dict]] = {}
        self.cards: dict[str, dict] = {}
        self.scripts: list[str] = []
        self._table = self._row = self._key = self._card = None
        self._text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.elements.append((tag, attributes))
        if tag == "script":
            self._in_script = True
            self.scripts.append("")
        if tag == "table":
            self._table = attributes.get("id")
            self.tables[self._table] = {}
        if tag == "article":
            self._card = attributes.get("data-row")
            self.cards[self._card] = {}
        if tag == "tr" and self._table and "data-row" in attributes:
            self._row = attributes["data-row"]
            self.tables[self._table][self._row] = {}
        if "data-key" in attributes:
            self._key = (attributes["data-key"], attributes.get("data-value"))
            self._text = []

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data
        if self._key is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False
        if tag in ("td", "span", "dd", "strong") and self._key is not None:
            key, value = self._key
            target = self.tables[self._table][self._row] if self._row is not None else self.cards.get(self._card)
            if target is not None:
                target[key] = (value, "".join(self._text).strip())
            self._key = None
        if tag == "tr":
            self._row = None
        if tag == "table":
            self._table = None
        if tag == "article":
            self._card = None


def parse(path: Path) -> PageCells:
    parser = PageCells()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def assert_same_numbers(cells: dict, row: dict) -> int:
    """Each numeric cell carries the report's exact value and shows it as site.number_text does."""
    checked = 0
    for key, (value, text) in cells.items():
        if value is None:
            continue
        expected = row[key]
        if expected is None:
            assert value == "" and text == "", key
            continue
        assert float(value) == expected, (key, value, expected)
        assert text == site.number_text(expected), (key, text)
        checked += 1
    return checked


OPTION_SETS = [
    [],
    ["--as-of", "2019-12-31"],
    ["--period", "year"],
    ["--tag", "summit"],
    ["--who", "Hong Min"],
    ["--from", "2020-01-01", "--as-of", "2026-06-30"],
]


@pytest.mark.parametrize("options", OPTION_SETS, ids=lambda options: " ".join(options) or "defaults")
def test_every_number_on_the_page_is_the_reports(seeded, tmp_path, options):
    seeded.ok("site", str(tmp_path / "pub"), *options)
    index = parse(tmp_path / "pub" / "index.html")
    keys = ("period", "group") if "--period" in options else ("group",)
    report = seeded.json("report", *options)
    assert report, "every option set leaves something to score on the seed ledger"
    shown = index.tables["scoreboard"]
    assert sorted(shown) == sorted(site.row_name(row, keys) for row in report)
    checked = sum(assert_same_numbers(shown[site.row_name(row, keys)], row) for row in report)
    assert checked >= len(report) * 5
    cue_keys = ("period", "cue") if "--period" in options else ("cue",)
    cues = seeded.json("report", "--by", "cue", *options)
    assert sorted(index.tables.get("cues", {})) == sorted(site.row_name(row, cue_keys) for row in cues)
    for row in cues:
        assert_same_numbers(index.tables["cues"][site.row_name(row, cue_keys)], row)
    without_period = [option for option in options if option not in ("--period", "year")]
    calibration = [row for row in seeded.json("calibration", *without_period) if row["n"]]
    assert sorted(index.tables.get("calibration", {})) == sorted(str(row["lower"]) for row in calibration)
    for row in calibration:
        assert_same_numbers(index.tables["calibration"][str(row["lower"])], row)
    if not without_period:
        due = seeded.json("list", "--status", "due")
        assert due, "the seed ledger has questions due"
        assert sorted(index.tables.get("due", {})) == sorted(str(row["question_id"]) for row in due)


def test_each_forecaster_page_has_the_reports_row_and_every_forecast(seeded, tmp_path):
    seeded.ok("site", str(tmp_path / "pub"))
    files = site.page_names(row["group"] for row in seeded.json("report"))
    for row in seeded.json("report"):
        page = parse(tmp_path / "pub" / "who" / files[row["group"]])
        assert_same_numbers(page.tables["summary"][row["group"]], row)
        who = seeded.json("who", row["group"])
        assert len(page.cards) == len(who["forecast_list"])
        for forecast in who["forecast_list"]:
            card = page.cards[str(forecast["forecast_id"])]
            assert float(card["probability"][0]) == forecast["probability"]
            assert card["stated_on"][1] == forecast["stated_on"]
            for key in ("brier", "log_score", "peer_score", "time_averaged_brier"):
                if forecast[key] is None:
                    assert key not in card
                else:
                    assert float(card[key][0]) == forecast[key]


HOSTILE_NAME = '</title><script>alert("name")</script>'
HOSTILE_QUOTE = '"><img src=x onerror=alert("quote")><script>alert("quote")</script>'
HOSTILE_STATEMENT = "<svg onload=alert('statement')> A summit is held & <b>bold</b>"


def hostile_ledger(cli: LedgerCLI) -> LedgerCLI:
    cli.ok("add", HOSTILE_STATEMENT, "--by", "2020-06-30", "--who", HOSTILE_NAME, "--prob", "0.7", "--stated", "2020-01-05",
           "--quote", HOSTILE_QUOTE, "--source", "javascript:alert('source')", "--tag", "<i>x</i>")
    cli.ok("forecast", "1", "--who", "Hong Min", "--prob", "0.7", "--stated", "2020-01-06", "--quote", "-->]]><!--")
    cli.ok("resolve", "1", "yes", "--on", "2020-06-01", "--note", "<script>alert('note')</script>",
           "--evidence", "javascript:alert('evidence')")
    cli.ok("add", "Another <question>", "--by", "2020-12-31", "--who", HOSTILE_NAME, "--prob", "0.2", "--stated", "2020-01-05")
    return cli


def test_nothing_from_an_article_can_inject_markup_or_script(cli, tmp_path):
    hostile_ledger(cli)
    cli.ok("site", str(tmp_path / "pub"))
    pages = [tmp_path / "pub" / "index.html", *sorted((tmp_path / "pub" / "who").glob("*.html"))]
    assert len(pages) == 3
    for path in pages:
        page = parse(path)
        assert page.scripts == [site.SCRIPT], path
        for tag, attributes in page.elements:
            assert tag not in ("img", "iframe", "object", "embed", "b", "i"), (path, tag)
            assert not [name for name in attributes if name.startswith("on")], (path, tag, attributes)
            assert not (attributes.get("href") or "").lower().startswith("javascript"), (path, attributes)
        text = path.read_text(encoding="utf-8")
        assert "<script>alert" not in text and "<svg onload" not in text
    who_page = next(path for path in pages if "who" in path.parts and "title" in path.name)
    assert "&lt;/title&gt;&lt;script&gt;" in who_page.read_text(encoding="utf-8")


def test_the_page_asks_for_nothing_from_the_network(seeded, tmp_path):
    seeded.ok("site", str(tmp_path / "pub"))
    for path in (tmp_path / "pub").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert f"script-src '{site.SCRIPT_HASH}'" in text and "default-src 'none'" in text
        for tag, attributes in parse(path).elements:
            for name in ("src", "srcset"):
                assert name not in attributes or attributes[name].startswith("data:"), (path, tag, attributes)
            if tag == "link":
                pytest.fail(f"{path}: a <link> element would load a file: {attributes}")
        assert "@import" not in text and "url(http" not in text


def test_bad_input_is_refused_and_nothing_written(seeded, tmp_path):
    before = snapshot(seeded.db)
    a_file = tmp_path / "taken"
    a_file.write_text("mine")
    cases = {
        "a file, not a folder": (["site", str(a_file)], "is a file"),
        "unknown period": (["site", str(tmp_path / "p1"), "--period", "decade"], "unknown period"),
        "unknown forecaster": (["site", str(tmp_path / "p2"), "--who", "Nobody Atall"], "no forecaster named"),
        "bad date": (["site", str(tmp_path / "p3"), "--as-of", "soon-ish"], "unreadable date"),
    }
    for name, (arguments, message) in cases.items():
        result = seeded(*arguments)
        assert result.exit_code == 2, name
        assert message in result.stderr.lower() or message in result.stderr, (name, result.stderr)
        assert len(result.stderr.strip().splitlines()) == 1, name
    assert a_file.read_text() == "mine"
    assert not any((tmp_path / name).exists() for name in ("p1", "p2", "p3"))
    assert snapshot(seeded.db) == before


def test_page_names_are_plain_and_unique():
    files = site.page_names(["Hong Min", "hong min", "Søren Kierkegaard", "観測者", "Smith, Jr."])
    assert files == {"Hong Min": "hong-min.html", "hong min": "hong-min-2.html", "Søren Kierkegaard": "soren-kierkegaard.html",
                     "観測者": "forecaster.html", "Smith, Jr.": "smith-jr.html"}


def test_only_web_links_become_links():
    assert site.link("https://example.org/a?b=1&c=2", "x") == '<a href="https://example.org/a?b=1&amp;c=2" rel="noopener noreferrer">x</a>'
    assert site.link("javascript:alert(1)", "<x>") == "&lt;x&gt;"
    assert site.link("data:text/html,hi", "y") == "y"


# ---- in a real browser ---------------------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
SCREENSHOTS = os.environ.get("LEDGER_SITE_SCREENSHOTS")  # keep the screenshots in this folder to look at them


@pytest.fixture
def browser():
    webdriver = pytest.importorskip("selenium.webdriver", reason="the browser test needs selenium: pip install selenium")
    if not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)):
        pytest.skip("the browser test needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)")
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="ledger-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--hide-scrollbars", f"--user-data-dir={profile}"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def screenshot(driver, path: Path, width: int) -> None:
    driver.set_window_size(width, 900)
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(width, min(height, 6000))
    driver.save_screenshot(str(path))
    assert path.stat().st_size > 10_000


def column_values(driver, column: int) -> list[str]:
    from selenium.webdriver.common.by import By

    rows = driver.find_elements(By.CSS_SELECTOR, "#scoreboard tbody tr")
    return [row.find_elements(By.TAG_NAME, "td")[column].get_attribute("data-value") or
            row.find_elements(By.TAG_NAME, "td")[column].text for row in rows]


def test_the_site_in_chromium_renders_without_errors_sorts_and_fits_a_phone(browser, db_path, tmp_path):
    from selenium.webdriver.common.by import By

    cli = LedgerCLI(db_path)
    cli.ok("import", str(SEEDS / "forecasts.toml"))
    hostile_ledger_names = cli.json("report")
    assert hostile_ledger_names
    cli.ok("site", str(tmp_path / "pub"))
    shots = Path(SCREENSHOTS) if SCREENSHOTS else tmp_path
    shots.mkdir(parents=True, exist_ok=True)
    pages = [tmp_path / "pub" / "index.html", *sorted((tmp_path / "pub" / "who").glob("*.html"))]
    for path in pages:
        browser.get(path.as_uri())
        problems = [entry for entry in browser.get_log("browser") if entry["level"] in ("SEVERE", "WARNING")]
        assert problems == [], (path.name, problems)
        assert browser.find_elements(By.TAG_NAME, "svg"), path.name
    browser.get(pages[0].as_uri())
    headers = [header.text for header in browser.find_elements(By.CSS_SELECTOR, "#scoreboard thead th")]
    n_column = headers.index("n")
    browser.find_elements(By.CSS_SELECTOR, "#scoreboard thead th button")[n_column].click()
    ascending = [int(value) for value in column_values(browser, n_column)]
    assert ascending == sorted(ascending)
    browser.find_elements(By.CSS_SELECTOR, "#scoreboard thead th button")[n_column].click()
    assert [int(value) for value in column_values(browser, n_column)] == sorted(ascending, reverse=True)
    name_column = headers.index("forecaster")
    browser.find_elements(By.CSS_SELECTOR, "#scoreboard thead th button")[name_column].click()
    names = column_values(browser, name_column)
    assert names == sorted(names, key=lambda name: name.lower()) or names == sorted(names)
    for width, label in ((1280, "desktop"), (390, "phone")):
        browser.get(pages[0].as_uri())
        screenshot(browser, shots / f"index-{label}.png", width)
        page_width = browser.execute_script("return document.documentElement.scrollWidth")
        assert page_width <= width, f"the page is wider than a {label} screen: {page_width} px"
        browser.get(pages[1].as_uri())
        screenshot(browser, shots / f"{pages[1].stem}-{label}.png", width)
    assert browser.get_log("browser") == []


def test_hostile_text_runs_no_script_in_chromium(browser, db_path, tmp_path):
    from selenium.common.exceptions import NoAlertPresentException

    cli = hostile_ledger(LedgerCLI(db_path))
    cli.ok("site", str(tmp_path / "pub"))
    for path in [tmp_path / "pub" / "index.html", *sorted((tmp_path / "pub" / "who").glob("*.html"))]:
        browser.get(path.as_uri())
        with pytest.raises(NoAlertPresentException):
            browser.switch_to.alert.text
        assert browser.execute_script("return document.querySelectorAll('img, iframe, script:not(:last-of-type)').length") == 0
        assert browser.get_log("browser") == []
