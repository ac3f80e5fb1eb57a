// Pure (no server imports): the browser recognises a step-up refusal by this message.
export const STEP_UP_REQUIRED = "This action needs a fresh second factor: confirm with your authenticator, a passkey or a recovery code.";

/** Fired on window when a console action was refused for want of a step-up (components/account/step-up-provider.tsx listens). */
export const STEP_UP_EVENT = "keyhold:step-up-required";
