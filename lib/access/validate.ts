import type { z } from "zod";
import { ValidationException } from "@/lib/errors";
import { assertSafeText } from "@/lib/errors/text";

/** Parses input or throws a ValidationException listing every violated constraint. */
export function validate<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  assertSafeText(input); // no NUL or lone surrogate in any string (it could not be stored or searched)
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => i.message);
  throw new ValidationException(
    problems.length === 1 ? problems[0]! : `${problems.length} validation errors detected: ${problems.join("; ")}`,
  );
}
