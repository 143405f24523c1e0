// Objects on an S3-compatible server (MinIO in production). The bucket is created at start when
// it does not exist.
import { Client, S3Error } from 'minio';
import { DependencyError, ObjectNotFoundError } from '../../errors.ts';
import type { S3Config } from '../config.ts';
import { assertFolderKey, assertObjectKey, type ObjectStore } from './index.ts';

const MISSING = new Set(['NoSuchKey', 'NotFound']);

function notFound(key: string) {
  return (error: unknown): never => {
    if (error instanceof S3Error && MISSING.has(String(error.code))) throw new ObjectNotFoundError(key, { cause: error });
    throw error;
  };
}

export async function connectS3Store(config: S3Config): Promise<ObjectStore> {
  const useSSL = config.endpoint.protocol === 'https:';
  const client = new Client({
    endPoint: config.endpoint.hostname,
    port: config.endpoint.port === '' ? (useSSL ? 443 : 80) : Number(config.endpoint.port),
    useSSL,
    accessKey: config.accessKey,
    secretKey: config.secretKey,
    region: config.region,
    pathStyle: true,
  });
  const location = `${config.endpoint.origin}/${config.bucket}`;
  try {
    if (!(await client.bucketExists(config.bucket))) {
      // Nodes starting together race to create it: one creates it, the others find it made.
      await client.makeBucket(config.bucket, config.region).catch((error: unknown) => {
        if (!(error instanceof S3Error && ['BucketAlreadyOwnedByYou', 'BucketAlreadyExists'].includes(String(error.code)))) throw error;
      });
    }
  } catch (cause) {
    throw new DependencyError('storage', `cannot use bucket ${location}: ${(cause as Error).message}`, { cause });
  }

  return {
    kind: 's3',
    location,
    async put(key, body, options) {
      assertObjectKey(key);
      await client.putObject(config.bucket, key, Buffer.from(body.buffer, body.byteOffset, body.byteLength), body.byteLength, {
        'Content-Type': options.contentType,
      });
    },
    async get(key) {
      assertObjectKey(key);
      const stream = await client.getObject(config.bucket, key).catch(notFound(key));
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      return new Uint8Array(Buffer.concat(chunks));
    },
    async head(key, bytes) {
      assertObjectKey(key);
      const stream = await client.getPartialObject(config.bucket, key, 0, bytes).catch(notFound(key));
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      return new Uint8Array(Buffer.concat(chunks)).slice(0, bytes);
    },
    async stat(key) {
      assertObjectKey(key);
      const info = await client.statObject(config.bucket, key).catch(notFound(key));
      const contentType = String(info.metaData['content-type'] ?? 'application/octet-stream');
      return { size: info.size, contentType, modifiedAt: info.lastModified };
    },
    async remove(key) {
      assertObjectKey(key);
      await client.removeObject(config.bucket, key);
    },
    async removePrefix(prefix) {
      assertFolderKey(prefix);
      const keys: string[] = [];
      for await (const item of client.listObjectsV2(config.bucket, prefix, true)) if (item.name !== undefined) keys.push(item.name);
      if (keys.length > 0) await client.removeObjects(config.bucket, keys);
    },
    async download(key, path) {
      assertObjectKey(key);
      await client.fGetObject(config.bucket, key, path).catch(notFound(key));
    },
    async presign(method, key, expiresSeconds) {
      assertObjectKey(key);
      return method === 'GET'
        ? client.presignedGetObject(config.bucket, key, expiresSeconds)
        : client.presignedPutObject(config.bucket, key, expiresSeconds);
    },
    async ping() {
      if (!(await client.bucketExists(config.bucket))) throw new DependencyError('storage', `bucket ${location} is gone`);
    },
    close: async () => undefined,
  };
}
