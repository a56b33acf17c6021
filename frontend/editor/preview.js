/* The live preview: the text posted to the server's pipeline after a pause in
   typing, its HTML shown in the reader's styles, its problems listed and marked
   in the gutter, its counts shown. */
import { setDiagnostics } from "@codemirror/lint";
import { errorText, sentence } from "./autosave.js";
import { goToLine } from "./commands.js";
import { buildSidenotes, layoutSidenotes } from "./sidenotes.js";

const DELAY_MS = 300;

function csrfToken(form) {
  return form?.querySelector("input[name=csrfmiddlewaretoken]")?.value || "";
}

function plural(count, one, many) {
  return `${count.toLocaleString("en")} ${count === 1 ? one : many}`;
}

/* Lint diagnostics for the problems, on their lines of the current text. */
function diagnostics(doc, problems) {
  return problems.map((problem) => {
    const line = doc.line(Math.min(Math.max(1, problem.line), doc.lines));
    return {
      from: line.from,
      to: line.to,
      severity: problem.severity === "warning" ? "warning" : "error",
      message: problem.message,
      source: problem.code,
    };
  });
}

export class Preview {
  constructor({ view, editor, form, status }) {
    this.view = view;
    this.url = editor.dataset.previewUrl;
    this.article = editor.dataset.article || "";
    this.form = form;
    this.status = status;
    this.body = editor.querySelector("#editor-preview");
    this.frame = this.body.closest("article") || this.body;
    this.problems = editor.querySelector("#editor-problems");
    this.none = editor.querySelector(".editor-no-problems");
    this.stats = editor.querySelector("#editor-stats");
    this.timer = 0;
    this.sent = 0; /* number of the latest request */
    this.shown = 0; /* number of the request whose answer is on screen */
    this.sidenotes = null;
    this.body.addEventListener("click", (event) => this.follow(event));
    if (window.ResizeObserver) {
      new ResizeObserver(() => this.relayout()).observe(this.frame);
    }
  }

  /* Ask again DELAY_MS after the last change. */
  schedule() {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.refresh(), DELAY_MS);
  }

  async refresh() {
    clearTimeout(this.timer);
    const number = ++this.sent;
    const data = new FormData();
    data.append("body", this.view.state.doc.toString());
    if (this.article) data.append("article", this.article);
    let answer;
    try {
      const response = await fetch(this.url, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(this.form), "X-Requested-With": "fetch" },
      });
      const json = (response.headers.get("Content-Type") || "").startsWith("application/json");
      if (!json) {
        throw new Error(
          response.redirected
            ? "you seem to be logged out; log in again in another tab"
            : `the server answered ${response.status}`,
        );
      }
      answer = await response.json();
      if (!response.ok) {
        throw new Error(errorText(answer.error) || `the server answered ${response.status}`);
      }
    } catch (error) {
      if (number >= this.shown) this.status.show(`Preview not updated: ${sentence(error.message)}`, "preview");
      return;
    }
    /* Answers can overtake each other: never show an older text over a newer one. */
    if (number < this.shown) return;
    this.shown = number;
    this.status.clear("preview");
    this.show(answer);
  }

  show(answer) {
    /* The server's HTML, cleaned by the site's one sanitiser; nothing is built
       from strings here. */
    this.body.innerHTML = answer.html + answer.notes_html + answer.bibliography_html;
    this.sidenotes = buildSidenotes(this.frame, this.body);
    this.stats.textContent = [
      plural(answer.words, "word", "words"),
      plural(answer.notes, "note", "notes"),
      `${answer.reading_minutes} min read`,
    ].join(" · ");
    this.listProblems(answer.problems);
    this.view.dispatch(
      setDiagnostics(this.view.state, diagnostics(this.view.state.doc, answer.problems)),
    );
  }

  listProblems(problems) {
    const items = problems.map((problem) => {
      const item = document.createElement("li");
      item.className = `editor-problem is-${problem.severity}`;
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = `Line ${problem.line}: ${problem.message}`;
      button.addEventListener("click", () => goToLine(this.view, problem.line));
      item.appendChild(button);
      return item;
    });
    this.problems.replaceChildren(...items);
    if (this.none) this.none.hidden = problems.length > 0;
  }

  relayout() {
    if (this.sidenotes) layoutSidenotes(this.sidenotes.rail, this.sidenotes.notes);
  }

  /* Links inside the preview: jumps within it scroll it; others go nowhere, so a
     click never leaves the page with the text unsaved. */
  follow(event) {
    const link = event.target.closest("a[href]");
    if (!link) return;
    event.preventDefault();
    const href = link.getAttribute("href");
    if (href.startsWith("#")) {
      this.body.querySelector(`[id="${CSS.escape(href.slice(1))}"]`)?.scrollIntoView({ block: "center" });
    }
  }
}
