/**
 * Lifetime statistics of each book, kept across restarts.
 *
 * Keys: ["book_stats", bookId] → BookStats.
 *
 * @module
 */

export interface BookStats {
  bookId: number;
  /** Trades since the book was first created. */
  trades: number;
  /** Lots traded since the book was first created. */
  volumeLots: number;
  /** Price of the latest trade, or null before the first. */
  lastPriceTicks: number | null;
  /** Unix ms of the latest save. */
  updatedAt: number;
}

const PREFIX = "book_stats";

/** The stored statistics of `bookId`, or fresh ones if none are stored. */
export async function loadBookStats(kv: Deno.Kv, bookId: number): Promise<BookStats> {
  const entry = await kv.get<BookStats>([PREFIX, bookId]);
  return entry.value ??
    { bookId, trades: 0, volumeLots: 0, lastPriceTicks: null, updatedAt: Date.now() };
}

/** Saves every book's statistics in one atomic write. */
export async function saveBookStats(kv: Deno.Kv, stats: readonly BookStats[]): Promise<void> {
  const atomic = kv.atomic();
  for (const entry of stats) atomic.set([PREFIX, entry.bookId], entry);
  const result = await atomic.commit();
  if (!result.ok) throw new Error(`Cannot save statistics of ${stats.length} books`);
}
