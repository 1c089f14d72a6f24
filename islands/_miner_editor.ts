/**
 * The agent editor: CodeMirror 6 with TypeScript highlighting and line numbers. Loaded with
 * a dynamic import after the console is interactive (the page shows a plain
 * text area until then and without JavaScript).
 *
 * @module
 */
import { EditorView, minimalSetup } from "codemirror";
import { typescriptLanguage } from "@codemirror/lang-javascript";
import { highlightActiveLine, highlightActiveLineGutter, lineNumbers } from "@codemirror/view";

export interface AgentEditor {
  /** Replaces the text (e.g. another example picked), without calling onChange. */
  setText(text: string): void;
  destroy(): void;
}

export function mountEditor(
  parent: HTMLElement,
  text: string,
  onChange: (text: string) => void,
): AgentEditor {
  let quiet = false;
  const view = new EditorView({
    doc: text,
    parent,
    extensions: [
      // minimalSetup (history, selection, default highlighting) rather than
      // basicSetup: autocompletion, search and lint would triple the chunk.
      minimalSetup,
      lineNumbers(),
      highlightActiveLine(),
      highlightActiveLineGutter(),
      typescriptLanguage,
      EditorView.contentAttributes.of({ "aria-label": "Agent source" }),
      EditorView.updateListener.of((update) => {
        if (update.docChanged && !quiet) onChange(update.state.doc.toString());
      }),
    ],
  });
  return {
    setText(next) {
      if (next === view.state.doc.toString()) return;
      quiet = true;
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: next } });
      quiet = false;
    },
    destroy: () => view.destroy(),
  };
}
