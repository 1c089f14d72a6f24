/**
 * Compressed GenTRX weight deltas (issue 9; taos.md §6.3–6.4, ml.md §5.2).
 *
 * Interface for the gradient server and the miners:
 *
 * ```ts
 * // Miner, each round: train, then compress with error feedback kept across rounds.
 * const feedback = new ErrorFeedback();                        // one per miner, lives across rounds
 * const trained = trainDelta(model, batches, { steps: 20 });   // model is not modified
 * const upload = encodeDelta(trained.delta, {
 *   modelVersion, feedback,                                   // codec defaults to DEFAULT_CODEC
 *   meta: { round, minerUid, stepsTrained: trained.stepsTrained,
 *           lossBefore: trained.lossBefore, lossAfter: trained.lossAfter },
 * });                                                         // Uint8Array, PUT to the bucket
 *
 * // Server: size cap, format, version and shape checks, then a new model to score.
 * const delta = decodeDelta(bytes, { modelVersion, shapes: modelShapes(model.config) });
 * const candidate = applyDelta(model, delta);                  // model is not modified (rollback = drop)
 * ```
 *
 * `decodeDelta` throws a `RangeError` ("Cannot decode weight delta: …")
 * naming the field and limit for any malformed, oversized (> 20 MB),
 * wrong-version or wrong-shape input; a decoded delta is always finite.
 * Aggregation (mean of accepted deltas) can sum `delta.values` directly.
 *
 * @module
 */
export * from "@/engine/gentrx/compression/delta_codec.ts";
export * from "@/engine/gentrx/compression/miner_delta.ts";
export { dct, inverseDct } from "@/engine/gentrx/compression/dct.ts";
