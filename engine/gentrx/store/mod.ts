/**
 * The object store of the training pool: the interface, key rules and size
 * caps, the S3 implementation (Deno and browser) and the conformance suite.
 * The local-folder default is Deno-only: server/object_store/.
 *
 * @module
 */
export * from "@/engine/gentrx/store/object_store.ts";
export { S3ObjectStore, type S3ObjectStoreOptions } from "@/engine/gentrx/store/s3_object_store.ts";
