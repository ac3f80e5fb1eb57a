// Stopping the server: SIGTERM (a container stop) lets in-flight calls finish,
// tells keep-alive clients to go (Connection: close), exits 0 and frees the
// port, including when the signal goes to `npm start`. Clients that trickle
// their request are cut off after KEYHOLD_REQUEST_TIMEOUT_SECONDS.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { connect, createServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ADMIN_KEY, startApiServer, type TestServer } from "./server";
import { signedRequest } from "./signed-request";

const servers: TestServer[] = [];
afterAll(async () => {
  for (const s of servers) await s.stop();
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(port, "127.0.0.1", () => resolve(s));
    s.once("error", reject);
  });
}

/** Resolves when the server closes the socket. */
const closed = (s: Socket) => new Promise<void>((resolve) => (s.destroyed ? resolve() : s.once("close", () => resolve())));

/** Reads one HTTP response (head and Content-Length body) from a raw socket. */
function readResponse(s: Socket): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  return new Promise((resolve, reject) => {
    let buf = Buffer.alloc(0);
    const onData = (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      const end = buf.indexOf("\r\n\r\n");
      if (end < 0) return;
      const [statusLine, ...lines] = buf.subarray(0, end).toString().split("\r\n");
      const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(":")).toLowerCase(), l.slice(l.indexOf(":") + 1).trim()]));
      const length = Number(headers["content-length"] ?? 0);
      if (buf.length < end + 4 + length) return;
      s.off("data", onData);
      resolve({ status: Number(statusLine!.split(" ")[1]), headers, body: buf.subarray(end + 4, end + 4 + length).toString() });
    };
    s.on("data", onData);
    s.once("error", reject);
  });
}

/** A signed CreateKey as raw HTTP/1.1 on a keep-alive connection, split into head and body. */
async function createKeyRequest(port: number): Promise<{ head: string; body: string }> {
  const r = await signedRequest(`http://127.0.0.1:${port}`, "CreateKey", { Description: "shutdown" }, ADMIN_KEY);
  const headers = { ...r.headers, "content-length": String(Buffer.byteLength(r.body)), connection: "keep-alive" };
  const head = `POST / HTTP/1.1\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join("\r\n")}\r\n\r\n`;
  return { head, body: r.body };
}

describe("graceful shutdown and request timeouts", () => {
  it("closes a connection whose body never arrives after the request timeout", async () => {
    const server = await startApiServer({ env: { KEYHOLD_REQUEST_TIMEOUT_SECONDS: "2" } });
    servers.push(server);
    const s = await open(server.port);
    const { head } = await createKeyRequest(server.port);
    s.write(head); // the body is announced but never sent
    const answer = readResponse(s);
    await closed(s); // Node's default would hold it for 5 minutes: the test would time out
    expect((await answer).status).toBe(408);
  }, 120_000);

  it("on SIGTERM finishes the in-flight call, says Connection: close, closes idle keep-alive connections and exits 0", async () => {
    const server = await startApiServer();
    servers.push(server);
    // An idle keep-alive connection (one answered call, then nothing).
    const idle = await open(server.port);
    const first = await createKeyRequest(server.port);
    idle.write(first.head + first.body);
    expect((await readResponse(idle)).status).toBe(200);
    // A call in flight: its body is half sent when the signal arrives.
    const busy = await open(server.port);
    const { head, body } = await createKeyRequest(server.port);
    busy.write(head + body.slice(0, 10));
    await new Promise((r) => setTimeout(r, 300));
    const exited = new Promise<number | null>((r) => server.process.once("exit", (code) => r(code)));
    server.process.kill("SIGTERM");
    await closed(idle);
    const answer = readResponse(busy);
    busy.write(body.slice(10));
    const res = await answer;
    expect(res.status, res.body).toBe(200);
    expect(res.headers.connection).toBe("close");
    expect(JSON.parse(res.body)).toHaveProperty("KeyMetadata.KeyId");
    await closed(busy);
    expect(await exited).toBe(0);
  }, 120_000);
});

// `npm start` is what a container runs: its SIGTERM must reach the server.
// The full server needs the console build (CI builds before the tests);
// `npm run start:api` takes the same path without it.
const built = existsSync(join(process.cwd(), ".next", "BUILD_ID"));
if (!built) console.warn("npm start test skipped: no .next build (run `npm run build`); npm run start:api is tested");
describe.each([
  { script: "start", args: ["start"], portVar: "PORT", skip: !built },
  { script: "start:api", args: ["run", "start:api"], portVar: "KEYHOLD_API_PORT", skip: false },
])("npm $script", ({ args, portVar, skip }) => {
  it.skipIf(skip)("stops the server when npm is stopped", async () => {
    const port = await freePort();
    const dataDir = mkdtempSync(join(tmpdir(), "keyhold-npm-start-"));
    const env: NodeJS.ProcessEnv = { ...process.env, [portVar]: String(port), HOST: "127.0.0.1", KEYHOLD_DATA_DIR: dataDir, LOG_LEVEL: "warn" };
    delete env.DATABASE_URL; // the embedded database in its own data folder
    delete env.DB_POOL_MAX;
    const npm = spawn("npm", args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    npm.stdout!.on("data", (d) => (output += d));
    npm.stderr!.on("data", (d) => (output += d));
    const npmExited = new Promise<void>((r) => npm.once("exit", () => r()));
    try {
      const deadline = Date.now() + 240_000;
      for (;;) {
        const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.ok, () => false);
        if (ok) break;
        if (npm.exitCode !== null || Date.now() > deadline) throw new Error(`npm ${args.join(" ")} did not become ready:\n${output}`);
        await new Promise((r) => setTimeout(r, 500));
      }
      // The process that listens: npm's child (or deeper, if a shell stayed in between).
      const listener = spawnSync("ss", ["-Htlnp", `sport = :${port}`], { encoding: "utf8" }).stdout;
      const serverPid = Number(/pid=(\d+)/.exec(listener)?.[1]);
      expect(serverPid).toBeGreaterThan(0);

      npm.kill("SIGTERM");
      await npmExited;
      const alive = () => {
        try {
          process.kill(serverPid, 0);
          return true;
        } catch {
          return false;
        }
      };
      for (let i = 0; i < 100 && alive(); i++) await new Promise((r) => setTimeout(r, 100));
      expect(alive(), `server pid ${serverPid} still running after npm exited`).toBe(false);
      const refused = await open(port).then((s) => (s.destroy(), false), () => true);
      expect(refused).toBe(true);
    } finally {
      if (npm.exitCode === null) npm.kill("SIGKILL");
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 300_000);
});
