/**
 * Subtensor stood in by memory, for tests of code that behaves differently
 * on subtensor (server/gentrx/gentrx_pool_test.ts,
 * engine/chain/bucket_commitment_test.ts) where no subtensor runtime can
 * run; the real one is tests/subtensor_chopsticks_test.ts, which needs
 * SUBTENSOR_CHAIN_SPEC.
 *
 * One node, many clients: each process (validator, miner) connects with the
 * keys it holds, and may sign only for those. It keeps what those tests
 * touch, with subtensor's rules for them: the subnet's neurons, a best
 * block that moves only when the test moves it (clients hear it as a new
 * head, SubtensorChain.bestBlock), and commitments that only a registered
 * hotkey may set, through the pallet's `Data` codec (engine/chain/commitment_data.ts: at
 * most 128 bytes), at most once per 100 blocks (spec 185's rate limit,
 * chain.md §1.1). A test can make the node stop answering (`reachable =
 * false`): requests then wait until it answers again and no heads arrive.
 *
 * @module
 */
import { ChainError } from "@/engine/chain/chain_error.ts";
import type { Neuron } from "@/server/chain/chain_client.ts";
import type { GenTrxPoolOptions } from "@/server/gentrx/gentrx_pool.ts";
import { commitmentInfo, decodeCommitment } from "@/engine/chain/commitment_data.ts";

/** Spec 185's `Commitments.RateLimit`: blocks between two commitments of one hotkey. */
export const COMMITMENT_RATE_LIMIT_BLOCKS = 100;

/**
 * What the stand-in serves of ChainClient: what the GenTRX pool reads, which
 * holds what a commit needs (engine/chain/bucket_commitment.ts).
 */
export type SubtensorStandIn = GenTrxPoolOptions["chain"];

export class InMemorySubtensor {
  readonly netuid: number;
  /** `set_commitment` extrinsics that reached the chain, accepted or not. */
  commitCalls = 0;
  readonly #hotkeys: readonly string[];
  readonly #commitments = new Map<string, { block: number; registration: unknown }>();
  #block: number;
  /** The last head the clients heard (the best block while the node answers). */
  #heardBlock: number;
  #reachable = true;
  /** Requests waiting for the node to answer again. */
  #waiting: (() => void)[] = [];

  /**
   * A subnet `netuid` whose neurons are `hotkeys`, UID = index (UID 0 has
   * the validator permit), on a testnet (any chain but finney).
   */
  constructor(options: { netuid: number; hotkeys: readonly string[]; block: number }) {
    this.netuid = options.netuid;
    this.#hotkeys = options.hotkeys;
    this.#block = this.#heardBlock = options.block;
  }

  /** The best block; tests advance it, and clients hear it while the node answers. */
  get block(): number {
    return this.#block;
  }

  set block(block: number) {
    this.#block = block;
    if (this.#reachable) this.#heardBlock = block;
  }

  /** Whether the node answers; false: requests wait and no heads arrive, true: it catches up. */
  get reachable(): boolean {
    return this.#reachable;
  }

  set reachable(reachable: boolean) {
    this.#reachable = reachable;
    if (!reachable) return;
    this.#heardBlock = this.#block;
    for (const answer of this.#waiting.splice(0)) answer();
  }

  /** A client holding the keys of `signers` (SubtensorChain's `signers`). */
  connect(signers: readonly string[]): SubtensorStandIn {
    return {
      kind: "subtensor",
      netuid: this.netuid,
      network: "testnet",
      metagraph: () => this.#request(() => this.#neurons()),
      uidOf: (hotkey) => this.#request(() => this.#uidOf(hotkey)),
      bestBlock: () => this.#heardBlock,
      commitment: (hotkey) =>
        this.#request(() => {
          const stored = this.#commitments.get(hotkey);
          return stored ? decodeCommitment(stored.registration) : null;
        }),
      setCommitment: (hotkey, data) => this.#request(() => this.#commit(signers, hotkey, data)),
    };
  }

  /** `answer` once the node answers. */
  async #request<T>(answer: () => T): Promise<T> {
    if (!this.#reachable) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    return answer();
  }

  #neurons(): Neuron[] {
    return this.#hotkeys.map((hotkey, uid) => ({
      uid,
      hotkey,
      registeredAt: 0,
      validatorPermit: uid === 0,
      endpoint: null,
    }));
  }

  #uidOf(hotkey: string): number | undefined {
    const uid = this.#hotkeys.indexOf(hotkey);
    return uid < 0 ? undefined : uid;
  }

  #commit(signers: readonly string[], hotkey: string, data: string): void {
    if (!signers.includes(hotkey)) {
      throw new ChainError("NoSigningKey", `Cannot commit: no key for hotkey "${hotkey}"`);
    }
    const info = commitmentInfo(data); // the 128-byte Data limit, before anything is sent
    this.commitCalls++;
    if (this.#uidOf(hotkey) === undefined) {
      throw new ChainError(
        "AccountNotAllowedCommit",
        "Cannot commit: Commitments.AccountNotAllowedCommit (Account is not allowed to commit)",
      );
    }
    const last = this.#commitments.get(hotkey);
    if (last && this.block - last.block < COMMITMENT_RATE_LIMIT_BLOCKS) {
      throw new ChainError(
        "CommitmentSetRateLimitExceeded",
        "Cannot commit: Commitments.CommitmentSetRateLimitExceeded (Account is trying to commit data too fast, rate limit exceeded)",
      );
    }
    // CommitmentOf's JSON as @polkadot/api gives it: { deposit, block, info: { fields: [{ rawN }] } }.
    this.#commitments.set(hotkey, {
      block: this.block,
      registration: { deposit: 0, block: this.block, info },
    });
  }
}
