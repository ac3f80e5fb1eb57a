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

export async function databaseStatus(): Promise<DatabaseStatus> {
  const kind = databaseKind();
  const expected = shippedMigrations();
  try {
    const rows = await prisma.$queryRaw<{ migration_name: string }[]>`
      SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;
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
