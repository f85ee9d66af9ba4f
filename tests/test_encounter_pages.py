"""/encounters/: CBP's official counts as charts and tables, their CSV and JSON downloads, and the filters.

The real sample file is imported with the real importer, and the page's numbers are checked against sums worked
out here from the CSV with Python's csv module. Crafted rows cover the filters' edge cases and the query counts.
"""

import csv
import datetime
import html
import io
import json
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
from django.conf import settings
from django.db.models import UniqueConstraint
from django.urls import reverse

from briefings.encounters.importer import encounters_import
from briefings.models import EncounterArea, EncounterCount

from .factories import EncounterCountFactory, finish_encounter_import
from .test_pages import parse

SAMPLE = Path(settings.BASE_DIR) / "tests" / "data" / "cbp-encounters-sample.csv"
PAGE = "/encounters/"
TABLES = ["monthly", "areas", "components", "demographics", "citizenships", "encounter-types"]
SOUTHWEST = "Southwest Land Border"
CALENDAR_ABBV = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]

pytestmark = pytest.mark.django_db


# --- Reading what the page and the downloads say ----------------------------------------------------------------


class TableReader(HTMLParser):
    """Every <table id="table-…">: its caption, column headings, rows of cell values and the link in each row.

    A cell holding <time datetime> reads as that datetime (“2020-04”), as a machine would read it.
    """

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables = {}
        self._table = self._row = self._cell = self._caption = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "table" and attributes.get("id", "").startswith("table-"):
            self._table = {"caption": "", "headings": [], "rows": [], "links": []}
            self.tables[attributes["id"].removeprefix("table-")] = self._table
        elif self._table is None:
            return
        elif tag == "caption":
            self._caption = ""
        elif tag == "tr":
            self._row, self._link = [], ""
        elif tag in ("th", "td"):
            self._cell = {"text": "", "time": None}
        elif tag == "time" and self._cell is not None:
            self._cell["time"] = attributes["datetime"]
        elif tag == "a" and self._cell is not None:
            self._link = attributes["href"]

    def handle_data(self, data):
        if self._cell is not None:
            self._cell["text"] += data
        elif self._caption is not None:
            self._caption += data

    def handle_endtag(self, tag):
        if self._table is None:
            return
        if tag == "caption":
            self._table["caption"], self._caption = self._caption.strip(), None
        elif tag in ("th", "td") and self._cell is not None:
            self._row.append(self._cell["time"] or " ".join(self._cell["text"].split()))
            self._cell = None
        elif tag == "tr":
            if not self._table["headings"]:
                self._table["headings"] = self._row
            else:
                self._table["rows"].append(self._row)
                self._table["links"].append(self._link)
            self._row = None
        elif tag == "table":
            self._table = None


def html_tables(response):
    reader = TableReader()
    reader.feed(response.content.decode())
    return reader.tables


def as_data(value: str) -> str:
    """A cell as the downloads write it: “17,106” is 17106, “no data” an empty cell."""
    if value == "no data":
        return ""
    return value.replace(",", "") if re.fullmatch(r"[\d,]+", value) else value


def csv_download(client, slug, query):
    response = client.get(f"{PAGE}{slug}.csv?{query}")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(f'attachment; filename="cbp-encounters-{slug}-')
    assert response["Content-Disposition"].endswith('.csv"')
    return list(csv.reader(io.StringIO(response.content.decode("utf-8"))))


def json_rows(table_json):
    keys = [column["key"] for column in table_json["columns"]]
    return [["" if row[key] is None else str(row[key]) for key in keys] for row in table_json["rows"]]


def number(text: str) -> int:
    return int(text.replace(",", ""))


def column(table, heading):
    return [row[table["headings"].index(heading)] for row in table["rows"]]


def as_dict(table, key_heading, value_heading="Encounters"):
    return {
        key: number(value) for key, value in zip(column(table, key_heading), column(table, value_heading), strict=True)
    }


# --- The real sample, imported with the real importer ------------------------------------------------------------


def sample_rows():
    with SAMPLE.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def sums(rows, *keys):
    totals = Counter()
    for row in rows:
        totals[tuple(row[key] for key in keys) if len(keys) > 1 else row[keys[0]]] += int(row["encounter_count"])
    return dict(totals)


@pytest.fixture
def sample():
    with SAMPLE.open("rb") as file:
        encounters_import(file=file, name=SAMPLE.name)
    return sample_rows()


def southwest(rows, month_abbv=None):
    return [
        row
        for row in rows
        if row["land_border_region"] == SOUTHWEST and (month_abbv is None or row["month_abbv"] == month_abbv)
    ]


def test_southwest_april_2020_total_matches_the_file(client, sample):
    expected = sum(int(row["encounter_count"]) for row in southwest(sample, "APR"))
    response = client.get(f"{PAGE}?from=2020-04&to=2020-04")
    assert response.status_code == 200
    monthly = html_tables(response)["monthly"]
    assert monthly["rows"] == [["2020-04", f"{expected:,}"]]
    assert expected == 17_106  # the file's own sum, worked out by hand once: guards the test itself
    content = response.content.decode()
    assert f"<strong>{expected:,}</strong> encounters, Southwest Land Border" in content
    assert '<time datetime="2020-04">April 2020</time>' in content


def test_the_default_page_is_the_southwest_border_over_every_month_in_the_data(client, sample):
    response = client.get(PAGE)
    tables = html_tables(response)
    expected = sums(southwest(sample), "month_abbv")
    # April and August 2020 have rows; May to July have none and say so rather than showing 0.
    assert tables["monthly"]["rows"] == [
        ["2020-04", f"{expected['APR']:,}"],
        ["2020-05", "no data"],
        ["2020-06", "no data"],
        ["2020-07", "no data"],
        ["2020-08", f"{expected['AUG']:,}"],
    ]


def test_area_totals_match_the_file(client, sample):
    tables = html_tables(client.get(f"{PAGE}?from=2020-04&to=2020-04"))
    expected = sums(southwest(sample, "APR"), "area_of_responsibility", "aor_abbv", "component")
    shown = {
        (row[0], row[1], row[2]): number(row[4])
        for row in tables["areas"]["rows"]
        if row[3] == SOUTHWEST  # the region column
    }
    assert len(shown) == len(tables["areas"]["rows"])
    assert shown == expected
    values = [number(row[4]) for row in tables["areas"]["rows"]]
    assert values == sorted(values, reverse=True)  # largest first


def test_demographic_component_and_type_totals_match_the_file(client, sample):
    april = southwest(sample, "APR")
    tables = html_tables(client.get(f"{PAGE}?from=2020-04&to=2020-04"))
    assert as_dict(tables["demographics"], "Demographic") == sums(april, "demographic")
    assert as_dict(tables["components"], "Component") == sums(april, "component")
    shown_types = {(row[0], row[1]): number(row[2]) for row in tables["encounter-types"]["rows"]}
    assert shown_types == sums(april, "encounter_type", "title_of_authority")


def test_citizenships_are_the_ten_largest_and_the_rest_summed(client, sample):
    nationwide = sums(sample, "citizenship")
    ranked = sorted(nationwide.items(), key=lambda item: (-item[1], item[0]))
    tables = html_tables(client.get(f"{PAGE}?region=all"))
    rows = tables["citizenships"]["rows"]
    assert len(ranked) > 10
    assert [(name, number(value)) for name, value in rows[:10]] == ranked[:10]
    assert rows[10] == ["All other citizenships", f"{sum(count for _name, count in ranked[10:]):,}"]
    assert "the 10 largest and all others summed" in tables["citizenships"]["caption"]
    assert "CHINA, PEOPLES REPUBLIC OF" in nationwide  # the comma inside quotes survived the import


def test_nationwide_and_other_regions(client, sample):
    total = sum(int(row["encounter_count"]) for row in sample)
    tables = html_tables(client.get(f"{PAGE}?region=all"))
    assert sum(number(row[1]) for row in tables["monthly"]["rows"] if row[1] != "no data") == total == 46_442
    northern = [row for row in sample if row["land_border_region"] == "Northern Land Border"]
    tables = html_tables(client.get(f"{PAGE}?region=northern+land+border&from=2020-08&to=2020-08"))
    assert as_dict(tables["areas"], "Area of responsibility") == {
        area: count
        for (area, month), count in sums(northern, "area_of_responsibility", "month_abbv").items()
        if month == "AUG"
    }


def test_an_area_by_abbreviation_full_name_or_any_case_gives_the_same_tables(client, sample):
    expected = sums([row for row in sample if row["aor_abbv"] == "RGV"], "demographic")
    pages = [
        client.get(f"{PAGE}?{urlencode({'area': area, 'from': '2020-04', 'to': '2020-08'})}")
        for area in ("RGV", "Rio Grande Valley Sector", "rgv", " rio grande valley sector ")
    ]
    assert {page.status_code for page in pages} == {200}
    tables = [html_tables(page) for page in pages]
    assert all(table == tables[0] for table in tables)
    assert as_dict(tables[0]["demographics"], "Demographic") == expected
    assert "Rio Grande Valley Sector (RGV)" in parse(pages[0]).headings[0][1]


def test_an_area_named_alone_is_counted_in_every_region(client, sample):
    """San Diego Field Office has rows in the Southwest and in “Other”: a link naming only it shows both."""
    rows = [row for row in sample if row["area_of_responsibility"] == "San Diego Field Office"]
    assert {row["land_border_region"] for row in rows} == {SOUTHWEST, "Other"}
    tables = html_tables(client.get(f"{PAGE}?area=San+Diego"))
    by_region = {row[3]: number(row[4]) for row in tables["areas"]["rows"]}
    assert by_region == sums(rows, "land_border_region")
    tables = html_tables(client.get(f"{PAGE}?area=San+Diego&region=Southwest+Land+Border"))
    assert [row[3] for row in tables["areas"]["rows"]] == [SOUTHWEST]


# --- Downloads are exactly the tables shown ------------------------------------------------------------------------


QUERIES = [
    "",
    "from=2020-04&to=2020-04",
    "region=all",
    "area=RGV&from=2020-04&to=2020-08",
    "region=Other&area=Miami",
]


@pytest.mark.parametrize("query", QUERIES)
def test_each_html_table_equals_its_csv_and_json_downloads(client, sample, query):
    response = client.get(f"{PAGE}?{query}")
    assert response.status_code == 200
    tables = html_tables(response)
    assert list(tables) == TABLES
    everything = client.get(f"{PAGE}data.json?{query}").json()
    assert [table["slug"] for table in everything["tables"]] == TABLES
    for slug, table in tables.items():
        shown = [[as_data(value) for value in row] for row in table["rows"]]
        assert shown, slug
        header, *csv_rows = csv_download(client, slug, query)
        assert len(header) == len(table["headings"]), slug
        assert csv_rows == shown, slug
        single = client.get(f"{PAGE}{slug}.json?{query}").json()
        assert [column["key"] for column in single["columns"]] == header
        assert [column["heading"] for column in single["columns"]] == table["headings"]
        assert json_rows(single) == shown, slug
        assert single["filters"] == everything["filters"]
        assert single["source"] == everything["source"]
        (from_all,) = [entry for entry in everything["tables"] if entry["slug"] == slug]
        assert json_rows(from_all) == shown, slug
    monthly_total = sum(number(row[1]) for row in tables["monthly"]["rows"] if row[1] != "no data")
    assert everything["total_encounters"] == monthly_total


def test_json_says_which_filters_and_source(client, sample):
    data = client.get(f"{PAGE}data.json?area=rgv&from=2020-04&to=2020-08").json()
    assert data["filters"] == {
        "region": "all",
        "area": {"name": "Rio Grande Valley Sector", "abbreviation": "RGV", "component": "U.S. Border Patrol"},
        "from": "2020-04",
        "to": "2020-08",
    }
    assert data["source"]["publisher"] == "U.S. Customs and Border Protection"
    assert data["source"]["title"] == "Nationwide Encounters"
    assert data["source"]["fiscal_years"] == [2020]
    # The sample's August rows stop before the Border Patrol's: RGV has April only.
    assert data["source"]["months"] == {"first": "2020-04", "last": "2020-04"}
    assert "revised" in data["source"]["revisions"]
    assert data["page"].endswith("/encounters/?region=all&area=RGV&from=2020-04&to=2020-08")
    assert "These tables cover April 2020." in data["source"]["citation"]
    monthly = client.get(f"{PAGE}monthly.json?area=El+Paso").json()
    assert monthly["rows"][1] == {"month": "2020-05", "encounters": None}  # no data, not zero


def test_csv_is_utf8_with_a_header_and_a_descriptive_filename(client, sample):
    response = client.get(f"{PAGE}citizenships.csv?region=all&area=RGV&from=2020-04&to=2020-08")
    assert response["Content-Disposition"] == (
        'attachment; filename="cbp-encounters-citizenships-nationwide-rgv-from-2020-04-to-2020-08.csv"'
    )
    text = response.content.decode("utf-8")
    assert text.splitlines()[0] == "citizenship,encounters"


def test_every_table_has_its_downloads_beside_it(client, sample):
    query = "region=all&area=RGV&from=2020-04&to=2020-08"  # an area named alone: every region
    content = client.get(f"{PAGE}?area=RGV&from=2020-04&to=2020-08").content.decode()
    for slug in TABLES:
        section = content[content.index(f'<section class="section encounter-table wide" id="{slug}"') :]
        section = section[: section.index("</section>")]
        assert f'href="{PAGE}{slug}.csv?{query.replace("&", "&amp;")}"' in section
        assert f'href="{PAGE}{slug}.json?{query.replace("&", "&amp;")}"' in section
    assert f'href="{PAGE}data.json?{query.replace("&", "&amp;")}"' in content


# --- Follow every link from the page -----------------------------------------------------------------------------


def test_every_area_link_and_download_from_the_page_answers_200(client, sample):
    start = client.get(PAGE)
    areas = html_tables(start)["areas"]
    area_links = dict(zip(areas["links"], areas["rows"], strict=True))
    assert len(area_links) == len(areas["rows"]) > 5
    links = {urljoin(PAGE, href) for href in parse(start).links}
    downloads = {link for link in links if urlsplit(link).path.endswith((".csv", ".json"))}
    assert len(downloads) == 2 * len(TABLES) + 1
    for link in sorted(downloads):
        assert client.get(link).status_code == 200, link
    for link, row in area_links.items():
        response = client.get(link)
        assert response.status_code == 200, link
        # The area's own page adds up to the number its row showed.
        monthly = html_tables(response)["monthly"]
        assert sum(number(value) for _month, value in monthly["rows"] if value != "no data") == number(row[4])
        for download in {urljoin(link, href) for href in parse(response).links}:
            if urlsplit(download).path.endswith((".csv", ".json")):
                assert client.get(download).status_code == 200, download


def test_the_page_is_reachable_from_the_front_page(client, db):
    assert PAGE in parse(client.get("/")).links
    content = client.get(PAGE).content.decode()
    assert f'<a href="{PAGE}" aria-current="page">Encounters</a>' in content


# --- Accessible charts and the page's structure -------------------------------------------------------------------


class SvgReader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.charts = []
        self._open = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "svg":
            self._open = {"attributes": attributes, "ids": {}, "titles": [], "rects": 0}
            self.charts.append(self._open)
        elif self._open is not None:
            if tag in ("title", "desc"):
                self._tag = (tag, attributes.get("id"))
                self._text = ""
            if tag == "rect":
                self._open["rects"] += 1

    def handle_data(self, data):
        if self._open is not None and getattr(self, "_tag", None):
            self._text += data

    def handle_endtag(self, tag):
        if self._open is None:
            return
        if tag in ("title", "desc") and self._tag:
            name, element_id = self._tag
            if element_id:
                self._open["ids"][element_id] = (name, self._text.strip())
            elif name == "title":
                self._open["titles"].append(self._text.strip())
            self._tag = None
        if tag == "svg":
            self._open = None


def test_each_chart_is_an_accessible_svg_with_the_numbers_of_its_table(client, sample):
    response = client.get(f"{PAGE}?region=all")
    reader = SvgReader()
    reader.feed(response.content.decode())
    tables = html_tables(response)
    assert len(reader.charts) == len(TABLES)
    for chart, (slug, table) in zip(reader.charts, tables.items(), strict=True):
        assert chart["attributes"]["role"] == "img"
        labelled_by = chart["attributes"]["aria-labelledby"].split()
        assert [chart["ids"][element_id][0] for element_id in labelled_by] == ["title", "desc"], slug
        assert "The table below has every number." in chart["ids"][labelled_by[1]][1]
        # One <title> per bar, with its label and the value as the table prints it.
        values = [row[-1] for row in table["rows"]]
        assert len(chart["titles"]) == len(values), slug
        for title, value in zip(chart["titles"], values, strict=True):
            assert title.endswith(f": {value}"), (slug, title)
        assert chart["rects"] == sum(value != "no data" for value in values), slug


def test_the_page_is_well_formed_and_says_where_the_numbers_come_from(client, sample):
    response = client.get(f"{PAGE}?from=2020-04&to=2020-08")
    page = parse(response)
    levels = [level for level, _heading in page.headings]
    assert levels.count(1) == 1 and levels[0] == 1
    assert all(current <= previous + 1 for previous, current in zip(levels, levels[1:], strict=False))
    assert page.inline_scripts == 0
    assert page.style_attributes == 0
    assert len(page.ids) == len(set(page.ids))
    content = response.content.decode()
    assert "<style" not in content
    assert "<title>Official encounter counts: Southwest Land Border, April 2020 to August 2020 —" in content
    assert '<meta name="description" content="U.S. Customs and Border Protection\'s official monthly' in content
    assert content.count("<caption") == len(TABLES)
    assert content.count('class="source-line"') == len(TABLES) + 1  # the page's and one under each chart
    text = html.unescape(" ".join(re.sub(r"<[^>]+>", " ", content).split()))
    assert "“Nationwide Encounters”, monthly counts by area of responsibility for fiscal year 2020" in text
    assert "These tables cover April 2020 to August 2020." in text
    for phrase in (
        "fiscal year 2024 runs from October 2023 to September 2024",
        "is a Border Patrol sector; one named “Field Office” is an OFO field office",
        "Title 42",
        "CBP's figures come from live systems and change until a fiscal year is final",
    ):
        assert phrase in text, phrase


def page_text(response):
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split()))


def test_with_the_seeds_border_patrol_counts_alone_the_page_says_whose_totals_they_are(client, seed):
    """The seed ships CBP's June 2024 Southwest rows of the Border Patrol only: a region's total without the Office
    of Field Operations is not the region's total, and the page, its downloads and their citation say so."""
    gap = (
        "They hold U.S. Border Patrol counts only: the desk has imported no Office of Field Operations counts for "
        "them, so their totals are U.S. Border Patrol totals."
    )
    text = page_text(client.get(PAGE))
    assert "These tables cover June 2024. " + gap in text
    # CBP's nine Southwest sectors, June 2024, and whose they are
    assert "83,532 U.S. Border Patrol encounters, Southwest Land Border, in June 2024" in text
    assert client.get(f"{PAGE}data.json").json()["source"]["citation"].endswith(gap)
    # One sector is one component's by definition: nothing to say there.
    assert "counts only" not in page_text(client.get(PAGE, {"area": "RGV"}))


def test_with_both_components_imported_no_gap_is_named(client, sample):
    text = page_text(client.get(PAGE, {"from": "2020-04", "to": "2020-04"}))
    assert "counts only" not in text
    assert "Border Patrol encounters, Southwest" not in text


def test_svg_coordinates_stay_machine_numbers_in_spanish(client, sample):
    content = client.get(f"/es{PAGE}").content.decode()
    assert '<html lang="es">' in content
    for attribute in re.findall(r'\b(?:x|y|width|height|x1|x2|y1|y2)="([^"]*)"', content):
        assert re.fullmatch(r"-?\d+(\.\d+)?", attribute), attribute
    assert re.findall(r'viewBox="0 0 640 \d+(?:\.\d+)?"', content)


# --- Filters: crafted rows ------------------------------------------------------------------------------------------


def encounter(month: datetime.date, **fields):
    """A factory row for a calendar month, with CBP's fiscal year and month for it."""
    return EncounterCountFactory.build(
        fiscal_year=month.year + 1 if month.month >= 10 else month.year,
        month_abbv=CALENDAR_ABBV[month.month - 1],
        **fields,
    )


def test_a_period_across_the_fiscal_year_boundary(client, db):
    EncounterCount.objects.bulk_create(
        [
            encounter(datetime.date(2023, 8, 1), encounter_count=5),
            encounter(datetime.date(2023, 9, 1), encounter_count=10),  # FY2023 SEP
            encounter(datetime.date(2023, 10, 1), encounter_count=20),  # FY2024 OCT
            encounter(datetime.date(2023, 11, 1), encounter_count=40),
        ]
    )
    finish_encounter_import()
    response = client.get(f"{PAGE}?from=2023-09&to=2023-10")
    assert html_tables(response)["monthly"]["rows"] == [["2023-09", "10"], ["2023-10", "20"]]
    data = client.get(f"{PAGE}data.json?from=2023-09&to=2023-10").json()
    assert data["source"]["fiscal_years"] == [2023, 2024]
    assert data["total_encounters"] == 30
    assert "fiscal years 2023, 2024" in response.content.decode()


def test_only_from_or_only_to_leaves_the_other_end_open(client, db):
    EncounterCount.objects.bulk_create(
        [encounter(datetime.date(2024, month, 1), encounter_count=month) for month in (1, 2, 3)]
    )
    finish_encounter_import()
    assert [row[0] for row in html_tables(client.get(f"{PAGE}?from=2024-02"))["monthly"]["rows"]] == [
        "2024-02",
        "2024-03",
    ]
    assert [row[0] for row in html_tables(client.get(f"{PAGE}?to=2024-02"))["monthly"]["rows"]] == [
        "2024-01",
        "2024-02",
    ]


def test_a_month_without_rows_is_no_data_and_a_zero_is_zero(client, db):
    EncounterCount.objects.bulk_create(
        [
            encounter(datetime.date(2024, 1, 1), encounter_count=7),
            encounter(datetime.date(2024, 3, 1), encounter_count=0),
        ]
    )
    finish_encounter_import()
    rows = html_tables(client.get(PAGE))["monthly"]["rows"]
    assert rows == [["2024-01", "7"], ["2024-02", "no data"], ["2024-03", "0"]]
    assert csv_download(client, "monthly", "")[1:] == [["2024-01", "7"], ["2024-02", ""], ["2024-03", "0"]]


@pytest.mark.parametrize(
    ("query", "parameter", "message"),
    [
        ("from=2024-13", "from", "“2024-13” is not a calendar month: write it as YYYY-MM"),
        ("from=June+2024", "from", "“June 2024” is not a calendar month"),
        ("from=2024-6", "from", "“2024-6” is not a calendar month"),
        ("to=2024-00", "to", "“2024-00” is not a calendar month"),
        ("from=2024-06&to=2024-01", "to", "“to” (2024-01) is before “from” (2024-06)."),
        ("area=Atlantis", "area", "CBP&#39;s data has no area of responsibility called “Atlantis”"),
        ("region=Mars", "region", "“Mars” is not a land border region in CBP&#39;s data"),
    ],
)
def test_a_bad_parameter_is_a_400_that_names_it(client, db, query, parameter, message):
    EncounterCountFactory()
    response = client.get(f"{PAGE}?{query}")
    assert response.status_code == 400
    content = response.content.decode()
    assert f"<li><code>{parameter}</code>: " in content
    assert message in content
    assert 'aria-invalid="true"' in content
    assert "<svg" not in content
    csv_response = client.get(f"{PAGE}monthly.csv?{query}")
    assert csv_response.status_code == 400
    assert csv_response.content.decode().startswith(f"{parameter}: ")
    json_response = client.get(f"{PAGE}monthly.json?{query}")
    assert json_response.status_code == 400
    assert list(json_response.json()["errors"]) == [parameter]
    assert client.get(f"{PAGE}data.json?{query}").status_code == 400


def test_a_bad_value_is_shown_back_in_the_form_for_correcting(client, db):
    content = client.get(f"{PAGE}?from=2024-13&to=2024-06").content.decode()
    assert 'name="from" type="month" placeholder="YYYY-MM" pattern="[0-9]{4}-[0-9]{2}" value="2024-13"' in content
    assert 'value="2024-06"' in content


def test_no_rows_for_the_filters_says_so_with_no_empty_chart(client, db):
    EncounterCountFactory(fiscal_year=2024, month_abbv="JAN")
    response = client.get(f"{PAGE}?area=TCA&from=2020-01&to=2020-12")
    assert response.status_code == 200
    content = response.content.decode()
    assert "No official CBP data covers Tucson Sector (TCA), all regions (nationwide) from January 2020 to " in (
        content
    )
    assert "<svg" not in content and "<table" not in content
    assert 'id="methodology"' in content


def test_with_no_data_imported_the_page_and_an_area_link_still_answer(client, db):
    response = client.get(PAGE)
    assert response.status_code == 200
    assert "No official CBP data covers Southwest Land Border in the desk&#39;s database." in (
        response.content.decode()
    )
    response = client.get(f"{PAGE}?area=RGV&from=2024-06&to=2024-06")
    assert response.status_code == 200
    assert "No official CBP data covers RGV, all regions (nationwide) from June 2024 to June 2024" in (
        response.content.decode()
    )
    header, *rows = csv_download(client, "monthly", "area=RGV")
    assert header == ["month", "encounters"] and rows == []


def test_an_unknown_table_is_a_404(client, db):
    assert client.get(f"{PAGE}no-such-table.csv").status_code == 404
    assert client.get(f"{PAGE}no-such-table.json").status_code == 404


# --- A fixed number of queries, whatever the amount of data -------------------------------------------------------

AREAS = [
    ("Rio Grande Valley Sector", "RGV", "U.S. Border Patrol", SOUTHWEST),
    ("Tucson Sector", "TCA", "U.S. Border Patrol", SOUTHWEST),
    ("El Paso Field Office", "El Paso", "Office of Field Operations", SOUTHWEST),
    ("San Diego Field Office", "San Diego", "Office of Field Operations", "Other"),
    ("Blaine Sector", "BLW", "U.S. Border Patrol", "Northern Land Border"),
]


def crafted(*, months, areas, citizenships):
    """Rows for `months` months from October 2022, in `areas` areas, 2 demographics, `citizenships` citizenships."""
    rows = []
    month = datetime.date(2022, 10, 1)
    for _number in range(months):
        for name, abbv, component, region in AREAS[:areas]:
            for demographic in ("Single Adults", "FMUA"):
                for citizenship in range(citizenships):
                    rows.append(
                        encounter(
                            month,
                            area_of_responsibility=name,
                            aor_abbv=abbv,
                            component=component,
                            land_border_region=region,
                            demographic=demographic,
                            citizenship=f"COUNTRY {citizenship}",
                            title_of_authority="Title 8",
                            encounter_type="Apprehensions" if component == "U.S. Border Patrol" else "Inadmissibles",
                            encounter_count=citizenship + 1,
                        )
                    )
        month = datetime.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    EncounterCount.objects.bulk_create(rows)
    finish_encounter_import()
    return len(rows)


# Every count includes the content generation the page cache reads (1, briefings/page_cache/; public pages only
# read, so no transaction wraps them), and the list of areas of responsibility that the form offers and ?area= is
# checked against (1).
QUERIES_PER_ADDRESS = {
    # + one GROUP BY per table: months, areas, components, demographics, citizenships, encounter types
    PAGE: 8,
    f"{PAGE}?area=RGV&from=2022-10&to=2023-09": 8,
    # no rows for these months: the months table finds none, and nothing else is summed
    f"{PAGE}?from=2030-01": 3,
    f"{PAGE}?region=all": 8,
    # every table, as the page
    f"{PAGE}data.json": 8,
    # the table's GROUP BY; the JSON's source line also reads the months covered and, for a whole region, which
    # components the data holds (EncounterReport.component_gap)
    f"{PAGE}monthly.csv": 3,
    f"{PAGE}citizenships.csv?region=all": 3,
    f"{PAGE}monthly.json": 4,
    f"{PAGE}areas.json?region=all": 5,
    # the bad parameter is found before any table is summed
    f"{PAGE}?from=2023-13": 2,
}


@pytest.mark.parametrize(("months", "areas", "citizenships"), [(1, 1, 2), (24, 5, 15)])
def test_each_address_takes_a_fixed_number_of_queries(
    client, db, django_assert_num_queries, months, areas, citizenships
):
    rows = crafted(months=months, areas=areas, citizenships=citizenships)
    for address, queries in QUERIES_PER_ADDRESS.items():
        with django_assert_num_queries(queries, info=f"{address} with {rows} rows"):
            response = client.get(address)
        assert response.status_code in (200, 400), address


def test_the_larger_data_really_is_larger(client, db):
    """Guards the test above: with the larger data the page does list more of everything."""
    assert crafted(months=24, areas=5, citizenships=15) == 24 * 5 * 2 * 15
    tables = html_tables(client.get(f"{PAGE}?region=all"))
    assert len(tables["monthly"]["rows"]) == 24
    assert len(tables["areas"]["rows"]) == 5
    assert len(tables["citizenships"]["rows"]) == 11  # ten, then the rest summed
    assert html_tables(client.get(f"{PAGE}?region=all&area=RGV"))["monthly"]["rows"][0] == [
        "2022-10",
        f"{2 * sum(range(1, 16)):,}",
    ]


def test_the_filters_use_indexes(db):
    """The filters the page uses are indexed, so they need not read the whole table: months alone through the
    unique constraint (it starts with the month), an abbreviation through EncounterArea."""
    indexes = {tuple(index.fields) for index in EncounterCount._meta.indexes}
    assert ("land_border_region", "month") in indexes
    assert ("area_of_responsibility", "month") in indexes
    unique = [c.fields for c in EncounterCount._meta.constraints if isinstance(c, UniqueConstraint)]
    assert [fields[0] for fields in unique] == ["month"]
    assert ("aor_abbv",) in {tuple(index.fields) for index in EncounterArea._meta.indexes}


def test_the_area_list_comes_from_the_areas_the_importer_recorded(client, sample):
    """The form lists EncounterArea, which the importer fills; an abbreviation selects its area's rows."""
    assert set(EncounterArea.objects.values_list("area_of_responsibility", "aor_abbv")) == {
        (row["area_of_responsibility"], row["aor_abbv"]) for row in sample
    }
    options = set(re.findall(r'<option value="([^"]*)"', client.get(f"{PAGE}?region=all").content.decode()))
    assert {row["aor_abbv"] for row in sample} <= options
    rgv = EncounterCount.objects.for_area("RGV")
    assert rgv.count() == EncounterCount.objects.for_area("Rio Grande Valley Sector").count() > 0
    assert set(rgv.values_list("aor_abbv", flat=True)) == {"RGV"}


def test_json_is_utf8_and_keeps_non_ascii_text(client, db):
    EncounterCountFactory(citizenship="CÔTE D'IVOIRE")
    response = client.get(f"{PAGE}citizenships.json?region=all")
    assert response["Content-Type"] == "application/json"
    assert "CÔTE D'IVOIRE".encode() in response.content
    assert json.loads(response.content)["rows"] == [{"citizenship": "CÔTE D'IVOIRE", "encounters": 100}]
    assert reverse("briefings:encounter-table-json", args=["citizenships"]) == f"{PAGE}citizenships.json"
