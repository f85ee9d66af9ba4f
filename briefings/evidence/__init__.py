"""What holds a figure or a quote to its source: reading printed numbers, finding sentences, showing where a
typed passage differs, and the rules built from them (rules.py). Plain Python over text: it imports no model."""
