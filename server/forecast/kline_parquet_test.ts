import { deepEqual, equal, rejects } from "node:assert/strict";
import { parquetWriteBuffer } from "hyparquet-writer";
import { parseKlineCsv } from "@/server/forecast/kline_csv.ts";
import { readKlineFile } from "@/server/forecast/kline_file.ts";
import { parseKlineParquet } from "@/server/forecast/kline_parquet.ts";
import { repoPath } from "@/server/paths.ts";

const FIXTURE = repoPath("tests/fixtures/klines_synthetic_5m.csv");
const FIVE_MINUTES = 300_000;

type Column = { name: string; data: unknown[]; type: string };

function parquet(columns: Column[]): ArrayBuffer {
  // deno-lint-ignore no-explicit-any
  return parquetWriteBuffer({ columnData: columns as any });
}

/** The fixture's candles as Binance-named parquet columns, plus one to ignore. */
async function fixtureColumns(openTimeScale = 1): Promise<Column[]> {
  const candles = parseKlineCsv(await Deno.readTextFile(FIXTURE));
  const open = candles.map((c) => BigInt((c.closeTime - FIVE_MINUTES) * openTimeScale));
  return [
    { name: "open_time", data: open, type: "INT64" },
    { name: "open", data: candles.map((c) => c.open), type: "DOUBLE" },
    { name: "high", data: candles.map((c) => c.high), type: "DOUBLE" },
    { name: "low", data: candles.map((c) => c.low), type: "DOUBLE" },
    { name: "close", data: candles.map((c) => c.close), type: "DOUBLE" },
    { name: "volume", data: candles.map((c) => c.volume), type: "DOUBLE" },
    { name: "trades", data: candles.map(() => 7), type: "INT32" },
  ];
}

Deno.test("kline parquet: Binance-named columns read as the same candles as the CSV", async () => {
  const expected = parseKlineCsv(await Deno.readTextFile(FIXTURE));
  deepEqual(await parseKlineParquet(parquet(await fixtureColumns())), expected);
  // Open times in microseconds, as Binance's dumps from 2025 carry them.
  deepEqual(await parseKlineParquet(parquet(await fixtureColumns(1000))), expected);
});

Deno.test("kline parquet: a missing column, a bad value or a non-parquet file is named", async () => {
  const columns = await fixtureColumns();
  await rejects(
    parseKlineParquet(parquet(columns.filter((c) => c.name !== "close"))),
    /no "close" column \(has open_time, open, high, low, volume, trades\)/,
  );
  const bad = columns.map((c) => c.name === "high" ? { ...c, data: c.data.with(4, NaN) } : c);
  await rejects(parseKlineParquet(parquet(bad)), /kline parquet row 5: high "NaN"/);
  await rejects(
    parseKlineParquet(new TextEncoder().encode("open_time,open\n1,2\n").buffer),
    /Invalid kline parquet: /,
  );
  const one = columns.map((c) => ({ ...c, data: c.data.slice(0, 1) }));
  await rejects(parseKlineParquet(parquet(one)), /kline parquet: 1 rows, at least 2 needed/);
});

Deno.test("a kline file is read by its extension, and the backtest command takes parquet", async () => {
  const dir = await Deno.makeTempDir({ prefix: "marketforge-klines-" });
  try {
    const path = `${dir}/klines.parquet`;
    await Deno.writeFile(path, new Uint8Array(parquet(await fixtureColumns())));
    const candles = await readKlineFile(path);
    equal(candles.length, 3000);
    deepEqual(candles, await readKlineFile(FIXTURE));
    const backtest = await new Deno.Command(Deno.execPath(), {
      args: [
        "task",
        "-q",
        "forecast:backtest",
        "--",
        "--agent",
        "./engine/agents/forecast_naive.ts",
        "--data",
        path,
      ],
      cwd: repoPath("."),
      env: { DENO_NO_PACKAGE_JSON: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    equal(backtest.code, 0, new TextDecoder().decode(backtest.stderr));
    const result = JSON.parse(new TextDecoder().decode(backtest.stdout).trim().split("\n").at(-1)!);
    equal(result.candles, 3000);
    equal(result.relativeRmse, 1, "naive against itself");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
