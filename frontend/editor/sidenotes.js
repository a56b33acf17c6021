/* Sidenotes in the preview, as the article page shows them (web/reading.js):
   each note's text beside its first reference, when the preview is wide enough
   for a margin (editor.css decides, with a container query). */

const GAP = 12;

/* A copy of a note's text without its back-links or ids (ids stay unique). */
function noteContent(item) {
  const fragment = document.createDocumentFragment();
  item.childNodes.forEach((node) => fragment.appendChild(node.cloneNode(true)));
  fragment.querySelectorAll(".note-backref").forEach((link) => link.remove());
  fragment.querySelectorAll("[id]").forEach((el) => el.removeAttribute("id"));
  fragment.querySelectorAll("a, button, input, select, textarea, [tabindex]").forEach((el) => {
    el.setAttribute("tabindex", "-1");
  });
  return fragment;
}

/* Replace the preview's sidenotes with ones built from its endnotes. */
export function buildSidenotes(article, body) {
  article.querySelector(".sidenotes")?.remove();
  const notes = [];
  body.querySelectorAll(".notes-list > li[id]").forEach((item) => {
    const ref = body.querySelector(`.note-ref a[href="#${CSS.escape(item.id)}"]`);
    if (!ref) return;
    const aside = document.createElement("aside");
    aside.className = "sidenote";
    const number = document.createElement("span");
    number.className = "sidenote-number";
    number.textContent = item.getAttribute("value") || ref.textContent;
    aside.appendChild(noteContent(item));
    const first = aside.querySelector("p") || aside;
    first.insertBefore(number, first.firstChild);
    notes.push({ ref, aside });
  });
  if (!notes.length) return null;
  const rail = document.createElement("div");
  rail.className = "sidenotes";
  /* Duplicates of the endnotes: screen readers get the endnotes once. */
  rail.setAttribute("aria-hidden", "true");
  notes.forEach((note) => rail.appendChild(note.aside));
  article.appendChild(rail);
  layoutSidenotes(rail, notes);
  return { rail, notes };
}

/* Each sidenote level with its reference, or just below the one before it. */
export function layoutSidenotes(rail, notes) {
  if (getComputedStyle(rail).display === "none") return;
  const top0 = rail.getBoundingClientRect().top;
  const wanted = notes.map((note) => [
    note.ref.getBoundingClientRect().top - top0 - 4,
    note.aside.offsetHeight,
  ]);
  let bottom = 0;
  wanted.forEach(([top, height], i) => {
    const placed = Math.max(Math.round(top), bottom);
    notes[i].aside.style.top = `${placed}px`;
    bottom = placed + height + GAP;
  });
  rail.style.minHeight = `${bottom}px`;
}
