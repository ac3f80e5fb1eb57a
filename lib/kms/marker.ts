// Opaque pagination markers: base64url of the last row's sort key.
export interface KeysetPosition {
  createdAt: Date;
  id: string;
}

export function encodeMarker(pos: KeysetPosition): string {
  return Buffer.from(JSON.stringify([pos.createdAt.toISOString(), pos.id])).toString("base64url");
}

export function decodeMarker(marker: string): KeysetPosition | undefined {
  try {
    const [at, id] = JSON.parse(Buffer.from(marker, "base64url").toString("utf8")) as [string, string];
    const createdAt = new Date(at);
    if (typeof id !== "string" || Number.isNaN(createdAt.getTime())) return undefined;
    return { createdAt, id };
  } catch {
    return undefined;
  }
}
