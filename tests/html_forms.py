"""Read a rendered form the way a browser submits it, so tests post exactly what staff would."""

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.in_form = False
        self.data = []
        self._textarea = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.in_form = self.form_id is None or attrs.get("id") == self.form_id
            return
        if not self.in_form or "name" not in attrs and tag != "option":
            return
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in {"submit", "button", "image", "reset", "file"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            self.data.append((attrs["name"], attrs.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "textarea":
            self._textarea = [attrs["name"], ""]
        elif tag == "select":
            self._select = attrs["name"]
        elif tag == "option" and self._select and "selected" in attrs:
            self.data.append((self._select, attrs.get("value", "")))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False
        elif tag == "textarea" and self._textarea is not None:
            name, text = self._textarea
            # Browsers drop the one newline Django puts right after <textarea>.
            self.data.append((name, text[1:] if text.startswith("\n") else text))
            self._textarea = None
        elif tag == "select":
            self._select = None


def form_data(html, form_id=None) -> dict:
    """{name: value, or a list of values for multiple selections} as the form in `html` would submit."""
    reader = _FormReader(form_id)
    reader.feed(html)
    data = {}
    for name, value in reader.data:
        if name in data:
            data[name] = [*data[name], value] if isinstance(data[name], list) else [data[name], value]
        else:
            data[name] = value
    return data


def inline_correction(figure, text="The figure was misattributed.") -> dict:
    """What the briefing change form adds to its POST when staff fill in one new correction of `figure` inline."""
    return {
        "corrections-TOTAL_FORMS": "1",
        "corrections-0-text_en": text,
        "corrections-0-figure": str(figure.pk),
        "corrections-0-published_at_0": "2024-06-12",
        "corrections-0-published_at_1": "09:00:00",
    }
