/**
 * The write-ahead log that makes a validator crash-safe: the simulation is
 * deterministic (seeded background agents, a byte-identical engine), so
 * recording, per round, which miners were funded, which UIDs were reset
 * (deregistration) and which instructions were admitted is enough to
 * rebuild the exact state after a kill -9 by replaying from the start of
 * the simulation.
 *
 * One log per simulation: when a simulation ends (τaos ESE) the validator
 * opens the next one with `next()`, whose market seed derives from the base
 * seed and the simulation's index, and a restart resumes that one.
 *
 * Keys: ["sim", "current"] → SimulationMeta,
 *       ["sim", "hotkeys"] → [uid, hotkey][] last seen (deregistration spans simulations),
 *       ["sim", id, "round"] → last completed round,
 *       ["sim", id, "wal", round, "funded"] → UIDs funded in that round,
 *       ["sim", id, "wal", round, "reset"] → UIDs that changed hands in that round,
 *       ["sim", id, "wal", round, "uid", uid] → that miner's admitted instructions.
 * A round's entries and its round number are written in one atomic commit
 * before its instructions reach the engine.
 *
 * @module
 */
import type { Instruction } from "@/engine/book_records.ts";

export interface SimulationMeta {
  id: string;
  /** Seed of this simulation's market: `simulationSeed(baseSeed, index)`. */
  seed: number;
  /** The validator's configured seed. */
  baseSeed: number;
  /** 0 for the first simulation on this data folder, then 1, 2, … */
  index: number;
  books: number;
  startedAt: number;
}

/** A UID whose hotkey changed: its accounts start over for `hotkey`. */
export interface AgentReset {
  uid: number;
  hotkey: string;
}

/** What one round wrote, for replay. */
export interface LoggedRound {
  funded: number[];
  resets: AgentReset[];
  /** Instructions of every miner, in UID order (the order they were submitted in). */
  instructions: Instruction[];
}

export interface RoundWrite {
  funded: readonly number[];
  resets?: readonly AgentReset[];
  byMiner: ReadonlyMap<number, readonly Instruction[]>;
  /** The whole UID → hotkey map, when it changed this round. */
  hotkeys?: ReadonlyMap<number, string>;
}

/** Deletes per commit when an ended simulation's log is dropped (KV allows 1,000). */
const DELETE_BATCH = 500;

/**
 * The market seed of simulation `index`: the base seed itself for the
 * first, then a 32-bit mix of (base seed, index) (murmur3's finaliser), so
 * every simulation is new and a restart derives the same one.
 */
export function simulationSeed(baseSeed: number, index: number): number {
  if (index === 0) return baseSeed;
  let h = (baseSeed ^ Math.imul(index, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) & 0x7fff_ffff;
}

export class SimulationLog {
  readonly #kv: Deno.Kv;
  readonly meta: SimulationMeta;

  private constructor(kv: Deno.Kv, meta: SimulationMeta) {
    this.#kv = kv;
    this.meta = meta;
  }

  /**
   * The log of the current simulation when it has the same base seed and
   * books (a restart resumes it), or a new one (simulation 0).
   */
  static async open(
    kv: Deno.Kv,
    baseSeed: number,
    books: number,
  ): Promise<{ log: SimulationLog; resumed: boolean }> {
    const stored = (await kv.get<SimulationMeta>(["sim", "current"])).value;
    // Logs written before simulations rolled over have neither field.
    const current = stored &&
      { ...stored, baseSeed: stored.baseSeed ?? stored.seed, index: stored.index ?? 0 };
    if (current && current.baseSeed === baseSeed && current.books === books) {
      return { log: new SimulationLog(kv, current), resumed: true };
    }
    const meta = newMeta(baseSeed, 0, books);
    await kv.set(["sim", "current"], meta);
    return { log: new SimulationLog(kv, meta), resumed: false };
  }

  /**
   * Makes the next simulation current and returns its log; this one's
   * entries are deleted afterwards (a crash before that only leaves garbage).
   */
  async next(): Promise<SimulationLog> {
    const meta = newMeta(this.meta.baseSeed, this.meta.index + 1, this.meta.books);
    await this.#kv.set(["sim", "current"], meta);
    await this.#drop();
    return new SimulationLog(this.#kv, meta);
  }

  /** Records a round (before its instructions are applied). */
  async write(round: number, entry: RoundWrite): Promise<void> {
    const atomic = this.#kv.atomic().set(["sim", this.meta.id, "round"], round);
    const wal = ["sim", this.meta.id, "wal", round];
    if (entry.funded.length > 0) atomic.set([...wal, "funded"], [...entry.funded]);
    if (entry.resets && entry.resets.length > 0) atomic.set([...wal, "reset"], [...entry.resets]);
    for (const [uid, instructions] of entry.byMiner) {
      if (instructions.length > 0) atomic.set([...wal, "uid", uid], instructions);
    }
    if (entry.hotkeys) atomic.set(["sim", "hotkeys"], [...entry.hotkeys]);
    const result = await atomic.commit();
    if (!result.ok) throw new Error(`Cannot write round ${round} to the simulation log`);
  }

  /** The last completed round (0 for a new simulation). */
  async lastRound(): Promise<number> {
    return (await this.#kv.get<number>(["sim", this.meta.id, "round"])).value ?? 0;
  }

  /** The UID → hotkey map as of the last completed round. */
  async hotkeys(): Promise<Map<number, string>> {
    return new Map((await this.#kv.get<[number, string][]>(["sim", "hotkeys"])).value ?? []);
  }

  /** The logged rounds after `after` (a checkpoint's round; 0 for all), by round number. */
  async rounds(after = 0): Promise<Map<number, LoggedRound>> {
    const rounds = new Map<number, LoggedRound>();
    const entry = (round: number) => {
      let logged = rounds.get(round);
      if (!logged) rounds.set(round, logged = { funded: [], resets: [], instructions: [] });
      return logged;
    };
    // KV lists keys in order, so UIDs come in ascending order within a round.
    const prefix = ["sim", this.meta.id, "wal"];
    for await (const item of this.#kv.list<unknown>({ prefix, start: [...prefix, after + 1] })) {
      const round = item.key[3] as number;
      if (item.key[4] === "funded") entry(round).funded = item.value as number[];
      else if (item.key[4] === "reset") entry(round).resets = item.value as AgentReset[];
      else entry(round).instructions.push(...(item.value as Instruction[]));
    }
    return rounds;
  }

  async #drop(): Promise<void> {
    let atomic = this.#kv.atomic();
    let pending = 0;
    for await (const item of this.#kv.list({ prefix: ["sim", this.meta.id] })) {
      atomic.delete(item.key);
      if (++pending === DELETE_BATCH) {
        await atomic.commit();
        atomic = this.#kv.atomic();
        pending = 0;
      }
    }
    if (pending > 0) await atomic.commit();
  }
}

function newMeta(baseSeed: number, index: number, books: number): SimulationMeta {
  return {
    id: crypto.randomUUID(),
    seed: simulationSeed(baseSeed, index),
    baseSeed,
    index,
    books,
    startedAt: Date.now(),
  };
}
