// `npm run start:api`: the API server alone (no Next.js, no build needed).
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const { register } = await import("tsx/esm/api");
register({ tsconfig: join(root, "tsconfig.json") });
await import(join(root, "api-server.ts"));
