// What a server action returns to the browser. Next hides the message of a
// thrown error in production, so service errors travel as data instead.
export type ActionResult<T> = { ok: true; data: T } | { ok: false; error: { name: string; message: string } };
