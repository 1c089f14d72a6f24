/**
 * The model the validator aggregates into, as published in its bucket
 * (published_model.ts): the current version, older versions for rounds
 * opened before a restart, and what a scored round does to it (taos.md
 * §6.4). The proposal — the mean of the accepted deltas — becomes the next
 * version when the round is in warm-up or it lowers the held-out loss, and
 * is rolled back otherwise; publishing writes the delta and, every
 * `CHECKPOINT_EVERY_VERSIONS` versions, a full checkpoint (τaos's cadence).
 *
 * @module
 */
import { GenTrxModel } from "@/engine/gentrx/model.ts";
import { proposalKey, publishedDeltaKey } from "@/engine/gentrx/store/data_keys.ts";
import {
  loadPublishedModel,
  publishInitial,
  publishVersion,
} from "@/engine/gentrx/store/published_model.ts";
import type { GradientServerOptions } from "@/server/gentrx/gradient_server_options.ts";
import type { RoundRecord } from "@/server/gentrx/round_store.ts";
import type { RoundWorker } from "@/server/gentrx/round_worker_client.ts";

/** What a scored round did to the model. */
export type RoundOutcome = NonNullable<RoundRecord["outcome"]>;

/** Where the model is published, and what to start from when nothing is. */
export type AggregatorModelOptions = Pick<
  GradientServerOptions,
  "store" | "scope" | "validatorUid" | "modelConfig" | "modelSeed"
>;

export class AggregatorModel {
  readonly #options: AggregatorModelOptions;
  #model: GenTrxModel;
  #version: number;

  private constructor(options: AggregatorModelOptions, model: GenTrxModel, version: number) {
    this.#options = options;
    this.#model = model;
    this.#version = version;
  }

  /** Loads the published model, or publishes a fresh one as version 0. */
  static async open(options: AggregatorModelOptions): Promise<AggregatorModel> {
    const { store, scope, validatorUid } = options;
    let published = await loadPublishedModel(store, scope, validatorUid);
    if (published === null) {
      const model = GenTrxModel.create(options.modelConfig, options.modelSeed);
      await publishInitial(store, scope, validatorUid, model);
      published = { model, version: 0 };
    }
    return new AggregatorModel(options, published.model, published.version);
  }

  get model(): GenTrxModel {
    return this.#model;
  }

  get version(): number {
    return this.#version;
  }

  /** The model uploads of a round were trained from: the current one, or (after a restart) an older version. */
  async at(version: number): Promise<GenTrxModel> {
    if (version === this.#version) return this.#model;
    const { store, scope, validatorUid } = this.#options;
    return (await loadPublishedModel(store, scope, validatorUid, version))!.model;
  }

  /** An outcome that leaves the model as it is, and why; the held-out loss unchanged. */
  kept(reason: string, heldLoss: number): RoundOutcome {
    return {
      applied: false,
      versionAfter: this.#version,
      heldLossBefore: heldLoss,
      heldLossAfter: heldLoss,
      reason,
    };
  }

  /**
   * Aggregates a scored round: the proposal of `accepted` (from the round's
   * worker) is published as the next version when `warmup` or it lowers the
   * held-out loss from `heldLossBefore`, else rolled back (the proposal is
   * still kept in the bucket, as τaos does). A proposal already published
   * (a restart between publishing and recording the round) counts as
   * applied and is not published again; a round whose model was replaced
   * while it was open is not applied.
   */
  async aggregate(
    record: RoundRecord,
    accepted: readonly number[],
    heldLossBefore: number,
    worker: Pick<RoundWorker, "propose">,
    warmup: boolean,
  ): Promise<RoundOutcome> {
    if (accepted.length === 0) return this.kept("no upload was accepted", heldLossBefore);
    const { store, scope, validatorUid } = this.#options;
    const version = record.modelVersion + 1;
    const proposal = await worker.propose(accepted, version, record.heldOutPages);
    const applied = {
      applied: true,
      versionAfter: version,
      heldLossBefore,
      heldLossAfter: proposal.heldLoss,
    };
    // A restart after publishing finds this round's proposal already out.
    if (this.#version === version && await this.#published(version, proposal.bytes)) {
      return applied;
    }
    if (this.#version !== record.modelVersion) {
      return this.kept(
        `the model moved to v${this.#version} while the round was open`,
        heldLossBefore,
      );
    }
    await store.put(proposalKey(scope, validatorUid, record.round), proposal.bytes);
    if (!warmup && !(proposal.heldLoss < heldLossBefore)) {
      return this.kept(
        `rolled back: the proposal did not lower the held-out loss (${
          heldLossBefore.toFixed(4)
        } → ${proposal.heldLoss.toFixed(4)})`,
        heldLossBefore,
      );
    }
    const model = new GenTrxModel(this.#model.config, proposal.parameters);
    await publishVersion(store, scope, validatorUid, version, proposal.bytes, model);
    this.#model = model;
    this.#version = version;
    return applied;
  }

  /** Whether `bytes` is the published delta of `version`. */
  async #published(version: number, bytes: Uint8Array): Promise<boolean> {
    const { store, scope, validatorUid } = this.#options;
    const published = await store.get(publishedDeltaKey(scope, validatorUid, version));
    return published !== null && published.length === bytes.length &&
      published.every((byte, i) => byte === bytes[i]);
  }
}
