import { useSignal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import type { BookConfig } from "@/engine/book_records.ts";
import { parseParamLines } from "@/engine/browser_miner/agent_params.ts";
import type { SimulationConfig } from "@/engine/protocol/state_update.ts";
import type { MinerSnapshot } from "@/workers/miner/miner_tracker.ts";
import {
  AGENT_WORKER_URL,
  type FromAgentWorker,
  type GenTrxBucket,
  PROTOCOL_VERSION,
  type RunPhase,
  type ToAgentWorker,
} from "@/workers/miner/protocol.ts";
import { MinerConsole } from "@/islands/_miner_console.tsx";
import {
  GENTRX_OFF,
  loadSettings,
  type MinerSettings,
  saveSettings,
} from "@/islands/_miner_settings.ts";
import type { GenTrxScore } from "@/islands/_miner_console.tsx";
import type { CommitStatus } from "@/islands/_miner_commitment.ts";
import { gentrxBucket, GenTrxOptIn, type GenTrxPool } from "@/islands/_miner_gentrx_opt_in.tsx";
import type { AgentEditor } from "@/islands/_miner_editor.ts";
import type { WalletAccount } from "@/islands/_miner_wallet.ts";

/** An example agent the console offers, with its source text. */
export interface ExampleAgent {
  id: string;
  name: string;
  source: string;
  params: string;
}

export interface BrowserMinerProps {
  /** The validator's gateway as this page's visitor reaches it. */
  gatewayUrl: string;
  chain: "local" | "subtensor";
  examples: ExampleAgent[];
  /** Forecast agents the miner may answer the forecast pool with while live. */
  forecasters: ExampleAgent[];
  /** The live books' rules and the config miners get, for the offline market. */
  books: BookConfig[];
  config: SimulationConfig;
  /** The validator's simulation settings, so the offline background market is configured alike. */
  simConfig: unknown;
  wasmUrl: string;
  /**
   * The validator's GenTRX training pool: off, on with its pages in a local
   * folder (a tab cannot read them), or on with an S3 bucket a tab can read.
   */
  gentrx: "off" | "folder" | "s3";
  /** The subnet on subtensor; when absent the console asks for it (GenTRX settings). */
  netuid?: number;
  /**
   * A public subtensor node (ws:// or wss://) the validator suggests for
   * the tab's GenTRX commitment; Bittensor's public node when absent.
   */
  chainNode?: string;
}

/** The forecast pool setting that answers none. */
const FORECAST_OFF = "off";
/** Agent log lines kept on the page. */
const LOG_LINES = 200;
const DEFAULT_OFFLINE_STEPS = 300;
/** Wall ms per offline step: quick, but slow enough to watch. */
const OFFLINE_STEP_MS = 10;
/** How often the console reads the validator's newest GenTRX scores, ms. */
const GENTRX_SCORES_MS = 3_000;

type WalletState =
  | { kind: "none" }
  | { kind: "connecting" }
  | { kind: "connected"; accounts: WalletAccount[] }
  | { kind: "failed"; message: string };

interface RunState {
  mode: "offline" | "live" | null;
  phase: RunPhase | "idle";
  detail: string;
  uid: number | null;
  error: string | null;
}

const PHASE_NAMES: Record<RunState["phase"], string> = {
  idle: "Not running",
  compiling: "Compiling",
  connecting: "Connecting",
  signing: "Waiting for the wallet",
  live: "Mining live",
  offline: "Running offline",
  finished: "Finished",
  stopped: "Stopped",
  reconnecting: "Reconnecting",
  disconnected: "Disconnected",
};

/**
 * Mining from this tab: connect a wallet, choose the hotkey, pick or write
 * an agent, run it offline against the WebAssembly market, then go live.
 * The agent runs in a web worker (workers/agent_worker.ts) that holds the
 * gateway session; the wallet signs the session grant once per connection.
 * Settings live in IndexedDB, and a reload resumes a live session.
 */
export default function BrowserMiner(props: BrowserMinerProps) {
  const { examples } = props;
  const first = examples[0];
  const settings = useSignal<MinerSettings>({
    agentId: first.id,
    source: first.source,
    params: first.params,
    seed: 1,
    offlineSteps: DEFAULT_OFFLINE_STEPS,
    forecasterId: FORECAST_OFF,
    hotkey: null,
    live: false,
    gentrx: GENTRX_OFF,
  });
  const loaded = useSignal(false);
  const wallet = useSignal<WalletState>({ kind: "none" });
  const registration = useSignal<string | null>(null);
  const run = useSignal<RunState>({
    mode: null,
    phase: "idle",
    detail: "",
    uid: null,
    error: null,
  });
  const snapshot = useSignal<MinerSnapshot | null>(null);
  const log = useSignal<string[]>([]);
  const signatures = useSignal(0);
  const gentrxScore = useSignal<GenTrxScore | null>(null);
  /** The bucket read key's commit on subtensor (islands/_miner_commitment.ts). */
  const commit = useSignal<CommitStatus>({ state: "idle" });
  const editorHost = useRef<HTMLDivElement>(null);
  const editor = useRef<AgentEditor | null>(null);
  const editorReady = useSignal(false);
  const worker = useRef<Worker | null>(null);
  /** The hotkey choice, and whether it takes the focus once shown (see the Connect button). */
  const hotkeySelect = useRef<HTMLSelectElement>(null);
  const focusHotkey = useRef(false);

  const update = (change: Partial<MinerSettings>) => {
    settings.value = { ...settings.value, ...change };
    saveSettings(settings.value).catch((error) =>
      console.error(`Cannot save the miner settings: ${error}`)
    );
  };

  useEffect(() => {
    let removed = false;
    (async () => {
      const saved = await loadSettings();
      if (removed) return;
      if (saved) settings.value = { ...settings.value, ...saved };
      loaded.value = true;
      import("@/islands/_miner_editor.ts").then(({ mountEditor }) => {
        if (removed || editorHost.current === null) return;
        editor.current = mountEditor(
          editorHost.current,
          settings.value.source,
          (source) => update({ source, agentId: "custom" }),
        );
        editorReady.value = true;
      }).catch((error) => console.error(`Cannot load the editor: ${error}`));
      if (saved?.live && saved.hotkey) {
        run.value = { ...run.value, detail: "Resuming the live session after a reload" };
        if (await connect()) goLive();
      }
    })();
    return () => {
      removed = true;
      editor.current?.destroy();
      worker.current?.terminate();
    };
  }, []);

  // Connecting replaces the focused Connect button: the focus moves to what replaced it.
  useEffect(() => {
    if (!focusHotkey.current || wallet.value.kind !== "connected") return;
    focusHotkey.current = false;
    hotkeySelect.current?.focus();
  });

  // The validator's newest scored GenTRX round, while this tab trains in the pool.
  const trainingUid = run.value.mode === "live" && settings.value.gentrx.enabled
    ? run.value.uid
    : null;
  useEffect(() => {
    if (trainingUid === null) return;
    const read = async () => {
      try {
        const response = await fetch("/gentrx/scores");
        if (response.status !== 200) return;
        const reply = await response.json();
        const mine = reply.scores?.[trainingUid];
        if (mine) {
          gentrxScore.value = {
            round: reply.round,
            score: mine.score,
            accepted: mine.accepted,
            reason: mine.reason ?? null,
            ema: mine.ema,
          };
        }
      } catch {
        // The next read tries again; the panel keeps the last score.
      }
    };
    read();
    const timer = setInterval(read, GENTRX_SCORES_MS);
    return () => clearInterval(timer);
  }, [trainingUid]);

  /** Connects the wallet; true when the saved (or first) account is ready. */
  async function connect(): Promise<boolean> {
    wallet.value = { kind: "connecting" };
    try {
      const { connectWallet } = await import("@/islands/_miner_wallet.ts");
      const accounts = await connectWallet();
      wallet.value = { kind: "connected", accounts };
      const known = accounts.some((account) => account.address === settings.value.hotkey);
      if (!known) update({ hotkey: accounts[0].address });
      return true;
    } catch (error) {
      wallet.value = { kind: "failed", message: (error as Error).message };
      return false;
    }
  }

  async function register(): Promise<void> {
    const hotkey = settings.value.hotkey;
    if (!hotkey) return;
    registration.value = "Registering…";
    try {
      const response = await fetch("/api/metagraph/register", {
        method: "POST",
        body: JSON.stringify({ hotkey }),
      });
      const body = await response.json();
      registration.value = response.ok
        ? `Registered as UID ${body.uid}`
        : `Not registered: ${body.error}`;
    } catch (error) {
      registration.value = `Not registered: ${(error as Error).message}`;
    }
  }

  /** Starts a worker for one run, wired to the page's state; stops any earlier one. */
  function startWorker(mode: "offline" | "live"): Worker {
    worker.current?.terminate();
    const started = new Worker(AGENT_WORKER_URL, { type: "module" });
    worker.current = started;
    snapshot.value = null;
    run.value = { mode, phase: "compiling", detail: "", uid: null, error: null };
    started.onmessage = ({ data }: MessageEvent<FromAgentWorker>) => {
      if (worker.current !== started) return;
      switch (data.type) {
        case "status":
          run.value = {
            ...run.value,
            phase: data.phase,
            detail: data.detail ?? "",
            uid: data.uid ?? run.value.uid,
          };
          if (data.phase === "finished" || data.phase === "stopped") started.terminate();
          break;
        case "snapshot":
          snapshot.value = data.snapshot;
          break;
        case "log":
          log.value = [...log.value, ...data.lines].slice(-LOG_LINES);
          break;
        case "sign":
          sign(started, data.id, data.message);
          break;
        case "error":
          run.value = { ...run.value, phase: "stopped", error: data.message };
          if (mode === "live") update({ live: false });
          break;
      }
    };
    started.onerror = (event) => {
      run.value = {
        ...run.value,
        phase: "stopped",
        error: `The agent worker failed: ${event.message}`,
      };
    };
    return started;
  }

  async function sign(target: Worker, id: number, message: string): Promise<void> {
    const post = (reply: ToAgentWorker) => target.postMessage(reply);
    try {
      const { signWithWallet } = await import("@/islands/_miner_wallet.ts");
      const signature = await signWithWallet(settings.value.hotkey!, message);
      signatures.value++;
      post({ v: PROTOCOL_VERSION, type: "signature", id, signature });
    } catch (error) {
      post({ v: PROTOCOL_VERSION, type: "signature", id, error: (error as Error).message });
    }
  }

  function agentSpec() {
    const { source, params, seed } = settings.value;
    return { source, params: parseParamLines(params), seed };
  }

  function runOffline(): void {
    let agent;
    try {
      agent = agentSpec();
    } catch (error) {
      run.value = { ...run.value, error: (error as Error).message };
      return;
    }
    log.value = [];
    startWorker("offline").postMessage(
      {
        v: PROTOCOL_VERSION,
        type: "start",
        run: {
          mode: "offline",
          agent,
          wasmUrl: props.wasmUrl,
          books: props.books,
          config: props.config,
          simConfig: props.simConfig,
          steps: settings.value.offlineSteps,
          stepMs: OFFLINE_STEP_MS,
        },
      } satisfies ToAgentWorker,
    );
  }

  /** Where this validator's training pool and chain are. */
  const pool: GenTrxPool = {
    pool: props.gentrx,
    chain: props.chain,
    netuid: props.netuid,
    chainNode: props.chainNode,
  };

  /**
   * Commits `bucket`'s read key as `hotkey`'s commitment on subtensor, each
   * step and any refusal on the status line; throws when it is not on chain.
   */
  async function commitReadKey(hotkey: string, bucket: GenTrxBucket): Promise<void> {
    commit.value = { state: "working", text: "Loading the chain client" };
    run.value = {
      ...run.value,
      phase: "idle",
      error: null,
      detail: "Committing the training bucket's read key on chain first",
    };
    try {
      const { commitOnChain, commitTarget } = await import("@/islands/_miner_commitment.ts");
      const target = commitTarget(settings.value.gentrx, pool, hotkey, bucket);
      await commitOnChain(target, (status) => commit.value = status);
    } catch (error) {
      commit.value = { state: "failed", text: (error as Error).message };
      throw error;
    }
  }

  /**
   * Goes live. With the training pool on subtensor, the bucket's read key
   * is committed on chain first (the wallet signs it when it changed); the
   * run then only joins, and a failed commit keeps the tab offline.
   */
  async function goLive(): Promise<void> {
    const hotkey = settings.value.hotkey;
    if (!hotkey || wallet.value.kind !== "connected") return;
    let agent;
    try {
      agent = agentSpec();
    } catch (error) {
      run.value = { ...run.value, error: (error as Error).message };
      return;
    }
    const forecaster = props.forecasters.find(({ id }) => id === settings.value.forecasterId);
    const onChain = props.chain === "subtensor";
    let gentrx;
    try {
      gentrx = settings.value.gentrx.enabled && props.gentrx === "s3"
        ? gentrxBucket(settings.value.gentrx)
        : undefined;
      if (gentrx && onChain) await commitReadKey(hotkey, gentrx);
    } catch (error) {
      run.value = { ...run.value, detail: "", error: (error as Error).message };
      return;
    }
    update({ live: true });
    log.value = [];
    startWorker("live").postMessage(
      {
        v: PROTOCOL_VERSION,
        type: "start",
        run: {
          mode: "live",
          agent,
          url: props.gatewayUrl,
          hotkey,
          ...(forecaster && {
            forecaster: {
              source: forecaster.source,
              params: parseParamLines(forecaster.params),
              seed: agent.seed,
            },
          }),
          ...(gentrx && { gentrx, gentrxCommitVia: onChain ? "chain" : "session" }),
        },
      } satisfies ToAgentWorker,
    );
  }

  function stop(): void {
    worker.current?.postMessage({ v: PROTOCOL_VERSION, type: "stop" } satisfies ToAgentWorker);
    if (run.value.mode === "live") update({ live: false });
  }

  function pickExample(id: string): void {
    const example = examples.find((candidate) => candidate.id === id);
    if (!example) return;
    update({ agentId: id, source: example.source, params: example.params });
    editor.current?.setText(example.source);
  }

  const current = settings.value;
  const state = run.value;
  const running = [
    "compiling",
    "connecting",
    "signing",
    "live",
    "offline",
    "reconnecting",
  ].includes(state.phase);
  /** Running, or committing the read key before going live: the settings stay as they are. */
  const busy = running || commit.value.state === "working";
  const accounts = wallet.value.kind === "connected" ? wallet.value.accounts : [];
  const figures = snapshot.value;
  return (
    <div class="browser-miner">
      <section class="panel miner-step" aria-labelledby="miner-wallet">
        <h2 id="miner-wallet">1. Wallet and hotkey</h2>
        {wallet.value.kind === "connected"
          ? (
            <div class="miner-row">
              <label>
                Hotkey account
                <select
                  ref={hotkeySelect}
                  value={current.hotkey ?? ""}
                  disabled={busy}
                  onChange={(event) => update({ hotkey: event.currentTarget.value })}
                >
                  {accounts.map((account) => (
                    <option key={account.address} value={account.address}>
                      {account.name ? `${account.name} — ` : ""}
                      {account.address}
                    </option>
                  ))}
                </select>
              </label>
              {props.chain === "local" && (
                <button type="button" class="copy" onClick={register}>
                  Register on the local network
                </button>
              )}
            </div>
          )
          : (
            <button
              type="button"
              class="copy"
              disabled={wallet.value.kind === "connecting"}
              onClick={() => {
                focusHotkey.current = true;
                connect();
              }}
            >
              {wallet.value.kind === "connecting" ? "Connecting…" : "Connect wallet"}
            </button>
          )}
        {wallet.value.kind === "failed" && <p class="error" role="alert">{wallet.value.message}</p>}
        {registration.value && <p class="muted" role="status">{registration.value}</p>}
        <p class="muted">
          The wallet signs one session grant per connection (a text naming this validator, your
          hotkey, a fresh session key and its expiry); every answer after that is signed in the tab
          by the session key.
        </p>
      </section>

      <section class="panel miner-step" aria-labelledby="miner-agent">
        <h2 id="miner-agent">2. Agent</h2>
        <div class="miner-row">
          <label>
            Example agent
            <select
              value={current.agentId}
              disabled={busy}
              onChange={(event) => pickExample(event.currentTarget.value)}
            >
              {examples.map((example) => (
                <option key={example.id} value={example.id}>{example.name}</option>
              ))}
              {current.agentId === "custom" && <option value="custom">Edited agent</option>}
            </select>
          </label>
          <label>
            Seed
            <input
              type="number"
              min={0}
              step={1}
              value={current.seed}
              disabled={busy}
              onChange={(event) => update({ seed: Number(event.currentTarget.value) | 0 })}
            />
          </label>
        </div>
        <div class="agent-editor" ref={editorHost} hidden={!editorReady.value} />
        {!editorReady.value && (
          <textarea
            class="agent-source"
            aria-label="Agent source"
            spellcheck={false}
            rows={18}
            value={current.source}
            onInput={(event) => update({ source: event.currentTarget.value, agentId: "custom" })}
          />
        )}
        <label>
          Forecast pool
          <select
            value={current.forecasterId}
            disabled={busy}
            onChange={(event) => update({ forecasterId: event.currentTarget.value })}
          >
            <option value={FORECAST_OFF}>Off: trade only</option>
            {props.forecasters.map((forecaster) => (
              <option key={forecaster.id} value={forecaster.id}>{forecaster.name}</option>
            ))}
          </select>
        </label>
        <GenTrxOptIn
          settings={current.gentrx}
          pool={pool}
          disabled={busy}
          commit={commit.value}
          onChange={(change) => update({ gentrx: { ...current.gentrx, ...change } })}
        />
        <label class="miner-params">
          Parameters (one key=value a line)
          <textarea
            rows={3}
            spellcheck={false}
            value={current.params}
            disabled={busy}
            onInput={(event) => update({ params: event.currentTarget.value })}
          />
        </label>
      </section>

      <section class="panel miner-step" aria-labelledby="miner-run">
        <h2 id="miner-run">3. Run</h2>
        <div class="miner-row">
          <label>
            Offline steps
            <input
              type="number"
              min={10}
              max={86_400}
              step={10}
              value={current.offlineSteps}
              disabled={busy}
              onChange={(event) =>
                update({
                  offlineSteps: Math.min(
                    86_400,
                    Math.max(10, Number(event.currentTarget.value) | 0),
                  ),
                })}
            />
          </label>
          <button
            type="button"
            class="copy"
            disabled={busy || !loaded.value}
            onClick={runOffline}
          >
            Run offline
          </button>
          <button
            type="button"
            class="copy"
            disabled={busy || !current.hotkey || wallet.value.kind !== "connected"}
            onClick={goLive}
          >
            Go live
          </button>
          <button type="button" class="copy" disabled={!running} onClick={stop}>Stop</button>
        </div>
        <p class="feed-status" role="status" aria-label="Miner status">
          <span
            class={`dot${state.phase === "live" || state.phase === "offline" ? " live" : ""}`}
            aria-hidden="true"
          />
          {PHASE_NAMES[state.phase]}
          {state.detail ? `: ${state.detail}` : ""}
        </p>
        {state.error && <p class="error" role="alert">{state.error}</p>}
        {state.mode === "live" && state.uid !== null && (
          <p>
            Your miner's public page: <a href={`/miners/${state.uid}`}>/miners/{state.uid}</a>
          </p>
        )}
      </section>

      <MinerConsole
        mode={state.mode}
        uid={state.uid}
        snapshot={figures}
        signatures={signatures.value}
        log={log.value}
        forecasting={state.mode === "live" && current.forecasterId !== FORECAST_OFF}
        training={state.mode === "live" && current.gentrx.enabled && props.gentrx === "s3"}
        gentrxScore={gentrxScore.value}
      />
    </div>
  );
}
