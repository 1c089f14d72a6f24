import { deepEqual, rejects, throws } from "node:assert/strict";
import {
  LINEAR_WORKGROUP_SIZE,
  linearWorkgroups,
  MAX_BUFFER_BYTES,
  MAX_WORKGROUPS_PER_DIMENSION,
} from "@/workers/gentrx/gpu.ts";
import { gpuTest } from "@/workers/gentrx/_gpu_testing.ts";

Deno.test("linearWorkgroups covers every invocation and folds into y past the x limit", () => {
  deepEqual(linearWorkgroups(0), [1, 1]);
  deepEqual(linearWorkgroups(LINEAR_WORKGROUP_SIZE + 1), [2, 1]);
  const many = (MAX_WORKGROUPS_PER_DIMENSION + 10) * LINEAR_WORKGROUP_SIZE;
  const [x, y] = linearWorkgroups(many);
  deepEqual([x, y], [MAX_WORKGROUPS_PER_DIMENSION, 2]);
});

Deno.test(gpuTest("round trip: uploaded data reads back unchanged", async (gpu) => {
  const data = Float32Array.from([1.5, -2, 3e-8, 4e8]);
  deepEqual(await gpu.readF32(gpu.upload(data), data.length), data);
}));

Deno.test(gpuTest("a buffer over the binding limit is refused by name", (gpu) => {
  throws(
    () => gpu.createBuffer(MAX_BUFFER_BYTES / 4 + 1, "logits"),
    /Cannot create GPU buffer "logits" of 134217732 bytes: the limit is 134217728/,
  );
  return Promise.resolve();
}));

Deno.test(gpuTest("invalid WGSL surfaces as an error when the work is flushed", async (gpu) => {
  const module = {
    label: "broken.wgsl",
    code: "@compute @workgroup_size(1) fn main() { let x = ; }",
  };
  gpu.dispatch({
    module,
    entryPoint: "main",
    inputs: [],
    outputs: [gpu.createBuffer(1)],
    workgroups: [1],
  });
  await rejects(gpu.flush(), /Cannot run the GenTRX GPU work: /);
}));

Deno.test(
  gpuTest("more storage buffers than the device allows is refused before dispatch", (gpu) => {
    const limit = gpu.device.limits.maxStorageBuffersPerShaderStage;
    const buffers = Array.from({ length: limit + 1 }, () => gpu.createBuffer(1));
    throws(
      () =>
        gpu.dispatch({
          module: { label: "many.wgsl", code: "" },
          entryPoint: "main",
          inputs: buffers,
          outputs: [],
          workgroups: [1],
        }),
      new RegExp(
        `Cannot dispatch many.wgsl main: it binds ${limit + 1} storage buffers, ` +
          `the device allows ${limit}`,
      ),
    );
    return Promise.resolve();
  }),
);
