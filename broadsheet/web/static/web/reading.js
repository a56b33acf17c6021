/* Broadsheet reading enhancements. The page works without this file: notes are
   endnotes, the contents list is a list, the theme follows the system.
   With it: a theme toggle, sidenotes in the margin on wide screens, note popovers
   on narrow ones, back-links to the exact reference, the current section marked. */
(function () {
  "use strict";
  var doc = document, root = doc.documentElement;
  var THEME_KEY = "broadsheet-theme";

  function themeToggle() {
    var button = doc.querySelector(".theme-toggle");
    if (!button) return;
    var dark = matchMedia("(prefers-color-scheme: dark)");
    function isDark() {
      return root.dataset.theme ? root.dataset.theme === "dark" : dark.matches;
    }
    function sync() { button.setAttribute("aria-pressed", String(isDark())); }
    button.addEventListener("click", function () {
      var theme = isDark() ? "light" : "dark";
      root.dataset.theme = theme;
      try { localStorage.setItem(THEME_KEY, theme); } catch (e) { /* private mode */ }
      sync();
    });
    if (dark.addEventListener) dark.addEventListener("change", sync);
    sync();
    button.hidden = false;
  }

  /* The notes of the article, keyed by number: the endnote and every reference to it. */
  function collectNotes(article) {
    var notes = [], byId = {};
    article.querySelectorAll(".notes-list > li[id]").forEach(function (item) {
      var note = { id: item.id, item: item, refs: [], label: item.getAttribute("value") || "" };
      byId[item.id] = note;
      notes.push(note);
    });
    article.querySelectorAll(".note-ref a[href^='#']").forEach(function (ref) {
      var note = byId[ref.getAttribute("href").slice(1)];
      if (note) { note.refs.push(ref); ref._note = note; }
    });
    return notes.filter(function (note) { return note.refs.length; });
  }

  /* A copy of a note's text without its back-link, for the margin or a popover. */
  function noteContent(note, focusable) {
    var fragment = doc.createDocumentFragment();
    note.item.childNodes.forEach(function (node) { fragment.appendChild(node.cloneNode(true)); });
    fragment.querySelectorAll(".note-backref").forEach(function (link) { link.remove(); });
    fragment.querySelectorAll("[id]").forEach(function (el) { el.removeAttribute("id"); });
    if (!focusable) {
      fragment.querySelectorAll("a, button, input, select, textarea, [tabindex]").forEach(function (el) {
        el.setAttribute("tabindex", "-1");
      });
    }
    return fragment;
  }

  /* Whether the stylesheet gives notes a margin (its --sidenotes switch, set at 64em). */
  function wide() {
    return getComputedStyle(root).getPropertyValue("--sidenotes").trim() === "1";
  }

  function buildSidenotes(article, notes) {
    var rail = doc.createElement("div");
    rail.className = "sidenotes";
    /* Duplicates of the endnotes: screen readers get the endnotes once, not twice. */
    rail.setAttribute("aria-hidden", "true");
    notes.forEach(function (note) {
      var el = doc.createElement("aside");
      el.className = "sidenote";
      el.dataset.note = note.label;
      var number = doc.createElement("span");
      number.className = "sidenote-number";
      number.textContent = note.label;
      el.appendChild(noteContent(note, false));
      var first = el.querySelector("p") || el;
      first.insertBefore(number, first.firstChild);
      rail.appendChild(el);
      note.sidenote = el;
      function activate(on) {
        el.classList.toggle("is-active", on);
        note.refs.forEach(function (ref) { ref.classList.toggle("is-active", on); });
      }
      el.addEventListener("mouseenter", function () { activate(true); });
      el.addEventListener("mouseleave", function () { activate(false); });
      note.refs.forEach(function (ref) {
        ref.addEventListener("mouseenter", function () { activate(true); });
        ref.addEventListener("mouseleave", function () { activate(false); });
        ref.addEventListener("focus", function () { activate(true); });
        ref.addEventListener("blur", function () { activate(false); });
      });
    });
    article.appendChild(rail);
    return rail;
  }

  /* Sidenotes are built the first time the margin exists, then kept in step with the
     text: each starts level with its reference, or just below the one before it. */
  function sidenotes(article, notes) {
    var rail = null, pending = 0, GAP = 12;
    function layout() {
      pending = 0;
      if (!wide()) return;
      if (!rail) rail = buildSidenotes(article, notes);
      /* All reads, then all writes: one layout, not one per note. */
      var top0 = rail.getBoundingClientRect().top, railHeight = rail.offsetHeight;
      var wanted = notes.map(function (note) {
        return [note.refs[0].getBoundingClientRect().top - top0 - 4, note.sidenote.offsetHeight];
      });
      var bottom = 0;
      wanted.forEach(function (box, i) {
        var top = Math.max(Math.round(box[0]), bottom);
        notes[i].sidenote.style.top = top + "px";
        bottom = top + box[1] + GAP;
      });
      article.style.marginBottom = bottom > railHeight ? bottom - railHeight + "px" : "";
    }
    function schedule() { if (!pending) pending = requestAnimationFrame(layout); }
    schedule();
    addEventListener("resize", schedule);
    addEventListener("load", schedule);
    if (doc.fonts && doc.fonts.ready) doc.fonts.ready.then(schedule);
    if (window.ResizeObserver) new ResizeObserver(schedule).observe(article.querySelector(".article-body") || article);
  }

  function popovers(notes) {
    var open = null; /* {popover, ref} */
    function close(returnFocus) {
      if (!open) return;
      var current = open;
      open = null;
      current.popover.remove();
      if (returnFocus) current.ref.focus({ preventScroll: true });
    }
    function place(popover, ref) {
      var r = ref.getBoundingClientRect(), width = popover.offsetWidth, height = popover.offsetHeight;
      var vw = root.clientWidth, vh = innerHeight, margin = 12;
      var left = Math.min(Math.max(margin, r.left + r.width / 2 - width / 2), vw - width - margin);
      var below = vh - r.bottom, top = r.bottom + 8;
      if (below < height + 16 && r.top > below) top = r.top - height - 8;
      popover.style.left = Math.max(margin, left) + scrollX + "px";
      popover.style.top = Math.max(margin, top) + scrollY + "px";
    }
    function openFor(ref) {
      close(false);
      var note = ref._note;
      var popover = doc.createElement("div");
      popover.className = "note-popover";
      popover.setAttribute("role", "dialog");
      popover.setAttribute("aria-label", "Note " + note.label);
      popover.tabIndex = -1;
      popover.appendChild(noteContent(note, true));
      var button = doc.createElement("button");
      button.type = "button";
      button.className = "note-popover-close";
      button.setAttribute("aria-label", "Close note " + note.label);
      button.textContent = "×";
      button.addEventListener("click", function () { close(true); });
      popover.appendChild(button);
      doc.body.appendChild(popover);
      place(popover, ref);
      open = { popover: popover, ref: ref };
      popover.focus({ preventScroll: true });
    }
    doc.addEventListener("click", function (event) {
      var ref = event.target.closest && event.target.closest(".note-ref a");
      if (ref && ref._note && !wide()) {
        event.preventDefault();
        if (open && open.ref === ref) close(true); else openFor(ref);
      } else if (open && !open.popover.contains(event.target)) {
        close(false);
      }
    });
    doc.addEventListener("keydown", function (event) {
      if (open && event.key === "Escape") { event.preventDefault(); close(true); }
    });
    doc.addEventListener("focusin", function (event) {
      if (open && !open.popover.contains(event.target) && event.target !== open.ref) close(false);
    });
    addEventListener("resize", function () { if (open) place(open.popover, open.ref); });
  }

  /* Stored HTML from before per-reference back-links has one back-link per note:
     point it at the reference the reader came from. */
  function exactBackLinks(notes) {
    notes.forEach(function (note) {
      var backs = note.item.querySelectorAll(".note-backref");
      if (backs.length !== 1 || note.refs.length < 2) return;
      note.refs.forEach(function (ref) {
        ref.addEventListener("click", function () {
          if (ref.id) backs[0].setAttribute("href", "#" + ref.id);
        });
      });
    });
  }

  function currentSection(article) {
    var links = article.querySelectorAll(".toc a[href^='#']");
    if (!links.length || !window.IntersectionObserver) return;
    var sections = [];
    links.forEach(function (link) {
      var heading = doc.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
      if (heading) sections.push({ heading: heading, link: link });
    });
    var marked = null;
    function update() {
      var line = innerHeight * 0.3, current = null;
      sections.forEach(function (s) { if (s.heading.getBoundingClientRect().top <= line) current = s; });
      if (current === marked) return;
      if (marked) marked.link.removeAttribute("aria-current");
      if (current) current.link.setAttribute("aria-current", "location");
      marked = current;
    }
    var observer = new IntersectionObserver(update, { rootMargin: "0px 0px -70% 0px" });
    sections.forEach(function (s) { observer.observe(s.heading); });
    /* A jump (a note, a back-link) can cross headings without touching the band. */
    addEventListener("hashchange", update);
    addEventListener("scrollend", update);
    requestAnimationFrame(update);
  }

  function init() {
    themeToggle();
    var article = doc.querySelector("[data-reading]");
    if (!article) return;
    var notes = collectNotes(article);
    if (notes.length) {
      sidenotes(article, notes);
      popovers(notes);
      exactBackLinks(notes);
    }
    currentSection(article);
  }
  if (doc.readyState === "loading") doc.addEventListener("DOMContentLoaded", init); else init();
})();
