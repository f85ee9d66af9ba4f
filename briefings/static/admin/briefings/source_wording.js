// "Use the source's wording": each button (admin/briefings/change_form.html) moves beside the field whose passage
// was refused as not word for word, and on a click puts the source's closest passage in it.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("button.source-wording")) {
    const field = document.getElementById(button.dataset.for);
    if (!field) continue;
    button.addEventListener("click", () => {
      field.value = button.dataset.sourceWording;
      field.dispatchEvent(new Event("input", { bubbles: true }));
      field.focus();
    });
    field.insertAdjacentElement("afterend", button);
  }
});
