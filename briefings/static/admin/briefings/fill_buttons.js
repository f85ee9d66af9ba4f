// Buttons that fill a field in one click (admin/briefings/change_form.html): each moves beside its field and, on
// a click, puts its value there (the source's wording, or the version saved meanwhile).
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("button.fill-field")) {
    const field = document.getElementById(button.dataset.for);
    if (!field) continue;
    button.addEventListener("click", () => {
      field.value = button.dataset.value;
      field.dispatchEvent(new Event("input", { bubbles: true }));
      field.dispatchEvent(new Event("change", { bubbles: true }));
      field.focus();
    });
    field.insertAdjacentElement("afterend", button);
  }
});
