"use client";

import { useState } from "react";
import { unwrap } from "@/components/keys/client";
import { InlineEdit } from "@/components/keys/inline-edit";
import { tagKeyError, tagValueError } from "@/components/keys/validation";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";
import type { KeyDetail } from "@/lib/console/keys/types";
import { tagKeyAction, untagKeyAction } from "../actions";
import type { Run } from "./run";

export function Tags({ k, canManage, run }: { k: KeyDetail; canManage: boolean; run: Run }) {
  const [tagKey, setTagKey] = useState("");
  const [tagValue, setTagValue] = useState("");
  const keyErr = tagKey ? tagKeyError(tagKey) : "";
  const valueErr = tagValueError(tagValue);
  const editable = canManage && k.keyState !== "PendingDeletion";
  const upsert = (TagKey: string, TagValue: string) =>
    run(() => unwrap(tagKeyAction(k.id, [{ TagKey, TagValue }])), `Tag ${TagKey} saved`, {
      tags: [...k.tags.filter((t) => t.TagKey !== TagKey), { TagKey, TagValue }].sort((a, b) => a.TagKey.localeCompare(b.TagKey)),
    });
  return (
    <div className="flex flex-col gap-4">
      {k.tags.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">This key has no tags.</p>
      ) : (
        <table className="w-full text-left text-sm" aria-label="Tags">
          <thead className="text-xs text-slate-500 uppercase">
            <tr>
              <th className="py-2">Key</th>
              <th className="py-2">Value</th>
              {editable && <th className="py-2 text-right">Actions</th>}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
            {k.tags.map((t) => (
              <tr key={t.TagKey}>
                <td className="py-2 font-mono">{t.TagKey}</td>
                <td className="py-2">
                  <InlineEdit
                    value={t.TagValue}
                    label={`value of tag ${t.TagKey}`}
                    disabled={!editable}
                    validate={tagValueError}
                    onSave={(v) => void upsert(t.TagKey, v)}
                  />
                </td>
                {editable && (
                  <td className="py-2 text-right">
                    <Button
                      variant="secondary"
                      size="sm"
                      aria-label={`Remove tag ${t.TagKey}`}
                      onClick={() =>
                        void run(() => unwrap(untagKeyAction(k.id, [t.TagKey])), `Tag ${t.TagKey} removed`, {
                          tags: k.tags.filter((x) => x.TagKey !== t.TagKey),
                        })
                      }
                    >
                      Remove
                    </Button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {editable && (
        <form
          className="flex flex-wrap items-start gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            if (!tagKey || keyErr || valueErr) return;
            void upsert(tagKey, tagValue);
            setTagKey("");
            setTagValue("");
          }}
        >
          <div className="w-56">
            <Field label="Tag key" error={keyErr}>
              {(p) => <Input {...p} value={tagKey} onChange={(e) => setTagKey(e.target.value)} />}
            </Field>
          </div>
          <div className="w-56">
            <Field label="Tag value" error={valueErr}>
              {(p) => <Input {...p} value={tagValue} onChange={(e) => setTagValue(e.target.value)} />}
            </Field>
          </div>
          <Button type="submit" className="mt-6" disabled={!tagKey || !!keyErr || !!valueErr || k.tags.length >= 50}>
            Add tag
          </Button>
        </form>
      )}
    </div>
  );
}
