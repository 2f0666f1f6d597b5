// Search and filters for the publications page, on the static page alone (no server, no index file):
// the index is built once from the entries already in the page. The state lives in the query string.
(function () {
  "use strict";
  var form = document.getElementById("pub-filters");
  if (!form) return;
  var status = document.getElementById("filter-status");
  var fields = ["q", "year", "venue", "tag", "selected"];

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  function textOf(article, selector) {
    var el = article.querySelector(selector);
    return el ? el.textContent : "";
  }

  // Built on first use (a filter in the address, or the reader's first input), not on page load.
  var entries = null;
  var sections = null;
  function buildIndex() {
    var byElement = new Map();
    entries = Array.prototype.map.call(document.querySelectorAll("article.publication"), function (a) {
      var entry = {
        el: a,
        shown: true,
        text: fold([":scope > .p-name", ".pub-authors", ".pub-venue", ".badge", ".p-summary"]
          .map(function (s) { return textOf(a, s); }).join(" ")),
        year: textOf(a, ".dt-published") || textOf(a, ".forthcoming"),
        venue: textOf(a, ".badge") || textOf(a, ".p-publication"),  // as the venue list names it
        tags: (a.dataset.tags || "").split("|"),
        selected: a.classList.contains("selected")
      };
      byElement.set(a, entry);
      return entry;
    });
    sections = Array.prototype.map.call(document.querySelectorAll("section.year"), function (s) {
      var link = document.querySelector('.year-index a[href="#' + s.id + '"]');
      return { el: s, item: link && link.parentElement,
               entries: Array.prototype.map.call(s.querySelectorAll("article.publication"),
                                                 function (a) { return byElement.get(a); }) };
    });
  }

  function state() {
    var data = {};
    fields.forEach(function (name) {
      var field = form.elements[name];
      if (!field) return;
      data[name] = field.type === "checkbox" ? (field.checked ? "1" : "") : field.value.trim();
    });
    return data;
  }

  function apply() {
    if (!entries) buildIndex();
    var s = state();
    var terms = fold(s.q || "").split(/\s+/).filter(Boolean);
    var count = 0;
    entries.forEach(function (e) {
      var show = (!s.year || e.year === s.year) && (!s.venue || e.venue === s.venue) &&
        (!s.tag || e.tags.indexOf(s.tag) !== -1) && (!s.selected || e.selected) &&
        terms.every(function (t) { return e.text.indexOf(t) !== -1; });
      if (show !== e.shown) { e.el.hidden = !show; e.shown = show; }
      if (show) count++;
    });
    sections.forEach(function (sec) {
      var any = sec.entries.some(function (e) { return e.shown; });
      sec.el.hidden = !any;
      if (sec.item) sec.item.hidden = !any;
    });
    var filtered = fields.some(function (name) { return s[name]; });
    status.textContent = !filtered ? "" : count === 0 ? "No publications match." :
      count + " of " + entries.length + " publications shown.";
    return s;
  }

  function saveToUrl(s) {
    var params = new URLSearchParams();
    fields.forEach(function (name) { if (s[name]) params.set(name, s[name]); });
    var query = params.toString();
    history.replaceState(null, "", location.pathname + (query ? "?" + query : "") + location.hash);
  }

  function restoreFromUrl() {
    var params = new URLSearchParams(location.search);
    fields.forEach(function (name) {
      var field = form.elements[name];
      var value = params.get(name);
      if (!field || value === null) return;
      if (field.type === "checkbox") { field.checked = value === "1"; return; }
      field.value = value;
      if (field.value !== value) field.value = "";  // a year or venue this list does not have
    });
  }

  // The panel folds behind one "Search and filter" button on phones, and everywhere on small lists
  // (the stylesheet decides); a filtered address opens it.
  var toggle = document.getElementById("filter-toggle");
  function unfold(open) {
    form.classList.toggle("open", open);
    if (toggle) toggle.setAttribute("aria-expanded", String(open));
  }
  if (toggle) {
    toggle.addEventListener("click", function () {
      unfold(!form.classList.contains("open"));
      if (form.classList.contains("open")) form.elements.q.focus();
    });
  }
  if (location.search) {
    restoreFromUrl();
    unfold(fields.some(function (name) { return state()[name]; }));
    apply();
  }
  // The list follows every keystroke; the address waits for a pause in typing (browsers throttle
  // history updates, and the address bar need not change on every letter).
  var pending = 0;
  function update() {
    var s = apply();
    clearTimeout(pending);
    pending = setTimeout(function () { saveToUrl(s); }, 300);
  }
  form.addEventListener("focusin", function () { if (!entries) buildIndex(); });  // before the first key
  window.addEventListener("pagehide", function () {  // leaving before the pause: keep the view
    if (entries) { clearTimeout(pending); saveToUrl(state()); }
  });
  form.addEventListener("input", update);
  form.addEventListener("change", update);
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.addEventListener("reset", function () { setTimeout(update, 0); });
})();
