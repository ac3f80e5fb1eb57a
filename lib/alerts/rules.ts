// Notification rules: which audit events to alert on, and where to POST them.
// Administrators manage them; administrators and auditors read them. Every
// call is audited under keyhold.amazonaws.com; changes commit with their event.
import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { Principal } from "@/lib/auth/principal";
import { audited } from "@/lib/audit";
import { authorize } from "@/lib/access/authorize";
import { validate } from "@/lib/access/validate";
import { prisma, type NotificationRule } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/status";
import { AlreadyExistsException, NotFoundException, ValidationException } from "@/lib/errors";
import { logger } from "@/lib/log";
import { wrapRuleSecret } from "./secret";
import { generateSigningSecret } from "./signature";
import { parseWebhookUrl, redactedUrl, WEBHOOK_URL_MAX } from "./webhook-url";

export const ALERTS_EVENT_SOURCE = "keyhold.amazonaws.com";
const ADMIN_ONLY = ["ADMINISTRATOR"] as const;
const READERS = ["ADMINISTRATOR", "AUDITOR"] as const;

export const RULE_OUTCOMES = ["any", "denied", "failed"] as const;
export const RULE_FORMATS = ["keyhold", "text"] as const;

const optionalText = (max: number, pattern: RegExp, message: string) =>
  z
    .string()
    .trim()
    .max(max, message)
    .regex(pattern, message)
    .nullish()
    .transform((v) => (v ? v : null));

const ruleFields = {
  name: z
    .string()
    .trim()
    .min(1, "Rule name is required")
    .max(64, "Rule name must be at most 64 characters")
    .regex(/^[A-Za-z0-9 +=,.@_-]+$/, "Rule name may contain only letters, digits, spaces and + = , . @ _ -"),
  enabled: z.boolean(),
  eventNames: z
    .array(z.string().trim().regex(/^[A-Za-z][A-Za-z0-9]{0,63}$/, "Event names are words such as ScheduleKeyDeletion"))
    .max(50, "At most 50 event names"),
  keyRef: optionalText(256, /^([0-9a-f-]{36}|alias\/[A-Za-z0-9/_-]+)$/, "Key must be a key ID or an alias name (alias/...)"),
  principalArn: optionalText(2048, /^arn:aws:iam::\d{12}:(root|user\/[\w+=,.@/-]+)$/, "Principal must be an IAM ARN (arn:aws:iam::<account>:user/<name>)"),
  outcome: z.enum(RULE_OUTCOMES, "Outcome must be any, denied or failed"),
  tagKey: optionalText(128, /^.+$/, "Tag key must be at most 128 characters"),
  tagValue: z.string().max(256, "Tag value must be at most 256 characters").nullish().transform((v) => v ?? null),
  minCount: z.number().int("Count must be a whole number").min(1, "Count must be at least 1").max(10_000, "Count must be at most 10000"),
  windowSeconds: z.number().int("Window must be whole seconds").min(60, "Window must be at least 60 seconds").max(86_400, "Window must be at most one day"),
  format: z.enum(RULE_FORMATS, "Format must be keyhold or text"),
  url: z.string().trim().min(1, "Webhook URL is required").max(WEBHOOK_URL_MAX, `Webhook URL must be at most ${WEBHOOK_URL_MAX} characters`),
};

const ruleIdSchema = z.uuid("Unknown notification rule");
const createSchema = z.object({
  ...ruleFields,
  enabled: ruleFields.enabled.default(true),
  eventNames: ruleFields.eventNames.default([]),
  outcome: ruleFields.outcome.default("any"),
  minCount: ruleFields.minCount.default(1),
  windowSeconds: ruleFields.windowSeconds.default(300),
  format: ruleFields.format.default("keyhold"),
});
const updateSchema = z.object({ ruleId: ruleIdSchema, ...z.object(ruleFields).partial().shape });
const idSchema = z.object({ ruleId: ruleIdSchema });
const deliveriesSchema = z.object({ ruleId: ruleIdSchema.optional(), limit: z.number().int().min(1).max(500).default(100) }).default({ limit: 100 });

export interface NotificationRuleSummary {
  id: string;
  name: string;
  enabled: boolean;
  eventNames: string[];
  keyRef: string | null;
  principalArn: string | null;
  outcome: (typeof RULE_OUTCOMES)[number];
  tagKey: string | null;
  tagValue: string | null;
  minCount: number;
  windowSeconds: number;
  format: (typeof RULE_FORMATS)[number];
  /** In full for administrators; origin only for auditors (a chat webhook URL is itself a secret). */
  url: string;
  createdAt: string;
  updatedAt: string;
}

function summarize(rule: NotificationRule, caller: Principal): NotificationRuleSummary {
  return {
    id: rule.id,
    name: rule.name,
    enabled: rule.enabled,
    eventNames: rule.eventNames,
    keyRef: rule.keyRef,
    principalArn: rule.principalArn,
    outcome: rule.outcome as NotificationRuleSummary["outcome"],
    tagKey: rule.tagKey,
    tagValue: rule.tagValue,
    minCount: rule.minCount,
    windowSeconds: rule.windowSeconds,
    format: rule.format as NotificationRuleSummary["format"],
    url: caller.role === "ADMINISTRATOR" ? rule.url : redactedUrl(rule.url),
    createdAt: rule.createdAt.toISOString(),
    updatedAt: rule.updatedAt.toISOString(),
  };
}

/** A tag value without a tag key means nothing: refuse it rather than ignore it. */
function checkTag(tagKey: string | null | undefined, tagValue: string | null | undefined): void {
  if (tagValue && !tagKey) throw new ValidationException("A tag value needs a tag key");
}

async function findRule(ruleId: string): Promise<NotificationRule> {
  const rule = await prisma.notificationRule.findUnique({ where: { id: ruleId } });
  if (!rule) throw new NotFoundException(`Notification rule ${ruleId} does not exist`);
  return rule;
}

function duplicate(e: unknown, name: string | undefined): never {
  if (isUniqueViolation(e)) throw new AlreadyExistsException(`A notification rule named ${name} already exists`);
  throw e;
}

async function listRulesUnaudited(caller: Principal): Promise<NotificationRuleSummary[]> {
  authorize(caller, "keyhold:ListNotificationRules", READERS);
  const rules = await prisma.notificationRule.findMany({ orderBy: { name: "asc" }, take: 1000 });
  return rules.map((r) => summarize(r, caller));
}

async function createRuleUnaudited(caller: Principal, input: unknown): Promise<NotificationRuleSummary & { signingSecret: string }> {
  authorize(caller, "keyhold:CreateNotificationRule", ADMIN_ONLY);
  const data = validate(createSchema, input);
  parseWebhookUrl(data.url);
  checkTag(data.tagKey, data.tagValue);
  const id = randomUUID();
  const signingSecret = generateSigningSecret();
  try {
    const rule = await prisma.notificationRule.create({ data: { id, ...data, secretWrapped: await wrapRuleSecret(id, signingSecret) } });
    logger.info({ event: "notification-rule-created", by: caller.arn, name: rule.name }, "notification rule created");
    // Shown once; the audit record drops it (its name says secret).
    return { ...summarize(rule, caller), signingSecret };
  } catch (e) {
    return duplicate(e, data.name);
  }
}

async function updateRuleUnaudited(caller: Principal, input: unknown): Promise<NotificationRuleSummary> {
  authorize(caller, "keyhold:UpdateNotificationRule", ADMIN_ONLY);
  const { ruleId, ...changes } = validate(updateSchema, input);
  if (changes.url !== undefined) parseWebhookUrl(changes.url);
  const existing = await findRule(ruleId);
  checkTag(changes.tagKey !== undefined ? changes.tagKey : existing.tagKey, changes.tagValue !== undefined ? changes.tagValue : existing.tagValue);
  try {
    const rule = await prisma.notificationRule.update({ where: { id: ruleId }, data: changes });
    // A changed condition starts counting afresh.
    await prisma.alertMatch.deleteMany({ where: { ruleId } });
    logger.info({ event: "notification-rule-updated", by: caller.arn, name: rule.name }, "notification rule updated");
    return summarize(rule, caller);
  } catch (e) {
    return duplicate(e, changes.name);
  }
}

function setEnabled(enabled: boolean) {
  return async (caller: Principal, input: unknown): Promise<NotificationRuleSummary> => {
    authorize(caller, enabled ? "keyhold:EnableNotificationRule" : "keyhold:DisableNotificationRule", ADMIN_ONLY);
    const { ruleId } = validate(idSchema, input);
    await findRule(ruleId);
    const rule = await prisma.notificationRule.update({ where: { id: ruleId }, data: { enabled } });
    if (!enabled) await prisma.alertMatch.deleteMany({ where: { ruleId } });
    return summarize(rule, caller);
  };
}

/** Deletes the rule with its pending counts and its delivery log (undelivered messages are dropped). */
async function deleteRuleUnaudited(caller: Principal, input: unknown): Promise<{ ruleId: string }> {
  authorize(caller, "keyhold:DeleteNotificationRule", ADMIN_ONLY);
  const { ruleId } = validate(idSchema, input);
  const rule = await findRule(ruleId);
  await prisma.notificationRule.delete({ where: { id: ruleId } });
  logger.info({ event: "notification-rule-deleted", by: caller.arn, name: rule.name }, "notification rule deleted");
  return { ruleId };
}

export interface AlertDeliverySummary {
  id: string;
  ruleId: string;
  ruleName: string;
  createdAt: string;
  status: "pending" | "delivered" | "failed";
  attempts: number;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  lastError: string | null;
  log: Array<{ at: string; httpStatus: number | null; error: string | null }>;
}

/** The delivery log, newest first. */
async function listDeliveriesUnaudited(caller: Principal, input: unknown): Promise<AlertDeliverySummary[]> {
  authorize(caller, "keyhold:ListAlertDeliveries", READERS);
  const { ruleId, limit } = validate(deliveriesSchema, input);
  const rows = await prisma.alertDelivery.findMany({
    where: ruleId ? { ruleId } : {},
    orderBy: { id: "desc" },
    take: limit,
    include: { rule: { select: { name: true } }, log: { orderBy: { id: "asc" }, take: 50 } },
  });
  return rows.map((d) => ({
    id: d.id.toString(),
    ruleId: d.ruleId,
    ruleName: d.rule.name,
    createdAt: d.createdAt.toISOString(),
    status: d.status as AlertDeliverySummary["status"],
    attempts: d.attempts,
    nextAttemptAt: d.status === "pending" ? d.nextAttemptAt.toISOString() : null,
    deliveredAt: d.deliveredAt?.toISOString() ?? null,
    lastError: d.lastError,
    log: d.log.map((a) => ({ at: a.at.toISOString(), httpStatus: a.httpStatus, error: a.error })),
  }));
}

/** The request as recorded: the webhook URL by its origin only (a chat webhook URL is a credential). */
function recordedRequest(input: unknown): unknown {
  if (!input || typeof input !== "object" || !("url" in input) || typeof input.url !== "string") return input;
  return { ...input, url: redactedUrl(input.url) };
}

function alertsOperation<R>(eventName: string, fn: (caller: Principal, input: unknown) => Promise<R>, readOnly = false) {
  return (caller: Principal, input?: unknown): Promise<R> =>
    audited(
      {
        eventName,
        eventSource: ALERTS_EVENT_SOURCE,
        caller,
        via: caller.kind === "operator" ? "cli" : "console",
        request: recordedRequest(input),
        readOnly,
        // Changes record their response with the URL redacted too (sanitize drops signingSecret by its name).
        recordedResponse: readOnly ? undefined : recordedRequest,
      },
      () => fn(caller, input),
    );
}

export const listNotificationRules = alertsOperation("ListNotificationRules", listRulesUnaudited, true);
export const createNotificationRule = alertsOperation("CreateNotificationRule", createRuleUnaudited);
export const updateNotificationRule = alertsOperation("UpdateNotificationRule", updateRuleUnaudited);
export const enableNotificationRule = alertsOperation("EnableNotificationRule", setEnabled(true));
export const disableNotificationRule = alertsOperation("DisableNotificationRule", setEnabled(false));
export const deleteNotificationRule = alertsOperation("DeleteNotificationRule", deleteRuleUnaudited);
export const listAlertDeliveries = alertsOperation("ListAlertDeliveries", listDeliveriesUnaudited, true);
