/**
 * The ChainClient over a subtensor node (shared/reference/chain.md §1):
 * the metagraph from `SubtensorModule` storage (Keys, Axons, stake,
 * ValidatorPermit, LastUpdate, BlockAtRegistration), weights by
 * `set_weights`, or by `commit_weights` then `reveal_weights` when the
 * subnet has commit-reveal on, `serve_axon` for the validator's gateway,
 * `Commitments.set_commitment` / `CommitmentOf`, and the best block from a
 * subscription to new heads (the GenTRX round clock reads it every market
 * step, so it must never wait on the node).
 *
 * Storage is read with untyped @polkadot/api codecs (no typegen for
 * subtensor), so values go through `toJSON()` / `toString()` and the small
 * parsers in this folder. Works with the runtime in the tests' chain spec
 * (spec 185) and with current runtimes: stake comes from
 * `TotalHotkeyAlpha` when the runtime has it, else `TotalHotkeyStake`.
 *
 * @example
 * ```ts
 * const chain = await SubtensorChain.connect({
 *   url: "ws://127.0.0.1:9944", netuid: 1, signers: [hotkeyPair], kv,
 * });
 * await chain.setWeights(hotkeyPair.address, [1, 2], [65535, 32768]);
 * ```
 *
 * @module
 */
import { ApiPromise, WsProvider } from "@polkadot/api";
import type { ApiDecoration } from "@polkadot/api/types";
import type { KeyringPair } from "@polkadot/keyring/types";
import { decodeAddress } from "@polkadot/util-crypto";
import { u8aToHex } from "@polkadot/util";
import { ChainError } from "@/engine/chain/chain_error.ts";
import { commitmentInfo, decodeCommitment } from "@/engine/chain/commitment_data.ts";
import { SUBTENSOR_SIGNED_EXTENSIONS } from "@/engine/chain/subtensor_extensions.ts";
import {
  type ChainClient,
  type ChainSync,
  type Neuron,
  SUBTENSOR_BLOCK_MS,
  type WeightsRow,
} from "@/server/chain/chain_client.ts";
import { endpointToAxon } from "@/server/chain/axon_endpoint.ts";
import {
  deletePendingReveal,
  listPendingReveals,
  savePendingReveal,
} from "@/server/chain/pending_reveals.ts";
import {
  commitWeightsArgs,
  revealWeightsArgs,
  serveAxonArgs,
  setWeightsArgs,
} from "@/server/chain/subtensor_calls.ts";
import { numbers, readMetagraph } from "@/server/chain/subtensor_metagraph.ts";
import { TransactionSender } from "@/server/chain/transaction_sender.ts";
import { weightsCommitHash, weightsSalt } from "@/server/chain/weights_commit.ts";
import {
  parseStoredCommits,
  planWeights,
  REVEAL_NOT_YET,
  revealWindow,
  type StoredCommit,
  type WeightsChainState,
} from "@/server/chain/weights_rules.ts";

/**
 * Marketforge 0.1.0 as the SDK's `version_as_int` (major·10⁶ + minor·10³ +
 * patch, chain.md §1.7): the weights version key and the axon version. The
 * subnet owner raises `WeightsVersionKey` above it to stop older validators.
 */
export const MARKETFORGE_VERSION_INT = 1_000;
/** Wait before reconnecting a dropped node connection, ms (@polkadot/api's default). */
const RECONNECT_MS = 2_500;
/**
 * Finney's genesis block hash: the chain τaos calls mainnet; every other
 * subtensor chain is testnet (taos.md §6.2, τaos's `gtx_network`).
 */
export const FINNEY_GENESIS_HASH =
  "0x2f0555cc76fc2840a25a6ea3b9637146806f1f44b090c175ffde2a7e5ab36c03";

export interface SubtensorChainOptions {
  /** The node's WebSocket endpoint, e.g. ws://127.0.0.1:9944. */
  url: string;
  netuid: number;
  /** Keys this client signs with; each call names its hotkey. */
  signers: readonly KeyringPair[];
  /** Holds commits waiting for their reveal (pending_reveals.ts). */
  kv: Deno.Kv;
  /** Default MARKETFORGE_VERSION_INT. */
  versionKey?: bigint;
  /** How long a metagraph read is reused, ms; default one block (SUBTENSOR_BLOCK_MS). */
  metagraphTtlMs?: number;
  log?: (line: string) => void;
}

export class SubtensorChain implements ChainClient {
  readonly kind = "subtensor" as const;
  readonly netuid: number;
  readonly nodeUrl: string | undefined;
  readonly network: "mainnet" | "testnet";
  readonly api: ApiPromise;
  readonly #sender: TransactionSender;
  readonly #signers: Map<string, KeyringPair>;
  readonly #kv: Deno.Kv;
  readonly #versionKey: bigint;
  readonly #metagraphTtlMs: number;
  readonly #log: (line: string) => void;
  #metagraph: { readAt: number; neurons: Promise<Neuron[]> } | null = null;
  #lastSync: ChainSync | null = null;
  #bestBlock: number | null = null;
  /** Resolves on the first new head; rejects if the node refuses the subscription. */
  readonly #firstHead: Promise<void>;

  /**
   * A client on `api`; it subscribes to new heads at once (bestBlock) and
   * keeps the subscription while the connection lasts (@polkadot/api
   * resubscribes after a reconnect).
   */
  constructor(
    api: ApiPromise,
    options: Omit<SubtensorChainOptions, "url"> & { url?: string },
  ) {
    this.api = api;
    this.netuid = options.netuid;
    this.nodeUrl = options.url;
    this.network = api.genesisHash.toHex() === FINNEY_GENESIS_HASH ? "mainnet" : "testnet";
    this.#sender = TransactionSender.for(api);
    this.#signers = new Map(options.signers.map((pair) => [publicKeyHex(pair.address), pair]));
    this.#kv = options.kv;
    this.#versionKey = options.versionKey ?? BigInt(MARKETFORGE_VERSION_INT);
    this.#metagraphTtlMs = options.metagraphTtlMs ?? SUBTENSOR_BLOCK_MS;
    this.#log = options.log ?? (() => {});
    this.#firstHead = new Promise((heard, refused) => {
      api.rpc.chain.subscribeNewHeads((header) => {
        this.#bestBlock = header.number.toNumber();
        heard();
      }).catch(refused);
    });
    this.#firstHead.catch((error) => this.#log(`New heads: ${(error as Error).message}`));
  }

  /**
   * Connects to `url` and waits for the first head (so bestBlock is a
   * number); throws naming the endpoint when no node answers there.
   */
  static async connect(options: SubtensorChainOptions): Promise<SubtensorChain> {
    const api = await connectSubtensor(options.url);
    const chain = new SubtensorChain(api, options);
    if (!(await chain.#subnetExists())) {
      await api.disconnect();
      throw new ChainError(
        "SubNetworkDoesNotExist",
        `Cannot use netuid ${options.netuid}: no such subnet on ${options.url}`,
      );
    }
    try {
      await chain.#firstHead;
    } catch (error) {
      await api.disconnect();
      throw new ChainError(
        "ConnectionFailed",
        `Cannot follow new heads on "${options.url}": ${(error as Error).message}`,
      );
    }
    return chain;
  }

  metagraph(): Promise<Neuron[]> {
    const now = Date.now();
    if (!this.#metagraph || now - this.#metagraph.readAt >= this.#metagraphTtlMs) {
      const neurons = this.#latest().then(async (at) => {
        const [read, block] = await Promise.all([
          readMetagraph(at, this.netuid),
          at.query.system.number(),
        ]);
        this.#lastSync = { atMs: Date.now(), block: Number(block.toString()) };
        return read;
      });
      this.#metagraph = { readAt: now, neurons };
      neurons.catch(() => this.#metagraph = null);
    }
    return this.#metagraph.neurons;
  }

  lastSync(): ChainSync | null {
    return this.#lastSync;
  }

  async uidOf(hotkey: string): Promise<number | undefined> {
    if (!isAddress(hotkey)) return undefined;
    const at = await this.#latest();
    const value = (await at.query.subtensorModule.uids(this.netuid, hotkey)).toJSON();
    return typeof value === "number" ? value : undefined;
  }

  async setWeights(
    hotkey: string,
    uids: readonly number[],
    weights: readonly number[],
  ): Promise<void> {
    const signer = this.#signer(hotkey, "set weights");
    const args = setWeightsArgs(this.netuid, uids, weights, this.#versionKey);
    const uid = await this.uidOf(hotkey);
    if (uid === undefined) {
      throw new ChainError(
        "HotKeyNotRegisteredInSubNet",
        `Cannot set weights: "${hotkey}" is not registered on netuid ${this.netuid}`,
      );
    }
    let state = await this.#weightsState(hotkey, uid);
    if (state.commitReveal) {
      await this.#revealDue(signer, state.block);
      state = await this.#weightsState(hotkey, uid);
    }
    if (planWeights(state, this.#versionKey) === "set_weights") {
      await this.#sender.send(signer, this.#tx.setWeights(...args), "set weights");
      return;
    }
    const salt = weightsSalt();
    const hash = weightsCommitHash({
      hotkey: decodeAddress(hotkey),
      netuidIndex: this.netuid,
      uids: args[1],
      values: args[2],
      salt,
      versionKey: this.#versionKey,
    });
    await this.#sender.send(
      signer,
      this.#tx.commitWeights(...commitWeightsArgs(this.netuid, hash)),
      "commit weights",
    );
    await savePendingReveal(this.#kv, this.netuid, signer.address, {
      hash,
      uids: args[1],
      values: args[2],
      salt,
      versionKey: this.#versionKey,
      commitBlock: (await this.api.rpc.chain.getHeader()).number.toNumber(),
    });
    this.#log(`Committed weights ${hash.slice(0, 10)}… for ${uids.length} uids`);
  }

  async weights(): Promise<WeightsRow[]> {
    const q = (await this.#latest()).query.subtensorModule;
    const [entries, lastUpdate] = await Promise.all([
      q.weights.entries(this.netuid),
      q.lastUpdate(this.netuid),
    ]);
    const setAt = numbers(lastUpdate.toJSON());
    return entries.map(([key, value]) => {
      const uid = Number(key.args[1].toString());
      const pairs = (value.toJSON() ?? []) as [number, number][];
      return {
        uid,
        uids: pairs.map(([target]) => target),
        weights: pairs.map(([, weight]) => weight),
        setAt: setAt[uid] ?? 0,
      };
    }).filter((row) => row.uids.length > 0).sort((a, b) => a.uid - b.uid);
  }

  async serveEndpoint(hotkey: string, endpoint: string): Promise<void> {
    const signer = this.#signer(hotkey, "serve");
    const axon = endpointToAxon(endpoint);
    const at = await this.#latest();
    const served = (await at.query.subtensorModule.axons(this.netuid, hotkey)).toJSON() as
      | { ip: number | string; port: number; ipType: number }
      | null;
    if (
      served && BigInt(served.ip) === axon.ip && served.port === axon.port &&
      served.ipType === axon.ipType
    ) {
      return; // Already served: a second serve_axon would only spend ServingRateLimit.
    }
    await this.#sender.send(
      signer,
      this.#tx.serveAxon(...serveAxonArgs(this.netuid, MARKETFORGE_VERSION_INT, axon)),
      "serve",
    );
    this.#metagraph = null;
  }

  async setCommitment(hotkey: string, data: string): Promise<void> {
    const signer = this.#signer(hotkey, "commit");
    const info = commitmentInfo(data);
    await this.#sender.send(
      signer,
      this.api.tx.commitments.setCommitment(this.netuid, info),
      "commit",
    );
  }

  async commitment(hotkey: string): Promise<string | null> {
    if (!isAddress(hotkey)) return null;
    const at = await this.#latest();
    const registration = await at.query.commitments.commitmentOf(this.netuid, hotkey);
    return decodeCommitment(registration.toJSON());
  }

  bestBlock(): number | null {
    return this.#bestBlock;
  }

  async close(): Promise<void> {
    await this.api.disconnect();
  }

  /**
   * The API at the best block: reads from it are one consistent snapshot and
   * plain storage queries (no subscriptions, whose cached values can trail).
   */
  async #latest(): Promise<ApiDecoration<"promise">> {
    return await this.api.at(await this.api.rpc.chain.getBlockHash());
  }

  get #tx() {
    return this.api.tx.subtensorModule;
  }

  #signer(hotkey: string, action: string): KeyringPair {
    let signer: KeyringPair | undefined;
    try {
      signer = this.#signers.get(publicKeyHex(hotkey));
    } catch {
      // not an ss58 address: reported below
    }
    if (!signer) {
      throw new ChainError("NoSigningKey", `Cannot ${action}: no key for hotkey "${hotkey}"`);
    }
    return signer;
  }

  async #subnetExists(): Promise<boolean> {
    const added = (await this.#latest()).query.subtensorModule.networksAdded;
    return added ? (await added(this.netuid)).toJSON() === true : true;
  }

  async #weightsState(hotkey: string, uid: number): Promise<WeightsChainState> {
    const at = await this.#latest();
    const q = at.query.subtensorModule;
    const [block, commitReveal, versionKey, rateLimit, lastUpdate, commits] = await Promise.all([
      at.query.system.number(),
      q.commitRevealWeightsEnabled(this.netuid),
      q.weightsVersionKey(this.netuid),
      q.weightsSetRateLimit(this.netuid),
      q.lastUpdate(this.netuid),
      this.#storedCommits(hotkey, at),
    ]);
    return {
      block: Number(block.toString()),
      commitReveal: commitReveal.toJSON() === true,
      requiredVersionKey: BigInt(versionKey.toString()),
      rateLimitBlocks: Number(rateLimit.toString()),
      lastUpdateBlock: Math.max(
        numbers(lastUpdate.toJSON())[uid] ?? 0,
        ...commits.map((commit) => commit.commitBlock),
      ),
      unrevealedCommits: commits.length,
    };
  }

  async #storedCommits(hotkey: string, at?: ApiDecoration<"promise">): Promise<StoredCommit[]> {
    const weightCommits = (at ?? await this.#latest()).query.subtensorModule.weightCommits;
    if (!weightCommits) return [];
    return parseStoredCommits((await weightCommits(this.netuid, hotkey)).toJSON());
  }

  /**
   * Reveals every pending commit whose window is open; forgets those the
   * chain no longer holds or whose window passed.
   */
  async #revealDue(signer: KeyringPair, block: number): Promise<void> {
    const pending = await listPendingReveals(this.#kv, this.netuid, signer.address);
    if (pending.length === 0) return;
    const stored = new Map(
      (await this.#storedCommits(signer.address)).map((commit) => [commit.hash, commit]),
    );
    for (const reveal of pending) {
      const commit = stored.get(reveal.hash);
      const window = commit ? revealWindow(commit, block) : "expired";
      if (window === "early") continue;
      if (window === "open") {
        try {
          await this.#sender.send(
            signer,
            this.#tx.revealWeights(
              ...revealWeightsArgs(
                this.netuid,
                reveal.uids,
                reveal.values,
                reveal.salt,
                reveal.versionKey,
              ),
            ),
            "reveal weights",
          );
          this.#log(`Revealed weights ${reveal.hash.slice(0, 10)}…`);
        } catch (error) {
          if (REVEAL_NOT_YET.has((error as ChainError).rule)) continue;
          this.#log(`Reveal of ${reveal.hash.slice(0, 10)}… failed: ${(error as Error).message}`);
        }
      } else {
        this.#log(`Commit ${reveal.hash.slice(0, 10)}… expired before its reveal`);
      }
      await deletePendingReveal(this.#kv, this.netuid, signer.address, reveal.hash);
    }
  }
}

/** An ApiPromise on `url` that knows subtensor's transaction extensions. */
export async function connectSubtensor(url: string): Promise<ApiPromise> {
  const provider = new WsProvider(url, RECONNECT_MS);
  try {
    return await ApiPromise.create({
      provider,
      signedExtensions: SUBTENSOR_SIGNED_EXTENSIONS,
      noInitWarn: true,
      throwOnConnect: true,
    });
  } catch (error) {
    await provider.disconnect().catch(() => {});
    throw new ChainError(
      "ConnectionFailed",
      `Cannot connect to subtensor at "${url}": ${(error as Error).message}`,
    );
  }
}

function isAddress(text: string): boolean {
  try {
    decodeAddress(text);
    return true;
  } catch {
    return false;
  }
}

function publicKeyHex(address: string): string {
  return u8aToHex(decodeAddress(address));
}
