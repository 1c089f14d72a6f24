import { deepEqual } from "node:assert/strict";
import { RateLimiter } from "@/server/gateway/rate_limiter.ts";

Deno.test("a key spends its burst, then regains tokens with time; keys are separate", () => {
  const clock = { now: 0 };
  const limiter = new RateLimiter({ perSecond: 2, burst: 3 }, () => clock.now);
  deepEqual([1, 2, 3, 4].map(() => limiter.take("a")), [true, true, true, false]);
  deepEqual(limiter.take("b"), true);
  clock.now = 500;
  deepEqual([limiter.take("a"), limiter.take("a")], [true, false]);
  clock.now = 10_000;
  deepEqual([1, 2, 3, 4].map(() => limiter.take("a")), [true, true, true, false]);
});
