// The demo's traffic: what a week of this installation's use looks like —
// apps encrypting and signing around the clock with a weekday business-hours
// peak, nightly backups, people looking at keys, and the calls that go wrong:
// denied (a key administrator trying to decrypt, an auditor trying to use a
// key, apps trying to manage keys) and failed (a forgotten job still
// encrypting under the retired, disabled key; a tampered ciphertext; a wrong
// algorithm).
//
// Every call goes through the real service layer (invokeKms), so each is
// authorized and audited like any other and the chain verifies. The audit
// writer stamps each event with the time it is committed, and nothing lets a
// caller choose that time (it would let anyone write history), so the week is
// played now, in order: its shape is in the volume and mix of calls, not in
// the event times. Each call is marked as demo data by its user agent.
import type { Principal } from "@/lib/auth/principal";
import { invokeKms } from "@/lib/kms/invoke";

const DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"] as const;

/** The demo's callers, by what they stand for. */
export interface TrafficCallers {
  payments: Principal;
  reports: Principal;
  keyAdmin: Principal;
  auditor: Principal;
}

/** A call in the week: which hour, and the call itself (one or more service calls that belong together). */
interface Planned {
  day: number;
  hour: number;
  run: (call: Call) => Promise<void>;
}

/** Makes one audited service call; `expect` names the failure the story intends (denied, failed). */
type Call = (op: string, caller: Principal, input: unknown, expect?: string) => Promise<Record<string, unknown>>;

export interface TrafficResult {
  calls: number;
  denied: number;
  failed: number;
}

/** How busy an app is in an hour: a weekday peak from 08:00 to 18:59, quieter evenings, little at night. */
function appLoad(day: number, hour: number): number {
  const weekend = day >= 5;
  if (weekend) return hour >= 9 && hour <= 20 ? 1 : 0;
  if (hour >= 8 && hour <= 18) return 3;
  return hour >= 6 && hour <= 22 ? 1 : 0;
}

const text = (s: string) => new TextEncoder().encode(s);

/** The week as a list of planned calls, oldest first. `k(name)` is the key ID of alias/demo/<name>. */
function plan(c: TrafficCallers, k: (name: string) => string): Planned[] {
  const week: Planned[] = [];
  const at = (day: number, hour: number, run: Planned["run"]) => week.push({ day, hour, run });
  const message = text("demo message");
  // A card token the key administrator later tries to read (the first one payments encrypts).
  let captured!: (blob: Uint8Array) => void;
  const cardToken = new Promise<Uint8Array>((resolve) => (captured = resolve));
  for (let day = 0; day < 7; day++) {
    const weekday = day < 5;
    const context = { app: "payments", day: DAYS[day]! };
    for (let hour = 0; hour < 24; hour++) {
      const load = appLoad(day, hour);
      for (let i = 0; i < load; i++) {
        // Card tokens: encrypted at checkout, decrypted at settlement; session tokens signed (ES256).
        at(day, hour, async (call) => {
          const { CiphertextBlob } = await call("Encrypt", c.payments, { KeyId: k("payments-db"), Plaintext: text(`token-${day}-${hour}-${i}`), EncryptionContext: context });
          captured(CiphertextBlob as Uint8Array);
          await call("Decrypt", c.payments, { CiphertextBlob, EncryptionContext: context });
        });
        at(day, hour, (call) => call("Sign", c.payments, { KeyId: k("jwt-signing"), Message: message, SigningAlgorithm: "ECDSA_SHA_256" }).then(() => undefined));
      }
      if (weekday && hour >= 8 && hour <= 18) {
        // Reports: a data key per export, read back once an hour; webhooks authenticated.
        at(day, hour, async (call) => {
          const { CiphertextBlob } = await call("GenerateDataKey", c.reports, { KeyId: k("customer-pii"), KeySpec: "AES_256" });
          await call("GenerateDataKey", c.reports, { KeyId: k("customer-pii"), KeySpec: "AES_256" });
          await call("Decrypt", c.reports, { CiphertextBlob });
        });
        at(day, hour, (call) => call("GenerateMac", c.reports, { KeyId: k("webhook-mac"), Message: message, MacAlgorithm: "HMAC_SHA_256" }).then(() => undefined));
      }
    }
    // Nightly backup at 02:00: one data key.
    at(day, 2, (call) => call("GenerateDataKey", c.payments, { KeyId: k("backups"), KeySpec: "AES_256" }).then(() => undefined));
    // Settlement twice a day, firmware attestation once.
    for (const hour of [11, 23]) at(day, hour, (call) => call("Sign", c.payments, { KeyId: k("wallet"), Message: message, SigningAlgorithm: "ECDSA_SHA_256" }).then(() => undefined));
    at(day, 4, (call) => call("Sign", c.payments, { KeyId: k("device-attestation"), Message: message, SigningAlgorithm: "ED25519_SHA_512" }).then(() => undefined));
    if (weekday) {
      // Invoices signed at 06:00 and checked by payments; the auditor's morning look at the keys.
      at(day, 6, async (call) => {
        const { Signature } = await call("Sign", c.reports, { KeyId: k("invoice-signing"), Message: message, SigningAlgorithm: "RSASSA_PSS_SHA_256" });
        await call("Verify", c.payments, { KeyId: k("invoice-signing"), Message: message, Signature, SigningAlgorithm: "RSASSA_PSS_SHA_256" });
      });
      at(day, 9, (call) => call("ListKeys", c.auditor, {}).then(() => undefined));
      // A forgotten job still encrypts under the retired key every weekday morning: DisabledException.
      at(day, 7, (call) => call("Encrypt", c.reports, { KeyId: k("legacy-reports"), Plaintext: message }, "DisabledException").then(() => undefined));
      // The key administrator tries to read a card token (separation of duties: denied).
      at(day, 15, async (call) => {
        const CiphertextBlob = await cardToken;
        await call("Decrypt", c.keyAdmin, { KeyId: k("payments-db"), CiphertextBlob, EncryptionContext: { app: "payments", day: DAYS[0] } }, "AccessDeniedException");
      });
    }
  }
  // One-offs over the week.
  at(0, 10, (call) => call("GetPublicKey", c.keyAdmin, { KeyId: k("partner-exchange") }).then(() => undefined));
  at(1, 14, (call) => call("DescribeKey", c.keyAdmin, { KeyId: k("wallet") }).then(() => undefined));
  at(1, 16, (call) => call("GetKeyRotationStatus", c.auditor, { KeyId: k("customer-pii") }).then(() => undefined));
  at(2, 11, (call) => call("Sign", c.reports, { KeyId: k("pq-code-signing"), Message: message, SigningAlgorithm: "ML_DSA_SHAKE_256" }).then(() => undefined));
  at(2, 13, (call) => call("GenerateDataKey", c.auditor, { KeyId: k("customer-pii"), KeySpec: "AES_256" }, "AccessDeniedException").then(() => undefined));
  at(3, 10, (call) => call("ScheduleKeyDeletion", c.reports, { KeyId: k("backups"), PendingWindowInDays: 7 }, "AccessDeniedException").then(() => undefined));
  at(3, 17, (call) => call("DisableKey", c.payments, { KeyId: k("payments-db") }, "AccessDeniedException").then(() => undefined));
  at(4, 12, (call) => call("Decrypt", c.payments, { CiphertextBlob: TAMPERED }, "InvalidCiphertextException").then(() => undefined));
  at(4, 15, (call) => call("Sign", c.payments, { KeyId: k("jwt-signing"), Message: message, SigningAlgorithm: "RSASSA_PSS_SHA_256" }, "InvalidKeyUsageException").then(() => undefined));
  at(5, 10, async (call) => {
    await call("Decrypt", c.auditor, { CiphertextBlob: await cardToken, EncryptionContext: { app: "payments", day: DAYS[0] } }, "AccessDeniedException");
  });
  return week.sort((a, b) => a.day - b.day || a.hour - b.hour);
}

/** Not a ciphertext of this installation: Decrypt refuses it (or the caller is refused first). */
const TAMPERED = new Uint8Array(96).fill(7);

/** Calls in flight at once: the audit writer group-commits them, so the week takes seconds, not minutes. */
const CONCURRENCY = 8;

/** Plays the week through the service layer; returns how many calls were made and how many were denied or failed. */
export async function playDemoWeek(callers: TrafficCallers, keyId: (name: string) => string): Promise<TrafficResult> {
  const result: TrafficResult = { calls: 0, denied: 0, failed: 0 };
  const call: Call = async (op, caller, input, expect) => {
    result.calls++;
    try {
      return (await invokeKms(op, caller, input, { source: "cli" })) as Record<string, unknown>;
    } catch (e) {
      const name = (e as Error).name;
      // Only the failures the story means are part of it; anything else is a fault of the demo.
      if (!expect || !expect.split("|").includes(name)) throw e;
      if (name === "AccessDeniedException") result.denied++;
      else result.failed++;
      return {};
    }
  };
  const queue = plan(callers, keyId);
  let next = 0;
  const worker = async () => {
    while (next < queue.length) await queue[next++]!.run(call);
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return result;
}
