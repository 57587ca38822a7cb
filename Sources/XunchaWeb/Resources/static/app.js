// Small progressive enhancements; every page works without this file.
// Forms marked data-confirm ask before a destructive act.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form.getAttribute && form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
// "Back" links on error pages (the CSP forbids javascript: URLs, so this listens instead).
document.addEventListener("click", function (event) {
  var link = event.target.closest && event.target.closest("a[data-back]");
  if (link && window.history.length > 1) {
    event.preventDefault();
    window.history.back();
  }
});
// Buttons marked data-print print the page (the print stylesheet keeps only the list).
document.addEventListener("click", function (event) {
  var button = event.target.closest && event.target.closest("[data-print]");
  if (button) {
    event.preventDefault();
    window.print();
  }
});
// One menu group open at a time; a click elsewhere closes it.
document.addEventListener("click", function (event) {
  var inside = event.target.closest && event.target.closest("details.nav-group");
  document.querySelectorAll("details.nav-group[open]").forEach(function (group) {
    if (group !== inside) { group.removeAttribute("open"); }
  });
});
// Buttons marked data-copy="#id" copy that element's text (the year-end summary) to the clipboard.
document.addEventListener("click", function (event) {
  var button = event.target.closest && event.target.closest("[data-copy]");
  if (!button) { return; }
  var source = document.querySelector(button.getAttribute("data-copy"));
  if (!source || !navigator.clipboard) { return; }
  navigator.clipboard.writeText(source.textContent.trim()).then(function () {
    button.textContent = "已复制";
  });
});
// On a narrow screen a ledger's rows read as stacked cards: each cell is labelled with its
// column's header (the stylesheet shows the label below ~700 px). Without this file the table
// scrolls inside its own frame instead.
document.querySelectorAll("table.data").forEach(function (table) {
  var head = table.tHead;
  if (!head || head.rows.length !== 1) { return; }
  var labels = [];
  for (var i = 0; i < head.rows[0].cells.length; i++) {
    var th = head.rows[0].cells[i];
    if (th.colSpan > 1) { return; }
    labels.push(th.textContent.replace(/\s+/g, " ").trim());
  }
  for (var b = 0; b < table.tBodies.length; b++) {
    for (var r = 0; r < table.tBodies[b].rows.length; r++) {
      var cells = table.tBodies[b].rows[r].cells;
      if (cells.length !== labels.length) { continue; }
      for (var c = 0; c < cells.length; c++) { cells[c].setAttribute("data-label", labels[c]); }
    }
  }
  table.classList.add("stackable");
});
// Fields that apply to one choice only (data-shown-when="name=value": 移交线索's fields, the 报告周期
// of 长期坚持) appear with that choice. Without this file they are always shown, their labels
// saying when they apply.
document.querySelectorAll("[data-shown-when]").forEach(function (block) {
  var form = block.closest("form");
  var rule = block.getAttribute("data-shown-when").split("=");
  if (!form || rule.length !== 2) { return; }
  var update = function () {
    var chosen = form.querySelector('[name="' + rule[0] + '"]:checked') || form.querySelector('select[name="' + rule[0] + '"]');
    block.hidden = !chosen || chosen.value !== rule[1];
  };
  form.addEventListener("change", function (event) {
    if (event.target.name === rule[0]) { update(); }
  });
  update();
});
