// Object storage behind one interface: S3 (MinIO in production) through the `minio` client when
// S3_ENDPOINT is set, a folder in DATA_DIR otherwise. Keys are relative paths such as
// `media/<owner>/<id>/large.webp`; both drivers refuse keys that could escape their namespace.
import { InvalidObjectKeyError, ObjectNotFoundError } from '../../errors.ts';
import type { S3Config } from '../config.ts';
import { openFolderStore } from './folder.ts';
import { connectS3Store } from './s3.ts';

interface ObjectInfo {
  size: number;
  contentType: string;
  modifiedAt: Date;
}

export interface ObjectStore {
  readonly kind: 's3' | 'folder';
  readonly location: string;
  put(key: string, body: Uint8Array, options: { contentType: string }): Promise<void>;
  /** Rejects with ObjectNotFoundError for a missing key. */
  get(key: string): Promise<Uint8Array>;
  /** The first `bytes` bytes (fewer for a smaller object), without reading the rest. */
  head(key: string, bytes: number): Promise<Uint8Array>;
  /** Rejects with ObjectNotFoundError for a missing key. */
  stat(key: string): Promise<ObjectInfo>;
  /** Removing a missing key is not an error. */
  remove(key: string): Promise<void>;
  /** Removes every object whose key starts with `prefix` (a folder: ends with '/'). */
  removePrefix(prefix: string): Promise<void>;
  /** Writes the object to a local file without holding it in memory. */
  download(key: string, path: string): Promise<void>;
  /**
   * A URL that reads (GET) or writes (PUT) the object directly on the storage server for
   * `expiresSeconds`; undefined for the folder, where the server serves and takes objects itself.
   */
  presign(method: 'GET' | 'PUT', key: string, expiresSeconds: number): Promise<string | undefined>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export async function openObjectStore(options: { s3: S3Config | undefined; dataDir: string }): Promise<ObjectStore> {
  if (options.s3 === undefined) return openFolderStore(options.dataDir);
  return connectS3Store(options.s3);
}

const KEY_SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$/;

/** Throws InvalidObjectKeyError unless `key` is a plain relative path of safe segments. */
/** For `.catch`: a missing object becomes undefined; anything else (storage down) still fails. */
export function missingAsUndefined(error: unknown): undefined {
  if (error instanceof ObjectNotFoundError) return undefined;
  throw error;
}

export function assertObjectKey(key: string): void {
  if (key.length === 0 || key.length > 1024) throw new InvalidObjectKeyError(key);
  for (const segment of key.split('/')) {
    if (!KEY_SEGMENT.test(segment) || segment.endsWith('.') || segment.endsWith('.tmp')) throw new InvalidObjectKeyError(key);
  }
}

/** A folder of keys: safe segments ending with '/'. */
export function assertFolderKey(prefix: string): void {
  if (!prefix.endsWith('/')) throw new InvalidObjectKeyError(prefix);
  assertObjectKey(prefix.slice(0, -1));
}
