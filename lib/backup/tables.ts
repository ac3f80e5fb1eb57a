// Which tables a backup holds and in which order they are restored: read
// from the database's own catalog, so a table added by a later migration is
// backed up without touching this code.
import type pg from "pg";

export type Queryable = Pick<pg.PoolClient, "query">;

export interface TableInfo {
  name: string;
  columns: string[];
}

/** Prisma's own bookkeeping: the target has it from its migrations. */
const NOT_BACKED_UP = new Set(["_prisma_migrations"]);

export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Keyhold's tables in foreign-key order (a referenced table before those that reference it). */
export async function keyholdTables(db: Queryable): Promise<TableInfo[]> {
  const { rows: columns } = await db.query<{ table: string; column: string }>(
    `SELECT c.table_name AS "table", c.column_name AS "column"
       FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
      ORDER BY c.table_name, c.ordinal_position`,
  );
  const tables = new Map<string, string[]>();
  for (const { table, column } of columns) {
    if (NOT_BACKED_UP.has(table)) continue;
    if (!tables.has(table)) tables.set(table, []);
    tables.get(table)!.push(column);
  }
  const { rows: refs } = await db.query<{ from: string; to: string }>(
    `SELECT src.relname AS "from", dst.relname AS "to"
       FROM pg_constraint k
       JOIN pg_class src ON src.oid = k.conrelid
       JOIN pg_class dst ON dst.oid = k.confrelid
       JOIN pg_namespace n ON n.oid = src.relnamespace
      WHERE k.contype = 'f' AND n.nspname = current_schema() AND k.conrelid <> k.confrelid`,
  );
  // Depth-first topological sort, names sorted for a stable order.
  const order: string[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (t: string) => {
    if (state.get(t) === "done") return;
    if (state.get(t) === "visiting") throw new Error(`foreign keys form a cycle through table ${t}`);
    state.set(t, "visiting");
    for (const r of refs.filter((r) => r.from === t && tables.has(r.to)).sort((a, b) => a.to.localeCompare(b.to))) visit(r.to);
    state.set(t, "done");
    order.push(t);
  };
  for (const t of [...tables.keys()].sort()) visit(t);
  return order.map((name) => ({ name, columns: tables.get(name)! }));
}

/** Columns filled from a sequence (AuditEvent.id, AuditDigest.id), to move past restored values. */
export async function sequenceColumns(db: Queryable): Promise<Array<{ table: string; column: string; sequence: string }>> {
  const { rows } = await db.query<{ table: string; column: string; sequence: string | null }>(
    `SELECT table_name AS "table", column_name AS "column",
            pg_get_serial_sequence(quote_ident(table_schema) || '.' || quote_ident(table_name), column_name) AS "sequence"
       FROM information_schema.columns
      WHERE table_schema = current_schema() AND column_default LIKE 'nextval(%'`,
  );
  return rows.filter((r): r is { table: string; column: string; sequence: string } => r.sequence !== null && !NOT_BACKED_UP.has(r.table));
}

/** Names of the applied migrations, oldest first. */
export async function appliedMigrations(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ name: string }>(
    `SELECT migration_name AS name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name`,
  );
  return rows.map((r) => r.name);
}
