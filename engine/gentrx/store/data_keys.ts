/**
 * τaos's object key layout for the training pool (taos.md §6.2–6.4), under
 * `gentrx/<network>/<source>/`:
 *
 * | what | key |
 * |---|---|
 * | parquet page | `data/<vuid>/<book>/intervals/<startNs>-<endNs>.parquet` |
 * | miner delta | `gradients/<uid>/<round:08d>.grad` |
 * | proposal | `proposals/<vuid>/<round:08d>.grad` |
 * | published delta | `deltas/<uid>/v<version:06d>.grad`, head `deltas/<uid>/head.json` |
 * | full checkpoint | `checkpoints/<uid>/v<version:05d>.ckpt` |
 *
 * @module
 */

export type GenTrxNetwork = "mainnet" | "testnet" | "local";
export type GenTrxSource = "simulation" | "exchange";

export interface DataKeyScope {
  network: GenTrxNetwork;
  source: GenTrxSource;
}

function uint(name: string, value: number): string {
  if (!(Number.isSafeInteger(value) && value >= 0)) {
    throw new RangeError(`Invalid ${name} ${value}: expected a non-negative integer`);
  }
  return String(value);
}

const pad = (value: number, width: number) => String(value).padStart(width, "0");

/** `gentrx/<network>/<source>/`. */
export function scopePrefix(scope: DataKeyScope): string {
  return `gentrx/${scope.network}/${scope.source}/`;
}

/** Every page a validator wrote (wiped on the end of a simulation). */
export function dataPrefix(scope: DataKeyScope, validatorUid: number): string {
  return `${scopePrefix(scope)}data/${uint("validator uid", validatorUid)}/`;
}

export function pageKey(
  scope: DataKeyScope,
  validatorUid: number,
  bookId: number,
  startNs: number,
  endNs: number,
): string {
  return `${dataPrefix(scope, validatorUid)}${uint("book", bookId)}/intervals/${
    uint("start ns", startNs)
  }-${uint("end ns", endNs)}.parquet`;
}

/** The book and interval of a page key, or null if `key` is not one. */
export function parsePageKey(
  key: string,
): { bookId: number; startNs: number; endNs: number } | null {
  const match = /\/data\/\d+\/(\d+)\/intervals\/(\d+)-(\d+)\.parquet$/.exec(key);
  if (!match) return null;
  return { bookId: Number(match[1]), startNs: Number(match[2]), endNs: Number(match[3]) };
}

export function gradientKey(scope: DataKeyScope, uid: number, round: number): string {
  return `${scopePrefix(scope)}gradients/${uint("uid", uid)}/${pad(round, 8)}.grad`;
}

export function proposalKey(scope: DataKeyScope, validatorUid: number, round: number): string {
  return `${scopePrefix(scope)}proposals/${uint("validator uid", validatorUid)}/${
    pad(round, 8)
  }.grad`;
}

export function publishedDeltaKey(scope: DataKeyScope, uid: number, version: number): string {
  return `${scopePrefix(scope)}deltas/${uint("uid", uid)}/v${pad(version, 6)}.grad`;
}

export function deltaHeadKey(scope: DataKeyScope, uid: number): string {
  return `${scopePrefix(scope)}deltas/${uint("uid", uid)}/head.json`;
}

export function checkpointKey(scope: DataKeyScope, uid: number, version: number): string {
  return `${scopePrefix(scope)}checkpoints/${uint("uid", uid)}/v${pad(version, 5)}.ckpt`;
}
