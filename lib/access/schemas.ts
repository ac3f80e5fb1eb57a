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
export const changeOwnPasswordSchema = z
  .object({ currentPassword: z.string().min(1, "Current password is required"), newPassword: passwordSchema })
  .refine((v) => v.currentPassword !== v.newPassword, {
    message: "The new password must differ from the current one",
    path: ["newPassword"],
  });
