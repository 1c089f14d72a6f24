/**
 * GenTRX's training objective (taos.md §6.1):
 * 2.0 CE(type) + 1.5 CE(price) + 0.5 CE(volumeInt) + 0.5 CE(volumeDec) + 0.3 CE(interval),
 * where the ordinal fields use soft targets, a Gaussian of σ = 1 bin around
 * the true bin, so a near miss costs less than a far one. The type is
 * categorical and uses one-hot targets.
 *
 * @module
 */
import type { Field } from "@/engine/gentrx/tokenizer.ts";

/** Per-field loss weights (taos.md §6.1). */
export const FIELD_LOSS_WEIGHTS: Readonly<Record<Field, number>> = {
  type: 2.0,
  price: 1.5,
  volumeInt: 0.5,
  volumeDec: 0.5,
  interval: 0.3,
};

/** Width of the ordinal soft targets, in bins (taos.md §6.1). */
export const ORDINAL_SIGMA_BINS = 1;

/** Fields whose bins are ordered, so neighbouring bins share target mass. */
const ORDINAL_FIELDS: ReadonlySet<Field> = new Set(["price", "volumeInt", "volumeDec", "interval"]);

/** Target distributions [ids.length, bins] for a field's true bins. */
export function fieldTargets(field: Field, ids: Int32Array, bins: number): Float32Array {
  const targets = new Float32Array(ids.length * bins);
  for (let r = 0; r < ids.length; r++) {
    if (!(ids[r] >= 0 && ids[r] < bins)) {
      throw new RangeError(
        `Cannot build targets for field "${field}": bin ${ids[r]} is outside [0, ${bins})`,
      );
    }
    const row = targets.subarray(r * bins, (r + 1) * bins);
    if (!ORDINAL_FIELDS.has(field)) {
      row[ids[r]] = 1;
      continue;
    }
    let mass = 0;
    for (let bin = 0; bin < bins; bin++) {
      const distance = (bin - ids[r]) / ORDINAL_SIGMA_BINS;
      row[bin] = Math.exp(-0.5 * distance * distance);
      mass += row[bin];
    }
    for (let bin = 0; bin < bins; bin++) row[bin] /= mass;
  }
  return targets;
}
