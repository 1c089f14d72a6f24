/**
 * The read key a tab publishes for its GenTRX bucket: the bucket and its
 * read-only credentials as one commitment string
 * (engine/gentrx/store/bucket_location.ts), sent over the session on the
 * local network (workers/miner/agent_host.ts) or committed on chain by the
 * page on subtensor (islands/_miner_commitment.ts) — the same string both
 * ways.
 *
 * @module
 */
import { formatBucketLocation } from "@/engine/gentrx/store/bucket_location.ts";
import type { GenTrxBucket } from "@/workers/miner/protocol.ts";

/** `https://host/bucket READ_KEY READ_SECRET` for `bucket`. */
export function bucketReadKey(bucket: GenTrxBucket): string {
  return formatBucketLocation({
    kind: "s3",
    endpoint: bucket.endpoint,
    bucket: bucket.bucket,
    accessKeyId: bucket.readAccessKeyId,
    secretAccessKey: bucket.readSecretAccessKey,
  });
}
