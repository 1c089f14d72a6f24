/** Adds `source` into `target` element-wise (residual connections, summed gradients); returns `target`. */
export function addInPlace(target: Float32Array, source: Float32Array): Float32Array {
  for (let i = 0; i < target.length; i++) target[i] += source[i];
  return target;
}
