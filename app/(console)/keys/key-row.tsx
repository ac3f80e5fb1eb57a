"use client";

import { Ellipsis } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { keyName } from "@/components/keys/client";
import { InlineEdit } from "@/components/keys/inline-edit";
import { SPEC_SHORT, USAGE_SHORT, type KeyColumn } from "@/components/keys/key-columns";
import { formatDate, SPEC_LABELS, USAGE_LABELS } from "@/components/keys/labels";
import { KeyStatus } from "@/components/keys/status-badge";
import { aliasError, descriptionError, fullAlias } from "@/components/keys/validation";
import { cn } from "@/components/ui/cn";
import { CopyButton } from "@/components/ui/copy-button";
import { Menu } from "@/components/ui/menu";
import type { KeyRow as Row } from "@/lib/console/keys/types";

/** Characters kept at an alias's end when it is cut. */
const TAIL = 10;

const dateOnly = (iso: string | null) => (iso ? new Date(iso).toLocaleDateString(undefined, { dateStyle: "medium" }) : "—");

/** One key of the list. Long text is cut on one line; the full text is in its title (hover) and on the key's page. */
export function KeyRow({
  k,
  columns,
  canManage,
  selected,
  onSelect,
  onToggle,
  onRename,
  onDescribe,
}: {
  k: Row;
  columns: Set<KeyColumn>;
  canManage: boolean;
  selected: boolean;
  onSelect: (on: boolean) => void;
  onToggle: (enable: boolean) => void;
  onRename: (to: string) => void;
  onDescribe: (description: string) => void;
}) {
  const router = useRouter();
  const name = keyName(k);
  const alias = k.aliases[0];
  const allAliases = k.aliases.join("\n");
  return (
    <tr data-testid={`key-row-${k.id}`} className={cn(k.keyState === "PendingDeletion" && "bg-red-50/50 dark:bg-red-950/20")}>
      {canManage && (
        <td className="px-2 py-2">
          <input type="checkbox" aria-label={`Select ${name}`} checked={selected} onChange={(e) => onSelect(e.target.checked)} />
        </td>
      )}
      {/* Table cells ignore max-width: the div inside bounds the column, and the text is cut with its title. */}
      <td className="px-2 py-2">
        <div className="flex max-w-40 min-w-0 items-center gap-1 xl:max-w-52">
          <InlineEdit
            value={alias ?? ""}
            label={`alias of ${name}`}
            disabled={!canManage || k.keyState === "PendingDeletion"}
            validate={(v) => aliasError(fullAlias(v))}
            placeholder="(no alias)"
            className="min-w-0"
            display={
              <Link
                href={`/keys/${k.id}`}
                title={allAliases || k.id}
                aria-label={alias ?? "(no alias)"}
                className="inline-flex max-w-full font-medium text-indigo-700 hover:underline dark:text-indigo-300"
              >
                {/* Cut in the middle: aliases that share a long prefix still differ at their end. */}
                <span className="truncate">{alias ? alias.slice(0, -TAIL) : "(no alias)"}</span>
                {alias && <span className="shrink-0">{alias.slice(-TAIL)}</span>}
              </Link>
            }
            onSave={(v) => onRename(fullAlias(v))}
          />
          {k.aliases.length > 1 && (
            <span className="shrink-0 text-xs text-slate-600 dark:text-slate-400" title={allAliases}>
              +{k.aliases.length - 1}
            </span>
          )}
        </div>
      </td>
      {columns.has("id") && (
        <td className="px-2 py-2 whitespace-nowrap">
          <Link href={`/keys/${k.id}`} className="font-mono text-xs hover:underline" title={k.id} aria-label={`Key ID ${k.id}`}>
            {k.id.slice(0, 8)}…
          </Link>
          <CopyButton value={k.id} label={`key ID of ${name}`} />
        </td>
      )}
      {columns.has("description") && (
        <td className="px-2 py-2">
          {k.restricted ? (
            <span className="text-slate-600 italic dark:text-slate-400" title="The key policy lets you list this key but not describe it.">
              Withheld
            </span>
          ) : (
            <span title={k.description} className="block max-w-32 min-w-0 xl:max-w-40">
              <InlineEdit
                value={k.description}
                label={`description of ${name}`}
                disabled={!canManage}
                validate={descriptionError}
                onSave={onDescribe}
              />
            </span>
          )}
        </td>
      )}
      <td className="px-2 py-2 whitespace-nowrap" data-testid="key-status">
        <KeyStatus state={k.keyState} deletionDate={k.deletionDate} />
      </td>
      {columns.has("keySpec") && (
        <td className="px-2 py-2 whitespace-nowrap" title={`${SPEC_LABELS[k.keySpec] ?? k.keySpec} (${k.keySpec})`}>
          {SPEC_SHORT[k.keySpec] ?? SPEC_LABELS[k.keySpec] ?? k.keySpec}
        </td>
      )}
      {columns.has("keyUsage") && (
        <td className="hidden px-2 py-2 whitespace-nowrap xl:table-cell" title={USAGE_LABELS[k.keyUsage] ?? k.keyUsage}>
          {USAGE_SHORT[k.keyUsage] ?? k.keyUsage}
        </td>
      )}
      {columns.has("createdAt") && (
        <td className="px-2 py-2 whitespace-nowrap text-slate-600 dark:text-slate-400" title={formatDate(k.createdAt)}>
          {dateOnly(k.createdAt)}
        </td>
      )}
      {columns.has("rotation") && (
        <td
          className="px-2 py-2 whitespace-nowrap text-slate-600 dark:text-slate-400"
          title={k.rotationEnabled ? `Next rotation ${formatDate(k.nextRotationDate)}` : undefined}
        >
          {k.keySpec !== "SYMMETRIC_DEFAULT" ? "—" : k.rotationEnabled ? dateOnly(k.nextRotationDate) : "Off"}
        </td>
      )}
      <td className="px-2 py-1 text-right">
        <Menu
          label={`Actions for ${name}`}
          icon={<Ellipsis aria-hidden className="size-4" />}
          items={[
            { label: "Open", onSelect: () => router.push(`/keys/${k.id}`) },
            { label: "Copy key ARN", onSelect: () => void navigator.clipboard?.writeText(k.arn) },
            { label: "Enable", hidden: !canManage || k.keyState !== "Disabled", onSelect: () => onToggle(true) },
            { label: "Disable", tone: "danger", hidden: !canManage || k.keyState !== "Enabled", onSelect: () => onToggle(false) },
          ]}
        />
      </td>
    </tr>
  );
}
