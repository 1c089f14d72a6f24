/**
 * What the validator needs from a Bittensor chain, behind one interface with
 * two implementations: the local network (local_chain.ts; Deno KV, the
 * default for `deno task start`) and subtensor (subtensor_chain.ts, over
 * @polkadot/api). Weights are the u16 values the chain stores
 * (engine/scoring/u16_weights.ts). Refusals are engine/chain/chain_error.ts's
 * ChainError, shared with the browser miner.
 *
 * @module
 */

export interface Neuron {
  uid: number;
  hotkey: string;
  /** Unix ms (local) or block number (subtensor) of registration. */
  registeredAt: number;
  /** Validator permit: may set weights. */
  validatorPermit: boolean;
  /** Where this neuron serves (a validator's gateway URL), if it says. */
  endpoint: string | null;
  /**
   * Stake on the subnet (subtensor only): the hotkey's alpha (TAO before
   * dynamic TAO), in whole units (rao / 10⁹).
   */
  stake?: number;
  /** Block of the neuron's last weights (subtensor `LastUpdate`; 0 for never). */
  lastUpdate?: number;
}

export interface WeightsRow {
  /** The validator that set them. */
  uid: number;
  uids: number[];
  weights: number[];
  /** Unix ms (local) or block (subtensor) of the last update. */
  setAt: number;
}

/** The last time a client read the metagraph from the chain, and at which block. */
export interface ChainSync {
  /** Unix ms when the read finished. */
  atMs: number;
  /** The block it read at; null where the chain has no blocks (the local network). */
  block: number | null;
}

/** A block's time on subtensor: 12 s Aura slots (chain.md §1.5, the SDK's `block_time`). */
export const SUBTENSOR_BLOCK_MS = 12_000;

/**
 * Which Bittensor network a client is on, as τaos names its GenTRX shards
 * (`gentrx/<mainnet|testnet>/…`, taos.md §6.2): finney is mainnet, any
 * other subtensor chain testnet, and the local network local.
 */
export type BittensorNetwork = "mainnet" | "testnet" | "local";

export interface ChainClient {
  readonly kind: "local" | "subtensor";
  readonly network: BittensorNetwork;
  /** The subnet on subtensor; the local network has one subnet and no number. */
  readonly netuid?: number;
  /** The node a subtensor client dials (the --chain URL); the local network has none. */
  readonly nodeUrl?: string;
  /** Every neuron of the subnet, by UID. */
  metagraph(): Promise<Neuron[]>;
  uidOf(hotkey: string): Promise<number | undefined>;
  /** Sets `hotkey`'s weights; throws a ChainError naming the rule broken. */
  setWeights(hotkey: string, uids: readonly number[], weights: readonly number[]): Promise<void>;
  /** Weights as stored on chain. */
  weights(): Promise<WeightsRow[]>;
  /** Publishes `hotkey`'s endpoint (serve_axon's role for miners to find validators). */
  serveEndpoint(hotkey: string, endpoint: string): Promise<void>;
  /** The Commitments pallet: one short string per hotkey (e.g. a bucket read key). */
  setCommitment(hotkey: string, data: string): Promise<void>;
  commitment(hotkey: string): Promise<string | null>;
  /**
   * The newest best block the client has heard of, kept in memory from its
   * subscription to new heads, so reading it never waits on the node: a
   * node that stops answering leaves it where it was. Null where the chain
   * has no blocks (the local network, where what counts blocks on
   * subtensor counts steps instead) and before the first head.
   */
  bestBlock(): number | null;
  /**
   * The last metagraph read from the chain, if the client reads from afar
   * (subtensor); null before the first. The local network has no such read.
   */
  lastSync?(): ChainSync | null;
  /** Releases the connection, if the client holds one. */
  close?(): Promise<void>;
}
