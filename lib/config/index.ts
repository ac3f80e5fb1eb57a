// Configuration from the environment, validated once at start-up. A bad value
// stops the process with one line naming the variable (see formatConfigError).
import { resolve } from "node:path";
import { z } from "zod";
import { DB_TIMEOUT_DEFAULTS } from "@/lib/db/timeouts";

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === "" ? undefined : v));

const durationMinutes = (name: string, def: number) =>
  z.coerce
    .number({ error: `${name} must be a whole number of minutes` })
    .int(`${name} must be a whole number of minutes`)
    .min(1, `${name} must be at least 1 minute`)
    .max(7 * 24 * 60, `${name} must be at most one week`)
    .default(def);

const milliseconds = (name: string, def: number, min: number) =>
  z.coerce
    .number({ error: `${name} must be a number of milliseconds` })
    .int(`${name} must be a whole number of milliseconds`)
    .min(min, `${name} must be at least ${min}`)
    .max(600_000, `${name} must be at most 600000 (10 minutes)`)
    .default(def);

const seconds = (name: string, def: number) =>
  z.coerce
    .number({ error: `${name} must be a number of seconds` })
    .int(`${name} must be a whole number of seconds`)
    .min(1, `${name} must be at least 1 second`)
    .max(3600, `${name} must be at most 3600 seconds`)
    .default(def);

export const configSchema = z
  .object({
    DATABASE_URL: optionalString.pipe(
      z
        .string()
        .regex(/^postgres(ql)?:\/\//, "DATABASE_URL must be a postgresql:// connection URL")
        .optional(),
    ),
    PORT: z.coerce
      .number({ error: "PORT must be a number" })
      .int("PORT must be a whole number")
      .min(0, "PORT must be between 0 and 65535")
      .max(65535, "PORT must be between 0 and 65535")
      .default(3000),
    HOST: optionalString.pipe(z.string().min(1).default("0.0.0.0")),
    KEYHOLD_DATA_DIR: optionalString.pipe(z.string().default(".keyhold")),
    KEYHOLD_ACCOUNT_ID: optionalString.pipe(
      z.string().regex(/^\d{12}$/, "KEYHOLD_ACCOUNT_ID must be exactly 12 digits").optional(),
    ),
    KEYHOLD_REGION: optionalString.pipe(
      z
        .string()
        .regex(/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/, "KEYHOLD_REGION must look like an AWS region, e.g. us-east-1")
        .default("us-east-1"),
    ),
    KEYHOLD_ADMIN_USER: optionalString.pipe(
      z
        .string()
        .regex(/^[A-Za-z0-9_.@+=,-]{1,64}$/, "KEYHOLD_ADMIN_USER must be 1-64 characters of A-Z a-z 0-9 _ . @ + = , -")
        .default("admin"),
    ),
    KEYHOLD_ADMIN_PASSWORD: optionalString.pipe(
      z.string().min(12, "KEYHOLD_ADMIN_PASSWORD must be at least 12 characters").max(256).optional(),
    ),
    NEXTAUTH_URL: optionalString.pipe(z.url({ error: "NEXTAUTH_URL must be an absolute URL" }).optional()),
    NEXTAUTH_SECRET: optionalString.pipe(
      z.string().min(32, "NEXTAUTH_SECRET must be at least 32 characters").optional(),
    ),
    KEYHOLD_SESSION_IDLE_MINUTES: durationMinutes("KEYHOLD_SESSION_IDLE_MINUTES", 30),
    KEYHOLD_SESSION_MAX_MINUTES: durationMinutes("KEYHOLD_SESSION_MAX_MINUTES", 12 * 60),
    KEYHOLD_ROOT_KEY: optionalString.pipe(
      z.string().regex(/^[A-Za-z0-9+/]{43}=$/, "KEYHOLD_ROOT_KEY must be the base64 encoding of exactly 32 bytes").optional(),
    ),
    KEYHOLD_ROOT_KEY_STORE: optionalString.pipe(
      z.enum(["local", "shamir", "pkcs11"], { error: "KEYHOLD_ROOT_KEY_STORE must be local, shamir or pkcs11" }).optional(),
    ),
    KEYHOLD_PKCS11_MODULE: optionalString,
    KEYHOLD_PKCS11_TOKEN_LABEL: optionalString.pipe(z.string().max(32, "KEYHOLD_PKCS11_TOKEN_LABEL must be at most 32 characters").optional()),
    KEYHOLD_PKCS11_KEY_LABEL: optionalString.pipe(z.string().min(1).max(128).default("keyhold-root-key")),
    KEYHOLD_PKCS11_PIN: optionalString,
    KEYHOLD_PKCS11_PIN_FILE: optionalString,
    KEYHOLD_KEY_CACHE_SIZE: z.coerce
      .number({ error: "KEYHOLD_KEY_CACHE_SIZE must be a number" })
      .int("KEYHOLD_KEY_CACHE_SIZE must be a whole number")
      .min(1, "KEYHOLD_KEY_CACHE_SIZE must be at least 1")
      .max(1_000_000, "KEYHOLD_KEY_CACHE_SIZE must be at most 1000000")
      .default(1000),
    KEYHOLD_KEY_CACHE_TTL_SECONDS: z.coerce
      .number({ error: "KEYHOLD_KEY_CACHE_TTL_SECONDS must be a number" })
      .int("KEYHOLD_KEY_CACHE_TTL_SECONDS must be a whole number")
      .min(1, "KEYHOLD_KEY_CACHE_TTL_SECONDS must be at least 1")
      .max(86_400, "KEYHOLD_KEY_CACHE_TTL_SECONDS must be at most 86400")
      .default(300),
    KEYHOLD_BOOTSTRAP_ACCESS_KEY_ID: optionalString.pipe(
      z
        .string()
        .regex(/^AKIA[A-Z2-7]{16}$/, "KEYHOLD_BOOTSTRAP_ACCESS_KEY_ID must be AKIA followed by 16 characters A-Z or 2-7")
        .optional(),
    ),
    KEYHOLD_BOOTSTRAP_SECRET_ACCESS_KEY: optionalString.pipe(
      z
        .string()
        .regex(/^[A-Za-z0-9/+]{40}$/, "KEYHOLD_BOOTSTRAP_SECRET_ACCESS_KEY must be 40 characters of A-Z a-z 0-9 / +")
        .optional(),
    ),
    KEYHOLD_API_PORT: z.coerce
      .number({ error: "KEYHOLD_API_PORT must be a number" })
      .int("KEYHOLD_API_PORT must be a whole number")
      .min(0, "KEYHOLD_API_PORT must be between 0 and 65535")
      .max(65535, "KEYHOLD_API_PORT must be between 0 and 65535")
      .default(3001),
    KEYHOLD_AUDIT_RETENTION_DAYS: optionalString.pipe(
      z.coerce
        .number<string | undefined>({ error: "KEYHOLD_AUDIT_RETENTION_DAYS must be a number of days" })
        .int("KEYHOLD_AUDIT_RETENTION_DAYS must be a whole number of days")
        .min(30, "KEYHOLD_AUDIT_RETENTION_DAYS must be at least 30")
        .optional(),
    ),
    KEYHOLD_API_WORKERS: z.coerce
      .number({ error: "KEYHOLD_API_WORKERS must be a number" })
      .int("KEYHOLD_API_WORKERS must be a whole number")
      .min(1, "KEYHOLD_API_WORKERS must be between 1 and 64")
      .max(64, "KEYHOLD_API_WORKERS must be between 1 and 64")
      .default(1),
    KEYHOLD_API_AUTH_FAILURES_PER_SECOND: z.coerce
      .number({ error: "KEYHOLD_API_AUTH_FAILURES_PER_SECOND must be a number" })
      .min(0.01, "KEYHOLD_API_AUTH_FAILURES_PER_SECOND must be between 0.01 and 100000")
      .max(100_000, "KEYHOLD_API_AUTH_FAILURES_PER_SECOND must be between 0.01 and 100000")
      .default(20),
    KEYHOLD_API_AUTH_FAILURE_BURST: z.coerce
      .number({ error: "KEYHOLD_API_AUTH_FAILURE_BURST must be a number" })
      .int("KEYHOLD_API_AUTH_FAILURE_BURST must be a whole number")
      .min(1, "KEYHOLD_API_AUTH_FAILURE_BURST must be between 1 and 1000000")
      .max(1_000_000, "KEYHOLD_API_AUTH_FAILURE_BURST must be between 1 and 1000000")
      .default(100),
    KEYHOLD_API_AUTH_FAILURE_WINDOW_SECONDS: z.coerce
      .number({ error: "KEYHOLD_API_AUTH_FAILURE_WINDOW_SECONDS must be a number" })
      .int("KEYHOLD_API_AUTH_FAILURE_WINDOW_SECONDS must be a whole number")
      .min(1, "KEYHOLD_API_AUTH_FAILURE_WINDOW_SECONDS must be between 1 and 3600")
      .max(3600, "KEYHOLD_API_AUTH_FAILURE_WINDOW_SECONDS must be between 1 and 3600")
      .default(60),
    KEYHOLD_DB_CONNECT_TIMEOUT_MS: milliseconds("KEYHOLD_DB_CONNECT_TIMEOUT_MS", DB_TIMEOUT_DEFAULTS.KEYHOLD_DB_CONNECT_TIMEOUT_MS, 100),
    KEYHOLD_DB_STATEMENT_TIMEOUT_MS: milliseconds("KEYHOLD_DB_STATEMENT_TIMEOUT_MS", DB_TIMEOUT_DEFAULTS.KEYHOLD_DB_STATEMENT_TIMEOUT_MS, 1000),
    KEYHOLD_REQUEST_TIMEOUT_SECONDS: seconds("KEYHOLD_REQUEST_TIMEOUT_SECONDS", 30),
    KEYHOLD_SHUTDOWN_TIMEOUT_SECONDS: seconds("KEYHOLD_SHUTDOWN_TIMEOUT_SECONDS", 10),
    KEYHOLD_METRICS: optionalString.pipe(z.enum(["on", "off"], { error: "KEYHOLD_METRICS must be on or off" }).default("on")),
    KEYHOLD_METRICS_TOKEN: optionalString.pipe(
      z.string().min(16, "KEYHOLD_METRICS_TOKEN must be at least 16 characters").max(512, "KEYHOLD_METRICS_TOKEN must be at most 512 characters").optional(),
    ),
    LOG_LEVEL: optionalString.pipe(
      z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    ),
  })
  .refine((env) => !env.KEYHOLD_BOOTSTRAP_ACCESS_KEY_ID === !env.KEYHOLD_BOOTSTRAP_SECRET_ACCESS_KEY, {
    message: "KEYHOLD_BOOTSTRAP_ACCESS_KEY_ID and KEYHOLD_BOOTSTRAP_SECRET_ACCESS_KEY must be set together",
    path: ["KEYHOLD_BOOTSTRAP_ACCESS_KEY_ID"],
  })
  .transform((env) => ({
    databaseUrl: env.DATABASE_URL,
    port: env.PORT,
    host: env.HOST,
    dataDir: resolve(env.KEYHOLD_DATA_DIR),
    accountId: env.KEYHOLD_ACCOUNT_ID,
    region: env.KEYHOLD_REGION,
    adminUser: env.KEYHOLD_ADMIN_USER,
    adminPassword: env.KEYHOLD_ADMIN_PASSWORD,
    nextAuthUrl: env.NEXTAUTH_URL,
    nextAuthSecret: env.NEXTAUTH_SECRET,
    sessionIdleSeconds: env.KEYHOLD_SESSION_IDLE_MINUTES * 60,
    sessionMaxSeconds: env.KEYHOLD_SESSION_MAX_MINUTES * 60,
    rootKeyBase64: env.KEYHOLD_ROOT_KEY,
    /** Root key store kind asked for; undefined = what the data folder records, else local. */
    rootKeyStore: env.KEYHOLD_ROOT_KEY_STORE,
    /** The PIN itself stays out of the config object (read from the environment or file when the token opens). */
    pkcs11: {
      module: env.KEYHOLD_PKCS11_MODULE,
      tokenLabel: env.KEYHOLD_PKCS11_TOKEN_LABEL,
      keyLabel: env.KEYHOLD_PKCS11_KEY_LABEL,
      pinFile: env.KEYHOLD_PKCS11_PIN_FILE,
    },
    keyCacheSize: env.KEYHOLD_KEY_CACHE_SIZE,
    keyCacheTtlSeconds: env.KEYHOLD_KEY_CACHE_TTL_SECONDS,
    bootstrapAccessKey:
      env.KEYHOLD_BOOTSTRAP_ACCESS_KEY_ID && env.KEYHOLD_BOOTSTRAP_SECRET_ACCESS_KEY
        ? { accessKeyId: env.KEYHOLD_BOOTSTRAP_ACCESS_KEY_ID, secretAccessKey: env.KEYHOLD_BOOTSTRAP_SECRET_ACCESS_KEY }
        : undefined,
    apiPort: env.KEYHOLD_API_PORT,
    apiWorkers: env.KEYHOLD_API_WORKERS,
    auditRetentionDays: env.KEYHOLD_AUDIT_RETENTION_DAYS,
    /** Failed API authentications allowed per source IP (token bucket) before ThrottlingException. */
    apiAuthFailures: {
      perSecond: env.KEYHOLD_API_AUTH_FAILURES_PER_SECOND,
      burst: env.KEYHOLD_API_AUTH_FAILURE_BURST,
      /** How often failed authentications are written, as one summary per (source, access key id). */
      windowSeconds: env.KEYHOLD_API_AUTH_FAILURE_WINDOW_SECONDS,
    },
    /** GET /metrics (Prometheus); with a token only for `Authorization: Bearer <token>`. */
    metrics: { enabled: env.KEYHOLD_METRICS === "on", token: env.KEYHOLD_METRICS_TOKEN },
    logLevel: env.LOG_LEVEL,
    requestTimeoutSeconds: env.KEYHOLD_REQUEST_TIMEOUT_SECONDS,
    shutdownTimeoutSeconds: env.KEYHOLD_SHUTDOWN_TIMEOUT_SECONDS,
  }));

export type Config = z.output<typeof configSchema>;

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Parses the environment; throws a ConfigError whose message is one line naming the variable. */
export function parseConfig(env: Record<string, string | undefined> = process.env): Config {
  const result = configSchema.safeParse(env);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const variable = String(issue.path[0] ?? "environment");
  const message = issue.message.includes(variable) ? issue.message : `${variable}: ${issue.message}`;
  throw new ConfigError(`Invalid configuration: ${message}`);
}

let cached: Config | undefined;
/** The process configuration (parsed once). */
export function config(): Config {
  return (cached ??= parseConfig());
}
