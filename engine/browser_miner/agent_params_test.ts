import { deepEqual, throws } from "node:assert/strict";
import { MAX_PARAMS, parseParamLines } from "@/engine/browser_miner/agent_params.ts";

Deno.test("parameter lines parse to the miner's --param map", () => {
  deepEqual(parseParamLines("volume=0.5\n\n# a comment\n expirySeconds = 10 \nname=a=b"), {
    volume: "0.5",
    expirySeconds: "10",
    name: "a=b",
  });
  deepEqual(parseParamLines(""), {});
});

Deno.test("bad parameter lines are named", () => {
  throws(() => parseParamLines("volume=1\nvolume"), /line 2 "volume": must be key=value/);
  throws(() => parseParamLines("=3"), /line 1 "=3": must be key=value/);
  throws(() => parseParamLines(`k=${"x".repeat(300)}`), /longer than 256 characters/);
  const many = Array.from({ length: MAX_PARAMS + 1 }, (_, i) => `k${i}=1`).join("\n");
  throws(() => parseParamLines(many), /65 given, the limit is 64/);
});
