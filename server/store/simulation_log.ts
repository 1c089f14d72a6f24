/**
 * The write-ahead log that makes a validator crash-safe: the simulation is
 * deterministic (seeded background agents, a byte-identical engine), so
 * recording, per round, which miners were funded and which instructions
 * were admitted is enough to rebuild the exact state after a kill -9 by
 * replaying from the start of the simulation.
 *
 * Keys: ["sim", "current"] → SimulationMeta,
 *       ["sim", id, "round"] → last completed round,
 *       ["sim", id, "wal", round, "funded"] → UIDs funded in that round,
 *       ["sim", id, "wal", round, "uid", uid] → that miner's admitted instructions.
 * A round's entries and its round number are written in one atomic commit
 * before its instructions reach the engine.
 *
 * @module
 */
import type { Instruction } from "@/engine/book_records.ts";

export interface SimulationMeta {
  id: string;
  seed: number;
  books: number;
  startedAt: number;
}

export interface RoundEntry {
  round: number;
  funded: number[];
  instructions: Instruction[];
}

/** What one round wrote, for replay. */
export interface LoggedRound {
  funded: number[];
  /** Instructions of every miner, in UID order (the order they were submitted in). */
  instructions: Instruction[];
}

export class SimulationLog {
  readonly #kv: Deno.Kv;
  readonly meta: SimulationMeta;

  private constructor(kv: Deno.Kv, meta: SimulationMeta) {
    this.#kv = kv;
    this.meta = meta;
  }

  /**
   * The log of the current simulation when it has the same seed and books
   * (a restart resumes it), or a new one.
   */
  static async open(
    kv: Deno.Kv,
    seed: number,
    books: number,
  ): Promise<{ log: SimulationLog; resumed: boolean }> {
    const current = (await kv.get<SimulationMeta>(["sim", "current"])).value;
    if (current && current.seed === seed && current.books === books) {
      return { log: new SimulationLog(kv, current), resumed: true };
    }
    const meta: SimulationMeta = { id: crypto.randomUUID(), seed, books, startedAt: Date.now() };
    await kv.set(["sim", "current"], meta);
    return { log: new SimulationLog(kv, meta), resumed: false };
  }

  /** Records a round (before its instructions are applied). */
  async write(
    round: number,
    funded: readonly number[],
    byMiner: ReadonlyMap<number, readonly Instruction[]>,
  ): Promise<void> {
    const atomic = this.#kv.atomic().set(["sim", this.meta.id, "round"], round);
    if (funded.length > 0) atomic.set(["sim", this.meta.id, "wal", round, "funded"], [...funded]);
    for (const [uid, instructions] of byMiner) {
      if (instructions.length > 0) {
        atomic.set(["sim", this.meta.id, "wal", round, "uid", uid], instructions);
      }
    }
    const result = await atomic.commit();
    if (!result.ok) throw new Error(`Cannot write round ${round} to the simulation log`);
  }

  /** The last completed round (0 for a new simulation). */
  async lastRound(): Promise<number> {
    return (await this.#kv.get<number>(["sim", this.meta.id, "round"])).value ?? 0;
  }

  /** Every logged round, by round number. */
  async rounds(): Promise<Map<number, LoggedRound>> {
    const rounds = new Map<number, LoggedRound>();
    const entry = (round: number) => {
      let logged = rounds.get(round);
      if (!logged) rounds.set(round, logged = { funded: [], instructions: [] });
      return logged;
    };
    // KV lists keys in order, so UIDs come in ascending order within a round.
    for await (const item of this.#kv.list<unknown>({ prefix: ["sim", this.meta.id, "wal"] })) {
      const round = item.key[3] as number;
      if (item.key[4] === "funded") entry(round).funded = item.value as number[];
      else entry(round).instructions.push(...(item.value as Instruction[]));
    }
    return rounds;
  }
}
