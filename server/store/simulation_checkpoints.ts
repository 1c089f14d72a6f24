/**
 * Where validator checkpoints live: their bytes in the object store (a
 * local folder by default), and a pointer list in Deno KV beside the
 * simulation's write-ahead log (`["sim", id, "checkpoints"]`, newest first),
 * so the log's own cleanup at the next simulation drops the pointers too.
 *
 * A checkpoint counts only once its pointer is written, and the pointer is
 * written only after the bytes are stored, so a crash between the two
 * leaves an unreferenced file (removed by the next write), never a pointer
 * to nothing. The last `keep` checkpoints are kept: when the newest cannot
 * be read back or restored, the one before it still saves most of the replay.
 *
 * @module
 */
import type { ObjectStore } from "@/engine/gentrx/store/object_store.ts";
import {
  decodeCheckpoint,
  encodeCheckpoint,
  type LoopCheckpoint,
} from "@/server/store/loop_checkpoint.ts";

/** Object keys of checkpoints start with this. */
export const CHECKPOINT_PREFIX = "checkpoints/";

export interface CheckpointPointer {
  key: string;
  round: number;
  sizeBytes: number;
}

export interface SimulationCheckpointsOptions {
  kv: Deno.Kv;
  store: ObjectStore;
  /** Checkpoints kept per simulation (default 2). */
  keep?: number;
  log?: (line: string) => void;
}

export class SimulationCheckpoints {
  readonly #kv: Deno.Kv;
  readonly #store: ObjectStore;
  readonly #keep: number;
  readonly #log: (line: string) => void;

  constructor(options: SimulationCheckpointsOptions) {
    this.#kv = options.kv;
    this.#store = options.store;
    this.#keep = options.keep ?? 2;
    this.#log = options.log ?? (() => {});
    if (!Number.isInteger(this.#keep) || this.#keep < 1) {
      throw new RangeError(`Invalid checkpoint keep ${options.keep}: must be a whole number ≥ 1`);
    }
  }

  get description(): string {
    return this.#store.description;
  }

  /**
   * Stores `checkpoint`, then points KV at it; checkpoints beyond the last
   * `keep` of its simulation, and any of other simulations, are deleted.
   */
  async write(checkpoint: LoopCheckpoint): Promise<CheckpointPointer> {
    const bytes = await encodeCheckpoint(checkpoint);
    const key = `${CHECKPOINT_PREFIX}${checkpoint.simulationId}/${
      String(checkpoint.round).padStart(10, "0")
    }.ckpt`;
    await this.#store.put(key, bytes);
    const pointer = { key, round: checkpoint.round, sizeBytes: bytes.length };
    const kept = [
      pointer,
      ...(await this.pointers(checkpoint.simulationId)).filter((p) => p.round < pointer.round),
    ].slice(0, this.#keep);
    await this.#kv.set(this.#pointerKey(checkpoint.simulationId), kept);
    const live = new Set(kept.map((p) => p.key));
    for (const { key: stale } of await this.#store.list(CHECKPOINT_PREFIX)) {
      if (!live.has(stale)) await this.#store.delete(stale);
    }
    return pointer;
  }

  /** The simulation's checkpoints, newest first. */
  async pointers(simulationId: string): Promise<CheckpointPointer[]> {
    return (await this.#kv.get<CheckpointPointer[]>(this.#pointerKey(simulationId))).value ?? [];
  }

  /**
   * Hands the newest checkpoint of `simulationId` at or before `lastRound`
   * that reads back whole to `use`; when reading or `use` fails, logs why and
   * tries the one before. Returns the checkpoint used, or null (replay all).
   */
  async restoreLatest(
    simulationId: string,
    lastRound: number,
    use: (checkpoint: LoopCheckpoint) => Promise<void> | void,
  ): Promise<LoopCheckpoint | null> {
    for (const pointer of await this.pointers(simulationId)) {
      if (pointer.round > lastRound) continue;
      try {
        const bytes = await this.#store.get(pointer.key);
        if (bytes === null) throw new Error("its file is missing");
        const checkpoint = await decodeCheckpoint(bytes);
        if (checkpoint.simulationId !== simulationId || checkpoint.round !== pointer.round) {
          throw new Error(
            `it holds round ${checkpoint.round} of simulation ${checkpoint.simulationId}`,
          );
        }
        await use(checkpoint);
        return checkpoint;
      } catch (error) {
        this.#log(
          `Checkpoint at round ${pointer.round} (${pointer.key}) not used: ${
            (error as Error).message
          }`,
        );
      }
    }
    return null;
  }

  #pointerKey(simulationId: string): Deno.KvKey {
    return ["sim", simulationId, "checkpoints"];
  }
}
