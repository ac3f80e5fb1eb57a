"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useState } from "react";
import { ActionError, getJson, keyName, unwrap } from "@/components/keys/client";
import { ColumnChooser } from "@/components/keys/column-chooser";
import { useKeyColumns, type KeyColumn } from "@/components/keys/key-columns";
import { SPEC_LABELS, STATE_LABELS, USAGE_LABELS } from "@/components/keys/labels";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Input, Select } from "@/components/ui/field";
import { cn } from "@/components/ui/cn";
import { Skeleton } from "@/components/ui/skeleton";
import { useToast } from "@/components/ui/toast";
import { KEY_SPECS, KEY_USAGES } from "@/lib/crypto/specs";
import type { KeyListPage, KeyListSort, KeyRow } from "@/lib/console/keys/types";
import { disableKeyAction, enableKeyAction, renameAliasAction, updateDescriptionAction } from "./actions";
import { KeyRow as KeyRowView } from "./key-row";
import { useKeyListView } from "./use-key-list-view";
import { useKeyMutation } from "./use-key-mutation";

const PAGE_SIZES = [10, 25, 50, 100];

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

type Toggle = { keys: KeyRow[]; enable: boolean } | null;

export function KeysTable({ canManage, initial }: { canManage: boolean; initial?: { search: string; page: KeyListPage } }) {
  const toast = useToast();
  // The view is the URL's (see use-key-list-view.ts); only the text being typed is local.
  const { view, apiSearch, update } = useKeyListView();
  const { status = "", spec = "", usage = "", sort, dir, page, pageSize } = view;
  const [search, setSearch] = useState(view.q ?? "");
  const [tag, setTag] = useState(view.tag ?? "");
  const [selected, setSelected] = useState<Record<string, KeyRow>>({});
  const [toggle, setToggle] = useState<Toggle>(null);
  const [bulkBusy, setBulkBusy] = useState(false);
  const q = useDebounced(search.trim(), 250);
  const tagFilter = useDebounced(tag.trim(), 250);

  // Typing settles into the URL without a history entry per keystroke.
  useEffect(() => update({ q: q || undefined }, "replace"), [q, update]);
  useEffect(() => update({ tag: tagFilter || undefined }, "replace"), [tagFilter, update]);

  // Back/forward (or a link) changed the search text: show it in the boxes. When the URL
  // merely caught up with the settled text, the boxes keep what is typed since.
  const [urlText, setUrlText] = useState({ q: view.q, tag: view.tag });
  if (view.q !== urlText.q || view.tag !== urlText.tag) {
    setUrlText({ q: view.q, tag: view.tag });
    if ((view.q ?? "") !== q) setSearch(view.q ?? "");
    if ((view.tag ?? "") !== tagFilter) setTag(view.tag ?? "");
  }

  // Another result set: the selection is cleared.
  const filterKey = JSON.stringify([view.q, view.tag, status, spec, usage, view.usable, pageSize]);
  const [lastFilterKey, setLastFilterKey] = useState(filterKey);
  if (filterKey !== lastFilterKey) {
    setLastFilterKey(filterKey);
    setSelected({});
  }

  const keys = useQuery({
    queryKey: ["keys", apiSearch],
    queryFn: () => getJson<KeyListPage>(`/api/keys?${apiSearch}`),
    // The first rows came with the page (rendered for the URL's view).
    initialData: initial && initial.search === apiSearch ? initial.page : undefined,
    placeholderData: keepPreviousData,
  });

  const setEnabled = useKeyMutation({
    run: ({ keyId, enable }: { keyId: string; enable: boolean; name: string }) =>
      unwrap(enable ? enableKeyAction(keyId) : disableKeyAction(keyId)),
    patch: ({ enable }) => ({ keyState: enable ? "Enabled" : "Disabled" }),
    success: ({ enable, name }) => `${name} ${enable ? "enabled" : "disabled"}`,
  });
  const editDescription = useKeyMutation({
    run: ({ keyId, description }: { keyId: string; description: string }) => unwrap(updateDescriptionAction(keyId, description)),
    patch: ({ description }) => ({ description }),
    success: () => "Description saved",
  });
  const renameAlias = useKeyMutation({
    run: ({ keyId, from, to }: { keyId: string; from: string | null; to: string; aliases: string[] }) =>
      unwrap(renameAliasAction(keyId, from, to)),
    patch: ({ aliases }) => ({ aliases }),
    success: ({ to }) => `Alias ${to} saved`,
  });

  const columns = useKeyColumns();
  const show = (c: KeyColumn) => columns.visible.has(c);
  const columnCount = 3 + columns.visible.size + (canManage ? 1 : 0);

  const data = keys.data;
  const totalPages = data ? Math.max(1, Math.ceil(data.total / data.pageSize)) : 1;
  const selectedKeys = Object.values(selected);
  const filtered = !!(view.q || view.tag || status || spec || usage || view.usable);
  const allOnPageSelected = !!data?.keys.length && data.keys.every((k) => selected[k.id]);

  // A link to a page past the end (keys deleted since it was shared) shows the last page.
  const pastEnd = !!data && data.total > 0 && page > totalPages;
  useEffect(() => {
    if (pastEnd) update({ page: totalPages }, "replace");
  }, [pastEnd, totalPages, update]);

  const sortBy = (column: KeyListSort) =>
    update(sort === column ? { dir: dir === "asc" ? "desc" : "asc" } : { sort: column, dir: column === "createdAt" ? "desc" : "asc" }, "push");

  async function runBulk(enable: boolean, list: KeyRow[]) {
    setBulkBusy(true);
    const results = await Promise.allSettled(list.map((k) => unwrap(enable ? enableKeyAction(k.id) : disableKeyAction(k.id))));
    setBulkBusy(false);
    setToggle(null);
    setSelected({});
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    const done = list.length - failed.length;
    if (done) toast("success", `${done} key${done === 1 ? "" : "s"} ${enable ? "enabled" : "disabled"}`);
    if (failed.length) toast("error", `${failed.length} failed: ${(failed[0]!.reason as ActionError).message}`);
    void keys.refetch();
  }

  const sortHeader = (column: KeyListSort, children: React.ReactNode, className?: string) => (
    <th scope="col" className={cn("px-2 py-3 whitespace-nowrap", className)} aria-sort={sort === column ? (dir === "asc" ? "ascending" : "descending") : "none"}>
      <button
        type="button"
        onClick={() => sortBy(column)}
        className="inline-flex items-center gap-1 uppercase hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-indigo-500 dark:hover:text-slate-100"
      >
        {children}
        <span aria-hidden className="w-3">{sort === column ? (dir === "asc" ? "▲" : "▼") : ""}</span>
      </button>
    </th>
  );

  return (
    <>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-semibold">Keys</h1>
        {canManage && (
          <Link
            href="/keys/new"
            className="rounded-md bg-indigo-600 px-3.5 py-2 text-sm font-medium text-white hover:bg-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500"
          >
            Create key
          </Link>
        )}
      </div>

      {/* Five columns from 1280 px; at 1024 px (two columns) the tag filter and the row of controls take a line each. */}
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2 xl:grid-cols-5" role="search" aria-label="Filter keys">
        <Input
          type="search"
          aria-label="Search keys"
          placeholder="Search by alias, key ID, description or tag"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          className="xl:col-span-2"
        />
        <Select aria-label="Status" value={status} onChange={(e) => update({ status: e.target.value || undefined }, "push")}>
          <option value="">All statuses</option>
          {Object.entries(STATE_LABELS).map(([v, l]) => (
            <option key={v} value={v}>
              {l}
            </option>
          ))}
        </Select>
        <Select aria-label="Key spec" value={spec} onChange={(e) => update({ spec: e.target.value || undefined }, "push")}>
          <option value="">All key specs</option>
          {KEY_SPECS.map((s) => (
            <option key={s} value={s}>
              {SPEC_LABELS[s] ?? s}
            </option>
          ))}
        </Select>
        <Select aria-label="Key usage" value={usage} onChange={(e) => update({ usage: e.target.value || undefined }, "push")}>
          <option value="">All usages</option>
          {KEY_USAGES.map((u) => (
            <option key={u} value={u}>
              {USAGE_LABELS[u]}
            </option>
          ))}
        </Select>
        <Input aria-label="Tag filter" placeholder="Tag: key=value" value={tag} onChange={(e) => setTag(e.target.value)} className="self-start sm:col-span-2" />
        <div className="flex flex-wrap items-center gap-2 sm:col-span-2 xl:col-span-3 xl:justify-end">
          <label className="mr-auto flex items-center gap-2 text-sm">
            <input type="checkbox" checked={view.usable === "1"} onChange={(e) => update({ usable: e.target.checked ? "1" : undefined }, "push")} />
            Keys I can use
          </label>
          <ColumnChooser visible={columns.visible} onChange={columns.setVisible} />
          {canManage && (
            <>
            <span className="text-sm text-slate-600 dark:text-slate-400" aria-live="polite">
              {selectedKeys.length ? `${selectedKeys.length} selected` : ""}
            </span>
            <Button variant="secondary" size="sm" disabled={!selectedKeys.length} onClick={() => setToggle({ keys: selectedKeys, enable: true })}>
              Enable selected
            </Button>
            <Button variant="secondary" size="sm" disabled={!selectedKeys.length} onClick={() => setToggle({ keys: selectedKeys, enable: false })}>
              Disable selected
            </Button>
            </>
          )}
        </div>
      </div>

      <div className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
        <table className="w-full text-left text-sm" aria-label="Keys" aria-busy={keys.isFetching}>
          <thead className="border-b border-slate-200 text-xs text-slate-500 dark:border-slate-800">
            <tr>
              {canManage && (
                <th scope="col" className="w-8 px-2 py-3">
                  <input
                    type="checkbox"
                    aria-label="Select all keys on this page"
                    checked={allOnPageSelected}
                    onChange={(e) =>
                      setSelected((s) => {
                        const next = { ...s };
                        data?.keys.forEach((k) => (e.target.checked ? (next[k.id] = k) : delete next[k.id]));
                        return next;
                      })
                    }
                  />
                </th>
              )}
              {sortHeader("alias", "Alias")}
              {show("id") && sortHeader("id", "Key ID")}
              {show("description") && sortHeader("description", "Description")}
              {sortHeader("keyState", "Status")}
              {show("keySpec") && sortHeader("keySpec", "Key spec")}
              {/* From 1280 px: at 1024 px the row did not fit (the key spec names the usage, mostly). */}
              {show("keyUsage") && sortHeader("keyUsage", "Usage", "hidden xl:table-cell")}
              {show("createdAt") && sortHeader("createdAt", "Created")}
              {show("rotation") && sortHeader("rotation", "Rotation")}
              <th scope="col" className="w-10 px-2 py-3">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
            {keys.isPending &&
              Array.from({ length: 8 }, (_, i) => (
                <tr key={i}>
                  <td colSpan={columnCount} className="px-3 py-3">
                    <Skeleton className="h-5" />
                  </td>
                </tr>
              ))}
            {keys.isError && !data && (
              <tr>
                <td colSpan={columnCount} className="px-3 py-6 text-center text-red-600">
                  {keys.error.message}{" "}
                  <Button variant="secondary" size="sm" onClick={() => keys.refetch()}>
                    Retry
                  </Button>
                </td>
              </tr>
            )}
            {data && data.keys.length === 0 && (
              <tr>
                <td colSpan={columnCount} className="px-3 py-12 text-center" data-testid="keys-empty">
                  {filtered ? (
                    <p className="text-slate-600 dark:text-slate-400">No keys match these filters.</p>
                  ) : (
                    <div className="flex flex-col items-center gap-3">
                      <p className="text-base font-medium">No keys yet</p>
                      <p className="text-slate-600 dark:text-slate-400">Keys protect your data keys, sign messages and compute MACs.</p>
                      {canManage && (
                        <Link href="/keys/new" className="rounded-md bg-indigo-600 px-3.5 py-2 text-sm font-medium text-white hover:bg-indigo-500">
                          Create your first key
                        </Link>
                      )}
                    </div>
                  )}
                </td>
              </tr>
            )}
            {data?.keys.map((k) => (
              <KeyRowView
                key={k.id}
                k={k}
                columns={columns.visible}
                canManage={canManage}
                selected={!!selected[k.id]}
                onSelect={(on) =>
                  setSelected((s) => {
                    const next = { ...s };
                    if (on) next[k.id] = k;
                    else delete next[k.id];
                    return next;
                  })
                }
                onToggle={(enable) => setToggle({ keys: [k], enable })}
                onRename={(to) => renameAlias.mutate({ keyId: k.id, from: k.aliases[0] ?? null, to, aliases: [to, ...k.aliases.slice(1)] })}
                onDescribe={(description) => editDescription.mutate({ keyId: k.id, description })}
              />
            ))}
          </tbody>
        </table>
      </div>

      <nav aria-label="Pagination" className="flex flex-wrap items-center justify-between gap-3 text-sm">
        <span data-testid="keys-total" className="text-slate-600 dark:text-slate-400">
          {data
            ? data.total === 0
              ? "0 keys"
              : `${(data.page - 1) * data.pageSize + 1}–${Math.min(data.total, data.page * data.pageSize)} of ${data.total.toLocaleString("en-US")} keys`
            : "\u00a0"}
        </span>
        <div className="flex items-center gap-2">
          <label className="flex items-center gap-2 whitespace-nowrap">
            Rows per page
            <Select value={pageSize} onChange={(e) => update({ pageSize: Number(e.target.value) }, "push")} className="w-20 py-1">
              {PAGE_SIZES.map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </Select>
          </label>
          <Button variant="secondary" size="sm" disabled={page <= 1} onClick={() => update({ page: page - 1 }, "push")}>
            Previous
          </Button>
          <span data-testid="keys-page" aria-live="polite">
            Page {page} of {totalPages}
          </span>
          <Button variant="secondary" size="sm" disabled={page >= totalPages} onClick={() => update({ page: page + 1 }, "push")}>
            Next
          </Button>
        </div>
      </nav>

      <ConfirmDialog
        open={!!toggle}
        title={toggle ? `${toggle.enable ? "Enable" : "Disable"} ${toggle.keys.length === 1 ? "key" : `${toggle.keys.length} keys`}` : ""}
        confirmLabel={toggle?.enable ? "Enable" : "Disable"}
        tone={toggle?.enable ? "primary" : "danger"}
        busy={bulkBusy}
        onClose={() => setToggle(null)}
        onConfirm={() => {
          if (!toggle) return;
          if (toggle.keys.length === 1) {
            const k = toggle.keys[0]!;
            setEnabled.mutate({ keyId: k.id, enable: toggle.enable, name: keyName(k) });
            setToggle(null);
          } else void runBulk(toggle.enable, toggle.keys);
        }}
      >
        {toggle && (
          <>
            <p>
              {toggle.enable
                ? "These keys can be used for cryptographic operations again:"
                : "Applications using these keys will get DisabledException until they are enabled again:"}
            </p>
            <ul className="mt-2 max-h-48 list-disc overflow-y-auto pl-5 font-mono text-xs" data-testid="confirm-key-list">
              {toggle.keys.map((k) => (
                <li key={k.id}>{keyName(k)}</li>
              ))}
            </ul>
          </>
        )}
      </ConfirmDialog>
    </>
  );
}
