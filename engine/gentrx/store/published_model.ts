/**
 * The published GenTRX model (taos.md §6.4): the aggregator (uid 0 on τaos)
 * writes every applied version's delta to `deltas/<uid>/v<version>.grad`, a
 * full checkpoint every `CHECKPOINT_EVERY_VERSIONS` versions, and a head
 * pointer; miners and other validators start from the newest checkpoint at
 * or before the head and apply the deltas after it. Browser-safe.
 *
 * ```ts
 * const published = await loadPublishedModel(store, scope, 0);   // null before version 0
 * published?.model; published?.version;
 * ```
 *
 * @module
 */
import { decodeCheckpoint, encodeCheckpoint } from "@/engine/gentrx/checkpoint.ts";
import {
  type CodecOptions,
  type DecodedDelta,
  decodeDelta,
  encodeDelta,
  type ModelDelta,
} from "@/engine/gentrx/compression/delta_codec.ts";
import { applyDelta, modelShapes } from "@/engine/gentrx/compression/miner_delta.ts";
import type { GenTrxModel } from "@/engine/gentrx/model.ts";
import {
  checkpointKey,
  type DataKeyScope,
  deltaHeadKey,
  publishedDeltaKey,
} from "@/engine/gentrx/store/data_keys.ts";
import type { ObjectStore } from "@/engine/gentrx/store/object_store.ts";

/**
 * τaos: a full checkpoint every 6 versions, 10 kept; 24 deltas kept. A
 * constant rather than a setting: a reader finds the checkpoint before an
 * older version from it (`loadPublishedModel`).
 */
export const CHECKPOINT_EVERY_VERSIONS = 6;
export const CHECKPOINTS_KEPT = 10;
export const DELTAS_KEPT = 24;
/** Published deltas are lossless (float32, every value), so every reader rebuilds the same model. */
export const PUBLISHED_CODEC: CodecOptions = {
  chunkSize: 256,
  topK: 256,
  dct: false,
  valueBits: 32,
};

export interface PublishedHead {
  version: number;
  checkpointVersion: number;
}

/**
 * Publishes version 0 of a model (a checkpoint and the head). Later versions
 * go through `publishVersion`.
 */
export async function publishInitial(
  store: ObjectStore,
  scope: DataKeyScope,
  uid: number,
  model: GenTrxModel,
): Promise<void> {
  await store.put(checkpointKey(scope, uid, 0), encodeCheckpoint(model));
  await putHead(store, scope, uid, { version: 0, checkpointVersion: 0 });
}

/**
 * Encodes `delta` losslessly for `version` (trained from version − 1) and
 * returns the decoded delta: the caller applies that, so its model is
 * bit-for-bit the one readers rebuild.
 */
export function publishableDelta(delta: ModelDelta, version: number): {
  bytes: Uint8Array;
  decoded: DecodedDelta;
} {
  const bytes = encodeDelta(delta, { modelVersion: version - 1, codec: PUBLISHED_CODEC });
  return { bytes, decoded: decodeDelta(bytes, { modelVersion: version - 1 }) };
}

/** Writes version `version`'s delta, a checkpoint when due, the head, and prunes old files. */
export async function publishVersion(
  store: ObjectStore,
  scope: DataKeyScope,
  uid: number,
  version: number,
  deltaBytes: Uint8Array,
  model: GenTrxModel,
): Promise<PublishedHead> {
  const previous = await readHead(store, scope, uid);
  if (previous === null || previous.version !== version - 1) {
    throw new RangeError(
      `Cannot publish GenTRX version ${version}: the head is ${previous?.version ?? "missing"}`,
    );
  }
  await store.put(publishedDeltaKey(scope, uid, version), deltaBytes);
  let checkpointVersion = previous.checkpointVersion;
  if (version % CHECKPOINT_EVERY_VERSIONS === 0) {
    await store.put(checkpointKey(scope, uid, version), encodeCheckpoint(model));
    checkpointVersion = version;
  }
  const head = { version, checkpointVersion };
  await putHead(store, scope, uid, head);
  // Keep enough deltas to reach the head from the oldest kept checkpoint's successor.
  const oldDelta = version - Math.max(DELTAS_KEPT, version - checkpointVersion);
  if (oldDelta >= 1) await store.delete(publishedDeltaKey(scope, uid, oldDelta));
  const oldCheckpoint = checkpointVersion - CHECKPOINTS_KEPT * CHECKPOINT_EVERY_VERSIONS;
  if (version === checkpointVersion && oldCheckpoint >= 0) {
    await store.delete(checkpointKey(scope, uid, oldCheckpoint));
  }
  return head;
}

export async function readHead(
  store: ObjectStore,
  scope: DataKeyScope,
  uid: number,
): Promise<PublishedHead | null> {
  const bytes = await store.get(deltaHeadKey(scope, uid));
  if (bytes === null) return null;
  const head = JSON.parse(new TextDecoder().decode(bytes)) as PublishedHead;
  if (
    !Number.isSafeInteger(head.version) || !Number.isSafeInteger(head.checkpointVersion) ||
    head.checkpointVersion > head.version || head.checkpointVersion < 0
  ) {
    throw new RangeError(`Invalid GenTRX head ${JSON.stringify(head)}`);
  }
  return head;
}

/**
 * A published model: the head's (or `version`'s, at most the head) — the
 * newest checkpoint at or before it plus the deltas after that checkpoint.
 * Null when nothing is published. An older version is what a validator
 * rescoring a round after a restart needs: the model the round's uploads
 * were trained from.
 */
export async function loadPublishedModel(
  store: ObjectStore,
  scope: DataKeyScope,
  uid: number,
  version?: number,
): Promise<{ model: GenTrxModel; version: number } | null> {
  const head = await readHead(store, scope, uid);
  if (head === null) return null;
  const target = version ?? head.version;
  if (!(Number.isSafeInteger(target) && target >= 0 && target <= head.version)) {
    throw new RangeError(`Cannot load GenTRX v${target}: the head is v${head.version}`);
  }
  const from = head.checkpointVersion <= target
    ? head.checkpointVersion
    : target - target % CHECKPOINT_EVERY_VERSIONS;
  const checkpoint = await store.get(checkpointKey(scope, uid, from));
  if (checkpoint === null) {
    throw new RangeError(`Cannot load GenTRX v${target}: checkpoint v${from} is missing`);
  }
  let model = decodeCheckpoint(checkpoint);
  const shapes = modelShapes(model.config);
  for (let step = from + 1; step <= target; step++) {
    const bytes = await store.get(publishedDeltaKey(scope, uid, step));
    if (bytes === null) {
      throw new RangeError(`Cannot load GenTRX v${target}: delta v${step} is missing`);
    }
    model = applyDelta(model, decodeDelta(bytes, { modelVersion: step - 1, shapes }));
  }
  return { model, version: target };
}

async function putHead(
  store: ObjectStore,
  scope: DataKeyScope,
  uid: number,
  head: PublishedHead,
): Promise<void> {
  await store.put(deltaHeadKey(scope, uid), new TextEncoder().encode(JSON.stringify(head)));
}
