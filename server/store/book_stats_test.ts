import { deepEqual } from "node:assert/strict";
import { loadBookStats, saveBookStats } from "@/server/store/book_stats.ts";

Deno.test("book statistics survive closing and reopening the KV file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/stats.kv`;
    const stats = [
      { bookId: 0, trades: 12, volumeLots: 340, lastPriceTicks: 30_001, updatedAt: 5 },
      { bookId: 1, trades: 3, volumeLots: 9, lastPriceTicks: null, updatedAt: 5 },
    ];
    const kv = await Deno.openKv(path);
    await saveBookStats(kv, stats);
    kv.close();

    const reopened = await Deno.openKv(path);
    deepEqual(await loadBookStats(reopened, 0), stats[0]);
    deepEqual(await loadBookStats(reopened, 1), stats[1]);
    const fresh = await loadBookStats(reopened, 2);
    deepEqual([fresh.trades, fresh.volumeLots, fresh.lastPriceTicks], [0, 0, null]);
    reopened.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
