// Structured logs (pino). Secrets never reach a log line: the redact list
// covers every field name that could carry one, as a second line of defence.
import pino from "pino";

export const logger = pino({
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
      "authorization",
      "*.authorization",
      "headers.cookie",
      "*.headers.cookie",
      'headers["set-cookie"]',
    ],
    censor: "[redacted]",
  },
});
