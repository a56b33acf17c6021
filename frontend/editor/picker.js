/* The pickers: a search box over a list the server searches (the bibliography
   for citations, the media library for images) whose chosen item's text goes in
   at the cursor ([@key], or ![alt](media:N)). A combobox with a listbox, after
   the WAI-ARIA Authoring Practices' pattern: up and down choose, Enter inserts,
   Escape closes and returns to the text. */

const DELAY_MS = 150;

/* Each item as the server lists it, read into { label, insert }. */
const READERS = {
  works: (answer) => answer.map((work) => ({ label: work.label || work.key, insert: work.insert })),
  images: (answer) =>
    (answer.images || []).map((image) => ({
      label: image.credit ? `${image.alt} (${image.credit})` : image.alt,
      insert: image.markdown,
    })),
};

export class SearchPicker {
  constructor({ view, panel, button, url, kind, empty }) {
    this.view = view;
    this.url = url;
    this.read = READERS[kind];
    this.empty = empty;
    this.panel = panel;
    this.input = this.panel.querySelector("input");
    this.list = this.panel.querySelector("[role=listbox]");
    this.button = button;
    this.works = [];
    this.active = -1;
    this.asked = 0;
    this.timer = 0;
    this.input.addEventListener("input", () => {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.search(), DELAY_MS);
    });
    this.input.addEventListener("keydown", (event) => this.key(event));
    this.list.addEventListener("mousedown", (event) => event.preventDefault());
    this.list.addEventListener("click", (event) => {
      const option = event.target.closest("[role=option]");
      if (option) this.insert(Number(option.dataset.index));
    });
  }

  get isOpen() {
    return !this.panel.hidden;
  }

  open() {
    this.panel.hidden = false;
    this.button?.setAttribute("aria-expanded", "true");
    this.input.value = "";
    this.search();
    this.input.focus();
    return true;
  }

  close() {
    this.panel.hidden = true;
    this.button?.setAttribute("aria-expanded", "false");
    this.input.setAttribute("aria-expanded", "false");
    this.input.removeAttribute("aria-activedescendant");
    this.view.focus();
  }

  toggle() {
    if (this.isOpen) this.close();
    else this.open();
    return true;
  }

  async search() {
    const asked = ++this.asked;
    const address = new URL(this.url, document.baseURI);
    address.searchParams.set("q", this.input.value);
    let works = [];
    try {
      const response = await fetch(address, { credentials: "same-origin" });
      if (response.ok) works = this.read(await response.json());
    } catch {
      works = [];
    }
    if (asked !== this.asked) return; /* a later search is on its way */
    this.works = works;
    this.active = works.length ? 0 : -1;
    this.render();
  }

  render() {
    const options = this.works.map((work, index) => {
      const option = document.createElement("li");
      option.id = `${this.list.id}-option-${index}`;
      option.setAttribute("role", "option");
      option.dataset.index = String(index);
      option.setAttribute("aria-selected", String(index === this.active));
      const label = document.createElement("span");
      label.className = "editor-cite-label";
      label.textContent = work.label;
      const key = document.createElement("span");
      key.className = "editor-cite-key";
      key.textContent = work.insert;
      option.append(label, " ", key);
      return option;
    });
    if (!options.length) {
      const empty = document.createElement("li");
      empty.className = "editor-cite-empty";
      empty.textContent = this.input.value ? this.empty.none : this.empty.nothing;
      options.push(empty);
    }
    this.list.replaceChildren(...options);
    this.input.setAttribute("aria-expanded", String(this.works.length > 0));
    if (this.active >= 0) {
      this.input.setAttribute("aria-activedescendant", `${this.list.id}-option-${this.active}`);
      this.list.children[this.active].scrollIntoView({ block: "nearest" });
    } else {
      this.input.removeAttribute("aria-activedescendant");
    }
  }

  key(event) {
    const count = this.works.length;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (!count) return;
      const step = event.key === "ArrowDown" ? 1 : -1;
      this.active = (this.active + step + count) % count;
      this.render();
    } else if (event.key === "Enter") {
      event.preventDefault(); /* never submits the article's form */
      if (this.active >= 0) this.insert(this.active);
    } else if (event.key === "Escape") {
      event.preventDefault();
      this.close();
    }
  }

  insert(index) {
    const work = this.works[index];
    if (!work) return;
    this.close();
    this.view.dispatch(this.view.state.replaceSelection(work.insert), {
      scrollIntoView: true,
      userEvent: "input",
    });
    this.view.focus();
  }
}
