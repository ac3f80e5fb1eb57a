import { Button } from "./button";

/** A form's error (announced to screen readers), shown where the user is looking. */
export function FormError({ message }: { message: string }) {
  if (!message) return null;
  return (
    <p data-testid="form-error" role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 dark:bg-red-950 dark:text-red-300">
      {message}
    </p>
  );
}

/** A dialog form's Cancel and submit buttons. */
export function DialogActions({ onCancel, submitLabel, busy }: { onCancel: () => void; submitLabel: string; busy: boolean }) {
  return (
    <div className="flex justify-end gap-2">
      <Button type="button" variant="secondary" onClick={onCancel}>
        Cancel
      </Button>
      <Button type="submit" busy={busy}>
        {submitLabel}
      </Button>
    </div>
  );
}
