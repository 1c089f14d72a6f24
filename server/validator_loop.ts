/**
 * The loop that turns the simulator into a subnet validator (ARCHITECTURE.md
 * data flow; τaos §2.1, §2.7, §3): each round advances the market one
 * publish interval, publishes a state update to every connected miner (the
 * books part encoded once and shared), collects their signed responses
 * until the deadline, turns response time into order latency, filters the
 * instructions as τaos does, submits them with their delays, and feeds the
 * trading ledger that scoring reads.
 *
 * A simulation lasts `simulationRounds` rounds (τaos 24 h of simulated
 * time, §2.1): its last state carries τaos's ESE notice, the miners are
 * scored, and the next simulation starts — a fresh market from a derived
 * seed, a new write-ahead log, every miner re-funded with fresh capital and
 * its ledger reset, the grace period again, and ESS + config in each
 * miner's first state. A UID whose hotkey changes (deregistration, §2.6)
 * has its accounts reset in the engine and is funded afresh, journalled so
 * a replay repeats it, and its new holder gets τaos's RDRA notice.
 *
 * @module
 */
import { decode } from "@msgpack/msgpack";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { uniformInt } from "pure-rand/distribution/uniformInt";
import type {
  BookConfig,
  Instruction as EngineInstruction,
  Notice as EngineNotice,
} from "@/engine/book_records.ts";
import { startingCapital, TAOS_CAPITAL } from "@/engine/capital.ts";
import { encodeStateFrame, PROTOCOL_VERSION } from "@/engine/gateway/frames.ts";
import { ScratchJoiner } from "@/engine/protocol/msgpack_parts.ts";
import { delayForResponseTime, responseDelays, TAOS_LATENCY } from "@/engine/latency.ts";
import { OpenOrders, type RestingEntry } from "@/engine/open_orders.ts";
import {
  filterAgentResponse,
  type Instruction,
  MAX_INSTRUCTIONS_PER_BOOK,
  RESPONSE_DECODE_LIMITS,
  ResponseError,
  VOLUME_CAP,
} from "@/engine/protocol/agent_response.ts";
import { toEngineInstructions } from "@/engine/protocol/instruction_mapping.ts";
import {
  type Grid,
  type InitialBalances,
  stateAccount,
  stateBook,
  stateNotice,
} from "@/engine/protocol/state_mapping.ts";
import {
  type Account,
  encodeBooks,
  type Notice,
  type SimulationConfig,
  stateUpdateParts,
} from "@/engine/protocol/state_update.ts";
import { partsLength } from "@/engine/protocol/msgpack_parts.ts";
import type { Engine, StepOutput } from "@/engine/simulator.ts";
import { ChainError } from "@/engine/chain/chain_error.ts";
import type { ChainClient, Neuron } from "@/server/chain/chain_client.ts";
import type { MinerGateway } from "@/server/gateway/gateway.ts";
import type { Session } from "@/server/gateway/session_registry.ts";
import { type MinerRecordEntry, TradingLedger } from "@/server/scoring/trading_ledger.ts";
import { createScoringModule, type ScoringModule } from "@/server/scoring/scoring_modules.ts";
import type { ScoringRound } from "@/server/scoring/trading_scorer.ts";
import {
  type AgentReset,
  type LoggedRound,
  type SimulationLog,
  simulationSeed,
} from "@/server/store/simulation_log.ts";
import { RoundTimings } from "@/server/metrics.ts";

/** What the loop needs of the market (server/market.ts implements it). */
export interface SimulatedMarket {
  readonly engine: Engine;
  readonly bookConfigs: readonly BookConfig[];
  /** Advances one publish interval: background agents act, the clock moves. */
  step(): StepOutput;
}

export interface ValidatorLoopOptions {
  market: SimulatedMarket;
  gateway: MinerGateway;
  chain: ChainClient;
  validatorHotkey: string;
  /** The base seed; simulation k runs on `simulationSeed(seed, k)` (the journal's meta). */
  seed: number;
  /**
   * Rounds (simulated seconds) in one simulation; τaos runs 24 h (86,400).
   * Default: the simulation never ends.
   */
  simulationRounds?: number;
  /**
   * Puts a fresh market for `seed` into `market` (its engine replaced and
   * stepped once, as at startup); needed with `simulationRounds`.
   */
  startMarket?: (seed: number) => Promise<void>;
  /** Wall ms per round at the least (the market's pace). */
  stepMs: number;
  /** How long miners have to answer a state, wall ms (τaos 3 s). */
  responseTimeoutMs: number;
  /**
   * Rounds at the start of a simulation in which the market runs alone: no
   * state is published and miners cannot act (τaos grace period, §2.1).
   */
  graceRounds?: number;
  /** Rounds between scorings; weights are set at every scoring the chain allows. */
  scoreEveryRounds: number;
  /** The scoring module (server/scoring/scoring_modules.ts); default "kappa". */
  scoring?: ScoringModule;
  log?: (line: string) => void;
  /** The write-ahead log that makes a restart resume this simulation. */
  journal?: SimulationLog;
  /** Called after each round (e.g. to save state); errors are logged, not fatal. */
  afterRound?: (report: RoundReport) => void | Promise<void>;
  /** Called when a new simulation has started (its log is current). */
  onSimulationStart?: (simulation: { index: number; seed: number }) => void | Promise<void>;
}

/** Simulated ns per round (τaos publish_interval, one 1 s step). */
const PUBLISH_INTERVAL_NS = 1_000_000_000;

export interface RoundReport {
  round: number;
  timeNs: number;
  miners: number;
  responses: number;
  late: number;
  instructions: number;
  refused: number;
  /** Engine events (order and trade records) the round's market step produced. */
  events: number;
  /** UIDs whose accounts were reset because their hotkey changed (absent: none). */
  resets?: number;
  /** True for a simulation's last round (its state carried ESE). */
  ended?: boolean;
  /** Mean size of one miner's state update, bytes (the shared books included). */
  bytesPerMiner: number;
  /** Wall ms of the round, and of its parts. */
  totalMs: number;
  /** Wall ms of the engine's step (market.step()). */
  stepMs: number;
  publishMs: number;
  collectMs: number;
}

/** The loop's part of a checkpoint: what `replay` rebuilds beside the engine. */
export interface LoopState {
  round: number;
  funded: [number, InitialBalances[]][];
  hotkeys: [number, string][];
  openOrders: RestingEntry[];
  ledger: MinerRecordEntry[];
}

/** How a simulation ended: its final scoring over its own ledger. */
export interface FinishedSimulation {
  index: number;
  seed: number;
  /** The scoring of its last round (ESE), null if no miner was ever funded. */
  scoring: ScoringRound | null;
  /** Its miners' ledger as the last round left it. */
  ledger: TradingLedger;
}

export class ValidatorLoop {
  #ledger: TradingLedger;
  /** Durations and counts of the rounds run, for GET /metrics and the dashboard. */
  readonly timings = new RoundTimings();
  /** Each miner's response time to the last state it answered, wall ms, by UID. */
  readonly #responseMs = new Map<number, number>();
  readonly #options: ValidatorLoopOptions;
  readonly #scorer: ScoringModule;
  /** Hotkey by UID at the last metagraph read, to notice UIDs changing hands. */
  readonly #hotkeys = new Map<number, string>();
  #openOrders = new OpenOrders();
  readonly #grids: Grid[];
  readonly #config: SimulationConfig;
  /** Starting balances by UID, one entry per book. */
  readonly #funded = new Map<number, InitialBalances[]>();
  #configSent = new WeakSet<Session>();
  /** Refusals and resets to report in each miner's next state. */
  readonly #pendingNotices = new Map<number, Notice[]>();
  /** UIDs found held by a new hotkey, reset in the current round. */
  #handChanges = new Map<number, AgentReset>();
  #hotkeysChanged = false;
  #random;
  #journal: SimulationLog | undefined;
  /** The simulation's index and market seed. */
  #simulationIndex: number;
  #simulationSeed: number;
  #round = 0;
  #running = false;
  #stopped: Promise<void> = Promise.resolve();
  #lastScoring: ScoringRound | null = null;
  readonly #frameScratch = new ScratchJoiner();
  #lastReport: RoundReport | null = null;
  #finished: FinishedSimulation | null = null;

  constructor(options: ValidatorLoopOptions) {
    this.#options = options;
    this.#scorer = options.scoring ?? createScoringModule("kappa");
    this.#grids = options.market.bookConfigs.map(({ priceDecimals, volumeDecimals }) => ({
      priceDecimals,
      volumeDecimals,
    }));
    this.#ledger = new TradingLedger(this.#grids);
    this.#config = simulationConfig(
      options.market.bookConfigs,
      options.graceRounds ?? 0,
      options.simulationRounds ?? 0,
    );
    this.#journal = options.journal;
    this.#simulationIndex = options.journal?.meta.index ?? 0;
    this.#simulationSeed = options.journal?.meta.seed ?? options.seed;
    this.#random = xoroshiro128plus(this.#simulationSeed);
    if (options.simulationRounds !== undefined && !options.startMarket) {
      throw new TypeError("Cannot end simulations: simulationRounds needs startMarket");
    }
  }

  /** Each funded miner's FIFO lots, PnL history and volumes in this simulation. */
  get ledger(): TradingLedger {
    return this.#ledger;
  }

  /** Which simulation runs: 0 for the first, and its market seed. */
  get simulationIndex(): number {
    return this.#simulationIndex;
  }

  /** The latest scores, once the first scoring ran. */
  get scoring(): ScoringRound | null {
    return this.#lastScoring;
  }

  get lastRound(): RoundReport | null {
    return this.#lastReport;
  }

  /**
   * The last simulation that ran to its end, kept after the next one starts
   * (its ledger is replaced, not cleared), so its final standings can be read.
   */
  get finishedSimulation(): FinishedSimulation | null {
    return this.#finished;
  }

  /** The balances `uid` started with, one entry per book (empty before funding). */
  startingBalances(uid: number): readonly InitialBalances[] {
    return this.#funded.get(uid) ?? [];
  }

  /** Runs rounds back to back, each at least `stepMs` long, until stop(). */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#stopped = (async () => {
      while (this.#running) {
        const started = performance.now();
        try {
          const report = await this.round();
          await this.#options.afterRound?.(report);
        } catch (error) {
          this.#options.log?.(`Round ${this.#round} failed: ${(error as Error).stack ?? error}`);
        }
        const rest = this.#options.stepMs - (performance.now() - started);
        if (rest > 0 && this.#running) await new Promise((resolve) => setTimeout(resolve, rest));
      }
    })();
  }

  async stop(): Promise<void> {
    this.#running = false;
    await this.#stopped;
  }

  /** One round; see the module comment. */
  async round(): Promise<RoundReport> {
    const started = performance.now();
    const { market, gateway, simulationRounds } = this.#options;
    if (simulationRounds !== undefined && this.#round >= simulationRounds) {
      await this.#startNextSimulation();
    }
    const round = ++this.#round;
    const ended = round === simulationRounds;
    const stepStarted = performance.now();
    const output = market.step();
    const stepMs = performance.now() - stepStarted;
    const engine = market.engine;
    const timeNs = engine.nowNs;
    this.#openOrders.observe(output.events);

    const inGrace = round <= (this.#options.graceRounds ?? 0);
    const connected = inGrace ? [] : gateway.sessions;
    await this.#noticeNewHolders(connected);
    // A UID is funded for its known holder (or its first one); a session of
    // any other hotkey is neither funded nor served.
    const funded = connected.flatMap((session) => {
      const known = this.#hotkeys.get(session.uid);
      if (known !== undefined && known !== session.hotkey) return [];
      if (this.#handChanges.has(session.uid)) return [];
      return this.#fund(session.uid, session.hotkey) ? [session.uid] : [];
    });
    const uids = [...this.#funded.keys()];
    this.#ledger.record(timeNs, uids, output.notices);
    const scoreDue = round % this.#options.scoreEveryRounds === 0 || ended;
    if (scoreDue && uids.length > 0) await this.#score();
    if (ended) {
      this.#finished = {
        index: this.#simulationIndex,
        seed: this.#simulationSeed,
        scoring: uids.length > 0 ? this.#lastScoring : null,
        ledger: this.#ledger,
      };
    }
    const resets = [...this.#handChanges.values()].sort((a, b) => a.uid - b.uid);
    this.#handChanges = new Map();
    for (const reset of resets) this.#reset(reset, round);
    // Only the UID's current holder is served (an old holder was disconnected).
    const sessions = connected.filter((session) =>
      this.#hotkeys.get(session.uid) === session.hotkey
    );

    const published = performance.now();
    const sharedBooks = this.#encodeBooks(output);
    const resetUids = new Set(resets.map((reset) => reset.uid));
    const notices = this.#noticesByMiner(
      output.notices,
      resetUids,
      new Set(sessions.map((session) => session.uid)),
    );
    const bodies = new Map<Session, Uint8Array[]>();
    for (const session of sessions) {
      // A session's first state opens the simulation for it: τaos's ESS
      // notice and the config; the last state of a simulation carries ESE.
      const first = !this.#configSent.has(session);
      const own = {
        version: PROTOCOL_VERSION,
        timestamp: timeNs,
        accounts: this.#accounts(session.uid),
        notices: [
          ...(first ? [{ y: "ESS" as const, t: timeNs }] : []),
          ...(notices.get(session.uid) ?? []),
          ...(ended ? [{ y: "ESE" as const, t: timeNs }] : []),
        ],
        ...(first ? { config: this.#config } : {}),
      };
      this.#configSent.add(session);
      bodies.set(session, stateUpdateParts(sharedBooks, own));
    }
    const sentAt = performance.now();
    // Answers to a simulation's last state act on nothing: it has ended.
    const answers = ended ? Promise.resolve(new Map()) : this.#collect(
      new Set(bodies.keys()),
      round,
      sentAt,
    );
    // Each frame is written once around the shared books (no re-encoding),
    // into one scratch buffer: the socket copies it on send.
    gateway.publishEncoded((session) => {
      const body = bodies.get(session);
      return body ? encodeStateFrame(round, body, this.#frameScratch) : null;
    });
    const responses = await answers;
    const collected = performance.now();

    let refused = 0;
    const admitted = new Map<number, EngineInstruction[]>();
    for (const [session, { body, responseMs }] of responses) {
      this.#responseMs.set(session.uid, responseMs);
      const outcome = this.#admit(session, body, responseMs);
      if (outcome.instructions.length > 0) admitted.set(session.uid, outcome.instructions);
      refused += outcome.refused;
    }
    // Logged before they reach the engine, and applied in UID order, so a
    // replay of the log rebuilds exactly this state.
    const byMiner = new Map([...admitted].sort(([a], [b]) => a - b));
    await this.#journal?.write(round, {
      funded,
      resets,
      byMiner,
      ...(this.#hotkeysChanged ? { hotkeys: this.#hotkeys } : {}),
    });
    this.#hotkeysChanged = false;
    let instructions = 0;
    for (const list of byMiner.values()) {
      market.engine.submit(list);
      instructions += list.length;
    }
    const report: RoundReport = {
      round,
      timeNs,
      miners: sessions.length,
      responses: responses.size,
      late: sessions.length - responses.size,
      instructions,
      refused,
      events: output.events.length,
      resets: resets.length,
      ended,
      bytesPerMiner: bodies.size === 0
        ? 0
        : [...bodies.values()].reduce((sum, body) => sum + partsLength(body), 0) / bodies.size,
      totalMs: performance.now() - started,
      stepMs,
      publishMs: sentAt - published,
      collectMs: collected - sentAt,
    };
    this.#lastReport = report;
    this.timings.observe(report);
    return report;
  }

  /**
   * Rebuilds the state a crashed run reached: replays rounds 1 … `lastRound`
   * with the logged fundings and instructions (the market and engine are
   * deterministic, so the result is the same state, byte for byte).
   */
  replay(
    rounds: ReadonlyMap<number, LoggedRound>,
    lastRound: number,
    hotkeys: ReadonlyMap<number, string> = new Map(),
  ): void {
    const { market } = this.#options;
    for (let round = this.#round + 1; round <= lastRound; round++) {
      const output = market.step();
      this.#openOrders.observe(output.events);
      const logged = rounds.get(round);
      for (const uid of logged?.funded ?? []) this.#fund(uid);
      this.#ledger.record(market.engine.nowNs, [...this.#funded.keys()], output.notices);
      for (const reset of logged?.resets ?? []) this.#reset(reset, round, false);
      if (logged && logged.instructions.length > 0) market.engine.submit(logged.instructions);
      this.#round = round;
    }
    for (const [uid, hotkey] of hotkeys) this.#hotkeys.set(uid, hotkey);
    this.#pendingNotices.clear();
  }

  /** What `replay` rebuilds, as data, for a checkpoint beside the engine's bytes. */
  state(): LoopState {
    return {
      round: this.#round,
      funded: [...this.#funded].map(([uid, balances]) => [uid, balances.map((b) => ({ ...b }))]),
      hotkeys: [...this.#hotkeys],
      openOrders: this.#openOrders.entries(),
      ledger: this.#ledger.entries(),
    };
  }

  /**
   * Continues from `state()` of a checkpoint whose engine the market now
   * runs (server/store/simulation_checkpoints.ts); `replay` then runs only
   * the rounds logged after it.
   */
  restoreState(state: LoopState): void {
    // Everything is rebuilt before anything is replaced, so a bad state changes nothing.
    const openOrders = OpenOrders.from(state.openOrders);
    const ledger = new TradingLedger(this.#grids);
    ledger.restore(state.ledger);
    const funded = new Map(state.funded);
    const hotkeys = new Map(state.hotkeys);
    this.#round = state.round;
    this.#openOrders = openOrders;
    this.#ledger = ledger;
    this.#funded.clear();
    for (const [uid, balances] of funded) this.#funded.set(uid, balances);
    this.#hotkeys.clear();
    for (const [uid, hotkey] of hotkeys) this.#hotkeys.set(uid, hotkey);
  }

  /** `uid`'s response time to the last state it answered, wall ms. */
  lastResponseMs(uid: number): number | undefined {
    return this.#responseMs.get(uid);
  }

  /** This validator's hotkey (ss58). */
  get validatorHotkey(): string {
    return this.#options.validatorHotkey;
  }

  /** The last round run or replayed. */
  get roundNumber(): number {
    return this.#round;
  }

  /** Miners funded in this simulation, by UID, in funding order. */
  get fundedUids(): number[] {
    return [...this.#funded.keys()];
  }

  /** The simulation this loop runs (its log's metadata), if it keeps a log. */
  get simulation():
    | { id: string; seed: number; index: number; books: number; startedAt: number }
    | null {
    return this.#journal?.meta ?? null;
  }

  /**
   * Opens a miner's accounts with τaos's starting capital, once per UID per
   * simulation; true if it did now. `hotkey` is the holder it is funded for.
   */
  #fund(uid: number, hotkey?: string): boolean {
    if (hotkey !== undefined && this.#hotkeys.get(uid) !== hotkey) {
      this.#hotkeys.set(uid, hotkey);
      this.#hotkeysChanged = true;
    }
    if (this.#funded.has(uid)) return false;
    const engine = this.#options.market.engine;
    const balances = this.#capital(uid, this.#simulationSeed);
    balances.forEach(({ baseLots, quoteUnits }, bookId) =>
      engine.deposit(uid, bookId, baseLots, quoteUnits)
    );
    this.#funded.set(uid, balances);
    return true;
  }

  /** τaos's pareto split of miner_wealth per book for (seed, uid), in lots and quote units. */
  #capital(uid: number, seed: number): InitialBalances[] {
    return this.#grids.map((grid, bookId): InitialBalances => {
      const capital = startingCapital(seed, uid, bookId);
      return {
        baseLots: Math.floor(capital.base * 10 ** grid.volumeDecimals),
        quoteUnits: Math.floor(capital.quote * 10 ** (grid.priceDecimals + grid.volumeDecimals)),
      };
    });
  }

  /**
   * τaos RESET_AGENT (§2.6): `reset.uid` changed hands, so its accounts
   * start over in the engine — orders cancelled, loans closed, fresh capital
   * (a new split, drawn from the simulation seed and the round) — and its
   * ledger and scores are zeroed. Live, the new holder is told with RDRA and
   * the old holder's sessions are closed; a replay only repeats the engine part.
   */
  #reset(reset: AgentReset, round: number, live = true): void {
    const { uid, hotkey } = reset;
    const engine = this.#options.market.engine;
    const balances = this.#capital(uid, simulationSeed(this.#simulationSeed, round));
    balances.forEach(({ baseLots, quoteUnits }, bookId) =>
      engine.resetAccount(uid, bookId, baseLots, quoteUnits)
    );
    this.#funded.set(uid, balances);
    this.#ledger.reset(uid);
    this.#scorer.reset(uid);
    this.#responseMs.delete(uid);
    if (!live) return;
    this.#pendingNotices.set(uid, [{
      y: "RDRA",
      t: engine.nowNs,
      r: [{ u: true, m: `Agent ${uid} reset: UID is now held by ${hotkey}` }],
    }]);
    this.#options.gateway.disconnect(
      (session) => session.uid === uid && session.hotkey !== hotkey,
      "deregistered",
      `UID ${uid} is now held by another hotkey`,
    );
  }

  /**
   * Ends this simulation's bookkeeping and starts the next: a fresh market
   * from the derived seed, a new log, every miner unfunded (each is funded
   * with fresh capital when it next shows up, after the grace period) with
   * an empty ledger, and ESS + config again. The scorer keeps its EMA, as
   * τaos's scoring history carries over.
   */
  async #startNextSimulation(): Promise<void> {
    const index = this.#simulationIndex + 1;
    const seed = this.#journal
      ? simulationSeed(this.#journal.meta.baseSeed, index)
      : simulationSeed(this.#options.seed, index);
    await this.#options.startMarket!(seed);
    this.#journal = await this.#journal?.next();
    this.#simulationIndex = index;
    this.#simulationSeed = seed;
    this.#round = 0;
    this.#funded.clear();
    this.#openOrders = new OpenOrders();
    this.#ledger = new TradingLedger(this.#grids);
    this.#configSent = new WeakSet();
    this.#pendingNotices.clear();
    this.#random = xoroshiro128plus(seed);
    this.#options.log?.(`Simulation ${index} started (seed ${seed})`);
    await this.#options.onSimulationStart?.({ index, seed });
  }

  #encodeBooks(output: StepOutput): Uint8Array {
    const engine = this.#options.market.engine;
    const eventsByBook = this.#grids.map(() => [] as StepOutput["events"]);
    for (const event of output.events) eventsByBook[event.bookId]?.push(event);
    return encodeBooks(
      this.#grids.map((grid, bookId) =>
        stateBook(
          engine.depth(bookId),
          eventsByBook[bookId],
          engine.ledger(bookId).makerTakerRatio,
          grid,
        )
      ),
    );
  }

  /**
   * This step's notices by miner, after the pending ones; none for `reset`
   * UIDs (they start over). Pending notices wait for a UID not `served` now
   * (a new holder's RDRA reaches it when it connects).
   */
  #noticesByMiner(
    notices: readonly EngineNotice[],
    reset: ReadonlySet<number>,
    served: ReadonlySet<number>,
  ): Map<number, Notice[]> {
    const byMiner = new Map<number, Notice[]>();
    for (const uid of served) {
      const pending = this.#pendingNotices.get(uid);
      if (pending === undefined) continue;
      byMiner.set(uid, pending);
      this.#pendingNotices.delete(uid);
    }
    for (const notice of notices) {
      if (notice.recipientAgentId < 0 || reset.has(notice.recipientAgentId)) continue;
      const list = byMiner.get(notice.recipientAgentId) ?? [];
      list.push(stateNotice(notice, this.#grids[notice.bookId]));
      byMiner.set(notice.recipientAgentId, list);
    }
    return byMiner;
  }

  #accounts(uid: number): Record<number, Account> {
    const engine = this.#options.market.engine;
    const initial = this.#funded.get(uid) ?? [];
    const accounts: Record<number, Account> = {};
    this.#grids.forEach((grid, bookId) => {
      const account = engine.account(uid, bookId);
      if (account && initial[bookId]) {
        accounts[bookId] = stateAccount(
          account,
          initial[bookId],
          this.#openOrders.of(uid, bookId),
          grid,
        );
      }
    });
    return accounts;
  }

  /**
   * Resolves with the first response of each session to this round's state,
   * when all answered or at the deadline. Responses for other rounds are
   * ignored (a late answer never acts on a newer state).
   */
  #collect(
    expected: Set<Session>,
    round: number,
    sentAt: number,
  ): Promise<Map<Session, { body: unknown; responseMs: number }>> {
    const answers = new Map<Session, { body: unknown; responseMs: number }>();
    if (expected.size === 0) return Promise.resolve(answers);
    const { promise, resolve } = Promise.withResolvers<typeof answers>();
    const unsubscribe = this.#options.gateway.onResponse((session, body) => {
      if (!expected.has(session) || answers.has(session)) return;
      let decoded: unknown;
      try {
        decoded = decode(body, RESPONSE_DECODE_LIMITS);
      } catch (error) {
        this.#refuse(
          session.uid,
          "response",
          `Invalid response: not msgpack (${(error as Error).message})`,
        );
        return;
      }
      if ((decoded as { step?: unknown })?.step !== round) return;
      answers.set(session, { body: decoded, responseMs: performance.now() - sentAt });
      if (answers.size === expected.size) finish();
    });
    const timer = setTimeout(() => finish(), this.#options.responseTimeoutMs);
    const finish = () => {
      clearTimeout(timer);
      unsubscribe();
      resolve(answers);
    };
    return promise;
  }

  /** Filters one response; returns what passes as exchange instructions with their latency. */
  #admit(
    session: Session,
    body: unknown,
    responseMs: number,
  ): { instructions: EngineInstruction[]; refused: number } {
    const uid = session.uid;
    const baseDelayNs = delayForResponseTime(responseMs, {
      ...TAOS_LATENCY,
      timeoutMs: this.#options.responseTimeoutMs,
    });
    if (baseDelayNs === null) return { instructions: [], refused: 0 };
    let accepted: Instruction[];
    try {
      const filtered = filterAgentResponse(body, {
        uid,
        bookCount: this.#grids.length,
        maxInstructionsPerBook: MAX_INSTRUCTIONS_PER_BOOK,
        isOverVolumeCap: (bookId) => this.#ledger.volume(uid, bookId) >= VOLUME_CAP,
      });
      accepted = filtered.accepted;
      for (const refusal of filtered.refused) this.#refuse(uid, refusal.field, refusal.message);
      const delays = responseDelays(
        accepted.map((instruction) => instruction.bookId),
        baseDelayNs,
        (from, to) => uniformInt(this.#random, from, to),
      );
      return {
        instructions: toEngineInstructions(accepted, delays),
        refused: filtered.refused.length,
      };
    } catch (error) {
      if (!(error instanceof ResponseError)) throw error;
      this.#refuse(uid, "response", error.message);
      return { instructions: [], refused: 1 };
    }
  }

  #refuse(uid: number, field: string, message: string): void {
    const list = this.#pendingNotices.get(uid) ?? [];
    list.push({ y: "EVAL", t: this.#options.market.engine.nowNs, f: field, m: message });
    this.#pendingNotices.set(uid, list);
  }

  /**
   * Deregistration (issue 6, τaos §2.6): `uid` is now held by `hotkey` (the
   * old one was pruned and another registered). Takes effect in the current
   * round, or the next one when called between rounds: the UID's accounts
   * are reset in the engine and funded afresh, journalled, its scores and
   * history zeroed, the old holder disconnected and the new one sent RDRA.
   */
  resetDeregisteredAgent(uid: number, previousHotkey: string, hotkey: string): void {
    this.#hotkeys.set(uid, hotkey);
    this.#hotkeysChanged = true;
    if (!this.#funded.has(uid)) {
      // Nothing traded on it in this simulation; only the scores go.
      this.#scorer.reset(uid);
      this.#ledger.reset(uid);
      return;
    }
    this.#handChanges.set(uid, { uid, hotkey });
    this.#options.log?.(`UID ${uid} changed hands (${previousHotkey} → ${hotkey}): agent reset`);
  }

  /** Calls resetDeregisteredAgent for every UID whose hotkey differs from the last read. */
  #noticeHotkeyChanges(neurons: readonly Neuron[]): void {
    for (const { uid, hotkey } of neurons) {
      const previous = this.#hotkeys.get(uid);
      if (previous !== undefined && previous !== hotkey) {
        this.resetDeregisteredAgent(uid, previous, hotkey);
      } else if (previous === undefined) {
        this.#hotkeys.set(uid, hotkey);
        this.#hotkeysChanged = true;
      }
    }
  }

  /**
   * A session whose hotkey differs from its UID's known holder is a new
   * holder (its grant was checked against the metagraph when it connected);
   * the chain confirms before the UID is reset for it.
   */
  async #noticeNewHolders(sessions: readonly Session[]): Promise<void> {
    for (const session of sessions) {
      const known = this.#hotkeys.get(session.uid);
      if (known === undefined || known === session.hotkey) continue;
      if (this.#handChanges.get(session.uid)?.hotkey === session.hotkey) continue;
      if (await this.#options.chain.uidOf(session.hotkey) !== session.uid) continue;
      this.resetDeregisteredAgent(session.uid, known, session.hotkey);
    }
  }

  async #score(): Promise<void> {
    const neurons = await this.#options.chain.metagraph();
    this.#noticeHotkeyChanges(neurons);
    const uids = [...this.#funded.keys()].filter((uid) => uid < neurons.length);
    this.#lastScoring = this.#scorer.score(this.ledger, uids, this.#grids.length, neurons.length);
    const { weights } = this.#lastScoring;
    if (weights.uids.length === 0) return;
    try {
      await this.#options.chain.setWeights(
        this.#options.validatorHotkey,
        weights.uids,
        weights.weights,
      );
    } catch (error) {
      // Subtensor's rate limit (100 blocks by default) refuses most scorings; not news.
      const rule = error instanceof ChainError ? error.rule : "";
      if (rule === "SettingWeightsTooFast" || rule === "CommittingWeightsTooFast") return;
      this.#options.log?.(`Weights not set: ${(error as Error).message}`);
    }
  }
}

/** τaos MarketSimulationConfig from the book configs (§3.2). */
export function simulationConfig(
  configs: readonly BookConfig[],
  graceRounds = 0,
  simulationRounds = 0,
): SimulationConfig {
  const first = configs[0];
  const fees = first.fees;
  return {
    priceDecimals: first.priceDecimals,
    volumeDecimals: first.volumeDecimals,
    baseDecimals: first.volumeDecimals,
    quoteDecimals: first.priceDecimals + first.volumeDecimals,
    fee_policy: {
      fee_type: fees.type,
      params: { makerFee: fees.makerRate / 1e9, takerFee: fees.takerRate / 1e9 },
    },
    min_order_size: first.minOrderLots / 10 ** first.volumeDecimals,
    max_open_orders: first.maxOpenOrders,
    max_leverage: first.maxLeverage / 100,
    max_loan: first.maxLoan / 10 ** (first.priceDecimals + first.volumeDecimals),
    maintenance_margin: first.maintenanceMargin / 1e9,
    miner_wealth: TAOS_CAPITAL.wealth,
    publish_interval: PUBLISH_INTERVAL_NS,
    grace_period: graceRounds * PUBLISH_INTERVAL_NS,
    duration: simulationRounds * PUBLISH_INTERVAL_NS,
    book_count: configs.length,
    book_levels: 21,
    detailed_book_levels: 5,
  };
}
