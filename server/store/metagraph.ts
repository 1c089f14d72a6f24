/**
 * The local network's metagraph: which hotkeys hold which UIDs. Used when
 * the validator runs without a chain endpoint (ARCHITECTURE.md decision 6);
 * the chain client replaces it with the subnet's real metagraph.
 *
 * Keys: ["metagraph", "neuron", uid] → Neuron,
 *       ["metagraph", "uid", hotkey] → uid (index),
 *       ["metagraph", "size"] → number of UIDs handed out.
 *
 * @module
 */

export interface Neuron {
  uid: number;
  /** ss58 hotkey. */
  hotkey: string;
  /** Unix ms of registration. */
  registeredAt: number;
}

/** Bittensor's default cap on UIDs per subnet (max_allowed_uids). */
export const MAX_UIDS = 256;

const SIZE_KEY = ["metagraph", "size"];

/** The UID of `hotkey`, or undefined when it is not registered. */
export async function uidOf(kv: Deno.Kv, hotkey: string): Promise<number | undefined> {
  return (await kv.get<number>(["metagraph", "uid", hotkey])).value ?? undefined;
}

/** Every registered neuron, by UID. */
export async function listNeurons(kv: Deno.Kv): Promise<Neuron[]> {
  const neurons: Neuron[] = [];
  for await (const entry of kv.list<Neuron>({ prefix: ["metagraph", "neuron"] })) {
    neurons.push(entry.value);
  }
  return neurons;
}

/**
 * Registers `hotkey` under the next free UID (or returns its existing UID).
 * Retries on concurrent registrations; the neuron and its index are written
 * in one atomic commit.
 */
export async function registerHotkey(
  kv: Deno.Kv,
  hotkey: string,
  now = Date.now(),
  maxUids = MAX_UIDS,
): Promise<number> {
  for (;;) {
    const existing = await uidOf(kv, hotkey);
    if (existing !== undefined) return existing;
    const size = await kv.get<number>(SIZE_KEY);
    const uid = size.value ?? 0;
    if (uid >= maxUids) {
      throw new RangeError(`Cannot register hotkey "${hotkey}": all ${maxUids} UIDs are taken`);
    }
    const indexKey = ["metagraph", "uid", hotkey];
    const result = await kv.atomic()
      .check(size)
      .check({ key: indexKey, versionstamp: null })
      .set(["metagraph", "neuron", uid], { uid, hotkey, registeredAt: now } satisfies Neuron)
      .set(indexKey, uid)
      .set(SIZE_KEY, uid + 1)
      .commit();
    if (result.ok) return uid;
  }
}

/**
 * Hands `uid` to `hotkey`, as subtensor does when a new registration prunes
 * a UID (the old hotkey is deregistered). The neuron and both index entries
 * change in one atomic commit; throws a RangeError when `uid` is not held or
 * `hotkey` already holds a UID.
 */
export async function replaceHotkey(
  kv: Deno.Kv,
  uid: number,
  hotkey: string,
  now = Date.now(),
): Promise<void> {
  const neuron = await kv.get<Neuron>(["metagraph", "neuron", uid]);
  if (neuron.value === null) {
    throw new RangeError(`Cannot replace the hotkey of UID ${uid}: it is not registered`);
  }
  const indexKey = ["metagraph", "uid", hotkey];
  const result = await kv.atomic()
    .check(neuron)
    .check({ key: indexKey, versionstamp: null })
    .delete(["metagraph", "uid", neuron.value.hotkey])
    .set(["metagraph", "neuron", uid], { uid, hotkey, registeredAt: now } satisfies Neuron)
    .set(indexKey, uid)
    .commit();
  if (!result.ok) {
    throw new RangeError(
      `Cannot replace the hotkey of UID ${uid}: "${hotkey}" is registered already or UID ${uid} changed`,
    );
  }
}
