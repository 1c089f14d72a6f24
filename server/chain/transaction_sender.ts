/**
 * Signs and submits extrinsics, one at a time per signer, and waits for the
 * block that includes them. Nonces are tracked explicitly: right after an
 * inclusion the node's next index can lag, and @polkadot/api's automatic
 * nonce then gives `1010 Invalid: stale` (shared/reference/chain.md §3.2).
 * Refusals become ChainErrors named after subtensor's error
 * (subtensor_errors.ts).
 *
 * @module
 */
import type { ApiPromise } from "@polkadot/api";
import type { SubmittableExtrinsic } from "@polkadot/api/types";
import type { KeyringPair } from "@polkadot/keyring/types";
import type { DispatchError } from "@polkadot/types/interfaces";
import type { ISubmittableResult } from "@polkadot/types/types";
import { ChainError } from "@/engine/chain/chain_error.ts";
import {
  chainErrorFromDispatch,
  chainErrorFromRpc,
  type DispatchFailure,
} from "@/server/chain/subtensor_errors.ts";

/** How long to wait for inclusion: 10 blocks of 12 s. */
export const INCLUSION_TIMEOUT_MS = 120_000;

/** An event of the including block that the extrinsic emitted. */
export interface ChainEvent {
  section: string;
  method: string;
  data: unknown;
}

export interface Inclusion {
  blockHash: string;
  events: ChainEvent[];
}

/** One sender per connection, so every user of it shares the nonce bookkeeping. */
const senders = new WeakMap<ApiPromise, TransactionSender>();

export class TransactionSender {
  readonly #api: ApiPromise;
  readonly #timeoutMs: number;
  /** Next nonce by address, as far as this process knows. */
  readonly #nonces = new Map<string, number>();
  /** The last submission by address; the next one waits for it. */
  readonly #queues = new Map<string, Promise<unknown>>();

  constructor(api: ApiPromise, timeoutMs = INCLUSION_TIMEOUT_MS) {
    this.#api = api;
    this.#timeoutMs = timeoutMs;
  }

  /** The sender of `api`, made on first use. */
  static for(api: ApiPromise): TransactionSender {
    let sender = senders.get(api);
    if (!sender) senders.set(api, sender = new TransactionSender(api));
    return sender;
  }

  /**
   * Signs `tx` with `signer`, submits it and resolves when a block includes
   * it; rejects with a ChainError when the pool or the runtime refuses it.
   * `action` words the error: "set weights" → `Cannot set weights: …`.
   */
  send(
    signer: KeyringPair,
    tx: SubmittableExtrinsic<"promise">,
    action: string,
  ): Promise<Inclusion> {
    const previous = this.#queues.get(signer.address) ?? Promise.resolve();
    const next = previous.catch(() => {}).then(() => this.#sendNow(signer, tx, action));
    this.#queues.set(signer.address, next);
    return next;
  }

  async #sendNow(
    signer: KeyringPair,
    tx: SubmittableExtrinsic<"promise">,
    action: string,
  ): Promise<Inclusion> {
    const chainNonce = Number(
      (await this.#api.rpc.system.accountNextIndex(signer.address)).toString(),
    );
    const nonce = Math.max(chainNonce, this.#nonces.get(signer.address) ?? 0);
    const { promise, resolve, reject } = Promise.withResolvers<Inclusion>();
    let settled = false;
    let unsubscribe: (() => void) | undefined;
    const finish = (outcome: Inclusion | ChainError, included: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      unsubscribe?.();
      // An included extrinsic used its nonce even when its call failed.
      if (included) this.#nonces.set(signer.address, nonce + 1);
      if (outcome instanceof ChainError) reject(outcome);
      else resolve(outcome);
    };
    const timer = setTimeout(() => {
      finish(
        new ChainError("Timeout", `Cannot ${action}: not in a block after ${this.#timeoutMs} ms`),
        false,
      );
    }, this.#timeoutMs);
    tx.signAndSend(signer, { nonce }, (result: ISubmittableResult) => {
      const { status, dispatchError } = result;
      if (status.isInBlock || status.isFinalized) {
        if (dispatchError) {
          finish(chainErrorFromDispatch(action, this.#describe(dispatchError)), true);
          return;
        }
        finish({
          blockHash: (status.isInBlock ? status.asInBlock : status.asFinalized).toHex(),
          events: result.events.map(({ event }) => ({
            section: event.section,
            method: event.method,
            data: event.data.toJSON(),
          })),
        }, true);
      } else if (status.isInvalid || status.isDropped || status.isUsurped) {
        finish(
          new ChainError(
            status.type,
            `Cannot ${action}: the transaction pool reports ${status.type}`,
          ),
          false,
        );
      }
    }).then((stop) => {
      unsubscribe = stop;
      if (settled) stop();
    }).catch((error: Error) => finish(chainErrorFromRpc(action, error.message), false));
    return await promise;
  }

  #describe(error: DispatchError): DispatchFailure {
    if (error.isModule) {
      try {
        const { section, name, docs } = this.#api.registry.findMetaError(error.asModule);
        return { section, name, docs };
      } catch {
        return { type: "Module", detail: JSON.stringify(error.asModule.toJSON()) };
      }
    }
    const value = error.toJSON() as Record<string, unknown> | string;
    return {
      type: error.type,
      detail: typeof value === "object" && value !== null
        ? JSON.stringify(Object.values(value)[0])
        : undefined,
    };
  }
}
