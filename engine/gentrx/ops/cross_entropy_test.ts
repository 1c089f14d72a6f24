import { assertAllClose, assertGradient } from "@/engine/gentrx/ops/_gradient_check.ts";
import {
  softmaxCrossEntropy,
  softmaxCrossEntropyBackward,
} from "@/engine/gentrx/ops/cross_entropy.ts";
import { SeededRandom } from "@/engine/seeded_random.ts";

Deno.test("uniform logits against a one-hot target give log(vocab)", () => {
  const targets = Float32Array.from([0, 1, 0, 0]);
  const { loss, probs } = softmaxCrossEntropy(new Float32Array(4), targets, 1, 4);
  assertAllClose([loss], [Math.log(4)], { atol: 1e-6, rtol: 0 }, "loss");
  assertAllClose(probs, [0.25, 0.25, 0.25, 0.25], { atol: 1e-7, rtol: 0 }, "probs");
});

Deno.test("softmaxCrossEntropyBackward matches finite differences for soft targets", () => {
  const [rows, vocab] = [3, 5];
  const random = new SeededRandom(61);
  const logits = random.normals(rows * vocab, 2);
  const targets = new Float32Array(rows * vocab);
  for (let i = 0; i < targets.length; i++) targets[i] = random.uniform();
  for (let r = 0; r < rows; r++) {
    const row = targets.subarray(r * vocab, (r + 1) * vocab);
    const mass = row.reduce((sum, t) => sum + t, 0);
    row.forEach((t, v) => row[v] = t / mass);
  }
  const loss = () => softmaxCrossEntropy(logits, targets, rows, vocab).loss;
  const { probs } = softmaxCrossEntropy(logits, targets, rows, vocab);
  const dLogits = softmaxCrossEntropyBackward(probs, targets, rows, vocab);
  assertGradient(loss, logits, dLogits, { atol: 1e-5, rtol: 1e-3 }, "dLogits", 1e-3);
});
