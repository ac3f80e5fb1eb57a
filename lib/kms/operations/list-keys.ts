import { z } from "zod";
import type { Principal } from "@/lib/auth/principal";
import { prisma } from "@/lib/db/client";
import { messages } from "@/lib/errors/messages";
import { InvalidMarkerException } from "@/lib/errors";
import { authorizeAccountAction } from "../authorize";
import { kmsContext } from "../context";
import { decodeMarker, encodeMarker } from "../marker";
import { intField, str, validateRequest } from "../validate";

const schema = z.object({ Limit: intField(1, 1000).optional(), Marker: str(1, 1024).optional() });

export async function listKeys(
  caller: Principal,
  input: unknown,
): Promise<{ Keys: Array<{ KeyId: string; KeyArn: string }>; Truncated: boolean; NextMarker?: string }> {
  authorizeAccountAction(caller, "kms:ListKeys");
  const req = validateRequest(schema, input);
  const limit = req.Limit ?? 100;
  const after = req.Marker ? decodeMarker(req.Marker) : undefined;
  if (req.Marker && !after) throw new InvalidMarkerException(messages.invalidMarker);
  const ctx = await kmsContext();
  // Keyset pagination on (createdAt, id): stable while keys are created or deleted.
  const rows = await prisma.kmsKey.findMany({
    where: {
      deletedAt: null,
      ...(after
        ? { OR: [{ createdAt: { gt: after.createdAt } }, { createdAt: after.createdAt, id: { gt: after.id } }] }
        : {}),
    },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take: limit + 1,
    select: { id: true, createdAt: true },
  });
  const page = rows.slice(0, limit);
  const truncated = rows.length > limit;
  const last = page[page.length - 1];
  return {
    Keys: page.map((k) => ({ KeyId: k.id, KeyArn: ctx.keyArn(k.id) })),
    Truncated: truncated,
    ...(truncated && last ? { NextMarker: encodeMarker({ createdAt: last.createdAt, id: last.id }) } : {}),
  };
}
