/**
 * Which miner buckets a validator will read from. A miner's commitment
 * names where the validator fetches its upload, so without a policy any
 * registered hotkey could point the validator at a file on its disk or at a
 * service on its private network (server-side request forgery). τaos only
 * accepts its two storage providers; we accept any S3-compatible bucket, but
 * off loopback only over https on a public host name or address:
 *
 * - a validator listening on loopback only (local development: its miners
 *   run on the same machine) also takes `file:` folders and plain-http
 *   endpoints on loopback (a local MinIO or s3rver);
 * - a validator reachable from elsewhere takes `https://` endpoints whose
 *   host is not localhost and not a loopback, private, link-local or
 *   unique-local address literal. (A public DNS name that resolves to a
 *   private address is not caught here; firewall the validator's egress if
 *   that matters.)
 *
 * @module
 */
import type { BucketLocation } from "@/engine/gentrx/store/bucket_location.ts";
import { isInternalHost, isLoopbackHost } from "@/server/internal_host.ts";

/** Where miners' buckets may be, by where the validator listens. */
export interface MinerBucketPolicy {
  /** True when the validator listens on loopback only. */
  localOnly: boolean;
}

/** Throws a RangeError naming why `location` may not be read; returns it otherwise. */
export function checkMinerBucket(
  location: BucketLocation,
  policy: MinerBucketPolicy,
): BucketLocation {
  if (location.kind === "folder") {
    if (policy.localOnly) return location;
    throw new RangeError(
      "a file: bucket is accepted only by a validator listening on loopback (local development)",
    );
  }
  const url = new URL(location.endpoint);
  const host = url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (isInternalHost(host)) {
    if (policy.localOnly && isLoopbackHost(host)) return location;
    throw new RangeError(
      `bucket endpoint "${url.origin}" is a local or private address; a validator reads only ` +
        "public buckets (loopback ones only while it listens on loopback itself)",
    );
  }
  if (url.protocol !== "https:") {
    throw new RangeError(`bucket endpoint "${url.origin}" must use https`);
  }
  return location;
}
