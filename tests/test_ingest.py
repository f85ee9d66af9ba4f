"""The ingest assistant (briefings/ingest/): what it proposes from a report's text, anchored exactly, and what it
leaves out; `manage.py ingest_report`; the evaluation against the hand-labelled texts of tests/data/ingest/."""

import json
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefings.ingest import evaluation, propose
from briefings.ingest.documents import UnreadableDocument, from_text, read_file
from briefings.ingest.names import Directory, Known

DATA = Path(__file__).parent / "data"
LABELLED = DATA / "ingest"
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def proposals(text, kind, directory=None):
    return [p for p in propose(from_text(text), directory)["proposals"] if p["kind"] == kind]


def figures(text):
    return [p["as_printed"] for p in proposals(text, "figure")]


# --- figures ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Encounters were only about 200 per day.", [("only about 200", "200", "only_about", "per_day")]),
        ("It offered up to $5 million.", [("up to $5 million", "5000000", "up_to", "amount")]),
        ("There were fewer than 50 migrants.", [("fewer than 50", "50", "fewer_than", "at_a_time")]),
        ("A few hundred migrants live there.", [("A few hundred", None, "indefinite", "at_a_time")]),
        ("About two dozen migrants arrived.", [("About two dozen", "24", "about", "at_a_time")]),
        ("Encounters fell 21% in July.", [("21%", "21", "exact", "amount")]),
        ("They face a five-year ban.", [("five-year", "5", "exact", "duration")]),
        ("The task force marks its third anniversary.", [("third", "3", "exact", "duration")]),
        ("Fewer than 1 in 5 applicants win asylum.", [("Fewer than 1 in 5", "0.2", "fewer_than", "amount")]),
        ("It was above 110 degrees.", [("above 110", "110", "over", "at_a_time")]),
        ("Cameras work in 120-degree heat.", [("120-degree", "120", "exact", "amount")]),
        ("It is a 20-minute walk.", [("20-minute", "20", "exact", "duration")]),
        ("Crossings are far fewer than three years ago.", [("three", "3", "exact", "at_a_time")]),
        ("Nearly three-quarters of pupils are new.", [("Nearly three-quarters", "0.75", "nearly", "amount")]),
        ("It must hold no more than 900 people.", [("no more than 900", "900", "up_to", "at_a_time")]),
        ("A Six-Month Sweep", [("Six-Month", "6", "exact", "duration")]),
        ("Nearly one in four had no papers.", [("Nearly one in four", "0.25", "nearly", "amount")]),
        (
            "Roughly a third of them, up from a quarter, and more than half of us.",
            [
                ("Roughly a third", "0.3333", "about", "amount"),
                ("a quarter", "0.25", "exact", "amount"),
                ("more than half", "0.5", "over", "amount"),
            ],
        ),
        ("There were 19 in 2019.", [("19", "19", "exact", "at_a_time")]),
        (
            "It has 75 open cases and one investigator.",
            [("75", "75", "exact", "at_a_time"), ("one", "1", "exact", "at_a_time")],
        ),
    ],
)
def test_a_figure_is_its_words_read_as_the_desk_reads_them(sentence, expected):
    found = proposals(sentence, "figure")
    assert [(p["as_printed"], p["value"], p["qualifier"], p["period"]) for p in found] == expected
    for proposal in found:
        assert sentence[proposal["start"] : proposal["end"]] == proposal["as_printed"]
        assert proposal["sentence"] == sentence


@pytest.mark.parametrize(
    "sentence",
    [
        "The rule took effect on June 4, 2024, in fiscal year 2024.",
        "He was charged under 8 U.S.C. 1324(a)(1)(A)(v)(I) and Section 212(f).",
        "Title 42 ended at 10 a.m. on Interstate 35.",
        "Call (866) 347-2423 or 1-800-555-0100, or write to tips@example.gov.",
        "Juan Pérez, 34, of Laredo and a 45-year-old man were arrested.",
        "They waited for an interview via the CBP One app for the second time.",
        "Her daughters, ages 6 and 9, were with her.",
        "She pointed to H.R. 2, the House bill, at the shelter at 1418 Calle Ignacio Mejía.",
        "He was charged under 21 U.S.C. 952 and 960 by eleven in the morning, via the CBP One app.",
        "Families with children under 10 wait longest; her youngest 7 came at age 4.",
        "Lunch is at 12, prayers at 5 and a clinic at 9. He is 6 and she was 3.",
        "His mother, 71, lives in Rooms 114 through 131 at 601 E. Nolana Ave. with pupils in age from 4 to 20.",
        "It fell for a third month; by 9:05 callers dialed 089 at mile marker 38. Their son, Mateo, is 8 and sleeps.",
    ],
)
def test_numbers_that_count_nothing_are_left_out(sentence):
    assert figures(sentence) == []


def test_over_before_a_span_of_time_means_during_not_more_than():
    assert figures("The money is spread over five years to more than 300 officers.") == ["five", "more than 300"]


def test_a_stated_change_is_proposed_as_one():
    (percent, earlier) = proposals("Encounters were down 21% from 46,666 in June.", "figure")
    assert percent["change"] == {
        "direction": "down",
        "percent_as_printed": "21%",
        "from_as_printed": "46,666",
        "from_value": "46666",
    }
    assert earlier["as_printed"] == "46,666"


# --- reward offers ------------------------------------------------------------------------------------------------

REWARDS = (
    "The State Department's Transnational Organized Crime Rewards Program offers rewards.\n\n"
    "It is also offering $8 million in reward funds for information on the cartel.\n\n"
    "  • Up to $2 million for information leading to the arrest of any key leader of Clan del Golfo.\n"
    "  • A reward of $500,000 for information leading to the location of the network's accountant.\n\n"
    "Tips can be sent by calling toll-free (866) 347-2423 or online at www.ice.gov/tips\n\n"
    "The reporter can be reached at reporter@example.com."
)


def test_an_offer_has_its_amount_ceiling_criterion_target_program_and_tip_channels():
    directory = Directory([Known("organization", "Clan del Golfo", "clan-del-golfo")])
    offers = proposals(REWARDS, "reward_offer", directory)
    assert [(o["as_printed"], o["amount"], o["is_ceiling"]) for o in offers] == [
        ("Up to $2 million", "2000000", True),
        ("$500,000", "500000", False),
    ]
    first = offers[0]
    assert first["criterion"] == "information leading to the arrest of any key leader of Clan del Golfo"
    assert (first["target"], first["program"]) == ("clan-del-golfo", "Transnational Organized Crime Rewards Program")
    assert first["tip_channels"] == [
        {"kind": "phone", "value": "(866) 347-2423"},
        {"kind": "web", "value": "www.ice.gov/tips"},
    ]
    # The $8 million total is a figure, not an offer.
    assert "$8 million" in figures(REWARDS)


def test_an_offer_whose_for_comes_after_reward_or_after_a_comma():
    text = (
        "Crime Stoppers is offering a $2,000 reward for information leading to an arrest.\n\n"
        "The reward, up to $30,000, is for information leading to the arrest of her kidnappers."
    )
    offers = proposals(text, "reward_offer")
    assert [(o["as_printed"], o["is_ceiling"], o["criterion"]) for o in offers] == [
        ("$2,000", False, "information leading to an arrest"),
        ("up to $30,000", True, "information leading to the arrest of her kidnappers"),
    ]


def test_an_offer_whose_amount_is_available_or_offered_each():
    text = (
        "A reward of as much as $15,000 is available for information that leads to his arrest.\n\n"
        "Rewards of up to $5,000 each are also being offered for information identifying two drivers."
    )
    offers = proposals(text, "reward_offer")
    assert [(o["as_printed"], o["is_ceiling"], o["criterion"]) for o in offers] == [
        ("as much as $15,000", True, "information that leads to his arrest"),
        ("up to $5,000", True, "information identifying two drivers"),
    ]


def test_an_offer_offered_by_someone_and_one_that_could_reach_an_amount():
    text = (
        "A $15,000 reward is being offered by the FBI for information leading to an arrest.\n\n"
        "The reward, which could reach $30,000, would be paid for information that brings them home."
    )
    offers = proposals(text, "reward_offer")
    assert [(o["as_printed"], o["is_ceiling"], o["criterion"]) for o in offers] == [
        ("$15,000", False, "information leading to an arrest"),
        ("$30,000", True, "information that brings them home"),
    ]


def test_an_amount_offered_for_information_is_an_offer_without_the_word_reward():
    text = (
        "Valley Crime Stoppers is offering up to $2,500 for information that leads to an arrest. It pays $90 for bags."
    )
    offers = proposals(text, "reward_offer")
    assert [(o["as_printed"], o["is_ceiling"], o["criterion"]) for o in offers] == [
        ("up to $2,500", True, "information that leads to an arrest")
    ]


# --- quotes -------------------------------------------------------------------------------------------------------

QUOTES = (
    "Pastor Abraham Barberi runs a church in Matamoros.\n\n"
    "“Because of CBP One, people have decided to wait,” Barberi told Border Report. “You would see families "
    "cross the river.”\n\n"
    "Smugglers, known as “coyotes,” charge more now.\n\n"
    "“The trail is quieter,” said Deputy Attorney General Lisa Monaco. She added that the work goes on.\n\n"
    "“We will keep at it,” she said.\n\n"
    "“We are going after the very top,” a senior Department of Justice official said. “It will take time.\n\n"
    "“But it is working,” the official said."
)


HEARING = (
    "Sen. Margaret Ellsworth, R-Mont., chairs the Senate Homeland Security and Governmental Affairs Committee.\n\n"
    "“We are open,” said Leticia Arreola Domínguez, the director of a shelter for many on “el regreso.”\n\n"
    "“We watched this grow,” Ellsworth said.\n\n"
    "Arreola said the shelter would stay open.\n\n"
    "“We keep the beds made,” she said.\n\n"
    "“Congress has to finish the job,” the committee said in a statement."
)


def test_speakers_are_found_by_surname_pronoun_and_back_reference():
    assert [(q["text"], q["speaker"]) for q in proposals(HEARING, "quote")] == [
        ("We are open", "Leticia Arreola Domínguez"),
        ("We watched this grow", "Margaret Ellsworth"),
        ("We keep the beds made", "Leticia Arreola Domínguez"),
        ("Congress has to finish the job", "Senate Homeland Security and Governmental Affairs Committee"),
    ]


def test_one_counts_when_it_counts_something():
    assert figures("She faces one count of smuggling, one of the largest cases.") == ["one"]


def test_numbers_after_a_larger_one_are_no_share():
    assert figures("Agents counted 300 in 12 days and more than $330 billion in 2024.") == [
        "300",
        "12",
        "more than $330 billion",
    ]


PORT = (
    "Rebeca Salinas owns Salinas Freight Lines, a company with 42 trucks.\n\n"
    "“My drivers sat for four hours,” Salinas said.\n\n"
    "Delays are common, according to a CBP officer at the World Trade Bridge who was not authorized to speak.\n\n"
    "“We had trucks backed up by 6 a.m.,” the officer said.\n\n"
    "“The lines will shorten,” Harold Venn, a former port director, said in an interview.\n\n"
    "Salinas said she would believe it when she saw it. “I have heard that promise before,” she said."
)


def test_speakers_by_apposition_description_given_before_and_a_given_name_found_later():
    assert [q["speaker"] for q in proposals(PORT, "quote")] == [
        "Rebeca Salinas",
        "a CBP officer at the World Trade Bridge who was not authorized to speak",
        "Harold Venn",
        "Rebeca Salinas",
    ]


COUNCIL = (
    "“This is not a blank check,” said Councilor Adriana Baca-Lowe.\n\n"
    "“We keep being told the money is coming,” Councilor Dennis Harlan said.\n\n"
    "“If we wait, we will be waiting,” Baca-Lowe answered. “Today, at least.”\n\n"
    "Teresa Quintana, the shelter's director, wrote in an email that the plan “keeps the lights on.”\n\n"
    "According to Harlan, most guests “are on a bus by the end of the week.”\n\n"
    "The case is led by Homeland Security Investigations, which said in a statement that its agents “will follow "
    "every lead.”\n\n"
    "“Migrants will be moved safely,” Mexico’s National Migration Institute said."
)


def test_speakers_before_the_quote_after_that_according_to_which_and_without_titles():
    assert [(q["text"], q["speaker"]) for q in proposals(COUNCIL, "quote")] == [
        ("This is not a blank check", "Adriana Baca-Lowe"),
        ("We keep being told the money is coming", "Dennis Harlan"),
        ("If we wait, we will be waiting", "Adriana Baca-Lowe"),
        ("Today, at least.", "Adriana Baca-Lowe"),
        ("keeps the lights on.", "Teresa Quintana"),
        ("are on a bus by the end of the week.", "Dennis Harlan"),
        ("will follow every lead.", "Homeland Security Investigations"),
        ("Migrants will be moved safely", "National Migration Institute"),
    ]


COUNTY = (
    "Sheriff Ana P. Robles told commissioners the jail was full.\n\n"
    "“We are out of room,” Robles said.\n\n"
    "Tomás Ibarra Solís, director of a food bank, said donations had fallen. “We serve more every week,” Ibarra "
    "said.\n\n"
    "“The state must help,” the sheriff said.\n\n"
    "“We cannot say who we are talking to,” said a deputy in the county who spoke on condition of anonymity because "
    "deputies are not permitted to talk to reporters about cases that are still open.\n\n"
    "The Office of Field Operations, the CBP office that runs the ports, said in a statement that lanes would open. "
    "“Wait times will fall,” the office said.\n\n"
    "Marta Ruiz, whose farm borders the river, said the fence was cut twice. “It was cut at night,” she recalled.\n\n"
    "The sheriff summed up the week this way: “Nobody slept.”"
)


def test_speakers_by_title_role_a_long_description_an_organization_that_spoke_and_a_colon():
    assert [q["speaker"] for q in proposals(COUNTY, "quote")] == [
        "Ana P. Robles",
        "Tomás Ibarra Solís",
        "Ana P. Robles",
        "a deputy in the county who spoke on condition of anonymity because deputies are not permitted to talk to "
        "reporters about cases that are still open",
        "Office of Field Operations",
        "Marta Ruiz",
        "Ana P. Robles",
    ]


SHELTER = (
    "Its founder, the Rev. Tomás Ibáñez-Rojas, opened it in 2019, and it is full most nights, he says.\n\n"
    "Her mother, Elvira Soto de Ibarra, a retired nurse, has visited nine times. “Nobody calls me back,” Soto "
    "recalled.\n\n"
    "Her daughter, Inés Ibarra Luna, arrived in 2022.\n\n"
    "“The case remains open,” according to a statement from the Sonora Attorney General’s Office.\n\n"
    "“We saw her leave,” said Special Agent in Charge Ana M. Ruelas of the FBI Phoenix Field Office.\n\n"
    "A Border Patrol agent who was not authorized to speak publicly said crossings had fallen. “It is quiet,” the "
    "agent said.\n\n"
    "Soto prayed in the chapel with Ibáñez-Rojas. “I come to feel close to her,” she said.\n\n"
    "“Nobody goes out alone,” the pastor said.\n\n"
    "On the wall, a volunteer has written a line in marker: “Inés, we kept your bed.”"
)


def test_speakers_with_particles_shared_surnames_pronouns_that_agree_statements_and_titles():
    assert [(q["text"], q["speaker"]) for q in proposals(SHELTER, "quote")] == [
        ("Nobody calls me back", "Elvira Soto de Ibarra"),
        ("The case remains open", "Sonora Attorney General’s Office"),
        ("We saw her leave", "Ana M. Ruelas"),
        ("It is quiet", "a Border Patrol agent who was not authorized to speak publicly"),
        ("I come to feel close to her", "Elvira Soto de Ibarra"),
        ("Nobody goes out alone", "Tomás Ibáñez-Rojas"),
        ("Inés, we kept your bed.", "a volunteer"),
    ]


VILLAGE = (
    "“The north built this town,” said Mayor Tomás de la Cruz Ixcoy.\n\n"
    "Rosa María Chávez Pérez learned that her husband, Julio Ortiz Chávez, had been sent back. “I saw him on the "
    "news,” she said.\n\n"
    "Ortiz sleeps at the home of his mother, Elena Chávez de Ortiz. “Here I have nothing,” he said. “Nothing at "
    "all,” Chávez de Ortiz said.\n\n"
    "In a 40-page ruling, U.S. District Judge Ana Beltrán-Soto sided with the families. Lawyers for Marco Ruiz "
    "Ybarra, a detainee, had asked for more. The judge called the order “a first step.” She wrote that “the "
    "government has had its chance.”\n\n"
    "A DHS spokesperson said in an emailed statement that it would appeal. “We disagree with the court,” the "
    "statement said.\n\n"
    "“We are not just teaching English,” said María de los Ángeles Íñiguez Ortega, who runs the school."
)


def test_speakers_by_kinship_pronouns_that_agree_roles_statements_and_capitalized_accents():
    assert [(q["text"], q["speaker"]) for q in proposals(VILLAGE, "quote")] == [
        ("The north built this town", "Tomás de la Cruz Ixcoy"),
        ("I saw him on the news", "Rosa María Chávez Pérez"),
        ("Here I have nothing", "Julio Ortiz Chávez"),
        ("Nothing at all", "Elena Chávez de Ortiz"),
        ("a first step.", "Ana Beltrán-Soto"),
        ("the government has had its chance.", "Ana Beltrán-Soto"),
        ("We disagree with the court", "a DHS spokesperson"),
        ("We are not just teaching English", "María de los Ángeles Íñiguez Ortega"),
    ]


RIVER = (
    "The radio on Sgt. Tomás Ibarra’s boat crackles. Ibarra, a game warden, says the river is high.\n\n"
    "“It looks shallow,” he says.\n\n"
    "The couple, Lucía and Rodrigo Mena of Tegucigalpa, have walked for weeks.\n\n"
    "“We left because of the debts,” says Lucía.\n\n"
    "“Because of the men who came,” Rodrigo says.\n\n"
    "“We were not going to wait,” she says.\n\n"
    "“Every rescue is a family that almost didn’t make it.” That is how Capt. Irma Ochoa, who leads the wardens, "
    "puts it.\n\n"
    "“She has a strong claim,” according to her lawyer, Sandra Páez of a legal aid group.\n\n"
    "Border Patrol Agent Luis Campos, a spokesman, says agents have made 40 rescues since Oct. 1, “and every one "
    "starts with somebody who sees something.”\n\n"
    "Ma. del Rosario Vélez Cruz runs the shelter. She said the vans are watched.\n\n"
    "“We cannot guard every van,” Vélez said. “Our agents are not police,” said Julio de la Vega Ortiz.\n\n"
    "“We call the prosecutor,” de la Vega said."
)


def test_speakers_in_couples_next_sentences_fragments_and_names_with_abbreviations_and_particles():
    assert [q["speaker"] for q in proposals(RIVER, "quote")] == [
        "Tomás Ibarra",
        "Lucía Mena",
        "Rodrigo Mena",
        "Lucía Mena",
        "Irma Ochoa",
        "Sandra Páez",
        "Luis Campos",
        "Ma. del Rosario Vélez Cruz",
        "Julio de la Vega Ortiz",
        "Julio de la Vega Ortiz",
    ]


def test_a_pronoun_after_a_speaker_known_by_one_name_is_that_speaker():
    text = "“It is slow,” Cantú said. Cantú disagreed with the ruling.\n\n“It will not last,” he said."
    assert [q["speaker"] for q in proposals(text, "quote")] == ["Cantú", "Cantú"]


def test_quotes_have_their_words_and_speakers_and_scare_quotes_are_left_out():
    found = proposals(QUOTES, "quote")
    assert [(q["text"], q["speaker"]) for q in found] == [
        ("Because of CBP One, people have decided to wait", "Abraham Barberi"),
        ("You would see families cross the river.", "Abraham Barberi"),
        ("The trail is quieter", "Lisa Monaco"),
        ("We will keep at it", "Lisa Monaco"),
        ("We are going after the very top", "a senior Department of Justice official"),
        ("It will take time.", "a senior Department of Justice official"),
        ("But it is working", "a senior Department of Justice official"),
    ]
    for quote in found:
        assert QUOTES[quote["start"] : quote["end"]] == quote["text"]


# --- names --------------------------------------------------------------------------------------------------------


def test_names_are_matched_to_the_desks_records_even_misspelled_or_proposed_as_new():
    directory = Directory(
        [
            Known("organization", "State Department", "state-department"),
            Known("organization", "U.S. Customs and Border Protection", "cbp", ("CBP",)),
            Known("place", "Matamoros", "matamoros"),
        ]
    )
    text = "The State Departement and CBP met in Matamoros. Pastor Ana Ruiz runs the Casa Esperanza Shelter."
    names = {(p["kind"], p["name"], p["existing"]) for p in propose(from_text(text), directory)["proposals"]}
    assert {
        ("organization", "State Departement", "state-department"),
        ("organization", "CBP", "cbp"),
        ("place", "Matamoros", "matamoros"),
        ("person", "Ana Ruiz", None),
        ("organization", "Casa Esperanza Shelter", None),
    } <= names


# --- documents ----------------------------------------------------------------------------------------------------


def test_a_saved_web_page_gives_its_article_text_and_a_pdf_its_pages(tmp_path):
    page = tmp_path / "report.html"
    paragraph = "About 1,500 interviews are granted daily at U.S. ports of entry, officials said in a statement."
    page.write_text(
        "<html><head><title>Interviews granted</title></head><body><nav>Home | News</nav>"
        f"<article><h1>Interviews granted</h1><p>{paragraph}</p><p>{paragraph.replace('1,500', '1,600')}</p>"
        "</article><footer>Copyright</footer></body></html>",
        encoding="utf-8",
    )
    document = read_file(page)
    assert paragraph in document.text and "Copyright" not in document.text
    assert document.title == "Interviews granted"

    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(_pdf_with_text("About 1,500 interviews are granted daily."))
    assert read_file(pdf).text == "About 1,500 interviews are granted daily."

    with pytest.raises(UnreadableDocument, match="not UTF-8"):
        read_file(tmp_path / "latin.txt", "Pérez".encode("latin-1"))
    with pytest.raises(UnreadableDocument, match="not a readable PDF"):
        read_file(tmp_path / "broken.pdf", b"%PDF-1.4 nonsense")


def _pdf_with_text(words: str) -> bytes:
    """A one-page PDF whose text layer is `words` (Helvetica), built by hand: pypdf reads PDFs, it writes no text."""
    stream = f"BT /F1 12 Tf 72 720 Td ({words}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    body, offsets = b"%PDF-1.4\n", []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n" % number + content + b"\nendobj\n"
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    body += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    body += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return body


# --- the command --------------------------------------------------------------------------------------------------


def test_ingest_report_json_anchors_every_proposal_in_the_stored_text(seed):
    path = DATA / "border-report-2024-06-jtfa-darien.txt"
    out = StringIO()
    call_command("ingest_report", str(path), "--json", "--date", "2024-06-11", stdout=out)
    result = json.loads(out.getvalue())
    text = path.read_text(encoding="utf-8")
    assert result["source"]["length"] == len(text) and result["source"]["published_on"] == "2024-06-11"
    keys = {
        "figure": {"as_printed", "value", "qualifier", "unit", "period"},
        "reward_offer": {"as_printed", "amount", "is_ceiling", "criterion"},
        "quote": {"text", "speaker"},
        "organization": {"name", "existing"},
        "person": {"name", "existing"},
        "place": {"name", "existing"},
    }
    for proposal in result["proposals"]:
        assert {"kind", "start", "end", "sentence"} | keys[proposal["kind"]] <= set(proposal)
        words = proposal.get("as_printed") or proposal.get("text") or proposal.get("name")
        assert text[proposal["start"] : proposal["end"]] == words
        assert proposal["sentence"] in text
    kinds = {proposal["kind"] for proposal in result["proposals"]}
    assert kinds == set(keys)
    # Names the desk already has are matched to its records.
    matched = {p["existing"] for p in result["proposals"] if p["kind"] == "organization" and p["existing"]}
    assert "clan-del-golfo" in matched


def test_ingest_report_says_what_is_wrong_with_a_file(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        call_command("ingest_report", str(tmp_path / "missing.txt"))
    (tmp_path / "empty.txt").write_text("  \n", encoding="utf-8")
    with pytest.raises(CommandError, match="The report is empty"):
        call_command("ingest_report", str(tmp_path / "empty.txt"))
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("ingest_report", str(DATA / "border-report-2024-06-jtfa-darien.txt"), "--date", "June 11")


# --- measured against the labelled texts --------------------------------------------------------------------------


def test_on_the_seed_report_it_finds_every_figure_quote_and_offer_the_desk_recorded():
    text, labels = evaluation.load_labels(LABELLED / "seed-border-report.json")
    scores = evaluation.score_text(text, labels, evaluation.directory_from_fixtures(FIXTURES), name="seed")
    assert (scores.figures.recall, scores.offers.recall, scores.quotes.recall) == (1.0, 1.0, 1.0)
    assert (scores.figures.right_share, scores.offers.right_share, scores.quotes.right_share) == (1.0, 1.0, 1.0)


def test_the_goals_hold_on_the_texts_the_rules_were_corrected_on():
    """A regression guard: the seed and the batches the rules have been corrected on stay at the goals. The texts
    still unseen are scored by `make eval-ingest`, not here, so that no rule is written to pass them."""
    scores = evaluation.evaluate(LABELLED, evaluation.directory_from_fixtures(FIXTURES), unseen=False)
    assert len(scores.texts) >= 6
    assert scores.unmet() == []


def test_every_label_is_in_its_text():
    for path in LABELLED.glob("*.json"):
        text, labels = evaluation.load_labels(path)
        for kind, key in (("figures", "as_printed"), ("reward_offers", "as_printed"), ("quotes", "text")):
            for label in labels.get(kind, []):
                start, end = evaluation._anchor(text, label, key)
                assert text[start:end] == label[key].removesuffix(","), path.name
                if "value" in label and label["value"] is not None:
                    Decimal(label["value"])


# --- any text -----------------------------------------------------------------------------------------------------

PIECES = [
    "said", "she said", "he", "Sen.", "the Rev.", "Ana", "Ruiz", "Ana Ruiz", "CBP", "the agency", "about", "up to",
    "$5 million", "21%", "46,666", "2024", "June 4,", "five-year", "third anniversary", "hundreds", "a few",
    "“", "”", '"', "‘", "’", ",", ".", "?", ":", " — ", "\n", "\n\n", "(866) 347-2423", "www.ice.gov", "for",
    "information leading to", "reward", "from", "down", "U.S.", "1324(a)", "Title 42", " ", " ", " ",
]  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES) | st.text(max_size=6), max_size=60))
def test_any_text_gets_proposals_anchored_in_it_and_never_an_error(pieces):
    text = " ".join(pieces)
    if not text.strip() or "\x00" in text:
        with pytest.raises(UnreadableDocument):  # empty, or a NUL the database would refuse: said, not a 500
            from_text(text)
        return
    document = from_text(text)
    for proposal in propose(document)["proposals"]:
        words = proposal.get("as_printed") or proposal.get("text") or proposal.get("name")
        assert document.text[proposal["start"] : proposal["end"]] == words
        assert proposal["sentence"] in document.text
