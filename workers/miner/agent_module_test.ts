import { deepEqual, equal, throws } from "node:assert/strict";
import { FORECAST_ONLY_CONFIG } from "@/engine/forecast/forecast_request.ts";
import { AgentRunner } from "@/engine/agent/agent_runner.ts";
import { EXAMPLE_AGENT } from "@/routes/_example_agent.ts";
import { compileAgent, MAX_AGENT_SOURCE } from "@/workers/miner/agent_module.ts";
import { bookAround, stateWith } from "@/tests/fixtures/state_updates.ts";

const examples = ["random_maker", "random_taker", "imbalance", "online_regression"];

Deno.test("every example agent compiles from its source and answers a state", async () => {
  for (const name of examples) {
    const source = await Deno.readTextFile(
      new URL(`../../engine/agents/${name}.ts`, import.meta.url),
    );
    const factory = compileAgent(source);
    const runner = new AgentRunner(factory, { uid: 3, params: { volume: "1" }, seed: 1 });
    const response = runner.handle(stateWith([bookAround(0, 300)]));
    equal(response.agent_id, 3, name);
    equal(Array.isArray(response.instructions), true, name);
  }
  const page = new AgentRunner(compileAgent(EXAMPLE_AGENT), { uid: 3, params: {}, seed: 1 });
  equal(page.handle(stateWith([bookAround(0, 300)])).instructions.length, 2);
});

Deno.test("every forecast agent compiles in the tab and forecasts as its module does", async () => {
  const context = { uid: 1, params: {}, seed: 1, config: FORECAST_ONLY_CONFIG };
  const closes = Array.from({ length: 120 }, (_, i) => 100 + Math.sin(i / 5) * 3 + i * 0.05);
  const request = {
    stream: "book-0",
    intervalMs: 300_000,
    horizon: 8,
    history: closes.map((close, i) => ({
      closeTime: (i + 1) * 300_000,
      open: close,
      high: close + 0.1,
      low: close - 0.1,
      close,
      volume: 1,
    })),
  };
  const agents = new URL("../../engine/agents/", import.meta.url);
  const names = [...Deno.readDirSync(agents)].map((entry) => entry.name)
    .filter((name) => /^forecast_[a-z_]+\.ts$/.test(name) && !name.endsWith("_test.ts"));
  equal(names.length >= 3, true, names.join(", "));
  for (const name of names) {
    const url = new URL(name, agents);
    const compiled = compileAgent(await Deno.readTextFile(url))(context);
    const direct = (await import(url.href)).default(context);
    deepEqual(await compiled.forecast!(request), await direct.forecast!(request), name);
  }
});

Deno.test("an agent's console goes where the worker says", () => {
  const lines: string[] = [];
  const log = (...values: unknown[]) => lines.push(values.join(" "));
  const factory = compileAgent(
    `export default () => { console.log("hello", 1); return { respond() {} }; };`,
    { log, info: log, warn: log, error: log, debug: log },
  );
  new AgentRunner(factory, { uid: 1 }).handle(stateWith([bookAround(0, 300)]));
  equal(lines[0], "hello 1");
});

Deno.test("bad sources are refused with a reason", () => {
  throws(() => compileAgent("export default ("), /Cannot compile agent/);
  throws(
    () => compileAgent(`import x from "node:fs"; export default x;`),
    /Cannot import "node:fs" in a browser agent: it may import @\/engine\/agent\/agent.ts/,
  );
  throws(() => compileAgent("export const x = 1;"), /default export is not an agent factory/);
  throws(() => compileAgent("throw new Error('boom');"), /Cannot load agent: boom/);
  throws(
    () => compileAgent(" ".repeat(MAX_AGENT_SOURCE + 1)),
    /the limit is 200000/,
  );
});
