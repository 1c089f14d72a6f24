import { equal, match, rejects } from "node:assert/strict";
import mlpForecaster from "@/engine/agents/forecast_mlp.ts";
import naiveForecaster from "@/engine/agents/forecast_naive.ts";
import { runBacktest } from "@/server/forecast/backtest.ts";
import { parseKlineCsv } from "@/server/forecast/kline_csv.ts";
import { repoPath } from "@/server/paths.ts";

const FIXTURE = repoPath("tests/fixtures/klines_synthetic_5m.csv");

Deno.test("deno task forecast:backtest -- --agent … --data … prints the score against naive", async () => {
  const run = (agent: string) =>
    new Deno.Command(Deno.execPath(), {
      args: ["task", "-q", "forecast:backtest", "--", "--agent", agent, "--data", FIXTURE],
      cwd: repoPath("."),
      env: { DENO_NO_PACKAGE_JSON: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
  const smoothing = await run("./engine/agents/forecast_smoothing.ts");
  equal(smoothing.code, 0, new TextDecoder().decode(smoothing.stderr));
  const result = JSON.parse(new TextDecoder().decode(smoothing.stdout).trim().split("\n").at(-1)!);
  equal(result.windows, 25);
  equal(result.candles, 3000);
  // The fixture's slowly swinging drift is there to be found: the trend agent beats naive.
  equal(result.relativeRmse < 1, true);
  equal(result.meanSkill > 0, true);
  const missing = await run("./no/such/agent.ts");
  equal(missing.code, 2);
  match(new TextDecoder().decode(missing.stderr), /agent\.ts/);
});

Deno.test("backtest: naive scores 0; a broken agent scores worst; too little data is refused", async () => {
  const candles = parseKlineCsv(await Deno.readTextFile(FIXTURE));
  const naive = await runBacktest({ candles, agent: naiveForecaster });
  equal(naive.meanSkill, 0);
  equal(naive.relativeRmse, 1);
  equal(naive.windowSkills.length, naive.windows);
  equal(naive.windowSkills.every((skill) => skill === 0), true);
  const broken = await runBacktest({
    candles,
    agent: () => ({ respond() {}, forecast: () => [1, 2, 3] }),
  });
  equal(broken.malformed, broken.windows);
  equal(broken.meanSkill, 0);
  await rejects(
    runBacktest({ candles: candles.slice(0, 200), agent: naiveForecaster }),
    /200 candles, at least lookback \+ horizon = 600 needed/,
  );
  await rejects(runBacktest({ candles, agent: () => ({ respond() {} }) }), /no forecast hook/);
});

Deno.test("backtest: the MLP forecaster trained with the GenTRX ops beats naive on the fixture", async () => {
  const candles = parseKlineCsv(await Deno.readTextFile(FIXTURE));
  const result = await runBacktest({ candles, agent: mlpForecaster });
  equal(result.malformed, 0);
  equal(result.relativeRmse < 0.8, true, `relative RMSE ${result.relativeRmse}`);
  equal(result.meanSkill > 0.2, true, `mean skill ${result.meanSkill}`);
});
