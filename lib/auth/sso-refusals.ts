// Why a single sign-on was refused, as a code the sign-in page turns into a
// sentence (no server import here: the sign-in form uses it too). Only codes
// travel in the URL, never text, so a crafted link cannot put words on our page.
export const SSO_REFUSALS = {
  "no-role": "Single sign-on refused: your identity provider account is in no group that gives a Keyhold role. Ask an administrator to add you to a mapped group.",
  disabled: "Single sign-on refused: your Keyhold user is disabled. Ask an administrator.",
  "local-user": "Single sign-on refused: a local Keyhold user has your name, and single sign-on never takes a local account over. Ask an administrator.",
  "no-subject": "Single sign-on refused: the identity provider did not say who you are.",
  failed: "Single sign-on failed. Try again, or ask an administrator.",
} as const;

export type SsoRefusal = keyof typeof SSO_REFUSALS;

/** The sign-in page's error parameter for a refused single sign-on. */
export const SSO_REFUSED_ERROR = "SsoRefused";

export function ssoRefusalMessage(reason: string | null): string {
  return Object.hasOwn(SSO_REFUSALS, reason ?? "") ? SSO_REFUSALS[reason as SsoRefusal] : SSO_REFUSALS.failed;
}
