import { deepEqual, equal, rejects } from "node:assert/strict";
import type { Candle } from "@/engine/forecast/candles.ts";
import { parseKlineCsv } from "@/server/forecast/kline_csv.ts";
import { KlineRestStream, klineRow } from "@/server/forecast/kline_rest_stream.ts";
import { repoPath } from "@/server/paths.ts";

const INTERVAL_MS = 300_000;
const fixture = parseKlineCsv(
  await Deno.readTextFile(repoPath("tests/fixtures/klines_synthetic_5m.csv")),
);

/** A Binance-style kline endpoint on 127.0.0.1 replaying `candles`, 1,000 rows a page. */
function replayServer(candles: readonly Candle[]) {
  const requests: URL[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (request) => {
    const url = new URL(request.url);
    requests.push(url);
    if (url.pathname !== "/api/v3/klines") return new Response("not found", { status: 404 });
    const start = Number(url.searchParams.get("startTime"));
    const end = Number(url.searchParams.get("endTime"));
    const limit = Number(url.searchParams.get("limit"));
    const rows = candles
      .filter((c) => c.closeTime - INTERVAL_MS >= start && c.closeTime - INTERVAL_MS <= end)
      .slice(0, limit)
      .map((c) => klineRow(c, INTERVAL_MS));
    return Response.json(rows);
  });
  return { url: `http://127.0.0.1:${server.addr.port}`, requests, server };
}

Deno.test("kline REST: pages through a replay server, averages the sources that answer", async () => {
  const first = replayServer(fixture);
  const shifted = fixture.map((c) => ({ ...c, close: c.close + 10, high: c.high + 50 }));
  const second = replayServer(shifted.slice(0, 2000));
  const geoBlocked = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    () => new Response("unavailable for legal reasons", { status: 451 }),
  );
  try {
    const now = fixture[2499].closeTime + 1000;
    const stream = new KlineRestStream({
      urls: [first.url, `http://127.0.0.1:${geoBlocked.addr.port}`, second.url],
      now: () => now,
      settleMs: 0,
    });
    equal(stream.id, "BTCUSDT-5m");
    const settling = new KlineRestStream({ urls: [first.url], now: () => now });
    equal(
      await settling.latestCloseTime(),
      fixture[2498].closeTime,
      "the newest candle settles 60 s",
    );
    equal(await stream.latestCloseTime(), fixture[2499].closeTime);
    const candles = await stream.candles(fixture[0].closeTime, Infinity);
    equal(candles.length, 2499, "up to the last closed candle, over three pages");
    deepEqual(stream.lastSources.map((s) => s.ok), [true, false, true]);
    equal(stream.lastSources[1].error, "HTTP 451");
    // Both sources had candle 1: close is their mean, high their max, volume their sum.
    equal(candles[0].closeTime, fixture[1].closeTime);
    equal(candles[0].close, fixture[1].close + 5);
    equal(candles[0].high, fixture[1].high + 50);
    equal(candles[0].volume, fixture[1].volume * 2);
    // Only the first source has candle 2200.
    equal(candles[2198].close, fixture[2199].close);
    equal(first.requests.length, 3);
  } finally {
    await first.server.shutdown();
    await second.server.shutdown();
    await geoBlocked.shutdown();
  }
});

Deno.test("kline REST: fails naming every source when none answers", async () => {
  const down = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    () => Response.json({ code: -1121, msg: "Invalid symbol." }),
  );
  try {
    const stream = new KlineRestStream({
      urls: [`http://127.0.0.1:${down.addr.port}`],
      now: () => fixture[10].closeTime,
    });
    await rejects(
      stream.candles(fixture[0].closeTime, Infinity),
      /no source answered.*not an array/,
    );
  } finally {
    await down.shutdown();
  }
});
