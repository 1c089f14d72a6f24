/**
 * The WebGPU plumbing every GenTRX kernel shares: acquiring a device,
 * moving typed arrays to and from GPU buffers, a pipeline cache, and one
 * dispatch helper, so that each kernel's host file only says which WGSL entry
 * point runs over which buffers with which shape parameters
 * (ARCHITECTURE.md decision 8).
 *
 * Conventions every kernel's WGSL follows, so {@link GpuContext.dispatch}
 * can build bind groups without per-kernel layout code:
 * - group 0 holds the read-only inputs first (`var<storage, read>`), then the
 *   outputs (`var<storage, read_write>`), then, if the kernel has shape or
 *   scalar parameters, one `var<uniform>` struct;
 * - that struct lists its `u32` fields first and its `f32` fields after them.
 *
 * Dispatches are recorded into one compute pass and submitted together when
 * results are read back (or on {@link GpuContext.flush}); WebGPU makes each
 * dispatch's writes visible to the next one in the same pass.
 *
 * No optional features (`shader-f16`, `subgroups`) are requested: the
 * software adapters each lack one of them (reference/ml.md §2).
 *
 * @module
 */

/** The WebGPU default for `maxStorageBufferBindingSize`, and lavapipe's maximum (ml.md §2). */
export const MAX_BUFFER_BYTES = 128 * 1024 * 1024;
/** The WebGPU default for `maxComputeWorkgroupsPerDimension`. */
export const MAX_WORKGROUPS_PER_DIMENSION = 65_535;
/** Invocations per workgroup for one-dimensional kernels (`@workgroup_size(64)` in their WGSL). */
export const LINEAR_WORKGROUP_SIZE = 64;
/** Uniform buffers are padded to this many bytes (the uniform struct alignment in WGSL). */
const UNIFORM_ALIGN_BYTES = 16;
/** Bytes in one f32, u32 or i32 element. */
const ELEMENT_BYTES = 4;

const NO_ADAPTER_MESSAGE = "Cannot run the GenTRX kernels: no WebGPU adapter is available " +
  "(in Deno on Debian, install the package mesa-vulkan-drivers for the lavapipe adapter; " +
  "in Chromium, start it with --enable-unsafe-webgpu)";

/** A WGSL module: its source text and a label that names it in GPU error messages. */
export interface WgslModule {
  /** The `.wgsl` file name: unique per module, as it also keys the compiled-module cache. */
  label: string;
  code: string;
}

/** One kernel launch, as described to {@link GpuContext.dispatch}. */
export interface Dispatch {
  module: WgslModule;
  entryPoint: string;
  /** Bound as `var<storage, read>` from binding 0. */
  inputs: readonly GPUBuffer[];
  /** Bound as `var<storage, read_write>` right after the inputs. */
  outputs: readonly GPUBuffer[];
  /** The uniform struct's leading `u32` fields. */
  u32?: readonly number[];
  /** The uniform struct's `f32` fields, after the `u32` ones. */
  f32?: readonly number[];
  /** Values for the module's `override` constants (booleans as 0 or 1). */
  constants?: Readonly<Record<string, number>>;
  /** Workgroup counts in x, y and z. */
  workgroups: readonly [number, number?, number?];
}

/** The elements of the typed arrays that kernels read and write. */
export type GpuArray = Float32Array | Int32Array | Uint32Array;

/**
 * Workgroup counts that cover `invocations` invocations of a one-dimensional
 * kernel of {@link LINEAR_WORKGROUP_SIZE}, folding into y when x would exceed
 * the per-dimension limit. The WGSL side recovers the flat index as
 * `gid.x + gid.y * num_workgroups.x * 64`.
 */
export function linearWorkgroups(invocations: number): [number, number] {
  const groups = Math.max(1, Math.ceil(invocations / LINEAR_WORKGROUP_SIZE));
  const x = Math.min(groups, MAX_WORKGROUPS_PER_DIMENSION);
  return [x, Math.ceil(groups / x)];
}

/**
 * A device plus the state the kernels share on it: compiled modules and
 * pipelines, bind group layouts, and the compute pass being recorded.
 */
export class GpuContext {
  readonly device: GPUDevice;
  readonly #modules = new Map<string, GPUShaderModule>();
  readonly #pipelines = new Map<string, GPUComputePipeline>();
  readonly #layouts = new Map<string, GPUBindGroupLayout>();
  #encoder: GPUCommandEncoder | null = null;
  #pass: GPUComputePassEncoder | null = null;
  /** Uniform buffers of recorded dispatches; released by the flush that waits for them. */
  #pendingUniforms: GPUBuffer[] = [];
  #submittedUniforms: GPUBuffer[] = [];
  /** Validation errors of submitted work, one promise per submission, checked by flush. */
  #errors: Promise<GPUError | null>[] = [];

  constructor(device: GPUDevice) {
    this.device = device;
  }

  /** Creates a zero-filled storage buffer for `elements` 4-byte elements. */
  createBuffer(elements: number, label = "gentrx"): GPUBuffer {
    const byteLength = Math.max(1, elements) * ELEMENT_BYTES;
    if (byteLength > MAX_BUFFER_BYTES) {
      throw new RangeError(
        `Cannot create GPU buffer "${label}" of ${byteLength} bytes: the limit is ${MAX_BUFFER_BYTES}`,
      );
    }
    return this.device.createBuffer({
      label,
      size: byteLength,
      usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
    });
  }

  /** Creates a storage buffer holding a copy of `data`. */
  upload(data: GpuArray, label = "gentrx"): GPUBuffer {
    const buffer = this.createBuffer(data.length, label);
    this.write(buffer, data);
    return buffer;
  }

  /** Overwrites the start of `buffer` with `data`, after all recorded work. */
  write(buffer: GPUBuffer, data: GpuArray): void {
    // queue.writeBuffer runs before the next submit, so recorded work goes first.
    this.#submitRecorded();
    this.device.queue.writeBuffer(buffer, 0, data.buffer, data.byteOffset, data.byteLength);
  }

  /** Records one kernel launch; it runs at the next {@link flush} or read. */
  dispatch(launch: Dispatch): void {
    const u32 = launch.u32 ?? [];
    const f32 = launch.f32 ?? [];
    const hasUniform = u32.length + f32.length > 0;
    const storageBuffers = launch.inputs.length + launch.outputs.length;
    if (storageBuffers > this.device.limits.maxStorageBuffersPerShaderStage) {
      throw new RangeError(
        `Cannot dispatch ${launch.module.label} ${launch.entryPoint}: it binds ${storageBuffers} ` +
          `storage buffers, the device allows ${this.device.limits.maxStorageBuffersPerShaderStage}`,
      );
    }
    const pass = this.#openPass();
    const pipeline = this.#pipeline(launch, hasUniform);
    const buffers = [...launch.inputs, ...launch.outputs];
    const entries: GPUBindGroupEntry[] = buffers.map((buffer, binding) => ({
      binding,
      resource: { buffer },
    }));
    if (hasUniform) {
      const uniform = this.#uniformBuffer(launch.module.label, u32, f32);
      entries.push({ binding: buffers.length, resource: { buffer: uniform } });
    }
    const bindGroup = this.device.createBindGroup({
      label: `${launch.module.label}.${launch.entryPoint}`,
      layout: pipeline.getBindGroupLayout(0),
      entries,
    });
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    const [x, y = 1, z = 1] = launch.workgroups;
    pass.dispatchWorkgroups(x, y, z);
  }

  /**
   * Submits the recorded dispatches and waits until the GPU has run them.
   * Throws the first validation error they raised (a WGSL compile error, a
   * binding that does not match its WGSL declaration, …).
   */
  async flush(): Promise<void> {
    this.#submitRecorded();
    await this.device.queue.onSubmittedWorkDone();
    for (const uniform of this.#submittedUniforms) uniform.destroy();
    this.#submittedUniforms = [];
    const errors = await Promise.all(this.#errors);
    this.#errors = [];
    const error = errors.find((found) => found !== null);
    if (error) throw new Error(`Cannot run the GenTRX GPU work: ${error.message}`);
  }

  /** Runs the recorded work and copies the first `elements` of `buffer` back as f32. */
  async readF32(buffer: GPUBuffer, elements: number): Promise<Float32Array> {
    const byteLength = elements * ELEMENT_BYTES;
    const staging = this.device.createBuffer({
      label: "gentrx readback",
      size: Math.max(ELEMENT_BYTES, byteLength),
      usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
    });
    this.#record((encoder) => encoder.copyBufferToBuffer(buffer, 0, staging, 0, byteLength));
    await this.flush();
    await staging.mapAsync(GPUMapMode.READ);
    const values = new Float32Array(staging.getMappedRange(0, byteLength).slice(0));
    staging.destroy();
    return values;
  }

  /** The compute pass being recorded, opened (inside a validation error scope) if needed. */
  #openPass(): GPUComputePassEncoder {
    if (this.#pass === null) {
      this.device.pushErrorScope("validation");
      this.#encoder = this.device.createCommandEncoder({ label: "gentrx" });
      this.#pass = this.#encoder.beginComputePass({ label: "gentrx" });
    }
    return this.#pass;
  }

  /** Records a non-dispatch command (a copy) after the dispatches recorded so far. */
  #record(command: (encoder: GPUCommandEncoder) => void): void {
    if (this.#pass === null) {
      this.device.pushErrorScope("validation");
      this.#encoder = this.device.createCommandEncoder({ label: "gentrx" });
    } else {
      this.#pass.end();
      this.#pass = null;
    }
    command(this.#encoder!);
    // Later dispatches open a fresh encoder; this one is submitted now.
    this.#submitEncoder();
  }

  /** Ends and submits the recorded pass, if any. */
  #submitRecorded(): void {
    if (this.#encoder === null) return;
    this.#pass?.end();
    this.#pass = null;
    this.#submitEncoder();
  }

  #submitEncoder(): void {
    this.device.queue.submit([this.#encoder!.finish()]);
    this.#encoder = null;
    this.#submittedUniforms.push(...this.#pendingUniforms);
    this.#pendingUniforms = [];
    this.#errors.push(this.device.popErrorScope());
  }

  #uniformBuffer(label: string, u32: readonly number[], f32: readonly number[]): GPUBuffer {
    const fields = u32.length + f32.length;
    const byteLength = Math.ceil((fields * ELEMENT_BYTES) / UNIFORM_ALIGN_BYTES) *
      UNIFORM_ALIGN_BYTES;
    const buffer = this.device.createBuffer({
      label: `${label} parameters`,
      size: byteLength,
      usage: GPUBufferUsage.UNIFORM,
      mappedAtCreation: true,
    });
    const mapped = buffer.getMappedRange();
    new Uint32Array(mapped, 0, u32.length).set(u32);
    new Float32Array(mapped, u32.length * ELEMENT_BYTES, f32.length).set(f32);
    buffer.unmap();
    this.#pendingUniforms.push(buffer);
    return buffer;
  }

  #pipeline(launch: Dispatch, hasUniform: boolean): GPUComputePipeline {
    const { module, entryPoint, inputs, outputs, constants = {} } = launch;
    const layoutKey = `${inputs.length}/${outputs.length}/${hasUniform}`;
    const key = `${module.label}.${entryPoint}/${layoutKey}/${JSON.stringify(constants)}`;
    let pipeline = this.#pipelines.get(key);
    if (pipeline === undefined) {
      pipeline = this.device.createComputePipeline({
        label: `${module.label}.${entryPoint}`,
        layout: this.device.createPipelineLayout({
          bindGroupLayouts: [
            this.#bindGroupLayout(layoutKey, inputs.length, outputs.length, hasUniform),
          ],
        }),
        compute: { module: this.#module(module), entryPoint, constants },
      });
      this.#pipelines.set(key, pipeline);
    }
    return pipeline;
  }

  #module({ label, code }: WgslModule): GPUShaderModule {
    let module = this.#modules.get(label);
    if (module === undefined) {
      module = this.device.createShaderModule({ label, code });
      this.#modules.set(label, module);
    }
    return module;
  }

  #bindGroupLayout(
    key: string,
    inputs: number,
    outputs: number,
    hasUniform: boolean,
  ): GPUBindGroupLayout {
    let layout = this.#layouts.get(key);
    if (layout === undefined) {
      const entry = (binding: number, type: GPUBufferBindingType): GPUBindGroupLayoutEntry => ({
        binding,
        visibility: GPUShaderStage.COMPUTE,
        buffer: { type },
      });
      const entries: GPUBindGroupLayoutEntry[] = [];
      for (let i = 0; i < inputs; i++) entries.push(entry(i, "read-only-storage"));
      for (let i = 0; i < outputs; i++) entries.push(entry(inputs + i, "storage"));
      if (hasUniform) entries.push(entry(inputs + outputs, "uniform"));
      layout = this.device.createBindGroupLayout({ label: `gentrx ${key}`, entries });
      this.#layouts.set(key, layout);
    }
    return layout;
  }
}

/**
 * Requests a WebGPU device, or returns null when this runtime has no
 * adapter (tests use that to report themselves skipped).
 */
export async function tryRequestGpuContext(): Promise<GpuContext | null> {
  const adapter = await globalThis.navigator?.gpu?.requestAdapter();
  if (!adapter) return null;
  return new GpuContext(await adapter.requestDevice());
}

/** Requests a WebGPU device; throws, naming the package that provides one, when there is none. */
export async function requestGpuContext(): Promise<GpuContext> {
  const context = await tryRequestGpuContext();
  if (context === null) throw new Error(NO_ADAPTER_MESSAGE);
  return context;
}
