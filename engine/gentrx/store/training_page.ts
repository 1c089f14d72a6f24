/**
 * GenTRX training rows as parquet pages (taos.md §6.2): one row per L3 event
 * of one book, with the book left behind, written by the gradient server
 * with `hyparquet-writer` and read by miners (Deno or browser) and scorers
 * with `hyparquet`.
 *
 * Columns, τaos's names where it has them: `timestamp` ns (INT64),
 * `order_type` (INT32: the model's five types, bid/ask/cancel/exec-buy/
 * exec-sell — τaos's file keeps 0/1/2 and derives executions), `rel_price`
 * ticks from the mid before the event, `price_ticks`, `quantity_lots`
 * (INT64), `volume_int`, `volume_dec`, `interval_ns` (INT64), `mid_price`
 * (DOUBLE ticks, half ticks possible), `time_of_day_s`, `mid_price_delta`,
 * `best_bid_ticks`/`best_ask_ticks` (0 for an empty side) and
 * `lob_ask_vol_1..10`, `lob_bid_vol_1..10` in lots.
 *
 * @module
 */
import { parquetReadObjects } from "hyparquet";
import { parquetWriteBuffer } from "hyparquet-writer";
import type { Depth } from "@/engine/book_records.ts";
import { makeBatch, type ModelBatch } from "@/engine/gentrx/batch.ts";
import { midPriceTicks, type OrderFlowRow, type OrderType } from "@/engine/gentrx/order_flow.ts";
import { Tokenizer, type TokenizerConfig } from "@/engine/gentrx/tokenizer.ts";

/** Book levels per side kept in a row (τaos lob_*_vol_1..10). */
export const PAGE_LOB_LEVELS = 10;
/** τaos's lot scale for volume_int/volume_dec (§2.2 volumeDecimals 4). */
const LOTS_PER_UNIT = 10_000;
const NS_PER_S = 1e9;
const SECONDS_PER_DAY = 86_400;

/** One training row: an event and the top of the book after it. */
export type TrainingRow = OrderFlowRow;

type Column = { name: string; data: unknown[] | ArrayLike<unknown>; type: string };

/** Encodes rows (time-ordered, one book) as one parquet file. */
export function encodeTrainingPage(rows: readonly TrainingRow[]): Uint8Array {
  if (rows.length === 0) throw new RangeError("Cannot encode a training page: no rows");
  const n = rows.length;
  const int64 = () => new BigInt64Array(n);
  const int32 = () => new Int32Array(n);
  const timestamp = int64(), intervalNs = int64(), quantity = int64();
  const orderType = int32(), relPrice = int32(), priceTicks = int32();
  const volumeInt = int32(), timeOfDay = int32(), midDelta = int32();
  const bestBid = int32(), bestAsk = int32();
  const volumeDec = new Float32Array(n);
  const midPrice = new Float64Array(n);
  const askVolumes = Array.from({ length: PAGE_LOB_LEVELS }, int64);
  const bidVolumes = Array.from({ length: PAGE_LOB_LEVELS }, int64);
  let previousMid = midPriceTicks(rows[0].bookAfter) ?? rows[0].priceTicks;
  let previousNs = rows[0].timestampNs;
  rows.forEach((row, i) => {
    if (row.timestampNs < previousNs) {
      throw new RangeError(
        `Cannot encode a training page: row ${i} at ${row.timestampNs} ns is before ${previousNs} ns`,
      );
    }
    const mid = midPriceTicks(row.bookAfter) ?? previousMid;
    timestamp[i] = BigInt(row.timestampNs);
    intervalNs[i] = BigInt(row.timestampNs - previousNs);
    quantity[i] = BigInt(row.quantityLots);
    orderType[i] = row.type;
    relPrice[i] = Math.floor(row.priceTicks - previousMid);
    priceTicks[i] = row.priceTicks;
    volumeInt[i] = Math.floor(row.quantityLots / LOTS_PER_UNIT);
    volumeDec[i] = (row.quantityLots % LOTS_PER_UNIT) / LOTS_PER_UNIT;
    timeOfDay[i] = Math.floor(row.timestampNs / NS_PER_S) % SECONDS_PER_DAY;
    midDelta[i] = Math.trunc(mid - previousMid);
    midPrice[i] = mid;
    bestBid[i] = row.bookAfter.bids[0]?.priceTicks ?? 0;
    bestAsk[i] = row.bookAfter.asks[0]?.priceTicks ?? 0;
    for (let level = 0; level < PAGE_LOB_LEVELS; level++) {
      askVolumes[level][i] = BigInt(row.bookAfter.asks[level]?.quantityLots ?? 0);
      bidVolumes[level][i] = BigInt(row.bookAfter.bids[level]?.quantityLots ?? 0);
    }
    previousMid = mid;
    previousNs = row.timestampNs;
  });
  const columns: Column[] = [
    { name: "timestamp", data: timestamp, type: "INT64" },
    { name: "order_type", data: orderType, type: "INT32" },
    { name: "rel_price", data: relPrice, type: "INT32" },
    { name: "price_ticks", data: priceTicks, type: "INT32" },
    { name: "quantity_lots", data: quantity, type: "INT64" },
    { name: "volume_int", data: volumeInt, type: "INT32" },
    { name: "volume_dec", data: volumeDec, type: "FLOAT" },
    { name: "interval_ns", data: intervalNs, type: "INT64" },
    { name: "mid_price", data: midPrice, type: "DOUBLE" },
    { name: "time_of_day_s", data: timeOfDay, type: "INT32" },
    { name: "mid_price_delta", data: midDelta, type: "INT32" },
    { name: "best_bid_ticks", data: bestBid, type: "INT32" },
    { name: "best_ask_ticks", data: bestAsk, type: "INT32" },
    ...askVolumes.map((data, l) => ({ name: `lob_ask_vol_${l + 1}`, data, type: "INT64" })),
    ...bidVolumes.map((data, l) => ({ name: `lob_bid_vol_${l + 1}`, data, type: "INT64" })),
  ];
  const buffer = parquetWriteBuffer({
    // deno-lint-ignore no-explicit-any
    columnData: columns.map((column) => ({ ...column, nullable: false }) as any),
    rowGroupSize: n,
  });
  return new Uint8Array(buffer);
}

type ParquetRow = Record<string, bigint | number>;

/**
 * Decodes a page back to rows. The book after each event keeps its level
 * volumes; level prices are the best price stepped one tick per level (the
 * tokenizer reads only the best prices and the volumes).
 */
export async function decodeTrainingPage(bytes: Uint8Array): Promise<TrainingRow[]> {
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  let records: ParquetRow[];
  try {
    records = await parquetReadObjects({ file: file as ArrayBuffer }) as ParquetRow[];
  } catch (error) {
    throw new RangeError(`Cannot decode a training page: ${(error as Error).message}`);
  }
  return records.map((record, i) => {
    const value = (name: string): number => {
      const raw = record[name];
      if (raw === undefined) {
        throw new RangeError(`Cannot decode a training page: row ${i} has no "${name}" column`);
      }
      return Number(raw);
    };
    const side = (kind: "ask" | "bid", best: number, step: number) =>
      Array.from({ length: PAGE_LOB_LEVELS }, (_, level) => ({
        priceTicks: best + step * level,
        quantityLots: value(`lob_${kind}_vol_${level + 1}`),
      })).filter((level, index) => level.quantityLots > 0 && (index > 0 || best > 0));
    const bestBid = value("best_bid_ticks");
    const bestAsk = value("best_ask_ticks");
    const bookAfter: Depth = {
      bids: bestBid > 0 ? side("bid", bestBid, -1) : [],
      asks: bestAsk > 0 ? side("ask", bestAsk, 1) : [],
    };
    return {
      type: value("order_type") as OrderType,
      timestampNs: value("timestamp"),
      priceTicks: value("price_ticks"),
      quantityLots: value("quantity_lots"),
      bookAfter,
    };
  });
}

/**
 * Cuts pages' rows into model batches: each page is tokenized on its own
 * (its first row's book is the initial book), split into sequences of
 * seqLen + 1 rows, and `batchSize` sequences make a batch. Rows that do not
 * fill a sequence or a batch are left out.
 */
export function pagesToBatches(
  pages: readonly (readonly TrainingRow[])[],
  tokenizerConfig: TokenizerConfig,
  options: { seqLen: number; batchSize: number },
): ModelBatch[] {
  const tokenizer = new Tokenizer(tokenizerConfig);
  const sequences = pages.flatMap((rows) => {
    const withMid = rows.findIndex((row) => midPriceTicks(row.bookAfter) !== undefined);
    if (withMid < 0) return [];
    const tokenized = tokenizer.encode(rows[withMid].bookAfter, rows.slice(withMid + 1));
    const count = Math.floor(tokenized.length / (options.seqLen + 1));
    return Array.from(
      { length: count },
      (_, s) => tokenized.slice(s * (options.seqLen + 1), (s + 1) * (options.seqLen + 1)),
    );
  });
  const batches: ModelBatch[] = [];
  for (let start = 0; start + options.batchSize <= sequences.length; start += options.batchSize) {
    batches.push(makeBatch(sequences.slice(start, start + options.batchSize), tokenizerConfig));
  }
  return batches;
}
