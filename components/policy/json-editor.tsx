"use client";

import { json, jsonParseLinter } from "@codemirror/lang-json";
import { linter, lintGutter, type Diagnostic } from "@codemirror/lint";
import { Compartment, EditorState } from "@codemirror/state";
import { EditorView } from "@codemirror/view";
import { basicSetup } from "codemirror";
import { useEffect, useLayoutEffect, useRef } from "react";
import { policySchemaDiagnostics } from "./policy-lint";

// Colours come from the surrounding Tailwind classes, so light and dark mode both work.
const theme = EditorView.theme({
  "&": { backgroundColor: "transparent", color: "inherit", fontSize: "12px", maxHeight: "32rem" },
  ".cm-scroller": { fontFamily: "ui-monospace, SFMono-Regular, Menlo, monospace", lineHeight: "1.25rem" },
  ".cm-gutters": { backgroundColor: "transparent", color: "rgb(148 163 184)", borderRight: "1px solid rgb(148 163 184 / 0.3)" },
  ".cm-activeLine, .cm-activeLineGutter": { backgroundColor: "rgb(99 102 241 / 0.08)" },
  "&.cm-focused": { outline: "2px solid rgb(99 102 241)", outlineOffset: "-2px" },
  ".cm-content": { caretColor: "currentColor", minHeight: "16rem" },
});

/**
 * The key policy JSON editor (CodeMirror 6): JSON highlighting, bracket
 * matching, folding, and problems marked inline as you type — JSON syntax
 * (the JSON linter) and the policy grammar (the key policy JSON Schema). Tab
 * is left to the browser (moves focus) so keyboard users are never trapped.
 */
export function JsonEditor({
  value,
  onChange,
  readOnly,
  describedBy,
  invalid,
  label,
  onProblems,
}: {
  value: string;
  onChange: (v: string) => void;
  readOnly?: boolean;
  describedBy?: string;
  invalid?: boolean;
  label: string;
  /** The policy-grammar problems of the current text (listed under the editor by the caller). */
  onProblems?: (problems: Diagnostic[]) => void;
}) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const editable = useRef(new Compartment());
  const attributes = useRef(new Compartment());
  // The latest callbacks, without rebuilding the editor when they change.
  const callbacks = useRef({ onChange, onProblems });
  useLayoutEffect(() => {
    callbacks.current = { onChange, onProblems };
  });

  useEffect(() => {
    const schemaLinter = linter((v) => {
      const problems = policySchemaDiagnostics(v.state.doc.toString());
      callbacks.current.onProblems?.(problems);
      return problems;
    });
    const editor = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: value,
        extensions: [
          basicSetup,
          json(),
          linter(jsonParseLinter(), { delay: 200 }),
          schemaLinter,
          lintGutter(),
          theme,
          editable.current.of([EditorState.readOnly.of(!!readOnly), EditorView.editable.of(!readOnly)]),
          attributes.current.of(EditorView.contentAttributes.of({})),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) callbacks.current.onChange(u.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = editor;
    return () => {
      editor.destroy();
      view.current = null;
    };
    // Built once; later prop changes reach it through the effects below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // Outside changes (discard, a default-view edit): replace the document.
  useEffect(() => {
    const v = view.current;
    if (v && v.state.doc.toString() !== value) v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: value } });
  }, [value]);

  useEffect(() => {
    view.current?.dispatch({
      effects: editable.current.reconfigure([EditorState.readOnly.of(!!readOnly), EditorView.editable.of(!readOnly)]),
    });
  }, [readOnly]);

  useEffect(() => {
    const attrs: Record<string, string> = { "aria-label": label, "aria-multiline": "true" };
    if (invalid) attrs["aria-invalid"] = "true";
    if (describedBy) attrs["aria-describedby"] = describedBy;
    view.current?.dispatch({ effects: attributes.current.reconfigure(EditorView.contentAttributes.of(attrs)) });
  }, [label, invalid, describedBy]);

  return (
    <div
      ref={host}
      data-testid="policy-json-editor"
      className="overflow-hidden rounded-md border border-slate-300 bg-white text-slate-900 dark:border-slate-600 dark:bg-slate-950 dark:text-slate-100"
    />
  );
}
