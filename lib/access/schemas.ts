// Input validation shared by server actions and the CLI.
import { z } from "zod";
import { passwordPolicy } from "@/lib/auth/password";
import { ROLES } from "./authorize";

export const usernameSchema = z
  .string()
  .trim()
  .min(1, "Username is required")
  .max(64, "Username must be at most 64 characters")
  .regex(/^[A-Za-z0-9_.@+=,-]+$/, "Username may contain only letters, digits and _ . @ + = , -");

export const passwordSchema = z
  .string()
  .min(passwordPolicy.minLength, `Password must be at least ${passwordPolicy.minLength} characters`)
  .max(passwordPolicy.maxLength, `Password must be at most ${passwordPolicy.maxLength} characters`);

export const roleSchema = z.enum(ROLES).nullable();

export const userIdSchema = z.uuid("Unknown user");

export const createUserSchema = z.object({
  username: usernameSchema,
  role: roleSchema.default(null),
  /** Absent: a password is generated and returned once. */
  password: passwordSchema.optional(),
  /** Whether the user must choose a new password at first sign-in. */
  mustChangePassword: z.boolean().default(true),
  /** For applications: API access keys only, no console sign-in and no password. */
  serviceAccount: z.boolean().default(false),
}).refine((v) => !(v.serviceAccount && v.password !== undefined), {
  message: "A service account has no password: it signs API requests with its access keys",
  path: ["password"],
});

export const setRoleSchema = z.object({ userId: userIdSchema, role: roleSchema });
export const setDisabledSchema = z.object({ userId: userIdSchema, disabled: z.boolean() });
export const resetPasswordSchema = z.object({
  userId: userIdSchema,
  password: passwordSchema.optional(),
});
export const unlockSchema = z.object({ userId: userIdSchema });

/** A user's tags, as IAM's: up to 50, keys 1–128 and values 0–256 characters of IAM's set. */
const TAG_CHARS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
export const userTagsSchema = z.object({
  userId: userIdSchema,
  tags: z
    .record(
      z.string().min(1, "Tag keys must not be empty").max(128, "Tag keys must be at most 128 characters").regex(TAG_CHARS, "Tag keys may contain letters, digits, spaces and _ . : / = + - @"),
      z.string().max(256, "Tag values must be at most 256 characters").regex(TAG_CHARS, "Tag values may contain letters, digits, spaces and _ . : / = + - @"),
    )
    .refine((t) => Object.keys(t).length <= 50, "A user may have at most 50 tags")
    .refine((t) => new Set(Object.keys(t).map((k) => k.toLowerCase())).size === Object.keys(t).length, "Tag keys must differ in more than case"),
});
export const changeOwnPasswordSchema = z
  .object({ currentPassword: z.string().min(1, "Current password is required"), newPassword: passwordSchema })
  .refine((v) => v.currentPassword !== v.newPassword, {
    message: "The new password must differ from the current one",
    path: ["newPassword"],
  });
