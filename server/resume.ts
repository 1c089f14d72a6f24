/**
 * Crash safety of the validator's simulation (README "Crash safety"): every
 * few rounds `writeCheckpoint` stores the market's bytes with the loop's
 * state; after a restart `resumeSimulation` restores the newest checkpoint
 * that reads back whole and replays only the rounds the write-ahead log
 * holds after it — or, with none, every round from the start, which gives
 * the same state, only slower.
 *
 * @module
 */
import type { Engine } from "@/engine/simulator.ts";
import type { Market } from "@/server/market.ts";
import type { SimulationCheckpoints } from "@/server/store/simulation_checkpoints.ts";
import type { SimulationLog } from "@/server/store/simulation_log.ts";
import type { ValidatorLoop } from "@/server/validator_loop.ts";

export interface ResumeOptions {
  journal: SimulationLog;
  checkpoints?: SimulationCheckpoints;
  market: Market;
  loop: ValidatorLoop;
  /** An engine from a checkpoint's market bytes (server/sim/native_simulation.ts restore). */
  restoreEngine: (bytes: Uint8Array) => Promise<Engine>;
}

export interface Resumed {
  lastRound: number;
  /** The checkpoint's round, or null when every round was replayed. */
  checkpointRound: number | null;
  replayedRounds: number;
}

export async function resumeSimulation(options: ResumeOptions): Promise<Resumed> {
  const { journal, checkpoints, market, loop } = options;
  const lastRound = await journal.lastRound();
  const checkpoint = await checkpoints?.restoreLatest(journal.meta.id, lastRound, async (saved) => {
    const engine = await options.restoreEngine(saved.engine);
    try {
      if (engine.bookCount !== market.bookCount) {
        throw new Error(`it has ${engine.bookCount} books, the market ${market.bookCount}`);
      }
      loop.restoreState(saved.loop);
    } catch (error) {
      engine.close();
      throw error;
    }
    market.replaceEngine(engine);
  }) ?? null;
  const from = checkpoint?.round ?? 0;
  loop.replay(await journal.rounds(from), lastRound, await journal.hotkeys());
  return {
    lastRound,
    checkpointRound: checkpoint?.round ?? null,
    replayedRounds: lastRound - from,
  };
}

/** Stores the loop's current simulation as it stands after its last round. */
export async function writeCheckpoint(
  checkpoints: SimulationCheckpoints,
  market: Market,
  loop: ValidatorLoop,
): Promise<void> {
  const simulation = loop.simulation;
  if (simulation === null) return;
  // Both halves are read before any await, so they describe the same round.
  await checkpoints.write({
    simulationId: simulation.id,
    round: loop.roundNumber,
    engine: market.engine.checkpoint(),
    loop: loop.state(),
  });
}
