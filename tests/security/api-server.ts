// The KMS API handler (lib/api) on a loopback port, in this process, with an
// access key for a test user: the wire layer exactly as clients reach it,
// without starting a whole server.
import { createServer, type Server } from "node:http";
import { createAccessKey } from "@/lib/accounts/access-keys";
import { handleApiRequest } from "@/lib/api/handler";
import type { Principal } from "@/lib/auth/principal";
import { operator } from "../helpers";
import { send, signedRequest } from "../compat/signed-request";
import { recordSecret } from "../secret-registry";

export interface InProcessApi {
  endpoint: string;
  close(): Promise<void>;
}

export async function startInProcessApi(): Promise<InProcessApi> {
  const server: Server = createServer((req, res) => void handleApiRequest(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export async function accessKeyFor(user: Principal): Promise<{ accessKeyId: string; secretAccessKey: string }> {
  const k = await createAccessKey(await operator(), { username: user.username });
  recordSecret(k.SecretAccessKey, "security test access key");
  return { accessKeyId: k.AccessKeyId, secretAccessKey: k.SecretAccessKey };
}

/** Sends `body` (raw JSON text, so keys such as "__proto__" arrive as written). */
export async function apiCall(api: InProcessApi, credentials: { accessKeyId: string; secretAccessKey: string }, operation: string, body: string) {
  return send(api.endpoint, await signedRequest(api.endpoint, operation, body, credentials));
}
