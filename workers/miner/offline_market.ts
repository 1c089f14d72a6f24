/**
 * The offline market a browser miner tries its agent against first: τaos's
 * background population (native/sim/ in WebAssembly, engine/sim/wasm_simulation.ts)
 * configured as the validator configures its own (server/sim/background_market.ts:
 * the same settings, no remote slots, the miner funded like a live one), driven
 * round by round the way the validator loop drives the live market
 * (server/validator_loop.ts): the market steps one simulated second, the miner gets τaos's state update
 * (the same mapping, engine/protocol/state_mapping.ts, and the same
 * encoding), and its answer is filtered by τaos's rules
 * (engine/protocol/agent_response.ts), delayed by its response time on
 * τaos's latency curve (engine/latency.ts) and submitted to the exchange.
 * Nothing leaves the tab.
 *
 * @module
 */
import { decode } from "@msgpack/msgpack";
import type { BookEvent } from "@/engine/book_records.ts";
import { startingCapital } from "@/engine/capital.ts";
import { delayForResponseTime, responseDelays, TAOS_LATENCY } from "@/engine/latency.ts";
import { OpenOrders } from "@/engine/open_orders.ts";
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
  encodeStateUpdate,
  type Notice,
  type SimulationConfig,
} from "@/engine/protocol/state_update.ts";
import { SeededRandom } from "@/engine/seeded_random.ts";
import { resolveSimConfig } from "@/engine/sim/sim_config.ts";
import { simulatedBookConfig } from "@/engine/sim/simulated_book_config.ts";
import type { WasmBackground } from "@/engine/sim/wasm_simulation.ts";
import type { Engine } from "@/engine/simulator.ts";

/** Simulated ns per round (τaos publish_interval, one 1 s step). */
const STEP_NS = 1_000_000_000;
/** Steps the background market runs alone so the books have depth at the miner's first state. */
const WARM_UP_STEPS = 3;

export interface OfflineMarketOptions {
  background: WasmBackground;
  /** Books to simulate (the live validator's count, or fewer). */
  bookCount: number;
  /** A simulation config (engine/sim/sim_config.ts) as the validator's file; τaos defaults otherwise. */
  simConfig?: unknown;
  /** The config the validator sends miners (server/validator_loop.ts simulationConfig). */
  config: SimulationConfig;
  uid: number;
  seed: number;
  /** How long the agent may take before its answer is dropped, ms (τaos 3 s). */
  responseTimeoutMs?: number;
}

/** What became of one answer. */
export interface AnswerOutcome {
  instructions: number;
  refused: number;
  /** False when the answer missed the deadline and was dropped. */
  inTime: boolean;
}

export class OfflineMarket {
  readonly #engine: Engine;
  readonly #grids: Grid[];
  readonly #config: SimulationConfig;
  readonly #uid: number;
  readonly #random: SeededRandom;
  readonly #timeoutMs: number;
  readonly #openOrders = new OpenOrders();
  readonly #initial: InitialBalances[];
  readonly #volume: number[];
  #pending: Notice[] = [];
  #round = 0;

  constructor(options: OfflineMarketOptions) {
    if (!Number.isInteger(options.bookCount) || options.bookCount < 1) {
      throw new RangeError(
        `Cannot open the offline market: bookCount must be a whole number ≥ 1, got ${options.bookCount}`,
      );
    }
    const sim = resolveSimConfig(options.background.params(), options.simConfig ?? {}, {
      "simulation.books": options.bookCount,
      "simulation.seed": options.seed,
      "simulation.remote_agents": 0,
    });
    this.#engine = options.background.create(sim.values).asEngine();
    const { priceDecimals, volumeDecimals } = simulatedBookConfig(sim.settings);
    this.#grids = Array.from({ length: options.bookCount }, () => ({
      priceDecimals,
      volumeDecimals,
    }));
    this.#config = options.config;
    this.#uid = options.uid;
    this.#random = new SeededRandom(options.seed ^ 0x5bd1e995);
    this.#timeoutMs = options.responseTimeoutMs ?? TAOS_LATENCY.timeoutMs;
    for (let step = 0; step < WARM_UP_STEPS; step++) this.#stepMarket();
    this.#initial = this.#grids.map((grid, bookId) => {
      const capital = startingCapital(options.seed, options.uid, bookId);
      return {
        baseLots: Math.floor(capital.base * 10 ** grid.volumeDecimals),
        quoteUnits: Math.floor(capital.quote * 10 ** (grid.priceDecimals + grid.volumeDecimals)),
      };
    });
    this.#initial.forEach(({ baseLots, quoteUnits }, bookId) =>
      this.#engine.deposit(options.uid, bookId, baseLots, quoteUnits)
    );
    this.#volume = this.#grids.map(() => 0);
  }

  /** Rounds played so far. */
  get round(): number {
    return this.#round;
  }

  /** Advances one simulated second and returns the miner's state update body. */
  nextState(): Uint8Array {
    const first = this.#round === 0;
    this.#round++;
    const { events, notices } = this.#stepMarket();
    const timeNs = this.#engine.nowNs;
    const eventsByBook = this.#grids.map(() => [] as BookEvent[]);
    for (const event of events) eventsByBook[event.bookId]?.push(event);
    const books = encodeBooks(this.#grids.map((grid, bookId) =>
      stateBook(
        this.#engine.depth(bookId),
        eventsByBook[bookId],
        this.#engine.ledger(bookId).makerTakerRatio,
        grid,
      )
    ));
    const own: Notice[] = [...this.#pending];
    this.#pending = [];
    for (const notice of notices) {
      if (notice.recipientAgentId !== this.#uid) continue;
      own.push(stateNotice(notice, this.#grids[notice.bookId]));
      if (notice.kind === "trade") {
        const grid = this.#grids[notice.bookId];
        this.#volume[notice.bookId] += notice.priceTicks * notice.quantityLots /
          10 ** (grid.priceDecimals + grid.volumeDecimals);
      }
    }
    return encodeStateUpdate(books, {
      version: 1,
      timestamp: timeNs,
      accounts: this.#accounts(),
      notices: first ? [{ y: "ESS", t: timeNs }, ...own] : own,
      ...(first ? { config: this.#config } : {}),
    });
  }

  /** Applies the miner's answer (msgpack body) that took `responseMs` to decide. */
  answer(body: Uint8Array, responseMs: number): AnswerOutcome {
    const baseDelayNs = delayForResponseTime(responseMs, {
      ...TAOS_LATENCY,
      timeoutMs: this.#timeoutMs,
    });
    if (baseDelayNs === null) return { instructions: 0, refused: 0, inTime: false };
    let raw: unknown;
    try {
      raw = decode(body, RESPONSE_DECODE_LIMITS);
    } catch (error) {
      this.#refuse("response", `Invalid response: not msgpack (${(error as Error).message})`);
      return { instructions: 0, refused: 1, inTime: true };
    }
    let accepted: Instruction[];
    let refused = 0;
    try {
      const filtered = filterAgentResponse(raw, {
        uid: this.#uid,
        bookCount: this.#grids.length,
        maxInstructionsPerBook: MAX_INSTRUCTIONS_PER_BOOK,
        isOverVolumeCap: (bookId) => this.#volume[bookId] >= VOLUME_CAP,
      });
      accepted = filtered.accepted;
      refused = filtered.refused.length;
      for (const refusal of filtered.refused) this.#refuse(refusal.field, refusal.message);
    } catch (error) {
      if (!(error instanceof ResponseError)) throw error;
      this.#refuse("response", error.message);
      return { instructions: 0, refused: 1, inTime: true };
    }
    const delays = responseDelays(
      accepted.map((instruction) => instruction.bookId),
      baseDelayNs,
      (from, to) => from + Math.floor(this.#random.uniform() * (to - from + 1)),
    );
    const engineInstructions = toEngineInstructions(accepted, delays);
    this.#engine.submit(engineInstructions);
    return { instructions: engineInstructions.length, refused, inTime: true };
  }

  /** Throws when an exchange invariant broke (crossed book, unconserved balances). */
  checkInvariants(): void {
    this.#engine.checkInvariants();
  }

  close(): void {
    this.#engine.close();
  }

  /** One simulated second of the whole market (background agents and the miner's orders). */
  #stepMarket() {
    const output = this.#engine.step(this.#engine.nowNs + STEP_NS);
    this.#openOrders.observe(output.events);
    return output;
  }

  #accounts(): Record<number, Account> {
    const accounts: Record<number, Account> = {};
    this.#grids.forEach((grid, bookId) => {
      const account = this.#engine.account(this.#uid, bookId);
      if (account) {
        accounts[bookId] = stateAccount(
          account,
          this.#initial[bookId],
          this.#openOrders.of(this.#uid, bookId),
          grid,
        );
      }
    });
    return accounts;
  }

  #refuse(field: string, message: string): void {
    this.#pending.push({ y: "EVAL", t: this.#engine.nowNs, f: field, m: message });
  }
}
