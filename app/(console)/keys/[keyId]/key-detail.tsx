"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { ActionError, getJson, keyName, unwrap } from "@/components/keys/client";
import { InlineEdit } from "@/components/keys/inline-edit";
import { formatDate, isAsymmetric, SPEC_LABELS, USAGE_LABELS } from "@/components/keys/labels";
import { KeyStatus } from "@/components/keys/status-badge";
import { KeyPolicyEditor } from "@/components/policy/key-policy-editor";
import { aliasError, descriptionError, fullAlias, tagKeyError, tagValueError } from "@/components/keys/validation";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { CopyButton } from "@/components/ui/copy-button";
import { Dialog } from "@/components/ui/dialog";
import { Field, Input, Select } from "@/components/ui/field";
import { Menu } from "@/components/ui/menu";
import { Skeleton } from "@/components/ui/skeleton";
import { Switch } from "@/components/ui/switch";
import { Tabs } from "@/components/ui/tabs";
import { KeyActivity } from "@/components/audit/key-activity";
import type { KeyDetail } from "@/lib/console/keys/types";
import {
  cancelDeletionAction,
  createAliasAction,
  deleteAliasAction,
  disableKeyAction,
  disableRotationAction,
  enableKeyAction,
  enableRotationAction,
  renameAliasAction,
  rotateNowAction,
  scheduleDeletionAction,
  tagKeyAction,
  untagKeyAction,
  updateAliasAction,
  updateDescriptionAction,
} from "../actions";
import { KeyLocation } from "@/components/key-stores/key-location";
import { useKeyMutation } from "../use-key-mutation";

type Pending = "enable" | "disable" | "schedule" | "rotate" | null;

export function KeyDetailView({
  keyId,
  canManage,
  canAudit,
  initialError,
}: {
  keyId: string;
  canManage: boolean;
  canAudit: boolean;
  initialError?: string;
}) {
  const [tab, setTab] = useState("general");
  const [pending, setPending] = useState<Pending>(null);
  const [days, setDays] = useState(30);
  const [banner, setBanner] = useState(initialError ?? "");
  const key = useQuery({
    queryKey: ["key", keyId],
    queryFn: () => getJson<KeyDetail>(`/api/keys/${encodeURIComponent(keyId)}`),
    refetchInterval: 5_000,
    retry: (n, e) => (e as ActionError).type !== "NotFoundException" && n < 1,
  });

  const simple = useKeyMutation({
    run: ({ fn }: { keyId: string; fn: () => Promise<unknown>; message: string; patch?: Partial<KeyDetail> }) => fn(),
    patch: (v) => v.patch ?? {},
    success: (v) => v.message,
  });
  const run = (fn: () => Promise<unknown>, message: string, patch?: Partial<KeyDetail>) =>
    simple.mutateAsync({ keyId, fn, message, patch }).catch(() => undefined);

  if (key.isPending) {
    return (
      <div className="flex flex-col gap-4" aria-busy>
        <Skeleton className="h-8 w-80" />
        <Skeleton className="h-40" />
        <Skeleton className="h-64" />
      </div>
    );
  }
  if (key.isError) {
    const notFound = (key.error as ActionError).type === "NotFoundException";
    return (
      <section role="alert" className="flex flex-col items-start gap-3 rounded-lg border border-red-200 bg-red-50 p-6 text-red-900 dark:border-red-900 dark:bg-red-950 dark:text-red-200">
        <h1 className="text-lg font-semibold">{notFound ? "Key not found" : "The key could not be loaded"}</h1>
        <p className="text-sm">{key.error.message}</p>
        <div className="flex gap-2">
          {!notFound && (
            <Button variant="secondary" onClick={() => key.refetch()}>
              Retry
            </Button>
          )}
          <Link href="/keys" className="text-sm text-indigo-700 underline dark:text-indigo-300">
            Back to keys
          </Link>
        </div>
      </section>
    );
  }

  const k = key.data;
  const name = keyName(k);
  const symmetric = k.keySpec === "SYMMETRIC_DEFAULT";
  const pendingDeletion = k.keyState === "PendingDeletion";
  const tabs = [
    { id: "general", label: "Cryptographic configuration" },
    { id: "aliases", label: "Aliases" },
    { id: "tags", label: "Tags" },
    ...(symmetric ? [{ id: "rotation", label: "Key rotation" }] : []),
    ...(isAsymmetric(k.keySpec) ? [{ id: "public", label: "Public key" }] : []),
    { id: "policy", label: "Key policy" },
    ...(canAudit ? [{ id: "activity", label: "Activity" }] : []),
  ];

  return (
    <div className="flex flex-col gap-6">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link href="/keys" className="text-indigo-700 hover:underline dark:text-indigo-300">
          Keys
        </Link>{" "}
        / <span className="font-mono">{name}</span>
      </nav>

      {banner && (
        <div role="alert" className="flex items-start justify-between gap-4 rounded-md bg-red-50 px-4 py-3 text-sm text-red-800 dark:bg-red-950 dark:text-red-200">
          <span>The key was created, but its alias was not: {banner}</span>
          <Button variant="ghost" size="sm" onClick={() => setBanner("")}>
            Dismiss
          </Button>
        </div>
      )}

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
                { label: "Rotate now", onSelect: () => setPending("rotate"), hidden: !symmetric || k.keyState !== "Enabled" },
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
          <div className="min-w-0">
            <dt className="text-slate-500">Description</dt>
            <dd data-testid="key-description">
              <InlineEdit
                value={k.description}
                label="description"
                disabled={!canManage}
                validate={descriptionError}
                onSave={(description) => void run(() => unwrap(updateDescriptionAction(k.id, description)), "Description saved", { description })}
              />
            </dd>
          </div>
        </dl>
      </header>

      <Tabs tabs={tabs} active={tabs.some((t) => t.id === tab) ? tab : "general"} onChange={setTab} label="Key details">
        <div className="rounded-lg border border-slate-200 bg-white p-6 dark:border-slate-800 dark:bg-slate-900">
          {tab === "general" && <General k={k} />}
          {tab === "aliases" && <Aliases k={k} canManage={canManage} run={run} />}
          {tab === "tags" && <Tags k={k} canManage={canManage} run={run} />}
          {tab === "rotation" && symmetric && <Rotation k={k} canManage={canManage} run={run} onRotate={() => setPending("rotate")} />}
          {tab === "public" && <PublicKey k={k} />}
          {tab === "policy" && <KeyPolicyEditor k={k} canEdit={canManage} />}
          {tab === "activity" && canAudit && <KeyActivity keyId={k.id} />}
        </div>
      </Tabs>

      <ConfirmDialog
        open={pending === "enable" || pending === "disable"}
        title={pending === "enable" ? "Enable key" : "Disable key"}
        confirmLabel={pending === "enable" ? "Enable" : "Disable"}
        tone={pending === "enable" ? "primary" : "danger"}
        onClose={() => setPending(null)}
        onConfirm={() => {
          const enable = pending === "enable";
          setPending(null);
          void run(() => unwrap(enable ? enableKeyAction(k.id) : disableKeyAction(k.id)), `${name} ${enable ? "enabled" : "disabled"}`, {
            keyState: enable ? "Enabled" : "Disabled",
          });
        }}
      >
        {pending === "disable"
          ? `While ${name} is disabled, every cryptographic request with it fails with DisabledException.`
          : `${name} can be used for cryptographic operations again.`}
      </ConfirmDialog>

      <ConfirmDialog
        open={pending === "rotate"}
        title="Rotate key material now"
        confirmLabel="Rotate"
        onClose={() => setPending(null)}
        onConfirm={() => {
          setPending(null);
          void run(() => unwrap(rotateNowAction(k.id)), `${name} rotated`);
        }}
      >
        New key material becomes current; older versions keep decrypting. {k.onDemandRotationLimit - k.onDemandRotations} of{" "}
        {k.onDemandRotationLimit} on-demand rotations remain for this key.
      </ConfirmDialog>

      <ConfirmDialog
        open={pending === "schedule"}
        title="Schedule key deletion"
        confirmLabel="Schedule deletion"
        tone="danger"
        typeToConfirm="delete"
        onClose={() => setPending(null)}
        onConfirm={() => {
          setPending(null);
          const deletionDate = new Date(Date.now() + days * 86_400_000).toISOString();
          void run(() => unwrap(scheduleDeletionAction(k.id, days)), `${name} will be deleted in ${days} days`, {
            keyState: "PendingDeletion",
            deletionDate,
          });
        }}
      >
        <p>
          After the waiting period, {name} and its key material are destroyed: everything encrypted under it becomes unrecoverable. Until then
          the key cannot be used and the deletion can be cancelled.
        </p>
        <div className="mt-3">
          <Field label="Waiting period (days)" hint="Between 7 and 30 days.">
            {(p) => (
              <Select {...p} value={days} onChange={(e) => setDays(Number(e.target.value))} className="w-28">
                {Array.from({ length: 24 }, (_, i) => i + 7).map((d) => (
                  <option key={d} value={d}>
                    {d}
                  </option>
                ))}
              </Select>
            )}
          </Field>
        </div>
      </ConfirmDialog>
    </div>
  );
}

type Run = (fn: () => Promise<unknown>, message: string, patch?: Partial<KeyDetail>) => Promise<unknown>;

function General({ k }: { k: KeyDetail }) {
  const rows: Array<[string, React.ReactNode]> = [
    ["Key spec", k.keySpec],
    ["Key usage", k.keyUsage],
    ["Origin", k.origin === "AWS_KMS" ? "Keyhold (AWS_KMS)" : k.origin],
    ["Key store", <KeyLocation key="store" keyStore={k.keyStore} />],
    ["Regionality", `Single-Region (${k.region})`],
    ["Account", k.accountId],
  ];
  if (k.encryptionAlgorithms.length) rows.push(["Encryption algorithms", k.encryptionAlgorithms.join(", ")]);
  if (k.signingAlgorithms.length) rows.push(["Signing algorithms", k.signingAlgorithms.join(", ")]);
  if (k.macAlgorithms.length) rows.push(["MAC algorithms", k.macAlgorithms.join(", ")]);
  if (k.keyAgreementAlgorithms.length) rows.push(["Key agreement algorithms", k.keyAgreementAlgorithms.join(", ")]);
  return (
    <dl className="grid grid-cols-1 gap-x-6 gap-y-2 text-sm sm:grid-cols-[max-content_1fr]">
      {rows.map(([label, value]) => (
        <div key={label} className="contents">
          <dt className="text-slate-500">{label}</dt>
          <dd className="font-mono text-xs break-all sm:text-sm">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function Aliases({ k, canManage, run }: { k: KeyDetail; canManage: boolean; run: Run }) {
  const [alias, setAlias] = useState("");
  const [repoint, setRepoint] = useState<string | null>(null);
  const [target, setTarget] = useState("");
  const full = alias.trim() ? fullAlias(alias) : "";
  const error = full ? aliasError(full) : "";
  return (
    <div className="flex flex-col gap-4">
      {k.aliases.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">This key has no alias.</p>
      ) : (
        <table className="w-full text-left text-sm" aria-label="Aliases">
          <thead className="text-xs text-slate-500 uppercase">
            <tr>
              <th className="py-2">Alias</th>
              <th className="py-2">ARN</th>
              {canManage && <th className="py-2 text-right">Actions</th>}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
            {k.aliases.map((a) => (
              <tr key={a}>
                <td className="py-2 font-mono">{a}</td>
                <td className="py-2 font-mono text-xs text-slate-500">{k.aliasArns[a]}</td>
                {canManage && (
                  <td className="py-2">
                    <div className="flex justify-end gap-2">
                      <Button variant="secondary" size="sm" aria-label={`Re-point ${a}`} onClick={() => setRepoint(a)}>
                        Re-point
                      </Button>
                      <Button
                        variant="secondary"
                        size="sm"
                        aria-label={`Delete ${a}`}
                        onClick={() => void run(() => unwrap(deleteAliasAction(a)), `Alias ${a} deleted`, { aliases: k.aliases.filter((x) => x !== a) })}
                      >
                        Delete
                      </Button>
                    </div>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {canManage && k.keyState !== "PendingDeletion" && (
        <form
          className="flex flex-wrap items-start gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            if (!full || error) return;
            setAlias("");
            void run(() => unwrap(createAliasAction(k.id, full)), `Alias ${full} added`, { aliases: [...k.aliases, full] });
          }}
        >
          <div className="w-80">
            <Field label="New alias" error={error}>
              {(p) => <Input {...p} placeholder="alias/my-key" value={alias} onChange={(e) => setAlias(e.target.value)} className="font-mono" />}
            </Field>
          </div>
          <Button type="submit" className="mt-6" disabled={!full || !!error}>
            Add alias
          </Button>
        </form>
      )}
      <Dialog open={!!repoint} onClose={() => setRepoint(null)} title="Re-point alias">
        <form
          className="flex flex-col gap-4"
          onSubmit={(e) => {
            e.preventDefault();
            const a = repoint!;
            setRepoint(null);
            void run(() => unwrap(updateAliasAction(a, target.trim())), `${a} now points to ${target.trim()}`, {
              aliases: k.aliases.filter((x) => x !== a),
            });
            setTarget("");
          }}
        >
          <p className="text-sm text-slate-600 dark:text-slate-400">
            Point <span className="font-mono">{repoint}</span> to another key of the same type and usage.
          </p>
          <Field label="Target key ID or ARN">
            {(p) => <Input {...p} required value={target} onChange={(e) => setTarget(e.target.value)} className="font-mono" />}
          </Field>
          <div className="flex justify-end gap-2">
            <Button type="button" variant="secondary" onClick={() => setRepoint(null)}>
              Cancel
            </Button>
            <Button type="submit">Re-point</Button>
          </div>
        </form>
      </Dialog>
    </div>
  );
}

function Tags({ k, canManage, run }: { k: KeyDetail; canManage: boolean; run: Run }) {
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

function Rotation({ k, canManage, run, onRotate }: { k: KeyDetail; canManage: boolean; run: Run; onRotate: () => void }) {
  const [period, setPeriod] = useState(String(k.rotationPeriodInDays ?? 365));
  const n = Number(period);
  const periodError = Number.isInteger(n) && n >= 90 && n <= 2560 ? "" : "The rotation period is 90 to 2560 days.";
  const enabled = k.keyState === "Enabled";
  const remaining = k.onDemandRotationLimit - k.onDemandRotations;
  return (
    <div className="flex flex-col gap-5">
      <div className="flex flex-wrap items-center gap-3">
        <Switch
          checked={k.rotationEnabled}
          label="Automatic rotation"
          disabled={!canManage || !enabled}
          onChange={(on) =>
            void run(
              () => unwrap(on ? enableRotationAction(k.id, periodError ? 365 : n) : disableRotationAction(k.id)),
              on ? "Automatic rotation enabled" : "Automatic rotation disabled",
              { rotationEnabled: on },
            )
          }
        />
        <span className="text-sm font-medium">Automatic rotation {k.rotationEnabled ? "on" : "off"}</span>
        {!enabled && <span className="text-xs text-slate-500">(the key must be enabled to change rotation)</span>}
      </div>
      <div className="flex flex-wrap items-start gap-2">
        <div className="w-48">
          <Field label="Rotation period (days)" error={periodError}>
            {(p) => <Input {...p} type="number" min={90} max={2560} value={period} onChange={(e) => setPeriod(e.target.value)} disabled={!canManage || !enabled} />}
          </Field>
        </div>
        {canManage && k.rotationEnabled && (
          <Button
            variant="secondary"
            className="mt-6"
            disabled={!!periodError || n === k.rotationPeriodInDays || !enabled}
            onClick={() => void run(() => unwrap(enableRotationAction(k.id, n)), "Rotation period saved", { rotationPeriodInDays: n })}
          >
            Save period
          </Button>
        )}
      </div>
      <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-1 text-sm">
        <dt className="text-slate-500">Next rotation</dt>
        <dd>{k.rotationEnabled ? formatDate(k.nextRotationDate) : "—"}</dd>
        <dt className="text-slate-500">On-demand rotations left</dt>
        <dd data-testid="on-demand-remaining">
          {remaining} of {k.onDemandRotationLimit}
        </dd>
      </dl>
      {canManage && (
        <div>
          <Button variant="secondary" disabled={!enabled || remaining <= 0} onClick={onRotate}>
            Rotate now
          </Button>
        </div>
      )}
      <div>
        <h3 className="mb-2 font-medium">Rotation history</h3>
        {k.rotations.length === 0 ? (
          <p className="text-sm text-slate-600 dark:text-slate-400">The key material has never been rotated.</p>
        ) : (
          <table className="w-full text-left text-sm" aria-label="Rotation history">
            <thead className="text-xs text-slate-500 uppercase">
              <tr>
                <th className="py-2">Date</th>
                <th className="py-2">Type</th>
                <th className="py-2">Key material</th>
                <th className="py-2">State</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
              {[...k.rotations].reverse().map((r) => (
                <tr key={r.KeyMaterialId}>
                  <td className="py-2">{formatDate(r.RotationDate)}</td>
                  <td className="py-2">{r.RotationType === "ON_DEMAND" ? "On demand" : r.RotationType === "AUTOMATIC" ? "Automatic" : "—"}</td>
                  <td className="py-2 font-mono text-xs">{r.KeyMaterialId.slice(0, 16)}…</td>
                  <td className="py-2">{r.KeyMaterialState === "CURRENT" ? "Current" : "Previous"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </div>
  );
}

function PublicKey({ k }: { k: KeyDetail }) {
  const url = `/api/keys/${k.id}/public-key`;
  const pem = useQuery({
    queryKey: ["public-key", k.id],
    enabled: k.keyState === "Enabled",
    queryFn: async () => {
      const res = await fetch(url, { cache: "no-store" });
      if (!res.ok) throw new ActionError("Error", ((await res.json().catch(() => ({}))) as { message?: string }).message ?? "Failed");
      return res.text();
    },
    staleTime: Infinity,
  });
  if (k.keyState !== "Enabled") return <p className="text-sm">The public key is available while the key is enabled.</p>;
  return (
    <div className="flex flex-col gap-3">
      <div className="flex gap-2">
        <a href={`${url}?format=pem`} download className="rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100 dark:border-slate-600 dark:hover:bg-slate-800">
          Download PEM
        </a>
        <a href={`${url}?format=der`} download className="rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100 dark:border-slate-600 dark:hover:bg-slate-800">
          Download DER
        </a>
        {pem.data && <CopyButton value={pem.data} label="public key" className="size-8" />}
      </div>
      {pem.isPending ? (
        <Skeleton className="h-40" />
      ) : pem.isError ? (
        <p className="text-sm text-red-600">{pem.error.message}</p>
      ) : (
        <pre className="overflow-auto rounded bg-slate-50 p-4 font-mono text-xs dark:bg-slate-950" data-testid="public-key-pem">
          {pem.data}
        </pre>
      )}
    </div>
  );
}
