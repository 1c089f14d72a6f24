/**
 * The tab bucket the console's GenTRX tests share
 * (islands/_miner_gentrx_opt_in_test.ts, islands/_miner_commitment_test.ts):
 * one set of made-up keys, so the test that trims the settings into a bucket
 * and the tests that commit its read key
 * (`https://s3.example.com/dave-gentrx READ SECRET`) speak of the same one.
 *
 * @module
 */
import type { GenTrxBucket } from "@/workers/miner/protocol.ts";

/** Dave's bucket as `gentrxBucket` returns it: trimmed, the endpoint without a trailing slash. */
export const DAVE_BUCKET: Readonly<GenTrxBucket> = {
  endpoint: "https://s3.example.com",
  bucket: "dave-gentrx",
  region: "auto",
  accessKeyId: "WRITE",
  secretAccessKey: "WRITE-SECRET",
  readAccessKeyId: "READ",
  readSecretAccessKey: "SECRET",
};
