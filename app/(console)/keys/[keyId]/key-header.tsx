"use client";

import { keyName, unwrap } from "@/components/keys/client";
import { InlineEdit } from "@/components/keys/inline-edit";
import { formatDate, SPEC_LABELS, USAGE_LABELS } from "@/components/keys/labels";
import { KeyStatus } from "@/components/keys/status-badge";
import { aliasError, descriptionError, fullAlias } from "@/components/keys/validation";
import { CopyButton } from "@/components/ui/copy-button";
import { Menu } from "@/components/ui/menu";
import type { KeyDetail } from "@/lib/console/keys/types";
import { cancelDeletionAction, renameAliasAction, updateDescriptionAction } from "../actions";
import type { KeyAction } from "./key-action-dialogs";
import type { Run } from "./run";

/** The key's name, ARN, actions menu and summary, with inline edit of alias and description. */
export function KeyHeader({
  k,
  canManage,
  canRotateNow,
  run,
  onAction,
}: {
  k: KeyDetail;
  canManage: boolean;
  /** On-demand rotation is possible for this key and allowed for the caller (rotation-controls.ts). */
  canRotateNow: boolean;
  run: Run;
  onAction: (a: KeyAction) => void;
}) {
  const name = keyName(k);
  const symmetric = k.keySpec === "SYMMETRIC_DEFAULT";
  const pendingDeletion = k.keyState === "PendingDeletion";
  const setPending = onAction;
  return (
    <header className="flex flex-col gap-4 rounded-lg border border-slate-200 bg-white p-6 dark:border-slate-800 dark:bg-slate-900">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0">
          <h1 className="text-2xl font-semibold break-all" data-testid="key-title">
            <InlineEdit
              value={k.aliases[0] ?? ""}
              label="alias"
              disabled={!canManage || pendingDeletion}
              validate={(v) => aliasError(fullAlias(v))}
              display={k.aliases[0] ?? k.id}
              onSave={(v) => {
                const to = fullAlias(v);
                void run(() => unwrap(renameAliasAction(k.id, k.aliases[0] ?? null, to)), `Alias ${to} saved`, {
                  aliases: [to, ...k.aliases.slice(1)],
                });
              }}
            />
          </h1>
          <div className="mt-1 flex items-center gap-1 font-mono text-xs text-slate-600 dark:text-slate-400">
            <span className="break-all" data-testid="key-arn">
              {k.arn}
            </span>
            <CopyButton value={k.arn} label="key ARN" />
          </div>
        </div>
        {canManage && (
          <Menu
            label="Key actions"
            items={[
              { label: "Enable", onSelect: () => setPending("enable"), hidden: k.keyState !== "Disabled" },
              { label: "Disable", onSelect: () => setPending("disable"), hidden: k.keyState !== "Enabled" },
              { label: "Rotate now", onSelect: () => setPending("rotate"), hidden: !symmetric || !canRotateNow },
              {
                label: "Cancel deletion",
                hidden: !pendingDeletion,
                onSelect: () => void run(() => unwrap(cancelDeletionAction(k.id)), `Deletion of ${name} cancelled; the key is disabled`, { keyState: "Disabled", deletionDate: null }),
              },
              { label: "Schedule deletion", tone: "danger", onSelect: () => setPending("schedule"), hidden: pendingDeletion },
            ]}
          />
        )}
      </div>
      <dl className="grid grid-cols-1 gap-x-8 gap-y-3 text-sm sm:grid-cols-2 lg:grid-cols-3">
        <div>
          <dt className="text-slate-500">Status</dt>
          <dd data-testid="key-state">
            <KeyStatus state={k.keyState} deletionDate={k.deletionDate} />
          </dd>
        </div>
        <div>
          <dt className="text-slate-500">Key spec</dt>
          <dd>{SPEC_LABELS[k.keySpec] ?? k.keySpec} <span className="font-mono text-xs text-slate-500">({k.keySpec})</span></dd>
        </div>
        <div>
          <dt className="text-slate-500">Key usage</dt>
          <dd>{USAGE_LABELS[k.keyUsage] ?? k.keyUsage}</dd>
        </div>
        <div>
          <dt className="text-slate-500">Key ID</dt>
          <dd className="flex items-center gap-1 font-mono text-xs">
            {k.id} <CopyButton value={k.id} label="key ID" />
          </dd>
        </div>
        <div>
          <dt className="text-slate-500">Created</dt>
          <dd>{formatDate(k.createdAt)}</dd>
        </div>
        <div className="min-w-0 sm:col-span-2 lg:col-span-3">
          <dt className="text-slate-500">Description</dt>
          <dd data-testid="key-description">
            <InlineEdit
              value={k.description}
              label="description"
              disabled={!canManage}
              validate={descriptionError}
              wrap
              onSave={(description) => void run(() => unwrap(updateDescriptionAction(k.id, description)), "Description saved", { description })}
            />
          </dd>
        </div>
      </dl>
    </header>
  );
}
