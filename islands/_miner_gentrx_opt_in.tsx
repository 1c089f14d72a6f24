/**
 * The miner console's GenTRX training pool settings (islands/BrowserMiner.tsx):
 * the opt-in, the tab's S3 bucket and, when the validator is on subtensor,
 * the node the tab commits its bucket's read key through, with the commit's
 * status line. The commit itself (islands/_miner_commitment.ts) is loaded
 * only when it runs, so this is all the page carries for it up front.
 *
 * @module
 */
import {
  MAX_COMMITMENT_CHARS,
  parseBucketLocation,
} from "@/engine/gentrx/store/bucket_location.ts";
import type { CommitStatus } from "@/islands/_miner_commitment.ts";
import type { GenTrxSettings } from "@/islands/_miner_settings.ts";
import { bucketReadKey } from "@/workers/miner/bucket_read_key.ts";
import type { GenTrxBucket } from "@/workers/miner/protocol.ts";

/**
 * The public node of Bittensor's main network ("finney"), the Python SDK's
 * `FINNEY_ENTRYPOINT` (bittensor/core/settings.py): the node a tab commits
 * through when neither the console nor the validator names one.
 */
export const FINNEY_ENTRYPOINT = "wss://entrypoint-finney.opentensor.ai:443";
/** Subnet numbers are u16 on subtensor (chain.md §1.1). */
export const MAX_NETUID = 0xffff;
/** Labels of the chain settings, as the console shows them and errors name them. */
export const NODE_FIELD = "Subtensor node";
export const NETUID_FIELD = "Subnet netuid";
/** The node field's width in characters: Bittensor's public node URL and a little more. */
const NODE_FIELD_CHARS = 44;

/** The validator's training pool and chain, as the page's props say. */
export interface GenTrxPool {
  /** Off, on with its pages in a local folder (a tab cannot read them), or on with an S3 bucket. */
  pool: "off" | "folder" | "s3";
  chain: "local" | "subtensor";
  /** The subnet on subtensor, when the page says; else the console asks for it. */
  netuid?: number;
  /** A public subtensor node the validator suggests; else FINNEY_ENTRYPOINT. */
  chainNode?: string;
}

/** One bucket field the console asks for. */
interface BucketField {
  field: keyof GenTrxBucket;
  label: string;
  type: "text" | "password";
  /** Set for an optional field: what a blank one means (its placeholder). */
  blank?: string;
}

/** The bucket fields, in order. */
const BUCKET_FIELDS: BucketField[] = [
  { field: "endpoint", label: "S3 endpoint", type: "text" },
  { field: "bucket", label: "Bucket", type: "text" },
  // s3_region.ts reads it from the endpoint: auto (R2), an AWS region, decentralized (Hippius).
  { field: "region", label: "Region", type: "text", blank: "from the endpoint" },
  { field: "accessKeyId", label: "Access key ID", type: "text" },
  { field: "secretAccessKey", label: "Secret access key", type: "password" },
  { field: "readAccessKeyId", label: "Read-only access key ID", type: "text" },
  { field: "readSecretAccessKey", label: "Read-only secret access key", type: "password" },
];

/** The tab's bucket as the agent worker takes it; throws naming what is wrong. */
export function gentrxBucket(settings: GenTrxSettings): GenTrxBucket {
  for (const { field, label, blank } of BUCKET_FIELDS) {
    if (blank === undefined && !settings[field].trim()) {
      throw new Error(`Cannot join the training pool: ${label} is empty`);
    }
  }
  const bucket = {
    endpoint: settings.endpoint.trim().replace(/\/$/, ""),
    bucket: settings.bucket.trim(),
    region: settings.region.trim(),
    accessKeyId: settings.accessKeyId.trim(),
    secretAccessKey: settings.secretAccessKey.trim(),
    readAccessKeyId: settings.readAccessKeyId.trim(),
    readSecretAccessKey: settings.readSecretAccessKey.trim(),
  };
  try {
    parseBucketLocation(bucketReadKey(bucket), "bucket", {
      maxChars: MAX_COMMITMENT_CHARS,
      allowFolder: false,
    });
  } catch (error) {
    throw new Error(`Cannot join the training pool: ${(error as Error).message}`);
  }
  return bucket;
}

/** The node the tab commits through: the one set in the console, else the page's default. */
export function chainNodeOf(settings: GenTrxSettings, pool: GenTrxPool): string {
  return settings.chainNode.trim() || pool.chainNode || FINNEY_ENTRYPOINT;
}

/** The status line's words for `status`. */
function statusText(status: CommitStatus): string {
  return status.state === "idle" ? "not committed yet; the tab commits it on Go live" : status.text;
}

/** The training pool opt-in: a checkbox, the tab's bucket and, on subtensor, the chain node. */
export function GenTrxOptIn({ settings, pool, disabled, commit, onChange }: {
  settings: GenTrxSettings;
  pool: GenTrxPool;
  disabled: boolean;
  commit: CommitStatus;
  onChange: (change: Partial<GenTrxSettings>) => void;
}) {
  const onSubtensor = pool.chain === "subtensor";
  return (
    <fieldset class="gentrx-opt-in" disabled={disabled || pool.pool !== "s3"}>
      <legend>Training pool (GenTRX)</legend>
      {pool.pool === "off" && <p class="muted">This validator does not run the training pool.</p>}
      {pool.pool === "folder" && (
        <p class="muted">
          This validator keeps its training pages in a local folder, which a browser cannot read; it
          serves browser miners once its pages are in an S3 bucket.
        </p>
      )}
      <label>
        <input
          type="checkbox"
          checked={settings.enabled}
          onChange={(event) => onChange({ enabled: event.currentTarget.checked })}
        />{" "}
        Join the training pool (GenTRX)
      </label>
      {settings.enabled && (
        <>
          <div class="miner-row gentrx-bucket">
            {BUCKET_FIELDS.map(({ field, label, type, blank }) => (
              <label key={field}>
                {label}
                {type === "password"
                  ? (
                    <input
                      type="password"
                      value={settings[field]}
                      autocomplete="off"
                      onChange={(event) => onChange({ [field]: event.currentTarget.value })}
                    />
                  )
                  : (
                    <input
                      type="text"
                      value={settings[field]}
                      placeholder={blank}
                      autocomplete="off"
                      spellcheck={false}
                      onChange={(event) => onChange({ [field]: event.currentTarget.value })}
                    />
                  )}
              </label>
            ))}
          </div>
          <p class="muted">
            While live, each round's assignment trains in a worker (WebGPU when the browser offers
            it, the CPU otherwise) and the compressed delta is uploaded to this S3-compatible
            bucket. The write key and its secret stay in this browser (IndexedDB) and only sign the
            uploads; the read-only key is published as your bucket's commitment so validators can
            read the deltas. The bucket must allow this page's origin (CORS) for GET and PUT.
          </p>
          {onSubtensor && (
            <>
              <div class="miner-row gentrx-chain">
                <label>
                  {NODE_FIELD}
                  <input
                    type="url"
                    size={NODE_FIELD_CHARS}
                    value={chainNodeOf(settings, pool)}
                    autocomplete="off"
                    spellcheck={false}
                    onChange={(event) => onChange({ chainNode: event.currentTarget.value })}
                  />
                </label>
                {pool.netuid === undefined && (
                  <label>
                    {NETUID_FIELD}
                    <input
                      type="number"
                      min={0}
                      max={MAX_NETUID}
                      step={1}
                      value={settings.netuid}
                      onChange={(event) => onChange({ netuid: event.currentTarget.value })}
                    />
                  </label>
                )}
              </div>
              <p class="muted">
                This validator runs on subtensor, where only your hotkey may publish your bucket's
                read key{pool.netuid === undefined ? "" : ` (on netuid ${pool.netuid})`}. On Go live
                the tab connects to this node, reads your hotkey's commitment and, only when it
                differs, asks your wallet to sign <code>Commitments.set_commitment</code>{" "}
                (the chain allows a new one about every 100 blocks). The default is{" "}
                {pool.chainNode ? "the node this validator suggests" : "Bittensor's public node"};
                any node of the same network will do, such as your own. The validator's own node may
                not be reachable from your browser.
              </p>
              <p
                class={commit.state === "failed" ? "error" : "muted"}
                role="status"
                aria-label="Read key on chain"
              >
                Read key on chain: {statusText(commit)}
              </p>
            </>
          )}
        </>
      )}
    </fieldset>
  );
}
