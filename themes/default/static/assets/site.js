// Small enhancements; every page works without them.
(function () {
  "use strict";
  // "Expand all abstracts" on listings.
  var toggle = document.querySelector(".toggle-all");
  var abstracts = document.querySelectorAll("details.abstract");
  if (toggle && abstracts.length) {
    toggle.hidden = false;
    toggle.setAttribute("aria-pressed", "false");
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-pressed") !== "true";
      abstracts.forEach(function (d) { d.open = open; });
      toggle.setAttribute("aria-pressed", String(open));
      toggle.textContent = open ? toggle.dataset.collapse : toggle.dataset.expand;
    });
  }
  // Copy buttons for BibTeX blocks.
  document.querySelectorAll("button.copy").forEach(function (button) {
    var target = document.getElementById(button.dataset.copy);
    if (!target || !navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(target.textContent).then(function () {
        button.textContent = "Copied";
        setTimeout(function () { button.textContent = "Copy"; }, 1500);
      });
    });
  });
})();
