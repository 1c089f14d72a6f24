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
import { AgentRunner } from "@/engine/agent/agent_runner.ts";
import { MinerClient } from "@/engine/gateway/miner_client.ts";
import { decodeStateUpdate } from "@/engine/protocol/state_update.ts";
import { WasmSimulator } from "@/engine/simulator_wasm.ts";
import { type AgentConsole, compileAgent } from "@/workers/miner/agent_module.ts";
import { MinerTracker } from "@/workers/miner/miner_tracker.ts";
import { OfflineMarket } from "@/workers/miner/offline_market.ts";
import {
  type FromAgentWorker,
  type LiveRun,
  type OfflineRun,
  PROTOCOL_VERSION,
  type RunPhase,
} from "@/workers/miner/protocol.ts";

/** Least wall time between two snapshots posted to the page, ms (5 a second). */
export const SNAPSHOT_MS = 200;
/** The miner's agent id offline (miners are 0 and up; the background is negative). */
export const OFFLINE_UID = 0;
/** Log lines kept between two posts; older ones are dropped. */
const MAX_LOG_LINES = 50;
/** Longest log line, characters. */
const MAX_LOG_LINE = 300;

export class AgentHost {
  readonly #post: (message: FromAgentWorker) => void;
  #running = false;
  #stopped = false;
  #client: MinerClient | null = null;
  #tracker: MinerTracker | null = null;
  #lastSnapshot = 0;
  #snapshotTimer: ReturnType<typeof setTimeout> | null = null;
  #log: string[] = [];
  #nextSignature = 1;
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
    if (this.#client) {
      this.#client.close();
      this.#client = null;
      this.#finish("stopped", "Stopped; the session is closed");
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
    const runner = this.#runner(run.agent, OFFLINE_UID);
    const response = await fetch(run.wasmUrl);
    if (!response.ok) {
      throw new Error(
        `Cannot load the WebAssembly exchange from ${run.wasmUrl}: ${response.status} ${await response
          .text()}`,
      );
    }
    const simulator = await WasmSimulator.instantiate(await response.arrayBuffer());
    const market = new OfflineMarket({
      simulator,
      books: run.books,
      config: run.config,
      uid: OFFLINE_UID,
      seed: run.agent.seed,
    });
    const tracker = this.#tracker = new MinerTracker(OFFLINE_UID);
    this.#status("offline", OFFLINE_UID, `Offline: ${run.books.length} books in WebAssembly`);
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
      simulator.close();
    }
  }

  async #live(run: LiveRun): Promise<void> {
    let runner: AgentRunner | null = null;
    this.#status("connecting", undefined, `Connecting to ${run.url}`);
    const client = await MinerClient.connect({
      url: run.url,
      hotkey: run.hotkey,
      signGrant: (message) => this.#requestSignature(message),
      onState: (step, body) => {
        if (runner === null || this.#client === null) return;
        const received = performance.now();
        const state = decodeStateUpdate(body);
        this.#tracker?.observe(state);
        const answer = this.#answer(runner, state, step);
        this.#tracker?.answered(performance.now() - received);
        if (answer) {
          this.#client.send(answer).then(
            () => this.#tracker?.acknowledged(performance.now() - received),
            (error) => this.#tracker?.refused(`Answer to step ${step} refused: ${error.message}`),
          );
        }
        this.#snapshotSoon();
      },
      onClose: (code, reason) => {
        if (this.#client === null) return;
        this.#client = null;
        this.#finish("disconnected", `Disconnected by the validator: ${code} ${reason}`.trim());
      },
    });
    if (this.#stopped) {
      client.close();
      this.#finish("stopped", "Stopped before the session opened");
      return;
    }
    this.#client = client;
    this.#tracker = new MinerTracker(client.uid);
    runner = this.#runner(run.agent, client.uid);
    this.#status("live", client.uid, `Mining as UID ${client.uid}`);
  }

  #runner(agent: OfflineRun["agent"], uid: number): AgentRunner {
    this.#status("compiling", undefined, "Compiling the agent");
    return new AgentRunner(compileAgent(agent.source, this.#console()), {
      uid,
      params: agent.params,
      seed: agent.seed,
    });
  }

  /** The agent's answer to `state` as a msgpack body, or null when the agent threw. */
  #answer(runner: AgentRunner, state: ReturnType<typeof decodeStateUpdate>, step: number) {
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
