/**
 * The pool's bucket from its settings: a local folder or an S3 bucket.
 *
 * @module
 */
import type { ObjectStore } from "@/engine/gentrx/store/object_store.ts";
import { S3ObjectStore } from "@/engine/gentrx/store/s3_object_store.ts";
import type { GenTrxStoreSetting } from "@/server/gentrx/gentrx_config.ts";
import { LocalFolderStore } from "@/server/object_store/local_folder_store.ts";

export function openGenTrxStore(setting: GenTrxStoreSetting): ObjectStore {
  return setting.kind === "folder"
    ? new LocalFolderStore(setting.path)
    : new S3ObjectStore(setting);
}
