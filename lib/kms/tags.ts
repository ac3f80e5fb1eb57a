// Tag validation shared by CreateKey and TagResource (AWS limits).
import { z } from "zod";
import { TagException } from "@/lib/errors";
import { str } from "./validate";

export const MAX_TAGS_PER_KEY = 50;

export const tagListField = z
  .array(z.object({ TagKey: str(1, 128), TagValue: str(0, 256) }))
  .max(MAX_TAGS_PER_KEY, `Member must have length less than or equal to ${MAX_TAGS_PER_KEY}`)
  .optional();

export type Tag = { TagKey: string; TagValue: string };

/** Rules AWS reports as TagException rather than ValidationException. */
export function checkTags(tags: Tag[]): void {
  const seen = new Set<string>();
  for (const t of tags) {
    if (t.TagKey.toLowerCase().startsWith("aws:")) {
      throw new TagException(`Tag keys beginning with "aws:" are reserved: ${t.TagKey}`);
    }
    if (seen.has(t.TagKey)) throw new TagException(`Duplicate tag key ${t.TagKey}`);
    seen.add(t.TagKey);
  }
}
