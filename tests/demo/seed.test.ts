// `keyhold demo seed` through the real service: keys of every kind with
// aliases and tags, users of each role, a week of traffic by several
// principals with denied and failed calls, all audited (the chain verifies);
// a second run changes nothing and makes no more traffic.
import { describe, expect, it } from "vitest";
import { verifyAuditTrail } from "@/lib/audit/verify";
import { prisma } from "@/lib/db/client";
import { DEMO_KEYS, DEMO_USER_AGENT, seedDemo } from "@/lib/demo/seed";
import { operatorCommands } from "@/lib/operator/commands";
import { auditEvents } from "../support/audit-rows";

const demoEvents = async () => (await auditEvents({}, `"userAgent":"${DEMO_USER_AGENT}"`)).length;

describe("demo seed", () => {
  it("creates demo keys, users and traffic once, audited, and is idempotent", async () => {
    const first = await seedDemo();
    expect(first.keysCreated).toBe(DEMO_KEYS.length);
    expect(first.usersCreated.map((u) => u.role).sort()).toEqual(["ADMINISTRATOR", "AUDITOR", "KEY_ADMINISTRATOR", "KEY_USER", "KEY_USER"]);
    expect(first.usersCreated.every((u) => u.generatedPassword === undefined)).toBe(true);
    // A week's worth, small enough for the dashboard button.
    expect(first.trafficCalls).toBeGreaterThan(500);
    expect(first.trafficCalls).toBeLessThan(2500);

    const aliases = await prisma.alias.findMany({ where: { name: { startsWith: "alias/demo/" } }, include: { key: { include: { tags: true } } } });
    expect(aliases).toHaveLength(DEMO_KEYS.length);
    const specs = new Set(aliases.map((a) => a.key.keySpec));
    for (const spec of ["SYMMETRIC_DEFAULT", "RSA_2048", "RSA_3072", "ECC_NIST_P256", "ECC_SECG_P256K1", "ECC_NIST_EDWARDS25519", "HMAC_256", "ML_DSA_65"]) expect(specs).toContain(spec);
    expect(aliases.every((a) => a.key.description.length > 0 && a.key.tags.some((t) => t.tagKey === "demo" && t.tagValue === "true"))).toBe(true);
    const state = (alias: string) => aliases.find((a) => a.name === alias)!.key.keyState;
    expect(state("alias/demo/legacy-reports")).toBe("Disabled");
    expect(state("alias/demo/staging-scratch")).toBe("PendingDeletion");
    const rotated = aliases.find((a) => a.name === "alias/demo/payments-db")!.keyId;
    expect(await prisma.keyMaterial.count({ where: { keyId: rotated } })).toBe(2);

    // Traffic is audited like any call, marked by its user agent, with denied and failed calls among it.
    const marked = await demoEvents();
    expect(marked).toBeGreaterThanOrEqual(first.trafficCalls);
    const demo = await auditEvents({ orderBy: { id: "asc" } }, `"userAgent":"${DEMO_USER_AGENT}"`);
    const denied = demo.filter((e) => e.errorCode === "AccessDeniedException");
    expect(denied).toHaveLength(first.deniedCalls);
    expect(first.deniedCalls).toBeGreaterThanOrEqual(5);
    // The key administrator may manage keys but not use them: its Decrypts are refused.
    expect(denied.filter((d) => d.principalArn?.endsWith(":user/demo-key-admin") && d.eventName === "Decrypt").length).toBeGreaterThanOrEqual(5);
    expect(new Set(denied.map((d) => d.principalArn)).size).toBeGreaterThanOrEqual(3);
    const failed = demo.filter((e) => e.errorCode !== null && e.errorCode !== "AccessDeniedException").length;
    expect(failed).toBe(first.failedCalls);
    expect(first.failedCalls).toBeGreaterThanOrEqual(5);
    // Several principals, the everyday operations among their calls.
    const principals = [...new Set(demo.map((e) => e.principalArn?.split("/").pop()))].sort();
    expect(principals).toEqual(expect.arrayContaining(["demo-admin", "demo-auditor", "demo-key-admin", "demo-payments-app", "demo-reports-app"]));
    const operations = new Set(demo.filter((e) => e.errorCode === null).map((e) => e.eventName));
    for (const op of ["Encrypt", "Decrypt", "GenerateDataKey", "Sign", "Verify", "GenerateMac", "ListKeys"]) expect(operations).toContain(op);

    // Again, through the operator command the CLI uses: nothing new.
    const counts = async () => ({ keys: await prisma.kmsKey.count(), users: await prisma.user.count(), aliases: await prisma.alias.count() });
    const before = await counts();
    const second = (await operatorCommands["demo.seed"]!({})) as Awaited<ReturnType<typeof seedDemo>>;
    expect(second).toEqual({ keysCreated: 0, keysPresent: DEMO_KEYS.length, usersCreated: [], trafficCalls: 0, deniedCalls: 0, failedCalls: 0 });
    expect(await counts()).toEqual(before);
    expect(await demoEvents()).toBe(marked);

    expect((await verifyAuditTrail()).ok).toBe(true);
  });
});
