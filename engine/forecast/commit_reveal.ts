/**
 * Commit-reveal for forecasts (TSPS v5, shared/reference/tsps.md §1.4): a
 * miner first sends SHA-256 of its hotkey and predictions, and only later
 * the predictions, so nobody can copy a forecast before committing its own.
 *
 * TSPS hashes Python's `str(list)`, which JavaScript cannot reproduce for
 * every float; the canonical text here is `<hotkey>-<JSON of the numbers>`
 * (JSON numbers are the shortest round-trip form in every JS engine).
 *
 * @module
 */

/** The committed hash, lowercase hex. */
export async function forecastCommitment(
  hotkey: string,
  predictions: readonly number[],
): Promise<string> {
  if (!predictions.every(Number.isFinite)) {
    throw new RangeError("Invalid predictions: every value must be a finite number");
  }
  const text = `${hotkey}-${JSON.stringify(predictions)}`;
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** Whether revealed predictions match the earlier commitment. */
export async function revealMatches(
  hotkey: string,
  predictions: readonly number[],
  commitment: string,
): Promise<boolean> {
  if (!predictions.every(Number.isFinite)) return false;
  return await forecastCommitment(hotkey, predictions) === commitment.toLowerCase();
}
