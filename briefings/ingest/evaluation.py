"""Scoring the ingest assistant against hand-labelled texts (tests/data/ingest/, README there says how they are
labelled), for `make eval-ingest` and the tests.

Per kind: a proposal *finds* a label when their spans overlap (for the seed's quotes, which the desk recorded
sentence by sentence, when the proposed quote holds the label); precision is the share of proposals that find a
label, recall the share of labels found. Among the pairs found: anchors exact (the same start and end), values
right, ceilings right, speakers right. The goals of the issue are checked on the texts marked `unseen`.
"""

import datetime
import json
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from . import propose
from .documents import from_text
from .names import Directory, Known

GOALS = {
    "figure precision": 0.80,
    "figure recall": 0.90,
    "money recall": 1.0,
    "ceilings right": 1.0,
    "quote recall": 0.85,
    "speakers right": 0.85,
    "anchors exact": 1.0,
}


@dataclass
class Tally:
    proposed: int = 0
    labelled: int = 0
    proposals_finding: int = 0
    labels_found: int = 0
    exact: int = 0
    right: int = 0  # values, ceilings or speakers right, among the pairs found
    misses: list[str] = field(default_factory=list)
    extras: list[str] = field(default_factory=list)

    def add(self, other: "Tally") -> None:
        for name in ("proposed", "labelled", "proposals_finding", "labels_found", "exact", "right"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.misses += other.misses
        self.extras += other.extras

    @property
    def precision(self) -> float:
        return self.proposals_finding / self.proposed if self.proposed else 1.0

    @property
    def recall(self) -> float:
        return self.labels_found / self.labelled if self.labelled else 1.0

    @property
    def exact_share(self) -> float:
        return self.exact / self.labels_found if self.labels_found else 1.0

    @property
    def right_share(self) -> float:
        return self.right / self.labels_found if self.labels_found else 1.0


@dataclass
class Scores:
    texts: list[str] = field(default_factory=list)
    figures: Tally = field(default_factory=Tally)
    money: Tally = field(default_factory=Tally)
    offers: Tally = field(default_factory=Tally)
    quotes: Tally = field(default_factory=Tally)

    def add(self, other: "Scores") -> None:
        self.texts += other.texts
        for kind in ("figures", "money", "offers", "quotes"):
            getattr(self, kind).add(getattr(other, kind))

    def measures(self) -> dict[str, float]:
        return {
            "figure precision": self.figures.precision,
            "figure recall": self.figures.recall,
            "money recall": self.money.recall,
            "ceilings right": self.offers.right_share,
            "quote recall": self.quotes.recall,
            "speakers right": self.quotes.right_share,
            "anchors exact": min(self.figures.exact_share, self.offers.exact_share, self.quotes.exact_share),
        }

    def unmet(self) -> list[str]:
        measures = self.measures()
        return [f"{name} {measures[name]:.2f} < {goal:.2f}" for name, goal in GOALS.items() if measures[name] < goal]


def load_labels(path: Path) -> tuple[str, dict]:
    labels = json.loads(path.read_text(encoding="utf-8"))
    text = (path.parent / labels["text"]).read_text(encoding="utf-8")
    return text, labels


def score_text(text: str, labels: dict, directory: Directory | None = None, *, name: str = "") -> Scores:
    report_date = labels.get("report_date")
    document = from_text(text)
    if report_date:
        document.published_on = datetime.date.fromisoformat(report_date)
    proposals = propose(document, directory)["proposals"]
    of = {kind: [p for p in proposals if p["kind"] == kind] for kind in ("figure", "reward_offer", "quote")}
    scores = Scores(texts=[name])
    scores.figures = _tally(text, labels.get("figures", []), of["figure"], "as_printed", _value_right, name)
    money_labels = [label for label in labels.get("figures", []) if "$" in label["as_printed"]]
    money_proposals = [p for p in of["figure"] if "$" in p["as_printed"]]
    scores.money = _tally(text, money_labels, money_proposals, "as_printed", _value_right, name)
    scores.offers = _tally(
        text, labels.get("reward_offers", []), of["reward_offer"], "as_printed", _ceiling_right, name
    )
    holds = not labels.get("unseen", False)  # the seed's quotes are sentences of the quotes proposed
    scores.quotes = _tally(text, labels.get("quotes", []), of["quote"], "text", _speaker_right, name, holds=holds)
    return scores


def evaluate(folder: Path, directory: Directory | None = None, *, unseen: bool | None = None) -> Scores:
    """The scores of the labelled texts in `folder`: all of them, or only the unseen (True) or the seen (False)."""
    total = Scores()
    for path in sorted(folder.glob("*.json")):
        text, labels = load_labels(path)
        if unseen is not None and bool(labels.get("unseen")) != unseen:
            continue
        total.add(score_text(text, labels, directory, name=path.stem))
    return total


def seconds_for_words(words: int, folder: Path, directory: Directory | None = None) -> tuple[int, float]:
    """How long proposing takes for a report of about `words` words, made of the labelled texts (warm: the second
    of two runs, the first having loaded spaCy and built the name patterns)."""
    texts = [load_labels(path)[0] for path in sorted(folder.glob("*.json"))]
    report = ""
    while len(report.split()) < words:
        report += "\n\n".join(texts) + "\n\n"
    report = " ".join(report.split(" ")[:words])
    document = from_text(report)
    propose(document, directory)
    started = time.perf_counter()
    propose(document, directory)
    return len(report.split()), time.perf_counter() - started


def directory_from_fixtures(folder: Path) -> Directory:
    """The desk's names as a new deployment has them (fixtures/), without a database."""
    records = []
    for path in sorted(folder.glob("*.json")):
        for item in json.loads(path.read_text(encoding="utf-8")):
            fields, model = item["fields"], item["model"].split(".")[-1]
            if model == "organization":
                aliases = (fields["acronym"],) if fields.get("acronym") else ()
                records.append(Known("organization", fields["name"], fields["slug"], aliases))
            elif model in ("person", "place"):
                records.append(Known(model, fields["name"], fields["slug"]))
    return Directory(records)


def _anchor(text: str, label: dict, key: str) -> tuple[int, int]:
    words, position = label[key], -1
    for _ in range(label.get("occurrence", 1)):
        position = text.find(words, position + 1)
        if position == -1:
            raise ValueError(f"labelled {key} {words!r} (occurrence {label.get('occurrence', 1)}) is not in the text")
    if key == "text" and words.endswith(","):  # a quote's comma before its attribution is not part of it
        words = words[:-1]
    return position, position + len(words)


def _tally(text, labels, proposals, key, is_right, name, *, holds=False) -> Tally:
    tally = Tally(proposed=len(proposals), labelled=len(labels))
    spans = [_anchor(text, label, key) for label in labels]
    finding = set()
    for label, (start, end) in zip(labels, spans, strict=True):
        if holds:
            matches = [i for i, p in enumerate(proposals) if p["start"] <= start and end <= p["end"]]
        else:
            matches = [i for i, p in enumerate(proposals) if p["start"] < end and start < p["end"]]
        if not matches:
            tally.misses.append(f"{name}: {label[key]!r}")
            continue
        best = min(matches, key=lambda i: abs(proposals[i]["start"] - start) + abs(proposals[i]["end"] - end))
        finding.update(matches)
        tally.labels_found += 1
        proposal = proposals[best]
        tally.exact += (proposal["start"], proposal["end"]) == (start, end) or holds
        tally.right += is_right(label, proposal)
        if not is_right(label, proposal):
            tally.misses.append(f"{name}: {label[key]!r} found, but {_difference(label, proposal)}")
    tally.proposals_finding = len(finding)
    tally.extras = [f"{name}: {proposals[i].get(key)!r}" for i in range(len(proposals)) if i not in finding]
    return tally


def _value_right(label, proposal) -> bool:
    expected = label.get("value")
    got = proposal.get("value")
    return (expected is None and got is None) or (
        expected is not None and got is not None and Decimal(expected) == Decimal(got)
    )


def _ceiling_right(label, proposal) -> bool:
    return bool(label.get("is_ceiling")) == bool(proposal.get("is_ceiling"))


def _speaker_right(label, proposal) -> bool:
    def plain(words):
        return " ".join((words or "").lower().replace("’", "'").split()).removeprefix("the ")

    return plain(label.get("speaker")) == plain(proposal.get("speaker"))


def _difference(label, proposal) -> str:
    if "speaker" in label:
        return f"speaker {proposal.get('speaker')!r}, labelled {label['speaker']!r}"
    if "is_ceiling" in label:
        return f"is_ceiling {proposal.get('is_ceiling')}, labelled {label['is_ceiling']}"
    return f"value {proposal.get('value')!r}, labelled {label.get('value')!r}"
