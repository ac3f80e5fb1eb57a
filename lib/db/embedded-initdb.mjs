// Creates a PGlite cluster in argv[2] and exits. Run as a child process on the
// embedded database's first start: initdb grows PGlite's WASM memory to
// ~650 MB, which a WebAssembly.Memory never gives back, so doing it here keeps
// that peak out of the long-lived server.
import { PGlite } from "@electric-sql/pglite";

const db = await PGlite.create(process.argv[2]);
await db.close();
process.exit(0);
