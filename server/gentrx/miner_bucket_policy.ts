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

function isLoopbackHost(host: string): boolean {
  return host === "localhost" || host.endsWith(".localhost") || host === "::1" ||
    /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** localhost, or an IPv4/IPv6 literal in a loopback, private, link-local, CGNAT or unspecified range. */
function isInternalHost(host: string): boolean {
  if (isLoopbackHost(host)) return true;
  const v4 = host.match(/^(\d+)\.(\d+)\.(\d+)\.(\d+)$/);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return a === 0 || a === 10 || (a === 100 && b >= 64 && b < 128) ||
      (a === 169 && b === 254) || (a === 172 && b >= 16 && b < 32) || (a === 192 && b === 168);
  }
  if (host.includes(":")) {
    // IPv4-mapped (::ffff:a.b.c.d, which URL writes as ::ffff:hhhh:hhhh).
    const mapped = host.match(/^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/);
    if (mapped) {
      const [high, low] = [parseInt(mapped[1], 16), parseInt(mapped[2], 16)];
      return isInternalHost(`${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`);
    }
    return host === "::" || /^f[cd]/.test(host) || /^fe[89ab]/.test(host);
  }
  return false;
}
