import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import type { ComponentChildren } from "preact";
import { MinerUidCell } from "@/islands/_miner_uid_cell.tsx";

/** How often the dashboard refreshes from GET /api/validator, ms. */
const REFRESH_MS = 3000;

/** One round's figures (server/validator_loop.ts RoundReport). */
export interface RoundFigures {
  round: number;
  timeNs: number;
  miners: number;
  responses: number;
  late: number;
  instructions: number;
  refused: number;
  events: number;
  bytesPerMiner: number;
  totalMs: number;
  /** The engine's step (market.step()). */
  stepMs: number;
  publishMs: number;
  collectMs: number;
}

export interface MinerFigures {
  uid: number;
  hotkey: string | null;
  connected: boolean;
  /** Response time to the last state it answered, wall ms. */
  lastResponseMs: number | null;
  fills: number;
  realizedPnl: number;
  /** Quote volume over the rolling 24 simulated hours, all books. */
  volume: number;
  /** Trading score and weight share at the last scoring; null before it. */
  score: number | null;
  weight: number | null;
  refusedFrames: number;
}

/** What GET /api/validator returns (server/metrics.ts builds it). */
export interface ValidatorStatus {
  simulation: { id: string; index: number; seed: number; books: number; startedAt: number } | null;
  /** Simulated seconds one simulation lasts (one round is one simulated second). */
  simDurationSeconds: number;
  /** Simulated seconds per wall second over the last `windowSeconds`; null before two rounds. */
  speed: { simulatedSecondsPerSecond: number | null; windowSeconds: number };
  /** The last round run or replayed. */
  round: number;
  books: number;
  lastRound: RoundFigures | null;
  /** Rounds run since the process started; percentiles over the last `windowRounds`. */
  timings: {
    rounds: number;
    windowRounds: number;
    p50Ms: number | null;
    p99Ms: number | null;
    /** Mean engine step over the rounds run. */
    meanStepMs: number | null;
  };
  miners: MinerFigures[];
  chain: {
    kind: "local" | "subtensor";
    validatorHotkey: string;
    validatorUid: number | null;
    neurons: number;
    /** This validator's last weights on chain: Unix ms (local) or block (subtensor). */
    weightsSetAt: number | null;
    weightsOnChain: number;
    /** UIDs the last scoring weighted. */
    weightsComputed: number;
    /** The last metagraph read from a remote chain (Unix ms, block); null locally or before it. */
    metagraphSync: { atMs: number; block: number | null } | null;
  };
  /** Open connections to the public live feed. */
  feedViewers: number;
}

export interface ValidatorDashboardProps {
  initial: ValidatorStatus;
}

const NONE = "—";

const count = (value: number) => value.toLocaleString("en-US");
const fixed = (value: number | null, digits: number) =>
  value === null ? NONE : value.toLocaleString("en-US", {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
const ms = (value: number | null | undefined) =>
  value === null || value === undefined ? NONE : `${fixed(value, value < 10 ? 2 : 1)} ms`;
const shortKey = (key: string | null) =>
  key === null ? NONE : `${key.slice(0, 6)}…${key.slice(-4)}`;
/** UTC, so the server's rendering and the browser's agree. */
const utc = (unixMs: number) => new Date(unixMs).toISOString().replace("T", " ").slice(0, 19);

const percent = (fraction: number) => `${fixed(Math.min(1, fraction) * 100, 1)} %`;

/** The round's wall time not spent stepping, publishing or collecting: validation, log, submit. */
const otherMs = (last: RoundFigures) =>
  Math.max(0, last.totalMs - last.stepMs - last.publishMs - last.collectMs);

/** Simulated time since the simulation began, h:mm:ss. */
function clock(timeNs: number): string {
  const seconds = Math.floor(timeNs / 1e9);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${Math.floor(seconds / 3600)}:${pad(Math.floor(seconds / 60) % 60)}:${pad(seconds % 60)}`;
}

/**
 * The validator's dashboard: simulation, round timings, chain status and
 * every miner, rendered on the server and refreshed in place.
 */
export default function ValidatorDashboard({ initial }: ValidatorDashboardProps) {
  const status = useSignal(initial);
  /** null: not hydrated (a snapshot); "signed-out": the session cookie is gone. */
  const live = useSignal<boolean | "signed-out" | null>(null);
  useEffect(() => {
    live.value = true;
    let busy = false;
    const timer = setInterval(async () => {
      if (busy) return;
      busy = true;
      try {
        const response = await fetch("/api/validator");
        if (response.ok) status.value = await response.json();
        live.value = response.status === 401 ? "signed-out" : response.ok;
      } catch {
        live.value = false;
      } finally {
        busy = false;
      }
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, []);

  const { simulation, lastRound: last, timings, chain, miners, speed } = status.value;
  const connectedMiners = miners.filter((miner) => miner.connected);
  return (
    <div>
      <p class="feed-status" role="status">
        <span class={`dot${live.value === true ? " live" : ""}`} aria-hidden="true" />
        {live.value === null
          ? "Snapshot: reload the page for new figures"
          : live.value === "signed-out"
          ? "Not updating: signed out, reload the page to sign in again"
          : live.value
          ? `Live, every ${REFRESH_MS / 1000} s`
          : "Not updating: the validator did not answer"}
      </p>
      <div class="stat-grid">
        <Panel title="Simulation">
          <Figure
            id="simulation"
            label="Simulation"
            value={simulation ? `#${count(simulation.index)}` : NONE}
            title={simulation?.id}
          />
          <Figure id="round" label="Round" value={count(status.value.round)} />
          <Figure id="clock" label="Simulated time" value={last ? clock(last.timeNs) : NONE} />
          <Figure
            id="progress"
            label="Progress"
            value={percent(status.value.round / status.value.simDurationSeconds)}
            title={`Round ${count(status.value.round)} of ${
              count(status.value.simDurationSeconds)
            }`}
          />
          <Figure
            id="speed"
            label={`Speed, last ${speed.windowSeconds} s`}
            value={speed.simulatedSecondsPerSecond === null
              ? NONE
              : `${fixed(speed.simulatedSecondsPerSecond, 1)} sim s/s`}
          />
          <Figure id="books" label="Books" value={count(status.value.books)} />
          <Figure id="seed" label="Seed" value={simulation ? String(simulation.seed) : NONE} />
          <Figure
            id="started"
            label="Started (UTC)"
            value={simulation ? utc(simulation.startedAt) : NONE}
          />
          <Figure id="viewers" label="Feed viewers" value={count(status.value.feedViewers)} />
        </Panel>
        <Panel title="Round timings">
          <Figure id="total" label="Last round" value={ms(last?.totalMs)} />
          <Figure id="step" label="Engine step" value={ms(last?.stepMs)} />
          <Figure id="publish" label="Publish" value={ms(last?.publishMs)} />
          <Figure id="collect" label="Collect answers" value={ms(last?.collectMs)} />
          <Figure id="other" label="Validate, log, submit" value={ms(last && otherMs(last))} />
          <Figure id="step-mean" label="Engine step, mean" value={ms(timings.meanStepMs)} />
          <Figure id="p50" label="Round p50" value={ms(timings.p50Ms)} />
          <Figure id="p99" label="Round p99" value={ms(timings.p99Ms)} />
          <Figure id="events" label="Engine events" value={last ? count(last.events) : NONE} />
        </Panel>
        <Panel title="Answers">
          <Figure id="connected" label="Connected" value={count(connectedMiners.length)} />
          <Figure id="answered" label="Answered" value={count(last?.responses ?? 0)} />
          <Figure id="late" label="Late" value={count(last?.late ?? 0)} />
          <Figure id="admitted" label="Instructions" value={count(last?.instructions ?? 0)} />
          <Figure id="refused" label="Refused" value={count(last?.refused ?? 0)} />
          <Figure
            id="rejected-frames"
            label="Rejected frames, open connections"
            value={count(connectedMiners.reduce((sum, miner) => sum + miner.refusedFrames, 0))}
          />
          <Figure
            id="state-size"
            label="State per miner"
            value={last ? `${fixed(last.bytesPerMiner / 1024, 1)} KiB` : NONE}
          />
        </Panel>
        <Panel title="Chain and weights">
          <Figure id="chain" label="Chain" value={chain.kind === "local" ? "Local" : "Subtensor"} />
          <Figure
            id="hotkey"
            label="Validator hotkey"
            value={shortKey(chain.validatorHotkey)}
            title={chain.validatorHotkey}
          />
          <Figure
            id="uid"
            label="Validator UID"
            value={chain.validatorUid === null ? "Not registered" : String(chain.validatorUid)}
          />
          <Figure id="neurons" label="Neurons" value={count(chain.neurons)} />
          <Figure
            id="metagraph-sync"
            label="Metagraph synced"
            value={chain.kind === "local"
              ? "Local chain, read live"
              : chain.metagraphSync === null
              ? "Not yet"
              : `${utc(chain.metagraphSync.atMs)} UTC${
                chain.metagraphSync.block === null
                  ? ""
                  : `, block ${count(chain.metagraphSync.block)}`
              }`}
          />
          <Figure
            id="weights-set"
            label="Weights set"
            value={chain.weightsSetAt === null
              ? "Never"
              : chain.kind === "local"
              ? `${utc(chain.weightsSetAt)} UTC`
              : `Block ${count(chain.weightsSetAt)}`}
          />
          <Figure
            id="weights-count"
            label="UIDs weighted"
            value={`${count(chain.weightsOnChain)} on chain, ${
              count(chain.weightsComputed)
            } computed`}
          />
        </Panel>
      </div>
      <h2 class="section-title">Miners</h2>
      <div class="table-scroll">
        <table class="markets miners" aria-label="Miners">
          <thead>
            <tr>
              <th scope="col">UID</th>
              <th scope="col" class="text">Hotkey</th>
              <th scope="col">Connected</th>
              <th scope="col">Last answer</th>
              <th scope="col">Fills</th>
              <th scope="col">Realised PnL</th>
              <th scope="col" class="wide-only">24h volume</th>
              <th scope="col">Score</th>
              <th scope="col">Weight</th>
              <th scope="col">Rejected frames</th>
            </tr>
          </thead>
          <tbody>
            {miners.length === 0
              ? (
                <tr>
                  <td colSpan={10} class="empty muted">No miner has connected yet.</td>
                </tr>
              )
              : miners.map((miner) => <MinerRow key={miner.uid} miner={miner} />)}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function MinerRow({ miner }: { miner: MinerFigures }) {
  return (
    <tr>
      <MinerUidCell uid={miner.uid} />
      <td class="text hotkey" title={miner.hotkey ?? ""}>{shortKey(miner.hotkey)}</td>
      <td>
        <span class={`dot${miner.connected ? " live" : ""}`} aria-hidden="true" />{" "}
        {miner.connected ? "Yes" : "No"}
      </td>
      <td class="num">{ms(miner.lastResponseMs)}</td>
      <td class="num">{count(miner.fills)}</td>
      <td class={`num ${miner.realizedPnl >= 0 ? "up" : "down"}`}>
        {fixed(miner.realizedPnl, 2)}
      </td>
      <td class="num wide-only">{fixed(miner.volume, 2)}</td>
      <td class="num">{fixed(miner.score, 4)}</td>
      <td class="num">{fixed(miner.weight, 4)}</td>
      <td class="num" title="Frames this miner's open connections sent that the gateway refused">
        {miner.connected ? count(miner.refusedFrames) : NONE}
      </td>
    </tr>
  );
}

function Panel({ title, children }: { title: string; children: ComponentChildren }) {
  return (
    <section class="panel">
      <h2>{title}</h2>
      <dl class="figures">{children}</dl>
    </section>
  );
}

/** A labelled figure: the `<dd>` is named by its `<dt>`, so tests and readers find it by label. */
function Figure(
  { id, label, value, title }: { id: string; label: string; value: string; title?: string },
) {
  return (
    <div>
      <dt id={`figure-${id}`}>{label}</dt>
      <dd aria-labelledby={`figure-${id}`} title={title}>{value}</dd>
    </div>
  );
}
