import { deepEqual, throws } from "node:assert/strict";
import {
  commitWeightsArgs,
  revealWeightsArgs,
  serveAxonArgs,
  setWeightsArgs,
} from "@/server/chain/subtensor_calls.ts";

Deno.test("set_weights / reveal_weights arguments follow the call's field order and rules", () => {
  deepEqual(setWeightsArgs(1, [1, 2, 3], [65535, 32768, 16384], 1000n), [
    1,
    [1, 2, 3],
    [65535, 32768, 16384],
    1000n,
  ]);
  deepEqual(revealWeightsArgs(3, [0], [1], [9, 9], 7n), [3, [0], [1], [9, 9], 7n]);
  throws(() => setWeightsArgs(1, [1, 2], [1], 0n), {
    rule: "WeightVecNotEqualSize",
    message: "Cannot set weights: 2 uids, 1 weights",
  });
  throws(() => setWeightsArgs(1, [1, 1], [1, 2], 0n), { rule: "DuplicateUids" });
  throws(() => setWeightsArgs(0, [1], [1], 0n), { rule: "CanNotSetRootNetworkWeights" });
  throws(() => setWeightsArgs(1, [1], [65536], 0n), /65536 is not a u16/);
});

Deno.test("commit_weights takes an H256; serve_axon gets the SDK's protocol 4 and zero placeholders", () => {
  const hash = `0x${"ab".repeat(32)}` as const;
  deepEqual(commitWeightsArgs(2, hash), [2, hash]);
  throws(() => commitWeightsArgs(2, "0x1234"), /must be 32 bytes of 0x-hex/);
  deepEqual(serveAxonArgs(1, 1000, { ip: 0x7f000002n, ipType: 4, port: 8091 }), [
    1,
    1000,
    0x7f000002n,
    8091,
    4,
    4,
    0,
    0,
  ]);
});
