/**
 * Run an async refresh at most once at a time: calls that arrive while it runs are folded into
 * one more run after it. A burst of statusChanged events (a sync writes many days) costs two
 * status reads, not one per event. The returned promise settles when the state asked for is shown.
 */
export function coalesce(run: () => Promise<void>): () => Promise<void> {
  let current: Promise<void> | null = null;
  let next: Promise<void> | null = null;

  const start = (): Promise<void> => {
    current = run().finally(() => {
      current = null;
    });
    return current;
  };

  return () => {
    if (!current) return start();
    next ??= current.then(
      () => {
        next = null;
        return start();
      },
      () => {
        next = null;
        return start();
      },
    );
    return next;
  };
}
