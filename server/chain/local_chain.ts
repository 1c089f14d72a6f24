/**
 * The local network: a stand-in subtensor in Deno KV, so a validator runs
 * with no chain endpoint (ARCHITECTURE.md decision 6). It enforces the
 * set_weights rules that matter to a validator (chain.md §1.4): registered
 * hotkey, validator permit, equal lengths, no duplicates, known UIDs, the
 * rate limit; and stores values max-upscaled as the chain does.
 *
 * Keys: ["chain", "weights", uid] → WeightsRow,
 *       ["chain", "endpoint", uid] → string,
 *       ["chain", "commitment", hotkey] → string.
 *
 * @module
 */
import { roundHalfEven, U16_MAX } from "@/engine/scoring/u16_weights.ts";
import { ChainError } from "@/engine/chain/chain_error.ts";
import type { ChainClient, Neuron, WeightsRow } from "@/server/chain/chain_client.ts";
import { listNeurons, uidOf } from "@/server/store/metagraph.ts";

export interface LocalChainOptions {
  /** Minimum ms between two weight settings of one validator (subtensor: blocks). */
  weightsRateLimitMs?: number;
  /** UIDs with a validator permit; default: UID 0 (the local validator). */
  validatorUids?: ReadonlySet<number>;
  now?: () => number;
}

/** The Commitments pallet's limit on one commitment, bytes. */
const MAX_COMMITMENT_BYTES = 128;

export class LocalChain implements ChainClient {
  readonly kind = "local" as const;
  readonly network = "local" as const;
  readonly #kv: Deno.Kv;
  readonly #rateLimitMs: number;
  readonly #validators: ReadonlySet<number>;
  readonly #now: () => number;

  constructor(kv: Deno.Kv, options: LocalChainOptions = {}) {
    this.#kv = kv;
    this.#rateLimitMs = options.weightsRateLimitMs ?? 0;
    this.#validators = options.validatorUids ?? new Set([0]);
    this.#now = options.now ?? (() => Date.now());
  }

  async metagraph(): Promise<Neuron[]> {
    const endpoints = new Map<number, string>();
    for await (const entry of this.#kv.list<string>({ prefix: ["chain", "endpoint"] })) {
      endpoints.set(entry.key[2] as number, entry.value);
    }
    return (await listNeurons(this.#kv)).map((neuron) => ({
      uid: neuron.uid,
      hotkey: neuron.hotkey,
      registeredAt: neuron.registeredAt,
      validatorPermit: this.#validators.has(neuron.uid),
      endpoint: endpoints.get(neuron.uid) ?? null,
    }));
  }

  uidOf(hotkey: string): Promise<number | undefined> {
    return uidOf(this.#kv, hotkey);
  }

  async setWeights(
    hotkey: string,
    uids: readonly number[],
    weights: readonly number[],
  ): Promise<void> {
    if (uids.length !== weights.length) {
      throw new ChainError(
        "WeightVecNotEqualSize",
        `Cannot set weights: ${uids.length} uids, ${weights.length} weights`,
      );
    }
    const uid = await this.uidOf(hotkey);
    if (uid === undefined) {
      throw new ChainError(
        "HotKeyNotRegisteredInSubNet",
        `Cannot set weights: "${hotkey}" is not registered`,
      );
    }
    const key = ["chain", "weights", uid];
    const previous = await this.#kv.get<WeightsRow>(key);
    const now = this.#now();
    if (previous.value && now - previous.value.setAt < this.#rateLimitMs) {
      throw new ChainError(
        "SettingWeightsTooFast",
        `Cannot set weights: last set ${
          now - previous.value.setAt
        } ms ago (limit ${this.#rateLimitMs} ms)`,
      );
    }
    if (!this.#validators.has(uid)) {
      throw new ChainError(
        "NeuronNoValidatorPermit",
        `Cannot set weights: uid ${uid} has no validator permit`,
      );
    }
    if (new Set(uids).size !== uids.length) {
      throw new ChainError("DuplicateUids", "Cannot set weights: uids repeat");
    }
    const size = (await listNeurons(this.#kv)).length;
    if (uids.some((target) => !Number.isInteger(target) || target < 0 || target >= size)) {
      throw new ChainError(
        "UidVecContainInvalidOne",
        `Cannot set weights: uids must be 0 to ${size - 1}`,
      );
    }
    if (weights.some((w) => !Number.isInteger(w) || w < 0 || w > U16_MAX)) {
      throw new ChainError(
        "InvalidWeights",
        `Cannot set weights: values must be integers 0 to ${U16_MAX}`,
      );
    }
    const max = Math.max(0, ...weights);
    const stored = max === 0
      ? [...weights]
      : weights.map((w) => roundHalfEven((w * U16_MAX) / max));
    const row: WeightsRow = { uid, uids: [...uids], weights: stored, setAt: now };
    const result = await this.#kv.atomic().check(previous).set(key, row).commit();
    if (!result.ok) {
      throw new ChainError("SettingWeightsTooFast", "Cannot set weights: a concurrent update won");
    }
  }

  async weights(): Promise<WeightsRow[]> {
    const rows: WeightsRow[] = [];
    for await (const entry of this.#kv.list<WeightsRow>({ prefix: ["chain", "weights"] })) {
      rows.push(entry.value);
    }
    return rows;
  }

  async serveEndpoint(hotkey: string, endpoint: string): Promise<void> {
    const uid = await this.#registered(hotkey, "serve");
    await this.#kv.set(["chain", "endpoint", uid], endpoint);
  }

  async setCommitment(hotkey: string, data: string): Promise<void> {
    await this.#registered(hotkey, "commit");
    const bytes = new TextEncoder().encode(data).length;
    if (bytes > MAX_COMMITMENT_BYTES) {
      throw new ChainError(
        "CommitmentTooLarge",
        `Cannot commit: ${bytes} bytes exceeds the limit of ${MAX_COMMITMENT_BYTES}`,
      );
    }
    await this.#kv.set(["chain", "commitment", hotkey], data);
  }

  async commitment(hotkey: string): Promise<string | null> {
    return (await this.#kv.get<string>(["chain", "commitment", hotkey])).value;
  }

  /** No blocks here: GenTRX rounds count market steps instead (gentrx/round_clock.ts). */
  bestBlock(): null {
    return null;
  }

  async #registered(hotkey: string, action: string): Promise<number> {
    const uid = await this.uidOf(hotkey);
    if (uid === undefined) {
      throw new ChainError(
        "HotKeyNotRegisteredInSubNet",
        `Cannot ${action}: "${hotkey}" is not registered`,
      );
    }
    return uid;
  }
}
