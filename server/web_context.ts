/**
 * What every route gets in its Hono context: the running services.
 *
 * @module
 */
import type { Context } from "hono";
import type { Market } from "@/server/market.ts";
import type { MinerGateway } from "@/server/gateway/gateway.ts";
import type { ChainClient } from "@/server/chain/chain_client.ts";
import type { ValidatorLoop } from "@/server/validator_loop.ts";
import type { FeedHub, MarketDataService } from "@/server/feed/mod.ts";
import { HttpError } from "@/server/fresh_lite/mod.ts";
import type { ForecastService } from "@/server/forecast/forecast_service.ts";
import { type OperatorKey, refusalMessage } from "@/server/operator_key.ts";

export interface Services {
  market: Market;
  kv: Deno.Kv;
  gateway: MinerGateway;
  chain: ChainClient;
  loop: ValidatorLoop;
  /** Candles, tape and summaries of every book, for the viewer's pages. */
  marketData: MarketDataService;
  /** The multiplexed live feed (GET /api/feed). */
  feed: FeedHub;
  /** The forecast pool (routes/forecasts.tsx, routes/api/forecasts/). */
  forecasts?: ForecastService;
  /** The simulation config file's settings (parsed), which the tab's offline market mirrors. */
  simConfig?: unknown;
  /** The operator's key, which opens the dashboard and (unless public) /metrics. */
  operator: OperatorKey;
  /**
   * Where the GenTRX pool keeps its pages, when it runs: a browser miner can
   * train only when they are in an S3 bucket it can read.
   */
  gentrxBucket?: "folder" | "s3";
  /** Simulated seconds one simulation lasts (--sim-duration-seconds), for its progress. */
  simDurationSeconds: number;
}

export type AppEnv = { Variables: { services: Services } };
export type AppContext = Context<AppEnv>;

/** The book named by the `:id` path parameter; a 404 if there is none. */
export function bookIdParam(c: AppContext): number {
  const raw = c.req.param("id") ?? "";
  const bookId = /^\d{1,6}$/.test(raw) ? Number(raw) : NaN;
  const { market } = c.var.services;
  if (!market.has(bookId)) {
    throw new HttpError(
      404,
      `Unknown book "${raw}": books are 0 to ${market.bookCount - 1}`,
    );
  }
  return bookId;
}

/**
 * A 401 unless the request carries the operator's key as a bearer token or
 * a signed-in session (server/operator_key.ts); null when it does. `as`
 * picks the body: JSON for the API, plain text for /metrics.
 */
export function operatorRefusal(c: AppContext, as: "json" | "text"): Response | null {
  const refusal = c.var.services.operator.check(c.req.raw);
  if (refusal === null) return null;
  const headers = { "www-authenticate": 'Bearer realm="Marketforge validator"' };
  const message = refusalMessage(refusal);
  return as === "json"
    ? c.json({ error: message }, 401, headers)
    : c.text(message + "\n", 401, headers);
}
