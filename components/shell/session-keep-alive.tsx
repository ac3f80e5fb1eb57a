"use client";

import { getSession } from "next-auth/react";
import { useEffect } from "react";

// The session cookie expires after the idle timeout; user activity renews it
// (at most once a minute). An open tab that nobody touches does not.
export function SessionKeepAlive() {
  useEffect(() => {
    let last = Date.now();
    const onActivity = () => {
      if (Date.now() - last < 60_000) return;
      last = Date.now();
      void getSession();
    };
    const events = ["pointerdown", "keydown"] as const;
    events.forEach((e) => window.addEventListener(e, onActivity, { passive: true }));
    return () => events.forEach((e) => window.removeEventListener(e, onActivity));
  }, []);
  return null;
}
