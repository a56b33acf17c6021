/* Unsaved changes: the form is marked dirty, leaving the page asks first, and
   with an autosave address the whole form is saved after ~10 s without typing.
   A 409 answer (someone else saved a newer version) stops autosaving and says so. */

const IDLE_MS = 10_000;

/* The time of a save as hh:mm; now, when the answer gives none. */
function hhmm(savedAt) {
  const date = savedAt ? new Date(savedAt) : new Date();
  if (Number.isNaN(date.getTime())) return String(savedAt);
  return date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", hour12: false });
}

/* `text` ending in exactly one full stop. */
export function sentence(text) {
  let body = String(text).trimEnd();
  while (body.endsWith(".")) body = body.slice(0, -1).trimEnd();
  return `${body}.`;
}

/* An answer's "error": a sentence, or Django's form errors by field. */
export function errorText(error) {
  if (!error) return "";
  if (typeof error === "string") return error;
  return Object.entries(error)
    .map(([field, messages]) => {
      const text = [].concat(messages).map((m) => (m && m.message) || String(m)).join(" ");
      return field === "__all__" ? text : `${field}: ${text}`;
    })
    .join("; ");
}

export class Autosave {
  constructor({ form, editor, status, sync }) {
    this.form = form;
    this.url = editor.dataset.autosaveUrl || "";
    this.status = status;
    this.sync = sync;
    this.conflict = editor.querySelector(".editor-conflict");
    this.timer = 0;
    this.changes = 0; /* changes typed since the page opened */
    this.saving = false;
    this.stopped = false;
    addEventListener("beforeunload", (event) => {
      if (this.form.dataset.dirty) {
        event.preventDefault();
        event.returnValue = ""; /* older browsers ask only when it is set */
      }
    });
    this.form.addEventListener("submit", () => {
      this.sync();
      clearTimeout(this.timer);
      this.stopped = true;
      delete this.form.dataset.dirty;
    });
  }

  changed() {
    this.changes += 1;
    this.form.dataset.dirty = "true";
    if (!this.url || this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.save(), IDLE_MS);
  }

  async save() {
    if (this.stopped) return;
    if (this.saving) {
      this.timer = setTimeout(() => this.save(), IDLE_MS);
      return;
    }
    this.saving = true;
    const changes = this.changes;
    this.sync();
    const data = new FormData(this.form);
    const token = data.get("csrfmiddlewaretoken") || "";
    try {
      const response = await fetch(this.url, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-Requested-With": "fetch", "X-CSRFToken": token },
      });
      const answer = await response.json().catch(() => ({}));
      if (response.status === 409) {
        this.stopped = true;
        this.conflict.textContent =
          answer.conflict || "Someone else saved this article meanwhile; autosave has stopped.";
        this.conflict.hidden = false;
        this.status.show("Autosave stopped.", "autosave");
        return;
      }
      if (!response.ok || answer.version === undefined) {
        throw new Error(errorText(answer.error) || `the server answered ${response.status}`);
      }
      const version = this.form.querySelector("input[name=version]");
      if (version) version.value = String(answer.version);
      const pending = answer.pending ? " as pending changes" : "";
      this.status.show(`Saved at ${hhmm(answer.saved_at)}${pending}`, "autosave");
      /* Nothing typed while it was saving: what is on the page is what is saved. */
      if (changes === this.changes) delete this.form.dataset.dirty;
    } catch (error) {
      this.status.show(
        `Not saved: ${sentence(error.message)} Trying again after the next change.`,
        "autosave",
      );
    } finally {
      this.saving = false;
    }
  }
}
