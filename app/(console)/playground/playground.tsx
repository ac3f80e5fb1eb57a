"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { getJson, type ActionError } from "@/components/keys/client";
import { KeyPicker } from "@/components/keys/key-picker";
import { FAMILY_LABELS, offeredOperations, type KeyFacts, type OperationFamily } from "@/components/playground/operations";
import { cn } from "@/components/ui/cn";
import { Field } from "@/components/ui/field";
import { Skeleton } from "@/components/ui/skeleton";
import { Tabs } from "@/components/ui/tabs";
import type { KeyListPage, KeyRow } from "@/lib/console/keys/types";
import { CallFailure, kms } from "./call";
import { DataKeyPair } from "./data-key-pair";
import { Derive } from "./derive";
import { EncryptDecrypt } from "./encrypt-decrypt";
import { Envelope } from "./envelope";
import { Mac } from "./mac";
import { box, Failure } from "./parts";
import { Random } from "./random";
import { ReEncrypt } from "./re-encrypt";
import { SignVerify } from "./sign-verify";

/** What the playground offers: enabled keys whose policies let the caller use them. */
const USABLE = { status: "Enabled", usable: "1" };

function Operation({ family, k, keys }: { family: OperationFamily; k?: KeyFacts; keys: KeyRow[] }) {
  if (family === "random" || !k) return <Random />;
  switch (family) {
    case "envelope":
      return <Envelope k={k} />;
    case "encrypt":
      return <EncryptDecrypt k={k} />;
    case "re-encrypt":
      return <ReEncrypt k={k} encryptionKeys={keys.filter((x) => x.keyUsage === "ENCRYPT_DECRYPT")} />;
    case "data-key-pair":
      return <DataKeyPair k={k} />;
    case "sign":
      return <SignVerify k={k} />;
    case "mac":
      return <Mac k={k} />;
    case "derive":
      return <Derive k={k} />;
  }
}

/**
 * Every operation a key can do, tried out as the signed-in user. The list
 * holds only keys the key policies let this user use; DescribeKey (a real,
 * audited call) says what the chosen key can do, and only that is offered.
 */
export function Playground() {
  // The newest usable keys, for the first choice and ReEncrypt's default destination; the picker searches all of them.
  const keys = useQuery({
    queryKey: ["keys", "playground"],
    queryFn: () => getJson<KeyListPage>(`/api/keys?${new URLSearchParams({ ...USABLE, pageSize: "20" })}`),
  });
  const [chosen, setChosen] = useState<KeyRow | undefined>();
  const [family, setFamily] = useState<OperationFamily>("envelope");
  const current = chosen ?? keys.data?.keys[0];
  const selected = current?.id ?? "";
  const described = useQuery({
    queryKey: ["playground-describe", selected],
    enabled: !!selected,
    retry: false,
    queryFn: async () => (await kms<{ KeyMetadata: KeyFacts }>("DescribeKey", { KeyId: selected })).KeyMetadata,
  });
  const k = described.data;
  const offered = offeredOperations(k);
  const active = offered.includes(family) ? family : offered[0]!;

  return (
    <div className="flex flex-col gap-6">
      <div>
        <h1 className="text-2xl font-semibold">Key playground</h1>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
          Try what a key can do, as yourself: each call goes through Keyhold&apos;s key policies and is recorded in the audit trail. Each
          operation shows what travels between your browser and Keyhold.
        </p>
      </div>

      <section className={cn(box, "flex flex-col gap-3")} aria-label="Choose a key">
        {keys.isPending ? (
          <Skeleton className="h-16" />
        ) : keys.isError ? (
          // e.g. a role that may sign but not list keys: say so rather than "no key".
          <Failure failure={{ name: (keys.error as ActionError).type ?? "Error", message: `The keys could not be listed: ${keys.error.message}` }} />
        ) : keys.data.keys.length ? (
          <Field label="Key" hint="Enabled keys whose policy lets you use them (Keys → “Keys I can use”): type part of an alias or key ID.">
            {(p) => <KeyPicker {...p} value={current} onChange={setChosen} filters={USABLE} className="max-w-lg" />}
          </Field>
        ) : (
          <p className="text-sm">
            No enabled key you may use yet. <Link href="/keys/new" className="text-indigo-700 underline dark:text-indigo-300">Create one</Link>, or
            ask a key administrator to add you to a key&apos;s users. Random bytes need no key.
          </p>
        )}
        {k && (
          <p className="text-sm text-slate-600 dark:text-slate-400" data-testid="key-facts">
            {k.KeySpec} · {k.KeyUsage} · offers {offered.map((f) => FAMILY_LABELS[f]).join(", ")}
          </p>
        )}
        {described.isError && <Failure failure={described.error instanceof CallFailure ? described.error.failure : { name: "Error", message: described.error.message }} />}
      </section>

      {(!selected || k || described.isError) && (
        <Tabs tabs={offered.map((f) => ({ id: f, label: FAMILY_LABELS[f] }))} active={active} onChange={(id) => setFamily(id as OperationFamily)} label="Operations">
          <section className={box} aria-label={FAMILY_LABELS[active]}>
            {/* Keyed by key and operation: a new key starts its panel afresh. */}
            <Operation key={`${k?.KeyId ?? "none"}-${active}`} family={active} k={k} keys={keys.data?.keys ?? []} />
          </section>
        </Tabs>
      )}
    </div>
  );
}
