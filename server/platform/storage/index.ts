// Object storage behind one interface: S3 (MinIO in production) through the `minio` client when
// S3_ENDPOINT is set, a folder in DATA_DIR otherwise. Keys are relative paths such as
// `media/<owner>/<id>/large.webp`; both drivers refuse keys that could escape their namespace.
import { InvalidObjectKeyError } from '../../errors.ts';
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
  /** Rejects with ObjectNotFoundError for a missing key. */
  stat(key: string): Promise<ObjectInfo>;
  /** Removing a missing key is not an error. */
  remove(key: string): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export async function openObjectStore(options: { s3: S3Config | undefined; dataDir: string }): Promise<ObjectStore> {
  if (options.s3 === undefined) return openFolderStore(options.dataDir);
  return connectS3Store(options.s3);
}

const KEY_SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$/;

/** Throws InvalidObjectKeyError unless `key` is a plain relative path of safe segments. */
export function assertObjectKey(key: string): void {
  if (key.length === 0 || key.length > 1024) throw new InvalidObjectKeyError(key);
  for (const segment of key.split('/')) {
    if (!KEY_SEGMENT.test(segment) || segment.endsWith('.') || segment.endsWith('.tmp')) throw new InvalidObjectKeyError(key);
  }
}
