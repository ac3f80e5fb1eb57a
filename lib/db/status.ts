// What /readyz and `keyhold status` report about the database.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { prisma } from "./client";

export type DatabaseKind = "embedded" | "postgresql";

export function databaseKind(): DatabaseKind {
  return process.env.KEYHOLD_DB_KIND === "embedded" ? "embedded" : "postgresql";
}

let expectedMigrations: string[] | undefined;
/** Migration folders shipped with this build (prisma/migrations/<timestamp>_<name>). */
export function shippedMigrations(root = process.cwd()): string[] {
  return (expectedMigrations ??= readdirSync(join(root, "prisma", "migrations"), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort());
}

export interface DatabaseStatus {
  kind: DatabaseKind;
  reachable: boolean;
  migrations: { applied: number; expected: number; pending: string[] };
  error?: string;
}

let inFlight: Promise<{ migration_name: string }[]> | undefined;
/** One probe at a time: frequent probes of a database that does not answer must not take the whole pool. */
function appliedMigrations(): Promise<{ migration_name: string }[]> {
  return (inFlight ??= prisma.$queryRaw<{ migration_name: string }[]>`
      SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`.finally(() => {
    inFlight = undefined;
  }));
}

function within<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the database did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** `timeoutMs`: how long to wait for the database before reporting it unreachable (/readyz must answer promptly). */
export async function databaseStatus(options: { timeoutMs?: number } = {}): Promise<DatabaseStatus> {
  const kind = databaseKind();
  const expected = shippedMigrations();
  try {
    const probe = appliedMigrations();
    const rows = await (options.timeoutMs ? within(probe, options.timeoutMs) : probe);
    const applied = new Set(rows.map((r) => r.migration_name));
    const pending = expected.filter((m) => !applied.has(m));
    return { kind, reachable: true, migrations: { applied: applied.size, expected: expected.length, pending } };
  } catch (e) {
    return {
      kind,
      reachable: false,
      migrations: { applied: 0, expected: expected.length, pending: expected },
      error: e instanceof Error ? e.message.split("\n")[0] : "unknown error",
    };
  }
}

/** Unique-constraint violation, recognised by code so it works across bundled copies of the client. */
export function isUniqueViolation(e: unknown): boolean {
  return typeof e === "object" && e !== null && (e as { code?: unknown }).code === "P2002";
}
