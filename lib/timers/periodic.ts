// A background task run now and then every `intervalMs`, each turn timed from
// the end of the previous one, so turns never overlap. The timer never keeps
// the process alive on its own; stop() waits for a turn in progress.
export interface Periodic {
  /** Stops scheduling and waits for a turn in progress to finish. */
  stop(): Promise<void>;
}

/** `turn` must handle its own errors (a rejected turn is swallowed so the next one still runs). */
export function runPeriodically(turn: () => Promise<void>, intervalMs: number): Periodic {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  const schedule = (delay: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      timer = undefined;
      running = turn()
        .catch(() => {})
        .finally(() => {
          running = undefined;
          schedule(intervalMs);
        });
    }, delay);
    timer.unref();
  };
  schedule(0);
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await running;
    },
  };
}
