/**
 * An `ObjectStore` on any S3-compatible bucket (AWS, R2, MinIO, Hippius,
 * s3rver), path-style URLs, requests signed with SigV4 by `aws4fetch`.
 * Browser-safe: only `fetch` and WebCrypto, so a miner's tab uploads its
 * deltas with the same code the validator reads them with (taos.md §6.6).
 *
 * @module
 */
import { AwsClient } from "aws4fetch";
import { signingRegion } from "@/engine/gentrx/store/s3_region.ts";
import {
  checkObjectSize,
  DEFAULT_MAX_OBJECT_BYTES,
  type ObjectInfo,
  type ObjectStore,
  validateKey,
  validateMaxObjectBytes,
  validatePrefix,
} from "@/engine/gentrx/store/object_store.ts";

export interface S3ObjectStoreOptions {
  /** The service URL, e.g. `https://<account>.r2.cloudflarestorage.com` or `http://127.0.0.1:9000`. */
  endpoint: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** SigV4 region; when absent or empty, the endpoint's (s3_region.ts), e.g. "auto" for R2. */
  region?: string;
  maxObjectBytes?: number;
  /** Keys per list request (S3's maximum is 1000). */
  listPageSize?: number;
}

/** S3 bucket names: 3–63 of lowercase letters, digits, dots and hyphens. */
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const S3_MAX_LIST_KEYS = 1000;

export class S3ObjectStore implements ObjectStore {
  readonly description: string;
  readonly maxObjectBytes: number;
  /** The SigV4 region requests are signed for. */
  readonly region: string;
  readonly #client: AwsClient;
  readonly #bucketUrl: string;
  readonly #bucket: string;
  readonly #listPageSize: number;

  constructor(options: S3ObjectStoreOptions) {
    let endpoint: URL;
    try {
      endpoint = new URL(options.endpoint);
    } catch {
      throw new RangeError(`Invalid S3 endpoint "${options.endpoint}": it is not a URL`);
    }
    if (endpoint.protocol !== "http:" && endpoint.protocol !== "https:") {
      throw new RangeError(`Invalid S3 endpoint "${options.endpoint}": expected http or https`);
    }
    if (!BUCKET_NAME.test(options.bucket)) {
      throw new RangeError(
        `Invalid S3 bucket "${options.bucket}": expected 3–63 lowercase letters, digits, dots or hyphens`,
      );
    }
    for (const field of ["accessKeyId", "secretAccessKey"] as const) {
      if (!options[field]) throw new RangeError(`Invalid S3 credentials: ${field} is empty`);
    }
    const pageSize = options.listPageSize ?? S3_MAX_LIST_KEYS;
    if (!(Number.isInteger(pageSize) && pageSize >= 1 && pageSize <= S3_MAX_LIST_KEYS)) {
      throw new RangeError(`Invalid listPageSize ${pageSize}: expected 1..${S3_MAX_LIST_KEYS}`);
    }
    this.#listPageSize = pageSize;
    this.maxObjectBytes = validateMaxObjectBytes(
      options.maxObjectBytes ?? DEFAULT_MAX_OBJECT_BYTES,
    );
    this.#bucket = options.bucket;
    this.#bucketUrl = `${endpoint.origin}${endpoint.pathname.replace(/\/$/, "")}/${options.bucket}`;
    this.description = `s3 ${this.#bucketUrl}`;
    this.region = options.region || signingRegion(endpoint.href);
    this.#client = new AwsClient({
      accessKeyId: options.accessKeyId,
      secretAccessKey: options.secretAccessKey,
      service: "s3",
      region: this.region,
    });
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    validateKey(key);
    checkObjectSize(key, bytes.byteLength, this.maxObjectBytes);
    const response = await this.#client.fetch(`${this.#bucketUrl}/${key}`, {
      method: "PUT",
      body: bytes as Uint8Array<ArrayBuffer>,
      headers: { "content-type": "application/octet-stream" },
    });
    await this.#expectOk(response, `put object "${key}"`);
    await response.body?.cancel();
  }

  async get(key: string): Promise<Uint8Array | null> {
    validateKey(key);
    const response = await this.#client.fetch(`${this.#bucketUrl}/${key}`);
    if (response.status === 404) {
      await response.body?.cancel();
      return null;
    }
    await this.#expectOk(response, `get object "${key}"`);
    const announced = Number(response.headers.get("content-length") ?? "0");
    if (announced > this.maxObjectBytes) {
      await response.body?.cancel();
      checkObjectSize(key, announced, this.maxObjectBytes);
    }
    const bytes = new Uint8Array(await response.arrayBuffer());
    checkObjectSize(key, bytes.byteLength, this.maxObjectBytes);
    return bytes;
  }

  async list(prefix: string): Promise<ObjectInfo[]> {
    validatePrefix(prefix);
    const objects: ObjectInfo[] = [];
    // Pages continue with start-after (the last key seen) rather than
    // continuation tokens: every S3 flavour supports it, and s3rver's tokens
    // need DES, which Deno's node:crypto does not have.
    let startAfter: string | null = null;
    do {
      const query = new URLSearchParams({
        "list-type": "2",
        "prefix": prefix,
        "max-keys": String(this.#listPageSize),
      });
      if (startAfter !== null) query.set("start-after", startAfter);
      const response = await this.#client.fetch(`${this.#bucketUrl}?${query}`);
      await this.#expectOk(response, `list prefix "${prefix}"`);
      const xml = await response.text();
      const page = [...xml.matchAll(/<Contents>([\s\S]*?)<\/Contents>/g)].map((contents) => ({
        key: unescapeXml(tag(contents[1], "Key") ?? ""),
        sizeBytes: Number(tag(contents[1], "Size") ?? "0"),
      }));
      objects.push(...page);
      startAfter = tag(xml, "IsTruncated") === "true" && page.length > 0
        ? page[page.length - 1].key
        : null;
    } while (startAfter !== null);
    return objects.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async delete(key: string): Promise<void> {
    validateKey(key);
    const response = await this.#client.fetch(`${this.#bucketUrl}/${key}`, { method: "DELETE" });
    if (response.status !== 404) await this.#expectOk(response, `delete object "${key}"`);
    await response.body?.cancel();
  }

  async #expectOk(response: Response, action: string): Promise<void> {
    if (response.ok) return;
    const body = await response.text();
    const code = tag(body, "Code") ?? response.statusText;
    const message = tag(body, "Message");
    throw new Error(
      `Cannot ${action} in S3 bucket "${this.#bucket}": HTTP ${response.status} ${code}${
        message ? ` (${unescapeXml(message)})` : ""
      }`,
    );
  }
}

/** The text of the first `<name>` element (S3's XML is flat enough for this). */
function tag(xml: string, name: string): string | null {
  return new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1] ?? null;
}

function unescapeXml(text: string): string {
  return text.replace(
    /&(lt|gt|quot|apos|amp);/g,
    (_, entity: string) => ({ lt: "<", gt: ">", quot: '"', apos: "'", amp: "&" })[entity]!,
  );
}
