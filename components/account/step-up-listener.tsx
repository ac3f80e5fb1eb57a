"use client";

import { useEffect, useState } from "react";
import { useToast } from "@/components/ui/toast";
import { STEP_UP_EVENT } from "@/lib/auth/mfa/step-up-message";
import { StepUpDialog } from "./step-up-dialog";

/**
 * Mounted once in the console: when an action is refused for want of a
 * step-up (lib/console/client.ts `unwrap` fires STEP_UP_EVENT), offers the
 * step-up dialog; the user then repeats the action.
 */
export function StepUpListener() {
  const [open, setOpen] = useState(false);
  const toast = useToast();
  useEffect(() => {
    const onEvent = () => setOpen(true);
    window.addEventListener(STEP_UP_EVENT, onEvent);
    return () => window.removeEventListener(STEP_UP_EVENT, onEvent);
  }, []);
  return (
    <StepUpDialog
      open={open}
      onClose={() => setOpen(false)}
      onVerified={() => {
        setOpen(false);
        toast("success", "Confirmed for 5 minutes. Repeat the action.");
      }}
    />
  );
}
