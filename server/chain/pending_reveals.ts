/**
 * Weights committed with `commit_weights` and not yet revealed, kept in
 * Deno KV so a restarted validator can still reveal them in their window
 * (the salt exists nowhere else).
 *
 * Keys: ["chain", "reveal", netuid, hotkey, commitHash] → PendingReveal.
 *
 * @module
 */

export interface PendingReveal {
  /** The committed hash, lower-case 0x-hex. */
  hash: string;
  uids: number[];
  values: number[];
  salt: number[];
  versionKey: bigint;
  /** Block the commit went in. */
  commitBlock: number;
}

function prefix(netuid: number, hotkey: string): Deno.KvKey {
  return ["chain", "reveal", netuid, hotkey];
}

export async function savePendingReveal(
  kv: Deno.Kv,
  netuid: number,
  hotkey: string,
  reveal: PendingReveal,
): Promise<void> {
  await kv.set([...prefix(netuid, hotkey), reveal.hash], reveal);
}

/** Pending reveals of `hotkey` on `netuid`, oldest commit first. */
export async function listPendingReveals(
  kv: Deno.Kv,
  netuid: number,
  hotkey: string,
): Promise<PendingReveal[]> {
  const reveals: PendingReveal[] = [];
  for await (const entry of kv.list<PendingReveal>({ prefix: prefix(netuid, hotkey) })) {
    reveals.push(entry.value);
  }
  return reveals.sort((a, b) => a.commitBlock - b.commitBlock);
}

export async function deletePendingReveal(
  kv: Deno.Kv,
  netuid: number,
  hotkey: string,
  hash: string,
): Promise<void> {
  await kv.delete([...prefix(netuid, hotkey), hash]);
}
