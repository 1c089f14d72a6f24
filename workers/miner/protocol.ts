/**
 * Messages between the miner console (islands/BrowserMiner.tsx) and the
 * agent worker (workers/agent_worker.ts), versioned like every worker
 * protocol (workers/protocol.ts).
 *
 * @module
 */
import type { BookConfig } from "@/engine/book_records.ts";
import type { SimulationConfig } from "@/engine/protocol/state_update.ts";
import type { MinerSnapshot } from "@/workers/miner/miner_tracker.ts";
import { PROTOCOL_VERSION } from "@/workers/protocol.ts";

export { PROTOCOL_VERSION };

/** Where the bundled agent worker is served (server/fresh_lite/bundle.ts). */
export const AGENT_WORKER_URL = "/_islands/workers/agent_worker.js";

/** The agent to run: its TypeScript source and `--param`-style parameters. */
export interface AgentSpec {
  source: string;
  params: Record<string, string>;
  seed: number;
}

export interface OfflineRun {
  mode: "offline";
  agent: AgentSpec;
  /** URL of marketforge.wasm. */
  wasmUrl: string;
  books: BookConfig[];
  config: SimulationConfig;
  /** The validator's simulation settings (engine/sim/sim_config.ts); τaos defaults when absent. */
  simConfig?: unknown;
  /** Simulated seconds to run. */
  steps: number;
  /** Wall ms per step at the least, so the run can be watched (0: as fast as it goes). */
  stepMs: number;
}

export interface LiveRun {
  mode: "live";
  agent: AgentSpec;
  /** The validator's gateway, ws(s)://…/api/miner/ws. */
  url: string;
  /** The hotkey (ss58) the wallet signs the session grant with. */
  hotkey: string;
  /** A forecast agent (engine/agents/forecast_*.ts) to answer the forecast pool with; none opts out. */
  forecaster?: AgentSpec;
  /** Join the GenTRX training pool with this bucket; none opts out. */
  gentrx?: GenTrxBucket;
  /**
   * Where the bucket's read key is published: over the session (the local
   * network, the default) or on chain, already done by the page with the
   * wallet (subtensor, islands/_miner_commitment.ts) — then the run only joins.
   */
  gentrxCommitVia?: "session" | "chain";
}

/**
 * The tab's S3-compatible bucket for GenTRX deltas. The write key signs the
 * uploads and never leaves the tab; the read-only key is published as the
 * bucket's commitment (engine/gentrx/store/bucket_location.ts) so
 * validators can read the deltas.
 */
export interface GenTrxBucket {
  endpoint: string;
  bucket: string;
  /** SigV4 region; empty: the endpoint's (engine/gentrx/store/s3_region.ts). */
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  readAccessKeyId: string;
  readSecretAccessKey: string;
}

export type RunPhase =
  | "compiling"
  | "connecting"
  | "signing"
  | "live"
  | "offline"
  | "finished"
  | "stopped"
  /** The connection dropped; the worker reconnects with backoff (a new grant each time). */
  | "reconnecting"
  | "disconnected";

/** Page → agent worker. */
export type ToAgentWorker =
  | { v: typeof PROTOCOL_VERSION; type: "start"; run: OfflineRun | LiveRun }
  | {
    v: typeof PROTOCOL_VERSION;
    type: "signature";
    id: number;
    /** The wallet's signature of the grant text, or why there is none. */
    signature?: Uint8Array;
    error?: string;
  }
  | { v: typeof PROTOCOL_VERSION; type: "stop" };

/** Agent worker → page. */
export type FromAgentWorker =
  | { v: typeof PROTOCOL_VERSION; type: "status"; phase: RunPhase; uid?: number; detail?: string }
  /** The wallet must sign `message` (the session grant); answered with "signature". */
  | { v: typeof PROTOCOL_VERSION; type: "sign"; id: number; message: string }
  | { v: typeof PROTOCOL_VERSION; type: "snapshot"; snapshot: MinerSnapshot }
  /** Lines the agent logged since the last message. */
  | { v: typeof PROTOCOL_VERSION; type: "log"; lines: string[] }
  | { v: typeof PROTOCOL_VERSION; type: "error"; message: string };
