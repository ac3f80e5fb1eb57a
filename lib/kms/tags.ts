// Tag validation shared by CreateKey and TagResource (AWS limits).
import { z } from "zod";
import { TagException } from "@/lib/errors";
import { messages } from "@/lib/errors/messages";
import { str } from "./validate";

export const MAX_TAGS_PER_KEY = 50;

// No length constraint here: AWS answers more than 50 tags with TagException ("Too many tags").
export const tagListField = z.array(z.object({ TagKey: str(1, 128), TagValue: str(0, 256) })).optional();

export type Tag = { TagKey: string; TagValue: string };

/** Rules AWS reports as TagException rather than ValidationException. */
export function checkTags(tags: Tag[]): void {
  if (tags.length > MAX_TAGS_PER_KEY) throw new TagException(messages.tooManyTags);
  const seen = new Set<string>();
  for (const t of tags) {
    assertTagKeyNotReserved(t.TagKey);
    if (seen.has(t.TagKey)) throw new TagException(messages.duplicateTagKeys);
    seen.add(t.TagKey);
  }
}

/** Tag keys beginning with "aws:" (any case) are AWS's own. */
export function assertTagKeyNotReserved(tagKey: string): void {
  if (tagKey.toLowerCase().startsWith("aws:")) throw new TagException(messages.reservedTagKey);
}
