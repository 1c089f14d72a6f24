/**
 * The rules native/sim/block.cc gives every simulated book: τaos's exchange
 * (TAOS_BOOK_CONFIG) on the configured grid and minimum size. Shared by the
 * validator's background market (server/sim/background_market.ts) and the
 * browser's offline one (workers/miner/offline_market.ts).
 *
 * @module
 */
import { type BookConfig, TAOS_BOOK_CONFIG } from "@/engine/book_records.ts";
import type { SimConfig } from "@/engine/sim/sim_config.ts";

export function simulatedBookConfig(settings: SimConfig["settings"]): BookConfig {
  const priceDecimals = settings["book.price_decimals"];
  const volumeDecimals = settings["book.volume_decimals"];
  return {
    ...TAOS_BOOK_CONFIG,
    priceDecimals,
    volumeDecimals,
    minOrderLots: Math.round(settings["book.min_order_size"] * 10 ** volumeDecimals),
    maxOpenOrders: settings["book.max_open_orders"],
    maxLoan: 10_000 * 10 ** (priceDecimals + volumeDecimals),
  };
}
