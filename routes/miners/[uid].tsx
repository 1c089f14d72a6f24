import { HttpError, type PageProps } from "@/server/fresh_lite/mod.ts";
import type { AppContext } from "@/server/web_context.ts";
import type { MinerDetail } from "@/engine/browser_miner/miner_detail.ts";
import { minerDetail } from "@/server/miner_detail.ts";
import MinerActivity from "@/islands/MinerActivity.tsx";
import ThemeToggle from "@/islands/ThemeToggle.tsx";
import { uidParam } from "@/routes/api/miners/_uid_param.ts";

export const title = ({ params }: PageProps) => `Miner ${params.uid} — Marketforge`;

export async function load(c: AppContext): Promise<MinerDetail> {
  const uid = uidParam(c);
  const detail = await minerDetail(c.var.services, uid);
  if (detail === null) throw new HttpError(404, `Unknown UID ${uid}: no neuron holds it`);
  return detail;
}

/** One miner's page: PnL curve, volume and fills, live. */
export default function MinerPage({ data }: PageProps<MinerDetail>) {
  return (
    <section class="dashboard">
      <div class="page-head">
        <h1>Miner {data.uid}</h1>
        <ThemeToggle />
      </div>
      <p class="lede muted">
        Its fills and realised PnL (FIFO lots, net of fees) in this simulation, as this validator
        scores them. See all miners on the <a href="/leaderboard">leaderboard</a>.
      </p>
      <MinerActivity initial={data} />
    </section>
  );
}
