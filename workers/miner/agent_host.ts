/**
 * The agent worker's work, apart from the worker scope so it can be tested:
 * compiles the agent, then either plays it against the offline market or
 * mines live through the validator's gateway, following everything in a
 * `MinerTracker` and posting snapshots to the page at most SNAPSHOT_MS apart.
 *
 * Live, the connection is the worker's: the page's wallet only signs the
 * session grant, once per connection (`sign` → `signature` messages); every
 * answer frame is signed by the session key in here (engine/gateway/miner_client.ts).
 *
 * @module
 */
import { encode } from "@msgpack/msgpack";
import type { Agent } from "@/engine/agent/agent.ts";
import { AgentRunner } from "@/engine/agent/agent_runner.ts";
import { FORECAST_ONLY_CONFIG } from "@/engine/forecast/forecast_request.ts";
import { answerForecasts } from "@/engine/forecast/forecast_responder.ts";
import { GatewayError, MinerClient } from "@/engine/gateway/miner_client.ts";
import { answerGenTrx } from "@/engine/gentrx/gentrx_responder.ts";
import { decodeStateUpdate, type StateUpdate } from "@/engine/protocol/state_update.ts";
import { WasmBackground } from "@/engine/sim/wasm_simulation.ts";
import { type AgentConsole, compileAgent } from "@/workers/miner/agent_module.ts";
import { type BrowserTrainer, createBrowserTrainer } from "@/workers/miner/gentrx_trainer.ts";
import { bucketReadKey } from "@/workers/miner/bucket_read_key.ts";
import { MinerTracker } from "@/workers/miner/miner_tracker.ts";
import { OfflineMarket } from "@/workers/miner/offline_market.ts";
import {
  type AgentSpec,
  type FromAgentWorker,
  type GenTrxBucket,
  type LiveRun,
  type OfflineRun,
  PROTOCOL_VERSION,
  type RunPhase,
} from "@/workers/miner/protocol.ts";

/** Least wall time between two snapshots posted to the page, ms (5 a second). */
export const SNAPSHOT_MS = 200;
/** The miner's agent id offline (miners are 0 and up; the background is negative). */
export const OFFLINE_UID = 0;
/** Session length asked for in each grant (the validator allows up to 24 h), ms. */
const SESSION_MS = 12 * 3_600_000;
/** Reconnect backoff after a dropped connection, ms. */
const FIRST_BACKOFF_MS = 1_000;
const MAX_BACKOFF_MS = 30_000;
/** The close code the gateway refuses with (server/gateway/gateway.ts), and refusals worth retrying. */
const REFUSED_CLOSE = 1008;
const TRANSIENT_REFUSALS = new Set(["rate_limited", "session_expired", "internal"]);
/** Log lines kept between two posts; older ones are dropped. */
const MAX_LOG_LINES = 50;
/** Longest log line, characters. */
const MAX_LOG_LINE = 300;

export class AgentHost {
  readonly #post: (message: FromAgentWorker) => void;
  #running = false;
  #stopped = false;
  /** Whether the current run is live (the offline loop ends itself on stop). */
  #isLive = false;
  #client: MinerClient | null = null;
  #tracker: MinerTracker | null = null;
  #lastSnapshot = 0;
  #snapshotTimer: ReturnType<typeof setTimeout> | null = null;
  #log: string[] = [];
  #nextSignature = 1;
  /** The GenTRX round runner, kept across reconnects (its error feedback carries on). */
  #trainer: BrowserTrainer | null = null;
  /**
   * Whether this run's bucket read key is published: once a run over the
   * session (as the headless miner), or by the page on chain beforehand.
   */
  #committed = false;
  readonly #signatures = new Map<
    number,
    { resolve: (signature: Uint8Array) => void; reject: (error: Error) => void }
  >();

  constructor(post: (message: FromAgentWorker) => void) {
    this.#post = post;
  }

  /** Runs `run`; resolves when an offline run ends, or once a live session is open. */
  async start(run: OfflineRun | LiveRun): Promise<void> {
    if (this.#running) throw new Error("Cannot start: the agent is already running");
    this.#running = true;
    this.#stopped = false;
    this.#tracker = null;
    this.#isLive = run.mode === "live";
    // On subtensor the page committed the read key on chain before the run.
    this.#committed = run.mode === "live" && run.gentrxCommitVia === "chain";
    try {
      if (run.mode === "offline") await this.#offline(run);
      else await this.#live(run);
    } catch (error) {
      this.#running = false;
      throw error;
    }
  }

  /** Stops the run: an offline loop at its next step, a live session now. */
  stop(): void {
    this.#stopped = true;
    this.#trainer?.close();
    this.#trainer = null;
    if (this.#isLive) {
      this.#client?.close();
      this.#client = null;
      if (this.#running) this.#finish("stopped", "Stopped; the session is closed");
    }
    for (const { reject } of this.#signatures.values()) reject(new Error("Stopped"));
    this.#signatures.clear();
  }

  /** The page's answer to a `sign` request. */
  signature(id: number, signature: Uint8Array | undefined, error: string | undefined): void {
    const pending = this.#signatures.get(id);
    this.#signatures.delete(id);
    if (!pending) return;
    if (signature) pending.resolve(signature);
    else pending.reject(new Error(`The wallet did not sign the session grant: ${error}`));
  }

  async #offline(run: OfflineRun): Promise<void> {
    const runner = this.#compile(run.agent)(OFFLINE_UID);
    const response = await fetch(run.wasmUrl);
    if (!response.ok) {
      throw new Error(
        `Cannot load the WebAssembly exchange from ${run.wasmUrl}: ${response.status} ${await response
          .text()}`,
      );
    }
    const background = await WasmBackground.instantiate(await response.arrayBuffer());
    const market = new OfflineMarket({
      background,
      bookCount: run.books.length,
      config: run.config,
      simConfig: run.simConfig,
      uid: OFFLINE_UID,
      seed: run.agent.seed,
    });
    const tracker = this.#tracker = new MinerTracker(OFFLINE_UID);
    this.#status(
      "offline",
      OFFLINE_UID,
      `Offline: ${run.books.length} books of τaos's background market in WebAssembly`,
    );
    try {
      for (let step = 1; step <= run.steps && !this.#stopped; step++) {
        const started = performance.now();
        const state = decodeStateUpdate(market.nextState());
        tracker.observe(state);
        const decided = performance.now();
        const answer = this.#answer(runner, state, step);
        const agentMs = performance.now() - decided;
        tracker.answered(agentMs);
        if (answer) market.answer(answer, agentMs);
        this.#snapshotSoon();
        // Yield every step, so "stop" is heard, and pace the run when asked.
        const rest = run.stepMs - (performance.now() - started);
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, rest)));
      }
      market.checkInvariants();
      this.#finish(
        this.#stopped ? "stopped" : "finished",
        `Offline run ${
          this.#stopped ? "stopped" : "finished"
        } after ${market.round} simulated seconds`,
      );
    } finally {
      market.close();
    }
  }

  /**
   * Opens the session and keeps it: when the connection drops (the
   * validator restarted, the network blinked, the session expired) it
   * reconnects with backoff, each time with a fresh session key and grant
   * — the wallet signs once per connection. A refusal that would only
   * repeat (an unknown or deregistered hotkey, a bad grant) ends the run.
   */
  async #live(
    run: LiveRun,
    runnerFor = this.#compile(run.agent),
    forecasterFor = run.forecaster && this.#compileForecaster(run.forecaster),
  ): Promise<void> {
    this.#status("connecting", undefined, `Connecting to ${run.url}`);
    const client = await this.#connect(run, runnerFor, forecasterFor);
    if (this.#stopped) {
      client.close();
      this.#finish("stopped", "Stopped before the session opened");
      return;
    }
    this.#client = client;
    const tracker = this.#tracker ??= new MinerTracker(client.uid);
    if (forecasterFor) {
      answerForecasts(client, forecasterFor(client.uid), {
        onCommitted: (request, predictions) => {
          tracker.forecasts.committed(request, predictions);
          this.#snapshotSoon();
        },
        onOutcome: (id, closes) => {
          tracker.forecasts.outcome(id, closes);
          this.#snapshotSoon();
        },
        log: (line) => this.#logLine(line),
      });
      client.onFrame((frame) => {
        if (frame.t === "forecast") tracker.forecasts.requested();
      });
    }
    if (run.gentrx) this.#joinGenTrx(client, tracker, run.gentrx);
    const pools = [
      ...(forecasterFor ? ["answering the forecast pool"] : []),
      ...(run.gentrx ? ["training GenTRX"] : []),
    ];
    this.#status(
      "live",
      client.uid,
      `Mining as UID ${client.uid}${pools.map((pool) => `, ${pool}`).join("")}`,
    );
  }

  /**
   * Joins the GenTRX training pool on `client`: the bucket's read key is
   * committed on the run's first connection (unless the page committed it
   * on chain), each connection opts in, and each assignment trains in the
   * training worker and uploads to the bucket.
   */
  #joinGenTrx(client: MinerClient, tracker: MinerTracker, bucket: GenTrxBucket): void {
    const { endpoint, region, accessKeyId, secretAccessKey } = bucket;
    this.#trainer ??= createBrowserTrainer({
      bucket: { endpoint, bucket: bucket.bucket, region, accessKeyId, secretAccessKey },
      onState: (round, state, detail) => {
        tracker.gentrx.state(round, state, detail);
        this.#snapshotSoon();
      },
      onBackend: (backend) => tracker.gentrx.backend(backend),
      onLoss: (round, _step, loss) => {
        tracker.gentrx.loss(round, loss);
        this.#snapshotSoon();
      },
    });
    const commitment = this.#committed ? undefined : bucketReadKey(bucket);
    this.#committed = true;
    answerGenTrx(client, {
      train: this.#trainer.train,
      commitment,
      allowFolder: false,
      onReceipt: (receipt) => {
        tracker.gentrx.receipt(receipt);
        this.#snapshotSoon();
      },
      log: (line) => this.#logLine(line),
    });
  }

  #connect(
    run: LiveRun,
    runnerFor: (uid: number) => AgentRunner,
    forecasterFor: ((uid: number) => Agent) | undefined,
  ): Promise<MinerClient> {
    let runner: AgentRunner | null = null;
    let client: MinerClient | null = null;
    return MinerClient.connect({
      url: run.url,
      hotkey: run.hotkey,
      signGrant: (message) => this.#requestSignature(message),
      sessionMs: SESSION_MS,
      onState: (step, body) => {
        if (client === null || this.#client !== client) return;
        runner ??= runnerFor(client.uid);
        const received = performance.now();
        const state = decodeStateUpdate(body);
        this.#tracker?.observe(state);
        const answer = this.#answer(runner, state, step);
        this.#tracker?.answered(performance.now() - received);
        if (answer) {
          client.send(answer).then(
            () => this.#tracker?.acknowledged(performance.now() - received),
            (error) => {
              this.#tracker?.refused(`Answer to step ${step} refused: ${error.message}`);
              // An expired session refuses every answer: open a new one.
              if (error.code === "session_expired") client?.close();
            },
          );
        }
        this.#snapshotSoon();
      },
      onClose: (code, reason) => {
        if (client === null || this.#client !== client) return;
        this.#client = null;
        const why = `${code} ${reason}`.trim();
        if (code === REFUSED_CLOSE && !TRANSIENT_REFUSALS.has(reason)) {
          this.#finish("disconnected", `Disconnected by the validator: ${why}`);
        } else {
          this.#reconnect(run, runnerFor, forecasterFor, why);
        }
      },
    }).then((opened) => client = opened);
  }

  async #reconnect(
    run: LiveRun,
    runnerFor: (uid: number) => AgentRunner,
    forecasterFor: ((uid: number) => Agent) | undefined,
    why: string,
  ): Promise<void> {
    for (
      let backoff = FIRST_BACKOFF_MS;
      !this.#stopped;
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS)
    ) {
      this.#status(
        "reconnecting",
        undefined,
        `Connection lost (${why}); reconnecting in ${Math.round(backoff / 1000)} s`,
      );
      await new Promise((resolve) => setTimeout(resolve, backoff));
      if (this.#stopped) return;
      try {
        await this.#live(run, runnerFor, forecasterFor);
        return;
      } catch (error) {
        // The validator is still away: its socket closed before a session opened.
        if (!(error instanceof GatewayError) || error.code !== "closed") {
          this.#finish("disconnected", `Cannot reconnect: ${(error as Error).message}`);
          return;
        }
        why = error.message;
      }
    }
  }

  /** Compiles the agent once per run; each connection gets a fresh runner of it. */
  #compile(agent: AgentSpec): (uid: number) => AgentRunner {
    this.#status("compiling", undefined, "Compiling the agent");
    const factory = compileAgent(agent.source, this.#console());
    return (uid) => new AgentRunner(factory, { uid, params: agent.params, seed: agent.seed });
  }

  /** Compiles the forecast agent once per run; each connection gets a fresh instance. */
  #compileForecaster(spec: AgentSpec): (uid: number) => Agent {
    const factory = compileAgent(spec.source, this.#console());
    const forecasterFor = (uid: number) =>
      factory({ uid, params: spec.params, seed: spec.seed, config: FORECAST_ONLY_CONFIG });
    if (!forecasterFor(0).forecast) {
      throw new Error("Cannot answer the forecast pool: the forecaster has no forecast hook");
    }
    return forecasterFor;
  }

  /** The agent's answer to `state` as a msgpack body, or null when the agent threw. */
  #answer(runner: AgentRunner, state: StateUpdate, step: number) {
    try {
      // The step ties the answer to its state, as the headless miner does.
      return encode({ ...runner.handle(state), step });
    } catch (error) {
      this.#logLine(`Agent failed on step ${step}: ${(error as Error).message}`);
      return null;
    }
  }

  #requestSignature(message: string): Promise<Uint8Array> {
    const id = this.#nextSignature++;
    const { promise, resolve, reject } = Promise.withResolvers<Uint8Array>();
    this.#signatures.set(id, { resolve, reject });
    this.#status("signing", undefined, "Waiting for the wallet to sign the session grant");
    this.#post({ v: PROTOCOL_VERSION, type: "sign", id, message });
    return promise;
  }

  #console(): AgentConsole {
    const line = (...values: unknown[]) =>
      this.#logLine(
        values.map((value) => typeof value === "string" ? value : safeJson(value)).join(" "),
      );
    return { log: line, info: line, warn: line, error: line, debug: line };
  }

  #logLine(line: string): void {
    this.#log.push(line.slice(0, MAX_LOG_LINE));
    if (this.#log.length > MAX_LOG_LINES) this.#log.shift();
    this.#snapshotSoon();
  }

  /** Posts a snapshot now if the last is SNAPSHOT_MS old, or schedules one. */
  #snapshotSoon(): void {
    if (this.#snapshotTimer !== null) return;
    const wait = Math.max(0, this.#lastSnapshot + SNAPSHOT_MS - performance.now());
    this.#snapshotTimer = setTimeout(() => {
      this.#snapshotTimer = null;
      this.#flush();
    }, wait);
  }

  #flush(): void {
    this.#lastSnapshot = performance.now();
    if (this.#log.length > 0) {
      this.#post({ v: PROTOCOL_VERSION, type: "log", lines: this.#log });
      this.#log = [];
    }
    if (this.#tracker) {
      this.#post({ v: PROTOCOL_VERSION, type: "snapshot", snapshot: this.#tracker.snapshot() });
    }
  }

  #finish(phase: RunPhase, detail: string): void {
    if (this.#snapshotTimer !== null) clearTimeout(this.#snapshotTimer);
    this.#snapshotTimer = null;
    this.#flush();
    this.#running = false;
    this.#status(phase, undefined, detail);
  }

  #status(phase: RunPhase, uid: number | undefined, detail: string): void {
    this.#post({ v: PROTOCOL_VERSION, type: "status", phase, uid, detail });
  }
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
