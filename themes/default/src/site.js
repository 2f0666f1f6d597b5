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
  function copies(button, target) {
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(target.textContent).then(function () {
        button.textContent = "Copied";
        setTimeout(function () { button.textContent = "Copy"; }, 1500);
      });
    });
  }
  document.querySelectorAll("button.copy").forEach(function (button) {
    var target = document.getElementById(button.dataset.copy);
    if (!target || !navigator.clipboard) return;
    button.hidden = false;
    copies(button, target);
  });

  // BibTeX in place on listings: the "BibTeX" button shows the paper's cite.bib below the entry's
  // buttons, with a Copy button, without leaving the page. Without JavaScript (or when the file
  // cannot be read) it leads to the BibTeX on the paper's page.
  document.querySelectorAll('.pub-links a[href$="#bibtex"]').forEach(function (link, index) {
    var box = null;
    link.setAttribute("role", "button");
    link.setAttribute("aria-expanded", "false");
    link.addEventListener("click", function (event) {
      if (event.metaKey || event.ctrlKey || event.shiftKey) return;
      event.preventDefault();
      if (box) {
        box.hidden = !box.hidden;
        link.setAttribute("aria-expanded", String(!box.hidden));
        return;
      }
      fetch(link.href.replace(/#bibtex$/, "cite.bib")).then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.text();
      }).then(function (text) {
        box = document.createElement("div");
        box.className = "cite-box";
        box.id = "cite-" + index;
        var pre = document.createElement("pre");
        pre.textContent = text.trim();
        box.appendChild(pre);
        if (navigator.clipboard) {
          var button = document.createElement("button");
          button.type = "button";
          button.className = "btn copy";
          button.textContent = "Copy";
          copies(button, pre);
          box.appendChild(button);
        }
        link.parentNode.parentNode.insertAdjacentElement("afterend", box);
        link.setAttribute("aria-controls", box.id);
        link.setAttribute("aria-expanded", "true");
      })["catch"](function () { window.location.href = link.href; });
    });
  });
})();
