/* Editing commands of the writing editor: emphasis, links, headings and notes.
   Each takes the EditorView, dispatches one transaction and returns true, as
   CodeMirror key bindings expect. */
import { EditorSelection } from "@codemirror/state";
import { EditorView } from "@codemirror/view";

/* Wrap every selected range in `mark` (** or *); an empty range gets the pair
   with the cursor between. */
function wrapWith(mark) {
  return (view) => {
    const { state } = view;
    view.dispatch(
      state.changeByRange((range) => {
        const text = state.sliceDoc(range.from, range.to);
        return {
          changes: { from: range.from, to: range.to, insert: mark + text + mark },
          range: EditorSelection.range(range.from + mark.length, range.to + mark.length),
        };
      }),
      { scrollIntoView: true, userEvent: "input" },
    );
    return true;
  };
}

export const bold = wrapWith("**");
export const italic = wrapWith("*");

/* [text](url): the selection becomes the text and "url" is selected to type over;
   with nothing selected, "text" is. */
export function link(view) {
  const { state } = view;
  view.dispatch(
    state.changeByRange((range) => {
      const text = state.sliceDoc(range.from, range.to) || "text";
      const insert = `[${text}](url)`;
      const start = range.empty ? range.from + 1 : range.from + text.length + 3;
      const end = range.empty ? start + text.length : start + 3;
      return {
        changes: { from: range.from, to: range.to, insert },
        range: EditorSelection.range(start, end),
      };
    }),
    { scrollIntoView: true, userEvent: "input" },
  );
  return true;
}

/* "## " at the start of the cursor's line, or off again when it is there. */
export function heading(view) {
  const { state } = view;
  const line = state.doc.lineAt(state.selection.main.head);
  const marked = /^#{1,6} /.exec(line.text);
  const changes = marked
    ? { from: line.from, to: line.from + marked[0].length, insert: "" }
    : { from: line.from, insert: "## " };
  view.dispatch({ changes, scrollIntoView: true, userEvent: "input" });
  return true;
}

/* The lowest number above every numbered note in the text. */
export function nextNoteNumber(text) {
  let highest = 0;
  for (const match of text.matchAll(/\[\^(\d{1,6})\]/g)) {
    highest = Math.max(highest, Number(match[1]));
  }
  return highest + 1;
}

/* [^N] at the cursor and "[^N]: " as a new paragraph at the end, cursor there. */
export function note(view) {
  const { state } = view;
  const text = state.doc.toString();
  const number = nextNoteNumber(text);
  const reference = `[^${number}]`;
  const at = state.selection.main.to;
  const gap = text === "" || text.endsWith("\n\n") ? "" : text.endsWith("\n") ? "\n" : "\n\n";
  const definition = `${gap}${reference}: `;
  view.dispatch({
    changes: [
      { from: at, insert: reference },
      { from: text.length, insert: definition },
    ],
    selection: { anchor: text.length + reference.length + definition.length },
    scrollIntoView: true,
    userEvent: "input",
  });
  return true;
}

/* Put the cursor at the start of line `number` (clamped), scroll there, focus. */
export function goToLine(view, number) {
  const doc = view.state.doc;
  const line = doc.line(Math.min(Math.max(1, number), doc.lines));
  view.dispatch({
    selection: { anchor: line.from },
    effects: EditorView.scrollIntoView(line.from, { y: "center" }),
  });
  view.focus();
}
