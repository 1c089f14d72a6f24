import { deepEqual, equal } from "node:assert/strict";
import {
  combinePools,
  normalizePool,
  POOL_NAMES,
  type PoolMix,
  type PoolShares,
} from "@/engine/scoring/pools.ts";
import { SeededRandom } from "@/engine/seeded_random.ts";

const near = (a: number, b: number, what = "") =>
  equal(Math.abs(a - b) < 1e-12, true, `${what}${a} vs ${b}`);
const nearAll = (a: readonly number[], b: readonly number[]) => {
  equal(a.length, b.length);
  a.forEach((value, i) => near(value, b[i], `[${i}] `));
};

/** Every UID's pool contributions (and UID 0's burn) add up to its weight; shares to their pools. */
function assertConsistent(mix: PoolMix) {
  mix.weights.forEach((weight, uid) => {
    const parts = POOL_NAMES.reduce((sum, name) => sum + mix.contributions[name][uid], 0);
    near(parts + (uid === 0 ? mix.shares.burn : 0), weight, `uid ${uid}: `);
  });
  for (const name of POOL_NAMES) {
    near(mix.contributions[name].reduce((sum, part) => sum + part, 0), mix.shares[name], name);
  }
  const total = mix.weights.reduce((sum, weight) => sum + weight, 0);
  near(POOL_NAMES.reduce((sum, name) => sum + mix.shares[name], mix.shares.burn), total);
}

Deno.test("pools: unused shares return to trading; participation scales a share", () => {
  deepEqual(normalizePool([-1, 1, 3]), [0, 2 / 6, 4 / 6]);
  const tradingOnly = combinePools({ trading: [0, 1, 3] }, 3);
  deepEqual(tradingOnly.weights, [0, 0.25, 0.75]);
  const withForecast = combinePools({
    trading: [0, 1, 1],
    forecast: { scores: [0, 0, 1], participation: 0.5 },
  }, 3);
  // forecast share 0.1 · 0.5 = 0.05; trading 0.95 split evenly.
  near(withForecast.weights[1], 0.475);
  near(withForecast.weights[2], 0.475 + 0.05);
  const idleTraining = combinePools({
    trading: [0, 1],
    training: { scores: [0, 0], participation: 1 },
  }, 2);
  deepEqual(idleTraining.weights, [0, 1]);
  const burned = combinePools({ trading: [0, 1] }, 2, { training: 0.05, forecast: 0.1, burn: 0.5 });
  deepEqual(burned.weights, [0.5, 0.5]);
});

Deno.test("pools: each pool's share of the emission after participation scaling", () => {
  const mix = combinePools({
    trading: [0, 1, 1],
    forecast: { scores: [0, 0, 1], participation: 0.5 },
    training: { scores: [0, 3, 1], participation: 2 },
  }, 3);
  // Training at full participation (capped at 1): 5%; forecast at half: 5%; trading the rest.
  near(mix.shares.trading, 0.9);
  near(mix.shares.training, 0.05);
  near(mix.shares.forecast, 0.05);
  equal(mix.shares.burn, 0);
  nearAll(mix.contributions.trading, [0, 0.45, 0.45]);
  near(mix.contributions.training[1], 0.0375);
  near(mix.contributions.training[2], 0.0125);
  nearAll(mix.contributions.forecast, [0, 0, 0.05]);
  assertConsistent(mix);

  // An idle pool gives nothing and shows a zero share; its share went to trading.
  const idle = combinePools({
    trading: [0, 1],
    training: { scores: [0, 0], participation: 1 },
  }, 2);
  deepEqual(idle.shares, { trading: 1, training: 0, forecast: 0, burn: 0 });
  deepEqual(idle.contributions, { trading: [0, 1], training: [0, 0], forecast: [0, 0] });
});

Deno.test("pools: when trading has nothing to give, the other pools share the emission", () => {
  const mix = combinePools({
    trading: [0, 0, 0],
    forecast: { scores: [0, 1, 3], participation: 1 },
  }, 3);
  deepEqual(mix.shares, { trading: 0, training: 0, forecast: 1, burn: 0 });
  nearAll(mix.contributions.forecast, [0, 0.25, 0.75]);
  nearAll(mix.weights, [0, 0.25, 0.75]);

  const nothing = combinePools({ trading: [0, 0] }, 2);
  deepEqual(nothing.weights, [0, 0]);
  deepEqual(nothing.shares, { trading: 0, training: 0, forecast: 0, burn: 0 });
  deepEqual(combinePools({ trading: [] }, 0).shares, {
    trading: 0,
    training: 0,
    forecast: 0,
    burn: 0,
  });
});

Deno.test("pools: the burn is UID 0's share, outside every pool", () => {
  const shares: PoolShares = { training: 0.05, forecast: 0.1, burn: 0.2 };
  const mix = combinePools(
    {
      trading: [0, 1, 1],
      forecast: { scores: [0, 1, 0], participation: 1 },
    },
    3,
    shares,
  );
  near(mix.shares.burn, 0.2);
  near(mix.shares.forecast, 0.08);
  near(mix.shares.trading, 0.72);
  equal(mix.contributions.trading[0], 0);
  near(mix.weights[0], 0.2);
  assertConsistent(mix);
});

Deno.test("pools: contributions add up to the weights for random pools", () => {
  const random = new SeededRandom(7);
  for (let trial = 0; trial < 200; trial++) {
    const uidCount = random.integer(2, 13);
    const scores = () => Array.from({ length: uidCount }, () => random.normal());
    const maybe = () =>
      random.uniform() < 0.7
        ? { scores: scores(), participation: random.uniform() * 1.5 }
        : undefined;
    const mix = combinePools(
      { trading: scores(), training: maybe(), forecast: maybe() },
      uidCount,
      {
        training: random.uniform() * 0.3,
        forecast: random.uniform() * 0.3,
        burn: random.uniform() < 0.3 ? random.uniform() * 0.3 : 0,
      },
    );
    assertConsistent(mix);
    near(mix.weights.reduce((sum, weight) => sum + weight, 0), 1, `trial ${trial}: `);
  }
});
