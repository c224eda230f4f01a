// A long list of checkboxes (pupils, parents, staff) gets a box that narrows it as you type. The list
// stays a plain group of checkboxes, so it works on touch, with the keyboard and with a screen reader,
// and without this script; ticked choices are never hidden; a polite status says how many are shown.
document.addEventListener("DOMContentLoaded", () => {
  const LONG_LIST = 8;
  document.querySelectorAll("fieldset").forEach((group, index) => {
    const options = Array.from(group.querySelectorAll("input[data-choice-filter]"));
    if (options.length <= LONG_LIST) {
      return;
    }
    const legend = group.querySelector("legend");
    const name = legend ? legend.textContent.replace("*", "").trim() : "the list";
    const id = `choice-filter-${index}`;
    const box = document.createElement("div");
    box.className = "mb-2 choice-filter";
    const label = document.createElement("label");
    label.className = "form-label";
    label.htmlFor = id;
    label.textContent = `Find in “${name}”`;
    const input = document.createElement("input");
    input.type = "search";
    input.id = id;
    input.className = "form-control";
    input.autocomplete = "off";
    const status = document.createElement("p");
    status.className = "form-text mb-0";
    status.setAttribute("role", "status");
    box.append(label, input, status);
    (legend || group.firstChild).after(box);

    const rows = options.map((option) => ({
      option,
      row: option.closest(".form-check") || option.parentElement,
      text: (option.labels[0] ? option.labels[0].textContent : "").toLowerCase(),
    }));
    input.addEventListener("input", () => {
      const words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      let shown = 0;
      rows.forEach(({ option, row, text }) => {
        const match = option.checked || words.every((word) => text.includes(word));
        row.hidden = !match;
        shown += match ? 1 : 0;
      });
      status.textContent = words.length ? `${shown} of ${rows.length} shown` : "";
    });
  });
});
