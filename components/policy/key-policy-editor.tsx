"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import {
  getKeyPolicyAction,
  listKeyPolicyPrincipalsAction,
  putKeyPolicyAction,
  reviewKeyPolicyAction,
} from "@/app/(console)/keys/actions";
import { ActionError, unwrap } from "@/components/keys/client";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { Skeleton } from "@/components/ui/skeleton";
import { useToast } from "@/components/ui/toast";
import { JsonEditor } from "./json-editor";
import { PeoplePicker } from "./people-picker";
import { PolicyDiff } from "./policy-diff";
import { PolicySimulator } from "./simulator";
import {
  ADMIN_SID,
  formatPolicy,
  jsonErrorLocation,
  parsePolicyText,
  prettyPolicy,
  principalsOf,
  setAdministrators,
  setUsers,
  USER_SID,
} from "./statements";

/** PutKeyPolicy's refusal when the new policy would lock the caller out (lib/kms/authorize LOCKOUT_MESSAGE). */
const LOCKOUT = "will not allow you to update the key policy";

type View = "default" | "json";

export interface PolicyKey {
  id: string;
  keySpec: string;
  keyUsage: string;
  keyState: string;
}

/** The key page's "Key policy" tab: default view (people pickers), JSON view, review diff, save, simulate. */
export function KeyPolicyEditor({ k, canEdit, canSimulate = true }: { k: PolicyKey; canEdit: boolean; canSimulate?: boolean }) {
  const id = useId();
  const toast = useToast();
  const queryClient = useQueryClient();
  const policy = useQuery({
    queryKey: ["key-policy", k.id],
    queryFn: () => unwrap(getKeyPolicyAction(k.id)),
    retry: (n, e) => !["AccessDeniedException", "NotFoundException"].includes((e as ActionError).type) && n < 1,
  });
  const editable = canEdit && k.keyState !== "PendingDeletion";
  const people = useQuery({
    queryKey: ["key-policy-principals", k.id],
    queryFn: () => unwrap(listKeyPolicyPrincipalsAction(k.id)),
    enabled: editable,
    staleTime: 30_000,
  });
  const [view, setView] = useState<View>("default");
  const [draft, setDraft] = useState<string | null>(null);
  const [stage, setStage] = useState<"edit" | "review">("edit");
  const [serverError, setServerError] = useState("");
  const [schemaProblems, setSchemaProblems] = useState<string[]>([]);
  const [lockout, setLockout] = useState("");
  const [unknownActions, setUnknownActions] = useState<Array<{ action: string; suggestion?: string }>>([]);
  const [bypass, setBypass] = useState(false);
  const [simulating, setSimulating] = useState(false);

  const reset = () => {
    setDraft(null);
    setStage("edit");
    setServerError("");
    setLockout("");
    setUnknownActions([]);
    setBypass(false);
  };

  // Review runs every check Save would (grammar, principals, lockout), so Save holds no surprise.
  const validate = useMutation({
    mutationFn: (text: string) => unwrap(reviewKeyPolicyAction(k.id, text)),
    onSuccess: (review) => {
      setLockout(review.lockout ?? "");
      setUnknownActions(review.unknownActions);
      setStage("review");
    },
    onError: (e) => setServerError(`${(e as ActionError).type}: ${e.message}`),
  });

  const save = useMutation({
    mutationFn: ({ text, bypassCheck }: { text: string; bypassCheck: boolean }) => unwrap(putKeyPolicyAction(k.id, text, bypassCheck)),
    onSuccess: (_d, { text }) => {
      queryClient.setQueryData(["key-policy", k.id], { policy: text });
      void queryClient.invalidateQueries({ queryKey: ["key-policy", k.id] });
      void queryClient.invalidateQueries({ queryKey: ["key", k.id] });
      reset();
      toast("success", "Key policy saved");
    },
    onError: (e) => {
      const err = e as ActionError;
      if (err.approvalRequestId) {
        // Held for approval: the policy is saved when the approvers agree (Approvals page).
        reset();
        toast("info", `Approval requested. ${err.message}`);
        return;
      }
      if (err.type === "MalformedPolicyDocumentException" && err.message.includes(LOCKOUT)) {
        setLockout(err.message);
        return;
      }
      setStage("edit");
      setServerError(`${err.type}: ${err.message}`);
    },
  });

  if (policy.isPending) {
    return (
      <div role="status" className="flex flex-col gap-3" aria-busy aria-label="Loading the key policy">
        <Skeleton className="h-8 w-64" />
        <Skeleton className="h-64" />
      </div>
    );
  }
  if (policy.isError) {
    const denied = (policy.error as ActionError).type === "AccessDeniedException";
    return (
      <div role="alert" className="flex flex-col items-start gap-2 rounded-md bg-red-50 p-4 text-sm text-red-800 dark:bg-red-950 dark:text-red-200">
        <p className="font-medium">{denied ? "You may not read this key's policy." : "The key policy could not be loaded."}</p>
        <p className="font-mono text-xs break-all">{policy.error.message}</p>
        {!denied && (
          <Button variant="secondary" size="sm" onClick={() => policy.refetch()}>
            Retry
          </Button>
        )}
      </div>
    );
  }

  const saved = prettyPolicy(policy.data.policy);
  const text = draft ?? saved;
  const dirty = draft !== null && draft !== saved;
  let syntaxError = "";
  try {
    JSON.parse(text);
  } catch (e) {
    syntaxError = (e as Error).message;
  }
  const errorAt = syntaxError ? jsonErrorLocation(text, syntaxError) : undefined;
  const parsed = parsePolicyText(text);
  const edit = (next: string) => {
    setDraft(next);
    setServerError("");
    setLockout("");
    setUnknownActions([]);
    setBypass(false);
    if (stage === "review") setStage("edit");
  };
  const editorId = `${id}-json`;

  return (
    <div className="flex flex-col gap-5">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div role="group" aria-label="Policy view" className="inline-flex rounded-md border border-slate-300 p-0.5 dark:border-slate-600">
          {(["default", "json"] as const).map((v) => (
            <button
              key={v}
              type="button"
              aria-pressed={view === v}
              onClick={() => setView(v)}
              className={cn(
                "rounded px-3 py-1 text-sm focus-visible:outline-2 focus-visible:outline-indigo-500",
                view === v ? "bg-indigo-600 text-white" : "text-slate-700 hover:bg-slate-100 dark:text-slate-200 dark:hover:bg-slate-800",
              )}
            >
              {v === "default" ? "Default view" : "JSON view"}
            </button>
          ))}
        </div>
        <span className="text-xs text-slate-600 dark:text-slate-400" data-testid="policy-status">
          {dirty ? "Unsaved changes" : "Saved"}
        </span>
      </div>

      {view === "default" ? (
        parsed.ok ? (
          <div className="flex flex-col gap-6">
            <PeoplePicker
              title="Key administrators"
              noun="key administrator"
              help={`Principals of the "${ADMIN_SID}" statement: they manage the key (AWS's standard administrator actions), they cannot use it.`}
              arns={principalsOf(parsed.doc, ADMIN_SID)}
              people={people.data ?? []}
              peopleLoading={people.isPending && editable}
              editable={editable}
              onChange={(arns) => edit(formatPolicy(setAdministrators(parsed.doc, arns)))}
            />
            <PeoplePicker
              title="Key users"
              noun="key user"
              help={`Principals of the "${USER_SID}" statement: they use the key for cryptographic operations${
                k.keyUsage === "ENCRYPT_DECRYPT" && k.keySpec === "SYMMETRIC_DEFAULT" ? " and may create grants for AWS resources" : ""
              }.`}
              arns={principalsOf(parsed.doc, USER_SID)}
              people={people.data ?? []}
              peopleLoading={people.isPending && editable}
              editable={editable}
              onChange={(arns) => edit(formatPolicy(setUsers(parsed.doc, arns, k)))}
            />
            {people.isError && (
              <p role="alert" className="text-sm text-red-700 dark:text-red-300">
                Users could not be loaded: {people.error.message}
              </p>
            )}
            <p className="text-xs text-slate-600 dark:text-slate-400">
              The default view edits the standard statements by their Sid; the policy&apos;s {parsed.doc.Statement.length} statement
              {parsed.doc.Statement.length === 1 ? "" : "s"} are otherwise kept as they are. Use the JSON view for anything else.
            </p>
          </div>
        ) : (
          <div role="alert" className="rounded-md bg-amber-50 p-4 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-200">
            The default view needs a valid policy: {parsed.error}{" "}
            <button type="button" className="underline" onClick={() => setView("json")}>
              Fix it in the JSON view
            </button>
            .
          </div>
        )
      ) : (
        <div className="flex flex-col gap-1">
          <span id={editorId} className="text-sm font-medium text-slate-700 dark:text-slate-300">
            Key policy JSON
          </span>
          <JsonEditor
            label="Key policy JSON"
            value={text}
            onChange={edit}
            readOnly={!editable}
            onProblems={(problems) => setSchemaProblems(problems.map((p) => p.message))}
            invalid={!!syntaxError || !!serverError || schemaProblems.length > 0}
            describedBy={syntaxError || serverError || schemaProblems.length ? `${id}-json-error` : undefined}
          />
          {syntaxError ? (
            <p id={`${id}-json-error`} className="text-xs text-red-700 dark:text-red-300" data-testid="json-syntax-error">
              JSON syntax error{errorAt ? ` at line ${errorAt.line}, column ${errorAt.column}` : ""}: {syntaxError}
            </p>
          ) : schemaProblems.length > 0 ? (
            // The schema is a guide while typing; the server's check on review is the authority.
            <ul id={`${id}-json-error`} className="list-disc pl-5 text-xs text-red-700 dark:text-red-300" data-testid="policy-schema-problems">
              {schemaProblems.map((m) => (
                <li key={m}>{m}</li>
              ))}
            </ul>
          ) : (
            !serverError && <p className="text-xs text-emerald-700 dark:text-emerald-400">Valid JSON, and the policy grammar checks out.</p>
          )}
        </div>
      )}

      {serverError && (
        <p id={`${id}-json-error`} role="alert" className="rounded-md bg-red-50 px-4 py-3 text-sm text-red-800 dark:bg-red-950 dark:text-red-200" data-testid="policy-server-error">
          {serverError}
        </p>
      )}

      {editable && dirty && stage === "edit" && (
        <div className="flex flex-wrap gap-2">
          <Button disabled={!!syntaxError} busy={validate.isPending} onClick={() => validate.mutate(text)}>
            Review changes
          </Button>
          <Button variant="secondary" onClick={reset}>
            Discard changes
          </Button>
        </div>
      )}

      {editable && dirty && stage === "review" && (
        <section aria-label="Review changes" className="flex flex-col gap-3 rounded-md border border-indigo-200 p-4 dark:border-indigo-900">
          <PolicyDiff before={saved} after={text} />
          {unknownActions.length > 0 && (
            <div role="alert" className="rounded-md bg-amber-50 p-3 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-200" data-testid="policy-unknown-actions">
              <p className="font-medium">These actions match no KMS action, so their statements do nothing for them:</p>
              <ul className="mt-1 list-disc pl-5">
                {unknownActions.map((u) => (
                  <li key={u.action}>
                    <code className="font-mono">{u.action}</code>
                    {u.suggestion && (
                      <>
                        {" "}
                        (did you mean <code className="font-mono">{u.suggestion}</code>?)
                      </>
                    )}
                  </li>
                ))}
              </ul>
            </div>
          )}
          {lockout && (
            <div role="alert" className="flex flex-col gap-2 rounded-md bg-amber-50 p-3 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-200">
              <p>
                <span className="font-medium">The lockout safety check fails:</span> {lockout} Saving anyway could leave nobody able to change this key&apos;s policy.
              </p>
              <label className="flex items-center gap-2">
                <input type="checkbox" checked={bypass} onChange={(e) => setBypass(e.target.checked)} />
                Bypass the policy lockout safety check
              </label>
            </div>
          )}
          <div className="flex flex-wrap gap-2">
            {lockout ? (
              <Button variant="danger" disabled={!bypass} busy={save.isPending} onClick={() => save.mutate({ text, bypassCheck: true })}>
                Save anyway
              </Button>
            ) : (
              <Button busy={save.isPending} onClick={() => save.mutate({ text, bypassCheck: false })}>
                Save changes
              </Button>
            )}
            <Button variant="secondary" onClick={() => setStage("edit")}>
              Back to editing
            </Button>
          </div>
        </section>
      )}

      {!canEdit && (
        <p className="text-sm text-slate-600 dark:text-slate-400" data-testid="policy-read-only">
          Read-only: changing this policy needs kms:PutKeyPolicy on this key, which its policy does not give you.
        </p>
      )}

      {canSimulate && (
      <section className="flex flex-col gap-3 border-t border-slate-200 pt-4 dark:border-slate-800">
        <Button
          variant="secondary"
          className="self-start"
          aria-expanded={simulating}
          aria-controls={`${id}-simulate`}
          onClick={() => setSimulating(!simulating)}
        >
          {simulating ? "Hide simulator" : "Simulate"}
        </Button>
        {simulating && (
          <div id={`${id}-simulate`} className="flex flex-col gap-2">
            <h3 className="font-medium">Simulate access to this key</h3>
            <p className="text-sm text-slate-600 dark:text-slate-400">Evaluates the saved policy (not unsaved changes), with the principals&apos; roles and grants.</p>
            <PolicySimulator keyId={k.id} />
          </div>
        )}
      </section>
      )}
    </div>
  );
}
