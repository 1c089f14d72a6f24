/**
 * How miners' uploads come into a GenTRX round (taos.md §6.3–6.4, §6.6):
 * found in each miner's bucket by polling (`collect`), or announced over the
 * miner session and checked against the round, the key, the deadline and
 * the listed size (`uploaded`); either moves the assignment to GRADIENT_IN.
 * At scoring time `download` reads one, its size checked before a byte is
 * downloaded. The shape and version checks follow in round_evaluator.ts,
 * when the bytes are decoded.
 *
 * @module
 */
import { MAX_DELTA_BYTES } from "@/engine/gentrx/compression/delta_codec.ts";
import { gradientKey } from "@/engine/gentrx/store/data_keys.ts";
import type { ObjectStore } from "@/engine/gentrx/store/object_store.ts";
import type { GradientServerOptions } from "@/server/gentrx/gradient_server_options.ts";
import type { RoundStore } from "@/server/gentrx/round_store.ts";

/** Where uploads are read, and the clock their deadlines are kept by. */
export type UploadIntakeOptions = Pick<GradientServerOptions, "scope" | "store" | "minerStore"> & {
  now: () => number;
};

export class UploadIntake {
  readonly #rounds: RoundStore;
  readonly #options: UploadIntakeOptions;

  constructor(rounds: RoundStore, options: UploadIntakeOptions) {
    this.#rounds = rounds;
    this.#options = options;
  }

  /**
   * Looks for each outstanding miner's upload in its bucket; found before
   * the deadline it is GRADIENT_IN. Returns how many are in.
   */
  async collect(round: number): Promise<number> {
    const record = await this.#rounds.round(round);
    if (record === null) throw new RangeError(`Unknown GenTRX round ${round}`);
    let inCount = 0;
    for (const assignment of await this.#rounds.assignments(round)) {
      if (assignment.state === "GRADIENT_IN" || assignment.state === "SCORED") {
        inCount++;
        continue;
      }
      if (assignment.state === "MISSED") continue;
      if (record.scored || this.#options.now() > record.deadlineMs) continue;
      let listed;
      try {
        const store = await this.#minerStore(assignment.uid);
        listed = await store.list(gradientKey(this.#options.scope, assignment.uid, round));
      } catch {
        continue;
      }
      if (listed.length === 0) continue;
      const moved = await this.#rounds.transition(round, assignment.uid, assignment.state, {
        state: "GRADIENT_IN",
        gradientAtMs: this.#options.now(),
      });
      if (moved) inCount++;
    }
    return inCount;
  }

  /**
   * A miner says its delta is in its bucket (the session's `uploaded` body):
   * checks the round, the key, the deadline and the listed size, then
   * DELIVERED → GRADIENT_IN. Throws a RangeError saying why it is refused.
   */
  async uploaded(round: number, uid: number, key: string, sizeBytes: number): Promise<void> {
    const record = await this.#rounds.round(round);
    const assignment = await this.#rounds.assignment(round, uid);
    if (record === null || assignment === null) {
      throw new RangeError(`Cannot take round ${round} from uid ${uid}: no such assignment`);
    }
    if (assignment.state !== "DELIVERED") {
      throw new RangeError(
        `Cannot take round ${round} from uid ${uid}: the assignment is ${assignment.state}`,
      );
    }
    if (record.scored || this.#options.now() > record.deadlineMs) {
      throw new RangeError(`Cannot take round ${round} from uid ${uid}: the deadline passed`);
    }
    const expected = gradientKey(this.#options.scope, uid, round);
    if (key !== expected) {
      throw new RangeError(
        `Cannot take round ${round} from uid ${uid}: key "${key}" is not "${expected}"`,
      );
    }
    const store = await this.#minerStore(uid);
    const listed = (await store.list(key)).find((object) => object.key === key);
    if (listed === undefined) {
      throw new RangeError(
        `Cannot take round ${round} from uid ${uid}: "${key}" is not in ${store.description}`,
      );
    }
    if (listed.sizeBytes !== sizeBytes) {
      throw new RangeError(
        `Cannot take round ${round} from uid ${uid}: "${key}" is ${listed.sizeBytes} bytes, the miner said ${sizeBytes}`,
      );
    }
    const moved = await this.#rounds.transition(round, uid, "DELIVERED", {
      state: "GRADIENT_IN",
      gradientAtMs: this.#options.now(),
    });
    if (!moved) {
      throw new RangeError(`Cannot take round ${round} from uid ${uid}: it changed meanwhile`);
    }
  }

  /**
   * The bytes of `uid`'s upload for `round`, its listed size checked before
   * downloading (τaos ≤ 20 MB, taos.md §6.4). Throws saying why it cannot
   * be read: too large, gone, or the miner's bucket unknown.
   */
  async download(round: number, uid: number): Promise<Uint8Array> {
    const store = await this.#minerStore(uid);
    const key = gradientKey(this.#options.scope, uid, round);
    const size = (await store.list(key)).find((o) => o.key === key)?.sizeBytes ?? 0;
    if (size > MAX_DELTA_BYTES) {
      throw new RangeError(`file is ${size} bytes, limit ${MAX_DELTA_BYTES}`);
    }
    const bytes = await store.get(key);
    if (bytes === null) throw new RangeError("the upload disappeared");
    return bytes;
  }

  async #minerStore(uid: number): Promise<ObjectStore> {
    return await this.#options.minerStore?.(uid) ?? this.#options.store;
  }
}
