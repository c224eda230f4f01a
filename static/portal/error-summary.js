// A form that comes back with problems: move the focus to its summary, so it is read out first and the
// links to each field are the next things the keyboard reaches.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }
});
