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
