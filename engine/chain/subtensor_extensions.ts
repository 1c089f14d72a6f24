/**
 * Transaction extensions of subtensor runtimes that @polkadot/api 16.5 does
 * not know (shared/reference/chain.md §1.8), for every `ApiPromise` that
 * signs for subtensor: the validator's (server/chain/subtensor_chain.ts)
 * and a browser miner's (islands/_miner_chain.ts). Browser-safe.
 *
 * @module
 */

/**
 * Unknown extensions are treated as empty, which is right for all but
 * `ChargeTransactionPaymentWrapper` (spec 425): it wraps
 * `ChargeTransactionPayment`, so the extrinsic must carry a compact tip, or
 * the signature and the extrinsic are wrong. The empty ones are declared so
 * the choice is explicit and the registry does not warn.
 */
export const SUBTENSOR_SIGNED_EXTENSIONS = {
  ChargeTransactionPaymentWrapper: { extrinsic: { tip: "Compact<Balance>" }, payload: {} },
  SudoTransactionExtension: { extrinsic: {}, payload: {} },
  CheckShieldedTxValidity: { extrinsic: {}, payload: {} },
  SubtensorTransactionExtension: { extrinsic: {}, payload: {} },
  DrandPriority: { extrinsic: {}, payload: {} },
  // Older runtimes (spec 185 … 2xx).
  SubtensorSignedExtension: { extrinsic: {}, payload: {} },
  CommitmentsSignedExtension: { extrinsic: {}, payload: {} },
} as const;
