import type { Role } from "@/lib/db/client";

/** What each built-in role can do, in one sentence (Roles page, role pickers and their confirmations). */
export const ROLE_SUMMARIES: Record<Role, string> = {
  ADMINISTRATOR: "Everything: manages and uses keys, users, settings and the audit log.",
  KEY_ADMINISTRATOR: "Manages keys (create, enable/disable, rotate, tag, alias, policy, deletion) — no cryptographic use and no grants.",
  KEY_USER: "Uses keys (encrypt, decrypt, data keys, sign, MAC) and reads their metadata; can delegate use with grants. Cannot manage keys.",
  AUDITOR: "Reads key metadata and the audit log. No cryptographic use, no changes.",
};

export const NO_ROLE_SUMMARY = "No built-in identity policy: only what a custom role, a key policy or a grant gives them.";

export const roleSummary = (role: Role | null) => (role ? ROLE_SUMMARIES[role] : NO_ROLE_SUMMARY);
