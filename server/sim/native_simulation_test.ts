import { deepEqual, equal, match, notDeepEqual, ok, rejects } from "node:assert/strict";
import { resolveSimConfig } from "@/engine/sim/sim_config.ts";
import { NativeSimulation, simParams } from "@/server/sim/native_simulation.ts";

/** A small market with every population, quick enough for a unit test. */
async function smallMarket(overrides: Record<string, number> = {}): Promise<Float64Array> {
  return resolveSimConfig(await simParams(), {
    simulation: { books: 4, books_per_block: 2, duration_s: 3600, remote_agents: 2 },
    init: { count: 50 },
    stylized: { count: 100 },
    hft: { count: 4 },
    noise: { count: 100 },
  }, overrides).values;
}

async function run(values: Float64Array, seconds: number): Promise<Uint8Array[]> {
  const simulation = await NativeSimulation.create(values);
  try {
    const log = [simulation.readEvents().slice()];
    for (let i = 0; i < seconds; i++) {
      simulation.step();
      log.push(simulation.readEvents().slice());
    }
    return log;
  } finally {
    simulation.close();
  }
}

Deno.test("the settings table comes from the simulator with τaos's defaults", async () => {
  const table = await simParams();
  const byName = new Map(table.map((param) => [param.name, param]));
  equal(byName.get("stylized.count")?.defaultValue, 1000);
  equal(byName.get("fundamental.hurst")?.defaultValue, 0.729);
  equal(byName.get("simulation.threads")?.integer, true);
  ok(table.every((param) => param.min <= param.defaultValue && param.defaultValue <= param.max));
});

Deno.test("the same seed gives a byte-identical L3 log on 1 or 2 threads", async () => {
  const one = await run(await smallMarket({ "simulation.threads": 1 }), 60);
  const two = await run(await smallMarket({ "simulation.threads": 2 }), 60);
  deepEqual(one, two);
  ok(one.reduce((sum, chunk) => sum + chunk.length, 0) > 80 * 1000);
  notDeepEqual(one, await run(await smallMarket({ "simulation.seed": 99 }), 60));
});

Deno.test("a checkpoint resumes the whole simulation exactly", async () => {
  const original = await NativeSimulation.create(await smallMarket());
  original.step(30);
  original.readEvents();
  const restored = await NativeSimulation.restore(original.checkpoint());
  try {
    equal(restored.nowNs, 30e9);
    for (let i = 0; i < 20; i++) {
      original.step();
      restored.step();
      deepEqual(restored.readEvents(), original.readEvents());
      deepEqual(restored.mids(), original.mids());
    }
    equal(restored.check(), "");
  } finally {
    original.close();
    restored.close();
  }
});

Deno.test("bad settings and checkpoints are refused with the reason", async () => {
  const values = await smallMarket();
  const table = await simParams();
  values[table.findIndex((param) => param.name === "hft.count")] = 1e9;
  await rejects(
    NativeSimulation.create(values),
    /Cannot create the simulation: hft\.count: 1000000000 is above the maximum 10000/,
  );
  await rejects(
    NativeSimulation.restore(new Uint8Array([1, 2, 3])),
    /Cannot restore the simulation: not a simulation checkpoint/,
  );
});

Deno.test("remote agents trade and reset through the ABI", async () => {
  const simulation = await NativeSimulation.create(await smallMarket());
  try {
    simulation.step(5);
    simulation.resetAgent(1);
    let error = "";
    try {
      simulation.resetAgent(7);
    } catch (e) {
      error = (e as Error).message;
    }
    match(error, /agent 7 is not a remote agent slot \(0 to 1\)/);
    equal(simulation.check(), "");
    const mids = simulation.mids();
    ok(mids.every((mid) => mid > 0));
  } finally {
    simulation.close();
  }
});

Deno.test("each book's fundamental is read through the ABI and the mid trades near it", async () => {
  const simulation = await NativeSimulation.create(await smallMarket());
  try {
    simulation.step(60);
    const fundamentals = simulation.fundamentals();
    const mids = simulation.mids();
    equal(fundamentals.length, simulation.bookCount);
    fundamentals.forEach((fundamental, book) => {
      ok(fundamental > 0);
      ok(
        Math.abs(Math.log(mids[book] / fundamental)) < 0.05,
        `book ${book}: ${mids[book]} vs ${fundamental}`,
      );
    });
  } finally {
    simulation.close();
  }
});
