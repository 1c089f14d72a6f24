/**
 * The default `ObjectStore`: one file per object under a root folder, the key
 * being the relative path (keys are validated to safe path segments, so no
 * key can leave the root). Writes go to a temporary file renamed into place,
 * so a reader never sees half an object and a crash leaves the old one.
 *
 * @module
 */
import {
  checkObjectSize,
  DEFAULT_MAX_OBJECT_BYTES,
  type ObjectInfo,
  type ObjectStore,
  validateKey,
  validateMaxObjectBytes,
  validatePrefix,
} from "@/engine/gentrx/store/object_store.ts";

/** Temporary files carry this suffix; `list` skips them. */
const PARTIAL_SUFFIX = ".partial-upload";

export class LocalFolderStore implements ObjectStore {
  readonly description: string;
  readonly maxObjectBytes: number;
  readonly #root: string;
  #uploads = 0;

  constructor(root: string, maxObjectBytes = DEFAULT_MAX_OBJECT_BYTES) {
    if (!root) throw new RangeError("Invalid object store folder: the path is empty");
    this.#root = root.replace(/\/+$/, "");
    this.maxObjectBytes = validateMaxObjectBytes(maxObjectBytes);
    this.description = `folder ${this.#root}`;
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    validateKey(key);
    checkObjectSize(key, bytes.byteLength, this.maxObjectBytes);
    const path = this.#path(key);
    await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
    const partial = `${path}.${Date.now()}-${this.#uploads++}${PARTIAL_SUFFIX}`;
    await Deno.writeFile(partial, bytes);
    await Deno.rename(partial, path);
  }

  async get(key: string): Promise<Uint8Array | null> {
    validateKey(key);
    const path = this.#path(key);
    try {
      const info = await Deno.stat(path);
      if (!info.isFile) return null;
      checkObjectSize(key, info.size, this.maxObjectBytes);
      return await Deno.readFile(path);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) {
        return null;
      }
      throw error;
    }
  }

  async list(prefix: string): Promise<ObjectInfo[]> {
    validatePrefix(prefix);
    // Walk the deepest folder the prefix names completely, then filter.
    const folder = prefix.includes("/") ? prefix.slice(0, prefix.lastIndexOf("/")) : "";
    const objects: ObjectInfo[] = [];
    await this.#walk(folder, prefix, objects);
    return objects.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async delete(key: string): Promise<void> {
    validateKey(key);
    try {
      await Deno.remove(this.#path(key));
    } catch (error) {
      if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) {
        return;
      }
      throw error;
    }
  }

  #path(key: string): string {
    return `${this.#root}/${key}`;
  }

  async #walk(folder: string, prefix: string, objects: ObjectInfo[]): Promise<void> {
    const path = folder === "" ? this.#root : this.#path(folder);
    let entries: Deno.DirEntry[];
    try {
      entries = await Array.fromAsync(Deno.readDir(path));
    } catch (error) {
      if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) {
        return;
      }
      throw error;
    }
    for (const entry of entries) {
      const key = folder === "" ? entry.name : `${folder}/${entry.name}`;
      if (entry.isDirectory) {
        if (key.startsWith(prefix) || prefix.startsWith(`${key}/`)) {
          await this.#walk(key, prefix, objects);
        }
      } else if (entry.isFile && key.startsWith(prefix) && !key.endsWith(PARTIAL_SUFFIX)) {
        objects.push({ key, sizeBytes: (await Deno.stat(this.#path(key))).size });
      }
    }
  }
}
