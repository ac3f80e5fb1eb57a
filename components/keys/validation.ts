// AWS's input rules, checked as the user types (the service layer checks them again).

export const ALIAS_PREFIX = "alias/";
export const MAX_TAGS = 50;
export const MAX_DESCRIPTION = 8192;

/** The alias rule in words, shown next to the field. */
export const ALIAS_RULE =
  'Alias names start with "alias/", then 1–250 letters, digits, "/", "_" or "-". "alias/aws/" is reserved.';

/** Error for a full alias name ("alias/…"), or "" when valid. */
export function aliasError(name: string): string {
  if (!name.startsWith(ALIAS_PREFIX) || name.length === ALIAS_PREFIX.length) return ALIAS_RULE;
  if (!/^alias\/[a-zA-Z0-9/_-]+$/.test(name)) return ALIAS_RULE;
  if (name.startsWith("alias/aws/")) return 'Alias names that begin with "alias/aws/" are reserved for AWS managed keys.';
  if (name.length > 256) return "Alias names can be at most 256 characters long.";
  return "";
}

/** The full alias name from what the user typed (with or without the prefix). */
export function fullAlias(typed: string): string {
  const t = typed.trim();
  return t.startsWith(ALIAS_PREFIX) ? t : `${ALIAS_PREFIX}${t}`;
}

export function tagKeyError(key: string, others: string[] = []): string {
  if (key.length < 1) return "Tag keys need 1–128 characters.";
  if (key.length > 128) return "Tag keys can be at most 128 characters long.";
  if (key.toLowerCase().startsWith("aws:")) return 'Tag keys beginning with "aws:" are reserved.';
  if (others.includes(key)) return `Duplicate tag key ${key}.`;
  return "";
}

export function tagValueError(value: string): string {
  return value.length > 256 ? "Tag values can be at most 256 characters long." : "";
}

export function descriptionError(description: string): string {
  return description.length > MAX_DESCRIPTION ? `Descriptions can be at most ${MAX_DESCRIPTION} characters long.` : "";
}
