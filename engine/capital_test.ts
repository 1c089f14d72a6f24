import { deepEqual, equal, notDeepEqual } from "node:assert/strict";
import { startingCapital, TAOS_CAPITAL } from "@/engine/capital.ts";

Deno.test("every book is worth the wealth at the reference price, at least half in quote", () => {
  for (let uid = 0; uid < 50; uid++) {
    for (let book = 0; book < 4; book++) {
      const { base, quote } = startingCapital(7, uid, book);
      equal(Math.abs(base * TAOS_CAPITAL.price + quote - TAOS_CAPITAL.wealth) < 1e-6, true);
      equal(quote >= TAOS_CAPITAL.wealth / 2 - 1e-9, true);
      equal(base > 0, true);
    }
  }
});

Deno.test("the split is fixed by (seed, uid, book) and differs between them", () => {
  deepEqual(startingCapital(7, 3, 1), startingCapital(7, 3, 1));
  notDeepEqual(startingCapital(7, 3, 1), startingCapital(7, 3, 2));
  notDeepEqual(startingCapital(7, 3, 1), startingCapital(8, 3, 1));
});
