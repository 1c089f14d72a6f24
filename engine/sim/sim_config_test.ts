import { deepEqual, equal, throws } from "node:assert/strict";
import { resolveSimConfig, SimConfigError, type SimParam } from "@/engine/sim/sim_config.ts";

const table: SimParam[] = [
  { name: "simulation.books", defaultValue: 16, min: 1, max: 4096, integer: true, doc: "" },
  { name: "stylized.count", defaultValue: 1000, min: 0, max: 100000, integer: true, doc: "" },
  { name: "stylized.sigma_f", defaultValue: 1.4, min: 0, max: 100, integer: false, doc: "" },
];

Deno.test("a config takes defaults, then the file, then overrides", () => {
  const config = resolveSimConfig(table, { stylized: { sigma_f: 2 } }, { "simulation.books": 4 });
  deepEqual([...config.values], [4, 1000, 2]);
  equal(config.settings["stylized.sigma_f"], 2);
});

Deno.test("bad settings are refused naming the setting and the limit", () => {
  const cases: [unknown, string][] = [
    [{ stylized: { count: 100001 } }, "stylized.count: 100001 is above the maximum 100000"],
    [{ stylized: { count: -1 } }, "stylized.count: -1 is below the minimum 0"],
    [{ stylized: { count: 2.5 } }, "stylized.count: 2.5 must be a whole number"],
    [{ stylized: { count: "9" } }, 'stylized.count: must be a finite number, got "9"'],
    [{ stylized: { cuont: 1 } }, "stylized.cuont: unknown setting (known: count, sigma_f)"],
    [{ styled: {} }, "styled: unknown group (known: simulation, stylized)"],
    [[], "the file must hold a JSON object of setting groups"],
  ];
  for (const [json, message] of cases) {
    throws(() => resolveSimConfig(table, json), new SimConfigError(message));
  }
});
