import type { PageProps } from "@/server/fresh_lite/mod.ts";
import type { ForecastBoardView } from "@/engine/forecast/forecast_view.ts";
import type { AppContext } from "@/server/web_context.ts";
import ForecastBoard from "@/islands/ForecastBoard.tsx";
import ThemeToggle from "@/islands/ThemeToggle.tsx";

export const title = "Forecasts — Marketforge";

export async function load(c: AppContext): Promise<ForecastBoardView | null> {
  const { forecasts, kv } = c.var.services;
  return forecasts ? await forecasts.board(kv) : null;
}

/** Each forecast stream, the miners' forecast fan against what happened, and the ledger. */
export default function ForecastsPage({ data }: PageProps<ForecastBoardView | null>) {
  return (
    <section>
      <div class="page-head">
        <h1>Forecasts</h1>
        <ThemeToggle />
      </div>
      <p>
        Miners forecast the next closes of each stream; they commit to a hash first and reveal
        after, and are scored once the horizon has passed: skill against the naive last-close
        forecast, so a miner that cannot beat naive earns nothing. Copies share one reward.
      </p>
      {data ? <ForecastBoard initial={data} /> : <p>The forecast pool is not running.</p>}
    </section>
  );
}
