/**
 * Benchmark `feed.p99_ms_1000_viewers`: live-feed fan-out (perf.md §6.5).
 *
 * This process runs the real market (native simulator, 4 books, one step
 * every 100 ms: 10 updates/s), the market data service and the feed on a
 * loopback port. Child processes (_bench_viewers.ts, so viewers and server
 * never share an event loop) connect 1,000 viewers between them, each
 * following one book as its page does (ladder, trades, ticker, 1-minute
 * candles), and measure every frame's delivery latency from the server's
 * publish time to arrival (so a viewer process's own queue counts too). The
 * figure is the median over runs of the 99th percentile; goal under 100 ms
 * on the 2-core machine. A low p99 means nothing if viewers were skipped, so
 * `feed.updates_per_s_per_viewer` reports the frames each viewer actually
 * received per second (median over runs; 10 when none is conflated away).
 *
 * @module
 */
import { median, report } from "@/engine/bench_report.ts";
import { FeedHub, MarketDataService } from "@/server/feed/mod.ts";
import type { ViewerReport } from "@/server/feed/_bench_viewers.ts";
import { Market } from "@/server/market.ts";
import { openBackgroundMarket } from "@/server/sim/background_market.ts";
import { ensureNativeBuild } from "@/server/native_library.ts";
import { repoPath } from "@/server/paths.ts";

const VIEWERS = 1_000;
/**
 * Processes the viewers are split across. One: with the server on one of
 * the two cores, more client processes only fight it for the other.
 */
const VIEWER_PROCESSES = 1;
const BOOKS = 4;
/** Wall ms per market step: 10 updates a second. */
const STEP_MS = 100;
const RUNS = 3;
const WARMUP_MS = 3_000;
const MEASURE_MS = 5_000;

/** Runs one viewer process with `viewers` viewers and returns its report. */
async function viewerProcess(url: string, viewers: number): Promise<ViewerReport> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      repoPath("server/feed/_bench_viewers.ts"),
      "--url",
      url,
      "--viewers",
      String(viewers),
      "--books",
      String(BOOKS),
      "--warmup-ms",
      String(WARMUP_MS),
      "--measure-ms",
      String(MEASURE_MS),
    ],
    stdout: "piped",
    stderr: "inherit",
  }).output();
  const text = new TextDecoder().decode(output.stdout).trim();
  if (!output.success) throw new Error(`The viewers process failed: ${text.slice(0, 500)}`);
  return JSON.parse(text.split("\n").at(-1)!) as ViewerReport;
}

function percentile(sorted: Float64Array, fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))];
}

/** One run: every viewer process at once, their latencies merged. */
async function viewersRun(url: string) {
  const reports = await Promise.all(
    Array.from({ length: VIEWER_PROCESSES }, () => viewerProcess(url, VIEWERS / VIEWER_PROCESSES)),
  );
  const sorted = Float64Array.from(reports.flatMap((report) => report.latenciesMs)).sort();
  return {
    framesPerSecond: sorted.length / (MEASURE_MS / 1000),
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    maxMs: sorted[sorted.length - 1],
    closedEarly: reports.reduce((sum, report) => sum + report.closedEarly, 0),
  };
}

if (import.meta.main) {
  await ensureNativeBuild((line) => console.error(line));
  const background = await openBackgroundMarket({ books: BOOKS, seed: 1 });
  const market = new Market(background.engine, background.configs);
  market.step();
  const data = new MarketDataService(market);
  const hub = new FeedHub(data, { log: (line) => console.error(line) });
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen() {} },
    (request) => hub.upgrade(request),
  );
  const stepper = setInterval(() => market.step(), STEP_MS);
  const url = `ws://127.0.0.1:${server.addr.port}/api/feed`;
  const p99s: number[] = [];
  const perViewerRates: number[] = [];
  try {
    for (let run = 0; run < RUNS; run++) {
      const result = await viewersRun(url);
      console.error(
        `feed bench run ${run + 1}: ${VIEWERS} viewers, ${
          Math.round(result.framesPerSecond)
        } frames/s, p50 ${result.p50Ms.toFixed(1)} ms, p99 ${result.p99Ms.toFixed(1)} ms, max ${
          result.maxMs.toFixed(1)
        } ms, ${result.closedEarly} closed early, ${hub.droppedClients} dropped so far`,
      );
      p99s.push(result.p99Ms);
      perViewerRates.push(result.framesPerSecond / VIEWERS);
    }
  } finally {
    clearInterval(stepper);
    hub.close();
    data.close();
    await server.shutdown();
    background.engine.close();
  }
  report({ bench: "feed.p99_ms_1000_viewers", value: Number(median(p99s).toFixed(2)), unit: "ms" });
  report({
    bench: "feed.updates_per_s_per_viewer",
    value: Number(median(perViewerRates).toFixed(2)),
    unit: "updates/s",
  });
}
