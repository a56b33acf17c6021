/* The editor in the site's own colours (web/site.css's custom properties), so it
   reads in the light theme and the dark one alike: CodeMirror's default colours
   are drawn for light backgrounds only. */
import { HighlightStyle, syntaxHighlighting } from "@codemirror/language";
import { EditorView } from "@codemirror/view";
import { tags } from "@lezer/highlight";

const selection = "color-mix(in srgb, var(--accent) 30%, transparent)";

export const siteTheme = EditorView.theme({
  "&": { color: "var(--text)", backgroundColor: "var(--bg)" },
  ".cm-content": { caretColor: "var(--text)" },
  ".cm-cursor, .cm-dropCursor": { borderLeftColor: "var(--text)" },
  "&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground": {
    backgroundColor: selection,
  },
  ".cm-selectionBackground, .cm-content ::selection": { backgroundColor: selection },
  ".cm-activeLine": { backgroundColor: "color-mix(in srgb, var(--accent) 7%, transparent)" },
  ".cm-activeLineGutter": { backgroundColor: "var(--accent-bg)", color: "var(--text)" },
  ".cm-gutters": {
    backgroundColor: "var(--raised)",
    color: "var(--muted)",
    borderRight: "1px solid var(--rule)",
  },
  ".cm-selectionMatch": { backgroundColor: "var(--mark)" },
  ".cm-tooltip": { backgroundColor: "var(--bg)", color: "var(--text)", border: "1px solid var(--rule)" },
  ".cm-panels": { backgroundColor: "var(--raised)", color: "var(--text)" },
});

const style = HighlightStyle.define([
  { tag: tags.heading, fontWeight: "700", color: "var(--accent)" },
  { tag: tags.strong, fontWeight: "700" },
  { tag: tags.emphasis, fontStyle: "italic" },
  { tag: tags.strikethrough, textDecoration: "line-through" },
  { tag: [tags.link, tags.url], color: "var(--accent)", textDecoration: "underline" },
  { tag: tags.quote, fontStyle: "italic", color: "var(--muted)" },
  { tag: tags.monospace, color: "var(--muted)" },
  /* The marks themselves (#, *, [, ], >): present, but quieter than the words. */
  { tag: [tags.processingInstruction, tags.meta, tags.labelName], color: "var(--muted)" },
  { tag: tags.contentSeparator, color: "var(--muted)" },
]);

export const markdownHighlighting = syntaxHighlighting(style);
