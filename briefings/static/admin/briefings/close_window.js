// The “Close this window” button of a “+” window whose new record is held for review (held_in_popup.html).
document.querySelectorAll("[data-close-window]").forEach((button) => {
  button.addEventListener("click", () => window.close());
});
