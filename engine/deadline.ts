/**
 * A bound on waiting for something that may never answer: a subtensor node
 * that accepts a connection and then goes quiet leaves its requests pending
 * for good, and whoever awaits them in line holds up everything behind it.
 *
 * @module
 */

/**
 * Settles as `promise` does, or rejects with `late()` once `ms` have passed
 * first. The timer is cleared either way (nothing is left to keep a process
 * or a test alive); `promise` itself runs on, unobserved.
 */
export function withDeadline<T>(promise: Promise<T>, ms: number, late: () => Error): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(late()), ms);
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}
