// Text boxes with suggestions (briefings/admin/entry.py SuggestionsInput): a row added to an inline is a copy of
// the empty row, whose ids Django renumbers but whose `list` attribute it does not. Point it at its own datalist.
"use strict";
document.addEventListener("formset:added", (event) => {
  for (const input of event.target.querySelectorAll("input[list]")) {
    input.setAttribute("list", `${input.id}-suggestions`);
  }
});
