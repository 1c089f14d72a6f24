import { deepEqual, equal, throws } from "node:assert/strict";
import { DAVE_BUCKET } from "@/islands/_gentrx_bucket_fixture.ts";
import { gentrxBucket } from "@/islands/_miner_gentrx_opt_in.tsx";
import { GENTRX_OFF, type GenTrxSettings } from "@/islands/_miner_settings.ts";

/** Dave's bucket as typed into the console: the endpoint padded and ending in a slash. */
const SETTINGS: GenTrxSettings = {
  ...GENTRX_OFF,
  ...DAVE_BUCKET,
  enabled: true,
  endpoint: " https://s3.example.com/ ",
};

Deno.test("gentrxBucket trims the fields and names an empty one", () => {
  deepEqual(gentrxBucket(SETTINGS), DAVE_BUCKET);
  throws(() => gentrxBucket({ ...SETTINGS, readAccessKeyId: " " }), {
    message: "Cannot join the training pool: Read-only access key ID is empty",
  });
  // A blank region is left to the endpoint (s3_region.ts).
  equal(gentrxBucket({ ...SETTINGS, region: " " }).region, "");
});
