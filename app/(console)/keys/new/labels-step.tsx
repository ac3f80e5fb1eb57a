"use client";

// The wizard's second step: alias (checked as you type, and against the
// server on Next), description and tags.
import { ALIAS_PREFIX, descriptionError, MAX_TAGS } from "@/components/keys/validation";
import { Button } from "@/components/ui/button";
import { Field, Input, Textarea } from "@/components/ui/field";

export type TagDraft = { key: string; value: string };

export function LabelsStep({
  alias,
  setAlias,
  aliasProblem,
  aliasTouched,
  aliasServerError,
  setAliasServerError,
  description,
  setDescription,
  tags,
  setTags,
  tagProblems,
}: {
  alias: string;
  setAlias: (v: string) => void;
  aliasProblem: string;
  aliasTouched: boolean;
  aliasServerError: string;
  setAliasServerError: (v: string) => void;
  description: string;
  setDescription: (v: string) => void;
  tags: TagDraft[];
  setTags: (t: TagDraft[]) => void;
  tagProblems: Array<{ key: string; value: string }>;
}) {
  return (
    <>
      <h2 className="text-lg font-medium">Alias, description and tags</h2>
      <Field
        label="Alias"
        hint="Optional. A friendly name applications can use instead of the key ID."
        error={aliasServerError || ((aliasTouched || alias) && aliasProblem ? aliasProblem : "")}
      >
        {(p) => (
          <div className="flex max-w-lg items-stretch">
            <span className="inline-flex items-center rounded-l-md border border-r-0 border-slate-300 bg-slate-50 px-2 font-mono text-sm text-slate-600 dark:text-slate-400 dark:border-slate-600 dark:bg-slate-800">
              {ALIAS_PREFIX}
            </span>
            <Input
              {...p}
              className="rounded-l-none font-mono"
              value={alias.startsWith(ALIAS_PREFIX) ? alias.slice(ALIAS_PREFIX.length) : alias}
              onChange={(e) => {
                setAlias(e.target.value);
                setAliasServerError("");
              }}
              autoComplete="off"
              maxLength={300}
            />
          </div>
        )}
      </Field>
      <Field label="Description" error={descriptionError(description)} hint="Optional. What the key protects and who owns it.">
        {(p) => <Textarea {...p} rows={2} value={description} onChange={(e) => setDescription(e.target.value)} className="max-w-lg" />}
      </Field>
      <fieldset className="flex flex-col gap-2">
        <legend className="mb-1 text-sm font-medium text-slate-700 dark:text-slate-300">Tags</legend>
        {tags.map((t, i) => (
          <div key={i} className="flex flex-wrap items-start gap-2">
            <div className="w-56">
              <Field label={`Tag key ${i + 1}`} error={tagProblems[i]?.key}>
                {(p) => (
                  <Input {...p} value={t.key} onChange={(e) => setTags(tags.map((x, j) => (j === i ? { ...x, key: e.target.value } : x)))} />
                )}
              </Field>
            </div>
            <div className="w-56">
              <Field label={`Tag value ${i + 1}`} error={tagProblems[i]?.value}>
                {(p) => (
                  <Input {...p} value={t.value} onChange={(e) => setTags(tags.map((x, j) => (j === i ? { ...x, value: e.target.value } : x)))} />
                )}
              </Field>
            </div>
            <Button variant="ghost" className="mt-6" aria-label={`Remove tag ${i + 1}`} onClick={() => setTags(tags.filter((_, j) => j !== i))}>
              Remove
            </Button>
          </div>
        ))}
        <div>
          <Button variant="secondary" size="sm" disabled={tags.length >= MAX_TAGS} onClick={() => setTags([...tags, { key: "", value: "" }])}>
            Add tag
          </Button>
          <span className="ml-2 text-xs text-slate-600 dark:text-slate-400">
            Up to {MAX_TAGS} tags; keys 1–128 characters, values up to 256; “aws:” is reserved.
          </span>
        </div>
      </fieldset>
    </>
  );
}
