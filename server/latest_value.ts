/**
 * Turns a push subscription into an async iterator that always yields the
 * newest value and drops the ones a slow consumer missed (conflation), the
 * policy perf.md §6 asks of live feeds.
 *
 * @module
 */

export interface LatestValues<T> extends AsyncIterable<T> {
  /** Ends the iteration and unsubscribes. */
  close(): void;
}

/** Yields `initial`, then the newest value published since the last yield. */
export function subscribeLatest<T>(
  initial: T,
  subscribe: (listener: (value: T) => void) => () => void,
): LatestValues<T> {
  let pending: { value: T } | null = { value: initial };
  let closed = false;
  let wake: (() => void) | null = null;
  const unsubscribe = subscribe((value) => {
    pending = { value };
    wake?.();
  });
  const close = () => {
    if (closed) return;
    closed = true;
    unsubscribe();
    wake?.();
  };
  return {
    close,
    async *[Symbol.asyncIterator]() {
      try {
        while (!closed) {
          if (pending === null) {
            await new Promise<void>((resolve) => wake = resolve);
            wake = null;
            continue;
          }
          const { value } = pending;
          pending = null;
          yield value;
        }
      } finally {
        close();
      }
    },
  };
}
