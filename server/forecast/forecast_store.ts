/**
 * The forecast pool's Deno KV schema (one file owns these keys):
 *
 * - `["forecast", "request", id]` → ForecastRecord (one request and, once
 *   scored, its outcome);
 * - `["forecast", "pending", id]` → origin, while the request awaits its
 *   horizon (the backlog a restart picks up);
 * - `["forecast", "by_stream", stream, origin]` → id, newest last;
 * - `["forecast", "prediction", id, hotkey]` → PredictionRecord;
 * - `["forecast", "ledger", hotkey]` → LedgerEntry (the EMA ledger);
 * - `["forecast", "schedule", stream]` → the last origin asked.
 *
 * A record and its indexes are written in one atomic operation.
 *
 * @module
 */

export type PredictionReason = "ok" | "missing" | "malformed" | "mismatch";

export interface PredictionRecord {
  hotkey: string;
  uid: number;
  /** The revealed closes when they matched the commitment, else null. */
  predictions: number[] | null;
  reason: PredictionReason;
  /** Why, for a miner reading its record. */
  detail?: string;
}

export interface ScoreEntry {
  hotkey: string;
  uid: number;
  /** Skill against naive in [0, 1] (0 for missing or malformed). */
  skill: number;
  /** What the ledger takes: skill (or the TSPS share, scoring "tsps") after copies split it. */
  share: number;
  reason: PredictionReason;
  /** Hotkeys whose forecast matched this one's (copy group), itself included, when more than one. */
  copies?: string[];
}

export interface ForecastRecord {
  id: string;
  stream: string;
  /** Close time of the last candle the miners saw, stream ms. */
  origin: number;
  intervalMs: number;
  horizon: number;
  lastClose: number;
  /** The last closes before the origin, oldest first (for the viewer's fan). */
  recentCloses: number[];
  asked: { hotkey: string; uid: number }[];
  status: "pending" | "scored" | "void";
  /** Wall ms when asked, and when scored. */
  askedAt: number;
  scoredAt?: number;
  actual?: number[];
  scores?: ScoreEntry[];
  /** Why a void request was not scored. */
  voidReason?: string;
}

export interface LedgerEntry {
  hotkey: string;
  uid: number;
  value: number;
  /** Requests scored for this hotkey. */
  requests: number;
  lastSkill: number;
  updatedAt: number;
}

const PREFIX = "forecast";

export async function saveNewRequest(
  kv: Deno.Kv,
  record: ForecastRecord,
  predictions: readonly PredictionRecord[],
): Promise<void> {
  const atomic = kv.atomic()
    .check({ key: [PREFIX, "request", record.id], versionstamp: null })
    .set([PREFIX, "request", record.id], record)
    .set([PREFIX, "pending", record.id], record.origin)
    .set([PREFIX, "by_stream", record.stream, record.origin], record.id)
    .set([PREFIX, "schedule", record.stream], record.origin);
  for (const prediction of predictions) {
    atomic.set([PREFIX, "prediction", record.id, prediction.hotkey], prediction);
  }
  const result = await atomic.commit();
  if (!result.ok) throw new Error(`Cannot save forecast request ${record.id}: it exists`);
}

/** The last origin asked on `stream`, or null. */
export async function lastOrigin(kv: Deno.Kv, stream: string): Promise<number | null> {
  return (await kv.get<number>([PREFIX, "schedule", stream])).value;
}

/** Pending requests, oldest origin first. */
export async function pendingRequests(kv: Deno.Kv): Promise<ForecastRecord[]> {
  const records: ForecastRecord[] = [];
  for await (const entry of kv.list<number>({ prefix: [PREFIX, "pending"] })) {
    const id = entry.key[2] as string;
    const record = (await kv.get<ForecastRecord>([PREFIX, "request", id])).value;
    if (record) records.push(record);
  }
  return records.sort((a, b) => a.origin - b.origin);
}

export async function predictionsOf(kv: Deno.Kv, id: string): Promise<PredictionRecord[]> {
  const list: PredictionRecord[] = [];
  for await (const entry of kv.list<PredictionRecord>({ prefix: [PREFIX, "prediction", id] })) {
    list.push(entry.value);
  }
  return list;
}

export async function getRequest(kv: Deno.Kv, id: string): Promise<ForecastRecord | null> {
  return (await kv.get<ForecastRecord>([PREFIX, "request", id])).value;
}

/** The newest `limit` requests of `stream`, newest first. */
export async function recentRequests(
  kv: Deno.Kv,
  stream: string,
  limit: number,
): Promise<ForecastRecord[]> {
  const records: ForecastRecord[] = [];
  for await (
    const entry of kv.list<string>({ prefix: [PREFIX, "by_stream", stream] }, {
      reverse: true,
      limit,
    })
  ) {
    const record = await getRequest(kv, entry.value);
    if (record) records.push(record);
  }
  return records;
}

export async function readLedger(kv: Deno.Kv): Promise<Map<string, LedgerEntry>> {
  const ledger = new Map<string, LedgerEntry>();
  for await (const entry of kv.list<LedgerEntry>({ prefix: [PREFIX, "ledger"] })) {
    ledger.set(entry.value.hotkey, entry.value);
  }
  return ledger;
}

/** Writes a scored (or void) request and the ledger after it, in one atomic operation. */
export async function saveOutcome(
  kv: Deno.Kv,
  record: ForecastRecord,
  ledger: readonly LedgerEntry[],
): Promise<void> {
  const atomic = kv.atomic()
    .set([PREFIX, "request", record.id], record)
    .delete([PREFIX, "pending", record.id]);
  for (const entry of ledger) atomic.set([PREFIX, "ledger", entry.hotkey], entry);
  const result = await atomic.commit();
  if (!result.ok) throw new Error(`Cannot save the outcome of forecast request ${record.id}`);
}

/**
 * Deletes `stream`'s oldest settled requests (record, index and
 * predictions) beyond the newest `keep`; pending ones stay. Returns how
 * many went.
 */
export async function pruneRequests(kv: Deno.Kv, stream: string, keep: number): Promise<number> {
  const ids: string[] = [];
  for await (const entry of kv.list<string>({ prefix: [PREFIX, "by_stream", stream] })) {
    ids.push(entry.value);
  }
  let pruned = 0;
  for (const id of ids.slice(0, Math.max(0, ids.length - keep))) {
    const record = await getRequest(kv, id);
    if (record?.status === "pending") continue;
    const atomic = kv.atomic().delete([PREFIX, "request", id]);
    if (record) atomic.delete([PREFIX, "by_stream", stream, record.origin]);
    for await (const entry of kv.list({ prefix: [PREFIX, "prediction", id] })) {
      atomic.delete(entry.key);
    }
    await atomic.commit();
    pruned++;
  }
  return pruned;
}
