/* Broadsheet's writing editor. It enhances the edit page's <textarea name="body">
   (inside <div class="editor">, templates/editorial/_editor.html): CodeMirror 6
   with line numbers and Markdown highlighting, a toolbar, notes, a citation
   picker, a live preview rendered by the site's own pipeline and autosave.
   Without this script the page is a plain text box that saves the same way.
   Built by `make` with esbuild into static/editorial/editor.js (decision 0015). */
import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { markdownKeymap, markdownLanguage } from "@codemirror/lang-markdown";
import { LanguageSupport } from "@codemirror/language";
import { lintGutter } from "@codemirror/lint";
import { highlightSelectionMatches, searchKeymap } from "@codemirror/search";
import { EditorState, Prec } from "@codemirror/state";
import {
  EditorView,
  drawSelection,
  highlightActiveLine,
  highlightActiveLineGutter,
  highlightSpecialChars,
  keymap,
  lineNumbers,
} from "@codemirror/view";
import { Autosave } from "./autosave.js";
import { SearchPicker } from "./picker.js";
import * as commands from "./commands.js";
import { markdownHighlighting, siteTheme } from "./highlight.js";
import { Preview } from "./preview.js";

/* One line under the text box: the latest news of autosave, the preview or the
   form, each message marked with its sender so that only it clears the message. */
class Status {
  constructor(element) {
    this.element = element;
    this.kind = "";
  }

  show(text, kind) {
    this.element.textContent = text;
    this.kind = kind;
  }

  clear(kind) {
    if (this.kind === kind) this.show("", "");
  }
}

function enhance(editor) {
  const textarea = editor.querySelector("textarea");
  if (!textarea || editor.dataset.enhanced) return;
  editor.dataset.enhanced = "true";
  const form = textarea.closest("form");
  const status = new Status(editor.querySelector(".editor-status"));
  const label = editor.querySelector(`label[for="${textarea.id}"]`);
  const toolbar = editor.querySelector(".editor-toolbar");
  const citeButton = toolbar.querySelector("[data-action=cite]");
  let preview = null;
  let autosave = null;
  let picker = null;

  const sync = () => {
    textarea.value = view.state.doc.toString();
  };
  const contentAttributes = { "aria-label": label ? label.textContent.trim() : "Text" };
  const help = textarea.getAttribute("aria-describedby");
  if (help) contentAttributes["aria-describedby"] = help;
  /* CodeMirror turns the browser's spelling check off; prose wants what the form asked. */
  for (const name of ["spellcheck", "lang", "autocapitalize"]) {
    const value = textarea.getAttribute(name);
    if (value !== null) contentAttributes[name] = value;
  }

  const view = new EditorView({
    state: EditorState.create({
      doc: textarea.value,
      extensions: [
        // The page's Content-Security-Policy nonce, for the <style> CodeMirror adds.
        EditorView.cspNonce.of(editor.dataset.cspNonce || ""),
        lineNumbers(),
        highlightActiveLineGutter(),
        lintGutter(),
        highlightSpecialChars(),
        history(),
        drawSelection(),
        highlightActiveLine(),
        highlightSelectionMatches(),
        EditorView.lineWrapping,
        /* GFM Markdown without markdown()'s HTML-in-Markdown support, which would
           bring CodeMirror's HTML, CSS and JavaScript modes (189 kB) for little. */
        new LanguageSupport(markdownLanguage, [Prec.high(keymap.of(markdownKeymap))]),
        markdownHighlighting,
        siteTheme,
        keymap.of([
          { key: "Mod-b", run: commands.bold },
          { key: "Mod-i", run: commands.italic },
          { key: "Mod-k", run: commands.link },
          { key: "Mod-Shift-n", run: commands.note },
          { key: "Mod-Shift-c", run: () => picker.toggle() },
          ...defaultKeymap,
          ...historyKeymap,
          ...searchKeymap,
        ]),
        EditorView.contentAttributes.of(contentAttributes),
        EditorView.updateListener.of((update) => {
          if (!update.docChanged) return;
          sync();
          autosave.changed();
          preview.schedule();
        }),
      ],
    }),
  });
  textarea.hidden = true;
  textarea.insertAdjacentElement("afterend", view.dom);
  /* A hidden required control would block the form without saying why: the
     editor says it instead. */
  if (textarea.required && form) {
    textarea.required = false;
    form.addEventListener("submit", (event) => {
      if (view.state.doc.length) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      status.show("Write some text before saving.", "form");
      view.focus();
    }, true);
  }
  label?.addEventListener("click", (event) => {
    event.preventDefault();
    view.focus();
  });

  preview = new Preview({ view, editor, form, status });
  autosave = new Autosave({ form: form || document.createElement("form"), editor, status, sync });
  picker = new SearchPicker({
    view,
    panel: editor.querySelector("#editor-cite"),
    button: citeButton,
    url: editor.dataset.worksUrl,
    kind: "works",
    empty: { none: "No work matches.", nothing: "The bibliography is empty." },
  });
  const mediaUrl = editor.dataset.mediaUrl;
  const images =
    mediaUrl &&
    new SearchPicker({
      view,
      panel: editor.querySelector("#editor-image"),
      button: toolbar.querySelector("[data-action=image]"),
      url: `${mediaUrl}${mediaUrl.includes("?") ? "&" : "?"}format=json`,
      kind: "images",
      empty: { none: "No image matches.", nothing: "The media library is empty." },
    });

  const actions = {
    bold: commands.bold,
    italic: commands.italic,
    link: commands.link,
    heading: commands.heading,
    note: commands.note,
    image: () => images.toggle(),
    cite: () => picker.toggle(),
  };
  toolbar.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-action]");
    const action = button && actions[button.dataset.action];
    if (!action) return;
    action(view);
    const opened = { cite: picker, image: images }[button.dataset.action];
    if (!opened?.isOpen) view.focus();
  });
  /* An Image button needs a media library to choose from. */
  if (!editor.dataset.mediaUrl) toolbar.querySelector("[data-action=image]")?.remove();
  toolbar.hidden = false;
  editor.querySelector(".editor-side").hidden = false;
  editor.classList.add("is-enhanced");
  editor.editorView = view; /* for scripts and tests that drive the page */
  preview.refresh();
}

function init() {
  document.querySelectorAll(".editor").forEach(enhance);
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
else init();
