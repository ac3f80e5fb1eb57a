// The archive's plaintext: lines, each a one-letter tag, a tab and JSON.
//   H {"migrations":[...]}                     once, first
//   T {"table":"KmsKey","columns":[...]}       a table begins
//   R <row as PostgreSQL's row_to_json wrote it>
//   E {"table":"KmsKey","rows":12}             the table is complete
//   Z {"tables":15,"rows":1234}                the archive is complete
// Rows stay PostgreSQL's own JSON text from backup to restore (never parsed
// in JavaScript), so bytea, bigint, timestamps and JSON round-trip exactly —
// the audit hash chain depends on the exact record text.
import { ArchiveError, CHANGED } from "./archive";

export type ContentLine =
  | { tag: "H"; migrations: string[] }
  | { tag: "T"; table: string; columns: string[] }
  | { tag: "R"; json: string }
  | { tag: "E"; table: string; rows: number }
  | { tag: "Z"; tables: number; rows: number };

export function line(l: ContentLine): string {
  if (l.tag === "R") return `R\t${l.json}\n`;
  const { tag, ...rest } = l;
  return `${tag}\t${JSON.stringify(rest)}\n`;
}

/** Splits authenticated chunks into lines, checking the structure as it goes. */
export async function* contentLines(chunks: AsyncIterable<Buffer>): AsyncGenerator<ContentLine> {
  let rest = "";
  let table: string | undefined;
  let rows = 0;
  let total = 0;
  let tables = 0;
  let first = true;
  let ended = false;
  const decoder = new TextDecoder("utf-8", { fatal: true });
  for await (const chunk of chunks) {
    rest += decoder.decode(chunk, { stream: true });
    let nl: number;
    while ((nl = rest.indexOf("\n")) >= 0) {
      const text = rest.slice(0, nl);
      rest = rest.slice(nl + 1);
      if (ended) throw new ArchiveError(CHANGED);
      const tag = text[0];
      const body = text.slice(2);
      if (text[1] !== "\t") throw new ArchiveError(CHANGED);
      if (tag === "R") {
        if (!table) throw new ArchiveError(CHANGED);
        rows++;
        yield { tag, json: body };
        continue;
      }
      const parsed = JSON.parse(body) as Record<string, unknown>;
      const l = { tag, ...parsed } as ContentLine;
      if (first !== (l.tag === "H")) throw new ArchiveError(CHANGED);
      first = false;
      if (l.tag === "T") {
        if (table) throw new ArchiveError(CHANGED);
        table = l.table;
        rows = 0;
      } else if (l.tag === "E") {
        if (l.table !== table || l.rows !== rows) throw new ArchiveError(CHANGED);
        table = undefined;
        tables++;
        total += rows;
      } else if (l.tag === "Z") {
        if (table || l.tables !== tables || l.rows !== total) throw new ArchiveError(CHANGED);
        ended = true;
      }
      yield l;
    }
  }
  if (!ended || rest !== "") throw new ArchiveError(CHANGED);
}
