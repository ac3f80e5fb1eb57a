// Console sessions as users and administrators see them: a user lists and
// ends their own; an administrator lists and ends anyone's. Audited.
import { z } from "zod";
import type { Principal } from "@/lib/auth/principal";
import { activeConsoleSessions, revokeConsoleSession, type ConsoleSessionSummary } from "@/lib/auth/console-sessions";
import { auditedOperation } from "@/lib/audit";
import { prisma } from "@/lib/db/client";
import { NotFoundException } from "@/lib/errors";
import { authorize } from "@/lib/access/authorize";
import { validate } from "@/lib/access/validate";

const listSchema = z.object({ userId: z.uuid().optional() });
const endSchema = z.object({ sessionId: z.uuid() });

export interface SessionListing extends ConsoleSessionSummary {
  current: boolean;
}

/** Own sessions need no role (a user without one may still end a stolen session); anyone else's need an administrator. */
function mayManage(caller: Principal, userId: string, action: string): void {
  if (caller.kind === "user" && caller.userId === userId) return;
  if (caller.kind === "operator") return;
  authorize(caller, action, ["ADMINISTRATOR"]);
}

async function listSessionsUnaudited(caller: Principal, input: unknown): Promise<SessionListing[]> {
  const { userId = caller.userId } = validate(listSchema, input ?? {});
  if (!userId) throw new NotFoundException("Name the user whose sessions to list");
  mayManage(caller, userId, "keyhold:ListSessions");
  const sessions = await activeConsoleSessions(userId);
  return sessions.map((s) => ({ ...s, current: s.id === caller.sessionId }));
}

async function endSessionUnaudited(caller: Principal, input: unknown): Promise<void> {
  const { sessionId } = validate(endSchema, input);
  const session = await prisma.consoleSession.findUnique({ where: { id: sessionId }, select: { userId: true } });
  // Another user's session looks like none at all to a non-administrator.
  if (!session) throw new NotFoundException(`Session ${sessionId} does not exist`);
  if (session.userId !== caller.userId && caller.role !== "ADMINISTRATOR" && caller.kind !== "operator") {
    throw new NotFoundException(`Session ${sessionId} does not exist`);
  }
  mayManage(caller, session.userId, "keyhold:EndSession");
  if (!(await revokeConsoleSession(sessionId))) throw new NotFoundException(`Session ${sessionId} has already ended`);
}

export const listSessions = auditedOperation("ListSessions", "signin.amazonaws.com", listSessionsUnaudited, { readOnly: true });
export const endSession = auditedOperation("EndSession", "signin.amazonaws.com", endSessionUnaudited);
