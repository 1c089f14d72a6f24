/**
 * The public market viewer's server side: market data per book
 * (MarketDataService) and the multiplexed live feed (FeedHub).
 *
 * @module
 */
export {
  type MarketDataListener,
  MarketDataService,
  type MarketSource,
} from "@/server/feed/market_data_service.ts";
export { FeedHub, type FeedHubOptions } from "@/server/feed/feed_hub.ts";
export { DEFAULT_FEED_LIMITS, type FeedLimits } from "@/server/feed/feed_limits.ts";
export type { FeedConnection, FeedSocket } from "@/server/feed/feed_connection.ts";
