// Structured logs (pino). Secrets never reach a log line: the redact list
// covers every field name that could carry one, as a second line of defence.
import pino from "pino";

const options: pino.LoggerOptions = {
  level: process.env.LOG_LEVEL || "info",
  base: { service: "keyhold" },
  redact: {
    paths: [
      "password",
      "*.password",
      "newPassword",
      "*.newPassword",
      "secret",
      "*.secret",
      "SecretAccessKey",
      "*.SecretAccessKey",
      "authorization",
      "*.authorization",
      "headers.cookie",
      "*.headers.cookie",
      'headers["set-cookie"]',
    ],
    censor: "[redacted]",
  },
};

// The CLI keeps stdout for command output (e.g. --json).
export const logger = process.env.KEYHOLD_LOG_TO_STDERR ? pino(options, pino.destination(2)) : pino(options);
