/**
 * Drives a Market in wall-clock time: one step every `stepMs`, with the
 * books' lifetime statistics saved to Deno KV once a second.
 *
 * @module
 */
import type { Market } from "@/server/market.ts";
import { saveBookStats } from "@/server/store/book_stats.ts";

export interface MarketLoop {
  /** Stops stepping and waits for the last save. */
  stop(): Promise<void>;
}

const SAVE_INTERVAL_MS = 1000;

export function startMarketLoop(market: Market, kv: Deno.Kv, stepMs: number): MarketLoop {
  let saving: Promise<void> = Promise.resolve();
  let lastSave = performance.now();
  const save = () => {
    saving = saving.then(() => saveBookStats(kv, market.stats())).catch((error) =>
      console.error(`Cannot save book statistics: ${error}`)
    );
  };
  const timer = setInterval(() => {
    market.step();
    if (performance.now() - lastSave >= SAVE_INTERVAL_MS) {
      lastSave = performance.now();
      save();
    }
  }, stepMs);
  return {
    async stop() {
      clearInterval(timer);
      save();
      await saving;
    },
  };
}
