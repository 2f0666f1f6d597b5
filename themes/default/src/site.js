// Small enhancements; every page works without them.
(function () {
  "use strict";
  var root = document.documentElement;

  // Dark theme toggle: follows prefers-color-scheme until the reader chooses; the choice is kept in
  // localStorage and applied before the first paint by the inline script in <head>.
  var toggle = document.getElementById("theme-toggle");
  var darkQuery = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;
  function isDark() {
    return root.dataset.theme ? root.dataset.theme === "dark" : !!(darkQuery && darkQuery.matches);
  }
  function showTheme() { toggle.setAttribute("aria-pressed", String(isDark())); }
  if (toggle) {
    showTheme();
    toggle.addEventListener("click", function () {
      var next = isDark() ? "light" : "dark";
      root.dataset.theme = next;
      try { localStorage.setItem("theme", next); } catch (e) { /* private mode: this page only */ }
      showTheme();
    });
    if (darkQuery && darkQuery.addEventListener) darkQuery.addEventListener("change", showTheme);
  }

  // Long author lists: the names past the limit fold behind an "and K more" button.
  document.querySelectorAll(".more-count").forEach(function (marker) {
    var list = marker.parentElement;  // the author list's element, marked .open when unfolded
    var count = marker.dataset.count;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "more-toggle";
    button.setAttribute("aria-expanded", "false");
    button.textContent = "and " + count + " more";
    button.addEventListener("click", function () {
      var open = list.classList.toggle("open");
      button.setAttribute("aria-expanded", String(open));
      button.textContent = open ? "show fewer" : "and " + count + " more";
    });
    marker.replaceWith(button);
  });

  // "Expand all abstracts" on listings.
  var expand = document.querySelector(".toggle-all");
  var abstracts = document.querySelectorAll("details.abstract");
  if (expand && abstracts.length) {
    expand.setAttribute("aria-pressed", "false");
    expand.addEventListener("click", function () {
      var open = expand.getAttribute("aria-pressed") !== "true";
      abstracts.forEach(function (d) { d.open = open; });
      expand.setAttribute("aria-pressed", String(open));
      expand.textContent = open ? expand.dataset.collapse : expand.dataset.expand;
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
