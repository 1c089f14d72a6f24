/**
 * The GenTRX training pool as the validator runs it (`--gentrx`): every
 * market step becomes a tick for the data pipeline; at each round clock
 * boundary (round_clock.ts: every `roundBlocks` chain blocks on subtensor,
 * 25 as τaos, every `roundSteps` steps on the local network) a round opens
 * for the miners that opted in on their session, and it is scored once
 * every assignment is in or missed, or at its deadline. The step reads the
 * block the chain client last heard of (ChainClient.bestBlock, in memory),
 * so a node that stops answering pauses the rounds, never the ticks.
 *
 * The round travels over the miner session (engine/gentrx/gentrx_frames.ts):
 * a miner sends `{ gentrx: "join" }`; at a round's opening each joined miner
 * whose hotkey has a bucket commitment (taos.md §6.6) gets a `gentrx_assign`
 * (PENDING → DELIVERED when sent), trains, uploads to its own bucket and
 * answers `{ gentrx: "uploaded", … }` (→ GRADIENT_IN once the object is
 * listed there). Undelivered or silent assignments time out to MISSED and
 * score 0. On the local network a miner's `{ gentrx: "commit" }` is stored
 * as its chain commitment; on subtensor the miner commits on chain itself
 * (engine/chain/bucket_commitment.ts) and the body is refused with the way
 * to do that. Scoring runs in a worker per round (round_worker_client.ts),
 * off the validator's thread.
 *
 * Keys and assignments name the network the chain is (τaos's shards,
 * `gentrx/<mainnet|testnet|local>/simulation/…`), so a miner reads the
 * model and pages where this validator writes them.
 *
 * The pool's EMAs are the training pool's input to the weights
 * (`poolInput`, the shape `engine/scoring/pools.ts` takes).
 *
 * @module
 */
import { resolve } from "node:path";
import { decode } from "@msgpack/msgpack";
import { withDeadline } from "@/engine/deadline.ts";
import { PROTOCOL_VERSION, type ServerFrame } from "@/engine/gateway/frames.ts";
import type { GenTrxReceiptFrame } from "@/engine/gateway/frames.ts";
import { TINY_GENTRX_CONFIG } from "@/engine/gentrx/config.ts";
import { assignFrame, readGenTrxBody } from "@/engine/gentrx/gentrx_frames.ts";
import {
  formatBucketLocation,
  MAX_COMMITMENT_CHARS,
  parseBucketLocation,
} from "@/engine/gentrx/store/bucket_location.ts";
import { type DataKeyScope, scopePrefix } from "@/engine/gentrx/store/data_keys.ts";
import type { GenTrxAssignment } from "@/engine/gentrx/store/miner_work.ts";
import type { ObjectStore } from "@/engine/gentrx/store/object_store.ts";
import type { PoolInput } from "@/engine/scoring/pools.ts";
import type { Engine, StepOutput } from "@/engine/simulator.ts";
import type { ChainClient } from "@/server/chain/chain_client.ts";
import type { Session } from "@/server/gateway/session_registry.ts";
import type { GenTrxSettings } from "@/server/gentrx/gentrx_config.ts";
import { checkMinerBucket, type MinerBucketPolicy } from "@/server/gentrx/miner_bucket_policy.ts";
import { GradientServer } from "@/server/gentrx/gradient_server.ts";
import { gentrxApp } from "@/server/gentrx/http_api.ts";
import { marketTick } from "@/server/gentrx/market_tick.ts";
import { TrainingData } from "@/server/gentrx/training_data.ts";
import { openGenTrxStore } from "@/server/gentrx/gentrx_store.ts";
import { RoundClock } from "@/server/gentrx/round_clock.ts";

/** The pool's data: the simulation's (τaos's other source is the exchange). */
const SOURCE = "simulation";
/** Batches the tiny model is scored on: short sequences, CPU-sized. */
const BATCH = { seqLen: 16, batchSize: 4 };
/** Steps between polls of an open round. */
const POLL_EVERY_STEPS = 10;
/** The share of a round's wall time miners get to upload (τaos: 240 s of a 300 s round). */
const DEADLINE_FRACTION = 0.8;
/**
 * How long a round's opening waits for the chain to give one miner's bucket
 * commitment, ms: ticks queue behind the opening, so a node that stops
 * answering costs that miner this round, not the pool its data.
 */
const COMMITMENT_READ_MS = 5000;
/** Limits for decoding a miner's response body. */
const BODY_LIMITS = { maxStrLength: 4096, maxArrayLength: 64, maxMapLength: 16 };

/** What the pool needs of server/gateway/gateway.ts's MinerGateway. */
export interface GenTrxGateway {
  readonly sessions: readonly Session[];
  publish(frameFor: (session: Session) => ServerFrame | null): void;
  onResponse(listener: (session: Session, body: Uint8Array) => void): () => void;
}

export interface GenTrxPoolOptions {
  settings: GenTrxSettings;
  kv: Deno.Kv;
  /**
   * The validator's hotkey: its UID in the metagraph names where its pages
   * and model are (`…/data/<uid>/`) and is the aggregator UID miners are told,
   * so on subtensor it is the validator's own, not τaos's local 0.
   */
  validatorHotkey: string;
  stepMs: number;
  gateway: GenTrxGateway;
  /** Miners' bucket commitments (the local network's also stores them) and the block clock. */
  chain: Pick<
    ChainClient,
    | "kind"
    | "netuid"
    | "network"
    | "metagraph"
    | "uidOf"
    | "commitment"
    | "setCommitment"
    | "bestBlock"
  >;
  log: (line: string) => void;
  /** Which miner buckets may be read (miner_bucket_policy.ts); default loopback-only rules. */
  bucketPolicy?: MinerBucketPolicy;
  /** Wall clock (tests); default Date.now. */
  now?: () => number;
  /** The bound on reading a miner's commitment at a round's opening, ms (tests); default 5 s. */
  commitmentReadMs?: number;
}

export class GenTrxPool {
  readonly server: GradientServer;
  readonly data: TrainingData;
  readonly store: ObjectStore;
  readonly #options: GenTrxPoolOptions;
  /** The validator's UID, read from the metagraph when the pool opens. */
  readonly #validatorUid: number;
  readonly #scope: DataKeyScope;
  readonly #clock: RoundClock;
  /** The session each opted-in UID joined on; only that session gets its work. */
  readonly #joined = new Map<number, Session>();
  /** Miners' buckets by UID, opened from their commitments. */
  readonly #minerStores = new Map<number, { commitment: string; store: ObjectStore }>();
  #queue: Promise<void> = Promise.resolve();
  #step = 0;
  #openRound: number | null = null;
  #emas = new Map<number, number>();
  #participation = 0;
  #stopped = false;
  #unsubscribe: () => void = () => {};

  private constructor(
    options: GenTrxPoolOptions,
    validatorUid: number,
    scope: DataKeyScope,
    clock: RoundClock,
    server: GradientServer,
    data: TrainingData,
    store: ObjectStore,
  ) {
    this.#options = options;
    this.#validatorUid = validatorUid;
    this.#scope = scope;
    this.#clock = clock;
    this.server = server;
    this.data = data;
    this.store = store;
  }

  /**
   * Opens the pool as the validator `options.validatorHotkey`; throws naming
   * the hotkey and the subnet when it holds no UID there.
   */
  static async open(options: GenTrxPoolOptions): Promise<GenTrxPool> {
    const validatorUid = await validatorUidOf(options.chain, options.validatorHotkey);
    const store = openGenTrxStore(options.settings.store);
    const scope: DataKeyScope = { network: options.chain.network, source: SOURCE };
    const data = new TrainingData({
      store,
      scope,
      validatorUid,
      rowsPerPage: options.settings.rowsPerPage,
    });
    const clock = new RoundClock(options.chain.kind === "local" ? "steps" : "blocks", {
      roundSteps: options.settings.roundSteps,
      roundBlocks: options.settings.roundBlocks,
      stepMs: options.stepMs,
    });
    const late: { pool?: GenTrxPool } = {};
    const server = await GradientServer.open({
      kv: options.kv,
      store,
      data,
      scope,
      validatorUid,
      modelConfig: TINY_GENTRX_CONFIG,
      modelSeed: 1,
      roundMs: Math.round(clock.periodMs * DEADLINE_FRACTION),
      minerStore: (uid) => late.pool!.#minerStore(uid),
      now: options.now,
      ...BATCH,
      log: options.log,
    });
    const pool = late.pool = new GenTrxPool(
      options,
      validatorUid,
      scope,
      clock,
      server,
      data,
      store,
    );
    // A round left open by a restart carries on; its miners get their work when they rejoin.
    const latest = await server.rounds.latestRound();
    if (latest !== null && !latest.scored) pool.#openRound = latest.round;
    pool.#emas = await server.trainingEmas();
    pool.#unsubscribe = options.gateway.onResponse((session, body) => pool.#onBody(session, body));
    options.log(
      `GenTRX pool on ${store.description} under ${scopePrefix(scope)}: model ` +
        `v${server.modelVersion}, a round every ${clock.every} ${clock.unit}`,
    );
    return pool;
  }

  /** The /gentrx HTTP surface (mount with `app.route("/gentrx", pool.app())`). */
  app() {
    return gentrxApp({
      server: this.server,
      data: this.data,
      apiKey: this.#options.settings.apiKey,
    });
  }

  /** UIDs opted in on a session that is still open. */
  get joinedUids(): number[] {
    const open = new Set(this.#options.gateway.sessions);
    return [...this.#joined].filter(([, session]) => open.has(session)).map(([uid]) => uid)
      .sort((a, b) => a - b);
  }

  /** Market.onStep listener: queues the tick and drives the rounds by the round clock. */
  readonly onStep = (output: StepOutput, engine: Engine, simulationId: string): void => {
    if (this.#stopped) return;
    const tick = marketTick(simulationId, engine, output);
    const step = ++this.#step;
    this.#enqueue(async () => {
      if (await this.data.ingest(tick) === "restarted" && this.#openRound !== null) {
        await this.server.abandonRound(this.#openRound, "the simulation ended");
        this.#openRound = null;
      }
      if (step % POLL_EVERY_STEPS === 0 && this.#openRound !== null) await this.#poll();
      const due = this.#clock.due(
        this.#clock.unit === "blocks" ? this.#options.chain.bestBlock() : step,
      );
      if (due !== null && this.#openRound === null) await this.#open(due);
    });
  };

  /** The training pool's scores by UID for the weights (undefined before any round). */
  poolInput(uidCount: number): PoolInput | undefined {
    if (this.#emas.size === 0) return undefined;
    const scores = new Array<number>(uidCount).fill(0);
    for (const [uid, ema] of this.#emas) if (uid < uidCount) scores[uid] = ema;
    return { scores, participation: this.#participation };
  }

  /** Resolves when the ticks queued so far are ingested and their round work done. */
  async settled(): Promise<void> {
    await this.#queue;
  }

  /** Waits for queued work; no more ticks or bodies are taken. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#unsubscribe();
    await this.#queue;
  }

  #enqueue(work: () => Promise<void>): void {
    this.#queue = this.#queue.then(work).catch((error) =>
      this.#options.log(`GenTRX: ${(error as Error).message}`)
    );
  }

  /** Where miners read the pages and the model: the validator's bucket, read-only. */
  #dataLocation(): string {
    const setting = this.#options.settings.store;
    if (setting.kind === "folder") {
      return formatBucketLocation({ kind: "folder", path: resolve(setting.path) });
    }
    const readKey = this.#options.settings.dataReadKey;
    if (readKey === undefined) {
      throw new RangeError(
        "no read key for miners: set GENTRX_VALIDATOR_S3_READ_ACCESS_KEY_ID and _READ_SECRET_ACCESS_KEY",
      );
    }
    return formatBucketLocation({ ...setting, ...readKey });
  }

  /** The bucket `uid` committed to (its hotkey's chain commitment); throws when it has none. */
  async #minerStore(uid: number): Promise<ObjectStore> {
    const neuron = (await this.#options.chain.metagraph()).find((n) => n.uid === uid);
    if (neuron === undefined) throw new RangeError(`uid ${uid} is not registered`);
    const commitment = await this.#options.chain.commitment(neuron.hotkey);
    if (commitment === null) throw new RangeError(`uid ${uid} has no bucket commitment`);
    const cached = this.#minerStores.get(uid);
    if (cached?.commitment === commitment) return cached.store;
    const location = checkMinerBucket(
      parseBucketLocation(commitment, `commitment of uid ${uid}`, {
        maxChars: MAX_COMMITMENT_CHARS,
        allowFolder: this.#options.chain.kind === "local",
      }),
      this.#bucketPolicy,
    );
    const store = openGenTrxStore(location);
    this.#minerStores.set(uid, { commitment, store });
    return store;
  }

  get #bucketPolicy(): MinerBucketPolicy {
    return this.#options.bucketPolicy ?? { localOnly: true };
  }

  #receipt(session: Session, receipt: Omit<GenTrxReceiptFrame, "t" | "v">): void {
    const frame: GenTrxReceiptFrame = { t: "gentrx_receipt", v: PROTOCOL_VERSION, ...receipt };
    this.#options.gateway.publish((other) => other === session ? frame : null);
  }

  /** Handles a miner's GenTRX body, in arrival order with the pool's other work. */
  #onBody(session: Session, bytes: Uint8Array): void {
    if (this.#stopped || !isGenTrxBody(bytes)) return; // the trading loop's or forecasts' concern
    this.#enqueue(async () => {
      let body;
      try {
        body = readGenTrxBody(decode(bytes, BODY_LIMITS))!;
      } catch (error) {
        this.#receipt(session, {
          kind: gentrxKind(bytes),
          ok: false,
          message: (error as Error).message,
        });
        return;
      }
      if (body.gentrx === "join") {
        this.#joined.set(session.uid, session);
        this.#receipt(session, { kind: "join", ok: true, message: "joined the training pool" });
        // A round already open (e.g. across a validator restart) still has work for it.
        if (this.#openRound !== null) await this.#redeliver(this.#openRound, session);
      } else if (body.gentrx === "commit") {
        await this.#commit(session, body.commitment);
      } else {
        await this.#uploaded(session, body.round, body.key, body.sizeBytes);
      }
    });
  }

  async #uploaded(session: Session, round: number, key: string, sizeBytes: number): Promise<void> {
    try {
      await this.server.uploaded(round, session.uid, key, sizeBytes);
    } catch (error) {
      this.#receipt(session, {
        kind: "uploaded",
        round,
        ok: false,
        message: (error as Error).message,
      });
      return;
    }
    this.#receipt(session, { kind: "uploaded", round, ok: true, message: "gradient in" });
    if (this.#openRound === round && await this.server.ready(round)) await this.#poll();
  }

  /**
   * The local network's stand-in for `set_commitment`: the validator stores
   * it in its chain KV. On subtensor only the hotkey may sign its commitment.
   */
  async #commit(session: Session, commitment: string): Promise<void> {
    const chain = this.#options.chain;
    try {
      if (chain.kind !== "local") {
        throw new RangeError(
          "Cannot store a commitment on subtensor: commit it on chain with your hotkey " +
            `(Commitments.set_commitment on netuid ${chain.netuid}): run the miner with ` +
            `--chain <a subtensor node's ws:// URL> --netuid ${chain.netuid}`,
        );
      }
      checkMinerBucket(
        parseBucketLocation(commitment, "gentrx.commitment", {
          maxChars: MAX_COMMITMENT_CHARS,
          allowFolder: true,
        }),
        this.#bucketPolicy,
      );
      await chain.setCommitment(session.hotkey, commitment);
      this.#minerStores.delete(session.uid);
      this.#receipt(session, { kind: "commit", ok: true, message: "commitment stored" });
    } catch (error) {
      this.#receipt(session, { kind: "commit", ok: false, message: (error as Error).message });
    }
  }

  /** Sends `assignment` on `session` and marks it DELIVERED. */
  async #deliver(session: Session, assignment: GenTrxAssignment): Promise<void> {
    const record = (await this.server.rounds.round(assignment.round))!;
    const frame = assignFrame(assignment, {
      deadlineMs: record.deadlineMs,
      data: this.#dataLocation(),
      network: this.#scope.network,
      source: this.#scope.source,
      aggregatorUid: this.#validatorUid,
    });
    this.#options.gateway.publish((other) => other === session ? frame : null);
    await this.server.delivered(assignment.round, assignment.uid);
  }

  async #redeliver(round: number, session: Session): Promise<void> {
    const assignment = await this.server.rounds.assignment(round, session.uid);
    if (assignment === null || !["PENDING", "DELIVERED"].includes(assignment.state)) return;
    await this.#deliver(session, assignment);
  }

  async #open(roundIndex: number): Promise<void> {
    // The joined miners' commitments are read side by side, each within its bound.
    const joined = this.joinedUids;
    const readMs = this.#options.commitmentReadMs ?? COMMITMENT_READ_MS;
    const stores = await Promise.allSettled(joined.map((uid) =>
      withDeadline(
        this.#minerStore(uid),
        readMs,
        () => new Error(`the chain did not give its bucket commitment within ${readMs} ms`),
      )
    ));
    const sessions = new Map<number, Session>();
    for (const [i, store] of stores.entries()) {
      if (store.status === "fulfilled") sessions.set(joined[i], this.#joined.get(joined[i])!);
      else this.#options.log(`GenTRX: uid ${joined[i]} left out: ${store.reason.message}`);
    }
    if (sessions.size === 0) return;
    const round = Math.max(roundIndex, ((await this.server.rounds.latestRound())?.round ?? 0) + 1);
    let assignments;
    try {
      this.#dataLocation();
      assignments = await this.server.openRound(round, [...sessions.keys()]);
    } catch (error) {
      this.#options.log(`GenTRX round ${round} not opened: ${(error as Error).message}`);
      return;
    }
    this.#openRound = round;
    for (const assignment of assignments) {
      await this.#deliver(sessions.get(assignment.uid)!, assignment);
    }
  }

  async #poll(): Promise<void> {
    const round = this.#openRound;
    if (round === null) return;
    const reply = await this.server.poll(round, { collect: false });
    if (reply === null) return;
    this.#openRound = null;
    this.#emas = await this.server.trainingEmas();
    this.#participation = reply.n_scored === 0 ? 0 : reply.n_accepted / reply.n_scored;
  }
}

/** The body is a map with a `gentrx` field (so a refusal is ours to send). */
function isGenTrxBody(bytes: Uint8Array): boolean {
  try {
    const value = decode(bytes, BODY_LIMITS);
    return typeof value === "object" && value !== null && "gentrx" in value;
  } catch {
    return false;
  }
}

function gentrxKind(bytes: Uint8Array): GenTrxReceiptFrame["kind"] {
  const kind = (decode(bytes, BODY_LIMITS) as { gentrx?: unknown }).gentrx;
  return kind === "join" || kind === "commit" ? kind : "uploaded";
}

/** `hotkey`'s UID on `chain`; throws naming the hotkey and the subnet when it has none. */
async function validatorUidOf(
  chain: GenTrxPoolOptions["chain"],
  hotkey: string,
): Promise<number> {
  const uid = await chain.uidOf(hotkey);
  if (uid !== undefined) return uid;
  const subnet = chain.netuid === undefined ? "the local network" : `netuid ${chain.netuid}`;
  throw new RangeError(
    `Cannot open the GenTRX pool: validator hotkey "${hotkey}" has no UID on ${subnet}; ` +
      "register it first (btcli subnets register)",
  );
}
